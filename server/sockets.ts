import type { Server, Socket } from 'socket.io';
import { type Ack, CommandError } from '../shared/protocol/errors.ts';
import {
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  commandSchemas,
  type ServerToClientEvents,
} from '../shared/protocol/events.ts';
import type { ChatMessage, SeatSnapshot } from '../shared/protocol/room.ts';
import type { RoundLog } from '../shared/rules/state.ts';
import type { Clock } from './clock.ts';
import { EncodedJson, objectJson, withMember } from './encoded-json.ts';
import { RateLimiter } from './rate-limit.ts';
import { type Binding, FACILITATOR_SEAT, type Registry } from './registry.ts';
import { leadOf } from './room/reduce.ts';
import type { CommandInput, Room } from './room/room.ts';
import type { RoomState } from './room/state.ts';
import { canRead, leadIds, seatSnapshot } from './room/view.ts';
import { type EndParts, endParts, endSnapshotJson, RoleView, textHash } from './view-json.ts';

type IO = Server<ClientToServerEvents, ServerToClientEvents>;
/** What a socket has already been sent, so each push carries only what changed for it. */
interface Sent {
  viewKey: string;
  /** The game and the seat list of the socket's last view: a view leaves them out while they hold. */
  game: object;
  /**
   * A fingerprint of the role's game as the socket holds it (null when unknown): a new game
   * object whose part this role sees is the same (a facilitator's injection, a change of the
   * other side's hidden values) is not news, and sending it would tell a team that something
   * happened.
   */
  gameHash: number | null;
  seatsKey: string;
  log: readonly RoundLog[];
  chatSeq: number;
  ended: boolean;
}

type Sock = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { binding?: Binding; sent?: Sent }
>;

/** 10 commands a second, bursts of 30 (docs/PROTOCOL.md, `rate-limited`). */
const newLimiter = (clock: Clock) => new RateLimiter(10, 30, () => clock.now());
/** How long a seat cut off for flooding must wait before it may resume. */
const CUT_COOLDOWN_MS = 5_000;
const seatKey = (b: Binding) => `${b.room.state.code}/${b.seatId}`;
/** How long seat arrivals and departures are gathered before the room's sockets see them. */
export const PRESENCE_GATHER_MS = 50;

const ids = new WeakMap<object, number>();
let nextId = 1;
/** A number per object: the room's parts are replaced, never changed in place, when they change. */
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

/**
 * A stamp of everything a role's view is made of (see `roomView`) but its game, cheap to compute:
 * when it is unchanged, and so is the role's game (compared by content, in `broadcast`), so is the
 * view but for its sequence number and countdown, and nothing is sent. `you` changes only with
 * the leads, which are in the seat-list stamp `seatsKey`.
 */
function viewStamp(s: RoomState, role: Binding['role'], seatsKey: string): string {
  const side = role === 'us' || role === 'china' ? role : null;
  const d = side ? s.drafts[side] : null;
  const all = role === 'facilitator' || s.phase === 'ended';
  return [
    s.phase,
    s.deadline,
    // The time left while paused, not only whether: fac:extend changes it and nothing else.
    s.pausedRemaining,
    idOf(s.settings),
    seatsKey,
    d ? `${d.version}:${d.locked}` : '-',
    all ? `${s.drafts.us.version}:${s.drafts.china.version}` : '-',
    s.drafts.us.locked,
    s.drafts.china.locked,
    s.crisisAnswers.us !== null,
    s.crisisAnswers.china !== null,
    side ? s.crisisAnswers[side] : '-',
    s.forecasts?.length ?? 0,
  ].join('|');
}

/** A set of seat ids as one text, the same whatever the order they were added in. */
function keyOf(ids: ReadonlySet<string>): string {
  return [...ids].sort().join(',');
}

