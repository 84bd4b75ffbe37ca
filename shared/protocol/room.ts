import type { Forecast } from '../rules/forecast.ts';
import type { Side } from '../rules/ids.ts';
import type { ModelParams } from '../rules/scenario-schema.ts';
import type { Order, RoundLog, RoundMetrics } from '../rules/state.ts';
import type { PlayerView, PublicState, Truth } from '../rules/view.ts';

/** The phases of a round as people live them; the engine itself knows only orders, crisis and ended. */
export const ROOM_PHASES = [
  'lobby',
  'briefing',
  'negotiation',
  'orders',
  'crisis',
  'summary',
  'ended',
] as const;
export type RoomPhase = (typeof ROOM_PHASES)[number];

/** Phases with a clock. */
export const TIMED_PHASES = ['briefing', 'negotiation', 'orders', 'crisis', 'summary'] as const;
export type TimedPhase = (typeof TIMED_PHASES)[number];

export type Role = 'us' | 'china' | 'observer' | 'facilitator';
export const JOINABLE_ROLES = ['us', 'china', 'observer'] as const;

/** public: everyone; us / china: that team and the facilitator; bilateral: both teams and the facilitator. */
export const CHANNELS = ['public', 'us', 'china', 'bilateral'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MAX_TEAM_SIZE = 15;
export const MAX_OBSERVERS = 40;
export const MAX_CHAT_LENGTH = 1000;
export const MAX_NAME_LENGTH = 40;
/** A seat's title inside its team (Commerce, State, MOFCOM...): optional, chosen at joining. */
export const MAX_TITLE_LENGTH = 40;
/** Titles the join form suggests per team; any other short title is allowed. */
export const SUGGESTED_TITLES = {
  us: ['Commerce', 'State', 'NSC', 'Defense', 'Treasury', 'Intelligence community'],
  china: ['MOFCOM', 'MFA', 'MIIT', 'NDRC', 'PLA', 'Ministry of State Security'],
} as const;
/**
 * A game's seed decides its dice. Games created with the same seed start with the same dice, so a
 * class's tables can face the same luck; a seed is short plain text so a facilitator can note it.
 */
export const MAX_SEED_LENGTH = 64;
export const SEED_PATTERN = /^[A-Za-z0-9._-]+$/;
export const SEED_RULE = `a seed is 1 to ${MAX_SEED_LENGTH} letters, digits, dots, dashes or underscores`;
/** Deadlines run from one minute (live play) to seven days (asynchronous play). */
export const MIN_DEADLINE_SECONDS = 60;
export const MAX_DEADLINE_SECONDS = 7 * 24 * 3600;

export interface ChatMessage {
  seq: number;
  channel: Channel;
  seatId: string | null;
  name: string;
  role: Role | 'system';
  text: string;
  at: number;
}

export interface Draft {
  orders: Order[];
  /**
   * The team's private forecast of the other side's moves this round (move ids): absent when the
   * team has made none. It shares the draft's version and locks with the orders.
   */
  forecast?: string[];
  /** Who last changed the forecast (`editedBy` is about the orders). */
  forecastBy?: string;
  version: number;
  locked: boolean;
  lockedBy: string | null;
  editedBy: string | null;
}

/** A seat's name with its title inside the team, when it has one: "Alex (Commerce)". */
export function seatName(s: { name: string; title?: string | null }): string {
  return s.title ? `${s.name} (${s.title})` : s.name;
}

export interface SeatInfo {
  id: string;
  name: string;
  /** The seat's title inside its team ("Commerce"), or null. */
  title: string | null;
  role: Role;
  lead: boolean;
  connected: boolean;
}

export interface RoomSettings {
  scenarioId: string;
  rounds: number;
  deadlines: Record<TimedPhase, number>;
  bots: Record<Side, string | null>;
}

/**
 * The engine's view of the game without its logs, which travel as increments (`LogUpdate`), and
 * without the scenario's parameters, which never change during a game and come in the snapshot.
 */
export type LiveGameView = Omit<PlayerView, 'log' | 'public' | 'truth'> & {
  public: Omit<PublicState, 'params'>;
  /** The truth without its logs (sent as increments) and parameters (in the snapshot). */
  truth: Omit<Truth, 'history' | 'params'> | null;
};

/** Both sides' own logs and the per-round true metrics: for whoever may see the truth. */
export interface SideLogs {
  us: RoundLog[];
  china: RoundLog[];
  metrics: RoundMetrics[];
}

/**
 * What one seat receives after a change that it can see; built by `roomView` from the room and
 * the engine's `playerView`. The logs and the chat are not repeated in every view: they arrive
 * as increments (the `log` and `chat` of a `game:update`) and in full in a `SeatSnapshot`.
 */
export interface RoomView {
  code: string;
  seq: number;
  version: number;
  phase: RoomPhase;
  round: number;
  paused: boolean;
  /** Epoch milliseconds; null when paused or untimed. The server's clock decides; this is a display. */
  deadline: number | null;
  remainingMs: number | null;
  settings: RoomSettings;
  /** The game this one replays from one of its rounds (a counterfactual), or null. */
  forkOf: { code: string; round: number } | null;
  you: { seatId: string; name: string; role: Role; lead: boolean };
  seats: SeatInfo[];
  /** Your team's shared draft (null for observers and the facilitator, who sees both in `drafts`). */
  draft: Draft | null;
  drafts: Record<Side, Draft> | null;
  locked: Record<Side, boolean>;
  crisisAnswered: Record<Side, boolean>;
  yourCrisisAnswer: string | null;
  /**
   * Forecasts of past rounds, as made: a team sees its own, the facilitator both, everyone both
   * after the end. Score them with `scoreForecasts` (shared/rules/forecast.ts).
   */
  forecasts: Forecast[];
  /** Rounds in the public log; a client whose log is shorter has missed an update's `log`. */
  logRounds: number;
  game: LiveGameView;
}

/** New or changed log entries: replace everything from index `from` on. */
export interface LogUpdate {
  from: number;
  public: RoundLog[];
  own: RoundLog[] | null;
  /** For the facilitator (and everyone after the end): both sides' logs and metrics from `from`. */
  sides?: SideLogs;
}

/**
 * A view as pushed in an update: `game` and `seats`, most of a view's bytes, are left out when
 * they are the same as in the last view this connection received (in an update, a snapshot or
 * an acknowledgement); the client keeps the ones it has.
 */
export type ViewUpdate = Omit<RoomView, 'game' | 'seats'> & { game?: LiveGameView; seats?: SeatInfo[] };

/** What one change brings a seat, in one message: new log entries, new chat, then the new view. */
export interface GameUpdate {
  log?: LogUpdate;
  chat?: ChatMessage[];
  view?: ViewUpdate;
}

/** Everything a seat needs at once: on joining, resuming, and when the game ends. */
export interface SeatSnapshot {
  view: RoomView;
  /** The scenario's model parameters (move costs and effects, thresholds): fixed for the game. */
  params: ModelParams;
  log: PlayerView['log'] & { sides: SideLogs | null };
  /** The last 100 messages this seat may read. */
  chat: ChatMessage[];
}

/** What a client holds once it has applied a snapshot and the increments after it. */
export interface ClientView extends Omit<RoomView, 'game'> {
  chat: ChatMessage[];
  game: PlayerView;
}
