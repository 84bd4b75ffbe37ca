import { z } from 'zod';
import { SIDE_BOUNDS } from './context.ts';
import { AGREEMENT_TYPES, LOOPHOLES } from './ids.ts';

/**
 * Every starting number and coefficient of the model lives in a scenario file validated here, so
 * an analyst can change an assumption without touching code. docs/MODEL.md explains each field.
 */
const share = z.number().min(0).max(1);
const nonNeg = z.number().min(0);
const finite = z.number().finite();

/** A side meter's starting value, within the bounds the rules keep it in (SIDE_BOUNDS). */
const meterStart = (m: 'capability' | 'compute' | 'computePerRound') => nonNeg.max(SIDE_BOUNDS[m][1]);

const sideStart = z.strictObject({
  capability: meterStart('capability'),
  compute: meterStart('compute'),
  computePerRound: meterStart('computePerRound'),
  intel: share,
  safety: z.number().min(0).max(100),
  budget: z.number().int().min(1).max(50),
  efficiency: z.number().min(0.1).max(5),
});

const loopholeStart = z.strictObject({ openness: share, maxFlow: nonNeg });

const loopholeRecord = <T extends z.ZodType>(item: T) =>
  z.strictObject(
    Object.fromEntries(LOOPHOLES.map((id) => [id, item])) as Record<(typeof LOOPHOLES)[number], T>,
  );

const agreementTerms = z.strictObject({
  riskOnEntry: finite,
  riskPerRound: finite,
  baseDetection: share,
  cheatCapabilityGain: nonNeg,
  cheatRiskPerRound: nonNeg,
  major: z.boolean(),
});

const agreementRecord = z.strictObject(
  Object.fromEntries(AGREEMENT_TYPES.map((id) => [id, agreementTerms])) as Record<
    (typeof AGREEMENT_TYPES)[number],
    typeof agreementTerms
  >,
);

export const scenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,48}$/, 'use 2–49 lowercase letters, digits or dashes'),
  title: z.string().min(1).max(120),
  description: z.string().max(2000),
  rounds: z.number().int().min(1).max(40),
  start: z.strictObject({
    us: sideStart,
    china: sideStart,
    loopholes: loopholeRecord(loopholeStart),
    risk: z.number().min(0).max(100),
    trust: z.number().min(0).max(100),
    alliedAlignment: share,
    talksOpen: z.boolean(),
  }),
  model: z.strictObject({
    growth: z.strictObject({
      baseMonthsPerRound: nonNeg,
      computeElasticity: z.number().min(0).max(2),
      diffusionPerLeadMonth: z.number().min(0).max(1),
      diffusionViaOpenness: share,
      computeDepreciation: share,
    }),
    controls: z.strictObject({
      stepPerOrder: share,
      lostSalesPerClosure: loopholeRecord(nonNeg),
      allyFrictionPerClosure: nonNeg,
      enforcementSmugglingCut: share,
      alignmentLeverage: share,
    }),
    china: z.strictObject({
      evasionStep: share,
      stockpileShare: z.number().min(0).max(5),
      domesticChipsGain: nonNeg,
      mineralComputeCut: share,
      courtAlliesStep: share,
    }),
    development: z.strictObject({
      frontierTrainingMonths: nonNeg,
      frontierTrainingRisk: nonNeg,
      computeBuildout: nonNeg,
      efficiencyGain: nonNeg,
      safetyRiskCut: nonNeg,
      safetyCapabilityCost: nonNeg,
      intelGain: share,
    }),
    risk: z.strictObject({
      limit: z.number().min(1).max(1000),
      floor: z.number().min(0).max(100),
      driftPerRound: finite,
      closeRaceMonths: nonNeg,
      closeRaceRisk: nonNeg,
      desperationLeadMonths: nonNeg,
      desperationTrustBelow: z.number().min(0).max(100),
      desperationRisk: nonNeg,
      managedBelow: z.number().min(0).max(100),
      hotlineCrisisFactor: share,
      eventChanceFromRisk: share,
    }),
    trust: z.strictObject({
      tighten: finite,
      ease: finite,
      talks: finite,
      agreement: finite,
      violationDetected: finite,
      retaliation: finite,
    }),
    verification: z.strictObject({
      intelWeight: share,
      leadWeightPerMonth: z.number().min(0).max(0.2),
      reportingBonus: share,
      verifiedThreshold: share,
      majorTrustThreshold: z.number().min(0).max(100),
      estimateErrorFloor: share,
      reportingErrorFactor: share,
    }),
    estimateError: z.strictObject({
      capabilityMonths: nonNeg,
      computeShare: nonNeg,
      flowShare: nonNeg,
      intel: share,
      compliance: share,
    }),
    agreements: agreementRecord,
    scoring: z.strictObject({
      catastrophe: finite,
      usLeadPerMonth: finite,
      usLeadCap: nonNeg,
      agreementBonus: finite,
      managedBonus: finite,
      costWeight: finite,
      riskWeight: finite,
      chinaGapClosedPerMonth: finite,
      chinaOpennessGain: finite,
      caughtPenalty: finite,
    }),
  }),
  events: z.strictObject({
    chancePerRound: share,
    weights: z.record(z.string(), nonNeg),
    disabled: z.array(z.string()),
  }),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ModelParams = Scenario['model'];
export type AgreementTerms = z.infer<typeof agreementTerms>;
