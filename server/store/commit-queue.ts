import type { RoomCommand } from '../room/commands.ts';
import type { BatchEntry, GameStore } from './types.ts';

/**
 * Group commit. Every command accepted within a short window (COMMIT_WINDOW_MS) is written in a
 * single transaction (one fsync with synchronous=FULL), and only then are their senders told
 * they were accepted. Durability per command stays the same; the disk is asked to
 * sync once per window instead of once per command, which is what limits a busy server.
 *
 * One batch is in the store's hands at a time. Commands that arrive meanwhile form the next batch,
 * which goes as soon as the first is written: under load batches grow instead of queueing up, and
 * a batch that fails can take down with it every command built on it (see `flush`).
 */
/** How long the first command of a batch may wait for others (adds at most this to an acknowledgement). */
export const COMMIT_WINDOW_MS = 2;

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class CommitQueue {
  private batch: BatchEntry[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly store: GameStore) {}

  write(roomId: string, seq: number, command: RoomCommand): Promise<void> {
    this.batch.push({ roomId, seq, command });
    if (!this.scheduled && !this.inFlight) {
      this.scheduled = true;
      // A short window gathers the commands of several turns under load: one fsync for all.
      setTimeout(() => void this.flush(), COMMIT_WINDOW_MS);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Sends everything queued so far to the store; resolves when all of it is written (or refused). */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.inFlight) return this.inFlight.then(() => this.flush());
    if (this.batch.length === 0) return Promise.resolve();
    const batch = this.batch;
    const waiters = this.waiters;
    this.batch = [];
    this.waiters = [];
    let written: Promise<void>;
    try {
      written = this.store.appendBatch(batch);
    } catch (e) {
      written = Promise.reject(e);
    }
    this.inFlight = written
      .then(
        () => {
          for (const w of waiters) w.resolve();
        },
        (e: unknown) => {
          // Commands queued meanwhile may build on the ones that failed (a room applies each
          // command at once): they are refused too, or the log on disk would have a hole.
          const later = this.waiters;
          this.batch = [];
          this.waiters = [];
          for (const w of [...waiters, ...later]) w.reject(e);
        },
      )
      .finally(() => {
        this.inFlight = null;
        // These have already waited for the batch before them: no further window.
        if (this.batch.length > 0) void this.flush();
      });
    return this.inFlight;
  }
}
