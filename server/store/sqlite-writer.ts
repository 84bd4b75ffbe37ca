import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * How every connection to the database is set up: WAL with synchronous=FULL, so a command is on
 * disk, surviving even an operating-system crash, once its transaction commits. The reading
 * connection and the writer thread's both apply these.
 */
export const CONNECTION_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
] as const;

/** One command as the writer stores it: its row, plus the room or seat token it registers. */
export interface CommandRow {
  roomId: string;
  seq: number;
  at: number;
  body: string;
  /** Set for a room's create command: the room's code, and its facilitator's token hash. */
  room: { code: string; tokenHash: string } | null;
  /** Set for a join command: the seat's token hash. */
  seat: { id: string; tokenHash: string } | null;
}

export type WriteJob =
  | { kind: 'commands'; rows: CommandRow[] }
  | { kind: 'snapshot'; roomId: string; seq: number; body: string; finishedAt: number | null };

/** How the writer thread's own connection is set up: what durability depends on. */
export interface WriterSettings {
  journalMode: string;
  /** SQLite's number for the level: 2 is FULL. */
  synchronous: number;
}

/**
 * The writer thread's whole program. It is sent to the worker as source text, so it must stand
 * alone: it gets `require` as a parameter and touches nothing else of this module.
 */
function writerMain(req: NodeRequire): void {
  const { parentPort, workerData } = req('node:worker_threads');
  const Database = req(workerData.driver);
  const db = new Database(workerData.file);
  for (const p of workerData.pragmas as string[]) db.pragma(p);
  const insertRoom = db.prepare('INSERT INTO rooms (id, code, created_at) VALUES (?, ?, ?)');
  const insertCommand = db.prepare('INSERT INTO commands (room_id, seq, at, body) VALUES (?, ?, ?, ?)');
  const insertToken = db.prepare('INSERT INTO seat_tokens (token_hash, room_id, seat_id) VALUES (?, ?, ?)');
  const upsertSnapshot = db.prepare(
    'INSERT INTO snapshots (room_id, seq, body) VALUES (?, ?, ?) ON CONFLICT(room_id) DO UPDATE SET seq = excluded.seq, body = excluded.body',
  );
  const finish = db.prepare('UPDATE rooms SET finished_at = ? WHERE id = ?');
  const commands = db.transaction((rows: CommandRow[]) => {
    for (const r of rows) {
      if (r.room) insertRoom.run(r.roomId, r.room.code, r.at);
      insertCommand.run(r.roomId, r.seq, r.at, r.body);
      // Finished games are not kept in memory: their seats are found again through this table.
      if (r.room) insertToken.run(r.room.tokenHash, r.roomId, null);
      if (r.seat) insertToken.run(r.seat.tokenHash, r.roomId, r.seat.id);
    }
  });
  const snapshot = db.transaction((j: Extract<WriteJob, { kind: 'snapshot' }>) => {
    upsertSnapshot.run(j.roomId, j.seq, j.body);
    if (j.finishedAt !== null) finish.run(j.finishedAt, j.roomId);
  });
  parentPort.on('message', (m: { id: number; job: WriteJob | 'settings' | null }) => {
    if (m.job === null) {
      db.close();
      parentPort.close();
      return;
    }
    if (m.job === 'settings') {
      const result = {
        journalMode: db.pragma('journal_mode', { simple: true }),
        synchronous: db.pragma('synchronous', { simple: true }),
      };
      parentPort.postMessage({ id: m.id, error: null, result });
      return;
    }
    try {
      if (m.job.kind === 'commands') commands(m.job.rows);
      else snapshot(m.job);
      parentPort.postMessage({ id: m.id, error: null });
    } catch (e) {
      parentPort.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}

/**
 * Writes to SQLite on a worker thread of its own. With synchronous=FULL every transaction waits
 * for the disk (about half a millisecond here); on the main thread that wait stalled every game on
 * the server. Jobs run one after another in the order they were sent, and each promise settles
 * once its transaction is on disk (or has failed and changed nothing).
 */
export class SqliteWriter {
  private worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (result: unknown) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private closing = false;
  private closed: Promise<void> | null = null;
  /** Set when the thread keeps dying at once: writes are refused from then on, with this reason. */
  private failure: Error | null = null;
  private spawnedAt = 0;
  private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3');

  constructor(
    private readonly file: string,
    private readonly log: (msg: string, extra?: Record<string, unknown>) => void = () => {},
  ) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    this.spawnedAt = Date.now();
    const worker = new Worker(`(${writerMain.toString()})(require)`, {
      eval: true,
      workerData: { file: this.file, driver: this.driver, pragmas: CONNECTION_PRAGMAS },
    });
    // The thread keeps the process alive only while a write is pending (see `run`).
    worker.unref();
    worker.on('message', (m: { id: number; error: string | null; result?: unknown }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error === null) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    worker.on('error', (e) => this.lost(worker, e));
    worker.on('exit', (code) =>
      this.lost(worker, new Error(`the storage writer thread stopped (exit code ${code})`)),
    );
    return worker;
  }

  /**
   * The thread stopped without being asked: what it had not confirmed is refused (the rooms go
   * back to what is on disk) and a new thread takes the next writes, so the server keeps going.
   */
  private lost(worker: Worker, e: Error): void {
    if (worker !== this.worker || this.closing) return;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    // A thread that cannot even start (a broken driver, say) is not started again in a loop.
    if (Date.now() - this.spawnedAt < 1000) {
      this.failure = e;
      this.log('storage writer thread failed; commands are refused', { error: e.message });
      return;
    }
    this.log('storage writer thread restarted', { error: e.message });
    this.worker = this.spawn();
  }

  run(job: WriteJob): Promise<void> {
    return this.send(job).then(() => undefined);
  }

  /** The thread's connection settings, read from the connection itself (for tests and checks). */
  settings(): Promise<WriterSettings> {
    return this.send('settings') as Promise<WriterSettings>;
  }

  private send(job: WriteJob | 'settings'): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('the store is closed'));
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, job });
    });
  }

  /**
   * Lets the thread finish what it was sent, then close its connection and stop; resolves once it
   * has, so the database's files are no longer being written when the caller goes on.
   */
  close(): Promise<void> {
    // A thread that died and was not started again has nothing left to close.
    if (this.failure) return Promise.resolve();
    if (!this.closed) {
      this.closing = true;
      const worker = this.worker;
      this.closed = new Promise((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      worker.postMessage({ id: 0, job: null });
    }
    return this.closed;
  }
}
