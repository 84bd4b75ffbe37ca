import { THE_SIDE } from './explain.ts';
import { otherSide, type Side } from './ids.ts';
import { getMove, movesFor } from './moves.ts';
import { MAX_ORDERS } from './order-limits.ts';
import type { LoggedOrder, RoundLog } from './state.ts';

/**
 * A team's private forecast of the other side's moves in one round, and how it is scored: the
 * debrief rewards reading the other side well. Kept outside the engine's state (the server's
 * room records it), so bot games and the benchmark do not carry it.
 */
export interface Forecast {
  round: number;
  /** The side that made the forecast; it names moves of the other side. */
  side: Side;
  /** Move ids, in catalogue order. */
  moves: string[];
}

/** A forecast names moves, not their targets: at most as many as a side may order in a round. */
export const MAX_FORECAST_MOVES = MAX_ORDERS;

/** Why a side may not forecast these moves, or null when it may. */
export function forecastProblem(side: Side, moves: readonly string[]): string | null {
  if (moves.length > MAX_FORECAST_MOVES) return `a forecast names at most ${MAX_FORECAST_MOVES} moves`;
  const other = otherSide(side);
  const seen = new Set<string>();
  for (const id of moves) {
    const def = getMove(id);
    if (!def?.sides.includes(other)) return `"${id}" is not a move ${THE_SIDE[other]} can make`;
    if (seen.has(id)) return `"${def.name}" is named twice`;
    seen.add(id);
  }
  return null;
}

/** Move ids by their names, "; " between them, for the report, the console and the debrief. */
export function moveNames(ids: readonly string[]): string {
  return ids.map((id) => getMove(id)?.name ?? id).join('; ');
}

/** A score from 0 to 1 as a whole percentage. */
export const scorePercent = (x: number) => `${Math.round(x * 100)}%`;

/** The moves in the order the other side's catalogue lists them, so lists read the same everywhere. */
export function inCatalogueOrder(forecaster: Side, moves: Iterable<string>): string[] {
  const wanted = new Set(moves);
  return movesFor(otherSide(forecaster))
    .map((m) => m.id)
    .filter((id) => wanted.has(id));
}

export interface ForecastScore {
  round: number;
  side: Side;
  /** Named and made. */
  hits: string[];
  /** Named, not made. */
  wrong: string[];
  /** Made, not named. */
  missed: string[];
  /**
   * Named secret moves not judged yet: during play a team sees only the other side's public
   * moves, and telling it whether a named secret move was made would give the secret away.
   */
  pending: string[];
  /** Named and made, over named or made (judged moves only): from 0 to 1; 1 when both are empty. */
  score: number;
}

/**
 * Scores a forecast against the moves the other side made that round. `orders` are either the
 * public log's (secret moves left out: `truth` false) or the other side's own log after the end
 * or for the facilitator (`truth` true).
 */
export function scoreForecast(f: Forecast, orders: readonly LoggedOrder[], truth: boolean): ForecastScore {
  const other = otherSide(f.side);
  const made = new Set<string>();
  for (const o of orders) if (o.side === other) made.add(o.move);
  const pending = truth ? [] : f.moves.filter((id) => getMove(id)?.covert);
  const judged = f.moves.filter((id) => !pending.includes(id));
  const hits = judged.filter((id) => made.has(id));
  const wrong = judged.filter((id) => !made.has(id));
  const missed = inCatalogueOrder(
    f.side,
    [...made].filter((id) => !judged.includes(id)),
  );
  const union = hits.length + wrong.length + missed.length;
  return {
    round: f.round,
    side: f.side,
    hits,
    wrong,
    missed,
    pending,
    score: union === 0 ? 1 : hits.length / union,
  };
}

/** The orders a log holds for a round (the log's entries are one per resolved round). */
export function ordersOfRound(logs: readonly RoundLog[], round: number): readonly LoggedOrder[] {
  return logs.find((l) => l.round === round)?.orders ?? [];
}

/**
 * Every forecast a seat may see, scored: against the true orders when `sides` (both sides' own
 * logs) is known, otherwise against the public log. A forecast for a round not yet revealed is
 * left out.
 */
export function scoreForecasts(
  forecasts: readonly Forecast[],
  publicLog: readonly RoundLog[],
  sides: { us: readonly RoundLog[]; china: readonly RoundLog[] } | null,
): ForecastScore[] {
  const out: ForecastScore[] = [];
  for (const f of forecasts) {
    const other = otherSide(f.side);
    const logs = sides ? sides[other] : publicLog;
    if (!logs.some((l) => l.round === f.round)) continue;
    out.push(scoreForecast(f, ordersOfRound(logs, f.round), sides !== null));
  }
  return out;
}

export interface ForecastTally {
  rounds: number;
  /** The mean score over the rounds forecast, or null when there were none. */
  mean: number | null;
  hits: number;
  named: number;
}

/** "2 of the 3 moves it named were made", for the report and the debrief. */
export function namedAndMade(t: Pick<ForecastTally, 'hits' | 'named'>): string {
  if (t.named === 1) return `the one move it named was ${t.hits ? '' : 'not '}made`;
  return `${t.hits} of the ${t.named} moves it named ${t.hits === 1 ? 'was' : 'were'} made`;
}

export function forecastTally(scores: readonly ForecastScore[], side: Side): ForecastTally {
  const own = scores.filter((s) => s.side === side);
  let sum = 0;
  let hits = 0;
  let named = 0;
  for (const s of own) {
    sum += s.score;
    hits += s.hits.length;
    named += s.hits.length + s.wrong.length + s.pending.length;
  }
  return { rounds: own.length, mean: own.length ? sum / own.length : null, hits, named };
}
