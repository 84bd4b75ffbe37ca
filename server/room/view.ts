import type {
  ChatMessage,
  LiveGameView,
  RoomView,
  SeatInfo,
  SeatSnapshot,
  SideLogs,
} from '../../shared/protocol/room.ts';
import type { Forecast } from '../../shared/rules/forecast.ts';
import { SIDES, type Side } from '../../shared/rules/ids.ts';
import { playerView } from '../../shared/rules/view.ts';
import { canUseChannel, leadOf } from './reduce.ts';
import { type RoomState, shownRound } from './state.ts';

/** Chat messages in a snapshot; older ones stay in the room and the export. */
export const CHAT_IN_SNAPSHOT = 100;

export interface Viewer {
  seatId: string;
  name: string;
  role: RoomView['you']['role'];
}

/** Whether a seat may read a chat message: its channels, the facilitator everything, all after the end. */
export function canRead(room: RoomState, role: Viewer['role'], m: ChatMessage): boolean {
  if (room.phase === 'ended' || role === 'facilitator') return true;
  if (role === 'observer') return m.channel === 'public';
  return canUseChannel(role, m.channel);
}

/** The seats that lead the two teams (a team without members has none). */
export function leadIds(room: RoomState): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const side of SIDES) {
    const lead = leadOf(room, side);
    if (lead) ids.add(lead.id);
  }
  return ids;
}

/** The seats as a view lists them: who leads each team, who is connected. */
export function seatList(room: RoomState, connected: ReadonlySet<string>): SeatInfo[] {
  const leads = leadIds(room);
  return room.seats.map((s) => ({
    id: s.id,
    name: s.name,
    title: s.title ?? null,
    role: s.role,
    lead: leads.has(s.id),
    connected: connected.has(s.id),
  }));
}

/**
 * A role's view of the game: the engine's `playerView` without the logs (they travel as
 * increments) and without the scenario's parameters (they come in the snapshot).
 */
export function liveGame(room: RoomState, role: Viewer['role']): LiveGameView {
  const { log: _sentSeparately, public: pub, truth, ...rest } = playerView(room.game, role);
  const { params: _inTheSnapshot, ...publicState } = pub;
  const liveTruth = truth ? (({ history: _h, params: _p, ...t }) => t)(truth) : null;
  return { ...rest, public: publicState, truth: liveTruth };
}

const NO_FORECASTS: Forecast[] = [];

/** A team sees its own forecasts; the facilitator both; everyone both once the game has ended. */
export function visibleForecasts(room: RoomState, role: Viewer['role']): Forecast[] {
  const all = room.forecasts ?? NO_FORECASTS;
  if (role === 'facilitator' || room.phase === 'ended') return all;
  if (role === 'us' || role === 'china') return all.filter((f) => f.side === role);
  return NO_FORECASTS;
}

/** Everything of a seat's view but `game` and `seats`, which change least and are built apart. */
export function viewHead(room: RoomState, viewer: Viewer, now: number): Omit<RoomView, 'game' | 'seats'> {
  const role = viewer.role;
  const side: Side | null = role === 'us' || role === 'china' ? role : null;
  const lead = leadIds(room).has(viewer.seatId);
  return {
    code: room.code,
    seq: room.seq,
    version: room.seq,
    phase: room.phase,
    // The engine moves to the next round as soon as one resolves; the summary still shows the resolved one.
    round: shownRound(room),
    paused: room.pausedRemaining !== null,
    deadline: room.deadline,
    remainingMs: room.deadline !== null ? Math.max(0, room.deadline - now) : room.pausedRemaining,
    settings: room.settings,
    forkOf: room.forkOf ?? null,
    you: { seatId: viewer.seatId, name: viewer.name, role, lead },
    draft: side ? room.drafts[side] : null,
    drafts: role === 'facilitator' || room.phase === 'ended' ? room.drafts : null,
    locked: { us: room.drafts.us.locked, china: room.drafts.china.locked },
    crisisAnswered: { us: room.crisisAnswers.us !== null, china: room.crisisAnswers.china !== null },
    yourCrisisAnswer: side ? room.crisisAnswers[side] : null,
    forecasts: visibleForecasts(room, role),
    logRounds: room.game.history.public.length,
  };
}

/**
 * What one seat may see of a room: the engine's `playerView` for its role (without the logs,
 * which travel as increments), its own team's draft and the room's clock. The other team's draft
 * and answers never enter a team's view.
 */
export function roomView(
  room: RoomState,
  viewer: Viewer,
  connected: ReadonlySet<string>,
  now: number,
): RoomView {
  return {
    ...viewHead(room, viewer, now),
    seats: seatList(room, connected),
    game: liveGame(room, viewer.role),
  };
}

/** Whether a role sees the truth now (and so both sides' logs and the metrics). */
export function seesTruth(room: RoomState, role: Viewer['role']): boolean {
  return role === 'facilitator' || room.phase === 'ended';
}

export function sideLogs(room: RoomState, from = 0): SideLogs {
  const h = room.game.history;
  return { us: h.us.slice(from), china: h.china.slice(from), metrics: h.metrics.slice(from) };
}

export function seatLog(room: RoomState, role: Viewer['role']): SeatSnapshot['log'] {
  return { ...playerView(room.game, role).log, sides: seesTruth(room, role) ? sideLogs(room) : null };
}

export function seatSnapshot(
  room: RoomState,
  viewer: Viewer,
  connected: ReadonlySet<string>,
  now: number,
): SeatSnapshot {
  return {
    view: roomView(room, viewer, connected, now),
    params: room.game.params,
    log: seatLog(room, viewer.role),
    chat: room.chat.filter((m) => canRead(room, viewer.role, m)).slice(-CHAT_IN_SNAPSHOT),
  };
}
