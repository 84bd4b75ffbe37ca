import { agreementUpkeep, expireProposals, findAgreement, ratify, violate } from './agreements.ts';
import { addPublic, addSide, newCtx, note, type RoundCtx, setFlow, settleRisk } from './context.ts';
import { estimateOther } from './estimates.ts';
import { applyCell, type CellKey, EVENT_DECK, type EventDef, getEvent } from './events.ts';
import { LOOPHOLES, SIDES, type Side } from './ids.ts';
import { loopholeState, loopholeValue, sideState } from './lookup.ts';
import { type CheckInput, checkInput, getMove, type MoveDef, refillCheckInput } from './moves.ts';
import { type OrderError, validateOrders } from './orders.ts';
import { decideOutcome } from './outcome.ts';
import { nextFloat } from './rng.ts';
import type {
  Agreement,
  GameState,
  LoggedOrder,
  LoopholeState,
  Order,
  RoundLog,
  SideState,
} from './state.ts';

export type RoundResult =
  | { ok: true; state: GameState }
  | { ok: false; side: Side | null; errors: OrderError[] };

/**
 * A copy deep enough that adjudication can mutate it without touching the input: every object
 * the rules write to is copied; logs are copied as arrays of immutable entries.
 */
export function cloneForRound(s: GameState): GameState {
  const l = s.loopholes;
  const h = s.history;
  return {
    scenarioId: s.scenarioId,
    params: s.params,
    eventWeights: s.eventWeights,
    eventChance: s.eventChance,
    round: s.round,
    maxRounds: s.maxRounds,
    phase: s.phase,
    rng: s.rng,
    startLead: s.startLead,
    refCompute: s.refCompute,
    startCompute: s.startCompute,
    us: copySide(s.us),
    china: copySide(s.china),
    loopholes: {
      allowedChips: copyLoophole(l.allowedChips),
      cloud: copyLoophole(l.cloud),
      smuggling: copyLoophole(l.smuggling),
      fabEquipment: copyLoophole(l.fabEquipment),
    },
    initialOpenness: s.initialOpenness,
    risk: s.risk,
    trust: s.trust,
    alliedAlignment: s.alliedAlignment,
    talks: { open: s.talks.open, scope: s.talks.scope },
    agreements: s.agreements.map(copyAgreement),
    nextAgreementNumber: s.nextAgreementNumber,
    violations: s.violations.slice(),
    crisisSurvived: s.crisisSurvived,
    usedEvents: s.usedEvents.slice(),
    pendingOrders: { us: s.pendingOrders.us, china: s.pendingOrders.china },
    pendingCrisis: s.pendingCrisis,
    injectedEvent: s.injectedEvent,
    adjustments: s.adjustments,
    estimates: s.estimates,
    history: {
      public: h.public.slice(),
      us: h.us.slice(),
      china: h.china.slice(),
      metrics: h.metrics.slice(),
    },
    outcome: s.outcome,
  };
}

// Field by field rather than spreads: these copies run every round.
function copySide(x: SideState): SideState {
  return {
    capability: x.capability,
    compute: x.compute,
    computePerRound: x.computePerRound,
    intel: x.intel,
    safety: x.safety,
    budget: x.budget,
    efficiency: x.efficiency,
    econCost: x.econCost,
    politicalCost: x.politicalCost,
    productionCutRounds: x.productionCutRounds,
    caught: x.caught,
    retaliationWindow: x.retaliationWindow,
  };
}

function copyLoophole(x: LoopholeState): LoopholeState {
  return { openness: x.openness, maxFlow: x.maxFlow, evasion: x.evasion, flow: x.flow };
}

function copyAgreement(a: Agreement): Agreement {
  return {
    id: a.id,
    type: a.type,
    proposedBy: a.proposedBy,
    proposedRound: a.proposedRound,
    status: a.status,
    inForceFrom: a.inForceFrom,
    violatedRound: a.violatedRound,
    violator: a.violator,
  };
}

