import { inForce } from './agreements.ts';
import { LOOPHOLES, type OutcomeId, type Side } from './ids.ts';
import { loopholeState, loopholeValue, sideState } from './lookup.ts';
import type { GameState, Outcome } from './state.ts';

/**
 * Agreements that limit what a side may build or do with AI. A hotline and incident notification
 * only help the sides talk, so keeping them is not a verified limit.
 */
const SUBSTANTIVE = ['no-ai-nuclear-c2', 'eval-standards', 'compute-reporting', 'frontier-cap'] as const;

/** How well each side could check the other at the end: the weaker intelligence, plus reporting. */
export function verificationIndex(s: GameState): number {
  const v = s.params.verification;
  return Math.min(s.us.intel, s.china.intel) + (inForce(s, 'compute-reporting') ? v.reportingBonus : 0);
}

/** A substantive agreement in force that nobody broke, even undetected. */
function keptSubstantive(s: GameState): string | null {
  for (const a of s.agreements) {
    if (a.status !== 'in-force' || !(SUBSTANTIVE as readonly string[]).includes(a.type)) continue;
    if (!s.violations.some((v) => v.agreementId === a.id)) return a.id;
  }
  return null;
}

export function classify(s: GameState): { id: OutcomeId; reason: string } {
  const r = s.params.risk;
  if (s.risk >= r.limit)
    return { id: 'catastrophe', reason: `global AI risk reached its limit of ${r.limit}` };
  const kept = keptSubstantive(s);
  const vi = verificationIndex(s);
  if (kept && vi >= s.params.verification.verifiedThreshold && s.risk < r.managedBelow)
    return {
      id: 'verified-agreement',
      reason: `agreement ${kept} is in force and kept, verification ${vi.toFixed(2)} ≥ ${s.params.verification.verifiedThreshold}, risk ${s.risk.toFixed(0)} < ${r.managedBelow}`,
    };
  const channel = s.talks.open || s.agreements.some((a) => a.status === 'in-force');
  if (s.risk < r.managedBelow && channel)
    return {
      id: 'managed-rivalry',
      reason: `risk ${s.risk.toFixed(0)} < ${r.managedBelow} with ${s.talks.open ? 'talks open' : 'an agreement in force'}${kept ? `, but verification ${vi.toFixed(2)} is below ${s.params.verification.verifiedThreshold}` : ''}`,
    };
  return {
    id: 'unmanaged-race',
    reason:
      s.risk >= r.managedBelow
        ? `risk ${s.risk.toFixed(0)} ended at or above ${r.managedBelow}`
        : 'no talks and no agreement in force',
  };
}

function meanOpeningGain(s: GameState): number {
  let sum = 0;
  for (const l of LOOPHOLES) sum += loopholeState(s, l).openness - loopholeValue(s.initialOpenness, l);
  return sum / LOOPHOLES.length;
}

/** Rounds to 0.1; `+ 0` turns a -0 (from rounding a small negative) into 0, as JSON would write it. */
function tenths(x: number): number {
  return Math.round(x * 10) / 10 + 0;
}

/** Final outcome, each side's objectives and score (docs/MODEL.md, "Outcomes and scores"). */
export function decideOutcome(s: GameState): Outcome {
  const { id, reason } = classify(s);
  const sc = s.params.scoring;
  const lead = s.us.capability - s.china.capability;
  const shared =
    id === 'verified-agreement' ? sc.agreementBonus : id === 'managed-rivalry' ? sc.managedBonus : 0;
  const costs = (side: Side) => {
    const st = sideState(s, side);
    return sc.costWeight * (st.econCost + st.politicalCost) + sc.caughtPenalty * st.caught;
  };
  const cappedLead = Math.max(-sc.usLeadCap, Math.min(sc.usLeadCap, lead));
  const opening = meanOpeningGain(s);
  const scores: Record<Side, number> =
    id === 'catastrophe'
      ? { us: sc.catastrophe, china: sc.catastrophe }
      : {
          us: sc.usLeadPerMonth * cappedLead + shared - costs('us') - sc.riskWeight * s.risk,
          china:
            sc.chinaGapClosedPerMonth * (s.startLead - lead) +
            sc.chinaOpennessGain * opening +
            shared -
            costs('china') -
            sc.riskWeight * s.risk,
        };
  const safe = id !== 'catastrophe';
  return {
    id,
    round: s.round,
    reason,
    scores: { us: tenths(scores.us), china: tenths(scores.china) },
    objectives: {
      us: [
        {
          id: 'safe-lead',
          met: safe && lead >= s.startLead,
          detail: `lead ${lead.toFixed(1)} months (started at ${s.startLead.toFixed(1)})`,
        },
        { id: 'verifiable-agreement', met: id === 'verified-agreement', detail: reason },
        { id: 'no-catastrophe', met: safe, detail: `risk ${s.risk.toFixed(0)} of ${s.params.risk.limit}` },
      ],
      china: [
        {
          id: 'close-gap',
          met: safe && lead < s.startLead,
          detail: `lead ${lead.toFixed(1)} months (started at ${s.startLead.toFixed(1)})`,
        },
        {
          id: 'controls-eased',
          met: opening > 0,
          detail: `loopholes ${opening >= 0 ? 'opened' : 'closed'} by ${(Math.abs(opening) * 100).toFixed(0)} points on average`,
        },
        {
          id: 'not-caught',
          met: s.china.caught === 0,
          detail: caughtText(s.china.caught),
        },
        { id: 'no-catastrophe', met: safe, detail: `risk ${s.risk.toFixed(0)} of ${s.params.risk.limit}` },
      ],
    },
  };
}

function caughtText(n: number): string {
  return n === 0
    ? 'never caught breaking an agreement'
    : `caught breaking agreements ${n === 1 ? 'once' : `${n} times`}`;
}
