import type { Bot } from '../bots/types.ts';
import { OUTCOMES, type OutcomeId } from '../rules/ids.ts';
import type { Scenario } from '../rules/scenario-schema.ts';
import { playGame } from './play.ts';
import { wilson } from './stats.ts';

export interface PairResult {
  us: string;
  china: string;
  games: number;
  outcomes: Record<OutcomeId, number>;
  outcomeCi95: Record<OutcomeId, { low: number; high: number }>;
  meanFinalLeadMonths: number;
  meanFinalRisk: number;
  meanUsScore: number;
  meanChinaScore: number;
  meanRounds: number;
  meanDetectedViolations: number;
  meanUndetectedViolations: number;
}

export interface MatrixResult {
  scenario: string;
  games: number;
  seed: string;
  results: PairResult[];
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Game i of every pair uses seed `${seed}:${i}`, so pairs face the same dice and compare fairly. */
export function runPair(
  scenario: Scenario,
  us: Bot,
  china: Bot,
  games: number,
  seed: string,
  onGame?: () => void,
): PairResult {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<OutcomeId, number>;
  let lead = 0;
  let risk = 0;
  let usScore = 0;
  let chinaScore = 0;
  let rounds = 0;
  let detected = 0;
  let hidden = 0;
  for (let i = 0; i < games; i++) {
    const s = playGame(scenario, us, china, `${seed}:${i}`);
    const o = s.outcome;
    if (!o) throw new Error('a finished game has no outcome');
    counts[o.id]++;
    lead += s.us.capability - s.china.capability;
    risk += s.risk;
    usScore += o.scores.us;
    chinaScore += o.scores.china;
    rounds += s.round;
    for (const v of s.violations) v.detected ? detected++ : hidden++;
    onGame?.();
  }
  const n = Math.max(1, games);
  const outcomes = {} as Record<OutcomeId, number>;
  const outcomeCi95 = {} as Record<OutcomeId, { low: number; high: number }>;
  for (const id of OUTCOMES) {
    outcomes[id] = round4(counts[id] / n);
    const ci = wilson(counts[id], games);
    outcomeCi95[id] = { low: round4(ci.low), high: round4(ci.high) };
  }
  return {
    us: us.id,
    china: china.id,
    games,
    outcomes,
    outcomeCi95,
    meanFinalLeadMonths: round4(lead / n),
    meanFinalRisk: round4(risk / n),
    meanUsScore: round4(usScore / n),
    meanChinaScore: round4(chinaScore / n),
    meanRounds: round4(rounds / n),
    meanDetectedViolations: round4(detected / n),
    meanUndetectedViolations: round4(hidden / n),
  };
}

export function runMatrix(
  scenario: Scenario,
  usBots: readonly Bot[],
  chinaBots: readonly Bot[],
  games: number,
  seed: string,
  onGame?: () => void,
): MatrixResult {
  const results: PairResult[] = [];
  for (const us of usBots)
    for (const china of chinaBots) results.push(runPair(scenario, us, china, games, seed, onGame));
  return { scenario: scenario.id, games, seed, results };
}
