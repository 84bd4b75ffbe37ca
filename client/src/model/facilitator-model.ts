import { botsFor } from '../../../shared/bots/index.ts';
import type { ClientView, Role, SeatInfo } from '../../../shared/protocol/room.ts';
import { adjustableVariables, readVariable } from '../../../shared/rules/adjustable.ts';
import { EVENT_DECK } from '../../../shared/rules/events.ts';
import { loopholeName, variableLabel } from '../../../shared/rules/explain.ts';
import { forecastTally, moveNames, namedAndMade, scorePercent } from '../../../shared/rules/forecast.ts';
import { LOOPHOLES, SIDES, type Side } from '../../../shared/rules/ids.ts';
import type { Estimate } from '../../../shared/rules/state.ts';
import { formatNumber } from './chart-scale.ts';
import { orderText, SIDE_LABEL } from './debrief-model.ts';
import { visibleScores } from './forecast-model.ts';

/**
 * What the facilitator console shows, as plain data: the truth beside each side's beliefs, the
 * variables that can be set with their bounds, the events that can be injected, the bots, and
 * where each team stands. Everything is read from the facilitator's view, which holds the truth.
 */

/** A side's belief about one number, or the side's own number (which it knows exactly). */
export type BeliefCell =
  | { kind: 'own' }
  | { kind: 'estimate'; value: number; error: number; inRange: boolean; text: string };

export interface TruthRow {
  key: string;
  label: string;
  truth: number;
  truthText: string;
  us: BeliefCell;
  china: BeliefCell;
}

function belief(e: Estimate, truth: number, digits: number): BeliefCell {
  return {
    kind: 'estimate',
    value: e.value,
    error: e.error,
    // A hair of tolerance: an error bar that touches the truth counts as covering it.
    inRange: Math.abs(e.value - truth) <= e.error + 1e-9,
    text: `${formatNumber(e.value, digits)} ± ${formatNumber(e.error, digits)}`,
  };
}

/** Rows of "True values and what each side believes"; empty without the truth. */
export function truthTable(view: ClientView): TruthRow[] {
  const t = view.game.truth;
  if (!t) return [];
  const est = t.estimates;
  const rows: TruthRow[] = [];
  const own: BeliefCell = { kind: 'own' };
  const sided = (field: 'capability' | 'compute' | 'intel', label: string, digits: number) => {
    for (const side of SIDES) {
      const truth = t[side][field];
      // `estimates.us` is what the US believes about China, and the other way round.
      const otherBelief = belief(est[side === 'us' ? 'china' : 'us'][field], truth, digits);
      rows.push({
        key: `${side}.${field}`,
        label: `${SIDE_LABEL[side]} ${label}`,
        truth,
        truthText: formatNumber(truth, digits),
        us: side === 'us' ? own : otherBelief,
        china: side === 'china' ? own : otherBelief,
      });
    }
  };
  sided('capability', 'capability (months)', 1);
  sided('compute', 'compute stock', 0);
  sided('intel', 'intelligence and verification', 2);
  for (const l of LOOPHOLES) {
    const truth = t.loopholes[l].flow;
    rows.push({
      key: `loophole.${l}.flow`,
      label: `Flow to China: ${loopholeName(l)}`,
      truth,
      truthText: formatNumber(truth, 1),
      us: belief(est.us.flows[l], truth, 1),
      // China knows its own imports; its "estimate" of them is the truth with no error.
      china: own,
    });
  }
  return rows;
}

export interface Adjustable {
  variable: string;
  label: string;
  min: number;
  max: number;
  value: number;
  /** Decimals that fit the variable's scale, for the prefilled value and the range hint. */
  digits: number;
}

function digitsFor(min: number, max: number, variable: string): number {
  if (variable.endsWith('.budget')) return 0;
  return max - min <= 1 ? 2 : 1;
}

