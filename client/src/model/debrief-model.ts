import type { ClientView } from '../../../shared/protocol/room.ts';
import { AGREEMENT_NAMES } from '../../../shared/rules/agreements.ts';
import { getEvent } from '../../../shared/rules/events.ts';
import {
  describeNote,
  explainChange,
  loopholeName,
  OUTCOME_NAMES,
  objectiveLabel,
  orderName,
  variableLabel,
} from '../../../shared/rules/explain.ts';

import { LOOPHOLES, type LoopholeId, type OutcomeId, SIDES, type Side } from '../../../shared/rules/ids.ts';
import { getMove } from '../../../shared/rules/moves.ts';
import type { Agreement, Order, RoundLog, RoundMetrics } from '../../../shared/rules/state.ts';
import {
  type ChartSeries,
  type ChartSpec,
  type DashStyle,
  formatNumber,
  type MarkerShape,
} from './chart-scale.ts';

/**
 * The debrief as plain data: the outcome and objectives, the charts' series, the round-by-round
 * timeline with both sides' full orders (covert ones and rationales included) and every change
 * in words, and what each side believed against the truth. Built from the view every seat gets
 * once the game has ended, which carries the truth.
 */

export const SIDE_LABEL: Record<Side, string> = { us: 'US', china: 'China' };

const OUTCOME_MEANING: Record<OutcomeId, string> = {
  catastrophe: 'Global AI risk reached its limit. Both sides share the loss.',
  'unmanaged-race':
    'The rivalry ended with risk too high, or with no talks and no agreement in force to manage it.',
  'managed-rivalry': 'Risk ended below the managed threshold, with talks open or an agreement in force.',
  'verified-agreement':
    'A substantive agreement was in force, never broken and verifiable, with risk below the managed threshold.',
};

/** An order in words: the move, its target, and whether it is covert. */
export function orderText(o: Order, agreements: readonly Agreement[]): string {
  return `${orderName(o, agreements)}${getMove(o.move)?.covert ? ' [covert]' : ''}`;
}

export interface ObjectiveLine {
  id: string;
  label: string;
  met: boolean;
  /** The state as text and as a symbol, so colour is never the only signal. */
  status: 'Met' | 'Not met';
  symbol: '✔' | '✘';
  detail: string;
}

export interface OutcomeSummary {
  id: OutcomeId;
  name: string;
  meaning: string;
  reason: string;
  round: number;
  maxRounds: number;
  /** When it was decided, in words: the last round, a round before it, or a round cut short. */
  when: string;
  sides: { side: Side; label: string; score: number; objectives: ObjectiveLine[] }[];
}

/** A game ended by the facilitator stops in a round its orders never resolved: say so. */
function decidedWhen(round: number, maxRounds: number, played: number): string {
  if (played < round)
    return `round ${round}, before it was resolved (${played} of ${maxRounds} rounds played)`;
  return round < maxRounds ? `round ${round} of ${maxRounds} planned` : `round ${round}, the last`;
}

export function outcomeSummary(view: ClientView): OutcomeSummary | null {
  const o = view.game.public.outcome;
  if (!o) return null;
  return {
    id: o.id,
    name: OUTCOME_NAMES[o.id],
    meaning: OUTCOME_MEANING[o.id],
    reason: o.reason,
    round: o.round,
    maxRounds: view.game.public.maxRounds,
    when: decidedWhen(o.round, view.game.public.maxRounds, view.game.log.public.length),
    sides: SIDES.map((side) => ({
      side,
      label: SIDE_LABEL[side],
      score: o.scores[side],
      objectives: o.objectives[side].map((x) => ({
        id: x.id,
        label: objectiveLabel(x.id),
        met: x.met,
        status: x.met ? 'Met' : 'Not met',
        symbol: x.met ? '✔' : '✘',
        detail: x.detail,
      })),
    })),
  };
}

function metricsOf(view: ClientView): readonly RoundMetrics[] {
  return view.game.truth?.history.metrics ?? [];
}

