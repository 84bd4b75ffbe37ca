import { findBot } from '../shared/bots/index.ts';
import { CommandError } from '../shared/protocol/errors.ts';
import type { CreateGameRequest } from '../shared/protocol/events.ts';
import type { Role, RoomSettings, TimedPhase } from '../shared/protocol/room.ts';
import { SIDES } from '../shared/rules/ids.ts';
import { builtinScenario } from '../shared/scenarios/index.ts';
import { type ForkOrigin, forkOrigin, roomAtBriefing } from './room/fork.ts';
import { RESTARTING, Room, type RoomDeps } from './room/room.ts';
import type { SeatRecord } from './room/state.ts';
import { hashToken, newFacilitatorToken, newId, newRoomCode, newSeatToken } from './tokens.ts';

export const FACILITATOR_SEAT = 'facilitator';

/** Default seconds per phase: a classroom round fits about 7 minutes, a think-tank round about 11. */
const CLASSROOM_DEADLINES: Record<TimedPhase, number> = {
  briefing: 60,
  negotiation: 150,
  orders: 120,
  crisis: 60,
  summary: 60,
};
const EXERCISE_DEADLINES: Record<TimedPhase, number> = {
  briefing: 90,
  negotiation: 300,
  orders: 180,
  crisis: 90,
  summary: 60,
};

export function defaultDeadlines(scenarioId: string): Record<TimedPhase, number> {
  return scenarioId === 'baseline-2026' ? EXERCISE_DEADLINES : CLASSROOM_DEADLINES;
}

export interface Binding {
  room: Room;
  seatId: string;
  role: Role;
  name: string;
}

/**
 * All rooms of this process, found by room code or by a seat's token. Finished rooms that nobody
 * has open are not kept in memory, not even their tokens (a server that runs for months would
 * otherwise hold every game it ever hosted): the store finds them by code or token hash, and the
 * room is rebuilt from its snapshot and log when someone asks for it again.
 */
export class Registry {
  /** The rooms in memory: every unfinished room, and finished ones someone has open. */
  readonly rooms = new Map<string, Room>();
  /** Token hashes of the rooms in memory. */
  private readonly tokens = new Map<string, { code: string; seatId: string }>();
  /** Stored rooms whose log does not replay: asked for again, they are not tried again. */
  private readonly broken = new Set<string>();
  /** Codes of rooms whose create command is not yet on disk. */
  private readonly creating = new Set<string>();
  /** Rooms being read back from the store: two asks for one room share one read and one room. */
  private readonly reloading = new Map<string, Promise<Room | undefined>>();
  /** Set at shutdown: no new game, and rooms read back from the store take no commands. */
  private closing = false;
  /** Whether a room is open somewhere (a socket is bound to it); the socket hub sets this. */
  inUse: (code: string) => boolean = () => false;

  constructor(private readonly deps: RoomDeps) {}

  /** Brings every stored room back, finished ones included (they are the archive). */
  async loadAll(): Promise<number> {
    for (const stored of await this.deps.store.loadAll()) {
      // One game whose log no longer replays must not keep every other game from starting: it
      // is left out (its log stays in the database) and named in the server log.
      try {
        const room = Room.restore(
          stored.snapshot?.state ?? null,
          stored.commands.map((c) => c.command),
          this.deps,
        );
        this.index(room);
      } catch (e) {
        this.broken.add(stored.code);
        this.deps.log('game not loaded: its log does not replay', { code: stored.code, error: String(e) });
      }
    }
    const loaded = this.rooms.size;
    this.release();
    return loaded;
  }

  /** Takes a finished room nobody has open out of memory; it stays findable (see `get`). */
  releaseIfIdle(code: string): void {
    const room = this.rooms.get(code);
    // A command still in its commit window must land in the store before the room can be rebuilt from it.
    if (room?.state.phase !== 'ended' || room.state !== room.committedState || this.inUse(code)) return;
    room.dispose();
    this.rooms.delete(code);
    const s = room.state;
    this.tokens.delete(s.facilitatorTokenHash);
    for (const seat of s.seats) this.tokens.delete(seat.tokenHash);
  }

  /** Releases every finished room nobody has open but `keep`. */
  private release(keep?: string): void {
    for (const code of [...this.rooms.keys()]) if (code !== keep) this.releaseIfIdle(code);
  }

  /** Rebuilds a stored room that is not in memory from its snapshot and log, as at start-up. */
  private reload(code: string): Promise<Room | undefined> {
    if (this.broken.has(code)) return Promise.resolve(undefined);
    let pending = this.reloading.get(code);
    if (!pending) {
      pending = this.readBack(code).finally(() => this.reloading.delete(code));
      this.reloading.set(code, pending);
    }
    return pending;
  }

  private async readBack(code: string): Promise<Room | undefined> {
    const id = await this.deps.store.roomIdByCode(code);
    const stored = id === null ? null : await this.deps.store.load(id);
    // The room may have come into memory while the store answered.
    const there = this.rooms.get(code);
    if (there) return there;
    if (!stored || this.broken.has(code)) return undefined;
    let room: Room;
    try {
      room = Room.restore(
        stored.snapshot?.state ?? null,
        stored.commands.map((c) => c.command),
        this.deps,
      );
    } catch (e) {
      this.broken.add(code);
      this.deps.log('game not loaded: its log does not replay', { code, error: String(e) });
      return undefined;
    }
    if (this.closing) room.dispose('shutdown');
    this.index(room);
    // Rooms looked at without being opened (public info, an export) are let go after the next
    // reload. Not at once: whoever asked for a room reloaded just before this one may not have
    // bound its socket yet, and it does so before the next turn of the event loop.
    setImmediate(() => this.release(code));
    return room;
  }

