import type { Span } from './board-model.ts';
import { formatRemaining } from './labels.ts';

/** Numbers as the board prints them: one decimal by default, a real minus sign. */
export function fixed(x: number, digits = 1): string {
  const s = Math.abs(x).toFixed(digits);
  return x < 0 && Number(s) !== 0 ? `−${s}` : s;
}

export function signed(x: number): string {
  const a = Math.abs(x);
  const digits = a >= 1 || a === 0 ? 1 : 2;
  return `${x < 0 ? '−' : '+'}${a.toFixed(digits)}`;
}

/** Estimates can never be below zero, so a range is cut there. */
export function span(value: number, lo = value, hi = value): Span {
  return { value, lo: Math.max(0, lo), hi: Math.max(0, hi) };
}

export function spanText(s: Span): string {
  return `${fixed(s.value)} (${fixed(s.lo)}–${fixed(s.hi)})`;
}

/** A lead in months with the side it favours: "US +5.0", "China +2.0". */
export function signedLead(x: number): string {
  if (Math.abs(x) < 0.05) return 'level';
  // A no-break space keeps a side and its number on one line when the text wraps.
  return `${x > 0 ? 'US' : 'China'}\u00a0+${fixed(Math.abs(x))}`;
}

/** Time left on the phase clock, worded as the status bar words it; "Paused" when paused. */
export function clockText(deadline: number | null, paused: boolean, now: number): string {
  if (paused) return 'Paused';
  if (deadline === null) return '';
  // Whole minutes only: the board redraws when this text changes, and an idle board should not
  // redraw every second (the status bar above it counts the seconds).
  const ms = deadline - now;
  if (ms < 60_000) return ms <= 0 ? 'time is up' : 'under a minute left';
  if (ms < 3600_000) return `${Math.ceil(ms / 60_000)} min left`;
  return `${formatRemaining(ms)} left`;
}
