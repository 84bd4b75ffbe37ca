import { checkInputFromView } from '../../../shared/bots/plan.ts';
import type { ClientView, Draft, RoomPhase, SeatInfo } from '../../../shared/protocol/room.ts';
import { AGREEMENT_NAMES } from '../../../shared/rules/agreements.ts';
import { loopholeName } from '../../../shared/rules/explain.ts';
import { type LoopholeId, otherSide, type Side, type Track } from '../../../shared/rules/ids.ts';
import { getMove, type MoveParam, movesFor, PARAM_CHOICES } from '../../../shared/rules/moves.ts';
import { hasSameTarget, MAX_ORDERS, ordersCost } from '../../../shared/rules/order-limits.ts';
import type { Agreement, LoggedOrder, Order } from '../../../shared/rules/state.ts';

/**
 * The Orders panel's view model: what a team may order now and why not, what its shared draft
 * costs, how a draft edit is re-applied on a newer draft, and what teammates changed. Pure, so
 * the same checks the rules run can be tested on real views.
 */

export const TRACK_LABELS: Record<Track, string> = {
  controls: 'Controls',
  dialogue: 'Dialogue',
  development: 'Development',
};
export const TRACK_ORDER: readonly Track[] = ['controls', 'dialogue', 'development'];

/** Phases in which a team's shared draft may be edited (the server refuses edits in the others). */
export const DRAFT_PHASES: readonly RoomPhase[] = ['briefing', 'negotiation', 'orders'];

export const SIDE_NAMES: Record<Side, string> = { us: 'US', china: 'China' };

const SCOPE_LABELS: Record<'safety' | 'broad', string> = {
  safety: 'safety only',
  broad: 'broad agenda (export controls on the table)',
};

export function agreementLabel(a: Agreement): string {
  return `${AGREEMENT_NAMES[a.type]} (${a.id})`;
}

export interface MoveChoice {
  value: string;
  label: string;
  /** Why this choice cannot be added now, or null. */
  blockedReason: string | null;
}

export interface AvailableMove {
  id: string;
  name: string;
  track: Track;
  cost: number;
  summary: string;
  covert: boolean;
  param: MoveParam;
  choices: MoveChoice[];
  /** Why the move cannot be added now whatever the choice, or null when at least one choice can. */
  blockedReason: string | null;
}

/** Which agreements a move on an agreement id may name, seen from `side`. */
function agreementsFor(moveId: string, side: Side, agreements: readonly Agreement[]): Agreement[] {
  if (moveId === 'violate-agreement') return agreements.filter((a) => a.status === 'in-force');
  return agreements.filter((a) => a.status === 'proposed' && a.proposedBy !== side);
}

function noChoiceReason(moveId: string): string {
  return moveId === 'violate-agreement'
    ? 'no agreement is in force'
    : 'the other side has no proposal waiting for an answer';
}

function paramChoices(
  param: MoveParam,
  moveId: string,
  side: Side,
  agreements: readonly Agreement[],
): { value: string; label: string; order: Order }[] {
  const move = moveId;
  switch (param) {
    case 'loophole':
      return PARAM_CHOICES.loophole.map((l) => ({
        value: l,
        label: loopholeName(l),
        order: { move, loophole: l },
      }));
    case 'agreement':
      return PARAM_CHOICES.agreement.map((t) => ({
        value: t,
        label: AGREEMENT_NAMES[t],
        order: { move, agreement: t },
      }));
    case 'scope':
      return PARAM_CHOICES.scope.map((s) => ({
        value: s,
        label: SCOPE_LABELS[s],
        order: { move, scope: s },
      }));
    case 'agreementId':
      return agreementsFor(moveId, side, agreements).map((a) => ({
        value: a.id,
        label: agreementLabel(a),
        order: { move, agreementId: a.id },
      }));
    default:
      return [];
  }
}

/** The side this seat plays, or null for the facilitator and observers. */
export function seatSide(view: ClientView): Side | null {
  return view.game.own?.side ?? null;
}

export function draftCost(orders: readonly Order[]): number {
  return ordersCost(orders);
}

export function budget(view: ClientView): number {
  return view.game.own?.state.budget ?? 0;
}

export function budgetLeft(view: ClientView): number {
  return budget(view) - draftCost(view.draft?.orders ?? []);
}

/**
 * Every move of the seat's side with its choices and, for each, the reason it cannot be added to
 * the current draft: the move's own precondition (the same check the rules run), the budget left,
 * the limit of orders, or the same order already in the draft.
 */
