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

/** A class of several tables this browser created: the class page's link, and the codes to recognise it by. */
export interface SavedClass {
  tokens: string[];
  codes: string[];
  /** The seed every table was created with, when this browser chose one for them. */
  seed?: string;
  /** A game and its fork side by side (#/compare/), rather than a class. */
  compare?: boolean;
  savedAt: number;
}

/** The part of localStorage used here, typed without the DOM library so Node tests can type-check it. */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
const storage = () => (globalThis as unknown as { localStorage: KeyValueStore }).localStorage;

/** One list kept in localStorage, newest first, at most `kept` long, each entry known by a key. */
function storedList<T>(
  storageKey: string,
  kept: number,
  isT: (x: unknown) => x is T,
  keyOf: (x: T) => string,
) {
  const read = (): T[] => {
    try {
      const raw: unknown = JSON.parse(storage().getItem(storageKey) ?? '[]');
      return Array.isArray(raw) ? raw.filter(isT) : [];
    } catch {
      return [];
    }
  };
  const write = (list: T[]) => {
    try {
      storage().setItem(storageKey, JSON.stringify(list.slice(0, kept)));
    } catch {
      // Private windows may refuse storage; the personal and class links still work without it.
    }
  };
  return {
    read,
    save: (x: T) => write([x, ...read().filter((y) => keyOf(y) !== keyOf(x))]),
    forget: (key: string) => write(read().filter((y) => keyOf(y) !== key)),
  };
}

const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((t) => typeof t === 'string');

const seats = storedList(
  'hotline.seats',
  20,
  (x): x is SavedSeat => {
    const s = x as SavedSeat;
    return typeof s === 'object' && s !== null && typeof s.token === 'string' && typeof s.code === 'string';
  },
  (s) => s.token,
);

const classes = storedList(
  'hotline.classes',
  10,
  (x): x is SavedClass => {
    const c = x as SavedClass;
    return typeof c === 'object' && c !== null && strings(c.tokens) && strings(c.codes);
  },
  (c) => c.tokens.join('.'),
);

export const savedSeats = seats.read;
export const saveSeat = seats.save;
export const forgetSeat = seats.forget;
export const savedClasses = classes.read;
export const saveClass = classes.save;
export const savedClass = (tokens: readonly string[]): SavedClass | undefined =>
  classes.read().find((c) => c.tokens.join('.') === tokens.join('.'));
export const forgetClass = (tokens: readonly string[]) => classes.forget(tokens.join('.'));
