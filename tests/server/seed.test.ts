import { afterEach, describe, expect, it } from 'vitest';
import type { ResumeResult } from '../../shared/protocol/events.ts';
import { createGame } from './harness.ts';
import { Fixture, joinRecorded, recordRaw, roomOf } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

/**
 * A facilitator may choose a game's seed (a class's tables share one, a think tank reruns an
 * exercise with the same dice). No view carries it, the facilitator's included (a console may be
 * projected, and a player who knew the seed could replay the open rules and foresee the dice);
 * the facilitator's report and export do.
 */
describe('a chosen seed', () => {
  it('games with one seed start with the same dice; only the facilitator’s report shows it', async () => {
    const srv = await fx.server();
    const a = await createGame(srv.url, { scenarioId: 'classroom-short', seed: 'class-7.B_2' });
    const b = await createGame(srv.url, { scenarioId: 'classroom-short', seed: 'class-7.B_2' });
    const fresh = await createGame(srv.url, { scenarioId: 'classroom-short' });
    const rngOf = (code: string) => roomOf(srv, code).state.game.rng;
    expect(rngOf(a.code)).toBe(rngOf(b.code));
    expect(rngOf(fresh.code)).not.toBe(rngOf(a.code));

    const fac = fx.client(srv.url);
    const facFrames = recordRaw(fac);
    await fac.connected();
    fac.adopt((await fac.ok<ResumeResult>('game:resume', { token: a.facilitatorToken })).snapshot);
    const { client: us, raw: usFrames } = await joinRecorded(fx, srv.url, a.code, 'Ana', 'us');
    await fac.ok('fac:start', {});
    await us.until((v) => v.phase === 'briefing', 'the briefing');
    await fac.until((v) => v.phase === 'briefing', 'the briefing');
    expect(usFrames.length).toBeGreaterThan(1);
    expect(facFrames.length).toBeGreaterThan(1);
    for (const frames of [usFrames, facFrames]) expect(frames.join('\n')).not.toContain('class-7');

    const report = await fetch(`${srv.url}/api/games/${a.code}/export?format=md`, {
      headers: { Authorization: `Bearer ${a.facilitatorToken}` },
    });
    expect(await report.text()).toContain('Seed: `class-7.B_2`');
  });

  it('a seed that is not short plain text is refused, naming the field', async () => {
    const srv = await fx.server();
    for (const seed of ['', 'two words', 'x'.repeat(65), 'naïve', 42]) {
      const res = await fetch(`${srv.url}/api/games`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seed }),
      });
      expect(res.status, JSON.stringify(seed)).toBe(400);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('bad-payload');
      expect(body.message).toMatch(/^seed: /);
    }
  });
});
