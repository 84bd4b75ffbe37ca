import { describe, expect, it } from 'vitest';
import { createServer } from '../../server/app.ts';
import { Room } from '../../server/room/room.ts';
import { CommitQueue } from '../../server/store/commit-queue.ts';
import { SnapshotQueue } from '../../server/store/snapshot-queue.ts';
import type { BatchEntry, GameStore } from '../../server/store/types.ts';
import { CommandError } from '../../shared/protocol/errors.ts';
import { createCommand, ManualClock } from './harness.ts';

/** A store in memory that can be told to fail, to see what the room does when the disk does. */
function memoryStore() {
  const written: BatchEntry[] = [];
  const batches: number[] = [];
  const store: GameStore & { failNext: boolean } = {
    failNext: false,
    appendBatch: async (entries) => {
      if (store.failNext) {
        store.failNext = false;
        throw new Error('disk full');
      }
      batches.push(entries.length);
      written.push(...entries);
    },
    saveSnapshot: async () => {},
    loadAll: async () => [],
    load: async () => null,
    roomIdByCode: async () => null,
    seatByTokenHash: async () => null,
    getMeta: async () => null,
    setMeta: async () => {},
    commands: async () => written.map((w) => w.command),
    close: async () => {},
  };
  return { store, written, batches };
}

const create = createCommand();

/** What a room needs, around the given store. */
function roomDeps(store: GameStore, onChange: (r: Room) => void = () => {}) {
  return {
    store,
    commits: new CommitQueue(store),
    snapshots: new SnapshotQueue(store),
    clock: new ManualClock(),
    log: () => {},
    onChange,
  };
}

async function room() {
  const m = memoryStore();
  const changes: number[] = [];
  const r = await Room.create(
    create,
    roomDeps(m.store, (x) => changes.push(x.state.seq)),
  );
  return { r, ...m, changes };
}

const seat = (id: string) => ({ id, tokenHash: `t-${id}`, name: id, role: 'us' as const, joinedAt: 0 });

describe('group commit', () => {
  it('writes the commands of one turn in one transaction and shows the room once, after they are on disk', async () => {
    const { r, batches, changes, written } = await room();
    const p = [
      r.run({ type: 'join', seat: seat('a') }),
      r.run({ type: 'join', seat: seat('b') }),
      r.run({ type: 'fac.start' }),
    ];
    // Applied at once (a later command builds on an earlier one), but nobody is shown them yet.
    expect(r.state.seats).toHaveLength(2);
    expect(changes).toEqual([]);
    const states = await Promise.all(p);
    expect(states.map((s) => s.seq)).toEqual([2, 3, 4]);
    // The create command went first, on its own, before the room existed for anyone.
    expect(batches).toEqual([1, 3]);
    expect(written.map((w) => w.seq)).toEqual([1, 2, 3, 4]);
    expect(changes).toEqual([4]);
  });

  it('when the write fails, refuses every command of that turn and undoes them', async () => {
    const { r, store, changes } = await room();
    await r.run({ type: 'join', seat: seat('a') });
    store.failNext = true;
    const results = await Promise.allSettled([
      r.run({ type: 'join', seat: seat('b') }),
      r.run({ type: 'fac.start' }),
    ]);
    for (const res of results) {
      expect(res.status).toBe('rejected');
      if (res.status === 'rejected') {
        expect(res.reason).toBeInstanceOf(CommandError);
        expect((res.reason as CommandError).code).toBe('internal');
      }
    }
    expect(r.state.seats.map((s) => s.id)).toEqual(['a']);
    expect(r.state.phase).toBe('lobby');
    expect(r.state.seq).toBe(2);
    expect(changes).toEqual([2]);
    // The room goes on from the last state on disk.
    expect((await r.run({ type: 'fac.start' })).phase).toBe('briefing');
  });
});

