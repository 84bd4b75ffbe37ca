import { describe, expect, it } from 'vitest';
import { errorFactor, estimateOther, trueCompliance } from '../../shared/rules/estimates.ts';
import { LOOPHOLES, SIDES, type Side } from '../../shared/rules/ids.ts';
import type { Estimate, Estimates, GameState } from '../../shared/rules/state.ts';
import { addAgreement, game, must } from './helpers.ts';

function errors(e: Estimates): number[] {
  const c: unknown = e.compliance;
  const comp = Array.isArray(c) ? (c as Estimate[]) : Object.values(c as Record<string, Estimate>);
  return [
    e.capability.error,
    e.compute.error,
    e.intel.error,
    ...LOOPHOLES.map((l) => e.flows[l].error),
    ...comp.map((x) => x.error),
  ];
}

function complianceIds(e: Estimates): string[] {
  const c: unknown = e.compliance;
  return Array.isArray(c)
    ? c.map((x: { agreementId: string }) => x.agreementId)
    : Object.keys(c as Record<string, Estimate>);
}

const other = (side: Side): Side => (side === 'us' ? 'china' : 'us');

describe('estimates', () => {
  it('error bars never depend on the hidden values they bracket', () => {
    for (const observer of SIDES) {
      const a = game(4);
      addAgreement(a, 'eval-standards', 'in-force', 'e1');
      const b = structuredClone(a);
      const t = other(observer);
      b[t].capability *= 3;
      b[t].compute = b[t].compute * 7 + 100;
      b[t].intel = 1 - b[t].intel;
      for (const l of LOOPHOLES) {
        b.loopholes[l].evasion = 1;
        b.loopholes[l].flow = b.loopholes[l].maxFlow;
      }
      b.violations.push({ agreementId: 'e1', side: t, round: 1, detected: false });
      expect(errors(estimateOther(b, observer, { rng: 99 }))).toEqual(
        errors(estimateOther(a, observer, { rng: 99 })),
      );
    }
  });

  it('always bracket the truth, even at extreme values', () => {
    for (let i = 0; i < 200; i++) {
      const s = game(i);
      s.china.capability = i % 3 === 0 ? 0 : 500;
      s.china.compute = i % 2 === 0 ? 0 : 1e6;
      s.china.intel = i % 5 === 0 ? 1 : 0;
      s.us.intel = (i % 7) / 6;
      for (const l of LOOPHOLES) s.loopholes[l].flow = i % 4 === 0 ? 0 : s.loopholes[l].maxFlow;
      const e = estimateOther(s, 'us', { rng: i });
      for (const [est, truth] of [
        [e.capability, s.china.capability],
        [e.compute, s.china.compute],
        [e.intel, s.china.intel],
        ...LOOPHOLES.map((l) => [e.flows[l], s.loopholes[l].flow] as const),
      ] as const) {
        expect(Math.abs(est.value - truth)).toBeLessThanOrEqual(est.error + 1e-9 * Math.max(1, truth));
      }
      expect(e.intel.value).toBeGreaterThanOrEqual(0);
      expect(e.intel.value).toBeLessThanOrEqual(1);
      expect(e.capability.value).toBeGreaterThanOrEqual(0);
    }
  });

  it('error shrinks with the observer’s intelligence down to a floor, and compute reporting shrinks it further', () => {
    const s = game();
    const v = s.params.verification;
    const factors = [0, 0.3, 0.6, 0.9, 1].map((intel) => {
      s.us.intel = intel;
      return errorFactor(s, 'us');
    });
    for (let i = 1; i < factors.length; i++)
      expect(must(factors[i])).toBeLessThanOrEqual(must(factors[i - 1]));
    expect(must(factors[0])).toBeGreaterThan(must(factors[factors.length - 1]));
    expect(factors[factors.length - 1]).toBeCloseTo(v.estimateErrorFloor);
    s.us.intel = 0.3;
    const before = errorFactor(s, 'us');
    const capError = estimateOther(s, 'us', { rng: 1 }).capability.error;
    addAgreement(s, 'compute-reporting', 'in-force', 'cr');
    expect(errorFactor(s, 'us')).toBeCloseTo(before * v.reportingErrorFactor);
    expect(estimateOther(s, 'us', { rng: 1 }).capability.error).toBeCloseTo(
      capError * v.reportingErrorFactor,
    );
  });

  it('China knows its own imports exactly; the US only estimates them', () => {
    const s = game(2);
    const china = estimateOther(s, 'china', { rng: 5 });
    const us = estimateOther(s, 'us', { rng: 5 });
    for (const l of LOOPHOLES) {
      expect(china.flows[l]).toEqual({ value: s.loopholes[l].flow, error: 0 });
      if (s.params.estimateError.flowShare > 0 && s.loopholes[l].maxFlow > 0)
        expect(us.flows[l].error).toBeGreaterThan(0);
    }
  });

  it('compliance is estimated for agreements in force (or found violated) since this round or before', () => {
    const s: GameState = game(3);
    s.round = 4;
    addAgreement(s, 'eval-standards', 'in-force', 'c1');
    const future = addAgreement(s, 'hotline', 'in-force', 'c2');
    future.inForceFrom = 5;
    addAgreement(s, 'incident-notification', 'proposed', 'c3');
    const broken = addAgreement(s, 'no-ai-nuclear-c2', 'violated', 'c4');
    broken.inForceFrom = 2;
    expect(complianceIds(estimateOther(s, 'us', { rng: 1 })).sort()).toEqual(['c1', 'c4']);
    s.violations.push({ agreementId: 'c4', side: 'china', round: 3, detected: true });
    const kept = addAgreement(s, 'eval-standards', 'in-force', 'c5');
    kept.inForceFrom = 2;
    s.violations.push({ agreementId: 'c5', side: 'china', round: 3, detected: false });
    // Rounds 2 to 4 in force, one of them broken.
    expect(trueCompliance(s, 'china', kept)).toBeCloseTo(1 - 1 / 3);
    expect(trueCompliance(s, 'us', kept)).toBe(1);
    // Found broken in round 3 and void from then: its record stops at rounds 2 and 3, however long
    // the game goes on.
    broken.violatedRound = 3;
    expect(trueCompliance(s, 'china', broken)).toBeCloseTo(1 / 2);
    s.round = 10;
    expect(trueCompliance(s, 'china', broken)).toBeCloseTo(1 / 2);
    expect(trueCompliance(s, 'china', kept)).toBeCloseTo(1 - 1 / 9);
  });
});
