import type { Server, Socket } from 'socket.io';
import { type Ack, CommandError } from '../shared/protocol/errors.ts';
import {
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  commandSchemas,
  type ServerToClientEvents,
} from '../shared/protocol/events.ts';
import type { Clock } from './clock.ts';
import { RateLimiter } from './rate-limit.ts';
import { type Binding, FACILITATOR_SEAT, type Registry } from './registry.ts';
import type { CommandInput, Room } from './room/room.ts';
import { roomView } from './room/view.ts';

type IO = Server<ClientToServerEvents, ServerToClientEvents>;
type Sock = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { binding?: Binding }>;

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

  viewFor(room: Room, b: Binding) {
    return roomView(room.state, b, this.connectedSeats(room.state.code), this.deps.clock.now());
  }

  /** Sends every socket of a room its own view. */
  broadcast(room: Room): void {
    const code = room.state.code;
    const connected = this.connectedSeats(code);
    const now = this.deps.clock.now();
    for (const s of this.byRoom.get(code) ?? []) {
      const b = s.data.binding;
      if (b) s.emit('game:view', roomView(room.state, b, connected, now));
    }
  }

  notifyAll(message: string): void {
    this.io.emit('server:restarting', { message });
  }

  private bind(socket: Sock, b: Binding): void {
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
    if (!wasConnected) this.broadcast(b.room);
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
          try {
            answer({ ok: true, data: fn(parsed.data as CommandPayload<K>) });
          } catch (e) {
            if (e instanceof CommandError) answer({ ok: false, code: e.code, message: e.message });
            else {
              this.deps.log('command failed', { event: name, error: (e as Error).stack ?? String(e) });
              answer({
                ok: false,
                code: 'internal',
                message: 'the server could not carry out this command; it has been logged',
              });
            }
          }
        },
      );
    };

    const bound = (): Binding => {
      const b = socket.data.binding;
      if (!b) throw new CommandError('unauthorized', 'join or resume a seat first');
      return b;
    };
    const seatCommand = (make: (seatId: string) => CommandInput) => {
      const b = bound();
      if (b.seatId === FACILITATOR_SEAT)
        throw new CommandError('forbidden', 'the facilitator acts through the fac: commands');
      return { seq: b.room.run(make(b.seatId)).seq };
    };
    const facCommand = (cmd: CommandInput) => {
      const b = bound();
      if (b.role !== 'facilitator') throw new CommandError('forbidden', 'only the facilitator can do this');
      return { seq: b.room.run(cmd).seq };
    };

    on('game:join', (p) => {
      const { room, token, seat } = this.deps.registry.join(p.code, p.name, p.role);
      const b: Binding = { room, seatId: seat.id, role: seat.role, name: seat.name };
      this.bind(socket, b);
      return { token, seatId: seat.id, role: seat.role, view: this.viewFor(room, b) };
    });
    on('game:resume', (p) => {
      const b = this.deps.registry.byToken(p.token);
      if (!b) throw new CommandError('unauthorized', 'this link or token is not valid for any game');
      this.bind(socket, b);
      const upToDate = p.lastSeq !== undefined && p.lastSeq >= b.room.state.seq;
      return { seatId: b.seatId, role: b.role, view: upToDate ? null : this.viewFor(b.room, b) };
    });
    on('draft:set', (p) => {
      const b = bound();
      const room = b.room;
      seatCommand((seatId) => ({ type: 'draft.set', seatId, baseVersion: p.baseVersion, orders: p.orders }));
      const side = b.role === 'us' || b.role === 'china' ? b.role : null;
      return { version: side ? room.state.drafts[side].version : 0 };
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
