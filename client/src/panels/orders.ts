import type { Ack } from '../../../shared/protocol/errors.ts';
import type { ClientView } from '../../../shared/protocol/room.ts';
import { otherSide, type Side } from '../../../shared/rules/ids.ts';
import { getMove, type MoveParam } from '../../../shared/rules/moves.ts';
import { MAX_RATIONALE } from '../../../shared/rules/order-limits.ts';
import type { LoggedOrder, Order } from '../../../shared/rules/state.ts';
import { announce, h, lengthHint, replaceChildren } from '../dom.ts';
import { applyForecastEdit, type ForecastEdit } from '../model/forecast-model.ts';
import {
  type AvailableMove,
  applyEdit,
  availableMoves,
  budget,
  canEditDraft,
  DRAFT_PHASES,
  type DraftEdit,
  draftCost,
  draftDiff,
  draftProblems,
  leadName,
  orderFor,
  orderKey,
  orderLabel,
  revealedOrders,
  SIDE_NAMES,
  seatName,
  splitOrderErrors,
  TRACK_LABELS,
  TRACK_ORDER,
} from '../model/orders-model.ts';
import type { Session } from '../net/session.ts';
import { createForecastSection } from './forecast.ts';
import type { Panel, PanelContext } from './panel.ts';
import { takeLeadOffer } from './take-lead.ts';
import './orders.css';

let uid = 0;
const newId = (prefix: string) => `${prefix}-${++uid}`;

/**
 * Sends edits of the team's shared draft one at a time. Each edit is an intention (add, remove,
 * reword), so when a teammate's edit lands first the server answers stale-version and the same
 * intention is applied once more on the newer draft. Resolves to an error to show, or null.
 */
export interface DraftEditor {
  edit(e: DraftEdit | ForecastEdit): Promise<string | null>;
}

const WAIT_FOR_VIEW_MS = 1500;

export function createDraftEditor(session: Session): DraftEditor {
  let queue: Promise<unknown> = Promise.resolve();
  // The version the server gave our last edit: the next edit waits until the view has caught up.
  let acked = 0;

  const waitForVersion = (min: number) =>
    new Promise<void>((resolve) => {
      if ((session.view?.draft?.version ?? 0) >= min) return resolve();
      const stop = session.subscribe(() => {
        if ((session.view?.draft?.version ?? 0) >= min) done();
      });
      const timer = setTimeout(() => done(), WAIT_FOR_VIEW_MS);
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });

  const attempt = async (e: DraftEdit | ForecastEdit, retry: boolean): Promise<string | null> => {
    await waitForVersion(acked);
    const draft = session.view?.draft;
    const side = session.view?.game.own?.side;
    if (!draft || !side) return 'There is no draft to edit.';
    let ack: Ack<{ version: number }>;
    if (e.kind === 'forecast') {
      // The forecast shares the draft's version: a teammate's edit of either one comes first.
      const moves = applyForecastEdit(draft.forecast ?? [], e, side);
      if (!moves) return null;
      ack = await session.send('forecast:set', { baseVersion: draft.version, moves });
    } else {
      const orders = applyEdit(draft.orders, e);
      if (!orders)
        return e.kind === 'add' || e.kind === 'answer' ? null : 'A teammate has already removed that order.';
      ack = await session.send('draft:set', { baseVersion: draft.version, orders });
    }
    if (ack.ok) {
      acked = ack.data.version;
      return null;
    }
    if (ack.code === 'stale-version' && retry) {
      await waitForVersion(draft.version + 1);
      return attempt(e, false);
    }
    if (ack.code === 'stale-version')
      return 'A teammate changed the draft at the same moment. Check it and try again.';
    return ack.message;
  };

  return {
    edit(e) {
      const run = queue.then(() => attempt(e, true));
      queue = run.catch(() => null);
      return run;
    },
  };
}

const PARAM_LABELS: Record<Exclude<MoveParam, null>, string> = {
  loophole: 'Loophole',
  agreement: 'Agreement',
  agreementId: 'Agreement',
  scope: 'Scope',
};

const points = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;

