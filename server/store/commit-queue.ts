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

  constructor(private readonly store: GameStore) {}

  write(roomId: string, seq: number, command: RoomCommand): Promise<void> {
    this.batch.push({ roomId, seq, command });
    if (!this.scheduled) {
      this.scheduled = true;
      // A short window gathers the commands of several turns under load: one fsync for all.
      setTimeout(() => this.flush(), COMMIT_WINDOW_MS);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Writes everything queued so far (also called directly at shutdown). */
  flush(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    const waiters = this.waiters;
    this.batch = [];
    this.waiters = [];
    try {
      this.store.appendBatch(batch);
    } catch (e) {
      for (const w of waiters) w.reject(e);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}
