import { describe, expect, it } from 'vitest';
import {
  acceptAgreement,
  detectionChance,
  inForce,
  liveAgreement,
  majorAgreementsOpen,
  ratify,
} from '../../shared/rules/agreements.ts';
import { newCtx } from '../../shared/rules/context.ts';
import { AGREEMENT_TYPES, type AgreementType } from '../../shared/rules/ids.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import type { Estimates, GameState } from '../../shared/rules/state.ts';
import {
  addAgreement,
  BASELINE,
  clamp,
  forceEvent,
  game,
  lastLog,
  must,
  notesText,
  quiet,
  records,
  resolve,
  rngWhereFirstRoll,
  sumDelta,
} from './helpers.ts';

function setup(mod?: (s: GameState) => void, rounds?: number): GameState {
  const s = quiet(game(1, BASELINE, rounds));
  s.talks = { open: true, scope: 'safety' };
  s.trust = 40;
  s.risk = s.params.risk.limit / 2;
  s.us.budget = 50;
  s.china.budget = 50;
  mod?.(s);
  return s;
}

/** A minor (non-major) agreement that can be broken for a gain: the whole lifecycle applies to it. */
function breakable(s: GameState): AgreementType {
  return must(
    AGREEMENT_TYPES.find(
      (t) => !s.params.agreements[t].major && s.params.agreements[t].cheatCapabilityGain > 0,
    ),
    'breakable minor agreement',
  );
}

const DETECTED = () => rngWhereFirstRoll((r) => r < 0.01); // below any detection chance (at least 0.02)
const UNDETECTED = () => rngWhereFirstRoll((r) => r > 0.96); // above any detection chance (at most 0.95)

/** The compliance estimate for one agreement, whatever form the estimates keep them in. */
function complianceOf(est: Estimates, agreementId: string): { value: number; error: number } | undefined {
  const c: unknown = est.compliance;
  if (Array.isArray(c)) return c.find((x: { agreementId?: string }) => x.agreementId === agreementId);
  return (c as Record<string, { value: number; error: number }>)[agreementId];
}

