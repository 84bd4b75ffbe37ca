import type { z } from 'zod';
import { EVENT_IDS } from './events.ts';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';

/**
 * Turns raw JSON into a checked scenario. A scenario may `extends` another by id and override
 * any part of it (objects merge deeply, everything else replaces), so a variant states only the
 * assumption it changes. Errors name the field and the problem.
 */
export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

export type ScenarioLookup = (id: string) => unknown | undefined;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}`;
}

export function parseScenario(
  raw: unknown,
  lookup: ScenarioLookup = () => undefined,
  depth = 0,
): ScenarioResult {
  if (!isPlainObject(raw)) return { ok: false, errors: ['(root): a scenario must be a JSON object'] };
  let data: unknown = raw;
  if ('extends' in raw) {
    const parentId = raw.extends;
    if (typeof parentId !== 'string')
      return { ok: false, errors: ['extends: must be the id of another scenario'] };
    if (depth >= 4)
      return { ok: false, errors: ['extends: scenarios extend each other more than 4 levels deep'] };
    const parentRaw = lookup(parentId);
    if (parentRaw === undefined) return { ok: false, errors: [`extends: no scenario with id "${parentId}"`] };
    const parent = parseScenario(parentRaw, lookup, depth + 1);
    if (!parent.ok) return { ok: false, errors: parent.errors.map((e) => `in parent "${parentId}": ${e}`) };
    const { extends: _ignored, ...rest } = raw;
    data = deepMerge(parent.scenario, rest);
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(formatIssue) };
  const sc = parsed.data;
  const known = new Set(EVENT_IDS);
  const errors: string[] = [];
  const r = sc.model.risk;
  if (r.floor >= r.limit)
    errors.push(`model.risk.floor: must be below model.risk.limit (${r.limit}), got ${r.floor}`);
  if (sc.start.risk >= r.limit)
    errors.push(`start.risk: must be below model.risk.limit (${r.limit}), got ${sc.start.risk}`);
  if (sc.start.risk < r.floor)
    errors.push(`start.risk: must be at least model.risk.floor (${r.floor}), got ${sc.start.risk}`);
  for (const id of Object.keys(sc.events.weights))
    if (!known.has(id)) errors.push(`events.weights.${id}: no event with this id`);
  sc.events.disabled.forEach((id, i) => {
    if (!known.has(id)) errors.push(`events.disabled.${i}: no event with id "${id}"`);
  });
  return errors.length ? { ok: false, errors } : { ok: true, scenario: sc };
}
