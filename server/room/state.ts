import type { ChatMessage, Draft, Role, RoomPhase, RoomSettings } from '../../shared/protocol/room.ts';
import type { Forecast } from '../../shared/rules/forecast.ts';
import type { Side } from '../../shared/rules/ids.ts';
import type { GameState } from '../../shared/rules/state.ts';

export interface SeatRecord {
  id: string;
  /** sha256 of the seat's secret token: the token itself is never stored. */
  tokenHash: string;
  name: string;
  role: Exclude<Role, 'facilitator'>;
  /** The seat's title inside its team; absent in games stored before titles existed. */
  title?: string;
  joinedAt: number;
}

/** A facilitator's change of a number, kept for the after-action report. */
export interface FacilitatorAction {
  at: number;
  round: number;
  kind:
    | 'inject'
    | 'adjust'
    | 'broadcast'
    | 'bot'
    | 'lead'
    | 'remove'
    | 'pause'
    | 'resume'
    | 'extend'
    | 'advance'
    | 'end';
  detail: string;
}

/**
 * Everything a room owns. It is rebuilt on start-up by replaying the room's command log over its
 * last snapshot, so it must stay plain JSON.
 */
export interface RoomState {
  id: string;
  code: string;
  createdAt: number;
  facilitatorTokenHash: string;
  /**
   * The create command's seed, for the facilitator's exports only: no view carries it (a console
   * may be on a projector). Absent in rooms saved before it was kept.
   */
  seed?: string;
  settings: RoomSettings;
  seats: SeatRecord[];
  phase: RoomPhase;
  deadline: number | null;
  /** Set while paused: the time that was left on the clock. */
  pausedRemaining: number | null;
  game: GameState;
  drafts: Record<Side, Draft>;
  crisisAnswers: Record<Side, string | null>;
  chat: ChatMessage[];
  actions: FacilitatorAction[];
  /**
   * Each team's lead when it was handed over (a member took it while the lead was away, or the
   * facilitator chose one); otherwise the team's earliest member leads. Absent in rooms saved
   * before hand-overs existed.
   */
  leads?: Partial<Record<Side, string>>;
  /** The game this one was forked from, and the round it starts at; absent for a game of its own. */
  forkOf?: { code: string; round: number };
  /** Each team's forecast of the other's moves, one per round it made one; absent in older rooms. */
  forecasts?: Forecast[];
  /** Number of commands applied; also the sequence number of the views sent after the last one. */
  seq: number;
}

/** The round a seat is shown: in a summary the rules have already moved to the next round. */
export function shownRound(room: Pick<RoomState, 'phase' | 'game'>): number {
  return room.phase === 'summary' ? room.game.round - 1 : room.game.round;
}

export function emptyDraft(): Draft {
  return { orders: [], version: 0, locked: false, lockedBy: null, editedBy: null };
}