/** A stamp of a view's seat list: who is seated, who leads (part of every `you`) and who is connected. */
function seatsStamp(s: RoomState, connected: ReadonlySet<string>, leads: ReadonlySet<string>): string {
  return `${idOf(s.seats)}|${keyOf(leads)}|${keyOf(connected)}`;
}

/** Whether a binding's seat is still in the room (the facilitator's always is; a removed seat is not). */
function seated(s: RoomState, b: Binding): boolean {
  return b.role === 'facilitator' || s.seats.some((x) => x.id === b.seatId);
}

/** Sends a payload serialised in advance; the JSON-only encoder copies it into the packet. */
function emitEncoded(socket: Sock, event: 'game:update' | 'game:snapshot', json: string): void {
  // The typed emit wants the object; the wire carries the same JSON either way.
  (socket.emit as (ev: string, payload: EncodedJson) => boolean)(event, new EncodedJson(json));
}

export interface SocketDeps {
  registry: Registry;
  clock: Clock;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * The socket boundary: payloads are checked against their schema, the seat comes from the
 * socket's token binding (never from the payload), the command goes to its room, and every
 * socket of the room then receives its own view. Only known error codes reach a client.
 */
export class SocketHub {
  private readonly byRoom = new Map<string, Set<Sock>>();
  /** Rooms with a gathered view on its way (see `broadcastSoon`). */
  private readonly presenceDue = new Map<string, NodeJS.Timeout>();
  /**
   * One rate limit per seat, shared by all its sockets and kept after they close: a client cut
   * off for flooding must not get a fresh burst by reconnecting with its token.
   */
  private readonly seatLimits = new Map<string, RateLimiter>();
  private sweepLimitsAt = 1024;
  /** Set once shutdown begins: a socket that connects after the notice is told on arrival. */
  private restartMessage: string | null = null;

  constructor(
    private readonly io: IO,
    private readonly deps: SocketDeps,
  ) {
    io.on('connection', (socket: Sock) => this.attach(socket));
    // A finished room stays in memory while a socket has it open (its debrief), not after.
    deps.registry.inUse = (code) => this.byRoom.has(code);
  }

  private connectedSeats(code: string): Set<string> {
    const ids = new Set<string>();
    for (const s of this.byRoom.get(code) ?? []) if (s.data.binding) ids.add(s.data.binding.seatId);
    return ids;
  }

  snapshotFor(room: Room, b: Binding): SeatSnapshot {
    const s = room.committedState;
    return seatSnapshot(s, b, this.connectedSeats(s.code), this.deps.clock.now());
  }

  /**
   * Records what the socket now holds. `seatsKnown` is false when the client keeps a view of its
   * own instead of a snapshot (a resume already up to date): its game is current (every change of
   * the game moves `seq`), but who is connected may have changed since without moving it.
   */
  private remember(socket: Sock, room: Room, seatsKnown = true, game: object | null = null): void {
    const b = socket.data.binding;
    const s = room.committedState;
    const seatsKey = seatsStamp(s, this.connectedSeats(s.code), leadIds(s));
    socket.data.sent = {
      viewKey: b && seatsKnown ? viewStamp(s, b.role, seatsKey) : '',
      game: s.game,
      // The game the seat now holds (the snapshot's, or the same one it kept), as a later
      // broadcast will compare it: a change it cannot see must not reach it as a new view.
      gameHash: game ? textHash(JSON.stringify(game)) : null,
      seatsKey: seatsKnown ? seatsKey : '',
      log: s.game.history.public,
      chatSeq: s.chat[s.chat.length - 1]?.seq ?? 0,
      ended: s.phase === 'ended',
    };
  }

  /**
   * Shows the room a moment from now, gathering what arrives meanwhile: a table filling up or
   * emptying sends each socket one view instead of one per arrival or departure (a table of 30
   * cost 435 views to fill and as many to empty). Only for changes of who is seated or connected;
   * any other change goes out at once and takes a pending one with it.
   */
  broadcastSoon(room: Room): void {
    const code = room.state.code;
    if (this.presenceDue.has(code)) return;
    const timer = setTimeout(() => {
      this.presenceDue.delete(code);
      this.broadcast(room);
    }, PRESENCE_GATHER_MS);
    // A pending view must not keep a stopping server alive.
    timer.unref();
    this.presenceDue.set(code, timer);
  }

