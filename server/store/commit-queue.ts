import type { RoomCommand } from '../room/commands.ts';
import type { BatchEntry, GameStore } from './types.ts';

/**
 * Group commit. Every command accepted within a short window (COMMIT_WINDOW_MS) is written in a
 * single transaction (one fsync with synchronous=FULL), and only then are their senders told
 * they were accepted. Durability per command stays the same; the disk is asked to
 * sync once per window instead of once per command, which is what limits a busy server.
 */
/** How long the first command of a batch may wait for others (adds at most this to an acknowledgement). */
export const COMMIT_WINDOW_MS = 2;

export class CommitQueue {
  private batch: BatchEntry[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  /** The last batch handed to the store: `flush` waits for it, since the store writes in order. */
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(private readonly store: GameStore) {}

  write(roomId: string, seq: number, command: RoomCommand): Promise<void> {
    this.batch.push({ roomId, seq, command });
    if (!this.scheduled) {
      this.scheduled = true;
      // A short window gathers the commands of several turns under load: one fsync for all.
      setTimeout(() => void this.flush(), COMMIT_WINDOW_MS);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Sends everything queued so far to the store; resolves when all of it is written (or refused). */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.batch.length === 0) return this.lastWrite;
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
    this.lastWrite = written.then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (e: unknown) => {
        for (const w of waiters) w.reject(e);
      },
    );
    return this.lastWrite;
  }
}