/**
 * Resolves one round from both sides' secret orders. Order of resolution (docs/MODEL.md):
 * 1 dialogue, 2 controls, 3 development (US orders before China's within a step), then the
 * retaliation windows count down, 4 covert violations with detection rolls, 5 compute flows and
 * production, 6 capability growth, 7 risk rules, 8 agreement upkeep, ratification and lapses,
 * 9 running costs, 10 crisis draw (and, when the event asks, the crisis answers), 11 new
 * estimates and the round's metrics, 12 end checks. The state passed in is left as it was unless
 * `options.inPlace` says the caller owns it.
 */
export function resolveRound(
  state: GameState,
  orders: { us: unknown; china: unknown },
  options: ResolveOptions = {},
): RoundResult {
  const us = validateOrders(state, 'us', orders.us);
  if (!us.ok) return { ok: false, side: 'us', errors: us.errors };
  const china = validateOrders(state, 'china', orders.china);
  if (!china.ok) return { ok: false, side: 'china', errors: china.errors };
  const s = options.inPlace ? state : cloneForRound(state);
  s.pendingOrders = { us: us.orders, china: china.orders };
  const ctx = newCtx(s);
  const usDefs = us.orders.map(moveOf);
  const chinaDefs = china.orders.map(moveOf);
  const input = checkInput(s, 'us');
  for (let step = 1; step <= 3; step++) {
    applyStep(ctx, 'us', us.orders, usDefs, step, input);
    applyStep(ctx, 'china', china.orders, chinaDefs, step, input);
  }
  // Counted down before this round's detections, so a side that catches a cheat may punish it
  // in each of the next two rounds.
  if (s.us.retaliationWindow > 0) s.us.retaliationWindow--;
  if (s.china.retaliationWindow > 0) s.china.retaliationWindow--;
  carryOutViolations(ctx, 'us', us.orders);
  carryOutViolations(ctx, 'china', china.orders);
  computeFlows(ctx);
  growCapability(ctx);
  riskRules(ctx);
  agreementUpkeep(ctx);
  ratify(ctx);
  expireProposals(ctx);
  runningCosts(ctx);
  s.pendingOrders = { us: null, china: null };
  settleRisk(ctx);
  writeLog(ctx, us.orders, china.orders, usDefs, chinaDefs);
  if (s.risk >= s.params.risk.limit) return { ok: true, state: finishRound(ctx, null) };
  const eventId = drawEvent(s);
  if (eventId) {
    const e = getEvent(eventId);
    if (e) {
      applyEventNow(ctx, eventId);
      if (e.response && s.risk < s.params.risk.limit) {
        s.pendingCrisis = { eventId, round: s.round, responses: { us: null, china: null } };
        s.phase = 'crisis';
        appendToLastLog(ctx, eventId);
        return { ok: true, state: s };
      }
    }
  }
  return { ok: true, state: finishRound(ctx, eventId) };
}

export interface ResolveOptions {
  /**
   * Adjudicate by changing `state` itself instead of a copy: for a caller that holds the only
   * reference to it and drops it for the result (a simulated game). Everyone else gets a copy.
   */
  inPlace?: boolean;
}

/** One resolution step (1 dialogue, 2 controls, 3 development) of one side's orders. */
function applyStep(
  ctx: RoundCtx,
  side: Side,
  list: Order[],
  defs: (MoveDef | undefined)[],
  step: number,
  input: CheckInput,
) {
  for (let i = 0; i < list.length; i++) {
    const def = defs[i];
    if (def?.step === step) applyOrder(ctx, side, list[i] as Order, def, input);
  }
}

