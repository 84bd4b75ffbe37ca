import { describe, expect, it } from 'vitest';
import { openness, ownEvasion } from '../../shared/bots/plan.ts';
import {
  addPublic,
  addSide,
  newCtx,
  SIDE_BOUNDS,
  SIDE_METERS,
  settleRisk,
} from '../../shared/rules/context.ts';
import { AGREEMENT_TYPES, LOOPHOLES, SIDES } from '../../shared/rules/ids.ts';
import { agreementValue, loopholeState, loopholeValue, sideState } from '../../shared/rules/lookup.ts';
import { playerView } from '../../shared/rules/view.ts';
import { game } from './helpers.ts';

// The engine reads by named branches instead of `record[key]` for speed (docs/PERFORMANCE.md);
// a branch that returned a neighbour's entry would still type-check, so each is checked here.
describe('named lookups return the entry of the key asked for', () => {
  it('sides, loopholes and agreement types', () => {
    const s = game(3);
    for (const side of SIDES) expect(sideState(s, side)).toBe(s[side]);
    for (const l of LOOPHOLES) {
      expect(loopholeState(s, l)).toBe(s.loopholes[l]);
      expect(loopholeValue(s.initialOpenness, l)).toBe(s.initialOpenness[l]);
    }
    const byType = Object.fromEntries(AGREEMENT_TYPES.map((t, i) => [t, { i }])) as Record<
      (typeof AGREEMENT_TYPES)[number],
      { i: number }
    >;
    for (const t of AGREEMENT_TYPES) {
      expect(agreementValue(byType, t)).toBe(byType[t]);
      expect(agreementValue(s.params.agreements, t)).toBe(s.params.agreements[t]);
    }
  });

  it("the bots' openness and evasion reads", () => {
    const s = game(4);
    LOOPHOLES.forEach((l, i) => {
      s.loopholes[l].openness = 0.1 * (i + 1);
      s.loopholes[l].evasion = 0.05 * (i + 1);
    });
    const china = playerView(s, 'china');
    const us = playerView(s, 'us');
    for (const l of LOOPHOLES) {
      expect(openness(china, l)).toBe(s.loopholes[l].openness);
      expect(ownEvasion(china, l)).toBe(s.loopholes[l].evasion);
      expect(ownEvasion(us, l)).toBeNull();
    }
  });

  it('addSide changes exactly the meter named, within its bounds, and records it under that name', () => {
    for (const side of SIDES) {
      for (const field of SIDE_METERS) {
        const s = game(5);
        const other = side === 'us' ? 'china' : 'us';
        const before = { ...s[side] };
        const otherBefore = { ...s[other] };
        const ctx = newCtx(s);
        const d = addSide(ctx, side, field, 1e12, 'test.cause');
        const [, hi] = SIDE_BOUNDS[field];
        expect(s[side][field], `${side}.${field}`).toBe(hi);
        expect(d).toBe(hi - before[field]);
        expect({ ...s[side], [field]: before[field] }).toEqual(before);
        expect(s[other]).toEqual(otherBefore);
        expect(ctx[side]).toEqual([
          { round: s.round, cause: 'test.cause', side, variable: `${side}.${field}`, delta: d, after: hi },
        ]);
      }
    }
  });

  it('addPublic changes exactly the meter named, within its bounds (risk once the round settles it)', () => {
    for (const meter of ['risk', 'trust', 'alliedAlignment'] as const) {
      const s = game(6);
      const hi = meter === 'risk' ? s.params.risk.limit : meter === 'trust' ? 100 : 1;
      const lo = meter === 'risk' ? s.params.risk.floor : 0;
      const untouched = { risk: s.risk, trust: s.trust, alliedAlignment: s.alliedAlignment };
      const ctx = newCtx(s);
      addPublic(ctx, meter, 1e9, 'test.up', null);
      if (meter === 'risk') {
        // Risk may pass the limit within a round; settling brings it back and records the cut.
        expect(s.risk).toBeGreaterThan(hi);
        settleRisk(ctx);
        expect(ctx.pub.at(-1)).toMatchObject({ cause: 'rule.risk-limit', after: hi });
      }
      expect(s[meter], meter).toBe(hi);
      addPublic(newCtx(s), meter, -1e9, 'test.down', null);
      expect(s[meter], meter).toBe(lo);
      expect({ ...untouched, [meter]: s[meter] }).toEqual({
        risk: s.risk,
        trust: s.trust,
        alliedAlignment: s.alliedAlignment,
      });
    }
  });
});
