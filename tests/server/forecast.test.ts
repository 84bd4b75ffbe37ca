import { afterEach, describe, expect, it } from 'vitest';
import type { Forecast } from '../../shared/rules/forecast.ts';
import { scoreForecasts } from '../../shared/rules/forecast.ts';
import type { Client } from './harness.ts';
import { advanceTo, expectRefused, Fixture, joinRecorded, recordRaw, table } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

const draftVersion = (c: Client) => c.view?.draft?.version ?? 0;

async function forecast(c: Client, moves: string[]): Promise<void> {
  const v = draftVersion(c);
  await c.ok('forecast:set', { baseVersion: v, moves });
  await c.until((x) => (x.draft?.version ?? 0) > v, 'the forecast in the draft');
}

/**
 * Each team may record, privately, which moves it expects the other side to make this round. The
 * forecast travels with the team's draft (so only the team and the facilitator see it), locks
 * with the orders, joins the record at the reveal, and is scored; the other team sees it only
 * after the end, and a score during play never gives away a secret move.
 */
describe('forecasts of the other side’s moves', () => {
  it('stay within the team until the end, lock with the orders and are scored after the reveal', async () => {
    const t = await table(fx);
    const cnRaw = recordRaw(t.cn);
    const { client: observer, raw: obsRaw } = await joinRecorded(fx, t.srv.url, t.code, 'Olga', 'observer');
    const usMember = await fx.join(t.srv.url, t.code, 'Cy', 'us');
    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'negotiation');

    // Any member may forecast; the list is kept in the other side's catalogue order.
    await forecast(usMember, ['stockpile-chips', 'evasion-network']);
    await t.us.until((v) => v.draft?.forecast?.length === 2, 'the teammate’s forecast');
    expect(t.us.view?.draft?.forecast).toEqual(['evasion-network', 'stockpile-chips']);
    expect(t.fac.view?.drafts?.us.forecast).toEqual(['evasion-network', 'stockpile-chips']);

    // An edit of the orders keeps the forecast; an edit based on an old version is refused.
    const v = draftVersion(t.us);
    await t.us.ok('draft:set', { baseVersion: v, orders: [{ move: 'safety-research' }] });
    await t.us.until((x) => (x.draft?.version ?? 0) > v, 'the new draft');
    expect(t.us.view?.draft?.forecast).toEqual(['evasion-network', 'stockpile-chips']);
    expectRefused(
      await usMember.call('forecast:set', { baseVersion: v, moves: [] }),
      'stale-version',
      /resync/,
    );
    expectRefused(
      await t.us.call('forecast:set', { baseVersion: draftVersion(t.us), moves: ['tighten-loophole'] }),
      'bad-payload',
      /not a move China can make/,
    );

    await advanceTo(t.fac, 'orders');
    await t.cn.ok('draft:set', {
      baseVersion: draftVersion(t.cn),
      orders: [{ move: 'stockpile-chips' }, { move: 'evasion-network', loophole: 'smuggling' }],
    });
    await t.cn.until((x) => x.draft?.orders.length === 2, 'China’s orders');
    await t.us.ok('draft:lock', { baseVersion: draftVersion(t.us) });
    await t.us.until((x) => x.draft?.locked === true, 'the lock');
    expectRefused(
      await usMember.call('forecast:set', { baseVersion: draftVersion(usMember), moves: [] }),
      'locked',
      /forecast with them/,
    );
    await t.cn.ok('draft:lock', { baseVersion: draftVersion(t.cn) });

    const recorded: Forecast = { round: 1, side: 'us', moves: ['evasion-network', 'stockpile-chips'] };
    const usView = await t.us.until((x) => x.forecasts.length === 1, 'the recorded forecast');
    expect(usView.forecasts).toEqual([recorded]);
    await t.fac.until((x) => x.forecasts.length === 1, 'the facilitator’s record');
    // During play the US learns it foresaw the stockpile; whether China built a smuggling
    // network stays secret, so that part of its forecast is not judged yet.
    const [during] = scoreForecasts(usView.forecasts, t.us.view?.game.log.public ?? [], null);
    expect(during).toMatchObject({ hits: ['stockpile-chips'], pending: ['evasion-network'], score: 1 });
    // The facilitator scores against the truth.
    const truth = t.fac.view?.game.truth?.history;
    const [judged] = scoreForecasts(t.fac.view?.forecasts ?? [], truth?.public ?? [], truth ?? null);
    expect(judged).toMatchObject({ hits: ['evasion-network', 'stockpile-chips'], wrong: [], score: 1 });
    expect(t.cn.view?.forecasts).toEqual([]);
    expect(observer.view?.forecasts).toEqual([]);
    for (const raw of [cnRaw, obsRaw]) expect(raw.join('\n')).not.toContain('"forecast":[');

    // The round's metrics (the CSV's rows) are written once its crisis, if one was drawn, is answered.
    if (t.fac.view?.phase === 'crisis') await advanceTo(t.fac, 'summary');
    // The report scores it against the truth, and the CSV gives each round's score.
    const auth = { headers: { Authorization: `Bearer ${t.facToken}` } };
    const md = await (await fetch(`${t.srv.url}/api/games/${t.code}/export?format=md`, auth)).text();
    expect(md).toContain('## How each team read the other');
    expect(md).toMatch(
      /The United States forecast China’s moves in 1 round: mean score 100%; 2 of the 2 moves it named were made/,
    );
    expect(md).toContain('China made no forecast of the United States’ moves.');
    // Who changed the forecast is kept apart from who edited the orders.
    expect(t.fac.view?.drafts?.us).toMatchObject({
      editedBy: t.us.view?.you.seatId,
      forecastBy: usMember.view?.you.seatId,
    });
    const csv = await (await fetch(`${t.srv.url}/api/games/${t.code}/export?format=csv`, auth)).text();
    const [head, row1] = csv.trim().split('\n');
    expect(head?.split(',').slice(-2)).toEqual(['us_forecast_score', 'china_forecast_score']);
    expect(row1?.split(',').slice(-2)).toEqual(['1', '']);

    await t.fac.ok('fac:end');
    await t.cn.until((x) => x.phase === 'ended', 'the end');
    expect(t.cn.view?.forecasts).toEqual([recorded]);
    expect(observer.view?.forecasts).toEqual([recorded]);
  });

  it('a forecast the team never locked is recorded as it stands when the clock runs out', async () => {
    const t = await table(fx);
    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'orders');
    await forecast(t.cn, ['safety-research']);
    // The facilitator moves on (as the deadline would): neither side locked.
    await t.fac.ok('fac:advance');
    const v = await t.cn.until((x) => x.forecasts.length === 1, 'the recorded forecast');
    expect(v.forecasts).toEqual([{ round: 1, side: 'china', moves: ['safety-research'] }]);
    expect(t.us.view?.forecasts).toEqual([]);
    // An empty forecast is none: the next round starts with a fresh draft and no forecast.
    await advanceTo(t.fac, 'briefing');
    await t.cn.until((x) => x.phase === 'briefing', 'the next briefing');
    expect(t.cn.view?.draft?.forecast).toBeUndefined();
    await forecast(t.cn, ['open-talks']);
    await forecast(t.cn, []);
    expect(t.cn.view?.draft?.forecast).toBeUndefined();
  });
});
