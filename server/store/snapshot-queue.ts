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
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: GameStore,
    private readonly log: (msg: string, extra?: Record<string, unknown>) => void = () => {},
  ) {}

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
    // The next one waits for this one: one snapshot in the writer's queue at a time.
    this.writing = this.save(roomId, latest()).then(() => {
      if (this.due.size > 0 && !this.timer)
        this.timer = setTimeout(() => this.writeOne(), SNAPSHOT_SPACING_MS);
    });
  }

  private save(roomId: string, state: RoomState): Promise<void> {
    // The archive's finish time is bookkeeping, not game state: it goes with the snapshot.
    return this.store.saveSnapshot(roomId, state, state.phase === 'ended' ? Date.now() : null).catch((e) => {
      // A lost snapshot costs only a longer replay at start-up: the command log is intact.
      this.log('snapshot not written', { room: roomId, error: String(e) });
    });
  }

  /** Writes everything still due (at shutdown). */
  async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    const all = [...this.due].map(([roomId, latest]) => this.save(roomId, latest()));
    this.due.clear();
    await Promise.all(all);
  }
}
