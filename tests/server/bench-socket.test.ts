import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchSocket } from '../../server/cli/bench-socket.ts';
import type { GameUpdate, SeatSnapshot } from '../../shared/protocol/room.ts';
import { createGame, removeDir, startServer, type TestServer } from './harness.ts';

/** The benchmark's own socket.io client against the real server: the same protocol as socket.io-client. */
describe('BenchSocket', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer();
  });
  afterAll(async () => {
    await t.stop();
    removeDir(t.dataDir);
  });

  it('joins a game, gets its acknowledgements and the updates pushed to its seat', async () => {
    const game = await createGame(t.url);
    const fac = await BenchSocket.connect(t.url);
    const us = await BenchSocket.connect(t.url);
    const updates: GameUpdate[] = [];
    us.on<GameUpdate>('game:update', (u) => updates.push(u));
    const resumed = await fac.request<{ snapshot: SeatSnapshot }>('game:resume', {
      token: game.facilitatorToken,
    });
    expect(resumed.ok).toBe(true);
    expect(resumed.data.snapshot.view.you.role).toBe('facilitator');
    const joined = await us.request<{ token: string; snapshot: SeatSnapshot }>('game:join', {
      code: game.code,
      name: 'Ada',
      role: 'us',
    });
    expect(joined.ok).toBe(true);
    expect(joined.data.token.length).toBeGreaterThanOrEqual(21);
    const started = await fac.request<{ seq: number }>('fac:start', {});
    expect(started.ok).toBe(true);
    await expect.poll(() => updates.some((u) => u.view?.phase === 'briefing')).toBe(true);
    // Acknowledgements are matched by id, so two commands in flight each get their own answer.
    const [a, b] = await Promise.all([
      us.request('chat:send', { channel: 'public', text: 'one' }),
      us.request('no:such-command', {}),
    ]);
    expect(a.ok).toBe(true);
    expect(b).toMatchObject({ ok: false, code: 'bad-payload' });
    fac.disconnect();
    us.disconnect();
    await expect(us.request('fac:start', {})).rejects.toThrow(/closed/);
  });

  it('rejects the connection when nothing listens there', async () => {
    await expect(BenchSocket.connect('http://127.0.0.1:9')).rejects.toThrow();
  });
});
