import type { LogUpdate } from '../shared/protocol/room.ts';
import { objectJson, withMember } from './encoded-json.ts';
import type { Binding } from './registry.ts';
import type { RoomState } from './room/state.ts';
import { CHAT_IN_SNAPSHOT, liveGame, seatList, seatLog, seesTruth, sideLogs, viewHead } from './room/view.ts';

/*
 * What a broadcast sends, serialised once for every socket that receives the same thing; the
 * socket hub (sockets.ts) adds what differs per socket and sends it as `EncodedJson`.
 */

/**
 * One role's view and log entries in one broadcast, serialised at most once, the view without
 * `you`, which each socket adds for itself: a team of fourteen costs one serialisation, not fourteen.
 */
export class RoleView {
  private head: string | null = null;
  private game: string | null = null;
  private hash: number | null = null;
  private seats: string | null = null;
  private own: string | null = null;
  private readonly logs = new Map<number, string>();

  constructor(
    private readonly s: RoomState,
    private readonly viewer: Binding,
    private readonly connected: ReadonlySet<string>,
    private readonly now: number,
    readonly key: string,
  ) {}

  /**
   * The view without `you`, as a `ViewUpdate`: `game` and `seats` only when asked for, because
   * the socket's last view had different ones (they are most of a view's bytes and change least).
   * Each part is built and serialised only if some socket of this role needs it.
   */
  viewJson(withGame = true, withSeats = true): string {
    if (this.head === null) {
      const { you: _eachSocketOwn, ...head } = viewHead(this.s, this.viewer, this.now);
      this.head = JSON.stringify(head);
    }
    let json = this.head;
    if (withSeats) {
      this.seats ??= JSON.stringify(seatList(this.s, this.connected));
      json = withMember(json, 'seats', this.seats);
    }
    if (withGame) json = withMember(json, 'game', this.gameJson());
    return json;
  }

  /** The role's game (`liveGame`), serialised once per broadcast. */
  gameJson(): string {
    this.game ??= JSON.stringify(liveGame(this.s, this.viewer.role));
    return this.game;
  }

  /** A fingerprint of the role's game, for telling whether a socket already holds it. */
  gameHash(): number {
    this.hash ??= textHash(this.gameJson());
    return this.hash;
  }

  /** The log entries from `from` on, as a `LogUpdate`: seats of one role usually share `from`. */
  logJson(from: number): string {
    let json = this.logs.get(from);
    if (json === undefined) {
      const s = this.s;
      const role = this.viewer.role;
      const own = seatLog(s, role).own;
      const update: LogUpdate = {
        from,
        public: s.game.history.public.slice(from),
        own: own ? own.slice(from) : null,
      };
      if (seesTruth(s, role)) update.sides = sideLogs(s, from);
      json = JSON.stringify(update);
      this.logs.set(from, json);
    }
    return json;
  }

  /** The role's own log (a side's), or null. */
  ownLogJson(): string {
    this.own ??= JSON.stringify(seatLog(this.s, this.viewer.role).own);
    return this.own;
  }
}

/**
 * A 53-bit fingerprint of a text (cyrb53): a socket keeps this instead of the game it was last
 * sent, since 2,000 sockets each holding a few kilobytes of JSON cost the server about 40 MB of
 * memory. Two different games share a fingerprint about once in 2^53 comparisons.
 */
export function textHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** What every seat receives alike when a game ends, when everyone may read everything. */
export interface EndParts {
  params: string;
  publicLog: string;
  sides: string;
  chat: string;
}

export function endParts(s: RoomState): EndParts {
  // After the end `canRead` passes every message and `seesTruth` every role: one copy serves all.
  return {
    params: JSON.stringify(s.game.params),
    publicLog: JSON.stringify(s.game.history.public),
    sides: JSON.stringify(sideLogs(s)),
    chat: JSON.stringify(s.chat.slice(-CHAT_IN_SNAPSHOT)),
  };
}

/** The same `SeatSnapshot` as `seatSnapshot()` builds for this seat, from parts serialised once. */
export function endSnapshotJson(e: EndParts, role: RoleView, you: string): string {
  return objectJson([
    ['view', withMember(role.viewJson(), 'you', you)],
    ['params', e.params],
    [
      'log',
      objectJson([
        ['public', e.publicLog],
        ['own', role.ownLogJson()],
        ['sides', e.sides],
      ]),
    ],
    ['chat', e.chat],
  ]);
}
