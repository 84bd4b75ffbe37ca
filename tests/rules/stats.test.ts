import { describe, expect, it } from 'vitest';
import { CHINA_BOTS, US_BOTS } from '../../shared/bots/index.ts';
import { OUTCOMES } from '../../shared/rules/ids.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import { runMatrix, runPair } from '../../shared/sim/matrix.ts';
import { wilson } from '../../shared/sim/stats.ts';
import { must, SHORT } from './helpers.ts';

describe('wilson()', () => {
  it('stays within 0..1 and contains the observed share', () => {
    for (const n of [1, 2, 5, 10, 37, 100, 1000]) {
      for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 10))) {
        const { low, high } = wilson(k, n);
        const p = k / n;
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(p + 1e-12);
        expect(high).toBeGreaterThanOrEqual(p - 1e-12);
        expect(low).toBeLessThan(high);
      }
    }
  });

  it('narrows as the number of games grows', () => {
    const width = (k: number, n: number) => {
      const { low, high } = wilson(k, n);
      return high - low;
    };
    const widths = [10, 100, 1000, 10000].map((n) => width(0.3 * n, n));
    for (let i = 1; i < widths.length; i++) expect(must(widths[i])).toBeLessThan(must(widths[i - 1]));
    expect(width(0, 1000)).toBeLessThan(width(0, 10));
  });

  it('is symmetric, well-behaved at 0 and n, and knows nothing with no games', () => {
    const a = wilson(3, 20);
    const b = wilson(17, 20);
    expect(a.low).toBeCloseTo(1 - b.high);
    expect(a.high).toBeCloseTo(1 - b.low);
    expect(wilson(0, 50).low).toBeCloseTo(0, 12);
    expect(wilson(0, 50).high).toBeGreaterThan(0);
    expect(wilson(50, 50).high).toBeCloseTo(1, 12);
    expect(wilson(50, 50).low).toBeLessThan(1);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('matches the textbook 95% interval for 50 of 100', () => {
    const { low, high } = wilson(50, 100);
    expect(low).toBeCloseTo(0.4038, 3);
    expect(high).toBeCloseTo(0.5962, 3);
    const wider = wilson(50, 100, 2.575829);
    expect(wider.low).toBeLessThan(low);
    expect(wider.high).toBeGreaterThan(high);
  });
});

describe('runPair / runMatrix', () => {
  const sc = builtinScenario(SHORT);

  it('runPair: outcome shares sum to 1 and each lies inside its interval', () => {
    let calls = 0;
    const r = runPair(sc, must(US_BOTS[0]), must(CHINA_BOTS[0]), 12, 'pair', () => calls++);
    expect(calls).toBe(12);
    expect(r.games).toBe(12);
    expect(r.us).toBe(US_BOTS[0]?.id);
    expect(r.china).toBe(CHINA_BOTS[0]?.id);
    expect(Object.keys(r.outcomes).sort()).toEqual([...OUTCOMES].sort());
    const total = OUTCOMES.reduce((t, o) => t + r.outcomes[o], 0);
    expect(total).toBeCloseTo(1, 3);
    for (const o of OUTCOMES) {
      expect(r.outcomes[o]).toBeGreaterThanOrEqual(0);
      expect(r.outcomeCi95[o].low).toBeLessThanOrEqual(r.outcomes[o] + 1e-4);
      expect(r.outcomeCi95[o].high).toBeGreaterThanOrEqual(r.outcomes[o] - 1e-4);
    }
    expect(r.meanRounds).toBeGreaterThan(0);
    expect(r.meanRounds).toBeLessThanOrEqual(sc.rounds);
    expect(r.meanFinalRisk).toBeGreaterThanOrEqual(0);
    expect(r.meanDetectedViolations).toBeGreaterThanOrEqual(0);
  });

  it('runMatrix: one result per pairing, each with shares summing to 1', () => {
    let calls = 0;
    const m = runMatrix(sc, US_BOTS, CHINA_BOTS, 5, 'matrix', () => calls++);
    expect(m.scenario).toBe(sc.id);
    expect(m.games).toBe(5);
    expect(m.seed).toBe('matrix');
    expect(calls).toBe(5 * US_BOTS.length * CHINA_BOTS.length);
    expect(m.results.map((r) => `${r.us}/${r.china}`)).toEqual(
      US_BOTS.flatMap((u) => CHINA_BOTS.map((c) => `${u.id}/${c.id}`)),
    );
    for (const r of m.results) expect(OUTCOMES.reduce((t, o) => t + r.outcomes[o], 0)).toBeCloseTo(1, 3);
  });

  it('pairs in a matrix face the same dice as the same pair run alone', () => {
    const us = must(US_BOTS[1]);
    const china = must(CHINA_BOTS[2]);
    const alone = runPair(sc, us, china, 4, 'dice');
    const m = runMatrix(sc, [us], [china], 4, 'dice');
    expect(m.results[0]).toEqual(alone);
  });
});
