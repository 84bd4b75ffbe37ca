import { describe, expect, it } from 'vitest';
import { COARSE_PACES, type PaceTrial, searchSaturation } from '../../server/cli/saturation.ts';

/** A server whose p99 stays low up to `limit` rounds/s and jumps past 250 ms beyond it. */
function serverUpTo(limit: number, tried: number[]) {
  return async (rate: number): Promise<PaceTrial> => {
    tried.push(rate);
    return { roundsPerSecond: rate - 0.5, p99Ms: rate <= limit ? 40 : 400, errors: 0 };
  };
}

describe('the saturation search of npm run bench:server', () => {
  it('halves the gap after the first failing pace, so a limit of 370 is not reported as 300', async () => {
    const tried: number[] = [];
    const r = await searchSaturation(serverUpTo(370, tried));
    // 300 held, 400 failed; then 350 holds and 375 fails.
    expect(tried).toEqual([100, 150, 200, 250, 300, 400, 350, 375]);
    expect(r.saturation).toBe(349.5);
    expect(r.trials).toHaveLength(8);
  });

  it('counts a pace with a failed round as failed, however low its p99', async () => {
    const tried: number[] = [];
    const r = await searchSaturation(async (rate) => {
      tried.push(rate);
      return { roundsPerSecond: rate, p99Ms: 10, errors: rate >= 250 ? 1 : 0 };
    });
    expect(tried).toEqual([100, 150, 200, 250, 225, 238]);
    expect(r.saturation).toBe(238);
  });

  it('reports nothing when the slowest pace already fails, and the fastest when none does', async () => {
    expect((await searchSaturation(serverUpTo(50, []))).saturation).toBeNull();
    const tried: number[] = [];
    const all = await searchSaturation(serverUpTo(5000, tried));
    expect(tried).toEqual([...COARSE_PACES]);
    expect(all.saturation).toBe(999.5);
  });
});
