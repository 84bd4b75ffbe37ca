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

export function builtinScenario(id: string): Scenario {
  const raw = BUILTIN_SCENARIOS[id];
  if (raw === undefined)
    throw new Error(`no built-in scenario "${id}"; known: ${Object.keys(BUILTIN_SCENARIOS).join(', ')}`);
  const r = loadScenario(raw);
  if (!r.ok) throw new Error(`built-in scenario "${id}" is invalid: ${r.errors.join('; ')}`);
  return r.scenario;
}
