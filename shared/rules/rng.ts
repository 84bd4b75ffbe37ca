/**
 * Mulberry32: a 32-bit generator whose whole state is one integer, so it lives inside the game
 * state and a game replays exactly from its seed and orders. Callers thread the state through
 * `RngCursor` and write it back; nothing here touches a global.
 */
export interface RngCursor {
  rng: number;
}

/** Returns a float in [0, 1) and advances the cursor. */
export function nextFloat(cursor: RngCursor): number {
  cursor.rng = (cursor.rng + 0x6d2b79f5) | 0;
  let t = cursor.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Uniform in [-1, 1): used for bounded estimate noise, so the truth always lies inside ± error. */
export function nextSigned(cursor: RngCursor): number {
  return nextFloat(cursor) * 2 - 1;
}

/** Turns any integer or string seed into a 32-bit state (FNV-1a over the decimal text). */
export function seedToState(seed: number | string): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
