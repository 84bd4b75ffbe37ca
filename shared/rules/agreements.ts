import { addPublic, addSide, note, type RoundCtx } from './context.ts';
import { AGREEMENT_TYPES, type AgreementType, otherSide, type Side } from './ids.ts';
import { agreementValue, sideState } from './lookup.ts';
import type { Agreement, GameState } from './state.ts';

export const AGREEMENT_NAMES: Record<AgreementType, string> = {
  hotline: 'AI crisis hotline',
  'incident-notification': 'AI incident notification',
  'no-ai-nuclear-c2': 'No AI in nuclear command and control',
  'eval-standards': 'Shared frontier-model evaluation standards',
  'compute-reporting': 'Reporting of large training runs and compute',
  'frontier-cap': 'Cap on frontier training runs',
};

/** Cause ids per agreement type, built once so the per-round upkeep allocates no strings. */
const CAUSE = Object.fromEntries(
  AGREEMENT_TYPES.map((t) => [
    t,
    {
      accepted: `agreement.${t}.accepted`,
      entry: `agreement.${t}.entry`,
      inForce: `agreement.${t}.in-force`,
    },
  ]),
) as Record<AgreementType, { accepted: string; entry: string; inForce: string }>;

export function inForce(s: { agreements: readonly Agreement[] }, type: AgreementType): boolean {
  for (const a of s.agreements) if (a.type === type && a.status === 'in-force') return true;
  return false;
}

/** An agreement of this type that is still live (proposed, accepted or in force), if any. */
export function liveAgreement(
  s: { agreements: readonly Agreement[] },
  type: AgreementType,
): Agreement | undefined {
  return s.agreements.find(
    (a) => a.type === type && (a.status === 'proposed' || a.status === 'accepted' || a.status === 'in-force'),
  );
}

export function findAgreement(
  s: { agreements: readonly Agreement[] },
  id: string | undefined,
): Agreement | undefined {
  return id === undefined ? undefined : s.agreements.find((a) => a.id === id);
}

/** Major agreements need either a survived AI crisis or enough trust (the 1962 → 1963 lesson). */
export function majorAgreementsOpen(s: Pick<GameState, 'crisisSurvived' | 'trust' | 'params'>): boolean {
  return s.crisisSurvived || s.trust >= s.params.verification.majorTrustThreshold;
}

/**
 * Chance that `detector` catches a violation of `type` by the other side this round: the
 * agreement's own verifiability, plus the detector's intelligence, plus its AI lead (better AI,
 * better detection, as the op-ed argues), plus compute reporting when in force.
 */
export function detectionChance(
  s: GameState,
  detector: Side,
  intel: number,
  lead: number,
  type: AgreementType,
): number {
  const v = s.params.verification;
  const base = agreementValue(s.params.agreements, type).baseDetection;
  const detectorLead = detector === 'us' ? lead : -lead;
  const p =
    base +
    v.intelWeight * intel +
    v.leadWeightPerMonth * Math.max(0, detectorLead) +
    (inForce(s, 'compute-reporting') ? v.reportingBonus : 0);
  return p < 0.02 ? 0.02 : Math.min(p, 0.95);
}

export function proposeAgreement(ctx: RoundCtx, side: Side, type: AgreementType): void {
  const s = ctx.s;
  const existing = liveAgreement(s, type);
  if (existing && existing.status === 'proposed' && existing.proposedBy !== side) {
    // Proposing what the other side already proposed is an acceptance.
    acceptAgreement(ctx, side, existing);
    return;
  }
  if (existing) {
    note(ctx, side, 'proposal-exists', side, existing.id, existing.status);
    return;
  }
  const id = `a${s.nextAgreementNumber++}`;
  s.agreements.push({
    id,
    type,
    proposedBy: side,
    proposedRound: ctx.round,
    status: 'proposed',
    inForceFrom: null,
    violatedRound: null,
    violator: null,
  });
  note(ctx, 'pub', 'proposed', side, id, type);
}

export function acceptAgreement(ctx: RoundCtx, side: Side, a: Agreement): void {
  a.status = 'accepted';
  a.inForceFrom = ctx.round + 1;
  addPublic(ctx, 'trust', ctx.s.params.trust.agreement, agreementValue(CAUSE, a.type).accepted, side);
  note(ctx, 'pub', 'accepted', side, a.id, a.type);
}

/** End-of-round ratification: accepted agreements enter into force and take their first effect. */
export function ratify(ctx: RoundCtx): void {
  for (const a of ctx.s.agreements) {
    if (a.status === 'accepted' && a.inForceFrom !== null && a.inForceFrom <= ctx.round + 1) {
      a.status = 'in-force';
      addPublic(
        ctx,
        'risk',
        agreementValue(ctx.s.params.agreements, a.type).riskOnEntry,
        agreementValue(CAUSE, a.type).entry,
        null,
      );
    }
  }
}

/** Proposals left unanswered for two rounds lapse. */
export function expireProposals(ctx: RoundCtx): void {
  for (const a of ctx.s.agreements) {
    if (a.status === 'proposed' && ctx.round - a.proposedRound >= 2) {
      a.status = 'expired';
      note(ctx, 'pub', 'lapsed', a.proposedBy, a.id, a.type);
    }
  }
}

/** Per-round effect of each agreement in force (on the shared risk meter). */
export function agreementUpkeep(ctx: RoundCtx): void {
  for (const a of ctx.s.agreements) {
    if (a.status !== 'in-force') continue;
    addPublic(
      ctx,
      'risk',
      agreementValue(ctx.s.params.agreements, a.type).riskPerRound,
      agreementValue(CAUSE, a.type).inForce,
      null,
    );
  }
}

/** A covert violation: the violator gains, the world gets riskier, and the other side may notice. */
export function violate(ctx: RoundCtx, side: Side, a: Agreement, roll: number): void {
  const s = ctx.s;
  const terms = agreementValue(s.params.agreements, a.type);
  const cause = 'move.violate-agreement';
  addSide(ctx, side, 'capability', terms.cheatCapabilityGain, cause);
  addPublic(ctx, 'risk', terms.cheatRiskPerRound, cause, side, side);
  const victim = otherSide(side);
  const p = detectionChance(
    s,
    victim,
    sideState(s, victim).intel,
    s.us.capability - s.china.capability,
    a.type,
  );
  const detected = roll < p;
  s.violations.push({ agreementId: a.id, side, round: ctx.round, detected });
  if (!detected) return;
  a.status = 'violated';
  a.violatedRound = ctx.round;
  a.violator = side;
  sideState(s, side).caught += 1;
  sideState(s, victim).retaliationWindow = 2;
  addPublic(ctx, 'trust', s.params.trust.violationDetected, 'rule.violation-detected', side);
  note(ctx, 'pub', 'violation-detected', side, a.id, a.type);
}