describe('agreement lifecycle', () => {
  it('proposed → accepted → in force next round → detected violation voids it', () => {
    let s = setup();
    const type = breakable(s);
    const terms = s.params.agreements[type];

    s = resolve(s, [{ move: 'propose-agreement', agreement: type }], []);
    const id = must(s.agreements[0]).id;
    expect(s.agreements).toEqual([
      {
        id,
        type,
        proposedBy: 'us',
        proposedRound: 1,
        status: 'proposed',
        inForceFrom: null,
        violatedRound: null,
        violator: null,
      },
    ]);
    expect(liveAgreement(s, type)?.id).toBe(id);

    const trustBefore = s.trust;
    s = resolve(s, [], [{ move: 'accept-agreement', agreementId: id }]);
    expect(s.round).toBe(3);
    expect(must(s.agreements[0])).toMatchObject({ status: 'in-force', inForceFrom: 3 });
    expect(inForce(s, type)).toBe(true);
    expect(s.trust).toBeCloseTo(clamp(trustBefore + s.params.trust.agreement, 0, 100));
    expect(sumDelta(records(s, 'public', `agreement.${type}.entry`))).toBeCloseTo(terms.riskOnEntry);
    expect(notesText(s, 'public')).toContain(id);

    // In force: upkeep each round, and each side gets a compliance estimate that contains the truth (kept = 1).
    s = resolve(s);
    expect(sumDelta(records(s, 'public', `agreement.${type}.in-force`))).toBeCloseTo(terms.riskPerRound);
    for (const side of ['us', 'china'] as const) {
      const c = must(complianceOf(s.estimates[side], id), 'compliance estimate');
      expect(Math.abs(c.value - 1)).toBeLessThanOrEqual(c.error + 1e-9);
    }

    // China breaks it and is caught.
    s.rng = DETECTED();
    const trustBeforeViolation = s.trust;
    const round = s.round;
    s = resolve(s, [], [{ move: 'violate-agreement', agreementId: id }]);
    expect(must(s.agreements[0])).toMatchObject({
      status: 'violated',
      violator: 'china',
      violatedRound: round,
    });
    expect(inForce(s, type)).toBe(false);
    expect(s.violations).toEqual([{ agreementId: id, side: 'china', round, detected: true }]);
    expect(s.china.caught).toBe(1);
    expect(s.us.caught).toBe(0);
    expect(s.trust).toBeCloseTo(clamp(trustBeforeViolation + s.params.trust.violationDetected, 0, 100));
    expect(records(s, 'public', 'rule.violation-detected').every((c) => c.side === 'china')).toBe(true);
    expect(notesText(s, 'public')).toContain(id);
    // The victim may retaliate; the cheat may not; the void agreement can no longer be broken or upkept.
    expect(s.us.retaliationWindow).toBeGreaterThan(0);
    expect(validateOrders(s, 'us', [{ move: 'punish-violation' }]).ok).toBe(true);
    expect(validateOrders(s, 'china', [{ move: 'punish-violation' }]).ok).toBe(false);
    expect(validateOrders(s, 'china', [{ move: 'violate-agreement', agreementId: id }]).ok).toBe(false);
    s = resolve(s, [{ move: 'punish-violation' }], []);
    expect(records(s, 'public', `agreement.${type}.in-force`)).toEqual([]);
    expect(s.us.retaliationWindow).toBe(0);
    expect(sumDelta(records(s, 'china', 'move.punish-violation', 'china.econCost'))).toBeGreaterThan(0);
  });

  it('acceptance sets the agreement accepted until ratification puts it in force for the next round', () => {
    const s = setup();
    const type = breakable(s);
    const a = addAgreement(s, type, 'proposed', 'x1', 'china');
    const ctx = newCtx(s);
    acceptAgreement(ctx, 'us', a);
    expect(a.status).toBe('accepted');
    expect(a.inForceFrom).toBe(s.round + 1);
    expect(inForce(s, type)).toBe(false);
    const riskBefore = s.risk;
    ratify(ctx);
    expect(a.status).toBe('in-force');
    expect(s.risk).toBeCloseTo(
      clamp(riskBefore + s.params.agreements[type].riskOnEntry, 0, s.params.risk.limit),
    );
  });

  it('a kept agreement stays in force to the end, is then marked complied, and can make the outcome a verified agreement', () => {
    let s = setup((st) => {
      st.us.intel = 1;
      st.china.intel = 1;
      st.risk = 0;
    }, 3);
    const type = must(
      (['eval-standards', 'no-ai-nuclear-c2', 'compute-reporting', 'frontier-cap'] as const).find(
        (t) => !s.params.agreements[t].major,
      ),
    );
    s = resolve(s, [{ move: 'propose-agreement', agreement: type }], []);
    const id = must(s.agreements[0]).id;
    s = resolve(s, [], [{ move: 'accept-agreement', agreementId: id }]);
    s.risk = 0;
    s = resolve(s);
    expect(s.phase).toBe('ended');
    expect(must(s.agreements[0]).status).toBe('complied');
    expect(s.violations).toEqual([]);
    for (const side of ['us', 'china'] as const) {
      const c = must(complianceOf(s.estimates[side], id));
      expect(Math.abs(c.value - 1)).toBeLessThanOrEqual(c.error + 1e-9);
    }
    if (s.risk < s.params.risk.managedBelow) expect(s.outcome?.id).toBe('verified-agreement');
  });

  it('an undetected violation leaves the agreement in force, lowers true compliance, denies a verified outcome and is revealed at the end', () => {
    let s = setup(undefined, 3);
    const type = breakable(s);
    addAgreement(s, type, 'in-force', 'u1');
    s.rng = UNDETECTED();
    s = resolve(s, [], [{ move: 'violate-agreement', agreementId: 'u1' }]);
    expect(must(s.agreements[0]).status).toBe('in-force');
    expect(s.violations).toEqual([{ agreementId: 'u1', side: 'china', round: 1, detected: false }]);
    expect(s.china.caught).toBe(0);
    expect(s.us.retaliationWindow).toBe(0);
    const c = must(complianceOf(s.estimates.us, 'u1'));
    expect(Math.abs(c.value - 0)).toBeLessThanOrEqual(c.error + 1e-9);
    s.us.intel = 1;
    s.china.intel = 1;
    s.risk = 0;
    expect(inForce(s, type)).toBe(true);
    s = resolve(resolve(s));
    expect(s.phase).toBe('ended');
    expect(s.outcome?.id).not.toBe('verified-agreement');
    expect(must(s.agreements[0])).toMatchObject({ status: 'violated', violator: 'china', violatedRound: 1 });
  });

  it('proposals lapse after two unanswered rounds', () => {
    let s = setup();
    const type = breakable(s);
    s = resolve(s, [{ move: 'propose-agreement', agreement: type }], []);
    const id = must(s.agreements[0]).id;
    s = resolve(s);
    expect(must(s.agreements[0]).status).toBe('proposed');
    expect(validateOrders(s, 'china', [{ move: 'accept-agreement', agreementId: id }]).ok).toBe(true);
    s = resolve(s);
    expect(must(s.agreements[0]).status).toBe('expired');
    expect(notesText(s, 'public')).toContain(id);
    const r = validateOrders(s, 'china', [{ move: 'accept-agreement', agreementId: id }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toContain('expired');
    // A lapsed or rejected proposal may be made again.
    expect(validateOrders(s, 'us', [{ move: 'propose-agreement', agreement: type }]).ok).toBe(true);
  });

  it('mutual proposal in the same round is acceptance', () => {
    let s = setup();
    const type = breakable(s);
    const trust = s.trust;
    s = resolve(
      s,
      [{ move: 'propose-agreement', agreement: type }],
      [{ move: 'propose-agreement', agreement: type }],
    );
    expect(s.agreements).toHaveLength(1);
    expect(must(s.agreements[0])).toMatchObject({ type, status: 'in-force', inForceFrom: 2 });
    expect(s.trust).toBeCloseTo(clamp(trust + s.params.trust.agreement, 0, 100));
  });

  it('proposing what the other side already proposed is acceptance', () => {
    let s = setup();
    const type = breakable(s);
    s = resolve(s, [], [{ move: 'propose-agreement', agreement: type }]);
    expect(validateOrders(s, 'us', [{ move: 'propose-agreement', agreement: type }]).ok).toBe(true);
    s = resolve(s, [{ move: 'propose-agreement', agreement: type }], []);
    expect(s.agreements).toHaveLength(1);
    expect(must(s.agreements[0])).toMatchObject({ proposedBy: 'china', status: 'in-force', inForceFrom: 3 });
    expect(records(s, 'public', `agreement.${type}.accepted`).every((c) => c.side === 'us')).toBe(true);
  });

  it('major agreements need trust at the threshold or a survived crisis', () => {
    const s = setup();
    s.crisisSurvived = false;
    s.trust = s.params.verification.majorTrustThreshold - 1;
    expect(majorAgreementsOpen(s)).toBe(false);
    s.trust = s.params.verification.majorTrustThreshold;
    expect(majorAgreementsOpen(s)).toBe(true);
    s.trust = 0;
    s.crisisSurvived = true;
    expect(majorAgreementsOpen(s)).toBe(true);
  });
});

describe('detection', () => {
  it('detectionChance is the agreement’s verifiability plus the detector’s intel, lead and compute reporting, within [0.02, 0.95]', () => {
    const s = setup();
    const v = s.params.verification;
    for (const type of AGREEMENT_TYPES) {
      for (const intel of [0, 0.3, 1]) {
        for (const lead of [-20, 0, 8, 30]) {
          const raw =
            s.params.agreements[type].baseDetection +
            v.intelWeight * intel +
            v.leadWeightPerMonth * Math.max(0, lead);
          expect(detectionChance(s, 'us', intel, lead, type)).toBeCloseTo(clamp(raw, 0.02, 0.95));
          const rawChina =
            s.params.agreements[type].baseDetection +
            v.intelWeight * intel +
            v.leadWeightPerMonth * Math.max(0, -lead);
          expect(detectionChance(s, 'china', intel, lead, type)).toBeCloseTo(clamp(rawChina, 0.02, 0.95));
        }
      }
    }
    const type = breakable(s);
    const without = detectionChance(s, 'us', 0.2, 0, type);
    addAgreement(s, 'compute-reporting', 'in-force', 'cr');
    expect(detectionChance(s, 'us', 0.2, 0, type)).toBeCloseTo(clamp(without + v.reportingBonus, 0.02, 0.95));
  });

  it('rises with the detector’s intelligence and its lead', () => {
    const s = setup();
    const type = breakable(s);
    s.params.agreements[type].baseDetection = 0.1;
    s.params.verification.intelWeight = 0.3;
    s.params.verification.leadWeightPerMonth = 0.01;
    const intels = [0, 0.25, 0.5, 0.75, 1].map((i) => detectionChance(s, 'us', i, 0, type));
    for (let i = 1; i < intels.length; i++) expect(must(intels[i])).toBeGreaterThan(must(intels[i - 1]));
    const leads = [0, 5, 10, 20].map((l) => detectionChance(s, 'us', 0.3, l, type));
    for (let i = 1; i < leads.length; i++) expect(must(leads[i])).toBeGreaterThan(must(leads[i - 1]));
    // China detects better the further it leads, i.e. the more negative the US lead.
    expect(detectionChance(s, 'china', 0.3, -10, type)).toBeGreaterThan(
      detectionChance(s, 'china', 0.3, 10, type),
    );
    expect(detectionChance(s, 'china', 0.3, 10, type)).toBeCloseTo(detectionChance(s, 'china', 0.3, 0, type));
  });

  it('in play, a detector with better intelligence catches more violations', () => {
    const caught = (intel: number) => {
      let n = 0;
      for (let i = 0; i < 150; i++) {
        const s = setup((st) => {
          st.us.intel = intel;
        });
        addAgreement(s, breakable(s), 'in-force', 'd1');
        s.rng = must(game(`detect:${i}`)).rng;
        const after = resolve(s, [], [{ move: 'violate-agreement', agreementId: 'd1' }]);
        if (after.violations[0]?.detected) n++;
      }
      return n;
    };
    const low = caught(0);
    const high = caught(1);
    const s = setup();
    const type = breakable(s);
    const lead = s.us.capability - s.china.capability;
    if (detectionChance(s, 'us', 1, lead, type) - detectionChance(s, 'us', 0, lead, type) > 0.2)
      expect(high).toBeGreaterThan(low);
    else expect(high).toBeGreaterThanOrEqual(low);
  });

  it('when both sides break the same agreement and the first is caught, the second order finds it void', () => {
    let s = setup();
    const type = breakable(s);
    addAgreement(s, type, 'in-force', 'b1');
    s.rng = DETECTED();
    s = resolve(
      s,
      [{ move: 'violate-agreement', agreementId: 'b1' }],
      [{ move: 'violate-agreement', agreementId: 'b1' }],
    );
    expect(s.violations).toEqual([{ agreementId: 'b1', side: 'us', round: 1, detected: true }]);
    expect(must(s.agreements[0]).violator).toBe('us');
    expect(s.china.retaliationWindow).toBeGreaterThan(0);
    expect(notesText(s, 'china')).toContain('b1');
    expect(records(s, 'china', 'move.violate-agreement')).toEqual([]);
  });

  it('a detected violation opens a retaliation window for each of the next two rounds', () => {
    let s = setup();
    addAgreement(s, breakable(s), 'in-force', 'r1');
    s.rng = DETECTED();
    s = resolve(s, [], [{ move: 'violate-agreement', agreementId: 'r1' }]);
    expect(s.violations[0]?.detected).toBe(true);
    expect(validateOrders(s, 'us', [{ move: 'punish-violation' }]).ok).toBe(true);
    s = resolve(s);
    // The refusal message promises "within 2 rounds", and a whistleblower's leak gives two rounds.
    expect(validateOrders(s, 'us', [{ move: 'punish-violation' }]).ok).toBe(true);
    s = resolve(s);
    expect(validateOrders(s, 'us', [{ move: 'punish-violation' }]).ok).toBe(false);
  });

  it('a violation leaked by a whistleblower opens a retaliation window for each of the next two rounds', () => {
    let s = setup();
    addAgreement(s, breakable(s), 'in-force', 'l1');
    s.violations.push({ agreementId: 'l1', side: 'china', round: 0, detected: false });
    forceEvent(s, 'whistleblower');
    s = resolve(s);
    expect(lastLog(s, 'public').event).toBe('whistleblower');
    expect(s.violations[0]?.detected).toBe(true);
    quiet(s);
    expect(validateOrders(s, 'us', [{ move: 'punish-violation' }]).ok).toBe(true);
    s = resolve(s);
    expect(validateOrders(s, 'us', [{ move: 'punish-violation' }]).ok).toBe(true);
    s = resolve(s);
    expect(validateOrders(s, 'us', [{ move: 'punish-violation' }]).ok).toBe(false);
  });

  it('a detection is public, with the violator named; an undetected one is not', () => {
    let s = setup();
    addAgreement(s, breakable(s), 'in-force', 'p1');
    s.rng = UNDETECTED();
    const hidden = resolve(s, [], [{ move: 'violate-agreement', agreementId: 'p1' }]);
    expect(records(hidden, 'public', 'rule.violation-detected')).toEqual([]);
    expect(JSON.stringify(lastLog(hidden, 'public'))).not.toContain('p1');
    s = setup();
    addAgreement(s, breakable(s), 'in-force', 'p1');
    s.rng = DETECTED();
    const shown = resolve(s, [], [{ move: 'violate-agreement', agreementId: 'p1' }]);
    expect(records(shown, 'public', 'rule.violation-detected')).toHaveLength(
      s.params.trust.violationDetected === 0 ? 0 : 1,
    );
    expect(notesText(shown, 'public')).toContain('p1');
  });
});
