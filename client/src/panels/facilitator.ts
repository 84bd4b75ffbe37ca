import type { CommandName, CommandPayload } from '../../../shared/protocol/events.ts';
import type { ClientView, SeatInfo } from '../../../shared/protocol/room.ts';
import { SIDES, type Side } from '../../../shared/rules/ids.ts';
import { announce, h, replaceChildren, tableHead } from '../dom.ts';
import { formatNumber } from '../model/chart-scale.ts';
import {
  type Adjustable,
  adjustables,
  type BeliefCell,
  botChoices,
  injectableEvents,
  injectedEvent,
  seatsOf,
  type TeamStatus,
  teamStatus,
  truthTable,
} from '../model/facilitator-model.ts';
import { phaseLabel, seatName } from '../model/labels.ts';
import { createForkForm } from './fork-form.ts';
import type { Panel, PanelContext } from './panel.ts';
import { SeatRemoval } from './seat-removal.ts';
import './facilitator.css';

/**
 * The White Cell's console: every facilitator command, the true state beside what each side
 * believes, and where each team stands. Inputs are built once and kept across updates, so a view
 * arriving mid-typing never wipes what the facilitator is writing.
 */
const SIDE_NAME: Record<Side, string> = { us: 'US', china: 'China' };
const MAX_EXTEND_MINUTES = 7 * 24 * 60;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function beliefCell(c: BeliefCell): HTMLTableCellElement {
  if (c.kind === 'own') return h('td', { class: 'muted' }, 'Own value');
  return h(
    'td',
    null,
    c.text,
    ' ',
    h(
      'span',
      { 'aria-hidden': 'true', class: c.inRange ? 'in-range' : 'out-of-range' },
      c.inRange ? '✔' : '✘',
    ),
    h('span', { class: 'visually-hidden' }, c.inRange ? '(true value inside)' : '(true value outside)'),
  );
}

/** What a seat's line in the console can do. */
interface SeatActions {
  ended: boolean;
  makeLead: (seat: SeatInfo) => void;
  removal: SeatRemoval;
}

function seatLine(s: SeatInfo, a: SeatActions, canLead: boolean): HTMLElement {
  const lead = h('button', { type: 'button' }, `Make ${s.name} lead`);
  lead.addEventListener('click', () => a.makeLead(s));
  return h(
    'li',
    null,
    seatName(s),
    s.lead ? ' (lead)' : '',
    h('span', { class: 'muted' }, s.connected ? ' — online' : ' — offline'),
    a.ended || !canLead || s.lead ? null : ' ',
    a.ended || !canLead || s.lead ? null : lead,
    a.ended ? null : a.removal.controls(s),
  );
}

function teamCard(t: TeamStatus, crisis: boolean, a: SeatActions): HTMLElement {
  const id = `fac-team-${t.side}`;
  return h(
    'section',
    { class: `fac-team side-${t.side}`, 'aria-labelledby': id },
    h('h4', { id }, `${t.label} team`, t.bot ? h('span', { class: 'badge' }, `bot: ${t.bot}`) : null),
    h('p', null, `Connected: ${t.connected} of ${t.seats.length} seat${t.seats.length === 1 ? '' : 's'}`),
    t.seats.length
      ? h(
          'ul',
          { class: 'fac-seats' },
          t.seats.map((s) => seatLine(s, a, true)),
        )
      : null,
    h('p', null, h('strong', null, 'Orders: '), t.locked ? '✔ locked' : '✘ not locked'),
    crisis
      ? h('p', null, h('strong', null, 'Crisis answer: '), t.crisisAnswered ? '✔ given' : '✘ not yet')
      : null,
    t.draft
      ? [
          h(
            'p',
            null,
            h('strong', null, `Draft (version ${t.draft.version})`),
            t.draft.orders.length ? ':' : ': empty',
          ),
          t.draft.orders.length
            ? h(
                'ol',
                { class: 'fac-draft' },
                t.draft.orders.map((o) => h('li', null, o)),
              )
            : null,
          h('p', null, h('strong', null, 'Forecast of the other side: '), t.forecast ?? 'none this round'),
        ]
      : null,
    t.forecastRecord ? h('p', null, h('strong', null, 'Forecasts so far: '), t.forecastRecord) : null,
  );
}