function carryOutViolations(ctx: RoundCtx, side: Side, list: Order[]): void {
  for (const o of list) {
    if (o.move !== 'violate-agreement') continue;
    const a = findAgreement(ctx.s, o.agreementId);
    if (a && a.status === 'in-force') violate(ctx, side, a, nextFloat(ctx.s));
    else
      note(
        ctx,
        side,
        'not-carried-out',
        side,
        'violate-agreement',
        `agreement ${o.agreementId ?? ''} is no longer in force`,
      );
  }
}

const moveOf = (o: Order) => getMove(o.move);

function applyOrder(ctx: RoundCtx, side: Side, o: Order, def: MoveDef, input: CheckInput): void {
  // Another order this round may have changed the state: re-check, and say so when it no longer applies.
  const why = def.check(refillCheckInput(input, ctx.s, side), side, o);
  if (why) {
    note(ctx, side, 'not-carried-out', side, def.id, why);
    return;
  }
  def.apply(ctx, side, o);
}

function computeFlows(ctx: RoundCtx): void {
  const s = ctx.s;
  const dep = s.params.growth.computeDepreciation;
  let inflow = 0;
  for (const l of LOOPHOLES) {
    const lh = loopholeState(s, l);
    // Evasion gets a share of the closed part through: a closed door still leaks when someone works at it.
    const effective = lh.openness + (1 - lh.openness) * lh.evasion * 0.6;
    setFlow(ctx, l, lh.maxFlow * effective, 'rule.loophole-flow');
    inflow += lh.flow;
  }
  addSide(
    ctx,
    'china',
    'compute',
    inflow + s.china.computePerRound - s.china.compute * dep,
    'rule.compute-flow',
    null,
  );
  const cut = s.us.productionCutRounds > 0 ? 1 - s.params.china.mineralComputeCut : 1;
  addSide(ctx, 'us', 'compute', s.us.computePerRound * cut - s.us.compute * dep, 'rule.compute-flow', null);
}

/**
 * Capability grows with compute relative to the US's starting stock, times efficiency. The side
 * behind also learns from the leader (diffusion), partly through the open channels themselves:
 * closing loopholes slows that learning too.
 */
function growCapability(ctx: RoundCtx): void {
  const s = ctx.s;
  const g = s.params.growth;
  const ref = s.refCompute;
  const lead = s.us.capability - s.china.capability;
  let openness = 0;
  for (const l of LOOPHOLES) openness += loopholeState(s, l).openness;
  const diffusionRate =
    g.diffusionPerLeadMonth *
    (1 - g.diffusionViaOpenness + g.diffusionViaOpenness * (openness / LOOPHOLES.length));
  for (const side of SIDES) {
    const st = sideState(s, side);
    const base = g.baseMonthsPerRound * (st.compute / ref) ** g.computeElasticity * st.efficiency;
    const behind = side === 'us' ? -lead : lead;
    const diffusion = behind > 0 ? diffusionRate * behind : 0;
    addSide(ctx, side, 'capability', base, 'rule.compute-growth', null);
    if (diffusion > 0) addSide(ctx, side, 'capability', diffusion, 'rule.diffusion', null);
  }
}

function riskRules(ctx: RoundCtx): void {
  const s = ctx.s;
  const r = s.params.risk;
  const lead = s.us.capability - s.china.capability;
  addPublic(ctx, 'risk', r.driftPerRound, 'rule.risk-drift', null);
  if (Math.abs(lead) < r.closeRaceMonths) addPublic(ctx, 'risk', r.closeRaceRisk, 'rule.close-race', null);
  if (lead > r.desperationLeadMonths && s.trust < r.desperationTrustBelow)
    addPublic(ctx, 'risk', r.desperationRisk, 'rule.desperation', null);
}

function runningCosts(ctx: RoundCtx): void {
  const s = ctx.s;
  const c = s.params.controls;
  let lost = 0;
  for (const l of LOOPHOLES)
    lost +=
      loopholeValue(c.lostSalesPerClosure, l) *
      Math.max(0, loopholeValue(s.initialOpenness, l) - loopholeState(s, l).openness);
  if (lost > 0) addSide(ctx, 'us', 'econCost', lost, 'rule.lost-sales', null);
  if (s.us.productionCutRounds > 0) s.us.productionCutRounds--;
  if (s.china.productionCutRounds > 0) s.china.productionCutRounds--;
}

