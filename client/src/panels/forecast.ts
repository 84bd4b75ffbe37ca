import type { ClientView } from '../../../shared/protocol/room.ts';
import { THE_SIDE } from '../../../shared/rules/explain.ts';
import { MAX_FORECAST_MOVES, moveNames } from '../../../shared/rules/forecast.ts';
import { otherSide, type Side } from '../../../shared/rules/ids.ts';
import { announce, h, replaceChildren } from '../dom.ts';
import { forecastChoices, latestOwnScore, moveName, scoreSentence } from '../model/forecast-model.ts';
import { canEditDraft, DRAFT_PHASES, seatName, TRACK_LABELS } from '../model/orders-model.ts';
import type { DraftEditor } from './orders.ts';

let uid = 0;

/**
 * The team's private forecast of the other side's moves, inside the orders panel: a tick per
 * move of the other side while the draft is open, the forecast's score once the orders are
 * revealed. Edits go through the draft's editor, since the forecast shares the draft's version.
 */
export function createForecastSection(editor: DraftEditor): {
  el: HTMLElement;
  update(v: ClientView): void;
} {
  const n = ++uid;
  const headingId = `forecast-h-${n}`;
  const heading = h('h3', { id: headingId });
  const intro = h('p', { class: 'muted' });
  const state = h('p', { class: 'forecast-state' });
  const body = h('div', { class: 'forecast-body' });
  // Closed at first: the other side's whole catalogue would push the team's own moves far down.
  const choose = h('details', { class: 'forecast-choose' }, h('summary', null, 'Choose the moves'), body);
  const error = h('p', { class: 'error', role: 'alert' });
  const result = h('p', { class: 'forecast-result' });
  const el = h(
    'section',
    { class: 'orders-forecast', 'aria-labelledby': headingId },
    heading,
    intro,
    state,
    choose,
    error,
    result,
  );
  const boxes = new Map<string, HTMLInputElement>();
  // Ticks on their way to the server: shown as ticked (or not) until the view says so.
  const pending = new Map<string, boolean>();
  let builtFor: Side | null = null;
  let view: ClientView | null = null;
  let last: string[] | null = null;

  const build = (side: Side) => {
    builtFor = side;
    boxes.clear();
    body.replaceChildren(
      ...forecastChoices(side).map((group) =>
        h(
          'fieldset',
          { class: 'forecast-track' },
          h('legend', null, TRACK_LABELS[group.track]),
          group.moves.map((m) => {
            const id = `forecast-${n}-${m.id}`;
            const box = h('input', { type: 'checkbox', id, 'data-key': `forecast-${m.id}` });
            box.addEventListener('change', () => void toggle(m.id, box.checked));
            boxes.set(m.id, box);
            return h(
              'div',
              { class: 'forecast-choice' },
              box,
              h(
                'label',
                { for: id },
                m.name,
                m.covert ? [' ', h('span', { class: 'badge secret' }, 'Secret during play')] : null,
              ),
            );
          }),
        ),
      ),
    );
  };

  const toggle = async (move: string, on: boolean) => {
    pending.set(move, on);
    error.textContent = '';
    const err = await editor.edit({ kind: 'forecast', move, on });
    pending.delete(move);
    if (err) error.textContent = err;
    if (view) render(view);
  };

  const announceTeammate = (v: ClientView, now: string[]) => {
    const d = v.draft;
    if (last && d?.forecastBy && d.forecastBy !== v.you.seatId && now.join() !== last.join()) {
      const added = now.filter((m) => !last?.includes(m)).map(moveName);
      const removed = last.filter((m) => !now.includes(m)).map(moveName);
      const what = [...added.map((n) => `added ${n}`), ...removed.map((n) => `took out ${n}`)];
      announce(`${seatName(v, d.forecastBy)} changed the forecast: ${what.join('; ')}.`);
    }
    last = now;
  };

  const render = (v: ClientView) => {
    view = v;
    const side = v.game.own?.side ?? null;
    el.hidden = !side || v.phase === 'lobby' || !!(side && v.settings.bots[side]);
    if (!side || el.hidden) return;
    const other = THE_SIDE[otherSide(side)];
    heading.textContent = `Your forecast of ${other}’s moves`;
    const drafting = DRAFT_PHASES.includes(v.phase);
    choose.hidden = state.hidden = !drafting;
    result.hidden = drafting;
    if (!drafting) {
      intro.textContent = `Private to your team until the debrief, which scores both teams’ forecasts.`;
      const round = v.game.log.public[v.game.log.public.length - 1]?.round;
      const score = latestOwnScore(v, side);
      const text = score
        ? `Round ${score.round}: ${scoreSentence(score, true, v.game.truth !== null)}`
        : round
          ? `Your team made no forecast for round ${round}.`
          : '';
      // Said once when the round is revealed, not again at each later view.
      if (text && text !== result.textContent) announce(`Your forecast: ${text}`);
      result.textContent = text;
      return;
    }
    intro.textContent = `Which moves do you expect ${other} to make this round? Tick up to ${MAX_FORECAST_MOVES}. Only your team and the White Cell see it until the debrief. It locks with your orders, and after the reveal it is scored: the moves you named that ${other} made, over all the moves you named or ${other} made.`;
    if (builtFor !== side) build(side);
    const now = v.draft?.forecast ?? [];
    announceTeammate(v, now);
    const editable = canEditDraft(v);
    let count = 0;
    for (const [id, box] of boxes) {
      box.checked = pending.get(id) ?? now.includes(id);
      if (box.checked) count++;
    }
    for (const box of boxes.values())
      box.disabled = !editable || (!box.checked && count >= MAX_FORECAST_MOVES);
    for (const box of boxes.values())
      box.closest('.forecast-choice')?.classList.toggle('is-off', box.disabled);
    const by =
      v.draft?.forecastBy && now.length ? ` Last changed by ${seatName(v, v.draft.forecastBy)}.` : '';
    const why = v.draft?.locked
      ? ` Locked with the orders by ${seatName(v, v.draft.lockedBy)}; the lead can unlock both.`
      : editable && count >= MAX_FORECAST_MOVES
        ? ` That is the most a forecast can name: untick one to name another.`
        : '';
    // Listed as the ticks are, track by track.
    const order = [...boxes.keys()];
    const listed = [...now].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    replaceChildren(
      state,
      now.length
        ? `Your team expects ${now.length === 1 ? 'one move' : `${now.length} moves`}: ${moveNames(listed)}.${by}${why}`
        : `No forecast yet: a round without one is not scored.${why}`,
    );
  };

  return { el, update: render };
}
