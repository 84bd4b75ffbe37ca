import type { RoomState } from '../room/state.ts';
import type { GameStore } from './types.ts';

/** How often the queue writes one snapshot. */
export const SNAPSHOT_SPACING_MS = 5;

/**
 * Snapshots only shorten replay at start-up (the command log is what makes commands durable), so
 * they are written in the background, one room at a time, instead of in the command's path:
 * hundreds of rooms reaching their hundredth command together would otherwise stall everyone.
 */
export class SnapshotQueue {
  private readonly due = new Map<string, () => RoomState>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: GameStore) {}

  /** Asks for a snapshot of a room; `latest` is read when it is written, so it is never stale. */
  request(roomId: string, latest: () => RoomState): void {
    this.due.set(roomId, latest);
    this.timer ??= setTimeout(() => this.writeOne(), SNAPSHOT_SPACING_MS);
  }

  private writeOne(): void {
    this.timer = null;
    const next = this.due.entries().next();
    if (next.done) return;
    const [roomId, latest] = next.value;
    this.due.delete(roomId);
    this.save(roomId, latest());
    if (this.due.size > 0) this.timer = setTimeout(() => this.writeOne(), SNAPSHOT_SPACING_MS);
  }

  private save(roomId: string, state: RoomState): void {
    this.store.saveSnapshot(roomId, state.seq, state);
    // The archive's finish time is bookkeeping, not game state: it goes with the snapshot.
    if (state.phase === 'ended') this.store.markFinished(roomId, Date.now());
  }

  /** Writes everything still due (at shutdown). */
  drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [roomId, latest] of this.due) this.save(roomId, latest());
    this.due.clear();
  }
}
