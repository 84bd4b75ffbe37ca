import { SIDE_BOUNDS, SIDE_METERS, type SideMeter } from './context.ts';
import { LOOPHOLES, type LoopholeId, SIDES, type Side } from './ids.ts';
import type { GameState } from './state.ts';

/**
 * Which numbers the facilitator may set, and who may see each change. Split from facilitator.ts
 * (which re-exports it) because that module reaches the order schema, and so zod, through
 * round.ts: the browser's facilitator console needs these without bundling the schema library.
 */

/** The facilitator may set every side meter, and the budget too. */
export const SIDE_FIELDS = [...SIDE_METERS, 'budget'] as const;
export type SideField = SideMeter | 'budget';
const SIDE_FIELD_BOUNDS: Record<SideField, readonly [number, number]> = { ...SIDE_BOUNDS, budget: [1, 50] };

/** Every variable the facilitator may set, with its bounds. Only the scenario's parameters are read. */
export function adjustableVariables(s: Pick<GameState, 'params'>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {
    risk: [s.params.risk.floor, s.params.risk.limit],
    trust: [0, 100],
    alliedAlignment: [0, 1],
  };
  for (const l of LOOPHOLES) {
    out[`loophole.${l}.openness`] = [0, 1];
    out[`loophole.${l}.evasion`] = [0, 1];
  }
  for (const side of SIDES) for (const f of SIDE_FIELDS) out[`${side}.${f}`] = [...SIDE_FIELD_BOUNDS[f]];
  return out;
}

/** Who may see a change of this variable: null for everyone, or the side that owns it. */
export function audienceOf(variable: string): Side | null {
  if (variable.startsWith('us.')) return 'us';
  if (variable.startsWith('china.')) return 'china';
  if (variable.endsWith('.evasion') || variable.endsWith('.flow')) return 'china';
  return null;
}

/** The current value of an adjustable variable. */
export function readVariable(
  s: Pick<GameState, 'us' | 'china' | 'loopholes' | 'risk' | 'trust' | 'alliedAlignment'>,
  variable: string,
): number {
  const [a, b, c] = variable.split('.');
  if (a === 'us' || a === 'china') return s[a][b as SideField];
  if (a === 'loophole') return s.loopholes[b as LoopholeId][c as 'openness' | 'evasion'];
  return s[variable as 'risk' | 'trust' | 'alliedAlignment'];
}