function drawEvent(s: GameState): string | null {
  const chance = s.eventChance + s.params.risk.eventChanceFromRisk * (s.risk / s.params.risk.limit);
  const roll = nextFloat(s);
  if (s.injectedEvent) {
    // The facilitator's choice replaces the draw (the roll above is taken either way).
    const id = s.injectedEvent;
    s.injectedEvent = null;
    return id;
  }
  if (roll >= chance) return null;
  let total = 0;
  const weights = DRAW_WEIGHTS;
  const scenarioWeights = deckWeights(s.eventWeights);
  for (let i = 0; i < EVENT_DECK.length; i++) {
    const e = EVENT_DECK[i] as EventDef;
    const w =
      e.once && s.usedEvents.includes(e.id) ? 0 : Math.max(0, e.weight(s)) * (scenarioWeights[i] ?? 0);
    weights[i] = w;
    total += w;
  }
  if (total <= 0) return null;
  let pick = nextFloat(s) * total;
  for (let i = 0; i < EVENT_DECK.length; i++) {
    pick -= weights[i] ?? 0;
    if (pick < 0) return EVENT_DECK[i]?.id ?? null;
  }
  return null;
}

/**
 * The scenario's weights in deck order, built once per weights object (games share it, and
 * nothing writes to it): reading them by event id is a lookup by a key that varies on every
 * step of the loop, V8's slow generic path.
 */
const DECK_WEIGHTS = new WeakMap<Readonly<Record<string, number>>, Float64Array>();

function deckWeights(byId: Readonly<Record<string, number>>): Float64Array {
  let w = DECK_WEIGHTS.get(byId);
  if (!w) {
    w = new Float64Array(EVENT_DECK.length);
    for (let i = 0; i < EVENT_DECK.length; i++) w[i] = byId[EVENT_DECK[i]?.id ?? ''] ?? 0;
    DECK_WEIGHTS.set(byId, w);
  }
  return w;
}

/** Scratch space for one draw, reused: the weights never outlive `drawEvent`. */
const DRAW_WEIGHTS = new Float64Array(EVENT_DECK.length);

/** Applies an event's immediate effects and marks a once-only event as used. */
function applyEventNow(ctx: RoundCtx, eventId: string): void {
  const e = getEvent(eventId);
  if (!e) return;
  if (e.once) ctx.s.usedEvents.push(e.id);
  e.apply(ctx);
}

function writeLog(
  ctx: RoundCtx,
  usOrders: Order[],
  chinaOrders: Order[],
  usDefs: (MoveDef | undefined)[],
  chinaDefs: (MoveDef | undefined)[],
): void {
  const h = ctx.s.history;
  const us = logged(usOrders, 'us');
  const china = logged(chinaOrders, 'china');
  // The public log shows what was done, not why: rationales stay in the side's own log.
  const shown: LoggedOrder[] = [];
  addOvert(shown, us, usDefs);
  addOvert(shown, china, chinaDefs);
  h.public.push({ round: ctx.round, orders: shown, changes: ctx.pub, notes: ctx.notes.pub, event: null });
  h.us.push({ round: ctx.round, orders: us, changes: ctx.us, notes: ctx.notes.us, event: null });
  h.china.push({ round: ctx.round, orders: china, changes: ctx.china, notes: ctx.notes.china, event: null });
}

/**
 * Orders as logged. Every logged order has the same fields in the same order, absent ones
 * undefined (JSON leaves them out): orders come in many shapes, and objects of many shapes made
 * every reader of the log slow.
 */
function logged(orders: readonly Order[], side: Side): LoggedOrder[] {
  const out: LoggedOrder[] = [];
  for (const o of orders) out.push(loggedOrder(o, side, o.rationale));
  return out;
}

