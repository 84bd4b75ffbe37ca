import type { ChatMessage, ClientView } from '../../../shared/protocol/room.ts';

/**
 * The White Cell's latest word to a player, shown above the board: a broadcast only lands in the
 * public chat, below the orders on a player's screen and behind another tab, where it is easily
 * missed in a live exercise. Only what arrived after `sinceSeq` counts (not the history a seat
 * reconnects to), and never for the facilitator, who wrote it.
 */
export function whiteCellNotice(v: ClientView, sinceSeq: number): ChatMessage | null {
  if (v.you.role === 'facilitator') return null;
  for (let i = v.chat.length - 1; i >= 0; i--) {
    const m = v.chat[i] as ChatMessage;
    if (m.seq <= sinceSeq) return null;
    if (m.role === 'system' || m.role === 'facilitator') return m;
  }
  return null;
}

/** The newest chat sequence number the view holds (0 with no chat). */
export function lastChatSeq(v: ClientView): number {
  return v.chat[v.chat.length - 1]?.seq ?? 0;
}
