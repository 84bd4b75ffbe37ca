import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomCommand } from '../../server/room/commands.ts';
import { applyCommand, createRoom } from '../../server/room/reduce.ts';
import {
  type Client,
  createGame,
  facilitator,
  joined,
  removeDir,
  startServer,
  type TestServer,
} from './harness.ts';

const clients: Client[] = [];
let srv: TestServer | null = null;
afterEach(async () => {
  vi.useRealTimers();
  for (const c of clients.splice(0)) c.close();
  if (srv) {
    await srv.stop();
    removeDir(srv.dataDir);
    srv = null;
  }
});

interface Export {
  commands: RoomCommand[];
  final: { seq: number; chat: { text: string }[] };
}

/**
 * A command is applied at once (the next one builds on it) but written with the others of its
 * commit window. Until it is on disk a crash or a failed write can take it back, so nothing may
 * show it: found by the crash fault suite, whose exports held state their logs did not.
 */
describe('a command still in its commit window', () => {
  it('is in no snapshot, export or public info until it is on disk', async () => {
    srv = await startServer();
    const url = srv.url;
    const game = await createGame(url, { scenarioId: 'classroom-short' });
    const fac = await facilitator(url, game.facilitatorToken);
    const us = await joined(url, game.code, 'Ana', 'us');
    clients.push(fac, us);
    await fac.ok('fac:start');
    const room = await srv.server.registry.get(game.code);
    if (!room || !us.view) throw new Error('no room');
    const before = room.committedState.seq;

    // Hold the commit window open: the write waits on a timer that only the test moves.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const written = room.run({
      type: 'chat',
      seatId: us.view.you.seatId,
      channel: 'public',
      text: 'not on disk',
    });
    expect(room.state.chat.map((m) => m.text)).toContain('not on disk');
    expect(room.committedState.seq).toBe(before);

    const facSeat = { room, seatId: 'facilitator', role: 'facilitator' as const, name: 'Facilitator' };
    const snap = srv.server.hub.snapshotFor(room, facSeat);
    expect(snap.view.seq).toBe(before);
    expect(snap.chat.map((m) => m.text)).not.toContain('not on disk');

    const res = await fetch(`${url}/api/games/${game.code}/export?format=json`, {
      headers: { authorization: `Bearer ${game.facilitatorToken}` },
    });
    const ex = (await res.json()) as Export;
    expect(ex.final.seq).toBe(before);
    expect(ex.commands).toHaveLength(before);
    expect(ex.final.chat.map((m) => m.text)).not.toContain('not on disk');
    // The export replays to its own final state: the log and the state are of the same moment.
    const [create, ...rest] = ex.commands as [Extract<RoomCommand, { type: 'create' }>, ...RoomCommand[]];
    let s = createRoom({ ...create, facilitatorTokenHash: '' });
    for (const c of rest)
      s = applyCommand(s, c.type === 'join' ? { ...c, seat: { ...c.seat, tokenHash: '' } } : c);
    expect(s.seq).toBe(ex.final.seq);

    vi.advanceTimersByTime(10);
    vi.useRealTimers();
    await written;
    expect(room.committedState.seq).toBe(before + 1);
    expect(srv.server.hub.snapshotFor(room, facSeat).chat.map((m) => m.text)).toContain('not on disk');
  });
});
