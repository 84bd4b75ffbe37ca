import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, newFacilitatorToken, newRoomCode, newSeatToken } from '../../server/tokens.ts';

describe('room codes and tokens', () => {
  it('room codes are 6 characters without look-alikes (0/O, 1/I/L)', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01ILO]/);
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const code = newRoomCode();
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
      for (const ch of code) seen.add(ch);
    }
    // Every character of the alphabet turns up: the codes use all of it, not a part.
    expect([...seen].sort().join('')).toBe([...CODE_ALPHABET].sort().join(''));
  });

  it('seat tokens have at least 21 url-safe characters and do not repeat', () => {
    const tokens = new Set(Array.from({ length: 2000 }, () => newSeatToken()));
    expect(tokens.size).toBe(2000);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{21,}$/);
    expect(newFacilitatorToken()).toMatch(/^[A-Za-z0-9_-]{21,}$/);
  });
});
