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
 * Everything the server keeps, behind one small interface that a database server could implement
 * as well as SQLite: every call is asynchronous. The SQLite store writes on a thread of its own
 * (a command is durable when the promise of `appendBatch` resolves, and nobody is told it was
 * accepted before that) and answers reads on the main thread in microseconds, already resolved; a
 * PostgreSQL store would answer them over its connection pool. Only the registry, the start-up and
 * shutdown steps and the export route read; the rooms and the rules never do.
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
  loadAll(): Promise<StoredRoom[]>;
  /** One room as `loadAll` gives it (its last snapshot and the commands after), or null. */
  load(roomId: string): Promise<StoredRoom | null>;
  /** The id of the room with this code, or null. */
  roomIdByCode(code: string): Promise<string | null>;
  /** Whose token hash this is: its room and seat (seatId null for the room's facilitator), or null. */
  seatByTokenHash(hash: string): Promise<{ roomId: string; code: string; seatId: string | null } | null>;
  /** A small key-value note about the server itself (for example when it last shut down cleanly). */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string | null): Promise<void>;
  /** The whole command log of one room, for exports and replay checks. */
  commands(roomId: string): Promise<RoomCommand[]>;
  /** Closes the store once the writes already asked for are done; resolves when nothing is open. */
  close(): Promise<void>;
}
