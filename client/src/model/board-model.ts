import type { ClientView, RoomPhase } from '../../../shared/protocol/room.ts';
import { AGREEMENT_NAMES } from '../../../shared/rules/agreements.ts';
import { getEvent } from '../../../shared/rules/events.ts';
import { LOOPHOLES, type Seat, type Side } from '../../../shared/rules/ids.ts';
import type { Agreement, AgreementStatus, Estimate } from '../../../shared/rules/state.ts';
import { fixed, signedLead, span, spanText } from './board-format.ts';
import { FLOW_NAMES, FLOW_SHORT_NAMES, type FlowId, OUTCOME_LABELS } from './board-names.ts';
import { phaseLabel } from './labels.ts';

/**
 * The board as plain numbers and words: what each seat may see of the race, China's compute
 * sources, the shared meters and the dialogue track. The Phaser scene only draws this, and the
 * text summary reads it, so the picture and the words cannot disagree.
 */

/** A part of the board that can be pointed at: highlighted for a change, clicked for its changes. */
export type BoardTarget = 'header' | 'race' | 'flows' | `flow.${FlowId}` | 'risk' | 'trust' | 'dialogue';

/** A value with the range it certainly lies in; for an exact value lo = value = hi. */
export interface Span {
  value: number;
  lo: number;
  hi: number;
}

export interface RaceSide {
  side: Side;
  name: string;
  /** Own or true value; null when this seat only has an estimate, or nothing. */
  exact: number | null;
  /** This seat's belief about the side: always a range, never a point. */
  estimate: Span | null;
  /** For those who see the truth: what the other side believes about this one. */
  believed: Span | null;
  text: string;
  believedText: string | null;
  /** The same in fewer words for the picture, where the lane already names the side and the unit. */
  short: string;
}

export interface RaceModel {
  /** Observers see nobody's capability until the game ends. */
  visible: boolean;
  us: RaceSide;
  china: RaceSide;
  axis: { min: number; max: number; step: number };
  /** US capability minus China's, in months (negative: China ahead). */
  lead: Span | null;
  leadExact: boolean;
  leadText: string;
}

export interface FlowItem {
  id: FlowId;
  name: string;
  shortName: string;
  /** Announced openness 0–1 (loopholes only). */
  openness: number | null;
  /** Flow if fully open (loopholes only). */
  capacity: number | null;
  /** Compute a round; null when this seat cannot see it. */
  flow: Span | null;
  exact: boolean;
  /** Widths as shares of the largest thing drawn, 0–1. */
  norm: { lo: number; hi: number; capacity: number };
  text: string;
  /** The same in fewer words, for the picture: openness, then the amount. */
  openText: string;
  short: string;
}

export interface FlowsModel {
  items: FlowItem[];
  scaleMax: number;
  total: Span | null;
  totalText: string;
  alignment: number;
  alignmentText: string;
}

export interface MeterModel {
  value: number;
  max: number;
  floor: number;
  text: string;
}

export interface AgreementItem {
  id: string;
  name: string;
  status: AgreementStatus;
  statusText: string;
  /** In force (or kept to the end): what the dialogue track has actually achieved. */
  prominent: boolean;
}

export interface DialogueModel {
  talksOpen: boolean;
  talksText: string;
  hotlineText: string;
  /** Agreements that are live, broken or kept, most important first. */
  agreements: AgreementItem[];
  /** Rejected and lapsed proposals, counted. */
  pastText: string | null;
  crisisSurvived: boolean;
}

export interface HeaderModel {
  round: number;
  maxRounds: number;
  roundText: string;
  phase: RoomPhase;
  phaseLabel: string;
  paused: boolean;
  /** Epoch ms; null when paused or untimed. */
  deadline: number | null;
  outcomeText: string | null;
  event: { id: string; title: string; pending: boolean; round: number } | null;
  eventText: string | null;
  /** The event in fewer words, for the picture's header line. */
  eventShort: string | null;
}

export interface BoardModel {
  seat: Seat;
  /** Whether this seat is looking at true values (facilitator, or anyone after the end). */
  truth: boolean;
  header: HeaderModel;
  race: RaceModel;
  flows: FlowsModel;
  risk: MeterModel;
  trust: MeterModel;
  dialogue: DialogueModel;
}

const SIDE_NAME: Record<Side, string> = { us: 'US', china: 'China' };

function estimateSpan(e: Estimate | undefined | null): Span | null {
  return e ? span(e.value, e.value - e.error, e.value + e.error) : null;
}

function niceStep(range: number): number {
  for (const s of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]) if (range / s <= 8) return s;
  return 10_000;
}

