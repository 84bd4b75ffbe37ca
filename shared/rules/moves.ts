import {
  AGREEMENT_NAMES,
  acceptAgreement,
  findAgreement,
  inForce,
  liveAgreement,
  majorAgreementsOpen,
  proposeAgreement,
} from './agreements.ts';
import { addEvasion, addOpenness, addPublic, addSide, note, type RoundCtx } from './context.ts';
import { AGREEMENT_TYPES, LOOPHOLES, type LoopholeId, otherSide, type Side, type Track } from './ids.ts';
import { agreementValue, loopholeValue, sideState } from './lookup.ts';
import type { ModelParams } from './scenario-schema.ts';
import type { Agreement, GameState, Order, SideState } from './state.ts';

/**
 * The move catalogue. Each move is data (name, track, cost, what it needs) plus two pure pieces:
 * `check` says why it cannot be ordered now (or null), `apply` makes its changes through the
 * recording helpers. `step` fixes the order of resolution (docs/MODEL.md, "A round").
 */
export type MoveParam = 'loophole' | 'agreement' | 'agreementId' | 'scope' | null;

export interface MoveDef {
  id: string;
  name: string;
  track: Track;
  sides: readonly Side[];
  cost: number;
  /** Covert moves stay out of the public log: the other side learns of one only if it is detected, and at the end. */
  covert: boolean;
  param: MoveParam;
  /** Resolution step: 1 dialogue, 2 controls, 3 development, 4 covert compliance. */
  step: 1 | 2 | 3 | 4;
  summary: string;
  check(c: CheckInput, side: Side, o: Order): string | null;
  apply(ctx: RoundCtx, side: Side, o: Order): void;
}

/**
 * What a precondition may look at: the ordering side's own values and the public state. Built
 * from the true state by the rules and from a seat's view by bots and the client, so both judge
 * an order by the same checks and no check can peek at the other side's secrets.
 */
export interface CheckInput {
  params: ModelParams;
  own: Readonly<SideState>;
  talks: { open: boolean; scope: 'safety' | 'broad' };
  trust: number;
  crisisSurvived: boolean;
  alliedAlignment: number;
  mineralLimitsRounds: number;
  /** Evasion is China's secret: built from a US view it reads 0; the rules lend the truth, which only China's moves read. */
  loopholes: Readonly<Record<LoopholeId, { readonly openness: number; readonly evasion: number }>>;
  agreements: readonly Agreement[];
}

/**
 * The rules' own precondition input. It lends the true loophole records (evasion included)
 * because only China's moves read evasion and the result never leaves the rules.
 */
export function checkInput(s: GameState, side: Side): CheckInput {
  return {
    params: s.params,
    own: sideState(s, side),
    talks: s.talks,
    trust: s.trust,
    crisisSurvived: s.crisisSurvived,
    alliedAlignment: s.alliedAlignment,
    mineralLimitsRounds: s.us.productionCutRounds,
    loopholes: s.loopholes,
    agreements: s.agreements,
  };
}

/**
 * Refills `into` with the current values: a round re-checks every order just before it resolves,
 * and one object per side refilled each time costs less than a new one per order.
 */
export function refillCheckInput(into: CheckInput, s: GameState, side: Side): CheckInput {
  into.params = s.params;
  into.own = sideState(s, side);
  into.talks = s.talks;
  into.trust = s.trust;
  into.crisisSurvived = s.crisisSurvived;
  into.alliedAlignment = s.alliedAlignment;
  into.mineralLimitsRounds = s.us.productionCutRounds;
  into.loopholes = s.loopholes;
  into.agreements = s.agreements;
  return into;
}

const BOTH: readonly Side[] = ['us', 'china'];
const US: readonly Side[] = ['us'];
const CHINA: readonly Side[] = ['china'];
const none = () => null;

/** The loophole effect of a tightening: allies decide how far equipment and transit rules bite. */
function tightenStep(s: GameState, l: LoopholeId): number {
  const c = s.params.controls;
  const needsAllies = l === 'fabEquipment' || l === 'smuggling';
  return needsAllies
    ? c.stepPerOrder * (c.alignmentLeverage + (1 - c.alignmentLeverage) * s.alliedAlignment)
    : c.stepPerOrder;
}