function loggedOrder(o: Order, side: Side, rationale: string | undefined): LoggedOrder {
  return {
    move: o.move,
    loophole: o.loophole,
    agreement: o.agreement,
    agreementId: o.agreementId,
    scope: o.scope,
    rationale,
    side,
  };
}

/** Adds the orders whose move is not covert, without their rationales. */
function addOvert(
  into: LoggedOrder[],
  list: readonly LoggedOrder[],
  moves: readonly (MoveDef | undefined)[],
) {
  for (let i = 0; i < list.length; i++)
    if (!moves[i]?.covert) into.push(withoutRationale(list[i] as LoggedOrder));
}

/**
 * A logged order without its rationale. Log entries are never changed once written, so an order
 * without a rationale is shared by both logs instead of copied.
 */
function withoutRationale(o: LoggedOrder): LoggedOrder {
  return o.rationale === undefined ? o : loggedOrder(o, o.side, undefined);
}

/** Events and crisis answers come after the log was written: they extend the same round's entries. */
function appendToLastLog(ctx: RoundCtx, eventId: string | null): void {
  const h = ctx.s.history;
  extendLast(h.public, ctx.round, ctx.pub, ctx.notes.pub, eventId);
  extendLast(h.us, ctx.round, ctx.us, ctx.notes.us, eventId);
  extendLast(h.china, ctx.round, ctx.china, ctx.notes.china, eventId);
}

function extendLast(
  list: RoundLog[],
  round: number,
  changes: RoundLog['changes'],
  notes: RoundLog['notes'],
  eventId: string | null,
): void {
  const last = list[list.length - 1];
  if (!last || last.round !== round) return;
  list[list.length - 1] = { round, orders: last.orders, changes, notes, event: eventId ?? last.event };
}

function finishRound(ctx: RoundCtx, eventId: string | null): GameState {
  const s = ctx.s;
  // The round's event or the crisis answers may have taken risk past the limit.
  settleRisk(ctx);
  s.pendingCrisis = null;
  s.estimates = { us: estimateOther(s, 'us', s), china: estimateOther(s, 'china', s) };
  appendToLastLog(ctx, eventId);
  s.history.metrics.push({
    round: s.round,
    lead: s.us.capability - s.china.capability,
    risk: s.risk,
    trust: s.trust,
    usCapability: s.us.capability,
    chinaCapability: s.china.capability,
    usCompute: s.us.compute,
    chinaCompute: s.china.compute,
    flows: {
      allowedChips: s.loopholes.allowedChips.flow,
      cloud: s.loopholes.cloud.flow,
      smuggling: s.loopholes.smuggling.flow,
      fabEquipment: s.loopholes.fabEquipment.flow,
    },
    usEstimateOfChinaCapability: s.estimates.us.capability.value,
    chinaEstimateOfUsCapability: s.estimates.china.capability.value,
    event: eventId,
  });
  if (s.risk >= s.params.risk.limit || s.round >= s.maxRounds) {
    s.phase = 'ended';
    s.outcome = decideOutcome(s);
    closeAgreements(s);
  } else {
    s.round += 1;
    s.phase = 'orders';
  }
  return s;
}

/**
 * At the end every agreement still in force is judged on the truth: kept throughout ("complied"),
 * or broken in secret ("violated", now revealed, by the first side that broke it).
 */
function closeAgreements(s: GameState): void {
  for (const a of s.agreements) {
    if (a.status !== 'in-force') continue;
    const broken = s.violations.find((v) => v.agreementId === a.id);
    if (!broken) {
      a.status = 'complied';
      continue;
    }
    a.status = 'violated';
    a.violator = broken.side;
    a.violatedRound = broken.round;
  }
}

export type CrisisResult = { ok: true; state: GameState } | { ok: false; side: Side | null; message: string };