function raceModel(v: ClientView): RaceModel {
  const g = v.game;
  const t = g.truth;
  const exact: Record<Side, number | null> = { us: null, china: null };
  const estimate: Record<Side, Span | null> = { us: null, china: null };
  const believed: Record<Side, Span | null> = { us: null, china: null };
  if (t) {
    exact.us = t.us.capability;
    exact.china = t.china.capability;
    // estimates.us is what the US believes about China, so it is drawn on China's lane.
    believed.china = estimateSpan(t.estimates.us.capability);
    believed.us = estimateSpan(t.estimates.china.capability);
  } else if (g.own) {
    const other: Side = g.own.side === 'us' ? 'china' : 'us';
    exact[g.own.side] = g.own.state.capability;
    estimate[other] = estimateSpan(g.estimates?.capability);
  }
  const sideOf = (side: Side): RaceSide => {
    const e = exact[side];
    const est = estimate[side];
    const b = believed[side];
    const name = SIDE_NAME[side];
    const text =
      e !== null
        ? `${name} ${fixed(e)} months`
        : est
          ? `${name} ≈ ${spanText(est)} months`
          : `${name}: not known`;
    const by = SIDE_NAME[side === 'us' ? 'china' : 'us'];
    const own = e !== null ? fixed(e) : est ? `≈ ${spanText(est)}` : 'not known';
    return {
      side,
      name,
      exact: e,
      estimate: est,
      believed: b,
      text,
      believedText: b ? `${by} believes ${spanText(b)}` : null,
      short: b ? `${own} · ${by} estimate ${spanText(b)}` : own,
    };
  };
  const us = sideOf('us');
  const china = sideOf('china');
  const lo = (s: RaceSide) => s.exact ?? s.estimate?.lo;
  const hi = (s: RaceSide) => s.exact ?? s.estimate?.hi;
  const ends: number[] = [];
  for (const s of [us, china]) {
    for (const x of [lo(s), hi(s), s.believed?.lo, s.believed?.hi]) if (x !== undefined) ends.push(x);
  }
  const visible = ends.length > 0;
  const minV = visible ? Math.min(...ends) : 0;
  const maxV = visible ? Math.max(...ends) : 1;
  const step = niceStep(Math.max(4, maxV - minV) * 1.2);
  const axis = {
    min: Math.floor((minV - step / 2) / step) * step,
    max: Math.ceil((maxV + step / 2) / step) * step,
    step,
  };

  let lead: Span | null = null;
  const uLo = lo(us);
  const uHi = hi(us);
  const cLo = lo(china);
  const cHi = hi(china);
  if (uLo !== undefined && uHi !== undefined && cLo !== undefined && cHi !== undefined) {
    const uv = us.exact ?? us.estimate?.value ?? 0;
    const cv = china.exact ?? china.estimate?.value ?? 0;
    // A lead can be negative: not a `span`, which cuts at zero.
    lead = { value: uv - cv, lo: uLo - cHi, hi: uHi - cLo };
  }
  const leadExact = us.exact !== null && china.exact !== null;
  let leadText: string;
  if (!lead) leadText = 'Observers see capabilities when the game ends.';
  else if (leadExact) {
    const x = lead.value;
    leadText =
      Math.abs(x) < 0.05
        ? 'Level: neither side leads'
        : `${x > 0 ? 'US' : 'China'} ahead by ${fixed(Math.abs(x))} months`;
  } else {
    const x = lead.value;
    const who =
      Math.abs(x) < 0.05
        ? 'About level'
        : `${x > 0 ? 'US' : 'China'} ahead by about ${fixed(Math.abs(x))} months`;
    leadText = `${who} (${signedLead(lead.lo)} to ${signedLead(lead.hi)})`;
  }
  return { visible, us, china, axis, lead, leadExact, leadText };
}