/** Every variable the facilitator may set, its bounds and its current true value; empty without the truth. */
export function adjustables(view: ClientView): Adjustable[] {
  const t = view.game.truth;
  if (!t) return [];
  return Object.entries(adjustableVariables(t)).map(([variable, [min, max]]) => ({
    variable,
    label: variableLabel(variable),
    min,
    max,
    value: readVariable(t, variable),
    digits: digitsFor(min, max, variable),
  }));
}

export interface InjectableEvent {
  id: string;
  title: string;
  summary: string;
}

/** The deck, less once-only events that have already happened (the server would refuse them). */
export function injectableEvents(view: ClientView): InjectableEvent[] {
  const used = new Set(view.game.truth?.usedEvents ?? []);
  return EVENT_DECK.filter((e) => !(e.once && used.has(e.id))).map((e) => ({
    id: e.id,
    title: e.title,
    summary: e.summary,
  }));
}

/** The event the facilitator has queued for the end of the round, if any. */
export function injectedEvent(view: ClientView): InjectableEvent | null {
  const id = view.game.truth?.injectedEvent;
  if (!id) return null;
  const e = EVENT_DECK.find((x) => x.id === id);
  return { id, title: e?.title ?? id, summary: e?.summary ?? '' };
}

export interface BotChoice {
  /** null: humans play the side. */
  id: string | null;
  label: string;
}

export function botChoices(side: Side): BotChoice[] {
  return [
    { id: null, label: 'No bot (humans play)' },
    ...botsFor(side).map((b) => ({ id: b.id, label: b.label })),
  ];
}

export interface TeamStatus {
  side: Side;
  label: string;
  bot: string | null;
  seats: SeatInfo[];
  connected: number;
  locked: boolean;
  crisisAnswered: boolean;
  /** Null when the facilitator's view carries no drafts. */
  draft: { orders: string[]; locked: boolean; version: number } | null;
  /** The team's forecast this round, in words, or null when it has none. */
  forecast: string | null;
  /** Its forecasts of revealed rounds, judged against the truth, or null before the first. */
  forecastRecord: string | null;
}

/** Where each team stands: who is connected, its shared draft, whether it locked and answered. */
export function teamStatus(view: ClientView): TeamStatus[] {
  const agreements = view.game.truth?.agreements ?? view.game.public.agreements;
  const scores = visibleScores(view);
  return SIDES.map((side) => {
    const tally = forecastTally(scores, side);
    const seats = view.seats.filter((s) => s.role === side);
    const d = view.drafts?.[side];
    const botId = view.settings.bots[side];
    return {
      side,
      label: SIDE_LABEL[side],
      bot: botId ? (botsFor(side).find((b) => b.id === botId)?.label ?? botId) : null,
      seats,
      connected: seats.filter((s) => s.connected).length,
      locked: view.locked[side],
      crisisAnswered: view.crisisAnswered[side],
      draft: d
        ? { orders: d.orders.map((o) => orderText(o, agreements)), locked: d.locked, version: d.version }
        : null,
      forecast: d?.forecast?.length ? moveNames(d.forecast) : null,
      forecastRecord:
        tally.mean === null
          ? null
          : `${tally.rounds} round${tally.rounds === 1 ? '' : 's'}, mean score ${scorePercent(tally.mean)}; ${namedAndMade(tally)}`,
    };
  });
}

/** Observers, who belong to no team. */
export function seatsOf(view: ClientView, role: Role): SeatInfo[] {
  return view.seats.filter((s) => s.role === role);
}

/**
 * The lobby's warning before the start: a side with nobody seated and no bot still plays, but
 * every round falls back to the deadline's default orders until someone joins or a bot takes it.
 */
export function unmannedWarning(view: ClientView): string | null {
  const empty = SIDES.filter((side) => !view.settings.bots[side] && !view.seats.some((s) => s.role === side));
  if (!empty.length) return null;
  const names = empty.map((side) => `the ${SIDE_LABEL[side]} team`).join(' and ');
  const verb = empty.length === 1 ? 'has' : 'have';
  return `${names.charAt(0).toUpperCase()}${names.slice(1)} ${verb} nobody and no bot: until someone joins or you choose a bot, each round it plays its deadline default (no moves).`;
}