interface MoveItem {
  el: HTMLLIElement;
  update(m: AvailableMove, editable: boolean): void;
}

/** One move of the catalogue; built once so a choice being made survives new views. */
function moveItem(def: AvailableMove, onAdd: (o: Order) => void): MoveItem {
  const reasonId = newId('move-why');
  const reason = h('p', { class: 'move-reason muted', id: reasonId });
  const selectId = newId('move-param');
  const select = def.param
    ? h('select', { id: selectId, 'data-key': `param-${def.id}`, 'aria-describedby': reasonId })
    : null;
  const button = h(
    'button',
    { type: 'button', 'data-key': `add-${def.id}`, 'aria-describedby': reasonId },
    'Add',
    h('span', { class: 'visually-hidden' }, ` ${def.name}`),
  );
  let current = def;
  let editable = false;
  let choiceKey = '';

  const selected = () => current.choices.find((c) => c.value === select?.value) ?? null;
  const refresh = () => {
    const choice = selected();
    const why = select ? (choice ? choice.blockedReason : current.blockedReason) : current.blockedReason;
    reason.textContent = why ? `Not possible now: ${why}.` : '';
    // aria-disabled rather than disabled: the button keeps focus after an add, and its reason stays reachable.
    button.setAttribute('aria-disabled', String(!editable || why !== null));
  };
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    const value = select ? select.value : null;
    if (select && !value) return;
    onAdd(orderFor(current.id, current.param, value));
  });
  select?.addEventListener('change', refresh);

  const el = h(
    'li',
    { class: 'move' },
    h(
      'p',
      { class: 'move-head' },
      h('span', { class: 'move-name' }, def.name),
      h('span', { class: 'move-cost' }, def.cost === 0 ? 'free' : points(def.cost)),
      def.covert ? h('span', { class: 'badge secret' }, 'Secret during play') : null,
    ),
    h('p', { class: 'move-summary' }, def.summary),
    select && def.param
      ? h(
          'div',
          { class: 'move-param' },
          h(
            'label',
            { for: selectId },
            PARAM_LABELS[def.param],
            h('span', { class: 'visually-hidden' }, ` for ${def.name}`),
          ),
          select,
        )
      : null,
    button,
    reason,
  );

  return {
    el,
    update(m, canEdit) {
      current = m;
      editable = canEdit;
      if (select) {
        const key = m.choices.map((c) => `${c.value}=${c.label}=${c.blockedReason ?? ''}`).join('|');
        if (key !== choiceKey) {
          choiceKey = key;
          const keep = select.value;
          select.replaceChildren(
            ...m.choices.map((c) =>
              h('option', { value: c.value }, c.blockedReason ? `${c.label} (not possible now)` : c.label),
            ),
          );
          const still = m.choices.find((c) => c.value === keep);
          const first = m.choices.find((c) => c.blockedReason === null) ?? m.choices[0];
          select.value = still ? keep : (first?.value ?? '');
          select.disabled = m.choices.length === 0;
        }
      }
      refresh();
    },
  };
}

interface DraftItem {
  el: HTMLLIElement;
  update(o: Order, index: number, info: DraftItemInfo): void;
}

interface DraftItemInfo {
  label: string;
  cost: number;
  editable: boolean;
  isNew: boolean;
  problems: string[];
}