  /**
   * Brings every socket of a room up to date with what it may see: a new view only when
   * something it can see changed (so one team's private activity is invisible to the other),
   * new log entries, new chat messages, and a whole snapshot when the game ends.
   */
  broadcast(room: Room): void {
    // Never a command still in its commit window: a crash could take it back after it was shown.
    const s = room.committedState;
    const due = this.presenceDue.get(s.code);
    if (due) {
      clearTimeout(due);
      this.presenceDue.delete(s.code);
    }
    const connected = this.connectedSeats(s.code);
    const now = this.deps.clock.now();
    const log = s.game.history.public;
    // Views differ between seats of one role only in `you`: build, stamp and serialise them once per role.
    const byRole = new Map<Binding['role'], RoleView>();
    const leads = leadIds(s);
    const seatsKey = seatsStamp(s, connected, leads);
    let ending: EndParts | null = null;
    for (const socket of this.byRoom.get(s.code) ?? []) {
      const b = socket.data.binding;
      const sent = socket.data.sent;
      if (!b || !sent) continue;
      // The seat list changes rarely; only then can this socket's seat have been removed.
      if (sent.seatsKey !== seatsKey && !seated(s, b)) {
        this.evict(socket, s.code);
        continue;
      }
      let shared = byRole.get(b.role);
      if (!shared) {
        shared = new RoleView(s, b, connected, now, viewStamp(s, b.role, seatsKey));
        byRole.set(b.role, shared);
      }
      // Only a socket that gets a view or the end snapshot needs its `you`.
      const you = () =>
        JSON.stringify({ seatId: b.seatId, name: b.name, role: b.role, lead: leads.has(b.seatId) });
      if (s.phase === 'ended' && !sent.ended) {
        ending ??= endParts(s);
        emitEncoded(socket, 'game:snapshot', endSnapshotJson(ending, shared, you()));
        this.remember(socket, room);
        continue;
      }
      const parts: [string, string | undefined][] = [];
      if (sent.log !== log) {
        let from = 0;
        while (from < log.length && from < sent.log.length && log[from] === sent.log[from]) from++;
        if (from < log.length || log.length < sent.log.length) parts.push(['log', shared.logJson(from)]);
        sent.log = log;
      }
      let first = s.chat.length;
      while (first > 0 && (s.chat[first - 1]?.seq ?? 0) > sent.chatSeq) first--;
      const chat: ChatMessage[] = [];
      for (let n = first; n < s.chat.length; n++) {
        const msg = s.chat[n];
        if (msg && canRead(s, b.role, msg)) chat.push(msg);
      }
      if (chat.length) parts.push(['chat', JSON.stringify(chat)]);
      sent.chatSeq = s.chat[s.chat.length - 1]?.seq ?? sent.chatSeq;
      // A new game object is news for this socket only if the role's part of it changed.
      let withGame = false;
      if (sent.game !== s.game) {
        const hash = shared.gameHash();
        withGame = hash !== sent.gameHash;
        sent.game = s.game;
        sent.gameHash = hash;
      }
      // The view goes last, so a client that applies it already holds the log and chat it refers to.
      if (shared.key !== sent.viewKey || withGame) {
        sent.viewKey = shared.key;
        const withSeats = sent.seatsKey !== seatsKey;
        sent.seatsKey = seatsKey;
        parts.push(['view', withMember(shared.viewJson(withGame, withSeats), 'you', you())]);
      }
      // One message per change: a system call per socket, not one per part.
      if (parts.length) emitEncoded(socket, 'game:update', objectJson(parts));
    }
    // The last one to leave a finished game (or its end with nobody there) lets it go from memory.
    if (s.phase === 'ended' && !this.byRoom.has(s.code)) this.deps.registry.releaseIfIdle(s.code);
  }

