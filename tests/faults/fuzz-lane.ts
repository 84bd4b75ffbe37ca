import { io, type Socket } from 'socket.io-client';
import { ERROR_CODES } from '../../shared/protocol/errors.ts';
import {
  type CommandName,
  commandSchemas,
  type JoinResult,
  type ResumeResult,
} from '../../shared/protocol/events.ts';
import { fromSnapshot, withUpdate } from '../../shared/protocol/merge.ts';
import type { ClientView, GameUpdate, SeatSnapshot } from '../../shared/protocol/room.ts';
import { getEvent } from '../../shared/rules/events.ts';
import { Rng } from './fuzz-rng.ts';
import { nextSocketCase, type SocketCase } from './fuzz-socket-cases.ts';
import type { FuzzTally } from './fuzz-tally.ts';
import { fillRefs, type RefName, wireForm } from './fuzz-values.ts';

/**
 * The seats of a fuzzed game. Each bound lane has a seat of its own: the server's rate limit is
 * per seat, so two lanes sharing one would be throttled as a flood.
 */
export const SEAT_NAMES = [
  'fac',
  'usLead',
  'chinaLead',
  'usMember1',
  'chinaMember1',
  'observer1',
  'usMember2',
  'chinaMember2',
  'observer2',
] as const;
export type SeatName = (typeof SEAT_NAMES)[number];

/** A fuzzed game: its code and the tokens of its seats. Replaced by a new one when it ends. */
export interface GameSlot {
  code: string;
  tokens: Record<SeatName, string>;
  generation: number;
}

export interface LaneContext {
  url: string;
  slots: GameSlot[];
  tally: FuzzTally;
  /** Every token the fuzz games have handed out, so an accepted resume can be traced to its seat. */
  tokens: Map<string, Seat>;
  /** Accepted state-changing commands per game code since the last state check. */
  ledger: Map<string, string[]>;
  /** When a lane last flooded each seat (by token): the seat is cut off for a while, for every socket on it. */
  cutAt: Map<string, number>;
  ratePerSecond: number;
  ackTimeoutMs: number;
}

type Answer = { answer: unknown } | { disconnected: true } | { timeout: true };

/** Who a socket acts for: the game, the role and whether it leads its team. */
export interface Seat {
  token: string;
  code: string;
  role: string;
  lead: boolean;
}

/**
 * Why the seat may not do what the server just accepted, or null when it may: the protocol's
 * "who" column, checked for every accepted command (issue 5's authorisation rule, applied to
 * whatever the fuzzer's sockets happened to hold: their own seat, another game's token, none).
 */
