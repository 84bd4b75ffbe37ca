import type { RoomCommand } from '../../server/room/commands.ts';
import { applyCommand, createRoom } from '../../server/room/reduce.ts';
import type { RoomState } from '../../server/room/state.ts';
import { seatSnapshot } from '../../server/room/view.ts';
import { fromSnapshot } from '../../shared/protocol/merge.ts';
import type { ClientView, Role } from '../../shared/protocol/room.ts';

/**
 * Real rooms for client tests: built by the server's own reducer with bots on both sides, so a
 * view-model test sees exactly what a browser would receive. One human seat per role is added
 * so each role has a view.
 */
export interface RoomOptions {
  scenarioId?: 'baseline-2026' | 'classroom-short';
  rounds?: number;
  seed?: string;
  /** How many phase steps the facilitator advances after starting (each `fac.advance` ends one phase). */
  advances?: number;
  /** Who plays each side (default: the adaptive bots, so rounds resolve as soon as orders open). */
  bots?: { us: string | null; china: string | null };
  /** Play until the game has ended. */
  toEnd?: boolean;
}

const T0 = 1_700_000_000_000;
/** A room command without its time, which the helpers below stamp. */
export type Command = RoomCommand extends infer C ? (C extends RoomCommand ? Omit<C, 'at'> : never) : never;

let stepAt = 1_800_000_000_000;
/** Applies one command to a room, a second after the previous one: for tests that build on a fixture room. */
export function step(room: RoomState, cmd: Command): RoomState {
  stepAt += 1000;
  return applyCommand(room, { ...cmd, at: stepAt } as RoomCommand);
}

export function playedRoom(o: RoomOptions = {}): RoomState {
  let at = T0;
  // Its own clock from T0, so the same options always build the same room.
  const next = (room: RoomState, cmd: Command): RoomState => {
    at += 1000;
    return applyCommand(room, { ...cmd, at } as RoomCommand);
  };
  let room = createRoom({
    type: 'create',
    at,
    id: 'room-1',
    code: 'ABCDEF',
    facilitatorTokenHash: 'f'.repeat(64),
    seed: o.seed ?? 'fixture',
    settings: {
      scenarioId: o.scenarioId ?? 'classroom-short',
      rounds: o.rounds ?? 3,
      deadlines: { briefing: 300, negotiation: 600, orders: 600, crisis: 300, summary: 300 },
      bots: o.bots ?? { us: 'adaptive', china: 'adaptive' },
    },
  });
  for (const role of ['us', 'china', 'observer'] as const) {
    room = next(room, {
      type: 'join',
      seat: {
        id: `seat-${role}`,
        tokenHash: role.padEnd(64, '0'),
        name: `${role} player`,
        role,
        joinedAt: at,
      },
    });
  }
  room = next(room, { type: 'fac.start' });
  const advances = o.toEnd ? 1000 : (o.advances ?? 0);
  for (let i = 0; i < advances && room.phase !== 'ended'; i++) room = next(room, { type: 'fac.advance' });
  return room;
}

export function viewFor(room: RoomState, role: Role): ClientView {
  const seatId = role === 'facilitator' ? 'facilitator' : `seat-${role}`;
  const connected = new Set(room.seats.map((s) => s.id));
  return fromSnapshot(
    seatSnapshot(
      room,
      { seatId, name: role === 'facilitator' ? 'White Cell' : `${role} player`, role },
      connected,
      T0,
    ),
  );
}

/** A room with people on both sides, in the orders phase of round 1, the US having forecast `moves`. */
export function forecastRoom(moves: string[]): RoomState {
  let room = playedRoom({ rounds: 2, bots: { us: null, china: null } });
  while (room.phase !== 'orders') room = step(room, { type: 'fac.advance' });
  return step(room, { type: 'forecast.set', seatId: 'seat-us', baseVersion: room.drafts.us.version, moves });
}

export function reveal(room: RoomState, china: { move: string; loophole?: 'smuggling' }[]): RoomState {
  let r = step(room, {
    type: 'draft.set',
    seatId: 'seat-china',
    baseVersion: room.drafts.china.version,
    orders: china,
  });
  r = step(r, { type: 'draft.lock', seatId: 'seat-china', baseVersion: r.drafts.china.version });
  return step(r, { type: 'draft.lock', seatId: 'seat-us', baseVersion: r.drafts.us.version });
}