  /** A socket whose seat the facilitator removed: told why, unbound before it can see more, closed. */
  private evict(socket: Sock, code: string): void {
    this.leave(socket, code);
    socket.data.binding = undefined;
    socket.data.sent = undefined;
    socket.emit('seat:removed', { message: 'the facilitator removed this seat from the game' });
    socket.disconnect(true);
  }

  private limiterOf(b: Binding): RateLimiter {
    const key = seatKey(b);
    let limiter = this.seatLimits.get(key);
    if (!limiter) {
      // Rested limiters are as good as new ones: dropping them keeps the map to the active seats.
      if (this.seatLimits.size >= this.sweepLimitsAt) {
        for (const [k, l] of this.seatLimits) if (l.rested()) this.seatLimits.delete(k);
        this.sweepLimitsAt = Math.max(1024, this.seatLimits.size * 2);
      }
      limiter = newLimiter(this.deps.clock);
      this.seatLimits.set(key, limiter);
    }
    return limiter;
  }

  private leave(socket: Sock, code: string): void {
    const set = this.byRoom.get(code);
    set?.delete(socket);
    if (set?.size === 0) this.byRoom.delete(code);
  }

  /** What the hub holds, for the opt-in diagnostics: none of it should outlive the games' sockets. */
  stats(): { roomsWithSockets: number; boundSockets: number; seatLimits: number } {
    let boundSockets = 0;
    for (const set of this.byRoom.values()) boundSockets += set.size;
    return { roomsWithSockets: this.byRoom.size, boundSockets, seatLimits: this.seatLimits.size };
  }

  notifyAll(message: string): void {
    this.restartMessage = message;
    this.io.emit('server:restarting', { message });
  }

  private bind(socket: Sock, b: Binding, keepsOwnView = false): SeatSnapshot {
    // A socket can close while its join is on its way to disk. Its disconnect has been handled
    // already, so a binding made now would never be undone: the seat would look connected for good.
    if (!socket.connected)
      throw new CommandError('unauthorized', 'the connection closed before the seat was bound');
    // A resume that found its seat just before the facilitator removed it must not bind it now:
    // its seat list would already be current, so no broadcast would notice and evict it.
    if (!seated(b.room.state, b))
      throw new CommandError('unauthorized', 'the facilitator removed this seat from the game');
    const old = socket.data.binding;
    if (old) this.leave(socket, old.room.state.code);
    socket.data.binding = b;
    const code = b.room.state.code;
    if (old && old.room.state.code !== code) this.deps.registry.releaseIfIdle(old.room.state.code);
    let set = this.byRoom.get(code);
    if (!set) {
      set = new Set();
      this.byRoom.set(code, set);
    }
    const wasConnected = this.connectedSeats(code).has(b.seatId);
    set.add(socket);
    const snap = this.snapshotFor(b.room, b);
    this.remember(socket, b.room, !keepsOwnView, snap.view.game);
    // A client keeping its own view gets the seats as they are now with the gathered views.
    if (!wasConnected || keepsOwnView) this.broadcastSoon(b.room);
    return snap;
  }

