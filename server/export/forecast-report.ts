import {
  type ForecastScore,
  forecastTally,
  moveNames,
  namedAndMade,
  scorePercent as percent,
  scoreForecasts,
} from '../../shared/rules/forecast.ts';
import { otherSide, SIDES, type Side } from '../../shared/rules/ids.ts';
import type { RoomState } from '../room/state.ts';

const SIDE: Record<Side, string> = { us: 'the United States', china: 'China' };
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const possessive = (s: string) => (s.endsWith('s') ? `${s}’` : `${s}’s`);

const names = (ids: readonly string[]) => moveNames(ids) || '—';

/** Every forecast of the game, scored against the true orders (the report is the facilitator's). */
export function trueForecastScores(room: RoomState): ForecastScore[] {
  const h = room.game.history;
  return scoreForecasts(room.forecasts ?? [], h.public, { us: h.us, china: h.china });
}

/** The report's section on how well each team foresaw the other's moves. */
export function forecastSection(room: RoomState): string[] {
  const scores = trueForecastScores(room);
  const lines = ['## How each team read the other', ''];
  if (!scores.length)
    return [...lines, 'Neither team recorded a forecast of the other side’s moves in a revealed round.', ''];
  for (const side of SIDES) {
    const t = forecastTally(scores, side);
    lines.push(
      t.mean === null
        ? `- ${cap(SIDE[side])} made no forecast of ${possessive(SIDE[otherSide(side)])} moves.`
        : `- ${cap(SIDE[side])} forecast ${possessive(SIDE[otherSide(side)])} moves in ${t.rounds} round${t.rounds === 1 ? '' : 's'}: mean score ${percent(t.mean)}; ${namedAndMade(t)}.`,
    );
  }
  lines.push(
    '',
    'A round’s score is the moves named and made over the moves named or made (secret moves included).',
    '',
    '| round | forecast by | named and made | named, not made | made, not named | score |',
    '|---|---|---|---|---|---|',
    ...scores.map(
      (s) =>
        `| ${s.round} | ${cap(SIDE[s.side])} | ${names(s.hits)} | ${names(s.wrong)} | ${names(s.missed)} | ${percent(s.score)} |`,
    ),
    '',
  );
  return lines;
}
