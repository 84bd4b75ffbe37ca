/**
 * Shared helpers for the rules tests. Not a test file: vitest only collects `*.test.ts`.
 * Every number a test needs from the model is read from the loaded scenario or the state's params.
 */
import { Plan } from '../../shared/bots/plan.ts';
import type { Bot } from '../../shared/bots/types.ts';
import { getEvent } from '../../shared/rules/events.ts';
import type { AgreementType, Side } from '../../shared/rules/ids.ts';
import { movesFor, PARAM_CHOICES } from '../../shared/rules/moves.ts';
import { nextFloat, seedToState } from '../../shared/rules/rng.ts';
import { resolveCrisis, resolveRound } from '../../shared/rules/round.ts';
import type { Scenario } from '../../shared/rules/scenario-schema.ts';
import { createGame } from '../../shared/rules/setup.ts';
import type { Agreement, ChangeRecord, GameState, Order, RoundLog } from '../../shared/rules/state.ts';
import { playerView } from '../../shared/rules/view.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';

export const BASELINE = 'baseline-2026';
export const SHORT = 'classroom-short';

/** A fresh game of a built-in scenario (a new parse each call, so tests never share objects). */
export function game(seed: number | string = 1, scenarioId: string = BASELINE, rounds?: number): GameState {
  const sc = builtinScenario(scenarioId);
  return rounds === undefined ? createGame(sc, seed) : createGame(sc, seed, rounds);
}

/** Switches crisis draws off, so a round's changes come only from orders and the fixed rules. */
export function quiet(s: GameState): GameState {
  s.eventChance = 0;
  s.params = structuredClone(s.params);
  s.params.risk.eventChanceFromRisk = 0;
  s.eventWeights = Object.fromEntries(Object.keys(s.eventWeights).map((k) => [k, 0]));
  return s;
}

/** Makes the next crisis draw certain and picks `eventId` (every other event weighs 0). */
export function forceEvent(s: GameState, eventId: string): GameState {
  s.eventChance = 1;
  s.eventWeights = Object.fromEntries(Object.keys(s.eventWeights).map((k) => [k, k === eventId ? 1 : 0]));
  return s;
}

/** Resolves a round that must be accepted. */
export function resolve(s: GameState, us: unknown = [], china: unknown = []): GameState {
  const r = resolveRound(s, { us, china });
  if (!r.ok) throw new Error(`orders refused (${r.side}): ${r.errors.map((e) => e.message).join('; ')}`);
  return r.state;
}

export function answerCrisis(s: GameState, us: string | null, china: string | null): GameState {
  const r = resolveCrisis(s, { us, china });
  if (!r.ok) throw new Error(`crisis answer refused (${r.side}): ${r.message}`);
  return r.state;
}

export function must<T>(v: T | undefined | null, what = 'value'): T {
  if (v === undefined || v === null) throw new Error(`expected a ${what}`);
  return v;
}

export function lastLog(s: GameState, log: 'public' | Side): RoundLog {
  const list = s.history[log];
  return must(list[list.length - 1], `${log} log entry`);
}

/** Change records of the last logged round in one log, optionally filtered by cause and variable. */
export function records(
  s: GameState,
  log: 'public' | Side,
  cause?: string,
  variable?: string,
): ChangeRecord[] {
  return lastLog(s, log).changes.filter(
    (c) => (cause === undefined || c.cause === cause) && (variable === undefined || c.variable === variable),
  );
}

/** The notes of the last logged round as text, whatever their form (words or structured records). */
export function notesText(s: GameState, log: 'public' | Side): string {
  return JSON.stringify(lastLog(s, log).notes);
}

export function sumDelta(list: readonly ChangeRecord[]): number {
  let t = 0;
  for (const c of list) t += c.delta;
  return t;
}

/** An rng state whose first draw satisfies `pred` (the detection roll is the first draw of a round). */
export function rngWhereFirstRoll(pred: (roll: number) => boolean): number {
  for (let i = 0; i < 100_000; i++) {
    const state = seedToState(`roll:${i}`);
    if (pred(nextFloat({ rng: state }))) return state;
  }
  throw new Error('no rng state found');
}

