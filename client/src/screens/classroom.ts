import type { CommandName } from '../../../shared/protocol/events.ts';
import { lineChart } from '../charts/line-chart.ts';
import { h, replaceChildren, tableHead } from '../dom.ts';
import {
  type ClassTable,
  COMPARISON_COLUMNS,
  type ComparisonRow,
  comparisonCells,
  comparisonCharts,
  comparisonCsv,
  comparisonRows,
  divergenceSummary,
  type TableCard,
  type TurningPoint,
  tableCard,
  turningPoints,
} from '../model/class-model.ts';
import { seatHash } from '../model/route.ts';
import { downloadExport, gameInfo } from '../net/api.ts';
import { saveClass } from '../net/saved-seats.ts';
import { Session } from '../net/session.ts';
import './classroom.css';

/**
 * The teacher's page for a class of several tables: every table's state at a glance, what needs
 * attention, commands for all tables at once, and how the tables' games diverged. Each table is
 * its own game, reached through its facilitator seat: this page holds one connection per table
 * and shows what each table's server sends, like that table's console does.
 */
type BulkCommand = 'fac:start' | 'fac:pause' | 'fac:resume' | 'fac:extend';

interface Bulk {
  command: BulkCommand;
  button: string;
  /** Whether the command applies to this table as it stands. */
  applies: (c: TableCard) => boolean;
  done: (n: number) => string;
  none: string;
}

const running = (c: TableCard) => !c.inLobby && !c.ended;
const tablesWord = (n: number) => (n === 1 ? '1 table' : `${n} tables`);

const BULK: Bulk[] = [
  {
    command: 'fac:start',
    button: 'Start every table',
    applies: (c) => c.inLobby,
    done: (n) => `Started ${tablesWord(n)}.`,
    none: 'No table is waiting in its lobby.',
  },
  {
    command: 'fac:pause',
    button: 'Pause every table',
    applies: (c) => running(c) && !c.paused,
    done: (n) => `Paused ${tablesWord(n)}.`,
    none: 'No running table to pause.',
  },
  {
    command: 'fac:resume',
    button: 'Resume every table',
    applies: (c) => running(c) && c.paused,
    done: (n) => `Resumed ${tablesWord(n)}.`,
    none: 'No table is paused.',
  },
  {
    command: 'fac:extend',
    button: 'Add a minute to every clock',
    applies: running,
    done: (n) => `Added a minute to the clock of ${tablesWord(n)}.`,
    none: 'No running table has a clock.',
  },
];

interface TableParts {
  session: Session;
  label: string;
  el: HTMLElement;
  code: HTMLElement;
  /** What this table's own buttons did, said next to them rather than at the top of the page. */
  note: HTMLElement;
  stage: HTMLElement;
  body: HTMLElement;
  toggle: HTMLButtonElement;
  /** Hidden until the table's view arrives: the export needs its code. */
  report: HTMLButtonElement;
  joinImg: HTMLImageElement;
  joinLink: HTMLAnchorElement;
  card: TableCard | null;
}

