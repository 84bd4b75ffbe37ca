import { describe, expect, it } from 'vitest';
import { CHINA_BOTS, US_BOTS } from '../../shared/bots/index.ts';
import type { AgreementType, OutcomeId } from '../../shared/rules/ids.ts';
import { classify, decideOutcome, verificationIndex } from '../../shared/rules/outcome.ts';
import type { Agreement, GameState } from '../../shared/rules/state.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import { playGame } from '../../shared/sim/play.ts';
import { BASELINE, game, quiet, records, resolve, sumDelta } from './helpers.ts';

function agreement(id: string, type: AgreementType, status: Agreement['status'] = 'in-force'): Agreement {
  return {
    id,
    type,
    proposedBy: 'us',
    proposedRound: 1,
    status,
    inForceFrom: status === 'in-force' ? 2 : null,
    violatedRound: null,
    violator: null,
  };
}

/** A state at the end of play with the levers the classification reads set by hand. */
function ending(o: {
  risk: number;
  agreements?: Agreement[];
  intel?: number;
  talks?: boolean;
  violations?: GameState['violations'];
}): GameState {
  const s = game(7);
  s.risk = o.risk;
  s.agreements = o.agreements ?? [];
  s.us.intel = o.intel ?? 0.2;
  s.china.intel = o.intel ?? 0.2;
  s.talks = { open: o.talks ?? false, scope: 'safety' };
  s.violations = o.violations ?? [];
  return s;
}

describe('how a game is classified', () => {
  const p = game(7).params;
  const low = p.risk.managedBelow - 10;
  const strong = p.verification.verifiedThreshold + 0.1;

  it('is a catastrophe at the risk limit, whatever else holds', () => {
    const s = ending({ risk: p.risk.limit, agreements: [agreement('A1', 'frontier-cap')], intel: 1 });
    expect(classify(s).id).toBe('catastrophe');
  });

  it('is a verified agreement when a substantive agreement is kept, verification suffices and risk is low', () => {
    const s = ending({ risk: low, agreements: [agreement('A1', 'eval-standards')], intel: strong });
    expect(classify(s).id).toBe('verified-agreement');
    expect(classify(s).reason).toContain('A1');
  });

  it('is only a managed rivalry when the kept agreement cannot be verified', () => {
    const s = ending({
      risk: low,
      agreements: [agreement('A1', 'eval-standards')],
      intel: p.verification.verifiedThreshold - 0.1,
    });
    expect(classify(s)).toMatchObject({ id: 'managed-rivalry' });
    expect(classify(s).reason).toContain('verification');
  });

  it('counts compute reporting in the verification index', () => {
    const weak = p.verification.verifiedThreshold - p.verification.reportingBonus / 2;
    const without = ending({ risk: low, agreements: [agreement('A1', 'eval-standards')], intel: weak });
    const withReporting = ending({
      risk: low,
      agreements: [agreement('A1', 'eval-standards'), agreement('A2', 'compute-reporting')],
      intel: weak,
    });
    expect(verificationIndex(withReporting) - verificationIndex(without)).toBeCloseTo(
      p.verification.reportingBonus,
    );
    expect(classify(without).id).toBe('managed-rivalry');
    expect(classify(withReporting).id).toBe('verified-agreement');
  });

  it('does not call an agreement kept once anyone broke it, even unseen', () => {
    const s = ending({
      risk: low,
      agreements: [agreement('A1', 'frontier-cap')],
      intel: strong,
      violations: [{ agreementId: 'A1', side: 'china', round: 3, detected: false }],
    });
    expect(classify(s).id).toBe('managed-rivalry');
  });

  it('does not count a hotline as a verified limit', () => {
    const s = ending({ risk: low, agreements: [agreement('A1', 'hotline')], intel: strong });
    expect(classify(s).id).toBe('managed-rivalry');
  });

  it('is an unmanaged race with no talks and no agreement, or with risk at the managed line', () => {
    expect(classify(ending({ risk: low })).reason).toBe('no talks and no agreement in force');
    expect(classify(ending({ risk: low })).id).toBe('unmanaged-race');
    expect(classify(ending({ risk: low, talks: true })).id).toBe('managed-rivalry');
    const high = ending({ risk: p.risk.managedBelow, talks: true, agreements: [agreement('A1', 'hotline')] });
    expect(classify(high).id).toBe('unmanaged-race');
  });
});

