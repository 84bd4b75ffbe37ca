import type { Role } from '../../../shared/protocol/room.ts';

/**
 * The seats this browser holds, kept in localStorage so a closed tab, a reload or a personal link
 * puts the person back in their seat. The token is the only thing that authorises a seat.
 */
export interface SavedSeat {
  token: string;
  code: string;
  role: Role;
  name: string;
  savedAt: number;
}

const KEY = 'hotline.seats';
const KEPT = 20;

export function savedSeats(): SavedSeat[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(raw) ? raw.filter(isSavedSeat) : [];
  } catch {
    return [];
  }
}

export function saveSeat(seat: SavedSeat): void {
  const rest = savedSeats().filter((s) => s.token !== seat.token);
  try {
    localStorage.setItem(KEY, JSON.stringify([seat, ...rest].slice(0, KEPT)));
  } catch {
    // Private windows may refuse storage; the personal link still works.
  }
}

export function forgetSeat(token: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(savedSeats().filter((s) => s.token !== token)));
  } catch {
    // Nothing stored to forget.
  }
}

function isSavedSeat(x: unknown): x is SavedSeat {
  const s = x as SavedSeat;
  return typeof s === 'object' && s !== null && typeof s.token === 'string' && typeof s.code === 'string';
}
