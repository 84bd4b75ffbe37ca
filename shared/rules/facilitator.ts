import { adjustableVariables, audienceOf, readVariable, type SideField } from './adjustable.ts';
import { getEvent } from './events.ts';
import type { LoopholeId } from './ids.ts';
import { cloneForRound } from './round.ts';
import type { Adjustment, GameState } from './state.ts';

/**
 * The facilitator's two ways of changing the world, as pure functions like every other rule:
 * inject a chosen event, and set a number to a new value with a note. Both are recorded so the
 * after-action report can show them; an adjustment of a side's hidden value is shown only to that
 * side (and to everyone after the end), like any other change of it.
 */
export { adjustableVariables, audienceOf } from './adjustable.ts';

export type FacilitatorResult = { ok: true; state: GameState } | { ok: false; message: string };

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
  const variables = adjustableVariables(state);
  // An own-property check: `toString` or `__proto__` must be unknown names, not inherited members.
  const bounds = Object.hasOwn(variables, variable) ? variables[variable] : undefined;
  if (!bounds) return { ok: false, message: `"${variable}" is not a variable the facilitator can set` };
  const [lo, hi] = bounds;
  if (!Number.isFinite(value) || value < lo || value > hi)
    return { ok: false, message: `${variable} must be between ${lo} and ${hi}, got ${value}` };
  const s = cloneForRound(state);
  const before = readVariable(s, variable);
  write(s, variable, value);
  const record: Adjustment = {
    round: s.round,
    variable,
    before,
    after: readVariable(s, variable),
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