/** One order of the shared draft. Kept across views so a rationale being typed is never replaced. */
function draftItem(
  key: string,
  onRemove: (index: number, key: string) => void,
  onRationale: (index: number, key: string, text: string) => void,
): DraftItem {
  const inputId = newId('why');
  const problemsId = newId('order-problems');
  const name = h('span', { class: 'order-name' });
  const hiddenName = h('span', { class: 'visually-hidden' });
  const cost = h('span', { class: 'order-cost' });
  const badge = h('span', { class: 'badge order-new' }, 'Added by a teammate');
  const removeName = h('span', { class: 'visually-hidden' });
  const remove = h(
    'button',
    { type: 'button', class: 'order-remove', 'data-key': `remove-${key}` },
    'Remove',
    removeName,
  );
  const input = h('input', {
    type: 'text',
    id: inputId,
    maxlength: MAX_RATIONALE,
    'data-key': `why-${key}`,
    'aria-describedby': problemsId,
  });
  const problems = h('ul', { class: 'order-problems error', id: problemsId });
  let index = 0;
  let orderId = '';
  let saved = '';

  remove.addEventListener('click', () => onRemove(index, orderId));
  input.addEventListener('change', () => {
    if (input.value.trim() !== saved) onRationale(index, orderId, input.value);
  });

  const el = h(
    'li',
    { class: 'draft-order' },
    h('p', { class: 'order-head' }, name, cost, remove),
    h('label', { for: inputId }, 'Why (goes into the after-action report)', hiddenName),
    input,
    lengthHint(input, MAX_RATIONALE),
    problems,
  );

  return {
    el,
    update(o, i, info) {
      index = i;
      orderId = orderKey(o);
      saved = o.rationale ?? '';
      name.textContent = info.label;
      hiddenName.textContent = ` for ${info.label}`;
      removeName.textContent = ` ${info.label}`;
      cost.textContent = info.cost === 0 ? 'free' : points(info.cost);
      // Added or taken out rather than hidden: the badge's own display rule would override `hidden`.
      if (info.isNew) name.after(badge);
      else badge.remove();
      el.classList.toggle('is-new', info.isNew);
      remove.disabled = !info.editable;
      input.disabled = !info.editable;
      // Never overwrite what the person is typing; a teammate's rewording shows once they leave the field.
      if (document.activeElement !== input) input.value = saved;
      replaceChildren(problems, ...info.problems.map((p) => h('li', null, p)));
    },
  };
}

function revealedList(orders: readonly LoggedOrder[], view: ClientView, withRationale: boolean): HTMLElement {
  if (orders.length === 0) return h('p', { class: 'muted' }, 'No moves.');
  return h(
    'ul',
    { class: 'revealed-list' },
    orders.map((o) =>
      h(
        'li',
        null,
        orderLabel(o, view.game.public.agreements),
        getMove(o.move)?.covert ? [' ', h('span', { class: 'badge secret' }, 'Secret')] : null,
        withRationale && o.rationale ? h('span', { class: 'revealed-why' }, ` — “${o.rationale}”`) : null,
      ),
    ),
  );
}

