import type { RoomCommand } from '../room/commands.ts';
import type { RoomState } from '../room/state.ts';

export interface BatchEntry {
  roomId: string;
  seq: number;
  command: RoomCommand;
}

export interface StoredRoom {
  id: string;
  code: string;
  snapshot: { seq: number; state: RoomState } | null;
  /** Commands after the snapshot (all of them when there is none), in order. */
  commands: { seq: number; command: RoomCommand }[];
}

/**
 * Everything the server keeps, behind one small interface. Writes are asynchronous (the SQLite
 * store writes on a thread of its own, as a database server would): a command is durable when the
 * promise of `appendBatch` resolves, and nobody is told it was accepted before that. Reads are
 * still synchronous (SQLite answers them on the main thread in microseconds); a PostgreSQL store
 * needs them asynchronous first, which changes the registry and the export route that call them,
 * not the rooms or the rules.
 */
export interface GameStore {
  /**
   * Appends several rooms' commands in one transaction: all are durable when the promise
   * resolves, or it rejects and none is. A `create` command (seq 1) also registers its room and
   * code. Batches are written in the order they are given.
   */
  appendBatch(entries: readonly BatchEntry[]): Promise<void>;
  /** Replaces a room's snapshot; `finishedAt` marks the game finished in the archive. */
  saveSnapshot(roomId: string, state: RoomState, finishedAt: number | null): Promise<void>;
  /** Rooms to bring back at start-up: every room, finished ones included (they form the archive). */
  loadAll(): StoredRoom[];
  /** One room as `loadAll` gives it (its last snapshot and the commands after), or null. */
  load(roomId: string): StoredRoom | null;
  /** The id of the room with this code, or null. */
  roomIdByCode(code: string): string | null;
  /** Whose token hash this is: its room and seat (seatId null for the room's facilitator), or null. */
  seatByTokenHash(hash: string): { roomId: string; code: string; seatId: string | null } | null;
  /** A small key-value note about the server itself (for example when it last shut down cleanly). */
  getMeta(key: string): string | null;
  setMeta(key: string, value: string | null): void;
  /** The whole command log of one room, for exports and replay checks. */
  commands(roomId: string): RoomCommand[];
  /** Closes the store once the writes already asked for are done; resolves when nothing is open. */
  close(): Promise<void>;
}
