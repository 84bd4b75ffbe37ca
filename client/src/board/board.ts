import type { ClientView } from '../../../shared/protocol/room.ts';
import { h, replaceChildren } from '../dom.ts';
import {
  type BoardModel,
  type BoardTarget,
  boardHeight,
  boardModel,
  boardSummary,
  type ChangeItem,
  clockText,
  elementChanges,
  hitTest,
  layoutBoard,
  type RoundChanges,
  roundChanges,
  targetTitle,
} from '../model/board-model.ts';
import type { Panel, PanelContext } from '../panels/panel.ts';
import type { BoardRenderer } from './board-scene.ts';
import './board.css';

declare global {
  interface Window {
    __hotlineBoard?: { renderer: 'WebGL' | 'Canvas'; drawnAt: number };
  }
}

/**
 * The board panel: the Phaser picture, the latest round's changes as buttons that explain
 * themselves and point at the board, and the whole board in words. The picture is decoration
 * for screen readers (the list and the words carry everything), and Phaser is loaded only when
 * a board is first shown, so the landing page does not pay for it.
 */
const TARGETS: [BoardTarget, string][] = [
  ['race', 'Capability race'],
  ['flows', 'Compute sources'],
  ['risk', 'Risk'],
  ['trust', 'Trust and allies'],
  ['dialogue', 'Dialogue'],
  ['header', 'Round and event'],
];

const AUDIENCE: Record<ChangeItem['audience'], string> = {
  public: 'Seen by everyone',
  us: 'US only',
  china: 'China only',
};

let boards = 0;