function series(
  name: string,
  metrics: readonly RoundMetrics[],
  y: (m: RoundMetrics) => number,
  look: { dash: DashStyle; marker: MarkerShape; colour: ChartSeries['colour'] },
): ChartSeries {
  return { name, points: metrics.map((m) => ({ x: m.round, y: y(m) })), ...look };
}

export interface DebriefCharts {
  lead: ChartSpec;
  risk: ChartSpec;
  trust: ChartSpec;
  flows: ChartSpec;
  beliefs: ChartSpec;
}

const FLOW_LOOKS: Record<
  LoopholeId,
  { dash: DashStyle; marker: MarkerShape; colour: ChartSeries['colour'] }
> = {
  allowedChips: { dash: 'solid', marker: 'circle', colour: 'us' },
  cloud: { dash: 'dash', marker: 'square', colour: 'china' },
  smuggling: { dash: 'dot', marker: 'triangle', colour: 'purple' },
  fabEquipment: { dash: 'dash-dot', marker: 'diamond', colour: 'trust' },
};

/** The debrief's charts, one point per round played, from the true per-round metrics. */
export function chartSeries(view: ClientView): DebriefCharts {
  const m = metricsOf(view);
  const pub = view.game.public;
  const base = { xLabel: 'Round', includeZero: true };
  return {
    lead: {
      ...base,
      id: 'lead',
      title: 'US lead over China',
      yLabel: 'Months',
      digits: 1,
      series: [series('US lead', m, (x) => x.lead, { dash: 'solid', marker: 'circle', colour: 'us' })],
      refLines: [{ label: 'Lead at the start', y: pub.startLead }],
    },
    risk: {
      ...base,
      id: 'risk',
      title: 'Global AI risk',
      yLabel: 'Risk',
      digits: 1,
      series: [series('Risk', m, (x) => x.risk, { dash: 'solid', marker: 'circle', colour: 'risk' })],
      refLines: [
        { label: 'Catastrophe limit', y: pub.riskLimit },
        { label: 'Managed-outcome threshold', y: pub.params.risk.managedBelow },
      ],
    },
    trust: {
      ...base,
      id: 'trust',
      title: 'Trust between the sides',
      yLabel: 'Trust (0–100)',
      digits: 1,
      series: [series('Trust', m, (x) => x.trust, { dash: 'solid', marker: 'square', colour: 'trust' })],
      refLines: [],
    },
    flows: {
      ...base,
      id: 'flows',
      title: 'Compute reaching China, by loophole',
      yLabel: 'Compute per round',
      digits: 1,
      series: LOOPHOLES.map((l) => series(loopholeName(l), m, (x) => x.flows[l], FLOW_LOOKS[l])),
      refLines: [],
    },
    beliefs: {
      ...base,
      includeZero: false,
      id: 'beliefs',
      title: 'Capability: the truth and what the other side believed',
      yLabel: 'Capability (months)',
      digits: 1,
      series: [
        series('China capability (true)', m, (x) => x.chinaCapability, {
          dash: 'solid',
          marker: 'circle',
          colour: 'china',
        }),
        series('US estimate of China capability', m, (x) => x.usEstimateOfChinaCapability, {
          dash: 'dash',
          marker: 'square',
          colour: 'china',
        }),
        series('US capability (true)', m, (x) => x.usCapability, {
          dash: 'solid',
          marker: 'triangle',
          colour: 'us',
        }),
        series('China estimate of US capability', m, (x) => x.chinaEstimateOfUsCapability, {
          dash: 'dot',
          marker: 'diamond',
          colour: 'us',
        }),
      ],
      refLines: [],
    },
  };
}

export interface TimelineOrder {
  text: string;
  covert: boolean;
  rationale: string | null;
}

export type Audience = 'everyone' | 'US only' | 'China only';

export interface TimelineRound {
  round: number;
  orders: { side: Side; label: string; orders: TimelineOrder[] }[];
  event: { id: string; title: string; summary: string } | null;
  notes: string[];
  /** Every change with its cause, and who could see it during play. */
  changes: { text: string; seenBy: Audience }[];
  adjustments: string[];
}

const SEEN_BY: Record<'public' | Side, Audience> = { public: 'everyone', us: 'US only', china: 'China only' };