function flowsModel(v: ClientView): FlowsModel {
  const g = v.game;
  const t = g.truth;
  const pub = g.public;
  const items: FlowItem[] = [];
  let ownFlow: Span | null = null;
  if (t) ownFlow = span(t.china.computePerRound);
  else if (g.own?.side === 'china') ownFlow = span(g.own.state.computePerRound);
  items.push({
    id: 'own',
    name: FLOW_NAMES.own,
    shortName: FLOW_SHORT_NAMES.own,
    openness: null,
    capacity: null,
    flow: ownFlow,
    exact: ownFlow !== null,
    norm: { lo: 0, hi: 0, capacity: 0 },
    text: ownFlow ? `${fixed(ownFlow.value)} a round` : 'not observed',
    openText: '',
    short: ownFlow ? fixed(ownFlow.value) : 'not observed',
  });
  for (const id of LOOPHOLES) {
    const l = pub.loopholes[id];
    let flow: Span | null = null;
    let exact = false;
    let evasion = 0;
    if (t) {
      flow = span(t.loopholes[id].flow);
      evasion = t.loopholes[id].evasion;
      exact = true;
    } else if (g.own?.loopholes) {
      flow = span(g.own.loopholes[id].flow);
      evasion = g.own.loopholes[id].evasion;
      exact = true;
    } else if (g.estimates) {
      flow = estimateSpan(g.estimates.flows[id]);
    }
    const open = `${Math.round(l.openness * 100)}% open`;
    const amount = !flow
      ? 'flow not observed'
      : exact
        ? `${fixed(flow.value)} a round`
        : `≈ ${spanText(flow)} a round`;
    const ev = evasion > 0.005 ? ` · evasion ${Math.round(evasion * 100)}%` : '';
    const shortAmount = !flow ? 'not observed' : exact ? fixed(flow.value) : `≈ ${spanText(flow)}`;
    items.push({
      id,
      name: FLOW_NAMES[id],
      shortName: FLOW_SHORT_NAMES[id],
      openness: l.openness,
      capacity: l.maxFlow,
      flow,
      exact,
      norm: { lo: 0, hi: 0, capacity: 0 },
      text: `${open} · ${amount}${ev}`,
      openText: open,
      short: `${shortAmount}${ev}`,
    });
  }
  let scaleMax = 1;
  for (const it of items) scaleMax = Math.max(scaleMax, it.capacity ?? 0, it.flow?.hi ?? 0);
  for (const it of items) {
    it.norm = {
      lo: (it.flow?.lo ?? 0) / scaleMax,
      hi: (it.flow?.hi ?? 0) / scaleMax,
      capacity: (it.capacity ?? 0) / scaleMax,
    };
  }
  const channels = items.filter((it) => it.id !== 'own');
  let total: Span | null = null;
  let totalText = 'Observers see the flows when the game ends.';
  if (channels.every((it) => it.flow)) {
    const sum = (f: (s: Span) => number) => channels.reduce((a, it) => a + (it.flow ? f(it.flow) : 0), 0);
    total = span(
      sum((s) => s.value),
      sum((s) => s.lo),
      sum((s) => s.hi),
    );
    if (ownFlow) {
      const all = total.value + ownFlow.value;
      totalText = `Into China: ${fixed(all)} a round, ${fixed(total.value)} of it through the four channels`;
    } else totalText = `Through the four channels: ≈ ${spanText(total)} a round`;
  }
  return {
    items,
    scaleMax,
    total,
    totalText,
    alignment: pub.alliedAlignment,
    alignmentText: `Allies follow US controls: ${Math.round(pub.alliedAlignment * 100)}%`,
  };
}

const STATUS_ORDER: AgreementStatus[] = ['in-force', 'complied', 'accepted', 'proposed', 'violated'];

function agreementItem(a: Agreement): AgreementItem {
  const by = SIDE_NAME[a.proposedBy];
  const text: Record<AgreementStatus, string> = {
    'in-force': 'in force',
    complied: 'kept to the end',
    accepted: 'accepted: in force as the round closes',
    proposed: `proposed by ${by}`,
    violated: a.violator
      ? `broken by ${SIDE_NAME[a.violator]}${a.violatedRound !== null ? ` (round ${a.violatedRound})` : ''}`
      : 'broken',
    rejected: 'rejected',
    expired: 'lapsed',
  };
  return {
    id: a.id,
    name: AGREEMENT_NAMES[a.type],
    status: a.status,
    statusText: text[a.status],
    prominent: a.status === 'in-force' || a.status === 'complied',
  };
}

function dialogueModel(v: ClientView): DialogueModel {
  const pub = v.game.public;
  const talks = pub.talks;
  const talksText = !talks.open
    ? 'Talks closed'
    : talks.scope === 'broad'
      ? 'Talks open: broad (export controls on the table)'
      : 'Talks open: safety only';
  const shown = pub.agreements
    .filter((a) => STATUS_ORDER.includes(a.status))
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  const hotline = shown.find((a) => a.type === 'hotline' && a.status !== 'violated');
  const hotlineText = !hotline
    ? 'Hotline: none'
    : hotline.status === 'in-force' || hotline.status === 'complied'
      ? 'Hotline: in force'
      : hotline.status === 'accepted'
        ? 'Hotline: agreed, in force as the round closes'
        : `Hotline: proposed by ${SIDE_NAME[hotline.proposedBy]}`;
  const rejected = pub.agreements.filter((a) => a.status === 'rejected').length;
  const lapsed = pub.agreements.filter((a) => a.status === 'expired').length;
  const past = [rejected ? `${rejected} rejected` : '', lapsed ? `${lapsed} lapsed` : ''].filter(Boolean);
  return {
    talksOpen: talks.open,
    talksText,
    hotlineText,
    agreements: shown.map(agreementItem),
    pastText: past.length ? `Also ${past.join(' and ')}.` : null,
    crisisSurvived: pub.crisisSurvived,
  };
}

