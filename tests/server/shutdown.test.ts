import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import {
  Client,
  createGame,
  facilitator,
  joined,
  ManualClock,
  removeDir,
  startServer,
  type TestServer,
} from './harness.ts';

let srv: TestServer | null = null;
afterEach(() => {
  if (srv) removeDir(srv.dataDir);
  srv = null;
});

/**
 * A clean stop (SIGTERM) writes what was accepted and takes nothing new: a deadline that falls
 * due while the queues drain is left for the next start, which moves the clocks on, instead of
 * being applied and then refused when the store closes under it.
 */
describe('shutting the server down', () => {
  it('stops every clock before it drains the queues, and logs no failed write', async () => {
    const logs: string[] = [];
    const clock = new ManualClock();
    srv = await startServer({ clock, log: (msg) => logs.push(msg) });
    const game = await createGame(srv.url, { deadlines: { briefing: 60 } });
    const fac = await facilitator(srv.url, game.facilitatorToken);
    await fac.ok('fac:start');
    const roomId = (await srv.store.roomIdByCode(game.code)) as string;
    const before = (await srv.store.commands(roomId)).length;

    const closing = srv.server.close();
    // The briefing's deadline falls due while the server is closing.
    clock.advance(61_000);
    await closing;
    await srv.store.close();
    fac.close();

    expect(logs.filter((m) => /failed/.test(m))).toEqual([]);
    const store = openSqliteStore(srv.dataDir);
    try {
      const commands = await store.commands(roomId);
      expect(commands).toHaveLength(before);
      expect(commands.some((c) => c.type === 'clock.deadline')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('refuses commands and new games as restarting once it has said so, and tells late sockets first', async () => {
    srv = await startServer();
    const game = await createGame(srv.url);
    const fac = await facilitator(srv.url, game.facilitatorToken);
    const us = await joined(srv.url, game.code, 'Ana', 'us');
    const roomId = (await srv.store.roomIdByCode(game.code)) as string;
    const before = (await srv.store.commands(roomId)).length;

    // What a SIGTERM does first (server/index.ts, then server.close()).
    srv.server.hub.notifyAll('The server is restarting.');
    srv.server.registry.dispose();

    const chat = await us.call('chat:send', { channel: 'public', text: 'still there?' });
    expect(chat).toMatchObject({
      ok: false,
      code: 'restarting',
      message: expect.stringMatching(/restarting/),
    });
    expect(await fac.call('fac:start', {})).toMatchObject({ ok: false, code: 'restarting' });
    // The notice reached the socket before the refusal did.
    const events = us.frames.map((f) => f.event);
    expect(events).toContain('server:restarting');

    const late = await new Client(srv.url).connected();
    const refused = await late.call('game:join', { code: game.code, name: 'Bo', role: 'china' });
    expect(refused).toMatchObject({ ok: false, code: 'restarting' });
    expect(late.frames[0]?.event).toBe('server:restarting');

    const res = await fetch(`${srv.url}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenarioId: 'classroom-short' }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, code: 'restarting' });

    expect(await srv.store.commands(roomId)).toHaveLength(before);
    for (const c of [fac, us, late]) c.close();
    await srv.stop();
  });
});