  private attach(socket: Sock): void {
    // Sent before anything else, so the client knows why its commands are refused as restarting.
    if (this.restartMessage !== null) socket.emit('server:restarting', { message: this.restartMessage });
    const own = newLimiter(this.deps.clock);
    // Every incoming packet counts, with or without an acknowledgement and whatever its event
    // name: a flood of packets the server would ignore still costs it their parsing.
    socket.use((packet, next) => {
      const b = socket.data.binding;
      const verdict = (b ? this.limiterOf(b) : own).take();
      if (verdict === 'ok') return next();
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function')
        ack({ ok: false, code: 'rate-limited', message: 'too many commands; slow down' });
      if (verdict === 'cut') socket.disconnect(true);
    });
    // An event no handler knows would leave a client waiting for its acknowledgement forever.
    socket.use((packet, next) => {
      if (Object.hasOwn(commandSchemas, packet[0])) return next();
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function')
        ack({
          ok: false,
          code: 'bad-payload',
          message: `there is no command called "${String(packet[0]).slice(0, 40)}"`,
        });
    });
    socket.on('disconnect', () => {
      const b = socket.data.binding;
      if (!b) return;
      const code = b.room.state.code;
      const had = this.byRoom.has(code);
      this.leave(socket, code);
      // With nobody left there is no one to gather for: a finished room leaves memory at once.
      if (had && !this.byRoom.has(code)) this.broadcast(b.room);
      else if (had && !this.connectedSeats(code).has(b.seatId)) this.broadcastSoon(b.room);
    });

    const on = <K extends CommandName, R>(name: K, fn: (payload: CommandPayload<K>) => R) => {
      // socket.io's typings cannot follow a generic event name, hence the one cast here.
      (socket.on as (ev: string, l: (...args: unknown[]) => void) => void)(name, (...args: unknown[]) => {
        // The acknowledgement is always the last argument; a command without one is ignored.
        const ack = args[args.length - 1];
        if (typeof ack !== 'function') return;
        const answer = ack as (a: Ack<R>) => void;
        // Without this, a missing payload or an extra argument left the client waiting forever.
        if (args.length !== 2) {
          answer({ ok: false, code: 'bad-payload', message: 'send exactly one payload object' });
          return;
        }
        const parsed = commandSchemas[name].safeParse(args[0]);
        if (!parsed.success) {
          const first = parsed.error.issues[0];
          answer({
            ok: false,
            code: 'bad-payload',
            message: first ? `${first.path.join('.') || 'payload'}: ${first.message}` : 'bad payload',
          });
          return;
        }
        // Handlers may wait for their command to be on disk; the answer goes out only then.
        Promise.resolve()
          .then(() => fn(parsed.data as CommandPayload<K>))
          .then(
            (data) => answer({ ok: true, data: data as Awaited<R> as R }),
            (e: unknown) => {
              if (e instanceof CommandError) answer({ ok: false, code: e.code, message: e.message });
              else {
                this.deps.log('command failed', { event: name, error: (e as Error).stack ?? String(e) });
                answer({
                  ok: false,
                  code: 'internal',
                  message: 'the server could not carry out this command; it has been logged',
                });
              }
            },
          );
      });
    };

    const bound = (): Binding => {
      const b = socket.data.binding;
      if (!b) throw new CommandError('unauthorized', 'join or resume a seat first');
      return b;
    };
    const seatRun = (make: (seatId: string) => CommandInput) => {
      const b = bound();
      if (b.seatId === FACILITATOR_SEAT)
        throw new CommandError('forbidden', 'the facilitator acts through the fac: commands');
      return b.room.run(make(b.seatId));
    };
    const seatCommand = async (make: (seatId: string) => CommandInput) => ({
      seq: (await seatRun(make)).seq,
    });
    const facCommand = (cmd: CommandInput) => {
      const b = bound();
      if (b.role !== 'facilitator') throw new CommandError('forbidden', 'only the facilitator can do this');
      return b.room.run(cmd).then((s) => ({ seq: s.seq }));
    };

    on('game:join', async (p) => {
      const { room, token, seat } = await this.deps.registry.join(p.code, p.name, p.role, p.title);
      const b: Binding = { room, seatId: seat.id, role: seat.role, name: seat.name };
      return { token, seatId: seat.id, role: seat.role, snapshot: this.bind(socket, b) };
    });
    on('game:resume', async (p) => {
      const b = await this.deps.registry.byToken(p.token);
      if (!b) throw new CommandError('unauthorized', 'this link or token is not valid for any game');
      // Coming straight back on a new socket would otherwise make every cut of a flooding client
      // cost its whole game two rounds of views (the seat leaves, the seat is back) and a snapshot.
      if (this.seatLimits.get(seatKey(b))?.coolingDown(CUT_COOLDOWN_MS))
        throw new CommandError('rate-limited', 'this seat was cut off for flooding; resume in a few seconds');
      const upToDate = p.lastSeq !== undefined && p.lastSeq >= b.room.committedState.seq;
      const snapshot = this.bind(socket, b, upToDate);
      return { seatId: b.seatId, role: b.role, snapshot: upToDate ? null : snapshot };
    });
    // Both edits of the team's draft answer with its new version, the base of the next edit.
    const draftEdit = async (
      cmd: (seatId: string) => Extract<CommandInput, { type: 'draft.set' | 'forecast.set' }>,
    ) => {
      const role = bound().role;
      const s = await seatRun(cmd);
      return { version: role === 'us' || role === 'china' ? s.drafts[role].version : 0 };
    };
    on('draft:set', (p) =>
      draftEdit((seatId) => ({ type: 'draft.set', seatId, baseVersion: p.baseVersion, orders: p.orders })),
    );
    on('forecast:set', (p) =>
      draftEdit((seatId) => ({ type: 'forecast.set', seatId, baseVersion: p.baseVersion, moves: p.moves })),
    );
    on('draft:lock', (p) =>
      seatCommand((seatId) => ({ type: 'draft.lock', seatId, baseVersion: p.baseVersion })),
    );
    on('draft:unlock', () => seatCommand((seatId) => ({ type: 'draft.unlock', seatId })));
    on('chat:send', (p) => {
      const b = bound();
      if (b.role === 'facilitator') return facCommand({ type: 'fac.chat', channel: p.channel, text: p.text });
      return seatCommand((seatId) => ({ type: 'chat', seatId, channel: p.channel, text: p.text }));
    });
    on('crisis:answer', (p) =>
      seatCommand((seatId) => ({ type: 'crisis.answer', seatId, choice: p.choice })),
    );
    on('team:takeLead', () => {
      const b = bound();
      const code = b.room.committedState.code;
      if (b.role === 'us' || b.role === 'china') {
        // The room's latest state: a member who took the lead a moment ago may still be in the commit window.
        const lead = leadOf(b.room.state, b.role);
        // Taking over is for a lead who is away; one who is here hands over through the facilitator.
        if (lead && lead.id !== b.seatId && this.connectedSeats(code).has(lead.id))
          throw new CommandError(
            'locked',
            `${lead.name} leads your team and is connected; ask them, or the facilitator, to hand over`,
          );
      }
      return seatCommand((seatId) => ({ type: 'lead.take', seatId }));
    });
    on('fac:setLead', (p) => facCommand({ type: 'fac.setLead', seatId: p.seatId }));
    on('fac:removeSeat', (p) => facCommand({ type: 'fac.removeSeat', seatId: p.seatId }));
    on('fac:start', () => facCommand({ type: 'fac.start' }));
    on('fac:pause', () => facCommand({ type: 'fac.pause' }));
    on('fac:resume', () => facCommand({ type: 'fac.resume' }));
    on('fac:advance', (p) =>
      facCommand(p.from ? { type: 'fac.advance', from: p.from } : { type: 'fac.advance' }),
    );
    on('fac:end', () => facCommand({ type: 'fac.end' }));
    on('fac:extend', (p) => facCommand({ type: 'fac.extend', seconds: p.seconds }));
    on('fac:broadcast', (p) => facCommand({ type: 'fac.broadcast', text: p.text }));
    on('fac:setBot', (p) => facCommand({ type: 'fac.setBot', side: p.side, bot: p.bot }));
    on('fac:inject', (p) => facCommand({ type: 'fac.inject', eventId: p.eventId }));
    on('fac:adjust', (p) =>
      facCommand({ type: 'fac.adjust', variable: p.variable, value: p.value, note: p.note }),
    );
  }
}
