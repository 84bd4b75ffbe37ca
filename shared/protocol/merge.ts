import type { ChatMessage, ClientView, GameUpdate, LogUpdate, RoomView, SeatSnapshot } from './room.ts';

/**
 * How a client keeps its picture of the game from what the server sends: a snapshot, then views,
 * log increments and chat messages. Pure functions, shared by the browser client, bots and tests.
 */
export const CHAT_KEPT_BY_CLIENT = 300;

export function fromSnapshot(s: SeatSnapshot): ClientView {
  return {
    ...s.view,
    chat: s.chat,
    game: { ...s.view.game, public: { ...s.view.game.public, params: s.params }, log: s.log },
  };
}

/** A newer view replaces the state; the log and chat the client already holds carry over. */
export function withView(cv: ClientView | null, v: RoomView): ClientView | null {
  if (!cv) return null;
  if (v.seq < cv.seq) return cv;
  return {
    ...v,
    chat: cv.chat,
    game: { ...v.game, public: { ...v.game.public, params: cv.game.public.params }, log: cv.game.log },
  };
}

export function withLog(cv: ClientView | null, u: LogUpdate): ClientView | null {
  if (!cv) return null;
  const log = cv.game.log;
  return {
    ...cv,
    game: {
      ...cv.game,
      log: {
        public: [...log.public.slice(0, u.from), ...u.public],
        own: u.own === null ? log.own : [...(log.own ?? []).slice(0, u.from), ...u.own],
      },
    },
  };
}

export function withChat(cv: ClientView | null, m: ChatMessage): ClientView | null {
  if (!cv || cv.chat.some((x) => x.seq === m.seq)) return cv;
  const chat = [...cv.chat, m];
  // A message carries the room's sequence number, so the client's picture is at least that recent.
  return {
    ...cv,
    seq: Math.max(cv.seq, m.seq),
    chat: chat.length > CHAT_KEPT_BY_CLIENT ? chat.slice(-CHAT_KEPT_BY_CLIENT) : chat,
  };
}

/** One pushed update: its log entries and chat first, then its view (which may refer to them). */
export function withUpdate(cv: ClientView | null, u: GameUpdate): ClientView | null {
  let next = cv;
  if (u.log) next = withLog(next, u.log);
  for (const m of u.chat ?? []) next = withChat(next, m);
  if (u.view) next = withView(next, u.view);
  return next;
}
