import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../../shared/protocol/errors.ts';
import type {
  ClientToServerEvents,
  CommandName,
  CommandPayload,
  JoinResult,
  ServerToClientEvents,
} from '../../../shared/protocol/events.ts';
import { fromSnapshot, withUpdate } from '../../../shared/protocol/merge.ts';
import type { ClientView } from '../../../shared/protocol/room.ts';

/**
 * One seat's live connection. It resumes the seat by its token on every (re)connection, keeps the
 * seat's picture of the game from the snapshot and the updates after it, and tells the screens
 * when either changes. The server decides everything; this only mirrors what it sends.
 */
import type { Status } from './session-status.ts';

export type { Status };

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type AckData<K extends CommandName> =
  Parameters<Parameters<ClientToServerEvents[K]>[1]>[0] extends Ack<infer T> ? T : never;

const COMMAND_TIMEOUT_MS = 10_000;
/** The answer to a command that never left this page: the socket was not connected. */
export const NOT_SENT_OFFLINE = 'not connected to the server; trying again…';

function connect(): Client {
  // Retries at most 1.5 s apart: a page is back in its seat within 2 s of the server being
  // reachable again (npm run bench:client measures it), handshake and resume included.
  return io({ reconnectionDelay: 300, reconnectionDelayMax: 1500, timeout: 8000 });
}

function emit<K extends CommandName>(
  socket: Client,
  name: K,
  payload: CommandPayload<K>,
): Promise<Ack<AckData<K>>> {
  return new Promise((resolve) => {
    if (!socket.connected) {
      resolve({ ok: false, code: 'internal', message: NOT_SENT_OFFLINE });
      return;
    }
    // The typed emit cannot follow a generic event name; the payload was typed by the caller.
    (
      socket.timeout(COMMAND_TIMEOUT_MS) as unknown as {
        emit(n: string, p: unknown, cb: (err: Error | null, a: Ack<AckData<K>>) => void): void;
      }
    ).emit(name, payload, (err, ack) =>
      resolve(err ? { ok: false, code: 'internal', message: 'the server did not answer in time' } : ack),
    );
  });
}

export class Session {
  view: ClientView | null = null;
  status: Status = 'connecting';
  /** Why the server refused the seat, or the last message from the server about a restart. */
  message: string | null = null;
  private readonly socket: Client;
  private readonly listeners = new Set<() => void>();

  constructor(readonly token: string) {
    const kept = takeJoinSocket(token);
    this.socket = kept ?? connect();
    this.socket.on('connect', () => void this.resume());
    this.socket.on('disconnect', () => {
      if (this.status === 'refused' || this.status === 'removed') return;
      this.setStatus(this.status === 'restarting' ? 'restarting' : 'offline');
    });
    // The server closes the connection right after; the token will not open the seat again.
    this.socket.on('seat:removed', (info) => {
      this.message = info.message;
      this.setStatus('removed');
    });
    this.socket.on('server:restarting', (info) => {
      this.message = info.message;
      this.setStatus('restarting');
    });
    this.socket.on('game:snapshot', (s) => {
      this.view = fromSnapshot(s);
      this.changed();
    });
    this.socket.on('game:update', (u) => {
      this.view = withUpdate(this.view, u);
      // A log shorter than the view says means an increment was missed: ask for everything again.
      if (this.view && this.view.game.log.public.length < this.view.logRounds) void this.resume(true);
      this.changed();
    });
    // The join's connection is already open, so no `connect` event will come to resume on.
    if (kept) void this.resume();
  }

  /** Calls `fn` after every change of the view or the connection; returns how to stop. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async send<K extends CommandName>(name: K, payload: CommandPayload<K>): Promise<Ack<AckData<K>>> {
    const ack = await emit(this.socket, name, payload);
    // The restart notice may be lost with the connection; the refusal says the same thing.
    if (!ack.ok && ack.code === 'restarting' && this.status !== 'refused' && this.status !== 'removed') {
      this.message = ack.message;
      this.setStatus('restarting');
    }
    return ack;
  }

  close(): void {
    this.listeners.clear();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private async resume(full = false): Promise<void> {
    const lastSeq = full ? undefined : this.view?.seq;
    const ack = await this.send(
      'game:resume',
      lastSeq === undefined ? { token: this.token } : { token: this.token, lastSeq },
    );
    if (!ack.ok) {
      if (ack.code === 'unauthorized' || ack.code === 'bad-payload') {
        this.message = ack.message;
        this.setStatus('refused');
      }
      return;
    }
    if (ack.data.snapshot) this.view = fromSnapshot(ack.data.snapshot);
    this.message = null;
    this.setStatus('online');
  }

  private setStatus(s: Status): void {
    this.status = s;
    this.changed();
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}

/**
 * The connection a join succeeded on, kept for the seat's session that opens right after: the
 * server has already bound it to the new seat, so the seat needs no second connection and
 * handshake. Nobody else can take it (it is kept for one token), and it closes if unused.
 */
let joinSocket: { token: string; socket: Client; timer: ReturnType<typeof setTimeout> } | null = null;
const JOIN_SOCKET_KEPT_MS = 10_000;

function keepJoinSocket(token: string, socket: Client): void {
  if (joinSocket) {
    clearTimeout(joinSocket.timer);
    joinSocket.socket.disconnect();
  }
  const timer = setTimeout(() => {
    if (joinSocket?.socket !== socket) return;
    joinSocket = null;
    socket.disconnect();
  }, JOIN_SOCKET_KEPT_MS);
  joinSocket = { token, socket, timer };
}

function takeJoinSocket(token: string): Client | null {
  const kept = joinSocket;
  if (!kept || kept.token !== token) return null;
  joinSocket = null;
  clearTimeout(kept.timer);
  if (kept.socket.connected) return kept.socket;
  kept.socket.disconnect();
  return null;
}

/** Joins a game and returns the new seat's token; the connection is kept for the seat (above). */
export async function joinGame(payload: CommandPayload<'game:join'>): Promise<Ack<JoinResult>> {
  const socket = connect();
  let kept = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const failed = (e: Error) => reject(e);
      socket.once('connect_error', failed);
      socket.once('connect', () => {
        socket.off('connect_error', failed);
        resolve();
      });
    });
    const ack = await emit(socket, 'game:join', payload);
    if (ack.ok) {
      keepJoinSocket(ack.data.token, socket);
      kept = true;
    }
    return ack;
  } catch (e) {
    return { ok: false, code: 'internal', message: `cannot reach the server: ${(e as Error).message}` };
  } finally {
    if (!kept) socket.disconnect();
  }
}
