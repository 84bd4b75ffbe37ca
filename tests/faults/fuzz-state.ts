import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import type { RoomCommand } from '../../server/room/commands.ts';
import { applyCommand, createRoom } from '../../server/room/reduce.ts';
import type { RoomState } from '../../server/room/state.ts';
import { seatSnapshot } from '../../server/room/view.ts';
import type { Ack } from '../../shared/protocol/errors.ts';
import type { ResumeResult } from '../../shared/protocol/events.ts';
import type { FuzzTally } from './fuzz-tally.ts';

/** The log entry each accepted socket command leaves; a chat from the facilitator is logged as fac.chat. */
const EVENT_OF: Record<string, string> = {
  join: 'game:join',
  'draft.set': 'draft:set',
  'draft.lock': 'draft:lock',
  'draft.unlock': 'draft:unlock',
  chat: 'chat:send',
  'fac.chat': 'chat:send',
  'crisis.answer': 'crisis:answer',
  'lead.take': 'team:takeLead',
  'fac.start': 'fac:start',
  'fac.pause': 'fac:pause',
  'fac.resume': 'fac:resume',
  'fac.advance': 'fac:advance',
  'fac.end': 'fac:end',
  'fac.extend': 'fac:extend',
  'fac.broadcast': 'fac:broadcast',
  'fac.setBot': 'fac:setBot',
  'fac.setLead': 'fac:setLead',
  'fac.removeSeat': 'fac:removeSeat',
  'fac.inject': 'fac:inject',
  'fac.adjust': 'fac:adjust',
};

const FACILITATOR = { seatId: 'facilitator', name: 'Facilitator', role: 'facilitator' as const };

/** JSON with sorted keys, so two equal values print the same whatever the order of their fields. */
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, (x as Record<string, unknown>)[k]]),
        )
      : x,
  );
}

/** What of a facilitator's snapshot depends on the game alone: not on who is connected, nor on the clock. */
function comparable(snapshot: unknown): unknown {
  const s = JSON.parse(JSON.stringify(snapshot)) as {
    view: Record<string, unknown> & { seats: { connected?: boolean }[] };
  };
  delete s.view.remainingMs;
  for (const seat of s.view.seats) delete seat.connected;
  return s;
}