function optionsKey(sel: HTMLSelectElement): string {
  return [...sel.options].map((o) => o.value).join('|');
}

export function createFacilitatorPanel(ctx: PanelContext): Panel {
  const error = h('div', { class: 'error fac-error', role: 'alert' });
  const fork = createForkForm(ctx.session.token);
  const busy = new Set<string>();
  const removal = new SeatRemoval(
    (s) =>
      void run(
        `Remove ${s.name}`,
        'fac:removeSeat',
        { seatId: s.id },
        `${s.name} was removed from the game.`,
      ),
    () => {
      if (ctx.session.view) update(ctx.session.view);
    },
  );

  /** Sends a command; its error goes to the alert region, its success to the screen-reader announcer. */
  async function run<K extends CommandName>(
    what: string,
    name: K,
    payload: CommandPayload<K>,
    done: string,
  ): Promise<boolean> {
    if (busy.has(name)) return false;
    busy.add(name);
    try {
      const ack = await ctx.session.send(name, payload);
      if (!ack.ok) {
        error.textContent = `${what}: ${ack.message}`;
        return false;
      }
      error.textContent = '';
      announce(done);
      return true;
    } finally {
      busy.delete(name);
    }
  }
  const fail = (text: string) => {
    error.textContent = text;
  };

  // Clock and phase.
  const status = h('p', { class: 'fac-status' });
  const pauseBtn = h('button', { type: 'button', class: 'primary' }, 'Pause');
  pauseBtn.addEventListener('click', () => {
    const paused = ctx.session.view?.paused ?? false;
    void (paused
      ? run('Resume', 'fac:resume', {}, 'Game resumed.')
      : run('Pause', 'fac:pause', {}, 'Game paused.'));
  });
  const advanceBtn = h('button', { type: 'button' }, 'Advance phase');
  advanceBtn.addEventListener('click', () => {
    const v = ctx.session.view;
    // Says which phase it ends, so a second click (or another tab) cannot skip the next one.
    const from = v ? { from: { phase: v.phase, round: v.round } } : {};
    void run('Advance phase', 'fac:advance', from, 'Moved on to the next phase.');
  });

  const minutes = h('input', {
    id: 'fac-minutes',
    type: 'number',
    min: 1,
    max: MAX_EXTEND_MINUTES,
    step: 'any',
    value: 5,
    inputmode: 'decimal',
    'data-key': 'fac-minutes',
  });
  const extendBtn = h('button', { type: 'submit' }, 'Extend clock');
  const extendForm = h(
    'form',
    { class: 'fac-inline', novalidate: true },
    h('div', null, h('label', { for: 'fac-minutes' }, 'Minutes to add'), minutes),
    extendBtn,
  );
  extendForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = Number(minutes.value);
    const seconds = Math.round(m * 60);
    if (!Number.isFinite(m) || seconds < 1 || m > MAX_EXTEND_MINUTES)
      return fail(`Extend clock: give a number of minutes between 1 and ${MAX_EXTEND_MINUTES}.`);
    void run(
      'Extend clock',
      'fac:extend',
      { seconds },
      `Clock extended by ${formatNumber(m, m % 1 ? 1 : 0)} minutes.`,
    );
  });

  // Ending needs a second, deliberate press; no window.confirm, which screen readers handle badly.
  const endBtn = h('button', { type: 'button', class: 'danger' }, 'End game');
  const confirmBtn = h('button', { type: 'button', class: 'danger primary' }, 'Yes, end the game now');
  const cancelBtn = h('button', { type: 'button' }, 'Cancel');
  const confirmBox = h(
    'div',
    { class: 'fac-confirm', hidden: true },
    h('p', null, 'End the game now? The outcome is judged on the state as it stands.'),
    confirmBtn,
    cancelBtn,
  );
  const closeConfirm = (focusEnd: boolean) => {
    confirmBox.hidden = true;
    if (focusEnd) endBtn.focus();
  };
  endBtn.addEventListener('click', () => {
    confirmBox.hidden = false;
    confirmBtn.focus();
  });
  cancelBtn.addEventListener('click', () => closeConfirm(true));
  confirmBtn.addEventListener('click', async () => {
    if (await run('End game', 'fac:end', {}, 'The game has ended.')) closeConfirm(false);
  });

  // Broadcast.
  const message = h('textarea', {
    id: 'fac-broadcast',
    rows: 2,
    maxlength: 1000,
    'data-key': 'fac-broadcast',
  });
  const broadcastForm = h(
    'form',
    { novalidate: true },
    h('label', { for: 'fac-broadcast' }, 'Message to everyone'),
    message,
    h('div', null, h('button', { type: 'submit' }, 'Broadcast')),
  );
  broadcastForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = message.value.trim();
    if (!text) return fail('Broadcast: write a message first.');
    if (await run('Broadcast', 'fac:broadcast', { text }, 'Message sent to everyone.')) message.value = '';
  });

  // Inject an event.
  const eventSelect = h('select', {
    id: 'fac-event',
    'aria-describedby': 'fac-event-summary',
    'data-key': 'fac-event',
  });
  const eventSummary = h('p', { id: 'fac-event-summary', class: 'muted' });
  const queued = h('p', { class: 'fac-queued' });
  const describeEvent = () => {
    const v = ctx.session.view;
    const e = v ? injectableEvents(v).find((x) => x.id === eventSelect.value) : undefined;
    eventSummary.textContent = e?.summary ?? '';
  };
  eventSelect.addEventListener('change', describeEvent);
  const injectForm = h(
    'form',
    { novalidate: true },
    h('label', { for: 'fac-event' }, 'Event to inject'),
    eventSelect,
    eventSummary,
    h('button', { type: 'submit' }, 'Inject event'),
    queued,
  );
  injectForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const title = eventSelect.selectedOptions[0]?.textContent ?? eventSelect.value;
    if (!eventSelect.value) return fail('Inject event: choose an event.');
    void run(
      'Inject event',
      'fac:inject',
      { eventId: eventSelect.value },
      `${title} will happen when this round’s orders are resolved (the next round’s, if sent during a crisis or the summary).`,
    );
  });

  // Adjust a variable.
  let vars: Adjustable[] = [];
  let valueEdited = false;
  const varSelect = h('select', { id: 'fac-variable', 'data-key': 'fac-variable' });
  const valueInput = h('input', {
    id: 'fac-value',
    type: 'number',
    step: 'any',
    inputmode: 'decimal',
    'aria-describedby': 'fac-value-range',
    'data-key': 'fac-value',
  });
  const range = h('p', { id: 'fac-value-range', class: 'muted' });
  const note = h('input', {
    id: 'fac-note',
    type: 'text',
    required: true,
    maxlength: 1000,
    'data-key': 'fac-note',
  });
  const current = () => vars.find((x) => x.variable === varSelect.value);
  const showVariable = (prefill: boolean) => {
    const a = current();
    if (!a) return;
    const f = (x: number) => formatNumber(x, a.digits).replace('−', '-');
    valueInput.min = String(a.min);
    valueInput.max = String(a.max);
    range.textContent = `Allowed from ${formatNumber(a.min, a.digits)} to ${formatNumber(a.max, a.digits)}; now ${formatNumber(a.value, a.digits)}.`;
    if (prefill) valueInput.value = f(a.value);
  };
  varSelect.addEventListener('change', () => {
    valueEdited = false;
    showVariable(true);
  });
  valueInput.addEventListener('input', () => {
    valueEdited = true;
  });
  const adjustForm = h(
    'form',
    { novalidate: true },
    h('label', { for: 'fac-variable' }, 'Variable'),
    varSelect,
    h('label', { for: 'fac-value' }, 'New value'),
    valueInput,
    range,
    h('label', { for: 'fac-note' }, 'Note for the report'),
    note,
    h('div', null, h('button', { type: 'submit' }, 'Apply adjustment')),
  );
  adjustForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const a = current();
    const value = Number(valueInput.value);
    if (!a) return fail('Apply adjustment: choose a variable.');
    if (valueInput.value.trim() === '' || !Number.isFinite(value) || value < a.min || value > a.max)
      return fail(`Apply adjustment: the new value must be between ${a.min} and ${a.max}.`);
    const text = note.value.trim();
    if (!text) {
      note.focus();
      return fail('Apply adjustment: say why in the note; it goes into the after-action report.');
    }
    if (
      await run(
        'Apply adjustment',
        'fac:adjust',
        { variable: a.variable, value, note: text },
        `${capitalise(a.label)} set to ${value}.`,
      )
    ) {
      note.value = '';
      valueEdited = false;
    }
  });

  // Bots.
  const botSelects = {} as Record<Side, HTMLSelectElement>;
  const botEdited: Record<Side, boolean> = { us: false, china: false };
  const botForms = SIDES.map((side) => {
    const id = `fac-bot-${side}`;
    const sel = h(
      'select',
      { id, 'data-key': id },
      botChoices(side).map((b) => h('option', { value: b.id ?? '' }, b.label)),
    );
    sel.addEventListener('change', () => {
      botEdited[side] = true;
    });
    botSelects[side] = sel;
    const form = h(
      'form',
      { class: 'fac-inline', novalidate: true },
      h('div', null, h('label', { for: id }, `${SIDE_NAME[side]} bot`), sel),
      h('button', { type: 'submit' }, `Set ${SIDE_NAME[side]} bot`),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const bot = sel.value || null;
      const label = sel.selectedOptions[0]?.textContent ?? '';
      const done = bot
        ? `${label} now plays the ${SIDE_NAME[side]} side.`
        : `Humans play the ${SIDE_NAME[side]} side.`;
      if (await run(`Set ${SIDE_NAME[side]} bot`, 'fac:setBot', { side, bot }, done)) botEdited[side] = false;
    });
    return form;
  });

  // The truth beside the beliefs, and the teams.
  const truthBody = h('tbody');
  const truthTableEl = h(
    'table',
    { class: 'fac-truth' },
    h('caption', null, 'True values and what each side believes'),
    tableHead('Variable', 'True value', 'US estimate', 'China estimate'),
    truthBody,
  );
  const teams = h('div', { class: 'fac-teams' });

  const section = (id: string, title: string, ...body: (Node | null)[]) =>
    h('section', { class: 'fac-section card', 'aria-labelledby': id }, h('h3', { id }, title), body);

  const el = h(
    'section',
    { class: 'fac', 'aria-labelledby': 'fac-title' },
    h('h2', { id: 'fac-title' }, 'Facilitator console'),
    status,
    error,
    h(
      'div',
      { class: 'fac-grid' },
      section(
        'fac-controls',
        'Game controls',
        h('div', { class: 'fac-buttons' }, pauseBtn, advanceBtn, endBtn),
        confirmBox,
        extendForm,
      ),
      section('fac-broadcast-h', 'Broadcast', broadcastForm),
      section('fac-inject-h', 'Inject an event', injectForm),
      section('fac-adjust-h', 'Adjust the state', adjustForm),
      section('fac-bots-h', 'Bots', ...botForms),
    ),
    section(
      'fac-truth-h',
      'Truth and beliefs',
      h(
        'div',
        { class: 'fac-table-wrap', role: 'region', tabindex: 0, 'aria-label': 'True values table' },
        truthTableEl,
      ),
      h(
        'p',
        { class: 'muted' },
        'Own value: the side knows its own number. ✔ the true value lies inside the estimate’s error bar; ✘ it lies outside.',
      ),
    ),
    section('fac-teams-h', 'Teams', teams),
    section('fac-fork-h', 'Fork this game', fork.el),
  );

  function update(v: ClientView): void {
    fork.update(v);
    const runs = v.phase !== 'lobby' && v.phase !== 'ended';
    pauseBtn.textContent = v.paused ? 'Resume' : 'Pause';
    pauseBtn.disabled = !runs && !v.paused;
    advanceBtn.disabled = !runs;
    endBtn.disabled = v.phase === 'ended';
    if (v.phase === 'ended') confirmBox.hidden = true;
    extendBtn.disabled = v.deadline === null && !v.paused;
    const clock = v.paused ? 'paused' : v.deadline === null ? 'no clock running' : 'clock running';
    status.textContent = `Round ${v.round} of ${v.settings.rounds}. Phase: ${phaseLabel(v.phase)}, ${clock}.`;

    const events = injectableEvents(v);
    if (events.map((e) => e.id).join('|') !== optionsKey(eventSelect)) {
      const keep = eventSelect.value;
      eventSelect.replaceChildren(...events.map((e) => h('option', { value: e.id }, e.title)));
      if (events.some((e) => e.id === keep)) eventSelect.value = keep;
      describeEvent();
    }
    const q = injectedEvent(v);
    queued.textContent = q ? `Queued for the next resolution of orders: ${q.title}.` : '';

    vars = adjustables(v);
    if (vars.map((a) => a.variable).join('|') !== optionsKey(varSelect)) {
      const keep = varSelect.value;
      const groups: [string, (a: Adjustable) => boolean][] = [
        ['Shared', (a) => !a.variable.includes('.')],
        ['Loopholes', (a) => a.variable.startsWith('loophole.')],
        ['US', (a) => a.variable.startsWith('us.')],
        ['China', (a) => a.variable.startsWith('china.')],
      ];
      varSelect.replaceChildren(
        ...groups.map(([label, test]) =>
          h(
            'optgroup',
            { label },
            vars.filter(test).map((a) => h('option', { value: a.variable }, capitalise(a.label))),
          ),
        ),
      );
      if (vars.some((a) => a.variable === keep)) varSelect.value = keep;
    }
    showVariable(!valueEdited && document.activeElement !== valueInput);

    for (const side of SIDES) {
      const sel = botSelects[side];
      if (!botEdited[side] && document.activeElement !== sel) sel.value = v.settings.bots[side] ?? '';
      sel.disabled = v.phase === 'ended';
    }

    replaceChildren(
      truthBody,
      truthTable(v).map((r) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, r.label),
          h('td', null, r.truthText),
          beliefCell(r.us),
          beliefCell(r.china),
        ),
      ),
    );
    const observers = seatsOf(v, 'observer');
    const crisis = v.phase === 'crisis';
    removal.sync(v.seats);
    const actions = (label: string): SeatActions => ({
      ended: v.phase === 'ended',
      removal,
      makeLead: (s) =>
        void run(
          `Make ${s.name} lead`,
          'fac:setLead',
          { seatId: s.id },
          `${s.name} now leads the ${label} team.`,
        ),
    });
    replaceChildren(
      teams,
      teamStatus(v).map((t) => teamCard(t, crisis, actions(t.label))),
      h(
        'p',
        null,
        `Observers: ${observers.filter((s) => s.connected).length} online of ${observers.length}.`,
      ),
      observers.length
        ? h(
            'ul',
            { class: 'fac-seats', 'aria-label': 'Observers' },
            observers.map((s) => seatLine(s, actions('observer'), false)),
          )
        : null,
    );
  }

  if (ctx.session.view) update(ctx.session.view);
  return {
    el,
    update,
    destroy() {
      el.remove();
    },
  };
}
