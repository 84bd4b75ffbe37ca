import { beforeEach, describe, expect, test } from 'vitest';
import {
  forgetClass,
  forgetSeat,
  saveClass,
  savedClasses,
  savedSeats,
  saveSeat,
} from '../../client/src/net/saved-seats.ts';

/** localStorage as a browser keeps it: strings by key (the tests run in Node, which has none). */
const store = new Map<string, string>();
beforeEach(() => {
  store.clear();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  };
});

const seat = (token: string, code = 'ABC234') => ({
  token,
  code,
  role: 'us' as const,
  name: 'Sam',
  savedAt: 1,
});

describe('what this browser remembers', () => {
  test('seats: newest first, one entry per token, forgotten on request', () => {
    saveSeat(seat('t1'));
    saveSeat(seat('t2'));
    saveSeat(seat('t1', 'XYZ789'));
    expect(savedSeats().map((s) => [s.token, s.code])).toEqual([
      ['t1', 'XYZ789'],
      ['t2', 'ABC234'],
    ]);
    forgetSeat('t1');
    expect(savedSeats().map((s) => s.token)).toEqual(['t2']);
  });

  test('classes: known by their tokens, at most ten kept', () => {
    for (let i = 0; i < 12; i++) saveClass({ tokens: [`a${i}`, `b${i}`], codes: [], savedAt: i });
    saveClass({ tokens: ['a11', 'b11'], codes: ['ABC234', 'DEF567'], savedAt: 99 });
    const kept = savedClasses();
    expect(kept).toHaveLength(10);
    expect(kept[0]).toEqual({ tokens: ['a11', 'b11'], codes: ['ABC234', 'DEF567'], savedAt: 99 });
    forgetClass(['a11', 'b11']);
    expect(savedClasses().some((c) => c.tokens[0] === 'a11')).toBe(false);
  });

  test('a damaged store reads as empty, and entries of the wrong shape are skipped', () => {
    store.set('hotline.seats', '{not json');
    expect(savedSeats()).toEqual([]);
    store.set(
      'hotline.classes',
      JSON.stringify([
        { tokens: 'x', codes: [] },
        { tokens: ['a', 'b'], codes: [] },
      ]),
    );
    expect(savedClasses()).toEqual([{ tokens: ['a', 'b'], codes: [] }]);
  });
});
