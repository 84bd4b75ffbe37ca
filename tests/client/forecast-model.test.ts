import { describe, expect, test } from 'vitest';
import {
  applyForecastEdit,
  forecastChoices,
  forecastSummaries,
  latestOwnScore,
  scoreSentence,
  visibleScores,
} from '../../client/src/model/forecast-model.ts';
import { MAX_FORECAST_MOVES } from '../../shared/rules/forecast.ts';
import { movesFor } from '../../shared/rules/moves.ts';
import { forecastRoom, reveal, step, viewFor } from './fixtures.ts';

describe('the forecast panel’s model', () => {
  test('a tick adds a move in catalogue order, an untick takes it out; a repeat or a ninth does nothing', () => {
    const tick = (move: string, on = true) => ({ kind: 'forecast' as const, move, on });
    expect(applyForecastEdit(['stockpile-chips'], tick('evasion-network'), 'us')).toEqual([
      'evasion-network',
      'stockpile-chips',
    ]);
    expect(applyForecastEdit(['stockpile-chips'], tick('stockpile-chips', false), 'us')).toEqual([]);
    expect(applyForecastEdit(['stockpile-chips'], tick('stockpile-chips'), 'us')).toBeNull();
    const full = movesFor('china')
      .slice(0, MAX_FORECAST_MOVES)
      .map((m) => m.id);
    const ninth = movesFor('china')[MAX_FORECAST_MOVES]?.id ?? '';
    expect(applyForecastEdit(full, tick(ninth), 'us')).toBeNull();
  });

  test('offers every move of the other side, by track, and marks the secret ones', () => {
    const groups = forecastChoices('us');
    expect(groups.flatMap((g) => g.moves.map((m) => m.id)).sort()).toEqual(
      movesFor('china')
        .map((m) => m.id)
        .sort(),
    );
    const secret = groups.flatMap((g) => g.moves).filter((m) => m.covert);
    expect(secret.map((m) => m.id).sort()).toEqual(['evasion-network', 'violate-agreement']);
  });

  test('after the reveal a team reads its score in words, a secret move left for the debrief', () => {
    const room = reveal(forecastRoom(['evasion-network', 'mineral-retaliation', 'stockpile-chips']), [
      { move: 'stockpile-chips' },
      { move: 'evasion-network', loophole: 'smuggling' },
      { move: 'domestic-chips' },
    ]);
    const us = viewFor(room, 'us');
    const score = latestOwnScore(us, 'us');
    expect(score).toMatchObject({
      round: 1,
      hits: ['stockpile-chips'],
      wrong: ['mineral-retaliation'],
      missed: ['domestic-chips'],
      pending: ['evasion-network'],
    });
    expect(scoreSentence(score as NonNullable<typeof score>, true, false)).toBe(
      'You foresaw Stockpile chips while they are allowed; named Limit critical-mineral exports, which China did not make; did not foresee Invest in domestic chips and fabs. Whether China made Build an evasion network stays secret until the debrief. Score on the moves revealed so far: 33% (the debrief also counts secret moves).',
    );
    // China's team sees nothing of the US forecast during play; the facilitator judges it with the truth.
    expect(visibleScores(viewFor(room, 'china'))).toEqual([]);
    const fac = visibleScores(viewFor(room, 'facilitator'));
    expect(fac[0]).toMatchObject({ hits: ['evasion-network', 'stockpile-chips'], pending: [] });
    expect(fac[0]?.score).toBe(0.5);
    expect(scoreSentence(fac[0] as NonNullable<(typeof fac)[0]>, false, true)).toMatch(
      /^The US foresaw .* Score 50%\.$/,
    );
    // A facilitator's page that may be projected keeps to the public moves until the end.
    expect(visibleScores(viewFor(room, 'facilitator'), true)[0]?.pending).toEqual(['evasion-network']);
  });

  test('the debrief sums up each side’s record, the side that made none included', () => {
    let room = reveal(forecastRoom(['stockpile-chips']), [{ move: 'stockpile-chips' }]);
    room = step(room, { type: 'fac.end' });
    const observer = viewFor(room, 'observer');
    const texts = forecastSummaries(visibleScores(observer)).map((s) => s.text);
    expect(texts).toEqual([
      'The US forecast China’s moves in 1 round: the one move it named was made; mean score 100%.',
      'China made no forecast of the US’s moves.',
    ]);
  });
});
