import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RoomCommand } from '../room/commands.ts';
import type { RoomState } from '../room/state.ts';
import type { BatchEntry, GameStore, StoredRoom } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE TABLE IF NOT EXISTS commands (
  room_id TEXT NOT NULL REFERENCES rooms(id),
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
  room_id TEXT PRIMARY KEY REFERENCES rooms(id),
  seq INTEGER NOT NULL,
  body TEXT NOT NULL
);
`;

/** Thrown when the data directory cannot hold a database: the server must not start half-working. */
export class StorageUnavailable extends Error {}

/**
 * SQLite in WAL mode with synchronous=FULL: a command is on disk, surviving even an operating
 * system crash, when `append` returns.
 */
export function openSqliteStore(dataDir: string): GameStore {
  let db: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, 'hotline.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    // Prove the directory takes writes now, rather than failing on the first player's command.
    db.exec('BEGIN IMMEDIATE; CREATE TEMP TABLE IF NOT EXISTS write_probe(x); ROLLBACK;');
    db.prepare('UPDATE rooms SET finished_at = finished_at WHERE 0').run();
  } catch (e) {
    throw new StorageUnavailable(`cannot use the data directory "${dataDir}": ${(e as Error).message}`);
  }
  const insertRoom = db.prepare('INSERT INTO rooms (id, code, created_at) VALUES (?, ?, ?)');
  const insertCommand = db.prepare('INSERT INTO commands (room_id, seq, at, body) VALUES (?, ?, ?, ?)');
  const upsertSnapshot = db.prepare(
    'INSERT INTO snapshots (room_id, seq, body) VALUES (?, ?, ?) ON CONFLICT(room_id) DO UPDATE SET seq = excluded.seq, body = excluded.body',
  );
  const finish = db.prepare('UPDATE rooms SET finished_at = ? WHERE id = ?');
  const metaGet = db.prepare('SELECT value FROM meta WHERE key = ?');
  const metaSet = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const metaDelete = db.prepare('DELETE FROM meta WHERE key = ?');
  const allRooms = db.prepare('SELECT id, code FROM rooms ORDER BY created_at');
  const snapshotOf = db.prepare('SELECT seq, body FROM snapshots WHERE room_id = ?');
  const commandsAfter = db.prepare(
    'SELECT seq, body FROM commands WHERE room_id = ? AND seq > ? ORDER BY seq',
  );

  const appendTx = db.transaction((roomId: string, seq: number, command: RoomCommand) => {
    if (command.type === 'create') insertRoom.run(roomId, command.code, command.at);
    insertCommand.run(roomId, seq, command.at, JSON.stringify(command));
  });

  const batchTx = db.transaction((entries: readonly BatchEntry[]) => {
    for (const e of entries) appendTx(e.roomId, e.seq, e.command);
  });

  return {
    append: (roomId, seq, command) => appendTx(roomId, seq, command),
    appendBatch: (entries) => batchTx(entries),
    saveSnapshot: (roomId, seq, state: RoomState) => {
      upsertSnapshot.run(roomId, seq, JSON.stringify(state));
    },
    markFinished: (roomId, at) => {
      finish.run(at, roomId);
    },
    loadAll: (): StoredRoom[] =>
      (allRooms.all() as { id: string; code: string }[]).map(({ id, code }) => {
        const snap = snapshotOf.get(id) as { seq: number; body: string } | undefined;
        const rows = commandsAfter.all(id, snap?.seq ?? 0) as { seq: number; body: string }[];
        return {
          id,
          code,
          snapshot: snap ? { seq: snap.seq, state: JSON.parse(snap.body) as RoomState } : null,
          commands: rows.map((r) => ({ seq: r.seq, command: JSON.parse(r.body) as RoomCommand })),
        };
      }),
    getMeta: (key) => (metaGet.get(key) as { value: string } | undefined)?.value ?? null,
    setMeta: (key, value) => {
      if (value === null) metaDelete.run(key);
      else metaSet.run(key, value);
    },
    commands: (roomId) =>
      (commandsAfter.all(roomId, 0) as { body: string }[]).map((r) => JSON.parse(r.body) as RoomCommand),
    close: () => db.close(),
  };
}
