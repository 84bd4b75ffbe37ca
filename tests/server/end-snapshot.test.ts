import { afterEach, describe, expect, it } from 'vitest';
import type { SeatSnapshot } from '../../shared/protocol/room.ts';
import { type Client, createGame } from './harness.ts';
import { Fixture } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

const pushedSnapshot = (c: Client) =>
  c.frames.filter((f) => f.event === 'game:snapshot').map((f) => f.args[0] as SeatSnapshot);

/**
 * When a game ends, every socket is pushed a whole snapshot whose common parts (logs, chat,
 * parameters) the server serialises once for all of them. Each must be exactly the snapshot the
 * seat gets by asking for one.
 */
describe('the snapshot pushed when a game ends', () => {
  it('is, for every role, the same snapshot as a resume returns', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url, {
      scenarioId: 'classroom-short',
      bots: { us: 'max-pressure', china: 'deceive' },
    });
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    const observer = await fx.join(srv.url, game.code, 'Olu', 'observer');
    await fac.ok('fac:start');
    await fac.ok('fac:broadcast', { text: 'welcome' });
    for (let i = 0; i < 12; i++) {
      const seq = fac.view?.seq ?? 0;
      await fac.ok('fac:advance');
      await fac.until((v) => v.seq > seq);
    }
    expect(fac.view?.game.log.public.length).toBeGreaterThan(1);
    // A person takes China's seat from its bot, so one seat has a side's own log.
    await fac.ok('fac:setBot', { side: 'china', bot: null });
    const china = await fx.join(srv.url, game.code, 'Mei', 'china');
    await china.ok('chat:send', { channel: 'china', text: 'team only until the end' });
    await fac.ok('fac:end');
    for (const c of [fac, observer, china]) await c.until((v) => v.phase === 'ended', 'the end');

    for (const c of [fac, observer, china]) {
      const pushed = pushedSnapshot(c);
      expect(pushed).toHaveLength(1);
      const asked = await c.ok<{ snapshot: SeatSnapshot }>('game:resume', { token: c.token });
      expect(pushed[0]).toEqual(asked.snapshot);
    }
    const [chinaEnd] = pushedSnapshot(china);
    expect(chinaEnd?.log.own?.length).toBe(chinaEnd?.log.public.length);
    expect(chinaEnd?.view.you).toMatchObject({ name: 'Mei', role: 'china' });
    // After the end everyone reads every channel, the other team's too.
    expect(pushedSnapshot(observer)[0]?.chat.map((m) => m.text)).toContain('team only until the end');
  });
});
