import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoomCommand } from '../../server/room/commands.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { SqliteWriter } from '../../server/store/sqlite-writer.ts';
import { createCommand } from './harness.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hotline-writer-'));
  dirs.push(d);
  return d;
}

describe('the SQLite writer thread', () => {
  it('writes batches in order, refuses a batch that breaks a constraint without writing any of it', async () => {
    const dir = freshDir();
    const store = openSqliteStore(dir);
    try {
      await store.appendBatch([{ roomId: 'r1', seq: 1, command: createCommand('r1', 'AAAAAA') }]);
      const fac: RoomCommand = { type: 'fac.start', at: 2 };
      await store.appendBatch([{ roomId: 'r1', seq: 2, command: fac }]);
      // The second entry repeats seq 2: the whole batch is refused, its first entry included.
      await expect(
        store.appendBatch([
          { roomId: 'r1', seq: 3, command: { type: 'fac.pause', at: 3 } },
          { roomId: 'r1', seq: 2, command: fac },
        ]),
      ).rejects.toThrow(/UNIQUE|PRIMARY KEY/);
      expect((await store.commands('r1')).map((c) => c.type)).toEqual(['create', 'fac.start']);
      expect(await store.roomIdByCode('AAAAAA')).toBe('r1');
      expect(await store.seatByTokenHash('h-r1')).toEqual({ roomId: 'r1', code: 'AAAAAA', seatId: null });
    } finally {
      await store.close();
    }
  });

  it('commits in WAL mode with synchronous=FULL, on the connection that writes', async () => {
    const dir = freshDir();
    const store = openSqliteStore(dir);
    await store.close();
    const writer = new SqliteWriter(join(dir, 'hotline.sqlite'));
    try {
      // FULL is 2 in SQLite's numbering; NORMAL (1) could lose the last commits in a power cut.
      expect(await writer.settings()).toEqual({ journalMode: 'wal', synchronous: 2 });
    } finally {
      await writer.close();
    }
  });

  it('starts a new thread when its thread dies: unconfirmed writes are refused, later ones land', async () => {
    const dir = freshDir();
    const store = openSqliteStore(dir);
    await store.close();
    const logged: string[] = [];
    const writer = new SqliteWriter(join(dir, 'hotline.sqlite'), (msg) => logged.push(msg));
    const row = (id: string, code: string) => ({
      roomId: id,
      seq: 1,
      at: 1,
      body: JSON.stringify(createCommand(id, code)),
      room: { code, tokenHash: `h-${id}` },
      seat: null,
    });
    try {
      await writer.run({ kind: 'commands', rows: [row('r1', 'AAAAAA')] });
      // Let the first thread have lived a while, as a thread that dies in service would have.
      await new Promise((r) => setTimeout(r, 1100));
      const thread = (writer as unknown as { worker: Worker }).worker;
      // Sent to a thread already told to stop: it is never confirmed.
      const stopping = thread.terminate();
      const lost = writer.run({ kind: 'commands', rows: [row('r2', 'BBBBBB')] });
      await stopping;
      await expect(lost).rejects.toThrow('stopped');
      expect(logged).toEqual(['storage writer thread restarted']);
      await writer.run({ kind: 'commands', rows: [row('r3', 'CCCCCC')] });
    } finally {
      await writer.close();
    }
    const reopened = openSqliteStore(dir);
    try {
      expect(await reopened.roomIdByCode('AAAAAA')).toBe('r1');
      expect(await reopened.roomIdByCode('BBBBBB')).toBe(null);
      expect(await reopened.roomIdByCode('CCCCCC')).toBe('r3');
    } finally {
      await reopened.close();
    }
  });
});
