import type { RoomView, SeatInfo } from '../../shared/protocol/room.ts';
import type { Side } from '../../shared/rules/ids.ts';
import { playerView } from '../../shared/rules/view.ts';
import { canUseChannel, leadOf } from './reduce.ts';
import type { RoomState } from './state.ts';

/** Chat messages sent with each view; older ones stay in the room and the export. */
export const CHAT_IN_VIEW = 100;

export interface Viewer {
  seatId: string;
  name: string;
  role: RoomView['you']['role'];
}

/**
 * What one seat may see of a room: the engine's `playerView` for its role, its own team's draft,
 * the chat of the channels it can read, and the room's clock. The other team's draft and answers
 * never enter a team's view; observers read no chat but public until the end.
 */
export function roomView(
  room: RoomState,
  viewer: Viewer,
  connected: ReadonlySet<string>,
  now: number,
): RoomView {
  const role = viewer.role;
  const ended = room.phase === 'ended';
  const side: Side | null = role === 'us' || role === 'china' ? role : null;
  const leads = new Set([leadOf(room, 'us')?.id, leadOf(room, 'china')?.id]);
  const seats: SeatInfo[] = room.seats.map((s) => ({
    id: s.id,
    name: s.name,
    role: s.role,
    lead: leads.has(s.id),
    connected: connected.has(s.id),
  }));
  const readable = (channel: (typeof room.chat)[number]['channel']) =>
    ended ||
    role === 'facilitator' ||
    (role === 'observer' ? channel === 'public' : canUseChannel(role, channel));
  const chat = room.chat.filter((m) => readable(m.channel)).slice(-CHAT_IN_VIEW);
  return {
    code: room.code,
    seq: room.seq,
    version: room.seq,
    phase: room.phase,
    // The engine moves to the next round as soon as one resolves; the summary still shows the resolved one.
    round: room.phase === 'summary' ? room.game.round - 1 : room.game.round,
    paused: room.pausedRemaining !== null,
    deadline: room.deadline,
    remainingMs: room.deadline !== null ? Math.max(0, room.deadline - now) : room.pausedRemaining,
    settings: room.settings,
    you: { seatId: viewer.seatId, name: viewer.name, role, lead: leads.has(viewer.seatId) },
    seats,
    draft: side ? room.drafts[side] : null,
    drafts: role === 'facilitator' || ended ? room.drafts : null,
    locked: { us: room.drafts.us.locked, china: room.drafts.china.locked },
    crisisAnswered: { us: room.crisisAnswers.us !== null, china: room.crisisAnswers.china !== null },
    yourCrisisAnswer: side ? room.crisisAnswers[side] : null,
    chat,
    game: playerView(room.game, role),
  };
}