export function addAgreement(
  s: GameState,
  type: AgreementType,
  status: Agreement['status'] = 'in-force',
  id = `t${s.nextAgreementNumber++}`,
  proposedBy: Side = 'us',
): Agreement {
  const a: Agreement = {
    id,
    type,
    proposedBy,
    proposedRound: status === 'proposed' ? s.round : s.round - 1,
    status,
    inForceFrom: status === 'in-force' ? s.round : null,
    violatedRound: null,
    violator: null,
  };
  s.agreements.push(a);
  return a;
}

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Visits every object in a JSON-like tree (keys and values). */
export function walk(
  value: unknown,
  visit: (obj: Record<string, unknown>, path: string) => void,
  path = '$',
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(v, visit, `${path}[${i}]`);
    });
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    visit(obj, path);
    for (const [k, v] of Object.entries(obj)) walk(v, visit, `${path}.${k}`);
  }
}

/** A bot that gives random valid orders from the whole catalogue, to reach states the real bots avoid. */
export function randomBot(side: Side, seed: string): Bot {
  const cursor = { rng: seedToState(seed) };
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(nextFloat(cursor) * list.length)];
  const moves = movesFor(side);
  return {
    id: `random-${side}`,
    side,
    label: 'Random',
    description: 'Random valid orders (tests only).',
    orders(view) {
      const plan = new Plan(view);
      const tries = 3 + Math.floor(nextFloat(cursor) * 8);
      for (let i = 0; i < tries; i++) {
        const m = pick(moves);
        if (!m) continue;
        const o: Order = { move: m.id };
        if (m.param === 'loophole') o.loophole = pick(PARAM_CHOICES.loophole);
        else if (m.param === 'agreement') o.agreement = pick(PARAM_CHOICES.agreement);
        else if (m.param === 'scope') o.scope = pick(PARAM_CHOICES.scope);
        else if (m.param === 'agreementId') {
          const a = pick(view.public.agreements);
          if (a) o.agreementId = a.id;
        }
        plan.add(o, nextFloat(cursor) < 0.3 ? `random ${i}` : undefined);
      }
      return plan.orders;
    },
    crisis(_view, eventId) {
      const pair = getEvent(eventId)?.response?.choices[side];
      if (!pair) throw new Error(`event ${eventId} needs no answer`);
      return nextFloat(cursor) < 0.5 ? pair[0].id : pair[1].id;
    },
  };
}

export interface StepHooks {
  /** Called with the state and both sides' orders before the round is resolved. */
  orders?: (s: GameState, orders: Record<Side, Order[]>) => void;
  /** Called with the state and both answers before the crisis is resolved. */
  crisis?: (s: GameState, answers: Record<Side, string>) => void;
  /** Called with every state the game passes through, the first included. */
  state?: (s: GameState) => void;
}

/**
 * Plays a game between two bots like `playGame`, but lets a test look at every step. Throws when
 * the rules refuse a bot's orders or answers, naming the bot, the round and the errors.
 */
export function playSteps(
  scenario: Scenario,
  us: Bot,
  china: Bot,
  seed: number | string,
  hooks: StepHooks = {},
): GameState {
  let s = createGame(scenario, seed);
  hooks.state?.(s);
  for (let guard = 0; guard < 4 * s.maxRounds + 4 && s.phase !== 'ended'; guard++) {
    if (s.phase === 'orders') {
      const orders = { us: us.orders(playerView(s, 'us')), china: china.orders(playerView(s, 'china')) };
      hooks.orders?.(s, orders);
      const r = resolveRound(s, orders);
      if (!r.ok)
        throw new Error(
          `${r.side === 'china' ? china.id : us.id} (${r.side}) round ${s.round}: ${r.errors.map((e) => e.message).join('; ')}`,
        );
      s = r.state;
    } else {
      const id = must(s.pendingCrisis, 'pending crisis').eventId;
      const answers = {
        us: us.crisis(playerView(s, 'us'), id),
        china: china.crisis(playerView(s, 'china'), id),
      };
      hooks.crisis?.(s, answers);
      const r = resolveCrisis(s, answers);
      if (!r.ok) throw new Error(`crisis ${id} answer refused (${r.side}): ${r.message}`);
      s = r.state;
    }
    hooks.state?.(s);
  }
  return s;
}
