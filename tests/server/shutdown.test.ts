import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { createGame, facilitator, ManualClock, removeDir, startServer, type TestServer } from './harness.ts';

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
    const roomId = srv.store.roomIdByCode(game.code) as string;
    const before = srv.store.commands(roomId).length;

    const closing = srv.server.close();
    // The briefing's deadline falls due while the server is closing.
    clock.advance(61_000);
    await closing;
    await srv.store.close();
    fac.close();

    expect(logs.filter((m) => /failed/.test(m))).toEqual([]);
    const store = openSqliteStore(srv.dataDir);
    try {
      const commands = store.commands(roomId);
      expect(commands).toHaveLength(before);
      expect(commands.some((c) => c.type === 'clock.deadline')).toBe(false);
    } finally {
      await store.close();
    }
  });
});
