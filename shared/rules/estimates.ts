import { inForce } from './agreements.ts';
import { type LoopholeId, otherSide, type Side } from './ids.ts';
import { loopholeState, sideState } from './lookup.ts';
import { nextSigned, type RngCursor } from './rng.ts';
import type { Agreement, ComplianceEstimate, Estimate, Estimates, GameState } from './state.ts';

/**
 * Each side's picture of the other, redrawn every round. Noise is uniform within ± error, so the
 * truth always lies inside the error bar a player sees; the error shrinks with the observer's
 * intelligence and with compute reporting in force. Error widths scale with public yardsticks
 * (the other side's starting compute, a channel's capacity), never with the hidden value itself,
 * which the width would otherwise give away.
 */
export function errorFactor(s: GameState, observer: Side): number {
  const v = s.params.verification;
  const base = Math.max(v.estimateErrorFloor, 1 - sideState(s, observer).intel);
  return inForce(s, 'compute-reporting') ? base * v.reportingErrorFactor : base;
}

function noisy(
  truth: number,
  error: number,
  cursor: RngCursor,
  lo = 0,
  hi = Number.POSITIVE_INFINITY,
): Estimate {
  const v = truth + error * nextSigned(cursor);
  return { value: v < lo ? lo : Math.min(v, hi), error };
}

/**
 * Share of the agreement's rounds in force in which `side` kept it (1 when it never broke it). An
 * agreement found broken is void from its breach on: its record stops there instead of improving
 * with every round that passes after it.
 */
export function trueCompliance(s: GameState, side: Side, a: Agreement): number {
  if (a.inForceFrom === null) return 1;
  const until = a.status === 'violated' && a.violatedRound !== null ? a.violatedRound : s.round;
  const rounds = Math.max(1, until - a.inForceFrom + 1);
  let broken = 0;
  for (const v of s.violations) if (v.agreementId === a.id && v.side === side && v.round <= until) broken++;
  return 1 - broken / rounds;
}

/** China knows what it imports; only the US has to estimate it. */
function flowEstimate(
  s: GameState,
  l: LoopholeId,
  observer: Side,
  share: number,
  factor: number,
  cursor: RngCursor,
): Estimate {
  const lh = loopholeState(s, l);
  return observer === 'china'
    ? { value: lh.flow, error: 0 }
    : noisy(lh.flow, share * lh.maxFlow * factor, cursor);
}

export function estimateOther(s: GameState, observer: Side, cursor: RngCursor): Estimates {
  const target = otherSide(observer);
  const t = sideState(s, target);
  const e = s.params.estimateError;
  const f = errorFactor(s, observer);
  const flows: Record<LoopholeId, Estimate> = {
    allowedChips: flowEstimate(s, 'allowedChips', observer, e.flowShare, f, cursor),
    cloud: flowEstimate(s, 'cloud', observer, e.flowShare, f, cursor),
    smuggling: flowEstimate(s, 'smuggling', observer, e.flowShare, f, cursor),
    fabEquipment: flowEstimate(s, 'fabEquipment', observer, e.flowShare, f, cursor),
  };
  const compliance: ComplianceEstimate[] = [];
  for (const a of s.agreements) {
    if (
      (a.status === 'in-force' || a.status === 'violated') &&
      a.inForceFrom !== null &&
      a.inForceFrom <= s.round
    ) {
      const est = noisy(trueCompliance(s, target, a), e.compliance * f, cursor, 0, 1);
      compliance.push({ agreementId: a.id, value: est.value, error: est.error });
    }
  }
  return {
    capability: noisy(t.capability, e.capabilityMonths * f, cursor),
    compute: noisy(
      t.compute,
      e.computeShare * Math.max(1, target === 'us' ? s.startCompute.us : s.startCompute.china) * f,
      cursor,
    ),
    intel: noisy(t.intel, e.intel * f, cursor, 0, 1),
    flows,
    compliance,
  };
}