export function showClassroom(root: HTMLElement, tokens: string[]): () => void {
  document.title = `Hotline: class of ${tokens.length} tables`;
  const status = h('p', { class: 'class-status', role: 'status' });
  const bulkButtons = BULK.map((b) => {
    const button = h('button', { type: 'button' }, b.button);
    button.addEventListener('click', () => void runBulk(b, button));
    return button;
  });
  const tables: TableParts[] = tokens.map((token, i) => tableParts(token, `Table ${i + 1}`));
  const summary = h('p', { class: 'class-summary' });
  const comparison = h('div', { class: 'class-comparison' });
  const chartsEl = h('div', { class: 'class-charts' });
  const momentsEl = h('div', { class: 'class-moments' });
  const csvButton = h('button', { type: 'button' }, 'Download the comparison (CSV)');
  csvButton.addEventListener('click', () => {
    const tablesNow = tables.map((t) => ({ label: t.label, view: t.session.view }));
    const url = URL.createObjectURL(new Blob([comparisonCsv(tablesNow)], { type: 'text/csv' }));
    const a = h('a', { href: url, download: 'hotline-class-comparison.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
  root.append(
    h(
      'main',
      { class: 'classroom', 'aria-labelledby': 'class-title' },
      h('h1', { id: 'class-title' }, `Class: ${tokens.length} tables`),
      h(
        'p',
        { class: 'muted' },
        'Each table is a game of its own. Give each group its table’s code (or its QR code); open a table’s ' +
          'console to run it closely. Keep this page’s address private: it opens the console of every table.',
      ),
      h(
        'section',
        { class: 'card class-bulk', 'aria-labelledby': 'bulk-title' },
        h('h2', { id: 'bulk-title' }, 'All tables at once'),
        h('div', { class: 'class-bulk-buttons' }, bulkButtons),
        status,
      ),
      h(
        'section',
        { 'aria-labelledby': 'tables-title' },
        h('h2', { id: 'tables-title' }, 'Tables'),
        h(
          'div',
          { class: 'class-tables' },
          tables.map((t) => t.el),
        ),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'compare-title' },
        h('h2', { id: 'compare-title' }, 'How the tables compare'),
        summary,
        comparison,
        chartsEl,
        csvButton,
        h('h3', { class: 'class-moments-title' }, 'What happened at each table'),
        momentsEl,
      ),
    ),
  );

  function tableParts(token: string, label: string): TableParts {
    const session = new Session(token);
    const code = h('span', { class: 'table-code-value' });
    const note = h('p', { class: 'table-note', role: 'status' });
    const stage = h('p', { class: 'table-stage' }, 'Connecting…');
    const body = h('div', { class: 'table-body' });
    const toggle = h('button', { type: 'button', hidden: true }, '');
    const report = h('button', { type: 'button', hidden: true }, `Download the report of ${label}`);
    const joinImg = h('img', {
      class: 'qr',
      width: 160,
      height: 160,
      alt: `QR code of ${label}’s join link`,
    });
    const joinLink = h('a', { class: 'join-link' });
    const parts: TableParts = {
      session,
      label,
      code,
      note,
      stage,
      body,
      toggle,
      report,
      joinImg,
      joinLink,
      card: null,
      el: h(
        'article',
        { class: 'card table-card', 'aria-labelledby': `${label.replace(' ', '-')}-title` },
        h('h3', { id: `${label.replace(' ', '-')}-title`, tabindex: -1 }, label),
        h('p', { class: 'table-code' }, h('span', { class: 'visually-hidden' }, 'Room code '), code),
        stage,
        body,
        h(
          'div',
          { class: 'table-actions' },
          h(
            'a',
            { href: seatHash(token), target: '_blank', rel: 'noopener' },
            `Open the console of ${label}`,
          ),
          toggle,
          report,
        ),
        note,
        h(
          'details',
          { class: 'table-join' },
          h('summary', null, `Join link and QR code of ${label}`),
          h('p', null, joinLink),
          joinImg,
        ),
      ),
    };
    toggle.addEventListener('click', () => void runOne(parts));
    report.addEventListener('click', async () => {
      const c = parts.card;
      if (!c) return;
      if (!busy.claim(report)) return;
      const why = await downloadExport(c.code, token, 'md', `hotline-${c.code}-report.md`);
      busy.release(report);
      note.textContent = why ? `The report could not be downloaded: ${why}` : '';
    });
    session.subscribe(schedule);
    return parts;
  }

  /**
   * A button whose command is on its way says so (aria-disabled) instead of being disabled: a
   * disabled button loses focus, and a keyboard user would land at the top of the page.
   */
  const busy = {
    claim(b: HTMLButtonElement): boolean {
      if (b.getAttribute('aria-disabled') === 'true') return false;
      b.setAttribute('aria-disabled', 'true');
      return true;
    },
    release(b: HTMLButtonElement): void {
      b.removeAttribute('aria-disabled');
    },
  };

  /** A refusal in words; a command that never left this page says so plainly. */
  function refusal(a: { code: string; message: string }): string {
    return a.code === 'internal' && /not connected/.test(a.message)
      ? 'not sent: this page is not connected to that table just now; try again in a moment'
      : a.message;
  }

  /** The one command a table's own button offers: start it, pause it or resume it. */
  function oneCommand(
    c: TableCard,
  ): { name: 'fac:start' | 'fac:pause' | 'fac:resume'; label: string; done: string } | null {
    if (c.inLobby) return { name: 'fac:start', label: 'Start', done: 'started' };
    if (!running(c)) return null;
    return c.paused
      ? { name: 'fac:resume', label: 'Resume', done: 'resumed' }
      : { name: 'fac:pause', label: 'Pause', done: 'paused' };
  }

  async function runOne(t: TableParts): Promise<void> {
    const c = t.card;
    const cmd = c && oneCommand(c);
    if (!cmd) return;
    if (!busy.claim(t.toggle)) return;
    const ack = await t.session.send(cmd.name, {});
    busy.release(t.toggle);
    const warnings = ack.ok && cmd.name === 'fac:start' ? c.attention : [];
    t.note.textContent = ack.ok
      ? [`${t.label} ${cmd.done}.`, ...warnings].join(' ')
      : `${t.label}: ${refusal(ack)}`;
  }

  async function runBulk(b: Bulk, button: HTMLButtonElement): Promise<void> {
    const targets = tables.filter((t) => t.card && b.applies(t.card));
    if (!targets.length) {
      status.textContent = b.none;
      return;
    }
    if (!busy.claim(button)) return;
    const payload = (b.command === 'fac:extend' ? { seconds: 60 } : {}) as never;
    const acks = await Promise.all(targets.map((t) => t.session.send(b.command as CommandName, payload)));
    busy.release(button);
    const lines: string[] = [];
    targets.forEach((t, i) => {
      const a = acks[i];
      if (a && !a.ok) lines.push(`${t.label}: ${refusal(a)}`);
      // A table started without a team plays that side's deadline default: the teacher should know.
      else if (b.command === 'fac:start' && t.card?.attention.length)
        lines.push(`${t.label}: ${t.card.attention.join(' ')}`);
    });
    const ok = acks.filter((a) => a.ok).length;
    status.textContent = [ok ? b.done(ok) : '', ...lines].filter(Boolean).join(' ');
  }

  let due = 0;
  function schedule(): void {
    if (!due) due = requestAnimationFrame(render);
  }

  let shownRows = '';
  let shownCharts = '';
  let shownMoments = '';
  let saved = false;
  function render(): void {
    due = 0;
    const now = Date.now();
    for (const t of tables) renderTable(t, now);
    const classTables: ClassTable[] = tables.map((t) => ({ label: t.label, view: t.session.view }));
    summary.textContent = divergenceSummary(classTables);
    // Remembered with its codes once every table has answered, for the start page's list.
    if (!saved && classTables.every((t) => t.view)) {
      saved = true;
      saveClass({ tokens, codes: classTables.map((t) => t.view?.code ?? ''), savedAt: Date.now() });
    }
    // Each part is rebuilt only when what it shows changed: the table when a row's text does,
    // the charts when a round is added. An open "Show as table" stays open while clocks tick and
    // people come and go, and focus in the table's region stays there.
    const rows = comparisonRows(classTables);
    const rowsKey = JSON.stringify(rows);
    if (rowsKey !== shownRows) {
      shownRows = rowsKey;
      renderRows(rows);
    }
    const moments = classTables.map((t) => (t.view ? turningPoints(t.view) : null));
    const momentsKey = JSON.stringify(moments);
    if (momentsKey !== shownMoments) {
      shownMoments = momentsKey;
      renderMoments(classTables, moments);
    }
    const chartsKey = classTables.map((t) => t.view?.game.truth?.history.metrics.length ?? -1).join('|');
    if (chartsKey !== shownCharts) {
      shownCharts = chartsKey;
      renderCharts(classTables);
    }
  }

  function renderTable(t: TableParts, now: number): void {
    const v = t.session.view;
    if (!v) {
      t.stage.textContent =
        t.session.status === 'refused'
          ? `This link no longer opens ${t.label}: ${t.session.message ?? 'unknown seat'}.`
          : 'Connecting…';
      return;
    }
    const c = tableCard(t.label, v, now);
    t.card = c;
    const offline = t.session.status !== 'online' ? ' · reconnecting…' : '';
    t.code.textContent = c.code;
    // A refusal for want of a connection is stale once the table is back.
    if (t.session.status === 'online' && t.note.textContent?.includes('not sent')) t.note.textContent = '';
    t.stage.textContent = `${c.stage}${c.clock ? ` · ${c.clock}` : ''}${offline}`;
    if (!t.joinImg.src) {
      t.joinImg.src = `/api/games/${c.code}/qr.svg`;
      // The server knows the address players reach it by (PUBLIC_URL), which may not be this page's.
      const show = (url: string) => {
        t.joinLink.href = url;
        t.joinLink.textContent = url;
      };
      show(`${location.origin}/#/join/${c.code}`);
      gameInfo(c.code).then(
        (info) => show(info.joinLink),
        () => {},
      );
    }
    replaceChildren(
      t.body,
      c.attention.length
        ? h(
            'ul',
            { class: 'table-attention' },
            c.attention.map((a) => h('li', null, a)),
          )
        : null,
      c.outcome ? h('p', { class: 'table-outcome' }, h('strong', null, 'Outcome: '), c.outcome) : null,
      h(
        'dl',
        { class: 'table-facts' },
        c.teams.flatMap((team) => [
          h('dt', null, team.label),
          h(
            'dd',
            null,
            team.people,
            h('span', { class: 'muted' }, ` — ${team.presence}${team.activity ? `, ${team.activity}` : ''}`),
          ),
        ]),
        c.observers ? [h('dt', null, 'Observers'), h('dd', null, String(c.observers))] : null,
        c.numbers.flatMap((n) => [h('dt', null, n.label), h('dd', null, n.value)]),
      ),
    );
    t.report.hidden = false;
    const cmd = oneCommand(c);
    // A focused button about to vanish (its table has ended) hands focus to the table's heading.
    if (cmd === null && document.activeElement === t.toggle) t.el.querySelector<HTMLElement>('h3')?.focus();
    t.toggle.hidden = cmd === null;
    if (cmd) t.toggle.textContent = `${cmd.label} ${t.label}`;
  }

  function renderRows(rows: ComparisonRow[]): void {
    replaceChildren(
      comparison,
      h(
        'div',
        {
          class: 'class-table-wrap',
          role: 'region',
          tabindex: 0,
          'aria-labelledby': 'compare-caption',
          'data-key': 'compare-region',
        },
        h(
          'table',
          { class: 'class-compare' },
          h('caption', { id: 'compare-caption' }, 'The tables side by side'),
          tableHead(...COMPARISON_COLUMNS),
          h(
            'tbody',
            null,
            rows.map((r) =>
              h(
                'tr',
                null,
                comparisonCells(r).map((x, i) => (i === 0 ? h('th', { scope: 'row' }, x) : h('td', null, x))),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function renderMoments(classTables: ClassTable[], moments: (TurningPoint[] | null)[]): void {
    replaceChildren(
      momentsEl,
      classTables.map((t, i) => {
        const list = moments[i];
        return h(
          'details',
          { class: 'table-moments', open: true, 'data-key': `moments-${i}` },
          h('summary', null, t.view ? `${t.label} (${t.view.code})` : t.label),
          !list
            ? h('p', { class: 'muted' }, 'Not connected yet.')
            : list.length === 0
              ? h(
                  'p',
                  { class: 'muted' },
                  t.view?.game.public.outcome
                    ? 'No event, agreement or breach in this game.'
                    : 'Nothing yet: no event, agreement or breach so far.',
                )
              : h(
                  'ol',
                  null,
                  list.map((m) => h('li', null, h('strong', null, `Round ${m.round}: `), m.text)),
                ),
        );
      }),
    );
  }

  function renderCharts(classTables: ClassTable[]): void {
    const played = classTables.some((t) => (t.view?.game.truth?.history.metrics.length ?? 0) > 0);
    const charts = comparisonCharts(classTables);
    replaceChildren(
      chartsEl,
      played
        ? [lineChart(charts.risk), lineChart(charts.lead)]
        : h('p', { class: 'muted' }, 'The charts appear once a table has played its first round.'),
    );
  }

  // Clocks count down between updates; whole minutes are enough here, as on the board.
  const tick = setInterval(schedule, 5_000);
  render();
  return () => {
    clearInterval(tick);
    if (due) cancelAnimationFrame(due);
    for (const t of tables) t.session.close();
  };
}