const MOVES: MoveDef[] = [
  // ---- Dialogue ----
  {
    id: 'open-talks',
    name: 'Open or reframe talks',
    track: 'dialogue',
    sides: BOTH,
    cost: 1,
    covert: false,
    param: 'scope',
    step: 1,
    summary:
      'Opens an AI security dialogue, on safety only or broad (export controls on the table); raises trust if talks were closed. Talks are broad only if the other side does not ask for safety only in the same round.',
    check: (s, _side, o) => {
      if (!o.scope) return 'choose a scope: safety or broad';
      return s.talks.open && s.talks.scope === o.scope
        ? `talks are already open on ${o.scope === 'safety' ? 'safety only' : 'a broad agenda'}`
        : null;
    },
    apply: (ctx, side, o) => {
      const s = ctx.s;
      const scope = o.scope ?? 'safety';
      // Either side can keep export controls off the table: a broad agenda needs nobody to insist on safety only.
      const otherAsked = s.pendingOrders[otherSide(side)]?.find((x) => x.move === 'open-talks')?.scope;
      const wasOpen = s.talks.open;
      s.talks.open = true;
      s.talks.scope = scope === 'broad' && otherAsked !== 'safety' ? 'broad' : 'safety';
      if (!wasOpen) addPublic(ctx, 'trust', s.params.trust.talks, 'move.open-talks', side);
    },
  },
  {
    id: 'propose-agreement',
    name: 'Propose an agreement',
    track: 'dialogue',
    sides: BOTH,
    cost: 1,
    covert: false,
    param: 'agreement',
    step: 1,
    summary:
      'Puts a formal agreement on the table. The other side accepts or rejects it within the next two rounds, or it lapses (or proposes the same now).',
    check: (s, side, o) => {
      if (!o.agreement) return 'choose an agreement type';
      if (!s.talks.open) return 'talks must be open first (order "Open or reframe talks")';
      const live = liveAgreement(s, o.agreement);
      if (live && !(live.status === 'proposed' && live.proposedBy !== side))
        return `${AGREEMENT_NAMES[o.agreement]} is already ${live.status}`;
      if (agreementValue(s.params.agreements, o.agreement).major && !majorAgreementsOpen(s))
        return `${AGREEMENT_NAMES[o.agreement]} is a major agreement: it needs trust of ${s.params.verification.majorTrustThreshold} or a survived AI crisis`;
      return null;
    },
    apply: (ctx, side, o) => {
      if (o.agreement) proposeAgreement(ctx, side, o.agreement);
    },
  },
  {
    id: 'accept-agreement',
    name: 'Accept a proposed agreement',
    track: 'dialogue',
    sides: BOTH,
    cost: 0,
    covert: false,
    param: 'agreementId',
    step: 1,
    summary:
      'Accepts the other side’s proposal: it enters into force as this round closes (its entry effect then, its per-round effects from next round). Raises trust.',
    check: (s, side, o) => {
      const a = findAgreement(s, o.agreementId);
      if (!a) return `no agreement with id "${o.agreementId ?? ''}"`;
      if (a.status !== 'proposed') return `agreement ${a.id} is ${a.status}, not proposed`;
      if (a.proposedBy === side) return 'you cannot accept your own proposal';
      return null;
    },
    apply: (ctx, side, o) => {
      const a = findAgreement(ctx.s, o.agreementId);
      if (a && a.status === 'proposed') acceptAgreement(ctx, side, a);
    },
  },
  {
    id: 'reject-agreement',
    name: 'Reject a proposed agreement',
    track: 'dialogue',
    sides: BOTH,
    cost: 0,
    covert: false,
    param: 'agreementId',
    step: 1,
    summary: 'Turns down the other side’s proposal. Lowers trust a little.',
    check: (s, side, o) => {
      const a = findAgreement(s, o.agreementId);
      if (!a) return `no agreement with id "${o.agreementId ?? ''}"`;
      if (a.status !== 'proposed') return `agreement ${a.id} is ${a.status}, not proposed`;
      if (a.proposedBy === side) return 'you cannot reject your own proposal';
      return null;
    },
    apply: (ctx, side, o) => {
      const a = findAgreement(ctx.s, o.agreementId);
      if (a?.status !== 'proposed') return;
      a.status = 'rejected';
      addPublic(ctx, 'trust', -2, 'move.reject-agreement', side);
      note(ctx, 'pub', 'rejected', side, a.id, a.type);
    },
  },
  {
    id: 'violate-agreement',
    name: 'Break an agreement in secret',
    track: 'dialogue',
    sides: BOTH,
    cost: 1,
    covert: true,
    param: 'agreementId',
    step: 4,
    summary:
      'Quietly ignores an agreement in force for a capability gain; every breach also raises global risk (publicly, with no cause named). The other side may detect it: then the agreement is void, trust falls and it may retaliate.',
    check: (s, _side, o) => {
      const a = findAgreement(s, o.agreementId);
      if (!a) return `no agreement with id "${o.agreementId ?? ''}"`;
      if (a.status !== 'in-force') return `agreement ${a.id} is ${a.status}, not in force`;
      if (agreementValue(s.params.agreements, a.type).cheatCapabilityGain === 0)
        return `${AGREEMENT_NAMES[a.type]} offers nothing to gain by breaking it`;
      return null;
    },
    apply: () => {
      // Resolved by the adjudicator's covert step, which needs a detection roll (see round.ts).
    },
  },
  {
    id: 'punish-violation',
    name: 'Retaliate for a detected violation',
    track: 'dialogue',
    sides: BOTH,
    cost: 1,
    covert: false,
    param: null,
    step: 1,
    summary:
      'Sanctions the other side after catching it cheating: it pays economically and loses some capability. Lowers trust.',
    check: (s) =>
      s.own.retaliationWindow > 0
        ? null
        : 'only after catching the other side breaking an agreement (within 2 rounds)',
    apply: (ctx, side) => {
      const other = otherSide(side);
      addSide(ctx, other, 'econCost', 6, 'move.punish-violation', side);
      addSide(ctx, other, 'capability', -0.5, 'move.punish-violation', side);
      addPublic(ctx, 'trust', ctx.s.params.trust.retaliation, 'move.punish-violation', side);
      sideState(ctx.s, side).retaliationWindow = 0;
    },
  },
  // ---- Controls (US) ----
  {
    id: 'tighten-loophole',
    name: 'Tighten an export-control loophole',
    track: 'controls',
    sides: US,
    cost: 2,
    covert: false,
    param: 'loophole',
    step: 2,
    summary:
      'Narrows one of the four channels into China. US firms lose sales every round a channel stays below its starting level (chips, cloud, equipment); closing equipment or smuggling also costs US political capital unless allies are aligned. China reads it as hostile.',
    check: (s, _side, o) => {
      if (!o.loophole) return 'choose a loophole';
      return loopholeValue(s.loopholes, o.loophole).openness <= 0
        ? `the ${o.loophole} loophole is already closed`
        : null;
    },
    apply: (ctx, side, o) => {
      const s = ctx.s;
      const l = o.loophole as LoopholeId;
      addOpenness(ctx, l, -tightenStep(s, l), 'move.tighten-loophole', side);
      addPublic(ctx, 'trust', s.params.trust.tighten, 'move.tighten-loophole', side);
      if (l === 'fabEquipment' || l === 'smuggling')
        addSide(
          ctx,
          'us',
          'politicalCost',
          s.params.controls.allyFrictionPerClosure * (1 - s.alliedAlignment),
          'move.tighten-loophole',
        );
    },
  },
  {
    id: 'ease-loophole',
    name: 'Ease an export control',
    track: 'controls',
    sides: US,
    cost: 1,
    covert: false,
    param: 'loophole',
    step: 2,
    summary:
      'Widens one channel: US firms regain sales lost to earlier tightening (none on smuggling) and China gains compute. Raises trust, twice as much when talks are broad.',
    check: (s, _side, o) => {
      if (!o.loophole) return 'choose a loophole';
      return loopholeValue(s.loopholes, o.loophole).openness >= 1
        ? `the ${o.loophole} loophole is already fully open`
        : null;
    },
    apply: (ctx, side, o) => {
      const s = ctx.s;
      addOpenness(ctx, o.loophole as LoopholeId, s.params.controls.stepPerOrder, 'move.ease-loophole', side);
      const broad = s.talks.open && s.talks.scope === 'broad';
      addPublic(ctx, 'trust', s.params.trust.ease * (broad ? 2 : 1), 'move.ease-loophole', side);
    },
  },
  {
    id: 'allied-coordination',
    name: 'Coordinate controls with allies',
    track: 'controls',
    sides: US,
    cost: 2,
    covert: false,
    param: null,
    step: 2,
    summary:
      'Brings the Netherlands, Japan and transit countries closer: equipment and smuggling controls bite harder and cost less friction.',
    check: (s) => (s.alliedAlignment >= 1 ? 'allies are already fully aligned' : null),
    apply: (ctx, side) => {
      addPublic(ctx, 'alliedAlignment', 0.15, 'move.allied-coordination', side);
      addSide(ctx, 'us', 'politicalCost', 0.5, 'move.allied-coordination');
    },
  },
  {
    id: 'enforcement-surge',
    name: 'Surge export-control enforcement',
    track: 'controls',
    sides: US,
    cost: 2,
    covert: false,
    param: null,
    step: 2,
    summary:
      'More agents and end-use checks: narrows smuggling and cuts China’s evasion networks on every channel.',
    check: none,
    apply: (ctx, side) => {
      const s = ctx.s;
      addOpenness(
        ctx,
        'smuggling',
        -s.params.controls.enforcementSmugglingCut,
        'move.enforcement-surge',
        side,
      );
      for (const l of LOOPHOLES)
        addEvasion(ctx, l, -s.params.controls.enforcementSmugglingCut, 'move.enforcement-surge', side);
    },
  },
  // ---- Controls (China) ----
  {
    id: 'evasion-network',
    name: 'Build an evasion network',
    track: 'controls',
    sides: CHINA,
    cost: 2,
    covert: true,
    param: 'loophole',
    step: 2,
    summary:
      'Shell companies and transit routes that move chips or compute past a control, whatever its openness. Kept from the US until the debrief. A smuggling network makes a smuggling bust likelier; busts and transit crackdowns shrink it, and US enforcement surges shrink every network.',
    check: (s, _side, o) => {
      if (!o.loophole) return 'choose a loophole';
      if (o.loophole === 'fabEquipment')
        return 'equipment cannot be moved through an evasion network; order "Invest in domestic chips and fabs"';
      return loopholeValue(s.loopholes, o.loophole).evasion >= 1
        ? `the ${o.loophole} evasion network is already at full size`
        : null;
    },
    apply: (ctx, side, o) => {
      addEvasion(ctx, o.loophole as LoopholeId, ctx.s.params.china.evasionStep, 'move.evasion-network', side);
    },
  },
  {
    id: 'stockpile-chips',
    name: 'Stockpile chips while they are allowed',
    track: 'controls',
    sides: CHINA,
    cost: 2,
    covert: false,
    param: null,
    step: 2,
    summary:
      'Buys allowed chips ahead of new rules (more compute this round, in proportion to how open chip sales are); US officials see the rush and trust falls.',
    check: (s) =>
      s.loopholes.allowedChips.openness <= 0
        ? 'nothing legal is left to buy: allowed chip sales are closed'
        : null,
    apply: (ctx, side) => {
      const s = ctx.s;
      const extra =
        s.params.china.stockpileShare *
        (s.loopholes.allowedChips.maxFlow * s.loopholes.allowedChips.openness);
      addSide(ctx, 'china', 'compute', extra, 'move.stockpile-chips');
      addPublic(ctx, 'trust', -2, 'move.stockpile-chips', side);
    },
  },
  {
    id: 'mineral-retaliation',
    name: 'Limit critical-mineral exports',
    track: 'controls',
    sides: CHINA,
    cost: 2,
    covert: false,
    param: null,
    step: 2,
    summary:
      'Retaliation: US compute production falls for two rounds, the US bears an economic cost and allies drift a little from the US; China loses export revenue, trust falls sharply and global risk rises.',
    check: (s) => (s.mineralLimitsRounds > 0 ? 'mineral limits are already in place' : null),
    apply: (ctx, side) => {
      const s = ctx.s;
      s.us.productionCutRounds = 2;
      note(ctx, 'pub', 'mineral-limits', side);
      addPublic(ctx, 'trust', -6, 'move.mineral-retaliation', side);
      addPublic(ctx, 'risk', 1, 'move.mineral-retaliation', side);
      addPublic(ctx, 'alliedAlignment', -0.05, 'move.mineral-retaliation', side);
      addSide(ctx, 'china', 'econCost', 1.5, 'move.mineral-retaliation');
      addSide(ctx, 'us', 'econCost', 2, 'move.mineral-retaliation', side);
    },
  },
  {
    id: 'court-allies',
    name: 'Court US allies',
    track: 'controls',
    sides: CHINA,
    cost: 1,
    covert: false,
    param: null,
    step: 2,
    summary:
      'Trade offers to the countries whose equipment and ports the controls depend on: allied alignment with the US falls.',
    check: (s) => (s.alliedAlignment <= 0 ? 'US allies are already split' : null),
    apply: (ctx, side) => {
      addPublic(ctx, 'alliedAlignment', -ctx.s.params.china.courtAlliesStep, 'move.court-allies', side);
    },
  },
  {
    id: 'domestic-chips',
    name: 'Invest in domestic chips and fabs',
    track: 'development',
    sides: CHINA,
    cost: 3,
    covert: false,
    param: null,
    step: 3,
    summary:
      'Raises China’s own chip output for the rest of the game: slow, expensive, and beyond the reach of export controls.',
    check: none,
    apply: (ctx) => {
      addSide(ctx, 'china', 'computePerRound', ctx.s.params.china.domesticChipsGain, 'move.domestic-chips');
    },
  },
  // ---- Development (both unless marked) ----
  {
    id: 'compute-buildout',
    name: 'Build out data centres',
    track: 'development',
    sides: US,
    cost: 2,
    covert: false,
    param: null,
    step: 3,
    summary: 'Raises US compute production for the rest of the game.',
    check: none,
    apply: (ctx) => {
      addSide(
        ctx,
        'us',
        'computePerRound',
        ctx.s.params.development.computeBuildout,
        'move.compute-buildout',
      );
    },
  },
  {
    id: 'frontier-training',
    name: 'Run a frontier training push',
    track: 'development',
    sides: BOTH,
    cost: 3,
    covert: false,
    param: null,
    step: 3,
    summary: 'A big training run: capability jumps this round, and so does global risk (racing).',
    check: (s) =>
      inForce(s, 'frontier-cap')
        ? 'the frontier cap in force forbids it (breaking it in secret is a separate move)'
        : null,
    apply: (ctx, side) => {
      const s = ctx.s;
      addSide(
        ctx,
        side,
        'capability',
        s.params.development.frontierTrainingMonths * sideState(s, side).efficiency,
        'move.frontier-training',
      );
      addPublic(ctx, 'risk', s.params.development.frontierTrainingRisk, 'move.frontier-training', side);
    },
  },
  {
    id: 'algorithmic-efficiency',
    name: 'Fund algorithmic efficiency',
    track: 'development',
    sides: BOTH,
    cost: 2,
    covert: false,
    param: null,
    step: 3,
    summary:
      'Gets more out of the same compute, from this round on: a lasting multiplier on capability growth.',
    check: none,
    apply: (ctx, side) => {
      addSide(
        ctx,
        side,
        'efficiency',
        ctx.s.params.development.efficiencyGain,
        'move.algorithmic-efficiency',
      );
    },
  },
  {
    id: 'safety-research',
    name: 'Fund safety research',
    track: 'development',
    sides: BOTH,
    cost: 2,
    covert: false,
    param: null,
    step: 3,
    summary: 'Lowers global risk, at a small cost in capability.',
    check: none,
    apply: (ctx, side) => {
      const d = ctx.s.params.development;
      addSide(ctx, side, 'safety', 5, 'move.safety-research');
      addSide(ctx, side, 'capability', -d.safetyCapabilityCost, 'move.safety-research');
      addPublic(ctx, 'risk', -d.safetyRiskCut, 'move.safety-research', side);
    },
  },
  {
    id: 'intel-verification',
    name: 'Invest in intelligence and verification',
    track: 'development',
    sides: BOTH,
    cost: 2,
    covert: false,
    param: null,
    step: 3,
    summary: 'Sharper estimates of the other side and a better chance of catching a broken agreement.',
    check: (s) => (s.own.intel >= 1 ? 'intelligence is already at its maximum' : null),
    apply: (ctx, side) => {
      addSide(ctx, side, 'intel', ctx.s.params.development.intelGain, 'move.intel-verification');
    },
  },
];

export const MOVE_CATALOGUE: readonly MoveDef[] = MOVES;
const BY_ID = new Map(MOVES.map((m) => [m.id, m]));

export function getMove(moveId: string): MoveDef | undefined {
  return BY_ID.get(moveId);
}

export function movesFor(side: Side): MoveDef[] {
  return MOVES.filter((m) => m.sides.includes(side));
}

export const PARAM_CHOICES = {
  loophole: LOOPHOLES,
  agreement: AGREEMENT_TYPES,
  scope: ['safety', 'broad'],
} as const;
