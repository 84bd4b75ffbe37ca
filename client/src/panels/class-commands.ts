import type { CommandName } from '../../../shared/protocol/events.ts';
import { MAX_CHAT_LENGTH } from '../../../shared/protocol/room.ts';
import { EVENT_DECK } from '../../../shared/rules/events.ts';
import { h, lengthHint } from '../dom.ts';
import type { TableCard } from '../model/class-model.ts';
import { NOT_SENT_OFFLINE, type Session } from '../net/session.ts';

/** What the class page's commands need of a table: its name, its connection, where it stands. */
export interface CommandTable {
  readonly label: string;
  readonly session: Session;
  /** Null until the table's first view arrives. */
  readonly card: TableCard | null;
}

export const tablesWord = (n: number) => (n === 1 ? '1 table' : `${n} tables`);
export const running = (c: TableCard) => !c.inLobby && !c.ended;

/**
 * A button whose command is on its way says so (aria-disabled) instead of being disabled: a
 * disabled button loses focus, and a keyboard user would land at the top of the page.
 */
export const busy = {
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
export function refusal(a: { code: string; message: string }): string {
  return a.code === 'internal' && a.message === NOT_SENT_OFFLINE
    ? 'not sent: this page is not connected to that table just now; try again in a moment'
    : a.message;
}

type BulkCommand = 'fac:start' | 'fac:pause' | 'fac:resume' | 'fac:extend' | 'fac:end';

interface Bulk {
  command: BulkCommand;
  button: string;
  /** Whether the command applies to this table as it stands. */
  applies: (c: TableCard) => boolean;
  done: (n: number) => string;
  none: string;
}

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

// Tables still in their lobby are left alone: ending a game nobody has played would only add a
// meaningless outcome to the class's comparison.
const END_ALL: Bulk = {
  command: 'fac:end',
  button: 'End every table',
  applies: running,
  done: (n) => `Ended ${tablesWord(n)}.`,
  none: 'No table is running.',
};

/** A line of the status, ending with a full stop (the server's messages do not always). */
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * Sends one command to each table, with the button marked busy meanwhile (null when it already
 * was): the tables that took it, and a sentence for each that refused.
 */
async function sendEach<T extends CommandTable>(
  targets: readonly T[],
  button: HTMLButtonElement,
  send: (t: T) => ReturnType<Session['send']>,
): Promise<{ sent: T[]; refused: string[] } | null> {
  if (!busy.claim(button)) return null;
  const acks = await Promise.all(targets.map(send));
  busy.release(button);
  const sent: T[] = [];
  const refused: string[] = [];
  targets.forEach((t, i) => {
    const a = acks[i];
    if (a?.ok) sent.push(t);
    else if (a) refused.push(sentence(`${t.label}: ${refusal(a)}`));
  });
  return { sent, refused };
}

/**
 * "All tables at once": start, pause, resume, add a minute, end (after asking), a White Cell
 * message to every table, and the same event injected at every table. One status line says what happened and which tables refused.
 */
export function createClassCommands(tables: readonly CommandTable[]): HTMLElement {
  const status = h('p', { class: 'class-status', role: 'status' });

  /** The last command carried out, so a second press before the views catch up does not undo its report. */
  let last: { command: BulkCommand; at: number } | null = null;

  async function runBulk(b: Bulk, button: HTMLButtonElement): Promise<void> {
    const targets = tables.filter((t) => t.card && b.applies(t.card));
    if (!targets.length) {
      if (last?.command !== b.command || Date.now() - last.at > 3000) status.textContent = b.none;
      return;
    }
    const payload = (b.command === 'fac:extend' ? { seconds: 60 } : {}) as never;
    const r = await sendEach(targets, button, (t) => t.session.send(b.command as CommandName, payload));
    if (!r) return;
    // A table started without a team plays that side's deadline default: the teacher should know.
    const warnings =
      b.command === 'fac:start'
        ? r.sent.flatMap((t) =>
            t.card?.attention.length ? [`${t.label}: ${t.card.attention.join(' ')}`] : [],
          )
        : [];
    if (r.sent.length) last = { command: b.command, at: Date.now() };
    status.textContent = [r.sent.length ? b.done(r.sent.length) : '', ...warnings, ...r.refused]
      .filter(Boolean)
      .join(' ');
  }

  const buttons = BULK.map((b) => {
    const button = h('button', { type: 'button' }, b.button);
    button.addEventListener('click', () => void runBulk(b, button));
    return button;
  });

  // Ending every game is for the bell: it cannot be undone, so it asks first.
  const endAll = h('button', { type: 'button' }, END_ALL.button);
  const endYes = h('button', { type: 'button', class: 'danger' }, 'Yes, end every table');
  const endNo = h('button', { type: 'button' }, 'Keep playing');
  const endAsk = h(
    'div',
    { class: 'class-end-ask', hidden: true },
    h(
      'p',
      null,
      'End the game at every running table? Each is judged as it stands, and everyone there sees the debrief. Tables still in their lobby are left as they are.',
    ),
    endYes,
    ' ',
    endNo,
  );
  endAll.addEventListener('click', () => {
    endAsk.hidden = false;
    endYes.focus();
  });
  endNo.addEventListener('click', () => {
    endAsk.hidden = true;
    endAll.focus();
  });
  endAsk.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    endAsk.hidden = true;
    endAll.focus();
  });
  endYes.addEventListener('click', async () => {
    await runBulk(END_ALL, endYes);
    endAsk.hidden = true;
    endAll.focus();
  });

  // A word to every table at once ("ten minutes to the bell"): each table's White Cell message.
  const message = h('input', { id: 'class-message', maxlength: MAX_CHAT_LENGTH, autocomplete: 'off' });
  const sendAll = h('button', { type: 'submit' }, 'Send to every table');
  const broadcast = h(
    'form',
    { class: 'class-broadcast' },
    h('label', { for: 'class-message' }, 'Message to every table, from the White Cell'),
    h('div', { class: 'class-broadcast-row' }, message, sendAll),
    lengthHint(message, MAX_CHAT_LENGTH),
  );
  broadcast.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = message.value.trim();
    if (!text) {
      status.textContent = 'Write the message first.';
      message.focus();
      return;
    }
    // A finished game's players are in their debrief, which shows no chat: sending there reaches nobody.
    const targets = tables.filter((t) => t.card && !t.card.ended);
    if (!targets.length) {
      status.textContent = 'Every table has finished: nobody would see the message.';
      return;
    }
    const r = await sendEach(targets, sendAll, (t) => t.session.send('fac:broadcast', { text }));
    if (!r) return;
    const { sent, refused: failed } = r;
    const waiting = sent.filter((t) => t.card?.inLobby).map((t) => t.label);
    if (!failed.length) message.value = '';
    status.textContent = [
      sent.length ? `Sent to ${tablesWord(sent.length)}.` : '',
      waiting.length
        ? `At ${waiting.join(', ')}, still in the lobby, players see it in the chat once the game starts.`
        : '',
      ...failed,
    ]
      .filter(Boolean)
      .join(' ');
  });

  // The same shock at every table: how differently the groups answer it is the lesson.
  const eventSelect = h(
    'select',
    { id: 'class-event' },
    EVENT_DECK.map((e) =>
      h('option', { value: e.id }, `${e.title}${e.response ? ' (both sides answer)' : ''}`),
    ),
  );
  const injectAll = h('button', { type: 'button' }, 'Inject at every table');
  injectAll.addEventListener('click', async () => {
    const targets = tables.filter((t) => t.card && running(t.card));
    if (!targets.length) {
      status.textContent = 'No running table to inject an event into.';
      return;
    }
    const eventId = eventSelect.value;
    const r = await sendEach(targets, injectAll, (t) => t.session.send('fac:inject', { eventId }));
    if (!r) return;
    const title = EVENT_DECK.find((e) => e.id === eventId)?.title ?? eventId;
    // One event waits per table: a new one takes the place of one queued before.
    const replaced = r.sent.filter((t) => t.card?.queued && t.card.queued !== title);
    status.textContent = [
      r.sent.length
        ? `${title} will happen at ${tablesWord(r.sent.length)} when each resolves its current round's orders (the next round's, at a table in its crisis or summary).`
        : '',
      ...replaced.map((t) => `At ${t.label} it replaces ${t.card?.queued}, which was queued before.`),
      ...r.refused,
    ]
      .filter(Boolean)
      .join(' ');
  });

  return h(
    'section',
    { class: 'card class-bulk', 'aria-labelledby': 'bulk-title' },
    h('h2', { id: 'bulk-title' }, 'All tables at once'),
    h('div', { class: 'class-bulk-buttons' }, buttons, endAll),
    endAsk,
    broadcast,
    h(
      'div',
      { class: 'class-inject' },
      h('label', { for: 'class-event' }, 'The same event at every table'),
      h('div', { class: 'class-broadcast-row' }, eventSelect, injectAll),
    ),
    status,
  );
}