function headerModel(v: ClientView): HeaderModel {
  const pub = v.game.public;
  let event: HeaderModel['event'] = null;
  if (pub.pendingCrisis) {
    const id = pub.pendingCrisis.eventId;
    event = { id, title: getEvent(id)?.title ?? id, pending: true, round: pub.pendingCrisis.round };
  } else {
    const last = v.game.log.public.at(-1);
    if (last?.event)
      event = {
        id: last.event,
        title: getEvent(last.event)?.title ?? last.event,
        pending: false,
        round: last.round,
      };
  }
  const outcome = pub.outcome;
  return {
    round: v.round,
    maxRounds: pub.maxRounds,
    roundText: `Round ${v.round} of ${pub.maxRounds}`,
    phase: v.phase,
    phaseLabel: phaseLabel(v.phase),
    paused: v.paused,
    deadline: v.paused ? null : v.deadline,
    outcomeText: outcome ? `Outcome: ${OUTCOME_LABELS[outcome.id]}` : null,
    event,
    eventText: event
      ? event.pending
        ? `Crisis: ${event.title} (waiting for answers)`
        : `Event, round ${event.round}: ${event.title}`
      : null,
    eventShort: event ? (event.pending ? `Crisis: ${event.title}` : event.title) : null,
  };
}

export function boardModel(v: ClientView): BoardModel {
  const pub = v.game.public;
  const floor = pub.params?.risk?.floor ?? 0;
  return {
    seat: v.game.seat,
    truth: v.game.truth !== null,
    header: headerModel(v),
    race: raceModel(v),
    flows: flowsModel(v),
    risk: {
      value: pub.risk,
      max: pub.riskLimit,
      floor,
      text: `Global AI risk ${fixed(pub.risk)} of ${fixed(pub.riskLimit, 0)}`,
    },
    trust: { value: pub.trust, max: 100, floor: 0, text: `Trust ${fixed(pub.trust)} of 100` },
    dialogue: dialogueModel(v),
  };
}

/** Sentences that say what the board shows, for the text summary beside the canvas. */
export function boardSummary(m: BoardModel, clock?: string): string[] {
  const h = m.header;
  const out: string[] = [];
  const time = h.paused ? ' The clock is paused.' : clock ? ` ${clock}.` : '';
  out.push(`${h.roundText}, ${h.phaseLabel.toLowerCase()} phase.${time}`);
  if (h.outcomeText) out.push(`${h.outcomeText}.`);
  if (h.eventText) out.push(`${h.eventText}.`);
  const r = m.race;
  if (!r.visible) out.push(`Capability race: ${r.leadText}`);
  else {
    const side = (s: RaceSide) => {
      const main =
        s.exact !== null
          ? `${s.name} capability ${fixed(s.exact)} months`
          : s.estimate
            ? `${s.name} capability estimated at ${fixed(s.estimate.value)} months, between ${fixed(s.estimate.lo)} and ${fixed(s.estimate.hi)}`
            : `${s.name} capability not known`;
      return s.believedText ? `${main} (${s.believedText})` : main;
    };
    out.push(`Capability race: ${side(r.us)}; ${side(r.china)}. ${r.leadText}.`);
  }
  const f = m.flows;
  const flows = f.items.map((it) => `${it.name}: ${it.text}`).join('; ');
  out.push(`China's compute sources: ${flows}. ${f.totalText}. ${f.alignmentText}.`);
  out.push(
    `${m.risk.text}; reaching ${fixed(m.risk.max, 0)} is a catastrophe for both sides. ${m.trust.text}.`,
  );
  const d = m.dialogue;
  const agreements = d.agreements.length
    ? `Agreements: ${d.agreements.map((a) => `${a.name}, ${a.statusText}`).join('; ')}.`
    : 'No agreements yet.';
  out.push(`${d.talksText}. ${d.hotlineText}. ${agreements}${d.pastText ? ` ${d.pastText}` : ''}`);
  return out;
}

export {
  type ChangeItem,
  elementChanges,
  type RoundChanges,
  roundChanges,
  targetOfVariable,
  targetTitle,
} from './board-changes.ts';
export { clockText } from './board-format.ts';
export { type BoardLayout, boardHeight, flowRows, hitTest, layoutBoard, type Rect } from './board-layout.ts';
export { lerpModel } from './board-lerp.ts';
export { FLOW_IDS, FLOW_NAMES, FLOW_SHORT_NAMES, type FlowId, OUTCOME_LABELS } from './board-names.ts';
