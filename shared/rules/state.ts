import type { AgreementType, LoopholeId, OutcomeId, Side } from './ids.ts';
import type { ModelParams } from './scenario-schema.ts';

/** True values of one side. Hidden from the other side (it sees `Estimates`) until the game ends. */
export interface SideState {
  capability: number;
  compute: number;
  computePerRound: number;
  intel: number;
  safety: number;
  budget: number;
  efficiency: number;
  econCost: number;
  politicalCost: number;
  /** Rounds left of a production cut imposed by the other side (China's mineral limits). */
  productionCutRounds: number;
  /** Detected violations by this side, for the score. */
  caught: number;
  /** Rounds left in which this side may punish the other for a detected violation. */
  retaliationWindow: number;
}

/** Openness is public policy; the flow it lets through is known to China and only estimated by the US. */
export interface LoopholeState {
  openness: number;
  maxFlow: number;
  /** China's evasion effort on this loophole (0..1): flow that gets through whatever the openness. */
  evasion: number;
  flow: number;
}

export type AgreementStatus =
  | 'proposed'
  | 'accepted'
  | 'in-force'
  | 'violated'
  | 'complied'
  | 'rejected'
  | 'expired';

export interface Agreement {
  id: string;
  type: AgreementType;
  proposedBy: Side;
  proposedRound: number;
  status: AgreementStatus;
  /** Round from which it is in force (set on acceptance: the round after). */
  inForceFrom: number | null;
  /** Round of the broken promise that voided it, and who broke it (set on detection, a leak, or at the end). */
  violatedRound: number | null;
  violator: Side | null;
}

/** Secret record of a side breaking an agreement in one round; public only once detected or at the end. */
export interface Violation {
  agreementId: string;
  side: Side;
  round: number;
  detected: boolean;
}

export interface Estimate {
  value: number;
  error: number;
}

export interface ComplianceEstimate extends Estimate {
  agreementId: string;
}

/** What one side believes about the other, regenerated each round with bounded noise. */
export interface Estimates {
  capability: Estimate;
  compute: Estimate;
  intel: Estimate;
  /** Compute flowing into China through each loophole (only meaningful in the US's estimates). */
  flows: Record<LoopholeId, Estimate>;
  /** Share of in-force rounds the other side kept each agreement (in force or found violated). */
  compliance: ComplianceEstimate[];
}

export interface Order {
  move: string;
  loophole?: LoopholeId;
  agreement?: AgreementType;
  agreementId?: string;
  scope?: 'safety' | 'broad';
  rationale?: string;
}

/** An order as logged: who gave it is part of the record. */
export interface LoggedOrder extends Order {
  side: Side;
}

export type Phase = 'orders' | 'crisis' | 'ended';

export interface PendingCrisis {
  eventId: string;
  round: number;
  responses: { us: string | null; china: string | null };
}

/**
 * One change of one number, kept as data and turned into words only when shown
 * (`explainChange`). `cause` is a move id, an event id or a rule id.
 */
export interface ChangeRecord {
  round: number;
  cause: string;
  side: Side | null;
  variable: string;
  delta: number;
  after: number;
}

export type NoteCode =
  | 'proposed'
  | 'proposal-exists'
  | 'accepted'
  | 'rejected'
  | 'lapsed'
  | 'violation-detected'
  | 'violation-leaked'
  | 'not-carried-out'
  | 'mineral-limits'
  | 'incident-reported'
  | 'summit-opened-talks'
  | 'hotline-softened'
  | 'crisis-survived'
  | 'crisis-answers';

/**
 * Something that happened in a round without being a change of a number, kept as data like
 * `ChangeRecord` (`describeNote` words it). `ref` is an agreement id, move id or event id;
 * `detail` an agreement type, a reason, or the pair of crisis answers.
 */
export interface RoundNote {
  round: number;
  code: NoteCode;
  side: Side | null;
  ref: string | null;
  detail: string | null;
}

/** A facilitator's change of a number; `audience` null means everyone may see it. */
export interface Adjustment {
  round: number;
  variable: string;
  before: number;
  after: number;
  note: string;
  audience: Side | null;
}

/** What happened in a round, split by who may see it: `public` for all, `us`/`china` for one side. */
export interface RoundLog {
  round: number;
  orders: LoggedOrder[];
  changes: ChangeRecord[];
  notes: RoundNote[];
  /** The crisis event drawn at the end of the round, if any. */
  event: string | null;
}

export interface History {
  public: RoundLog[];
  us: RoundLog[];
  china: RoundLog[];
  /** Per-round true metrics for charts; public only after the end. */
  metrics: RoundMetrics[];
}

export interface RoundMetrics {
  round: number;
  lead: number;
  risk: number;
  trust: number;
  usCapability: number;
  chinaCapability: number;
  usCompute: number;
  chinaCompute: number;
  flows: Record<LoopholeId, number>;
  usEstimateOfChinaCapability: number;
  chinaEstimateOfUsCapability: number;
  event: string | null;
}

export interface Outcome {
  id: OutcomeId;
  round: number;
  reason: string;
  scores: Record<Side, number>;
  objectives: Record<Side, { id: string; met: boolean; detail: string }[]>;
}

export interface GameState {
  scenarioId: string;
  params: ModelParams;
  /** Event weights after the scenario's overrides; disabled events weigh 0. */
  eventWeights: Readonly<Record<string, number>>;
  eventChance: number;
  round: number;
  maxRounds: number;
  phase: Phase;
  /** Hidden: the generator state. `playerView` strips it for every seat, the facilitator's included. */
  rng: number;
  startLead: number;
  /** US compute at the start: the yardstick of capability growth (see docs/MODEL.md). */
  refCompute: number;
  /** Each side's starting compute: the public yardstick for the width of compute estimates. */
  startCompute: Record<Side, number>;
  us: SideState;
  china: SideState;
  loopholes: Record<LoopholeId, LoopholeState>;
  initialOpenness: Record<LoopholeId, number>;
  risk: number;
  trust: number;
  alliedAlignment: number;
  talks: { open: boolean; scope: 'safety' | 'broad' };
  agreements: Agreement[];
  nextAgreementNumber: number;
  violations: Violation[];
  crisisSurvived: boolean;
  /** Events already drawn that may happen only once. */
  usedEvents: string[];
  pendingOrders: { us: Order[] | null; china: Order[] | null };
  pendingCrisis: PendingCrisis | null;
  /** An event the facilitator chose for the end of this round, in place of the random draw. */
  injectedEvent: string | null;
  /** Values the facilitator set by hand, with the note given. */
  adjustments: Adjustment[];
  /** Estimates held by each side about the other: `estimates.us` is what the US believes about China. */
  estimates: { us: Estimates; china: Estimates };
  history: History;
  outcome: Outcome | null;
}
