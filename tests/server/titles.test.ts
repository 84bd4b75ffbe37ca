import { afterEach, describe, expect, it } from 'vitest';
import type { JoinResult, ResumeResult } from '../../shared/protocol/events.ts';
import { Client, createGame, startServer } from './harness.ts';
import { Fixture } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

/**
 * A seat may carry a title inside its team (Commerce, MOFCOM...): chosen at joining, shown to
 * everyone beside the name, kept across a restart like the rest of the seat, in the report.
 */
describe('seat titles', () => {
  it('a title chosen at joining reaches every view; a blank one is none; a restart keeps it', async () => {
    // Its own server rather than the fixture's: this test stops it and starts another on its data.
    const srv = await startServer();
    const game = await createGame(srv.url);
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    const ana = await fx.client(srv.url).connected();
    const joined = await ana.ok<JoinResult>('game:join', {
      code: game.code,
      name: 'Ana',
      role: 'us',
      title: '  Commerce ',
    });
    expect(joined.snapshot.view.seats.find((s) => s.name === 'Ana')?.title).toBe('Commerce');
    const bo = await fx.client(srv.url).connected();
    await bo.ok('game:join', { code: game.code, name: 'Bo', role: 'china', title: '' });
    const seen = await fac.until((v) => v.seats.length === 2, 'both seats');
    expect(seen.seats.map((s) => [s.name, s.title])).toEqual([
      ['Ana', 'Commerce'],
      ['Bo', null],
    ]);
    const report = await fetch(`${srv.url}/api/games/${game.code}/export?format=md`, {
      headers: { Authorization: `Bearer ${game.facilitatorToken}` },
    });
    // The report escapes Markdown's punctuation.
    expect(await report.text()).toMatch(/Ana \\?\(Commerce\\?\)/);

    for (const c of [fac, ana, bo]) c.close();
    await srv.stop();
    const again = await startServer({ dataDir: srv.dataDir });
    try {
      const back = await new Client(again.url).connected();
      back.adopt((await back.ok<ResumeResult>('game:resume', { token: game.facilitatorToken })).snapshot);
      expect(back.view?.seats.find((s) => s.name === 'Ana')?.title).toBe('Commerce');
      back.close();
    } finally {
      await again.stop();
    }
  });
});
