import type { Channel, RoomPhase, RoomSettings } from '../../shared/protocol/room.ts';
import type { Side } from '../../shared/rules/ids.ts';
import type { Order } from '../../shared/rules/state.ts';
import type { ForkOrigin } from './fork.ts';
import type { SeatRecord } from './state.ts';

/**
 * Everything that can change a room, as logged. Each carries the server time at which it was
 * accepted, so replaying the log rebuilds the same room whatever the clock says later.
 */
export type RoomCommand =
  | {
      type: 'create';
      at: number;
      id: string;
      code: string;
      facilitatorTokenHash: string;
      seed: string;
      settings: RoomSettings;
      /** Set when the game is a fork of another from one of its rounds (see fork.ts). */
      fork?: ForkOrigin;
    }
  | { type: 'join'; at: number; seat: SeatRecord }
  | { type: 'draft.set'; at: number; seatId: string; baseVersion: number; orders: Order[] }
  | { type: 'draft.lock'; at: number; seatId: string; baseVersion: number }
  | { type: 'forecast.set'; at: number; seatId: string; baseVersion: number; moves: string[] }
  | { type: 'draft.unlock'; at: number; seatId: string }
  | { type: 'chat'; at: number; seatId: string; channel: Channel; text: string }
  | { type: 'crisis.answer'; at: number; seatId: string; choice: string }
  | { type: 'lead.take'; at: number; seatId: string }
  | { type: 'fac.start'; at: number }
  | { type: 'fac.pause'; at: number }
  | { type: 'fac.resume'; at: number }
  | { type: 'fac.extend'; at: number; seconds: number }
  | { type: 'fac.advance'; at: number; from?: { phase: RoomPhase; round: number } }
  | { type: 'fac.end'; at: number }
  | { type: 'fac.broadcast'; at: number; text: string }
  | { type: 'fac.chat'; at: number; channel: Channel; text: string }
  | { type: 'fac.inject'; at: number; eventId: string }
  | { type: 'fac.adjust'; at: number; variable: string; value: number; note: string }
  | { type: 'fac.setBot'; at: number; side: Side; bot: string | null }
  | { type: 'fac.setLead'; at: number; seatId: string }
  | { type: 'fac.removeSeat'; at: number; seatId: string }
  | { type: 'clock.deadline'; at: number; phase: string; round: number }
  | { type: 'clock.downtime'; at: number; ms: number };

export type CommandType = RoomCommand['type'];
