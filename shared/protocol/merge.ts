import type { ChatMessage, ClientView, GameUpdate, LogUpdate, SeatSnapshot, ViewUpdate } from './room.ts';

/**
 * How a client keeps its picture of the game from what the server sends: a snapshot, then views,
 * log increments and chat messages. Pure functions, shared by the browser client, bots and tests.
 */
export const CHAT_KEPT_BY_CLIENT = 300;

export function fromSnapshot(s: SeatSnapshot): ClientView {
  const g = s.view.game;
  const { sides, ...log } = s.log;
  const truth = g.truth
    ? {
        ...g.truth,
        params: s.params,
        history: {
          public: [...log.public],
          us: sides?.us ?? [],
          china: sides?.china ?? [],
          metrics: sides?.metrics ?? [],
        },
      }
    : null;
  return { ...s.view, chat: s.chat, game: { ...g, public: { ...g.public, params: s.params }, log, truth } };
}

/**
 * A newer view replaces the state; the parameters, logs and chat the client holds carry over, and
 * so do its game and seats when the view leaves them out (they have not changed).
 */
export function withView(cv: ClientView | null, v: ViewUpdate): ClientView | null {
  if (!cv) return null;
  if (v.seq < cv.seq) return cv;
  if (v.game === undefined) return { ...cv, ...v, seats: v.seats ?? cv.seats, chat: cv.chat, game: cv.game };
  const params = cv.game.public.params;
  const history = cv.game.truth?.history ?? {
    public: [...cv.game.log.public],
    us: [],
    china: [],
    metrics: [],
  };
  return {
    ...v,
    seats: v.seats ?? cv.seats,
    chat: cv.chat,
    game: {
      ...v.game,
      public: { ...v.game.public, params },
      log: cv.game.log,
      truth: v.game.truth ? { ...v.game.truth, params, history } : null,
    },
  };
}

export function withLog(cv: ClientView | null, u: LogUpdate): ClientView | null {
  if (!cv) return null;
  const cut = <T>(old: readonly T[], added: readonly T[]) => [...old.slice(0, u.from), ...added];
  const log = {
    public: cut(cv.game.log.public, u.public),
    own: u.own === null ? cv.game.log.own : cut(cv.game.log.own ?? [], u.own),
  };
  const t = cv.game.truth;
  const truth =
    t && u.sides
      ? {
          ...t,
          history: {
            public: log.public,
            us: cut(t.history.us, u.sides.us),
            china: cut(t.history.china, u.sides.china),
            metrics: cut(t.history.metrics, u.sides.metrics),
          },
        }
      : t;
  return { ...cv, game: { ...cv.game, log, truth } };
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
