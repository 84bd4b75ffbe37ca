import type { LoopholeId, Seat, Side } from './ids.ts';
import type { ModelParams } from './scenario-schema.ts';
import type {
  Adjustment,
  Agreement,
  Estimates,
  GameState,
  Order,
  Outcome,
  Phase,
  RoundLog,
  SideState,
} from './state.ts';

/** What every seat may see: announced policy, shared meters, agreements, who has answered. */
export interface PublicState {
  scenarioId: string;
  params: ModelParams;
  round: number;
  maxRounds: number;
  phase: Phase;
  risk: number;
  riskLimit: number;
  trust: number;
  alliedAlignment: number;
  talks: { open: boolean; scope: 'safety' | 'broad' };
  crisisSurvived: boolean;
  startLead: number;
  /** Rounds left of China's critical-mineral limits on US compute production (announced policy). */
  mineralLimitsRounds: number;
  /** Openness is announced policy; capacity is scenario knowledge (the yardstick of flow estimates). */
  loopholes: Record<LoopholeId, { openness: number; maxFlow: number }>;
  /** Each side's starting compute, from the scenario: the yardstick of compute estimates. */
  startCompute: Record<Side, number>;
  agreements: readonly Agreement[];
  pendingCrisis: { eventId: string; round: number; answered: Record<Side, boolean> } | null;
  ordersIn: Record<Side, boolean>;
  outcome: Outcome | null;
}

export interface OwnSide {
  side: Side;
  state: Readonly<SideState>;
  /** China's own imports and evasion networks; the US side gets null (it sees estimates). */
  loopholes: Record<LoopholeId, { flow: number; evasion: number }> | null;
  pendingOrders: readonly Order[] | null;
  crisisResponse: string | null;
}

export type Truth = Omit<GameState, 'rng'>;

export interface PlayerView {
  seat: Seat;
  public: PublicState;
  own: OwnSide | null;
  /** The seat's beliefs about the other side, with error bars. */
  estimates: Readonly<Estimates> | null;
  log: { public: readonly RoundLog[]; own: readonly RoundLog[] | null };
  /** The facilitator's hand-set values this seat may see: public ones and its own side's. */
  adjustments: readonly Adjustment[];
  /** Every true value (never the generator state): the facilitator always, everyone once the game has ended. */
  truth: Truth | null;
}

function publicState(s: GameState): PublicState {
  const l = s.loopholes;
  return {
    scenarioId: s.scenarioId,
    params: s.params,
    round: s.round,
    maxRounds: s.maxRounds,
    phase: s.phase,
    risk: s.risk,
    riskLimit: s.params.risk.limit,
    trust: s.trust,
    alliedAlignment: s.alliedAlignment,
    talks: s.talks,
    crisisSurvived: s.crisisSurvived,
    startLead: s.startLead,
    mineralLimitsRounds: s.us.productionCutRounds,
    loopholes: {
      allowedChips: { openness: l.allowedChips.openness, maxFlow: l.allowedChips.maxFlow },
      cloud: { openness: l.cloud.openness, maxFlow: l.cloud.maxFlow },
      smuggling: { openness: l.smuggling.openness, maxFlow: l.smuggling.maxFlow },
      fabEquipment: { openness: l.fabEquipment.openness, maxFlow: l.fabEquipment.maxFlow },
    },
    startCompute: s.startCompute,
    agreements: s.agreements,
    pendingCrisis: s.pendingCrisis
      ? {
          eventId: s.pendingCrisis.eventId,
          round: s.pendingCrisis.round,
          answered: {
            us: s.pendingCrisis.responses.us !== null,
            china: s.pendingCrisis.responses.china !== null,
          },
        }
      : null,
    ordersIn: { us: s.pendingOrders.us !== null, china: s.pendingOrders.china !== null },
    outcome: s.outcome,
  };
}

function truthOf(s: GameState): Truth {
  const { rng: _hidden, ...rest } = s;
  return rest;
}

/**
 * The one function that decides what a seat may see. A side gets its own true values, its own
 * pending orders and its estimates of the other side; the facilitator gets the truth; observers
 * get the public state. Once the game has ended everyone gets the truth for the debrief. The
 * generator state never leaves this function.
 */
export function playerView(s: GameState, seat: Seat): PlayerView {
  const ended = s.phase === 'ended';
  const pub = publicState(s);
  if (seat === 'facilitator' || seat === 'observer') {
    const full = seat === 'facilitator' || ended;
    return {
      seat,
      public: pub,
      own: null,
      estimates: null,
      log: { public: s.history.public, own: null },
      adjustments: full ? s.adjustments : visibleAdjustments(s, null),
      truth: full ? truthOf(s) : null,
    };
  }
  return sideView(s, seat, pub);
}

/**
 * Both sides' views at once, sharing one public part (nothing writes to a view): a simulated game
 * asks for both every round, and the public part is a large share of what a side's view builds.
 */
export function sideViews(s: GameState): { us: PlayerView; china: PlayerView } {
  const pub = publicState(s);
  return { us: sideView(s, 'us', pub), china: sideView(s, 'china', pub) };
}

function sideView(s: GameState, side: Side, pub: PublicState): PlayerView {
  const ended = s.phase === 'ended';
  const us = side === 'us';
  const l = s.loopholes;
  const crisis = s.pendingCrisis;
  // Named reads by side rather than `s[side]`: see shared/rules/lookup.ts.
  return {
    seat: side,
    public: pub,
    own: {
      side,
      state: us ? s.us : s.china,
      loopholes: us
        ? null
        : {
            allowedChips: { flow: l.allowedChips.flow, evasion: l.allowedChips.evasion },
            cloud: { flow: l.cloud.flow, evasion: l.cloud.evasion },
            smuggling: { flow: l.smuggling.flow, evasion: l.smuggling.evasion },
            fabEquipment: { flow: l.fabEquipment.flow, evasion: l.fabEquipment.evasion },
          },
      pendingOrders: us ? s.pendingOrders.us : s.pendingOrders.china,
      crisisResponse: (crisis && (us ? crisis.responses.us : crisis.responses.china)) ?? null,
    },
    estimates: us ? s.estimates.us : s.estimates.china,
    log: { public: s.history.public, own: us ? s.history.us : s.history.china },
    adjustments: ended ? s.adjustments : visibleAdjustments(s, side),
    truth: ended ? truthOf(s) : null,
  };
}

/** Filtering an empty list still allocates, and most games have no facilitator adjustments. */
function visibleAdjustments(s: GameState, side: Side | null): readonly Adjustment[] {
  const all = s.adjustments;
  if (all.length === 0) return all;
  return all.filter((a) => a.audience === null || a.audience === side);
}
