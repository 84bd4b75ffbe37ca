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

/** A class of several tables this browser created: the class page's link, and the codes to recognise it by. */
export interface SavedClass {
  tokens: string[];
  codes: string[];
  savedAt: number;
}

const CLASS_KEY = 'hotline.classes';
const CLASSES_KEPT = 10;

export function savedClasses(): SavedClass[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(CLASS_KEY) ?? '[]');
    return Array.isArray(raw) ? raw.filter(isSavedClass) : [];
  } catch {
    return [];
  }
}

export function saveClass(c: SavedClass): void {
  const key = c.tokens.join('.');
  const rest = savedClasses().filter((x) => x.tokens.join('.') !== key);
  try {
    localStorage.setItem(CLASS_KEY, JSON.stringify([c, ...rest].slice(0, CLASSES_KEPT)));
  } catch {
    // As for seats: the class link still works without storage.
  }
}

export function forgetClass(tokens: readonly string[]): void {
  const key = tokens.join('.');
  try {
    localStorage.setItem(CLASS_KEY, JSON.stringify(savedClasses().filter((x) => x.tokens.join('.') !== key)));
  } catch {
    // Nothing stored to forget.
  }
}

function isSavedClass(x: unknown): x is SavedClass {
  const c = x as SavedClass;
  return (
    typeof c === 'object' &&
    c !== null &&
    Array.isArray(c.tokens) &&
    Array.isArray(c.codes) &&
    c.tokens.every((t) => typeof t === 'string') &&
    c.codes.every((t) => typeof t === 'string')
  );
}