/** Both sides' secret answers to the pending crisis; an answer of null takes the cooperative default. */
/** 'c' for a side's cooperative answer to an event, 'd' for its hard one, null for anything else. */
function crisisAnswerKey(e: EventDef, side: Side, answer: string): 'c' | 'd' | null {
  const [coop, defect] = e.response?.choices[side] ?? [];
  return answer === coop?.id ? 'c' : answer === defect?.id ? 'd' : null;
}

function badAnswerMessage(e: EventDef, side: Side, answer: string): string {
  const [coop, defect] = e.response?.choices[side] ?? [];
  return `"${answer}" is not an answer to ${e.title}; choose "${coop?.id}" or "${defect?.id}"`;
}

/** Why one side's answer to the pending crisis cannot be taken, or null if it can. */
export function checkCrisisAnswer(state: GameState, side: Side, answer: string): string | null {
  const e = state.pendingCrisis ? getEvent(state.pendingCrisis.eventId) : undefined;
  if (state.phase !== 'crisis' || !e?.response) return 'no crisis is waiting for an answer';
  return crisisAnswerKey(e, side, answer) ? null : badAnswerMessage(e, side, answer);
}

export function resolveCrisis(
  state: GameState,
  responses: { us: string | null; china: string | null },
  options: ResolveOptions = {},
): CrisisResult {
  const pending = state.pendingCrisis;
  if (state.phase !== 'crisis' || !pending)
    return { ok: false, side: null, message: 'no crisis is waiting for an answer' };
  const e = getEvent(pending.eventId);
  if (!e?.response) return { ok: false, side: null, message: `event "${pending.eventId}" needs no answer` };
  const keys: Record<Side, 'c' | 'd'> = { us: 'c', china: 'c' };
  for (const side of SIDES) {
    const answer = responses[side];
    if (answer === null) continue;
    const key = crisisAnswerKey(e, side, answer);
    if (key) keys[side] = key;
    else
      return {
        ok: false,
        side,
        message: badAnswerMessage(e, side, answer),
      };
  }
  const s = options.inPlace ? state : cloneForRound(state);
  const ctx = continueCtx(s);
  applyCell(ctx, e, `${keys.us}${keys.china}` as CellKey);
  if (e.id === 'ai-cuban-missile-crisis' && s.risk < s.params.risk.limit) {
    s.crisisSurvived = true;
    note(ctx, 'pub', 'crisis-survived', null, e.id);
  }
  s.pendingCrisis = {
    ...pending,
    responses: {
      us: responses.us ?? e.response.choices.us[0].id,
      china: responses.china ?? e.response.choices.china[0].id,
    },
  };
  note(
    ctx,
    'pub',
    'crisis-answers',
    null,
    e.id,
    `${s.pendingCrisis.responses.us}|${s.pendingCrisis.responses.china}`,
  );
  return { ok: true, state: finishRound(ctx, e.id) };
}

/** A context that keeps appending to the current round's log entries. */
function continueCtx(s: GameState): RoundCtx {
  const ctx = newCtx(s);
  const last = (list: RoundLog[]) => list[list.length - 1];
  const pub = last(s.history.public);
  const us = last(s.history.us);
  const china = last(s.history.china);
  if (pub && us && china && pub.round === s.round) {
    ctx.pub = pub.changes.slice();
    ctx.us = us.changes.slice();
    ctx.china = china.changes.slice();
    ctx.notes = { pub: pub.notes.slice(), us: us.notes.slice(), china: china.notes.slice() };
  }
  return ctx;
}

/** The facilitator ends the game early: the outcome is judged on the state as it stands. */
export function endEarly(state: GameState): GameState {
  if (state.phase === 'ended') return state;
  const s = cloneForRound(state);
  s.phase = 'ended';
  s.pendingCrisis = null;
  s.pendingOrders = { us: null, china: null };
  s.outcome = decideOutcome(s);
  closeAgreements(s);
  return s;
}
