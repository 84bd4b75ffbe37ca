import type { Role, RoomPhase } from '../../../shared/protocol/room.ts';

export { seatName } from '../../../shared/protocol/room.ts';

/** Words for the ids the protocol uses, in one place so every screen says the same thing. */
export function roleLabel(role: Role | 'system'): string {
  return {
    us: 'US team',
    china: 'China team',
    observer: 'Observer',
    facilitator: 'Facilitator',
    system: 'White Cell',
  }[role];
}

export function phaseLabel(phase: RoomPhase): string {
  return {
    lobby: 'Lobby',
    briefing: 'Briefing',
    negotiation: 'Negotiation',
    orders: 'Orders',
    crisis: 'Crisis response',
    summary: 'Summary',
    ended: 'Game over',
  }[phase];
}

/** "4:05" for a countdown; hours and days when the clock is long (asynchronous play). */
export function formatRemaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  if (d > 0) return `${d}d ${hh}h`;
  if (hh > 0) return `${hh}h ${String(mm).padStart(2, '0')}m`;
  return `${mm}:${String(ss).padStart(2, '0')}`;
}

/** "a", "a and b", "a, b and c". */
export function andList(xs: readonly string[]): string {
  return xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