describe('scores and objectives', () => {
  it('follow the documented formulas', () => {
    const s = ending({ risk: 30, talks: true });
    const sc = s.params.scoring;
    s.us.capability = s.china.capability + 5;
    s.us.econCost = 4;
    s.china.politicalCost = 2;
    s.china.caught = 1;
    s.loopholes.cloud.openness = s.initialOpenness.cloud + 0.4;
    const o = decideOutcome(s);
    expect(o.id).toBe('managed-rivalry');
    const us = sc.usLeadPerMonth * 5 + sc.managedBonus - sc.costWeight * 4 - sc.riskWeight * 30;
    const china =
      sc.chinaGapClosedPerMonth * (s.startLead - 5) +
      sc.chinaOpennessGain * (0.4 / 4) +
      sc.managedBonus -
      (sc.costWeight * 2 + sc.caughtPenalty) -
      sc.riskWeight * 30;
    expect(o.scores.us).toBeCloseTo(us, 1);
    expect(o.scores.china).toBeCloseTo(china, 1);
    const met = (side: 'us' | 'china', id: string) => o.objectives[side].find((x) => x.id === id)?.met;
    expect(met('us', 'safe-lead')).toBe(5 >= s.startLead);
    expect(met('china', 'close-gap')).toBe(5 < s.startLead);
    expect(met('china', 'controls-eased')).toBe(true);
    expect(met('china', 'not-caught')).toBe(false);
    expect(o.objectives.china.find((x) => x.id === 'not-caught')?.detail).toBe(
      'caught breaking agreements once',
    );
    expect(met('us', 'no-catastrophe')).toBe(true);
  });

  it('caps the US lead that counts, and gives both sides the catastrophe score at the limit', () => {
    const far = ending({ risk: 30 });
    const sc = far.params.scoring;
    far.us.capability = far.china.capability + sc.usLeadCap + 30;
    const capped = ending({ risk: 30 });
    capped.us.capability = capped.china.capability + sc.usLeadCap;
    expect(decideOutcome(far).scores.us).toBe(decideOutcome(capped).scores.us);
    const lost = ending({ risk: far.params.risk.limit });
    expect(decideOutcome(lost).scores).toEqual({ us: sc.catastrophe, china: sc.catastrophe });
    expect(decideOutcome(lost).objectives.china.find((x) => x.id === 'no-catastrophe')?.met).toBe(false);
  });
});

describe('the baseline bot matrix', () => {
  it('reaches every outcome somewhere across the sixteen pairings', () => {
    const scenario = builtinScenario(BASELINE);
    const seen = new Map<OutcomeId, number>();
    for (const us of US_BOTS)
      for (const china of CHINA_BOTS)
        for (let seed = 1; seed <= 60; seed++) {
          const id = playGame(scenario, us, china, seed).outcome?.id;
          if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
        }
    expect([...seen.keys()].sort()).toEqual([
      'catastrophe',
      'managed-rivalry',
      'unmanaged-race',
      'verified-agreement',
    ]);
  });
});

describe('risk is judged on the round’s net change', () => {
  const FRONTIER = [{ move: 'frontier-training' }];
  const SAFETY = [{ move: 'safety-research' }];
  /** The round with US and China orders swapped: US orders are applied first within a step. */
  const bothWays = (risk: number) =>
    [
      [FRONTIER, SAFETY],
      [SAFETY, FRONTIER],
    ].map(([us, china]) => {
      const s = quiet(game(3));
      s.risk = risk;
      return resolve(s, us, china);
    });

  it('does not depend on which side’s order is applied first, past the limit or not', () => {
    const probe = resolve(quiet(game(3)), FRONTIER, SAFETY);
    const net = sumDelta(records(probe, 'public', undefined, 'risk'));
    const rise = sumDelta(records(probe, 'public', 'move.frontier-training', 'risk'));
    expect(rise).toBeGreaterThan(0);
    expect(net).toBeLessThan(rise);
    const limit = probe.params.risk.limit;
    // Over the limit on the net: a catastrophe both ways, with the cut recorded.
    for (const after of bothWays(limit - net / 2)) {
      expect(after.outcome?.id).toBe('catastrophe');
      expect(after.risk).toBe(limit);
      expect(sumDelta(records(after, 'public', 'rule.risk-limit', 'risk'))).toBeCloseTo(-net / 2, 9);
    }
    // Past the limit only while the frontier push is counted before the safety work: no catastrophe
    // either way (the limit used to swallow the excess, so the US-first order ended lower).
    const r = limit - rise + 0.1;
    expect(r + net).toBeLessThan(limit);
    for (const after of bothWays(r)) {
      expect(after.phase).toBe('orders');
      expect(after.risk).toBeCloseTo(r + net, 9);
    }
  });
});