describe('one batch in the store at a time', () => {
  /** A store whose writes finish only when the test says so. */
  function slowStore() {
    const m = memoryStore();
    const pending: { entries: readonly BatchEntry[]; done: (err?: Error) => void }[] = [];
    m.store.appendBatch = (entries) =>
      new Promise<void>((resolve, reject) => {
        pending.push({
          entries,
          done: (err) => {
            if (err) return reject(err);
            m.batches.push(entries.length);
            m.written.push(...entries);
            resolve();
          },
        });
      });
    return { ...m, pending };
  }

  it('gathers what arrives while a batch is being written into the next batch', async () => {
    const m = slowStore();
    const d = roomDeps(m.store);
    const made = Room.create(create, d);
    await new Promise((r) => setTimeout(r, 10));
    m.pending.shift()?.done();
    const r = await made;
    const first = r.run({ type: 'join', seat: seat('a') });
    await new Promise((res) => setTimeout(res, 10));
    // The join is in the store's hands; three more commands arrive meanwhile.
    const later = [
      r.run({ type: 'join', seat: seat('b') }),
      r.run({ type: 'join', seat: seat('c') }),
      r.run({ type: 'fac.start' }),
    ];
    await new Promise((res) => setTimeout(res, 10));
    expect(m.pending).toHaveLength(1);
    m.pending.shift()?.done();
    await first;
    await new Promise((res) => setTimeout(res, 0));
    expect(m.pending.map((p) => p.entries.length)).toEqual([3]);
    m.pending.shift()?.done();
    await Promise.all(later);
    expect(m.batches).toEqual([1, 1, 3]);
    expect(m.written.map((w) => w.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses the commands queued behind a batch that fails, so the log on disk has no hole', async () => {
    const m = slowStore();
    const d = roomDeps(m.store);
    const made = Room.create(create, d);
    await new Promise((res) => setTimeout(res, 10));
    m.pending.shift()?.done();
    const r = await made;
    const a = r.run({ type: 'join', seat: seat('a') });
    await new Promise((res) => setTimeout(res, 10));
    // Built on the join, which is not yet on disk.
    const b = r.run({ type: 'fac.start' });
    m.pending.shift()?.done(new Error('disk full'));
    const results = await Promise.allSettled([a, b]);
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(m.pending).toEqual([]);
    expect(m.written.map((w) => w.seq)).toEqual([1]);
    expect(r.state.seq).toBe(1);
    expect(r.state.phase).toBe('lobby');
    // The room goes on from what is on disk.
    const again = r.run({ type: 'join', seat: seat('a') });
    await new Promise((res) => setTimeout(res, 10));
    m.pending.shift()?.done();
    expect((await again).seq).toBe(2);
    expect(m.written.map((w) => w.seq)).toEqual([1, 2]);
  });
});

describe('background snapshots', () => {
  it('writes the latest committed state of each room, one room at a time, and everything on drain', async () => {
    const saved: { roomId: string; seq: number; phase: string }[] = [];
    const finished: string[] = [];
    const { store } = memoryStore();
    store.saveSnapshot = async (roomId, state, finishedAt) => {
      saved.push({ roomId, seq: state.seq, phase: state.phase });
      if (finishedAt !== null) finished.push(roomId);
    };
    const q = new SnapshotQueue(store);
    let a = { seq: 100, phase: 'orders' };
    q.request('a', () => a as never);
    q.request('b', () => ({ seq: 200, phase: 'ended' }) as never);
    // Asked again before it was written: one write, of the state as it is when written.
    q.request('a', () => a as never);
    a = { seq: 101, phase: 'summary' };
    expect(saved).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(saved.length).toBeGreaterThanOrEqual(1);
    await q.drain();
    expect(saved).toEqual([
      { roomId: 'a', seq: 101, phase: 'summary' },
      { roomId: 'b', seq: 200, phase: 'ended' },
    ]);
    expect(finished).toEqual(['b']);
  });

  it('logs a snapshot the store could not write and goes on (the command log still holds the game)', async () => {
    const { store } = memoryStore();
    const logged: string[] = [];
    let tries = 0;
    store.saveSnapshot = async (roomId) => {
      tries++;
      if (roomId === 'a') throw new Error('disk full');
    };
    const q = new SnapshotQueue(store, (msg, extra) => logged.push(`${msg} ${extra?.room}`));
    q.request('a', () => ({ seq: 100, phase: 'orders' }) as never);
    q.request('b', () => ({ seq: 100, phase: 'orders' }) as never);
    await new Promise((r) => setTimeout(r, 40));
    await q.drain();
    expect(tries).toBe(2);
    expect(logged).toEqual(['snapshot not written a']);
  });
});

describe('creating a room', () => {
  it('refuses the room when its create command cannot be written, and no room exists', async () => {
    const m = memoryStore();
    m.store.failNext = true;
    const deps = roomDeps(m.store);
    await expect(Room.create(create, deps)).rejects.toThrow('disk full');
    expect(m.written).toEqual([]);
    expect((await Room.create(create, deps)).state.code).toBe('ABCDEF');
    expect(m.written.map((w) => w.command.type)).toEqual(['create']);
  });

  it('answers POST /api/games with 500 internal when the disk refuses, and creates the next one', async () => {
    const m = memoryStore();
    const server = createServer({ store: m.store, clock: new ManualClock(), log: () => {} });
    await server.ready;
    await new Promise<void>((r) => server.http.listen(0, '127.0.0.1', r));
    const addr = server.http.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/games`;
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenarioId: 'classroom-short' }),
      });
    try {
      m.store.failNext = true;
      const refused = await post();
      expect(refused.status).toBe(500);
      expect(await refused.json()).toMatchObject({ ok: false, code: 'internal' });
      expect(server.registry.rooms.size).toBe(0);
      const made = await post();
      expect(made.status).toBe(201);
      expect(server.registry.rooms.size).toBe(1);
    } finally {
      await server.close();
      server.http.close();
    }
  });

  it('after shutdown begins, refuses a command as the server restarting, and a released room as not loaded', async () => {
    const stopping = await room();
    stopping.r.dispose('shutdown');
    await expect(stopping.r.run({ type: 'join', seat: seat('a') })).rejects.toMatchObject({
      code: 'restarting',
      message: expect.stringMatching(/restarting/),
    });
    const released = await room();
    released.r.dispose();
    await expect(released.r.run({ type: 'join', seat: seat('a') })).rejects.toMatchObject({
      code: 'not-found',
    });
    // Neither refusal reached the store.
    expect(stopping.written.map((w) => w.command.type)).toEqual(['create']);
  });
});