function firstDiff(a: unknown, b: unknown, path = ''): string {
  if (stable(a) === stable(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
  }
  return `${path || '(root)'}: ${stable(a)?.slice(0, 120)} ≠ ${stable(b)?.slice(0, 120)}`;
}

interface Tracked {
  code: string;
  roomId: string;
  facToken: string;
  state: RoomState;
  monitor: Socket | null;
}

/**
 * Proves that the fuzzed games changed only by the commands the server acknowledged: after each
 * batch, the commands the server logged in SQLite for a game must be exactly the accepted ones
 * (same number, same kinds), and the facilitator's live snapshot must equal the one rebuilt by
 * replaying the logged commands through the room reducer, so nothing changed in memory either.
 */
export class StateChecker {
  private readonly db: Database.Database;
  private readonly games = new Map<string, Tracked>();
  checks = 0;
  stateChangesOnInvalid = 0;
  readonly phasesSeen = new Set<string>();

  constructor(
    dbPath: string,
    private readonly url: string,
    private readonly tally: FuzzTally,
  ) {
    this.db = new Database(dbPath, { readonly: true, fileMustExist: true });
  }

  private rows(roomId: string, after: number): { seq: number; cmd: RoomCommand }[] {
    return (
      this.db
        .prepare('SELECT seq, body FROM commands WHERE room_id = ? AND seq > ? ORDER BY seq')
        .all(roomId, after) as { seq: number; body: string }[]
    ).map((r) => ({ seq: r.seq, cmd: JSON.parse(r.body) as RoomCommand }));
  }

  /** Starts following a game, from its log as it stands. */
  track(code: string, facToken: string): void {
    const row = this.db.prepare('SELECT id FROM rooms WHERE code = ?').get(code) as
      | { id: string }
      | undefined;
    if (!row) throw new Error(`game ${code} is not in the database`);
    let state: RoomState | null = null;
    for (const { cmd } of this.rows(row.id, 0))
      state = cmd.type === 'create' ? createRoom(cmd) : applyCommand(state as RoomState, cmd);
    if (!state) throw new Error(`game ${code} has no log`);
    this.games.set(code, { code, roomId: row.id, facToken, state, monitor: null });
  }

  private async liveSnapshot(g: Tracked): Promise<unknown> {
    let last: unknown = null;
    // The monitor shares the facilitator's seat, and so its rate limit, with the facilitator's
    // lane: after that lane floods, the seat is throttled (or its sockets cut) for a few seconds.
    for (let tries = 0; tries < 20; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 1000));
      try {
        if (!g.monitor?.connected) {
          g.monitor?.disconnect();
          const m = io(this.url, { transports: ['websocket'], forceNew: true, reconnection: false });
          g.monitor = m;
          await new Promise<void>((resolve, reject) => {
            m.once('connect', () => resolve());
            m.once('connect_error', reject);
          });
        }
        const a = (await g.monitor
          .timeout(5000)
          .emitWithAck('game:resume', { token: g.facToken })) as Ack<ResumeResult>;
        if (a.ok && a.data.snapshot) return a.data.snapshot;
        last = a;
        if (a.ok || a.code !== 'rate-limited') break;
      } catch (e) {
        last = String(e);
      }
    }
    throw new Error(`the facilitator's resume failed: ${JSON.stringify(last)}`);
  }

  /** Checks every followed game against the commands booked since the last check, then forgets them. */
  async check(ledger: Map<string, string[]>): Promise<void> {
    this.checks++;
    const p = this.tally.problems;
    for (const g of this.games.values()) {
      const booked = ledger.get(g.code) ?? [];
      ledger.delete(g.code);
      const rows = this.rows(g.roomId, g.state.seq);
      const logged = rows.map((r) => EVENT_OF[r.cmd.type] ?? r.cmd.type);
      if (rows.some((r, i) => r.seq !== g.state.seq + i + 1))
        p.add('a gap in a game log', `${g.code}: ${rows.map((r) => r.seq).join(',')}`);
      const left = [...booked];
      const extra: string[] = [];
      for (const e of logged) {
        const i = left.indexOf(e);
        if (i >= 0) left.splice(i, 1);
        else extra.push(e);
      }
      if (extra.length) {
        this.stateChangesOnInvalid += extra.length;
        p.add(
          'a game changed without an accepted command',
          `${g.code}: logged ${extra.join(', ')} beyond ${booked.join(', ')}`,
        );
      }
      if (left.length)
        p.add('an acknowledged command is missing from the log', `${g.code}: ${left.join(', ')}`);
      try {
        for (const r of rows) g.state = applyCommand(g.state, r.cmd);
      } catch (e) {
        p.add('a logged command does not replay', `${g.code}: ${String(e)}`);
        continue;
      }
      this.phasesSeen.add(g.state.phase);
      const expected = comparable(seatSnapshot(g.state, FACILITATOR, new Set(), Date.now()));
      const live = comparable(await this.liveSnapshot(g));
      if (stable(expected) !== stable(live)) {
        // An invalid command that changed the room in memory without logging anything shows up here.
        if (extra.length === 0) this.stateChangesOnInvalid++;
        p.add('a live game differs from the replay of its log', `${g.code} ${firstDiff(expected, live)}`);
        // Follow the live game from here on, so one divergence is reported once.
        this.untrack(g.code);
      }
    }
  }

  phaseOf(code: string): string | undefined {
    return this.games.get(code)?.state.phase;
  }

  untrack(code: string): void {
    this.games.get(code)?.monitor?.disconnect();
    this.games.delete(code);
  }

  close(): void {
    for (const g of this.games.values()) g.monitor?.disconnect();
    this.db.close();
  }
}

/** After the server has stopped: the database's own check and how many games it holds. */
export function finalDatabaseCheck(dbPath: string): { integrity: string; rooms: number } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const rooms = (db.prepare('SELECT COUNT(*) AS n FROM rooms').get() as { n: number }).n;
    return { integrity, rooms };
  } finally {
    db.close();
  }
}