  private index(room: Room): void {
    const s = room.state;
    this.rooms.set(s.code, room);
    this.tokens.set(s.facilitatorTokenHash, { code: s.code, seatId: FACILITATOR_SEAT });
    for (const seat of s.seats) this.tokens.set(seat.tokenHash, { code: s.code, seatId: seat.id });
  }

  async create(
    req: CreateGameRequest & { scenarioId: string },
    seed: string,
  ): Promise<{ room: Room; facilitatorToken: string }> {
    if (this.closing) throw new CommandError('restarting', RESTARTING);
    const scenario = builtinScenario(req.scenarioId);
    const bots = { us: req.bots?.us ?? null, china: req.bots?.china ?? null };
    for (const side of SIDES) {
      const id = bots[side];
      if (id !== null && !findBot(side, id))
        throw new CommandError('bad-payload', `bots.${side}: no ${side} bot called "${id}"`);
    }
    const settings: RoomSettings = {
      scenarioId: scenario.id,
      rounds: req.rounds ?? scenario.rounds,
      deadlines: {
        ...defaultDeadlines(scenario.id),
        ...req.deadlines,
      },
      bots,
    };
    return this.open(settings, seed);
  }

  /**
   * A new game that starts where `source` stood at the briefing of `round`, with its settings:
   * rebuilt from the source's log as it is on disk. People join it afresh with its own code.
   */
  async fork(source: Room, round: number): Promise<{ room: Room; facilitatorToken: string }> {
    if (this.closing) throw new CommandError('restarting', RESTARTING);
    const s = source.committedState;
    // The writer thread may hold commands the room has not yet heard are on disk: stop at seq.
    const commands = (await this.deps.store.commands(s.id)).slice(0, s.seq);
    const then = roomAtBriefing(commands, round);
    return this.open(s.settings, s.seed ?? 'fork', forkOrigin(then, round));
  }

  private async open(
    settings: RoomSettings,
    seed: string,
    fork?: ForkOrigin,
  ): Promise<{ room: Room; facilitatorToken: string }> {
    let code = newRoomCode();
    while (!(await this.codeFree(code))) code = newRoomCode();
    const facilitatorToken = newFacilitatorToken();
    // The code is taken while its create command is on its way to disk.
    this.creating.add(code);
    try {
      const room = await Room.create(
        {
          type: 'create',
          at: Date.now(),
          id: newId(),
          code,
          facilitatorTokenHash: hashToken(facilitatorToken),
          seed,
          settings,
          ...(fork ? { fork } : {}),
        },
        this.deps,
      );
      this.index(room);
      return { room, facilitatorToken };
    } catch (e) {
      if (e instanceof CommandError) throw e;
      this.deps.log('storage write failed', { room: code, error: String(e) });
      throw new CommandError('internal', 'the server could not save the new game; try again');
    } finally {
      this.creating.delete(code);
    }
  }

  /** Whether no room has this code, in memory, on its way to disk or in the store. */
  private async codeFree(code: string): Promise<boolean> {
    const taken = () => this.rooms.has(code) || this.creating.has(code);
    if (taken()) return false;
    const stored = await this.deps.store.roomIdByCode(code);
    // Asked again after the store answered: another create may have taken the code meanwhile.
    return stored === null && !taken();
  }

  /** The room with this code, from memory or read back from the store; undefined if none. */
  async get(code: string): Promise<Room | undefined> {
    const c = code.toUpperCase();
    return this.rooms.get(c) ?? this.reload(c);
  }

  async join(
    code: string,
    name: string,
    role: SeatRecord['role'],
    title?: string,
  ): Promise<{ room: Room; token: string; seat: SeatRecord }> {
    const room = await this.get(code);
    if (!room) throw new CommandError('not-found', `no game with code ${code.toUpperCase()}`);
    const token = newSeatToken();
    const seat: SeatRecord = { id: newId(), tokenHash: hashToken(token), name, role, joinedAt: 0 };
    if (title) seat.title = title;
    const after = await room.run({ type: 'join', seat });
    const joined = after.seats.find((s) => s.id === seat.id) ?? seat;
    this.tokens.set(seat.tokenHash, { code: after.code, seatId: seat.id });
    return { room, token, seat: joined };
  }

  /** The seat a token stands for: the token, never a name or a field of the payload, decides. */
  async byToken(token: string): Promise<Binding | undefined> {
    const hash = hashToken(token);
    let hit = this.tokens.get(hash);
    if (!hit) {
      const stored = await this.deps.store.seatByTokenHash(hash);
      if (stored) hit = { code: stored.code, seatId: stored.seatId ?? FACILITATOR_SEAT };
    }
    if (!hit) return undefined;
    const room = await this.get(hit.code);
    if (!room) return undefined;
    if (hit.seatId === FACILITATOR_SEAT)
      return { room, seatId: FACILITATOR_SEAT, role: 'facilitator', name: 'Facilitator' };
    const seat = room.state.seats.find((s) => s.id === hit.seatId);
    return seat ? { room, seatId: seat.id, role: seat.role, name: seat.name } : undefined;
  }

  /** At shutdown: every room stops its clock and refuses new commands (those in flight still land). */
  dispose(): void {
    this.closing = true;
    for (const room of this.rooms.values()) room.dispose('shutdown');
  }
}
