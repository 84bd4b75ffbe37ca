import { parseScenario, type ScenarioResult } from '../rules/scenario.ts';
import type { Scenario } from '../rules/scenario-schema.ts';
import baseline from './baseline-2026.json' with { type: 'json' };
import classroom from './classroom-short.json' with { type: 'json' };

/** The scenarios shipped with the game, as raw JSON; `loadScenario` validates and resolves `extends`. */
export const BUILTIN_SCENARIOS: Readonly<Record<string, unknown>> = {
  'baseline-2026': baseline,
  'classroom-short': classroom,
};

export const builtinLookup = (id: string): unknown | undefined => BUILTIN_SCENARIOS[id];

export function loadScenario(raw: unknown): ScenarioResult {
  return parseScenario(raw, builtinLookup);
}

const parsed = new Map<string, Scenario>();

/**
 * A built-in scenario, validated once and frozen: the server creates a game from it for every new
 * table, and validating it each time was a visible part of opening one. Frozen, a rule that wrote
 * into the scenario it was given would fail loudly instead of changing every later game.
 */
export function builtinScenario(id: string): Scenario {
  const known = parsed.get(id);
  if (known) return known;
  const raw = BUILTIN_SCENARIOS[id];
  if (raw === undefined)
    throw new Error(`no built-in scenario "${id}"; known: ${Object.keys(BUILTIN_SCENARIOS).join(', ')}`);
  const r = loadScenario(raw);
  if (!r.ok) throw new Error(`built-in scenario "${id}" is invalid: ${r.errors.join('; ')}`);
  const scenario = deepFreeze(r.scenario);
  parsed.set(id, scenario);
  return scenario;
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}
