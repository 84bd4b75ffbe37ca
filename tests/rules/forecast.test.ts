import { describe, expect, it } from 'vitest';
import {
  type Forecast,
  forecastProblem,
  forecastTally,
  inCatalogueOrder,
  MAX_FORECAST_MOVES,
  namedAndMade,
  scoreForecast,
  scoreForecasts,
} from '../../shared/rules/forecast.ts';
import type { Side } from '../../shared/rules/ids.ts';
import type { LoggedOrder, RoundLog } from '../../shared/rules/state.ts';

const order = (side: Side, move: string): LoggedOrder => ({ side, move });
const log = (round: number, orders: LoggedOrder[]): RoundLog => ({
  round,
  orders,
  changes: [],
  notes: [],
  event: null,
});

describe('a forecast of the other side’s moves', () => {
  it('may name only moves the other side can make, each once, and no more than a round’s orders', () => {
    expect(forecastProblem('us', ['evasion-network', 'safety-research'])).toBeNull();
    expect(forecastProblem('us', [])).toBeNull();
    expect(forecastProblem('us', ['tighten-loophole'])).toMatch(/not a move China can make/);
    expect(forecastProblem('china', ['evasion-network'])).toMatch(/not a move the US can make/);
    expect(forecastProblem('china', ['nope'])).toMatch(/"nope" is not a move/);
    expect(forecastProblem('china', ['tighten-loophole', 'tighten-loophole'])).toMatch(/named twice/);
    const many = Array.from({ length: MAX_FORECAST_MOVES + 1 }, (_, i) => `m${i}`);
    expect(forecastProblem('us', many)).toMatch(/at most 8 moves/);
  });

  it('keeps the other side’s catalogue order, whatever order the moves were ticked in', () => {
    expect(inCatalogueOrder('us', ['safety-research', 'open-talks', 'evasion-network'])).toEqual([
      'open-talks',
      'evasion-network',
      'safety-research',
    ]);
  });

  it('scores named and made over named or made, counting a move once whatever its targets', () => {
    const f: Forecast = { round: 2, side: 'us', moves: ['stockpile-chips', 'mineral-retaliation'] };
    const made = [
      order('china', 'stockpile-chips'),
      order('china', 'domestic-chips'),
      order('china', 'domestic-chips'),
      // The forecaster's own orders are not what it forecast.
      order('us', 'mineral-retaliation'),
    ];
    const s = scoreForecast(f, made, true);
    expect(s).toMatchObject({
      hits: ['stockpile-chips'],
      wrong: ['mineral-retaliation'],
      missed: ['domestic-chips'],
      pending: [],
    });
    expect(s.score).toBeCloseTo(1 / 3);
    expect(scoreForecast({ ...f, moves: [] }, [], true).score).toBe(1);
    expect(scoreForecast({ ...f, moves: [] }, made, true).score).toBe(0);
  });

  it('during play leaves named secret moves unjudged, so the score cannot give a secret away', () => {
    const f: Forecast = { round: 1, side: 'us', moves: ['evasion-network', 'stockpile-chips'] };
    // The public log has no secret moves, whether China made one or not.
    const publicOrders = [order('china', 'stockpile-chips')];
    const during = scoreForecast(f, publicOrders, false);
    expect(during).toMatchObject({ hits: ['stockpile-chips'], wrong: [], pending: ['evasion-network'] });
    expect(during.score).toBe(1);
    const after = scoreForecast(f, [...publicOrders, order('china', 'evasion-network')], true);
    expect(after).toMatchObject({ hits: ['evasion-network', 'stockpile-chips'], pending: [] });
    const notMade = scoreForecast(f, publicOrders, true);
    expect(notMade).toMatchObject({ wrong: ['evasion-network'] });
    expect(notMade.score).toBe(0.5);
  });

  it('scores only revealed rounds, from the public log or from the true logs, and tallies per side', () => {
    const forecasts: Forecast[] = [
      { round: 1, side: 'us', moves: ['evasion-network'] },
      { round: 1, side: 'china', moves: ['tighten-loophole'] },
      { round: 2, side: 'us', moves: ['stockpile-chips'] },
    ];
    const pub = [log(1, [order('us', 'tighten-loophole')])];
    const sides = {
      us: [log(1, [order('us', 'tighten-loophole')])],
      china: [log(1, [order('china', 'evasion-network')])],
    };
    const during = scoreForecasts(forecasts, pub, null);
    expect(during.map((s) => [s.round, s.side, s.score])).toEqual([
      [1, 'us', 1],
      [1, 'china', 1],
    ]);
    expect(during[0]?.pending).toEqual(['evasion-network']);
    const truth = scoreForecasts(forecasts, pub, sides);
    expect(truth[0]?.hits).toEqual(['evasion-network']);
    expect(forecastTally(truth, 'us')).toEqual({ rounds: 1, mean: 1, hits: 1, named: 1 });
    expect(namedAndMade({ hits: 1, named: 1 })).toBe('the one move it named was made');
    expect(namedAndMade({ hits: 0, named: 1 })).toBe('the one move it named was not made');
    expect(namedAndMade({ hits: 1, named: 3 })).toBe('1 of the 3 moves it named was made');
    expect(namedAndMade({ hits: 2, named: 3 })).toBe('2 of the 3 moves it named were made');
    expect(forecastTally([], 'china')).toEqual({ rounds: 0, mean: null, hits: 0, named: 0 });
  });
});