export function createOrdersPanel(ctx: PanelContext): Panel {
  const { session } = ctx;
  const editor = createDraftEditor(session);
  const headingId = newId('orders-h');
  const draftHeadingId = newId('draft-h');
  const movesHeadingId = newId('moves-h');
  const revealedHeadingId = newId('revealed-h');

  const note = h('p', { class: 'orders-note' });
  const budgetLine = h('p', { class: 'orders-budget' });
  const alert = h('div', { class: 'error orders-alert', role: 'alert' });
  const editedBy = h('p', { class: 'muted orders-edited' });
  const changes = h('div', { class: 'orders-changes' });
  const list = h('ol', { class: 'draft-list' });
  const empty = h('p', { class: 'muted' }, 'No orders yet. Add moves from the list below.');
  const general = h('ul', { class: 'error orders-general' });
  const lockArea = h('div', { class: 'orders-lock' });
  const movesBody = h('div', { class: 'moves-body' });
  const revealedBody = h('div', { class: 'revealed-body' });

  const draftHeading = h('h3', { id: draftHeadingId, tabindex: -1 }, 'Your team’s draft');
  const draftSection = h(
    'section',
    { class: 'orders-draft', 'aria-labelledby': draftHeadingId },
    draftHeading,
    budgetLine,
    editedBy,
    changes,
    list,
    empty,
    general,
    lockArea,
  );
  const movesSection = h(
    'section',
    { class: 'orders-moves', 'aria-labelledby': movesHeadingId },
    h('h3', { id: movesHeadingId }, 'Moves you can order'),
    movesBody,
  );
  const revealedSection = h(
    'section',
    { class: 'orders-revealed', 'aria-labelledby': revealedHeadingId },
    h('h3', { id: revealedHeadingId }, 'Orders revealed'),
    revealedBody,
  );
  const forecast = createForecastSection(editor);
  const el = h(
    'section',
    { class: 'card panel orders-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'Orders'),
    note,
    alert,
    draftSection,
    forecast.el,
    movesSection,
    revealedSection,
  );

  const moveItems = new Map<string, MoveItem>();
  const draftItems = new Map<string, DraftItem>();
  let movesSide: Side | null = null;
  // What this person has seen of the draft: teammates' additions and removals since are highlighted.
  let seen: Order[] | null = null;
  let seenRound = -1;
  let lastOrders: Order[] | null = null;
  let lastVersion = -1;
  let lastLocked: boolean | null = null;
  // The server's invalid-orders problems, kept while the draft is at the version they judged.
  let serverErrors: { version: number; perOrder: Map<number, string[]>; general: string[] } | null = null;
  let view: ClientView | null = null;

  // An error is about the draft as it was: it goes once the draft has moved on.
  let errorVersion = -1;
  const showError = (message: string | null) => {
    alert.textContent = message ?? '';
    errorVersion = session.view?.draft?.version ?? -1;
  };
  const run = async (e: DraftEdit, done?: string) => {
    const err = await editor.edit(e);
    showError(err);
    if (!err && done) announce(done);
  };
  const agreementsNow = () => view?.game.public.agreements ?? [];
  const labelOf = (key: string) => {
    const o = view?.draft?.orders.find((x) => orderKey(x) === key);
    return o ? orderLabel(o, agreementsNow()) : 'the order';
  };

  const buildMoves = (v: ClientView, side: Side) => {
    movesSide = side;
    moveItems.clear();
    const all = availableMoves(v);
    const groups = TRACK_ORDER.map((track) => {
      const moves = all.filter((m) => m.track === track);
      if (moves.length === 0) return null;
      const id = newId(`track-${track}`);
      const items = moves.map((m) => {
        const item = moveItem(
          m,
          (order) =>
            void run({ kind: 'add', order }, `Added ${orderLabel(order, agreementsNow())} to the draft.`),
        );
        moveItems.set(m.id, item);
        return item.el;
      });
      return h(
        'section',
        { class: 'move-track', 'aria-labelledby': id },
        h('h4', { id }, TRACK_LABELS[track]),
        h('ul', { class: 'move-list' }, items),
      );
    });
    movesBody.replaceChildren(...groups.filter((g) => g !== null));
  };

  const renderChanges = (v: ClientView, orders: Order[]) => {
    const diff = seen ? draftDiff(seen, orders) : { added: [], removed: [] };
    if (diff.added.length === 0 && diff.removed.length === 0) {
      changes.replaceChildren();
      return new Set<string>();
    }
    const label = (o: Order) => orderLabel(o, v.game.public.agreements);
    const markSeen = h('button', { type: 'button', 'data-key': 'mark-seen' }, 'Mark changes as seen');
    markSeen.addEventListener('click', () => {
      seen = [...(view?.draft?.orders ?? [])];
      if (view) render(view);
      // The button is gone now: keep the keyboard in the draft rather than at the top of the page.
      draftHeading.focus();
    });
    replaceChildren(
      changes,
      h(
        'div',
        { class: 'changes-box' },
        h('p', { class: 'changes-title' }, 'What your teammates have changed since you last looked:'),
        h(
          'ul',
          null,
          diff.added.map((o) => h('li', null, `Added: ${label(o)}`)),
          diff.removed.map((o) => h('li', null, `Removed: ${label(o)}`)),
        ),
        markSeen,
      ),
    );
    return new Set(diff.added.map(orderKey));
  };

  const renderDraft = (v: ClientView, editable: boolean) => {
    const draft = v.draft;
    const orders = draft?.orders ?? [];
    const cost = draftCost(orders);
    const total = budget(v);
    const left = total - cost;
    replaceChildren(
      budgetLine,
      `Budget ${points(total)} · this draft costs ${points(cost)} · `,
      left >= 0 ? `${points(left)} left` : h('strong', { class: 'error' }, `over budget by ${points(-left)}`),
    );
    editedBy.textContent = draft?.editedBy ? `Last edited by ${seatName(v, draft.editedBy)}.` : '';

    const added = renderChanges(v, orders);
    const local = draftProblems(v);
    const server = serverErrors && draft && serverErrors.version === draft.version ? serverErrors : null;
    const used = new Set<string>();
    const items = orders.map((o, i) => {
      let key = orderKey(o);
      // Two identical orders (an invalid draft) still need an item each.
      while (used.has(key)) key = `${key}#`;
      used.add(key);
      let item = draftItems.get(key);
      if (!item) {
        item = draftItem(
          key,
          (index, k) => void run({ kind: 'remove', key: k, index }, `Removed ${labelOf(k)} from the draft.`),
          (index, k, text) => void run({ kind: 'rationale', key: k, index, text }),
        );
        draftItems.set(key, item);
      }
      const problems = [local.perOrder[i], ...(server?.perOrder.get(i) ?? [])].filter(
        (p): p is string => !!p,
      );
      item.update(o, i, {
        label: orderLabel(o, v.game.public.agreements),
        cost: draftCost([o]),
        editable,
        isNew: added.has(orderKey(o)),
        problems: [...new Set(problems)],
      });
      return item.el;
    });
    for (const key of [...draftItems.keys()]) if (!used.has(key)) draftItems.delete(key);
    // Move only the items that are out of place, so the field being typed in stays where it is.
    const active = document.activeElement;
    items.forEach((item, i) => {
      if (list.children[i] !== item) list.insertBefore(item, list.children[i] ?? null);
    });
    // Moving a node blurs what is focused inside it; put the focus back where the person was.
    if (active instanceof HTMLElement && active !== document.activeElement && list.contains(active))
      active.focus();
    let hadFocus = false;
    while (list.children.length > items.length) {
      const gone = list.lastElementChild;
      hadFocus ||= !!gone?.contains(document.activeElement);
      gone?.remove();
    }
    // A removed order takes its focused button with it: keep the keyboard in the draft.
    if (hadFocus) draftHeading.focus();
    empty.hidden = orders.length > 0;
    replaceChildren(
      general,
      [...local.general, ...(server?.general ?? [])].map((p) => h('li', null, p)),
    );
  };

  const lock = async () => {
    const draft = session.view?.draft;
    if (!draft) return;
    const ack = await session.send('draft:lock', { baseVersion: draft.version });
    if (ack.ok) {
      showError(null);
      return;
    }
    if (ack.code === 'invalid-orders') {
      serverErrors = { version: draft.version, ...splitOrderErrors(ack.message) };
      showError(`The orders cannot be locked yet: ${ack.message}`);
      if (view) render(view);
    } else showError(ack.message);
  };
  const unlock = async () => {
    const ack = await session.send('draft:unlock', {});
    showError(ack.ok ? null : ack.message);
  };

  const renderLock = (v: ClientView, side: Side) => {
    const draft = v.draft;
    const lead = leadName(v, side);
    const other = otherSide(side);
    const parts: (HTMLElement | null)[] = [];
    if (draft?.locked) {
      parts.push(h('p', { class: 'lock-state' }, `Locked by ${seatName(v, draft.lockedBy)}.`));
      if (v.you.lead && v.phase === 'orders') {
        const b = h('button', { type: 'button', 'data-key': 'lock-toggle' }, 'Unlock orders');
        b.addEventListener('click', () => void unlock());
        parts.push(b);
      }
    } else if (v.you.lead) {
      const b = h('button', { type: 'button', class: 'primary', 'data-key': 'lock-toggle' }, 'Lock orders');
      b.disabled = v.phase !== 'orders' || !!v.settings.bots[side];
      b.addEventListener('click', () => void lock());
      parts.push(b);
      if (v.phase !== 'orders')
        parts.push(h('p', { class: 'muted' }, 'Orders can be locked in the orders phase.'));
    } else {
      parts.push(
        h(
          'p',
          { class: 'muted' },
          lead ? `Only ${lead}, the team lead, can lock.` : 'Only the team lead can lock.',
        ),
      );
      parts.push(takeLeadOffer(session, v, showError));
    }
    if (v.phase === 'orders')
      parts.push(
        h(
          'p',
          { class: 'other-lock' },
          v.locked[other]
            ? `${SIDE_NAMES[other]} has locked its orders.`
            : `${SIDE_NAMES[other]} has not locked its orders yet.`,
        ),
      );
    replaceChildren(lockArea, ...parts);
  };

  const renderRevealed = (v: ClientView, side: Side) => {
    const r = revealedOrders(v);
    if (!r) {
      replaceChildren(revealedBody, h('p', { class: 'muted' }, 'No orders have been revealed yet.'));
      return;
    }
    replaceChildren(
      revealedBody,
      h('p', { class: 'muted' }, `Round ${r.round}.`),
      h('h4', null, `Your side (${SIDE_NAMES[side]})`),
      revealedList(r.own, v, true),
      h('h4', null, `${SIDE_NAMES[otherSide(side)]} (its public moves)`),
      revealedList(r.other, v, false),
    );
  };

  const announceChanges = (v: ClientView) => {
    const draft = v.draft;
    if (!draft) return;
    if (lastOrders && draft.version > lastVersion && draft.editedBy && draft.editedBy !== v.you.seatId) {
      const diff = draftDiff(lastOrders, draft.orders);
      const label = (o: Order) => orderLabel(o, v.game.public.agreements);
      const what = [
        ...diff.added.map((o) => `added ${label(o)}`),
        ...diff.removed.map((o) => `removed ${label(o)}`),
      ];
      if (what.length) announce(`${seatName(v, draft.editedBy)} changed the draft: ${what.join('; ')}.`);
    }
    // A new round's draft starts unlocked at version 0: that is no unlock to announce.
    if (lastLocked !== null && draft.locked !== lastLocked && draft.version >= lastVersion)
      announce(draft.locked ? `Orders locked by ${seatName(v, draft.lockedBy)}.` : 'Orders unlocked.');
    lastOrders = draft.orders;
    lastVersion = draft.version;
    lastLocked = draft.locked;
  };

  const render = (v: ClientView) => {
    view = v;
    const side = v.game.own?.side ?? null;
    forecast.update(v);
    if (!side) {
      note.textContent = 'Orders are given by the US and China teams.';
      draftSection.hidden = movesSection.hidden = revealedSection.hidden = true;
      return;
    }
    const drafting = DRAFT_PHASES.includes(v.phase);
    const editable = canEditDraft(v);
    const bot = v.settings.bots[side];
    if (v.draft && (v.round !== seenRound || seen === null || v.draft.editedBy === v.you.seatId)) {
      // A new round starts from an empty draft; one's own edits need no highlighting.
      seen = [...v.draft.orders];
      seenRound = v.round;
    }
    announceChanges(v);
    if (alert.textContent && v.draft && v.draft.version !== errorVersion) alert.textContent = '';

    note.textContent = bot
      ? `A bot (${bot}) plays your side until the White Cell hands it back to your team.`
      : v.phase === 'lobby'
        ? 'Orders open when the exercise starts.'
        : drafting
          ? v.draft?.locked
            ? 'Your orders are locked. They are revealed when both sides have locked or the clock runs out.'
            : `Any member of your team can edit this shared draft and its forecast${v.phase === 'orders' ? '; the lead locks both' : ''}. If the orders clock runs out, the current draft is played if it is valid, otherwise no moves.`
          : v.phase === 'ended'
            ? 'The game has ended. These were the last orders revealed.'
            : 'Orders are revealed. The next draft opens in the next briefing.';

    draftSection.hidden = !drafting;
    movesSection.hidden = !drafting;
    revealedSection.hidden = drafting || v.phase === 'lobby';
    if (drafting) {
      if (movesSide !== side) buildMoves(v, side);
      for (const m of availableMoves(v)) moveItems.get(m.id)?.update(m, editable);
      renderDraft(v, editable);
      renderLock(v, side);
    } else {
      renderRevealed(v, side);
    }
  };

  return {
    el,
    update(v) {
      render(v);
    },
    destroy() {
      moveItems.clear();
      draftItems.clear();
    },
  };
}
