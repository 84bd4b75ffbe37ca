import type { Server, Socket } from 'socket.io';
import { type Ack, CommandError } from '../shared/protocol/errors.ts';
import {
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  commandSchemas,
  type ServerToClientEvents,
} from '../shared/protocol/events.ts';
import type { ChatMessage, GameUpdate, RoomView, SeatSnapshot } from '../shared/protocol/room.ts';
import type { RoundLog } from '../shared/rules/state.ts';
import type { Clock } from './clock.ts';
import { RateLimiter } from './rate-limit.ts';
import { type Binding, FACILITATOR_SEAT, type Registry } from './registry.ts';
import { leadOf } from './room/reduce.ts';
import type { CommandInput, Room } from './room/room.ts';
import type { RoomState } from './room/state.ts';
import { canRead, roomView, seatLog, seatSnapshot, seesTruth, sideLogs } from './room/view.ts';

type IO = Server<ClientToServerEvents, ServerToClientEvents>;
/** What a socket has already been sent, so each push carries only what changed for it. */
interface Sent {
  viewKey: string;
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
 * A stamp of everything a role's view is made of (see `roomView`), cheap to compute: when it is
 * unchanged, so is the view but for its sequence number and countdown, and nothing is sent.
 * `you` is left out: it never changes for a socket.
 */
function viewStamp(s: RoomState, role: Binding['role'], connected: string): string {
  const side = role === 'us' || role === 'china' ? role : null;
  const d = side ? s.drafts[side] : null;
  const all = role === 'facilitator' || s.phase === 'ended';
  return [
    s.phase,
    s.deadline,
    s.pausedRemaining !== null,
    idOf(s.game),
    idOf(s.settings),
    idOf(s.seats),
    connected,
    d ? `${d.version}:${d.locked}` : '-',
    all ? `${s.drafts.us.version}:${s.drafts.china.version}` : '-',
    s.drafts.us.locked,
    s.drafts.china.locked,
    s.crisisAnswers.us !== null,
    s.crisisAnswers.china !== null,
    side ? s.crisisAnswers[side] : '-',
  ].join('|');
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

  constructor(
    private readonly io: IO,
    private readonly deps: SocketDeps,
  ) {
    io.on('connection', (socket: Sock) => this.attach(socket));
  }

  private connectedSeats(code: string): Set<string> {
    const ids = new Set<string>();
    for (const s of this.byRoom.get(code) ?? []) if (s.data.binding) ids.add(s.data.binding.seatId);
    return ids;
  }

  snapshotFor(room: Room, b: Binding): SeatSnapshot {
    return seatSnapshot(room.state, b, this.connectedSeats(room.state.code), this.deps.clock.now());
  }

  private remember(socket: Sock, room: Room): void {
    const b = socket.data.binding;
    const s = room.state;
    socket.data.sent = {
      viewKey: b ? viewStamp(s, b.role, [...this.connectedSeats(s.code)].sort().join(',')) : '',
      log: room.state.game.history.public,
      chatSeq: room.state.chat[room.state.chat.length - 1]?.seq ?? 0,
      ended: room.state.phase === 'ended',
    };
  }

  /**
   * Brings every socket of a room up to date with what it may see: a new view only when
   * something it can see changed (so one team's private activity is invisible to the other),
   * new log entries, new chat messages, and a whole snapshot when the game ends.
   */
  broadcast(room: Room): void {
    const s = room.state;
    const connected = this.connectedSeats(s.code);
    const now = this.deps.clock.now();
    const log = s.game.history.public;
    // Views differ between seats of one role only in `you`: build and stamp them once per role.
    const byRole = new Map<Binding['role'], { view: RoomView | null; key: string }>();
    const connectedKey = [...connected].sort().join(',');
    const leads = new Set([leadOf(s, 'us')?.id, leadOf(s, 'china')?.id]);
    for (const socket of this.byRoom.get(s.code) ?? []) {
      const b = socket.data.binding;
      const sent = socket.data.sent;
      if (!b || !sent) continue;
      if (s.phase === 'ended' && !sent.ended) {
        const snap = seatSnapshot(s, b, connected, now);
        socket.emit('game:snapshot', snap);
        this.remember(socket, room);
        continue;
      }
      const update: GameUpdate = {};
      if (sent.log !== log) {
        let from = 0;
        while (from < log.length && from < sent.log.length && log[from] === sent.log[from]) from++;
        if (from < log.length || log.length < sent.log.length) {
          const own = seatLog(s, b.role).own;
          update.log = { from, public: log.slice(from), own: own ? own.slice(from) : null };
          if (seesTruth(s, b.role)) update.log.sides = sideLogs(s, from);
        }
        sent.log = log;
      }
      let first = s.chat.length;
      while (first > 0 && (s.chat[first - 1]?.seq ?? 0) > sent.chatSeq) first--;
      const chat: ChatMessage[] = [];
      for (let n = first; n < s.chat.length; n++) {
        const msg = s.chat[n];
        if (msg && canRead(s, b.role, msg)) chat.push(msg);
      }
      if (chat.length) update.chat = chat;
      sent.chatSeq = s.chat[s.chat.length - 1]?.seq ?? sent.chatSeq;
      // The view goes last, so a client that applies it already holds the log and chat it refers to.
      let shared = byRole.get(b.role);
      if (!shared) {
        shared = { view: null, key: viewStamp(s, b.role, connectedKey) };
        byRole.set(b.role, shared);
      }
      if (shared.key !== sent.viewKey) {
        sent.viewKey = shared.key;
        shared.view ??= roomView(s, b, connected, now);
        update.view = {
          ...shared.view,
          you: { seatId: b.seatId, name: b.name, role: b.role, lead: leads.has(b.seatId) },
        };
      }
      // One message per change: a system call per socket, not one per part.
      if (update.log || update.chat || update.view) socket.emit('game:update', update);
    }
  }

  notifyAll(message: string): void {
    this.io.emit('server:restarting', { message });
  }

  private bind(socket: Sock, b: Binding): SeatSnapshot {
    const old = socket.data.binding;
    if (old) this.byRoom.get(old.room.state.code)?.delete(socket);
    socket.data.binding = b;
    const code = b.room.state.code;
    let set = this.byRoom.get(code);
    if (!set) {
      set = new Set();
      this.byRoom.set(code, set);
    }
    const wasConnected = this.connectedSeats(code).has(b.seatId);
    set.add(socket);
    const snap = this.snapshotFor(b.room, b);
    this.remember(socket, b.room);
    if (!wasConnected) this.broadcast(b.room);
    return snap;
  }

  private attach(socket: Sock): void {
    const limiter = new RateLimiter(10, 30, () => this.deps.clock.now());
    socket.on('disconnect', () => {
      const b = socket.data.binding;
      if (!b) return;
      const set = this.byRoom.get(b.room.state.code);
      set?.delete(socket);
      if (set && !this.connectedSeats(b.room.state.code).has(b.seatId)) this.broadcast(b.room);
    });

    const on = <K extends CommandName, R>(name: K, fn: (payload: CommandPayload<K>) => R) => {
      // socket.io's typings cannot follow a generic event name, hence the one cast here.
      (socket.on as (ev: string, l: (...args: unknown[]) => void) => void)(
        name,
        (payload: unknown, ack: unknown) => {
          if (typeof ack !== 'function') return;
          const answer = ack as (a: Ack<R>) => void;
          const verdict = limiter.take();
          if (verdict !== 'ok') {
            answer({ ok: false, code: 'rate-limited', message: 'too many commands; slow down' });
            if (verdict === 'cut') socket.disconnect(true);
            return;
          }
          const parsed = commandSchemas[name].safeParse(payload);
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
        },
      );
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
      const { room, token, seat } = await this.deps.registry.join(p.code, p.name, p.role);
      const b: Binding = { room, seatId: seat.id, role: seat.role, name: seat.name };
      return { token, seatId: seat.id, role: seat.role, snapshot: this.bind(socket, b) };
    });
    on('game:resume', (p) => {
      const b = this.deps.registry.byToken(p.token);
      if (!b) throw new CommandError('unauthorized', 'this link or token is not valid for any game');
      const upToDate = p.lastSeq !== undefined && p.lastSeq >= b.room.state.seq;
      const snapshot = this.bind(socket, b);
      return { seatId: b.seatId, role: b.role, snapshot: upToDate ? null : snapshot };
    });
    on('draft:set', async (p) => {
      const b = bound();
      const s = await seatRun((seatId) => ({
        type: 'draft.set',
        seatId,
        baseVersion: p.baseVersion,
        orders: p.orders,
      }));
      const side = b.role === 'us' || b.role === 'china' ? b.role : null;
      return { version: side ? s.drafts[side].version : 0 };
    });
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
    on('fac:start', () => facCommand({ type: 'fac.start' }));
    on('fac:pause', () => facCommand({ type: 'fac.pause' }));
    on('fac:resume', () => facCommand({ type: 'fac.resume' }));
    on('fac:advance', () => facCommand({ type: 'fac.advance' }));
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
