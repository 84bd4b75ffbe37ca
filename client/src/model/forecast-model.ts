import type { ClientView } from '../../../shared/protocol/room.ts';
import { THE_SIDE } from '../../../shared/rules/explain.ts';
import {
  type ForecastScore,
  type ForecastTally,
  forecastTally,
  inCatalogueOrder,
  MAX_FORECAST_MOVES,
  namedAndMade,
  scoreForecasts,
  scorePercent,
} from '../../../shared/rules/forecast.ts';
import { otherSide, SIDES, type Side, TRACKS, type Track } from '../../../shared/rules/ids.ts';
import { getMove, movesFor } from '../../../shared/rules/moves.ts';
import { andList } from './labels.ts';

/**
 * The team's private forecast of the other side's moves, as the orders panel and the debrief
 * show it. Scoring is the rules' (shared/rules/forecast.ts); this module words it.
 */

/** A tick or untick of one move in the team's forecast, kept as an intention like a draft edit. */
export interface ForecastEdit {
  kind: 'forecast';
  move: string;
  on: boolean;
}

const TITLES: Record<Side, string> = { us: 'The US', china: 'China' };

/** The forecast after the edit, or null when it already says so (or would name too many moves). */
export function applyForecastEdit(current: readonly string[], e: ForecastEdit, side: Side): string[] | null {
  const has = current.includes(e.move);
  if (has === e.on) return null;
  if (e.on && current.length >= MAX_FORECAST_MOVES) return null;
  return e.on ? inCatalogueOrder(side, [...current, e.move]) : current.filter((m) => m !== e.move);
}

export interface ForecastChoice {
  id: string;
  name: string;
  covert: boolean;
}

/** The other side's moves a team can name, by track. */
export function forecastChoices(side: Side): { track: Track; moves: ForecastChoice[] }[] {
  const all = movesFor(otherSide(side));
  return TRACKS.map((track) => ({
    track,
    moves: all.filter((m) => m.track === track).map((m) => ({ id: m.id, name: m.name, covert: m.covert })),
  })).filter((g) => g.moves.length > 0);
}

export const moveName = (id: string) => getMove(id)?.name ?? id;

const nameList = (ids: readonly string[]) => andList(ids.map(moveName));

/**
 * The forecasts this seat may see, scored: against the truth when it holds it (the facilitator,
 * everyone after the end), else against the public log. `publicUntilEnd` keeps a facilitator's
 * page to the public log during play: the class page may be on a projector, and a true score
 * would tell the room whether a named secret move was made.
 */
export function visibleScores(v: ClientView, publicUntilEnd = false): ForecastScore[] {
  const truth = publicUntilEnd && v.phase !== 'ended' ? undefined : v.game.truth?.history;
  return scoreForecasts(v.forecasts, v.game.log.public, truth ? { us: truth.us, china: truth.china } : null);
}

/**
 * One round's forecast in words, from the forecasting team's side ("you") or a third person's.
 * Not `final`: judged on the public moves only, which the debrief completes with the secret ones.
 */
export function scoreSentence(s: ForecastScore, you: boolean, final: boolean): string {
  const other = THE_SIDE[otherSide(s.side)];
  const who = you ? 'You' : TITLES[s.side];
  const parts: string[] = [];
  if (s.hits.length) parts.push(`foresaw ${nameList(s.hits)}`);
  if (s.wrong.length) parts.push(`named ${nameList(s.wrong)}, which ${other} did not make`);
  if (s.missed.length) parts.push(`did not foresee ${nameList(s.missed)}`);
  const judged = parts.length ? `${who} ${parts.join('; ')}.` : `${who} named nothing ${other} made.`;
  const pending = s.pending.length
    ? ` Whether ${other} made ${nameList(s.pending)} stays secret until the debrief.`
    : '';
  return final
    ? `${judged}${pending} Score ${scorePercent(s.score)}.`
    : `${judged}${pending} Score on the moves revealed so far: ${scorePercent(s.score)} (the debrief also counts secret moves).`;
}

/** The latest revealed round's forecast of this team, for the panel after the reveal. */
export function latestOwnScore(v: ClientView, side: Side): ForecastScore | null {
  const own = visibleScores(v).filter((s) => s.side === side);
  const round = v.game.log.public[v.game.log.public.length - 1]?.round;
  return own.find((s) => s.round === round) ?? null;
}

export interface ForecastSummary {
  side: Side;
  tally: ForecastTally;
  text: string;
}

/** Each side's record over the game, in a sentence, for the debrief. */
export function forecastSummaries(scores: readonly ForecastScore[]): ForecastSummary[] {
  return SIDES.map((side) => {
    const tally = forecastTally(scores, side);
    const other = THE_SIDE[otherSide(side)];
    const text =
      tally.mean === null
        ? `${TITLES[side]} made no forecast of ${other}’s moves.`
        : `${TITLES[side]} forecast ${other}’s moves in ${tally.rounds} round${tally.rounds === 1 ? '' : 's'}: ${namedAndMade(tally)}; mean score ${scorePercent(tally.mean)}.`;
    return { side, tally, text };
  });
}
