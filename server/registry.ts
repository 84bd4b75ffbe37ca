import { findBot } from '../shared/bots/index.ts';
import { CommandError } from '../shared/protocol/errors.ts';
import type { CreateGameRequest } from '../shared/protocol/events.ts';
import type { Role, RoomSettings, TimedPhase } from '../shared/protocol/room.ts';
import { SIDES } from '../shared/rules/ids.ts';
import { builtinScenario } from '../shared/scenarios/index.ts';
import { Room, type RoomDeps } from './room/room.ts';
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

/** All rooms of this process, found by room code or by a seat's token. */
export class Registry {
  readonly rooms = new Map<string, Room>();
  private readonly tokens = new Map<string, { code: string; seatId: string }>();

  constructor(private readonly deps: RoomDeps) {}

  /** Brings every stored room back, finished ones included (they are the archive). */
  loadAll(): number {
    for (const stored of this.deps.store.loadAll()) {
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
        this.deps.log('game not loaded: its log does not replay', { code: stored.code, error: String(e) });
      }
    }
    return this.rooms.size;
  }

  private index(room: Room): void {
    const s = room.state;
    this.rooms.set(s.code, room);
    this.tokens.set(s.facilitatorTokenHash, { code: s.code, seatId: FACILITATOR_SEAT });
    for (const seat of s.seats) this.tokens.set(seat.tokenHash, { code: s.code, seatId: seat.id });
  }

  create(
    req: CreateGameRequest & { scenarioId: string },
    seed: string,
  ): { room: Room; facilitatorToken: string } {
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
    let code = newRoomCode();
    while (this.rooms.has(code)) code = newRoomCode();
    const facilitatorToken = newFacilitatorToken();
    const room = Room.create(
      {
        type: 'create',
        at: Date.now(),
        id: newId(),
        code,
        facilitatorTokenHash: hashToken(facilitatorToken),
        seed,
        settings,
      },
      this.deps,
    );
    this.index(room);
    return { room, facilitatorToken };
  }

  get(code: string): Room | undefined {
    return this.rooms.get(code.toUpperCase());
  }

  async join(
    code: string,
    name: string,
    role: SeatRecord['role'],
  ): Promise<{ room: Room; token: string; seat: SeatRecord }> {
    const room = this.get(code);
    if (!room) throw new CommandError('not-found', `no game with code ${code.toUpperCase()}`);
    const token = newSeatToken();
    const seat: SeatRecord = { id: newId(), tokenHash: hashToken(token), name, role, joinedAt: 0 };
    const after = await room.run({ type: 'join', seat });
    const joined = after.seats.find((s) => s.id === seat.id) ?? seat;
    this.tokens.set(seat.tokenHash, { code: after.code, seatId: seat.id });
    return { room, token, seat: joined };
  }

  /** The seat a token stands for: the token, never a name or a field of the payload, decides. */
  byToken(token: string): Binding | undefined {
    const hit = this.tokens.get(hashToken(token));
    const room = hit && this.rooms.get(hit.code);
    if (!hit || !room) return undefined;
    if (hit.seatId === FACILITATOR_SEAT)
      return { room, seatId: FACILITATOR_SEAT, role: 'facilitator', name: 'Facilitator' };
    const seat = room.state.seats.find((s) => s.id === hit.seatId);
    return seat ? { room, seatId: seat.id, role: seat.role, name: seat.name } : undefined;
  }

  dispose(): void {
    for (const room of this.rooms.values()) room.dispose();
  }
}