/** Round by round: both sides' full orders, the event, what happened and every change, and the facilitator's rulings. */
export function timeline(view: ClientView): TimelineRound[] {
  const t = view.game.truth;
  const pub = t?.history.public ?? view.game.log.public;
  const agreements = t?.agreements ?? view.game.public.agreements;
  return pub.map((p, i) => {
    const logs: Record<'public' | Side, RoundLog | undefined> = {
      public: p,
      us: t?.history.us[i],
      china: t?.history.china[i],
    };
    const ordersOf = (side: Side) =>
      // Without a side's own log (never after the end) only its revealed orders are known.
      (logs[side]?.orders ?? p.orders.filter((o) => o.side === side)).map((o) => ({
        text: orderText(o, agreements),
        covert: getMove(o.move)?.covert ?? false,
        rationale: o.rationale ?? null,
      }));
    const e = p.event ? getEvent(p.event) : undefined;
    const changes: { text: string; seenBy: Audience }[] = [];
    const notes: string[] = [];
    for (const who of ['public', 'us', 'china'] as const) {
      const log = logs[who];
      if (!log) continue;
      for (const c of log.changes) changes.push({ text: explainChange(c), seenBy: SEEN_BY[who] });
      for (const n of log.notes) notes.push(describeNote(n));
    }
    return {
      round: p.round,
      orders: SIDES.map((side) => ({ side, label: SIDE_LABEL[side], orders: ordersOf(side) })),
      event: p.event ? { id: p.event, title: e?.title ?? p.event, summary: e?.summary ?? '' } : null,
      notes,
      changes,
      adjustments: view.game.adjustments
        .filter((a) => a.round === p.round)
        .map(
          (a) =>
            `Set ${variableLabel(a.variable)} from ${formatNumber(a.before, 2)} to ${formatNumber(a.after, 2)}: “${a.note}”`,
        ),
    };
  });
}

export interface BeliefRow {
  round: number;
  chinaTrue: number;
  usBelief: number;
  /** How far the belief was from the truth: positive when it overrated the other side. */
  usMiss: number;
  usTrue: number;
  chinaBelief: number;
  chinaMiss: number;
}

/** Per round: each side's true capability beside the other side's estimate of it. */
export function beliefRows(view: ClientView): BeliefRow[] {
  return metricsOf(view).map((m) => ({
    round: m.round,
    chinaTrue: m.chinaCapability,
    usBelief: m.usEstimateOfChinaCapability,
    usMiss: m.usEstimateOfChinaCapability - m.chinaCapability,
    usTrue: m.usCapability,
    chinaBelief: m.chinaEstimateOfUsCapability,
    chinaMiss: m.chinaEstimateOfUsCapability - m.usCapability,
  }));
}

const STATUS_WORDS: Record<Agreement['status'], string> = {
  proposed: 'proposed, never answered',
  accepted: 'accepted',
  'in-force': 'in force',
  violated: 'broken',
  complied: 'kept to the end',
  rejected: 'rejected',
  expired: 'lapsed',
};

/** Every agreement's fate, then the broken promises nobody found out about during play. */
export function agreementLines(view: ClientView): { agreements: string[]; hiddenViolations: string[] } {
  const t = view.game.truth;
  const all = t?.agreements ?? view.game.public.agreements;
  const name = (id: string) => {
    const a = all.find((x) => x.id === id);
    return a ? `${AGREEMENT_NAMES[a.type]} (${a.id})` : id;
  };
  return {
    agreements: all.map(
      (a) =>
        `${AGREEMENT_NAMES[a.type]} (${a.id}), proposed by ${SIDE_LABEL[a.proposedBy]} in round ${a.proposedRound}: ${STATUS_WORDS[a.status]}${a.violator ? `, broken by ${SIDE_LABEL[a.violator]} in round ${a.violatedRound}` : ''}.`,
    ),
    hiddenViolations: (t?.violations ?? [])
      .filter((v) => !v.detected)
      .map(
        (v) =>
          `${SIDE_LABEL[v.side]} broke ${name(v.agreementId)} in round ${v.round}; it was never detected during play.`,
      ),
  };
}