export function availableMoves(view: ClientView): AvailableMove[] {
  const side = seatSide(view);
  if (!side) return [];
  const input = checkInputFromView(view.game);
  const orders = view.draft?.orders ?? [];
  const left = budgetLeft(view);
  const agreements = view.game.public.agreements;
  return movesFor(side).map((def) => {
    const general =
      orders.length >= MAX_ORDERS
        ? `the draft already has ${MAX_ORDERS} orders, the most a side may give`
        : def.cost > left
          ? `it costs ${def.cost} and ${left <= 0 ? 'nothing is' : `only ${left} ${left === 1 ? 'point is' : 'points are'}`} left in the budget`
          : null;
    const why = (order: Order): string | null =>
      general ??
      def.check(input, side, order) ??
      (hasSameTarget(orders, order) ? 'it is already in the draft' : null);
    const base = {
      id: def.id,
      name: def.name,
      track: def.track,
      cost: def.cost,
      summary: def.summary,
      covert: def.covert,
      param: def.param,
    };
    if (def.param === null) return { ...base, choices: [], blockedReason: why({ move: def.id }) };
    const choices = paramChoices(def.param, def.id, side, agreements).map((c) => ({
      value: c.value,
      label: c.label,
      blockedReason: why(c.order),
    }));
    return { ...base, choices, blockedReason: moveReason(def.id, choices, general) };
  });
}

function moveReason(moveId: string, choices: MoveChoice[], general: string | null): string | null {
  if (choices.some((c) => c.blockedReason === null)) return null;
  if (general) return general;
  if (choices.length === 0) return noChoiceReason(moveId);
  const first = choices[0]?.blockedReason ?? null;
  return choices.every((c) => c.blockedReason === first) ? first : 'none of its options is possible now';
}

/** The order a move and one of its choices make. */
export function orderFor(moveId: string, param: MoveParam, value: string | null): Order {
  if (param === null || value === null) return { move: moveId };
  if (param === 'loophole') return { move: moveId, loophole: value as LoopholeId };
  if (param === 'agreement') return { move: moveId, agreement: value as Order['agreement'] };
  if (param === 'scope') return { move: moveId, scope: value as 'safety' | 'broad' };
  return { move: moveId, agreementId: value };
}

/** "Tighten an export-control loophole: cloud rental". */
export function orderLabel(order: Order, agreements: readonly Agreement[] = []): string {
  const name = getMove(order.move)?.name ?? order.move;
  let detail: string | null = null;
  if (order.loophole) detail = loopholeName(order.loophole);
  else if (order.agreement) detail = AGREEMENT_NAMES[order.agreement];
  else if (order.scope) detail = SCOPE_LABELS[order.scope];
  else if (order.agreementId) {
    const a = agreements.find((x) => x.id === order.agreementId);
    detail = a ? agreementLabel(a) : `agreement ${order.agreementId}`;
  }
  return detail ? `${name}: ${detail}` : name;
}

/** Identifies an order by what it does, not by its rationale, so edits survive a teammate's rewording. */
export function orderKey(o: Order): string {
  return [o.move, o.loophole ?? '', o.agreement ?? '', o.agreementId ?? '', o.scope ?? ''].join('|');
}

/** Orders in `next` that were not in `prev`, and orders of `prev` gone from `next` (rationales ignored). */
export function draftDiff(
  prev: readonly Order[],
  next: readonly Order[],
): { added: Order[]; removed: Order[] } {
  const count = (list: readonly Order[]) => {
    const m = new Map<string, number>();
    for (const o of list) m.set(orderKey(o), (m.get(orderKey(o)) ?? 0) + 1);
    return m;
  };
  const only = (list: readonly Order[], other: Map<string, number>) => {
    const left = new Map(other);
    return list.filter((o) => {
      const k = orderKey(o);
      const n = left.get(k) ?? 0;
      if (n > 0) {
        left.set(k, n - 1);
        return false;
      }
      return true;
    });
  };
  return { added: only(next, count(prev)), removed: only(prev, count(next)) };
}

/**
 * One person's change to the shared draft, kept as an intention so that when a teammate's edit
 * lands first (a stale version) the same change can be made again on the newer draft.
 */
export type DraftEdit =
  | { kind: 'add'; order: Order }
  | { kind: 'remove'; key: string; index: number }
  | { kind: 'rationale'; key: string; index: number; text: string }
  /** Adds `order`, first taking out any order of the listed moves on the same agreement (accept replaces reject). */
  | { kind: 'answer'; order: Order; replaces: readonly string[] };

function findOrder(orders: readonly Order[], key: string, index: number): number {
  const at = orders[index];
  return at && orderKey(at) === key ? index : orders.findIndex((o) => orderKey(o) === key);
}