export function forbiddenFor(
  event: string,
  payload: Record<string, unknown>,
  seat: Seat | null,
): string | null {
  if (event === 'game:join' || event === 'game:resume') return null;
  if (!seat) return 'no seat';
  const team = seat.role === 'us' || seat.role === 'china';
  if (event.startsWith('fac:'))
    return seat.role === 'facilitator' ? null : `${seat.role} is not the facilitator`;
  if (event === 'draft:set') return team ? null : `${seat.role} has no draft`;
  // Any member may take over while the lead is away (whether it was away is the server's to judge).
  if (event === 'team:takeLead') return team ? null : `${seat.role} is on no team`;
  if (event === 'draft:lock' || event === 'draft:unlock' || event === 'crisis:answer')
    return team && seat.lead ? null : `${seat.role}${seat.lead ? ' lead' : ''} is not a team lead`;
  if (event === 'chat:send') {
    const ch = String(payload.channel);
    if (seat.role === 'facilitator') return null;
    if (seat.role === 'observer') return 'an observer cannot write';
    return ch === 'public' || ch === 'bilateral' || ch === seat.role
      ? null
      : `${seat.role} cannot write on ${ch}`;
  }
  return `unknown command ${event}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isKnown = (event: string): event is CommandName => Object.hasOwn(commandSchemas, event);

/** Whether the server must refuse these arguments with bad-payload, judged by the same schemas. */
function invalidArgs(event: string, args: unknown[]): boolean {
  if (!isKnown(event) || args.length !== 1) return true;
  return !commandSchemas[event].safeParse(args[0]).success;
}

/**
 * A payload whose frame is `bytes` long on the wire: text frames are `42<ack id>` and the JSON of
 * `[event, payload]` (the engine.io `4` included), a binary attachment travels in a frame of its own.
 */
export function sizedPayload(bytes: number, shape: 'text' | 'orders' | 'binary'): [string, unknown] {
  if (shape === 'binary') return ['chat:send', { channel: 'us', text: Buffer.alloc(bytes, 120) }];
  const frame = (event: string, p: unknown) => JSON.stringify([event, p]).length + 4;
  if (shape === 'text') {
    const text = 'x'.repeat(bytes - frame('chat:send', { channel: 'us', text: '' }));
    return ['chat:send', { channel: 'us', text }];
  }
  const order = { move: 'safety-research', rationale: 'r'.repeat(200) };
  const each = JSON.stringify(order).length + 1;
  const orders = Array.from({ length: Math.floor((bytes - 60) / each) }, () => ({ ...order }));
  const rest =
    bytes -
    frame('draft:set', { baseVersion: 0, orders: [...orders, { move: 'safety-research', rationale: '' }] });
  orders.push({ move: 'safety-research', rationale: 'r'.repeat(Math.max(0, rest)) });
  return ['draft:set', { baseVersion: 0, orders }];
}

/**
 * One fuzzing socket. It sends its cases one after another (so each accepted command is known to
 * belong to the game its socket was bound to at that moment), paced below the server's rate limit
 * except when it floods on purpose, and reconnects whenever a case got it dropped.
 */
export class Lane {
  private socket: Socket | null = null;
  private view: ClientView | null = null;
  private binding: Seat | null = null;
  private generation = -1;
  private readonly accepted: { event: string; args: unknown[] }[] = [];
  private lastSent: { event: string; args: unknown[] } | null = null;
  private readonly rng: Rng;
  private tokens = 0;
  private last = performance.now();
  /** The case being sent, for the report if the server dies. */
  current = '';
  /** When the server last answered rate-limited, and until when the lane lets its bucket refill. */
  private limitedAt = 0;
  private coolUntil = 0;
  /** Cases left before a lane bound to another seat by a join or resume goes back to its own. */
  private away = 0;

  constructor(
    readonly index: number,
    seed: number,
    private readonly slotIndex: number,
    private readonly home: SeatName | 'none',
    private readonly ctx: LaneContext,
  ) {
    this.rng = new Rng(seed, `lane-${index}`);
  }

  private get slot(): GameSlot {
    return this.ctx.slots[this.slotIndex % this.ctx.slots.length] as GameSlot;
  }

  private get other(): GameSlot {
    return this.ctx.slots[(this.slotIndex + 1) % this.ctx.slots.length] as GameSlot;
  }

  async runBatch(n: number, stop: () => boolean): Promise<void> {
    for (let i = 0; i < n && !stop(); i++) {
      const c = nextSocketCase(this.rng);
      // Back to its own seat soon: sharing another lane's seat would share its rate limit too.
      if (this.away > 0 && --this.away === 0) await this.reconnect(null);
      await this.ready();
      await this.pace();
      this.current = JSON.stringify(c, (_k, v) =>
        typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v,
      );
      try {
        await this.exec(c);
      } catch (e) {
        // A failure of the fuzzer itself is reported, but the other lanes keep going.
        if (!stop())
          this.ctx.tally.problems.add('the fuzzer failed on a case', `${String(e)}: ${this.current}`);
      }
    }
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  /** A token bucket a little below the server's (10 a second, bursts of 30). */
  private async pace(): Promise<void> {
    const rate = this.ctx.ratePerSecond;
    const wait = this.coolUntil - Date.now();
    if (wait > 0) await sleep(wait);
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(rate * 2, this.tokens + ((now - this.last) / 1000) * rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(((1 - this.tokens) / rate) * 1000);
    }
  }

  private resolve(r: RefName): unknown {
    const v = this.view;
    const side = v?.you.role === 'china' ? 'china' : 'us';
    const choices = (s: 'us' | 'china') => {
      const id = v?.game.public.pendingCrisis?.eventId;
      return (id && getEvent(id)?.response?.choices[s][0].id) ?? 'hold';
    };
    switch (r) {
      case 'code':
        return this.slot.code;
      case 'code.lower':
        return this.slot.code.toLowerCase();
      case 'code.other':
        return this.other.code;
      case 'token.fac':
        return this.slot.tokens.fac;
      case 'token.usLead':
        return this.slot.tokens.usLead;
      case 'token.usMember':
        return this.slot.tokens.usMember1;
      case 'token.chinaLead':
        return this.slot.tokens.chinaLead;
      case 'token.chinaMember':
        return this.slot.tokens.chinaMember1;
      case 'token.observer':
        return this.slot.tokens.observer1;
      case 'token.otherGame':
        return this.other.tokens.usLead;
      case 'version':
        return v?.draft?.version ?? 0;
      case 'version.next':
        return (v?.draft?.version ?? 0) + 1;
      case 'choice':
        return choices(side);
      case 'choice.otherSide':
        return choices(side === 'us' ? 'china' : 'us');
      case 'seq':
        return v?.seq ?? 0;
    }
  }

  /** Connects (again) if needed and takes the lane's home seat. */
  private async ready(): Promise<void> {
    if (this.socket?.connected && this.generation === this.slot.generation) return;
    if (this.socket) await this.reconnect(null);
    // A seat cut off for flooding keeps its drained bucket: reconnecting at once would be cut again.
    const wait = this.coolUntil - Date.now();
    if (wait > 0) await sleep(wait);
    const s = io(this.ctx.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    s.on('game:update', (u: GameUpdate) => {
      this.view = withUpdate(this.view, u);
    });
    s.on('game:snapshot', (snap: SeatSnapshot) => {
      this.view = fromSnapshot(snap);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`lane ${this.index}: no connection within 15 s`)),
        15_000,
      );
      s.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      s.once('connect_error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    this.socket = s;
    this.binding = null;
    this.view = null;
    this.generation = this.slot.generation;
    // A new socket has a full bucket on the server; leave room for the resume below.
    this.tokens = this.ctx.ratePerSecond * 2 - 1;
    this.last = performance.now();
    if (this.home === 'none') return;
    const token = this.slot.tokens[this.home];
    type Resumed = { ok?: boolean; code?: string; data?: ResumeResult } | null;
    let r: Answer = { timeout: true };
    let a = null as Resumed;
    // A seat cut off for flooding may not resume for a few seconds (answered rate-limited).
    for (let tries = 0; tries < 20; tries++) {
      r = await this.emitAck('game:resume', [{ token }]);
      a = 'answer' in r ? (r.answer as Resumed) : null;
      if (a?.code !== 'rate-limited') break;
      await sleep(1000);
    }
    if (a?.ok && a.data) {
      this.binding = this.ctx.tokens.get(token) ?? null;
      if (a.data.snapshot) this.view = fromSnapshot(a.data.snapshot);
    } else
      this.ctx.tally.problems.add('a lane could not take its seat', `${this.home}: ${JSON.stringify(r)}`);
  }

  private async reconnect(reason: 'oversize' | 'flood' | 'raw' | null): Promise<void> {
    const s = this.socket;
    this.socket = null;
    s?.removeAllListeners();
    s?.disconnect();
    if (reason) this.ctx.tally.reconnects++;
    this.binding = null;
    this.view = null;
  }

  private emitAck(
    event: string,
    args: unknown[],
    timeoutMs = this.ctx.ackTimeoutMs,
    s = this.socket,
  ): Promise<Answer> {
    if (!s?.connected) return Promise.resolve({ disconnected: true });
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: Answer) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        s.off('disconnect', onDisconnect);
        resolve(r);
      };
      const onDisconnect = () => finish({ disconnected: true });
      const timer = setTimeout(() => finish({ timeout: true }), timeoutMs);
      s.on('disconnect', onDisconnect);
      try {
        s.emit(event, ...args, (answer: unknown) => finish({ answer }));
      } catch (e) {
        // socket.io-client refuses some names itself; nothing was sent.
        finish({ answer: { clientRefused: String(e) } });
      }
    });
  }

  private async exec(c: SocketCase): Promise<void> {
    const t = this.ctx.tally;
    t.count(c.label);
    switch (c.kind) {
      case 'command': {
        const args = c.args.map((a) => wireForm(fillRefs(a, (r) => this.resolve(r))));
        this.lastSent = { event: c.event, args };
        if (!c.ack) {
          this.socket?.emit(c.event, ...args);
          t.socketPayloads++;
          return;
        }
        return this.acked(c.event, args, c.label);
      }
      case 'replay': {
        const old = this.accepted[this.accepted.length - c.back] ?? this.lastSent;
        if (old) await this.acked(old.event, old.args, 'replay');
        return;
      }
      case 'raw':
        return this.raw(c.frame, c.level, c.label);
      case 'oversize':
        return this.oversize(c.bytes, c.over, c.shape);
      case 'flood':
        return this.flood(c.count);
    }
  }

  private async acked(event: string, args: unknown[], label: string): Promise<void> {
    const t = this.ctx.tally;
    const bad = invalidArgs(event, args);
    const r = await this.emitAck(event, args);
    t.socketPayloads++;
    if ('disconnected' in r) {
      // Cut off after being throttled is the documented answer to a flood (here: another lane
      // sharing the seat for a moment); anything else is not.
      const cut = Date.now() - (this.ctx.cutAt.get(this.binding?.token ?? '') ?? 0) < 10_000;
      if (cut || Date.now() - this.limitedAt < 10_000) {
        t.disconnects.flood++;
        this.coolUntil = Date.now() + 5500;
      } else {
        t.disconnects.unexpected++;
        t.problems.add(`socket dropped after a ${label} ${event}`, this.current);
      }
      return;
    }
    if ('timeout' in r) {
      t.unanswered++;
      t.problems.add(`no answer to a ${label} command`, `${event}: ${this.current}`);
      return;
    }
    this.judge(event, args, r.answer, bad, label);
  }

  /** Checks one answer against the protocol and, when it accepted the command, books it. */
  private judge(event: string, args: unknown[], answer: unknown, bad: boolean, label: string): void {
    const t = this.ctx.tally;
    const a = answer as {
      ok?: unknown;
      code?: unknown;
      message?: unknown;
      data?: unknown;
      clientRefused?: string;
    };
    if (a?.clientRefused) {
      t.count('refused by socket.io-client');
      return;
    }
    if (isKnown(event)) t.eventsAnswered.add(event);
    if (a?.ok === true) {
      t.ack('ok');
      if (bad) t.problems.add(`accepted a ${label} payload its schema refuses`, `${event}: ${this.current}`);
      this.book(event, args, a.data);
      return;
    }
    const code = String(a?.code);
    t.ack(code);
    if (code === 'rate-limited') {
      this.limitedAt = Date.now();
      this.coolUntil = Date.now() + 1000;
    }
    const documented =
      a?.ok === false &&
      (ERROR_CODES as readonly string[]).includes(code) &&
      typeof a.message === 'string' &&
      a.message.length > 0;
    if (!documented) {
      t.undocumentedAnswers++;
      t.problems.add('an answer outside the protocol', `${event}: ${JSON.stringify(answer)?.slice(0, 200)}`);
      return;
    }
    if (code === 'internal') {
      t.internalErrors++;
      t.problems.add(`"internal" answer to a ${label} ${event}`, this.current);
    } else if (bad && code !== 'bad-payload' && code !== 'rate-limited') {
      t.problems.add(
        `${code} (not bad-payload) for a payload its schema refuses`,
        `${event}: ${this.current}`,
      );
    }
  }

  /** An accepted command: which game it changed, and the seat a join or resume bound the socket to. */
  private book(event: string, args: unknown[], data: unknown): void {
    const payload = args[0] as Record<string, unknown>;
    const why = forbiddenFor(event, payload, this.binding);
    if (why) {
      this.ctx.tally.forbiddenAccepted++;
      this.ctx.tally.problems.add(`a forbidden ${event} was accepted (${why})`, this.current);
    }
    if (event === 'game:join') {
      const code = String(payload.code).toUpperCase();
      const d = data as JoinResult;
      const seat = { token: d.token, code, role: d.role, lead: d.snapshot.view.you.lead };
      this.ctx.tokens.set(d.token, seat);
      this.binding = seat;
      this.view = fromSnapshot(d.snapshot);
      if (this.home !== 'none') this.away = 3;
    } else if (event === 'team:takeLead' && this.binding) {
      // The lead changes hands: its old holder had no socket connected, so no command of its is in flight.
      const taker = this.binding;
      for (const s of this.ctx.tokens.values())
        if (s.code === taker.code && s.role === taker.role) s.lead = false;
      taker.lead = true;
    } else if (event === 'game:resume') {
      const hit = this.ctx.tokens.get(String(payload.token));
      if (!hit) this.ctx.tally.problems.add('a resume with an unknown token was accepted', this.current);
      const d = data as ResumeResult;
      if (hit?.code !== this.binding?.code) this.view = null;
      this.binding = hit ?? null;
      if (d.snapshot) this.view = fromSnapshot(d.snapshot);
      if (payload.token !== this.slot.tokens[this.home as SeatName]) this.away = 3;
    }
    if (event !== 'game:resume') {
      const code = this.binding?.code;
      if (!code)
        this.ctx.tally.problems.add('a command was accepted from a socket without a seat', this.current);
      else {
        const list = this.ctx.ledger.get(code) ?? [];
        list.push(event);
        this.ctx.ledger.set(code, list);
      }
    }
    this.accepted.push({ event, args });
    if (this.accepted.length > 5) this.accepted.shift();
  }

  /** A malformed frame, then a probe to see whether the server kept the connection; then a fresh socket. */
  private async raw(frame: string, level: 'engine' | 'socket.io', label: string): Promise<void> {
    const t = this.ctx.tally;
    const engine = this.socket?.io.engine as unknown as {
      send(m: string): void;
      transport: { ws?: { send(m: string): void } };
    };
    if (level === 'engine') engine.transport.ws?.send(frame);
    else engine.send(frame);
    t.socketPayloads++;
    const r = await this.emitAck('chat:send', [42], 3000);
    if ('disconnected' in r) {
      t.rawClosed++;
      t.disconnects.raw++;
    } else if ('answer' in r) {
      t.rawAnswered++;
      this.judge('chat:send', [42], r.answer, true, `probe after ${label}`);
    } else t.count(`raw ${label}: probe unanswered`);
    await this.reconnect('raw');
  }

  private async oversize(bytes: number, over: boolean, shape: 'text' | 'orders' | 'binary'): Promise<void> {
    const t = this.ctx.tally;
    const [event, payload] = sizedPayload(bytes, shape);
    const r = await this.emitAck(event, [payload], 8000);
    t.socketPayloads++;
    if (over) {
      if ('disconnected' in r) t.disconnects.oversize++;
      else
        t.problems.add(
          `a ${bytes}-byte ${shape} frame did not get the socket dropped`,
          JSON.stringify(r).slice(0, 200),
        );
      await this.reconnect('oversize');
    } else if ('answer' in r) this.judge(event, [payload], r.answer, true, `${bytes}-byte ${shape}`);
    else
      t.problems.add(`a ${bytes}-byte ${shape} frame (under the limit) was not answered`, JSON.stringify(r));
  }

  /** Many invalid commands at once, unpaced: the server must throttle and then drop the socket. */
  private async flood(count: number): Promise<void> {
    const t = this.ctx.tally;
    // Flood only its own seat: a borrowed one would be cut off under the lane that owns it.
    if (this.away > 0) {
      this.away = 0;
      await this.reconnect(null);
      await this.ready();
    }
    // The facilitator's seat floods from a socket of its own, unbound: cutting the facilitator's
    // seat off would stall the state checks, which read the games through it.
    let s = this.socket;
    if (this.home === 'fac') {
      const own = io(this.ctx.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve) => {
        own.once('connect', () => resolve());
        own.once('connect_error', () => resolve());
      });
      s = own;
    } else if (this.binding) this.ctx.cutAt.set(this.binding.token, Date.now());
    const answers = await Promise.all(
      Array.from({ length: count }, () => this.emitAck('chat:send', [7], 5000, s)),
    );
    if (s !== this.socket) s?.disconnect();
    t.socketPayloads += count;
    let dropped = false;
    for (const r of answers) {
      if ('answer' in r) this.judge('chat:send', [7], r.answer, true, 'flood');
      else if ('disconnected' in r) dropped = true;
    }
    if (dropped) t.disconnects.flood++;
    else t.problems.add('a flooding socket was not disconnected', `${count} commands at once`);
    if (s === this.socket) {
      this.coolUntil = Date.now() + 5500;
      await this.reconnect('flood');
    }
  }
}
