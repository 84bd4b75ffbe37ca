import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GameUpdate } from '../../shared/protocol/room.ts';
import { type Client, createGame } from './harness.ts';
import { barrier, Fixture, roomOf } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

const views = (c: Client) =>
  c.frames.filter((f) => f.event === 'game:update' && (f.args[0] as GameUpdate).view).length;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Arrivals and departures are gathered for a moment before the room's sockets see them, so a
 * table filling up sends each socket a few views rather than two per arrival (the seat, then its
 * connection). Any other change goes out at once and carries what was gathered.
 */
describe('seat arrivals and departures', () => {
  it('reach the others gathered: ten arrivals cost the facilitator far fewer than ten views', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url);
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    const members: Client[] = [];
    const before = views(fac);
    for (let i = 1; i <= 10; i++) members.push(await fx.join(srv.url, game.code, `US ${i}`, 'us'));
    const seated = await fac.until(
      (v) => v.seats.filter((s) => s.role === 'us' && s.connected).length === 10,
      'ten connected US seats',
    );
    expect(seated.seats.map((s) => s.name)).toContain('US 10');
    // Without gathering: a view for each seat taken and another for each connection, 20 in all.
    expect(views(fac) - before).toBeLessThan(10);

    // Departures too; the last view shows all of them gone.
    const beforeLeaving = views(fac);
    for (const c of members) c.close();
    await fac.until((v) => v.seats.every((s) => s.role !== 'us' || !s.connected), 'everyone gone');
    expect(views(fac) - beforeLeaving).toBeLessThan(10);
  });

  it('go out with the next other change at once, and not again after it', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url);
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    await fx.join(srv.url, game.code, 'Ana', 'us');
    // A seat arrives and the facilitator starts the game before the gathered view would go.
    await fx.join(srv.url, game.code, 'Bo', 'china');
    await fac.ok('fac:start');
    const started = await fac.until((v) => v.phase === 'briefing', 'the briefing');
    expect(started.seats.find((s) => s.name === 'Bo')?.connected).toBe(true);
    const after = views(fac);
    await pause(200);
    expect(views(fac)).toBe(after);
  });

  it('a socket that closes while its join is being written leaves its seat disconnected', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url);
    const fac = await fx.resume(srv.url, game.facilitatorToken);
    const leaving = await fx.client(srv.url).connected();
    const sockets = () => srv.server.io.sockets.sockets.size;
    const turn = () => new Promise((r) => setImmediate(r));
    const turnsUntil = async (pred: () => boolean, what: string) => {
      for (let i = 0; i < 20_000 && !pred(); i++) await turn();
      if (!pred()) throw new Error(`timed out waiting for ${what}`);
    };
    // Hold the commit window open (its timer moves only when the test says), so the socket can
    // close while its join is accepted but not yet on disk.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      leaving.socket.emit('game:join', { code: game.code, name: 'Gone', role: 'us' }, () => {});
      await turnsUntil(() => roomOf(srv, game.code).state.seats.some((s) => s.name === 'Gone'), 'the join');
      leaving.close();
      await turnsUntil(() => sockets() === 1, 'the server to see the socket go');
      vi.advanceTimersByTime(10);
    } finally {
      vi.useRealTimers();
    }
    await fac.until((v) => v.seats.some((s) => s.name === 'Gone'), 'the new seat');
    // Longer than arrivals are gathered for: a socket bound after its disconnect would show by now.
    await pause(400);
    await barrier(fac);
    expect(fac.view?.seats.find((s) => s.name === 'Gone')?.connected).toBe(false);
  });
});
