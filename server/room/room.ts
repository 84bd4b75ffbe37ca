import { CommandError } from '../../shared/protocol/errors.ts';
import type { Clock } from '../clock.ts';
import type { CommitQueue } from '../store/commit-queue.ts';
import type { SnapshotQueue } from '../store/snapshot-queue.ts';
import type { GameStore } from '../store/types.ts';
import type { RoomCommand } from './commands.ts';
import { applyCommand, createRoom } from './reduce.ts';
import type { RoomState } from './state.ts';

/** What a command or a new game is told while the server shuts down. */
export const RESTARTING = 'the server is restarting; nothing changed, try again once it is back';

/** A snapshot every this many commands keeps start-up replay short. */
export const SNAPSHOT_EVERY = 100;

export interface RoomDeps {
  store: GameStore;
  commits: CommitQueue;
  snapshots: SnapshotQueue;
  clock: Clock;
  /**
   * Called after every accepted command, once the command is on disk. `soon` when every command
   * since the room was last shown only seated someone (a join): whoever shows it may gather
   * several arrivals into one update; anything else is to be shown at once.
   */
  onChange: (room: Room, soon: boolean) => void;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

type Draft<C> = C extends RoomCommand ? Omit<C, 'at'> : never;
export type CommandInput = Draft<RoomCommand>;

/**
 * One game's authority. Every change goes through `run`: the command is checked against the
 * rules and applied at once (so the next command in the same instant builds on it), written to
 * the store with the other commands of the same commit window, and only once it is on disk
 * is it acknowledged and shown to anyone. Node runs one command at a time, so commands are
 * serialised without a queue.
 */
export class Room {
  private timer: unknown = null;
  /** Why the room no longer takes commands: released from memory, or the server is stopping. */
  private disposed: 'released' | 'shutdown' | null = null;
  /** The state as of the last command known to be on disk. */
  private committed: RoomState;
  /** The state last shown to the sockets (what a broadcast was last asked for). */
  private shown: RoomState;
  /** Whether a command other than a join was applied since the room was last shown. */
  private urgent = false;

  private constructor(
    private current: RoomState,
    private readonly deps: RoomDeps,
  ) {
    this.committed = current;
    this.shown = current;
  }

  /** A new room, once its create command is on disk (rejects, and nothing exists, if it cannot be). */
  static async create(cmd: Extract<RoomCommand, { type: 'create' }>, deps: RoomDeps): Promise<Room> {
    const state = createRoom(cmd);
    await deps.commits.write(state.id, state.seq, cmd);
    const room = new Room(state, deps);
    room.arm();
    return room;
  }

  /** Rebuilds a room from its snapshot and the commands after it. */
  static restore(snapshot: RoomState | null, commands: RoomCommand[], deps: RoomDeps): Room {
    let state = snapshot;
    for (const cmd of commands) {
      if (cmd.type === 'create') {
        state = createRoom(cmd);
        continue;
      }
      if (!state) throw new Error('a room log must start with its create command');
      state = applyCommand(state, cmd);
    }
    if (!state) throw new Error('a room needs a snapshot or a create command');
    const room = new Room(state, deps);
    room.arm();
    return room;
  }

  get state(): RoomState {
    return this.current;
  }

  /**
   * The room as of its last command on disk: what anyone may be shown. `state` may already hold
   * commands still in their commit window, which a crash or a failed write would take back.
   */
  get committedState(): RoomState {
    return this.committed;
  }

  /** Applies a command; resolves once it is durable, or rejects (CommandError) and changes nothing. */
  async run(input: CommandInput): Promise<RoomState> {
    if (this.disposed === 'shutdown') throw new CommandError('restarting', RESTARTING);
    if (this.disposed) throw new CommandError('not-found', 'this game is no longer loaded');
    const cmd = { ...input, at: this.deps.clock.now() } as RoomCommand;
    const before = this.current;
    const next = applyCommand(before, cmd);
    this.current = next;
    if (cmd.type !== 'join') this.urgent = true;
    // The clock follows the state at once, so a deadline set by this command cannot be missed.
    this.arm();
    try {
      await this.deps.commits.write(next.id, next.seq, cmd);
    } catch (e) {
      // The whole batch failed: every command in it is undone and refused.
      this.current = this.committed;
      this.arm();
      // An earlier command that did land may not have been shown yet (a later one was already
      // applied when it landed): show the room as it now stands.
      if (this.shown !== this.committed) {
        this.shown = this.committed;
        this.urgent = false;
        this.deps.onChange(this, false);
      }
      this.deps.log('storage write failed', { room: next.code, error: String(e) });
      throw new CommandError('internal', 'the server could not save this command; nothing changed');
    }
    this.committed = next;
    const finished = next.phase === 'ended' && before.phase !== 'ended';
    if (next.seq % SNAPSHOT_EVERY === 0 || finished)
      this.deps.snapshots.request(next.id, () => this.committed);
    // Only the last command of a batch shows the room to anyone: it includes the ones before.
    if (this.current === next) {
      this.shown = next;
      const soon = !this.urgent;
      this.urgent = false;
      this.deps.onChange(this, soon);
    }
    return next;
  }

  /** Arms the one timer for the current deadline. */
  private arm(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    const { deadline, phase, game } = this.current;
    if (deadline === null || this.disposed) return;
    const wait = Math.max(0, deadline - this.deps.clock.now());
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      if (this.deps.clock.now() < deadline) return this.arm();
      this.run({ type: 'clock.deadline', phase, round: game.round }).catch((e: unknown) => {
        // A deadline that no longer applies is refused as wrong-phase: nothing to report.
        if (!(e instanceof CommandError) || e.code === 'internal')
          this.deps.log('deadline failed', { room: this.current.code, error: String(e) });
      });
    }, wait);
  }

  dispose(why: 'released' | 'shutdown' = 'released'): void {
    this.disposed = why;
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