export function createBoard(_ctx: PanelContext): Panel {
  const id = `board-${++boards}`;
  const host = h('div', {
    class: 'board-canvas',
    role: 'img',
    'aria-label':
      'Picture of the board. Everything it shows is in the list of changes and in "Board in words".',
  });
  const fallback = h('p', { class: 'board-fallback', hidden: true });
  const changesTitle = h('h3', { id: `${id}-changes` }, 'Changes');
  const targets = h(
    'div',
    { class: 'board-targets', role: 'group', 'aria-label': 'Show the changes to one part of the board' },
    TARGETS.map(([t, label]) =>
      h('button', { type: 'button', 'data-key': `t-${t}`, onclick: () => selectTarget(t) }, label),
    ),
  );
  const list = h('div', { class: 'board-changes' });
  const explain = h(
    'div',
    { class: 'board-explain', id: `${id}-explain`, 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Choose a change, or a part of the board, to see why it moved.'),
  );
  const words = h('ul', { class: 'board-words-list' });
  const el = h(
    'section',
    { class: 'board card', 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, 'Board'),
    h(
      'div',
      { class: 'board-layout' },
      h('div', { class: 'board-picture' }, host, fallback),
      h(
        'section',
        { class: 'board-side', 'aria-labelledby': `${id}-changes` },
        changesTitle,
        targets,
        explain,
        list,
      ),
    ),
    h('details', { class: 'board-words' }, h('summary', null, 'Board in words'), words),
  );

  let renderer: BoardRenderer | null = null;
  let destroyed = false;
  let model: BoardModel | null = null;
  let modelKey = '';
  let changes: RoundChanges = { round: null, items: [] };
  let logRefs: unknown[] = [];
  let summaryKey = '';
  let selected: { item: string } | { target: BoardTarget } | null = null;
  let localDeadline: number | null = null;
  let clockKey = '';
  let timer: ReturnType<typeof setInterval> | null = null;
  let size = { width: 0, height: 0 };

  const clock = () =>
    model?.header.outcomeText
      ? ''
      : clockText(localDeadline, model?.header.paused ?? false, performance.now());
  const tick = () => renderer?.setClock(clock());

  const drawn = (name: 'WebGL' | 'Canvas') => {
    const at = performance.now();
    document.body.dataset.boardDrawn = String(at);
    window.__hotlineBoard = { renderer: name, drawnAt: at };
  };

  // Phaser is a large module: load it with the first board, then hand it what arrived meanwhile.
  import('./board-scene.ts')
    .then(({ createRenderer }) => {
      if (destroyed) return;
      const w = size.width || host.clientWidth || 800;
      const hgt = size.height || boardHeight(w);
      renderer = createRenderer(host, w, hgt, drawn);
      if (model) renderer.show(model, false);
      tick();
      if (selected && 'target' in selected) renderer.highlight(selected.target);
    })
    .catch((err: unknown) => {
      // Without WebGL the picture cannot be drawn; the words and the list still say everything.
      fallback.hidden = false;
      fallback.textContent =
        'The board picture could not be drawn on this device. "Board in words" below shows the same.';
      (el.querySelector('details.board-words') as HTMLDetailsElement | null)?.setAttribute('open', '');
      console.error(err);
    });

  const resize = (width: number) => {
    const w = Math.floor(width);
    if (w <= 0 || w === size.width) return;
    size = { width: w, height: boardHeight(w) };
    host.style.height = `${size.height}px`;
    renderer?.resize(size.width, size.height);
  };
  const observer = new ResizeObserver((entries) => {
    const e = entries[0];
    if (e) resize(e.contentRect.width);
  });
  observer.observe(host);

  const onClick = (ev: MouseEvent) => {
    const t = pointTarget(ev);
    if (t) selectTarget(t);
  };
  const onMove = (ev: MouseEvent) => {
    host.style.cursor = pointTarget(ev) ? 'pointer' : 'default';
  };
  const pointTarget = (ev: MouseEvent): BoardTarget | null => {
    const r = host.getBoundingClientRect();
    return hitTest(layoutBoard(size.width, size.height), ev.clientX - r.left, ev.clientY - r.top);
  };
  host.addEventListener('click', onClick);
  host.addEventListener('mousemove', onMove);

  function showExplanation(title: string, lines: string[], empty: string | null): void {
    replaceChildren(
      explain,
      h('p', { class: 'board-explain-title' }, title),
      lines.length
        ? h(
            'ul',
            null,
            lines.map((l) => h('li', null, l)),
          )
        : empty
          ? h('p', { class: 'muted' }, empty)
          : null,
    );
  }

  function selectItem(item: ChangeItem): void {
    selected = { item: item.key };
    showExplanation(
      item.explanation,
      [],
      item.target && model ? `On the board: ${targetTitle(model, item.target)}.` : null,
    );
    renderer?.highlight(item.target);
    markSelected();
  }

  function selectTarget(t: BoardTarget): void {
    selected = { target: t };
    const title = model ? targetTitle(model, t) : t;
    const round = changes.round;
    const lines = elementChanges(changes.items, t).map((i) => i.explanation);
    showExplanation(
      title,
      lines,
      round === null ? 'No round has been played yet.' : `Nothing here changed in round ${round}.`,
    );
    renderer?.highlight(t);
    markSelected();
  }

  function markSelected(): void {
    for (const b of el.querySelectorAll<HTMLButtonElement>('.board-changes button, .board-targets button')) {
      const key = b.dataset.key ?? '';
      const on =
        selected !== null &&
        (('item' in selected && key === `c-${selected.item}`) ||
          ('target' in selected && key === `t-${selected.target}`));
      // aria-current marks the one being explained without making every button a toggle.
      if (on) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
    }
  }

  function renderList(): void {
    const round = changes.round;
    changesTitle.textContent = round === null ? 'Changes' : `Changes in round ${round}`;
    if (!changes.items.length) {
      replaceChildren(list, h('p', { class: 'muted' }, 'Changes appear here when a round is resolved.'));
      return;
    }
    const groups = (['public', 'us', 'china'] as const)
      .map((a) => [a, changes.items.filter((i) => i.audience === a)] as const)
      .filter(([, items]) => items.length > 0);
    replaceChildren(
      list,
      groups.flatMap(([a, items]) => [
        h('h4', null, AUDIENCE[a]),
        h(
          'ul',
          null,
          items.map((item) =>
            h(
              'li',
              { class: `board-change kind-${item.kind}` },
              h(
                'button',
                {
                  type: 'button',
                  'data-key': `c-${item.key}`,
                  'aria-controls': `${id}-explain`,
                  onclick: () => selectItem(item),
                },
                item.label,
              ),
            ),
          ),
        ),
      ]),
    );
    markSelected();
  }

  function renderWords(): void {
    if (!model) return;
    const endsAt =
      localDeadline !== null && !model.header.paused
        ? `The phase ends at ${new Date(Date.now() + (localDeadline - performance.now())).toLocaleTimeString(
            [],
            {
              hour: '2-digit',
              minute: '2-digit',
            },
          )}`
        : undefined;
    const sentences = boardSummary(model, endsAt);
    const key = sentences.join('\n');
    if (key === summaryKey) return;
    summaryKey = key;
    replaceChildren(
      words,
      sentences.map((x) => h('li', null, x)),
    );
  }

  function setClock(v: ClientView): void {
    const key = `${v.deadline}:${v.paused}:${v.phase}`;
    if (key === clockKey) return;
    clockKey = key;
    // The server's remaining time, counted on this machine's clock: immune to clock skew.
    localDeadline = v.paused || v.remainingMs === null ? null : performance.now() + v.remainingMs;
    if (timer) clearInterval(timer);
    timer = localDeadline !== null ? setInterval(tick, 1000) : null;
    tick();
  }

  return {
    el,
    update(v) {
      const m = boardModel(v);
      const key = JSON.stringify(m);
      const animate = model !== null;
      model = m;
      setClock(v);
      if (key !== modelKey) {
        modelKey = key;
        renderer?.show(m, animate);
      }
      const g = v.game;
      const refs = [g.log.public, g.log.own, g.truth?.history.us, g.truth?.history.china];
      if (refs.some((r, i) => r !== logRefs[i])) {
        logRefs = refs;
        const next = roundChanges(v);
        const roundChanged = next.round !== changes.round;
        changes = next;
        if (roundChanged) list.scrollTop = 0;
        if (roundChanged && selected) {
          selected = null;
          renderer?.highlight(null);
          replaceChildren(
            explain,
            h('p', { class: 'muted' }, 'Choose a change, or a part of the board, to see why it moved.'),
          );
        }
        renderList();
      }
      renderWords();
    },
    destroy() {
      destroyed = true;
      if (timer) clearInterval(timer);
      observer.disconnect();
      host.removeEventListener('click', onClick);
      host.removeEventListener('mousemove', onMove);
      renderer?.destroy();
      renderer = null;
    },
  };
}
