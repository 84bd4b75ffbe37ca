import { SIDE_BOUNDS, SIDE_METERS, type SideMeter } from './context.ts';
import { getEvent } from './events.ts';
import { LOOPHOLES, type LoopholeId, SIDES, type Side } from './ids.ts';
import { cloneForRound } from './round.ts';
import type { Adjustment, GameState } from './state.ts';

/**
 * The facilitator's two ways of changing the world, as pure functions like every other rule:
 * inject a chosen event, and set a number to a new value with a note. Both are recorded so the
 * after-action report can show them; an adjustment of a side's hidden value is shown only to that
 * side (and to everyone after the end), like any other change of it.
 */
export type FacilitatorResult = { ok: true; state: GameState } | { ok: false; message: string };

/** The facilitator may set every side meter, and the budget too. */
const SIDE_FIELDS = [...SIDE_METERS, 'budget'] as const;
type SideField = SideMeter | 'budget';
const SIDE_FIELD_BOUNDS: Record<SideField, readonly [number, number]> = { ...SIDE_BOUNDS, budget: [1, 50] };

/** Every variable the facilitator may set, with its bounds. */
export function adjustableVariables(s: GameState): Record<string, [number, number]> {
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

function read(s: GameState, variable: string): number {
  const [a, b, c] = variable.split('.');
  if (a === 'us' || a === 'china') return s[a][b as SideField];
  if (a === 'loophole') return s.loopholes[b as LoopholeId][c as 'openness' | 'evasion'];
  return s[variable as 'risk' | 'trust' | 'alliedAlignment'];
}

function write(s: GameState, variable: string, value: number): void {
  const [a, b, c] = variable.split('.');
  if (a === 'us' || a === 'china') s[a][b as SideField] = b === 'budget' ? Math.round(value) : value;
  else if (a === 'loophole') s.loopholes[b as LoopholeId][c as 'openness' | 'evasion'] = value;
  else s[variable as 'risk' | 'trust' | 'alliedAlignment'] = value;
}

export function adjustVariable(
  state: GameState,
  variable: string,
  value: number,
  note: string,
): FacilitatorResult {
  if (state.phase === 'ended') return { ok: false, message: 'the game has ended' };
  const bounds = adjustableVariables(state)[variable];
  if (!bounds) return { ok: false, message: `"${variable}" is not a variable the facilitator can set` };
  const [lo, hi] = bounds;
  if (!Number.isFinite(value) || value < lo || value > hi)
    return { ok: false, message: `${variable} must be between ${lo} and ${hi}, got ${value}` };
  const s = cloneForRound(state);
  const before = read(s, variable);
  write(s, variable, value);
  const record: Adjustment = {
    round: s.round,
    variable,
    before,
    after: read(s, variable),
    note,
    audience: audienceOf(variable),
  };
  s.adjustments = [...s.adjustments, record];
  return { ok: true, state: s };
}

/** The chosen event happens at the end of this round's adjudication, in place of the random draw. */
export function injectEvent(state: GameState, eventId: string): FacilitatorResult {
  if (state.phase === 'ended') return { ok: false, message: 'the game has ended' };
  const e = getEvent(eventId);
  if (!e) return { ok: false, message: `no event called "${eventId}"` };
  if (e.once && state.usedEvents.includes(eventId))
    return { ok: false, message: `${e.title} can happen only once and already has` };
  const s = cloneForRound(state);
  s.injectedEvent = eventId;
  return { ok: true, state: s };
}
