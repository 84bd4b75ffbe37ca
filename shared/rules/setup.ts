import { estimateOther } from './estimates.ts';
import { EVENT_DECK } from './events.ts';
import { LOOPHOLES, type LoopholeId } from './ids.ts';
import { seedToState } from './rng.ts';
import type { Scenario } from './scenario-schema.ts';
import type { GameState, LoopholeState, SideState } from './state.ts';

function sideFrom(start: Scenario['start']['us']): SideState {
  return {
    capability: start.capability,
    compute: start.compute,
    computePerRound: start.computePerRound,
    intel: start.intel,
    safety: start.safety,
    budget: start.budget,
    efficiency: start.efficiency,
    econCost: 0,
    politicalCost: 0,
    productionCutRounds: 0,
    caught: 0,
    retaliationWindow: 0,
  };
}

/** Built once per scenario object and shared by its games: no game writes to it. */
const EVENT_WEIGHTS = new WeakMap<Scenario, Readonly<Record<string, number>>>();

function eventWeightsOf(scenario: Scenario): Readonly<Record<string, number>> {
  let w = EVENT_WEIGHTS.get(scenario);
  if (!w) {
    const fresh: Record<string, number> = {};
    for (const e of EVENT_DECK)
      fresh[e.id] = scenario.events.disabled.includes(e.id) ? 0 : (scenario.events.weights[e.id] ?? 1);
    w = Object.freeze(fresh);
    EVENT_WEIGHTS.set(scenario, w);
  }
  return w;
}

/** A new game at round 1, orders phase. `rounds` may shorten or lengthen the scenario's default. */
export function createGame(
  scenario: Scenario,
  seed: number | string,
  rounds: number = scenario.rounds,
): GameState {
  const st = scenario.start;
  const loopholes = {} as Record<LoopholeId, LoopholeState>;
  const initialOpenness = {} as Record<LoopholeId, number>;
  for (const l of LOOPHOLES) {
    const o = st.loopholes[l];
    loopholes[l] = { openness: o.openness, maxFlow: o.maxFlow, evasion: 0, flow: o.maxFlow * o.openness };
    initialOpenness[l] = o.openness;
  }
  const s: GameState = {
    scenarioId: scenario.id,
    params: scenario.model,
    eventWeights: eventWeightsOf(scenario),
    eventChance: scenario.events.chancePerRound,
    round: 1,
    maxRounds: rounds,
    phase: 'orders',
    rng: seedToState(seed),
    startLead: st.us.capability - st.china.capability,
    refCompute: Math.max(1, st.us.compute),
    startCompute: { us: st.us.compute, china: st.china.compute },
    us: sideFrom(st.us),
    china: sideFrom(st.china),
    loopholes,
    initialOpenness,
    risk: st.risk,
    trust: st.trust,
    alliedAlignment: st.alliedAlignment,
    talks: { open: st.talksOpen, scope: 'safety' },
    agreements: [],
    nextAgreementNumber: 1,
    violations: [],
    crisisSurvived: false,
    usedEvents: [],
    pendingOrders: { us: null, china: null },
    pendingCrisis: null,
    injectedEvent: null,
    adjustments: [],
    estimates: undefined as unknown as GameState['estimates'],
    history: { public: [], us: [], china: [], metrics: [] },
    outcome: null,
  };
  s.estimates = { us: estimateOther(s, 'us', s), china: estimateOther(s, 'china', s) };
  return s;
}
