import { accessSync, constants, mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RoomCommand } from '../room/commands.ts';
import type { RoomState } from '../room/state.ts';
import { CONNECTION_PRAGMAS, type CommandRow, SqliteWriter } from './sqlite-writer.ts';
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
CREATE TABLE IF NOT EXISTS seat_tokens (
  token_hash TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  seat_id TEXT
) WITHOUT ROWID;
`;

/**
 * Fills seat_tokens from the command log of a database written before the table existed: the
 * facilitator's token hash is in each room's create command, every seat's in its join command.
 */
const BACKFILL_TOKENS = `
INSERT OR IGNORE INTO seat_tokens (token_hash, room_id, seat_id)
  SELECT json_extract(body, '$.facilitatorTokenHash'), room_id, NULL FROM commands
  WHERE json_extract(body, '$.type') = 'create';
INSERT OR IGNORE INTO seat_tokens (token_hash, room_id, seat_id)
  SELECT json_extract(body, '$.seat.tokenHash'), room_id, json_extract(body, '$.seat.id') FROM commands
  WHERE json_extract(body, '$.type') = 'join';
`;

/** Thrown when the data directory cannot hold a database: the server must not start half-working. */
export class StorageUnavailable extends Error {}

/**
 * Free space the server wants at start (about a thousand commands). With less, SQLite may still
 * open the database and even write into room left in its files, and fail a little later.
 */
export const MIN_FREE_BYTES = 8 * 1024 * 1024;

function freeBytes(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/** SQLite's own words ("unable to open database file", "disk I/O error") rarely say why. */
function diagnose(dataDir: string): string {
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return ' (the file system holding it is read-only)';
    if (code === 'EACCES' || code === 'EPERM') return ' (it is read-only for this user)';
  }
  const free = freeBytes(dataDir);
  return free !== null && free < MIN_FREE_BYTES ? ' (the disk holding it is full)' : '';
}

function commandRow({ roomId, seq, command }: BatchEntry): CommandRow {
  return {
    roomId,
    seq,
    at: command.at,
    body: JSON.stringify(command),
    room: command.type === 'create' ? { code: command.code, tokenHash: command.facilitatorTokenHash } : null,
    seat: command.type === 'join' ? { id: command.seat.id, tokenHash: command.seat.tokenHash } : null,
  };
}

/**
 * SQLite in WAL mode with synchronous=FULL: a command is on disk, surviving even an operating
 * system crash, when the promise of `appendBatch` resolves.
 */
export function openSqliteStore(
  dataDir: string,
  log: (msg: string, extra?: Record<string, unknown>) => void = () => {},
): GameStore {
  let db: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    const free = freeBytes(dataDir);
    if (free !== null && free < MIN_FREE_BYTES)
      throw new StorageUnavailable(
        `cannot use the data directory "${dataDir}": the disk holding it is full (${Math.floor(free / 1024)} KB free, ${MIN_FREE_BYTES / 1024 / 1024} MB needed)`,
      );
    db = new Database(join(dataDir, 'hotline.sqlite'));
    for (const p of CONNECTION_PRAGMAS) db.pragma(p);
    db.exec(SCHEMA);
    // Prove the directory takes writes now, rather than failing on the first player's command,
    // with a write that reaches the disk: after a crash on a full disk the database still opens
    // and reads, and only a real write finds that there is no room.
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('started_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(String(Date.now()));
  } catch (e) {
    if (e instanceof StorageUnavailable) throw e;
    throw new StorageUnavailable(
      `cannot use the data directory "${dataDir}": ${(e as Error).message}${diagnose(dataDir)}`,
    );
  }
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

  const roomByCode = db.prepare('SELECT id FROM rooms WHERE code = ?');
  const seatByToken = db.prepare(
    'SELECT t.room_id AS roomId, r.code AS code, t.seat_id AS seatId FROM seat_tokens t JOIN rooms r ON r.id = t.room_id WHERE t.token_hash = ?',
  );
  if (!db.prepare('SELECT 1 FROM seat_tokens LIMIT 1').get()) db.exec(`BEGIN; ${BACKFILL_TOKENS} COMMIT;`);

  // Reads stay on this connection; every write of a game goes through the writer thread.
  const writer = new SqliteWriter(join(dataDir, 'hotline.sqlite'), log);

  const roomById = db.prepare('SELECT id, code FROM rooms WHERE id = ?');
  const stored = ({ id, code }: { id: string; code: string }): StoredRoom => {
    const snap = snapshotOf.get(id) as { seq: number; body: string } | undefined;
    const rows = commandsAfter.all(id, snap?.seq ?? 0) as { seq: number; body: string }[];
    return {
      id,
      code,
      snapshot: snap ? { seq: snap.seq, state: JSON.parse(snap.body) as RoomState } : null,
      commands: rows.map((r) => ({ seq: r.seq, command: JSON.parse(r.body) as RoomCommand })),
    };
  };

  return {
    appendBatch: (entries) => writer.run({ kind: 'commands', rows: entries.map(commandRow) }),
    saveSnapshot: (roomId, state, finishedAt) =>
      writer.run({ kind: 'snapshot', roomId, seq: state.seq, body: JSON.stringify(state), finishedAt }),
    // Reads answer at once, but through promises: the interface is the one a database server's
    // store would implement (see GameStore).
    loadAll: async (): Promise<StoredRoom[]> =>
      (allRooms.all() as { id: string; code: string }[]).map(stored),
    load: async (roomId) => {
      const row = roomById.get(roomId) as { id: string; code: string } | undefined;
      return row ? stored(row) : null;
    },
    roomIdByCode: async (code) => (roomByCode.get(code) as { id: string } | undefined)?.id ?? null,
    seatByTokenHash: async (hash) =>
      (seatByToken.get(hash) as { roomId: string; code: string; seatId: string | null } | undefined) ?? null,
    getMeta: async (key) => (metaGet.get(key) as { value: string } | undefined)?.value ?? null,
    setMeta: async (key, value) => {
      if (value === null) metaDelete.run(key);
      else metaSet.run(key, value);
    },
    commands: async (roomId) =>
      (commandsAfter.all(roomId, 0) as { body: string }[]).map((r) => JSON.parse(r.body) as RoomCommand),
    close: async () => {
      await writer.close();
      db.close();
    },
  };
}