/** The draft after the edit, or null when the edit no longer applies (the order is gone, or already there). */
export function applyEdit(orders: readonly Order[], edit: DraftEdit): Order[] | null {
  switch (edit.kind) {
    case 'add':
      if (hasSameTarget(orders, edit.order)) return null;
      return [...orders, edit.order];
    case 'answer': {
      const kept = orders.filter(
        (o) => !(o.agreementId === edit.order.agreementId && edit.replaces.includes(o.move)),
      );
      if (hasSameTarget(kept, edit.order)) return null;
      return [...kept, edit.order];
    }
    case 'remove': {
      const i = findOrder(orders, edit.key, edit.index);
      return i < 0 ? null : orders.filter((_, j) => j !== i);
    }
    case 'rationale': {
      const i = findOrder(orders, edit.key, edit.index);
      const target = orders[i];
      if (!target) return null;
      const text = edit.text.trim();
      const { rationale: _old, ...rest } = target;
      const updated: Order = text ? { ...rest, rationale: text } : rest;
      return orders.map((o, j) => (j === i ? updated : o));
    }
  }
}

/**
 * Problems of each draft order as the rules would see them at lock time (precondition,
 * duplicate, unknown move), plus problems of the whole draft (budget, number of orders).
 */
export function draftProblems(view: ClientView): { perOrder: (string | null)[]; general: string[] } {
  const side = seatSide(view);
  const orders = view.draft?.orders ?? [];
  if (!side) return { perOrder: orders.map(() => null), general: [] };
  const input = checkInputFromView(view.game);
  const perOrder = orders.map((o, i) => {
    const def = getMove(o.move);
    if (!def?.sides.includes(side)) return `${o.move} is not a move your side can order`;
    if (hasSameTarget(orders, o, i)) return 'ordered twice with the same target';
    return def.check(input, side, o);
  });
  const general: string[] = [];
  const cost = draftCost(orders);
  if (cost > budget(view)) general.push(`These orders cost ${cost} points; the budget is ${budget(view)}.`);
  if (orders.length > MAX_ORDERS) general.push(`A side may give at most ${MAX_ORDERS} orders.`);
  return { perOrder, general };
}

/**
 * The server's invalid-orders message ("order 2 (Name): reason; these orders cost …") split into
 * the problems of each order (by index) and the rest.
 */
export function splitOrderErrors(message: string): { perOrder: Map<number, string[]>; general: string[] } {
  const perOrder = new Map<number, string[]>();
  const general: string[] = [];
  // Problems are joined by "; ", which the budget problem also contains: split only before a new problem.
  for (const part of message.split(/; (?=order \d|orders\b|these orders\b)/)) {
    const m = /^order (\d+)(?: \([^)]*\))?: (.*)$/s.exec(part);
    const index = m ? Number(m[1]) - 1 : -1;
    if (m && index >= 0) perOrder.set(index, [...(perOrder.get(index) ?? []), m[2] ?? part]);
    else if (part.trim()) general.push(part);
  }
  return { perOrder, general };
}

/** A seat id in words: a person's name, or what holds the seat. */
export function seatName(view: ClientView, seatId: string | null): string {
  if (!seatId) return 'nobody';
  const seat = view.seats.find((s) => s.id === seatId);
  if (seat) return seat.id === view.you.seatId ? `${seat.name} (you)` : seat.name;
  if (seatId.startsWith('bot:')) return `the ${seatId.slice(4)} bot`;
  if (seatId === 'facilitator') return 'the White Cell';
  return 'someone who has left';
}

/** The seat that leads a team, as the server marks it; undefined for a team with nobody. */
export function leadSeat(view: ClientView, side: Side): SeatInfo | undefined {
  return view.seats.find((s) => s.role === side && s.lead);
}

export function leadName(view: ClientView, side: Side): string | null {
  return leadSeat(view, side)?.name ?? null;
}

/**
 * The team's lead is away and this member may take over (the server checks the same): without
 * it, a team whose lead closed the laptop could not lock or answer a crisis until the deadline.
 */
export function leadAway(view: ClientView): string | null {
  const side = view.you.role === 'us' || view.you.role === 'china' ? view.you.role : null;
  if (!side || view.you.lead || view.phase === 'ended' || view.settings.bots[side]) return null;
  const lead = leadSeat(view, side);
  return lead && !lead.connected ? lead.name : null;
}

export interface RevealedOrders {
  round: number;
  own: LoggedOrder[];
  other: LoggedOrder[];
}

/**
 * The last round's orders as revealed: your own from your side's log (with rationales and
 * covert moves) and the other side's overt orders from the public log.
 */
export function revealedOrders(view: ClientView): RevealedOrders | null {
  const side = seatSide(view);
  const pub = view.game.log.public.at(-1);
  if (!side || !pub) return null;
  const own = view.game.log.own?.find((l) => l.round === pub.round);
  return {
    round: pub.round,
    own: own ? own.orders.filter((o) => o.side === side) : pub.orders.filter((o) => o.side === side),
    other: pub.orders.filter((o) => o.side === otherSide(side)),
  };
}

export function canEditDraft(view: ClientView, draft: Draft | null = view.draft): boolean {
  const side = seatSide(view);
  return (
    side !== null &&
    draft !== null &&
    !draft.locked &&
    DRAFT_PHASES.includes(view.phase) &&
    !view.settings.bots[side]
  );
}
