import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResumeResult } from '../../shared/protocol/events.ts';
import { Client, createGame, facilitator, joined, removeDir, startServer } from './harness.ts';
import { eventually, Fixture, table } from './helpers2.ts';

/**
 * Finished games leave memory once nobody has them open (the soak in tests/faults/soak.ts found
 * every game ever played kept in memory) and come back from the store, unchanged, when asked for.
 */
const fx = new Fixture();
afterEach(() => fx.cleanup());

describe('finished games', () => {
  it('leave memory when their last socket closes and come back unchanged on demand', async () => {
    const t = await table(fx);
    const registry = t.srv.server.registry;
    await t.fac.ok('fac:start');
    await t.fac.ok('fac:end');
    const ended = await t.us.until((v) => v.phase === 'ended', 'the end');
    const state = registry.rooms.get(t.code)?.state;
    expect(state?.phase).toBe('ended');

    // While a debrief is open the room stays; once every socket has gone, it is only archived.
    t.us.close();
    t.cn.close();
    expect(registry.rooms.has(t.code)).toBe(true);
    t.fac.close();
    await eventually(() => !registry.rooms.has(t.code), 'the finished room to leave memory');
    expect(registry.rooms.size).toBe(0);

    // Public info, exports and a seat's link bring it back from the store, as it was.
    const info = await fetch(`${t.srv.url}/api/games/${t.code}`);
    expect(await info.json()).toMatchObject({ code: t.code, phase: 'ended' });
    const back = await fx.client(t.srv.url).connected();
    const r = await back.ok<ResumeResult>('game:resume', { token: t.us.token });
    expect(r.snapshot?.view.seq).toBe(ended.seq);
    expect(registry.rooms.get(t.code)?.state).toEqual(state);
    const json = await fetch(`${t.srv.url}/api/games/${t.code}/export?format=json`, {
      headers: { authorization: `Bearer ${t.facToken}` },
    });
    expect(json.status).toBe(200);
    const exported = (await json.json()) as { final: { seq: number; game: unknown } };
    expect(exported.final.seq).toBe(state?.seq);
    expect(exported.final.game).toEqual(JSON.parse(JSON.stringify(state?.game)));

    // The seat can still talk in the debrief, and the room leaves again when it goes.
    expect((await back.call('chat:send', { channel: 'public', text: 'good game' })).ok).toBe(true);
    back.close();
    await eventually(() => !registry.rooms.has(t.code), 'the room to leave memory again');
    expect((await registry.get(t.code))?.state.chat.at(-1)?.text).toBe('good game');
  });

  it('come back as one room when several ask for them at once', async () => {
    const t = await table(fx);
    const registry = t.srv.server.registry;
    await t.fac.ok('fac:start');
    await t.fac.ok('fac:end');
    await t.us.until((v) => v.phase === 'ended', 'the end');
    for (const c of [t.us, t.cn, t.fac]) c.close();
    await eventually(() => !registry.rooms.has(t.code), 'the finished room to leave memory');

    // A code (twice) and two seats' links asked for in the same moment: the store is read once.
    const store = t.srv.store;
    const load = store.load.bind(store);
    let loads = 0;
    store.load = (id) => {
      loads++;
      return load(id);
    };
    const [byCode, again, us, cn] = await Promise.all([
      registry.get(t.code),
      registry.get(t.code.toLowerCase()),
      registry.byToken(t.us.token),
      registry.byToken(t.cn.token),
    ]);
    expect(byCode).toBeDefined();
    expect(loads).toBe(1);
    expect(again).toBe(byCode);
    expect(us?.room).toBe(byCode);
    expect(cn?.room).toBe(byCode);
    expect(registry.rooms.get(t.code)).toBe(byCode);
    expect(us?.role).toBe('us');
  });

  /** Plays a game to its end on a server, stops it, optionally tampers with the database, restarts it. */
  async function restartedAfterAGame(tamper?: (file: string) => void): Promise<void> {
    let srv = await startServer();
    const dataDir = srv.dataDir;
    const clients: Client[] = [];
    try {
      const game = await createGame(srv.url, { scenarioId: 'classroom-short' });
      const fac = await facilitator(srv.url, game.facilitatorToken);
      const cn = await joined(srv.url, game.code, 'Bo', 'china');
      clients.push(fac, cn);
      await fac.ok('fac:start');
      await fac.ok('fac:end');
      const ended = await cn.until((v) => v.phase === 'ended', 'the end');
      for (const c of clients.splice(0)) c.close();
      await srv.stop();
      tamper?.(join(dataDir, 'hotline.sqlite'));

      srv = await startServer({ dataDir });
      expect(srv.server.registry.rooms.size).toBe(0);
      for (const token of [cn.token, game.facilitatorToken]) {
        const c = await new Client(srv.url).connected();
        clients.push(c);
        const r = await c.ok<ResumeResult>('game:resume', { token });
        expect(r.snapshot?.view.phase).toBe('ended');
        expect(r.snapshot?.view.seq).toBe(ended.seq);
      }
      expect((await fetch(`${srv.url}/api/games/${game.code}`)).status).toBe(200);
    } finally {
      for (const c of clients) c.close();
      await srv.stop();
      removeDir(dataDir);
    }
  }

  it('are archived at start-up, and a restarted server still finds them by code and token', async () => {
    await restartedAfterAGame();
  });

  it('are found by token in a database written before the token table existed', async () => {
    await restartedAfterAGame((file) => {
      const db = new Database(file);
      db.exec('DROP TABLE seat_tokens');
      db.close();
    });
  });
});
