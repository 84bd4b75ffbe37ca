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

function connect(): Client {
  return io({ reconnectionDelay: 300, reconnectionDelayMax: 2000, timeout: 8000 });
}

function emit<K extends CommandName>(
  socket: Client,
  name: K,
  payload: CommandPayload<K>,
): Promise<Ack<AckData<K>>> {
  return new Promise((resolve) => {
    if (!socket.connected) {
      resolve({ ok: false, code: 'internal', message: 'not connected to the server; trying again…' });
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
    this.socket = connect();
    this.socket.on('connect', () => void this.resume());
    this.socket.on('disconnect', () => {
      if (this.status !== 'refused') this.setStatus(this.status === 'restarting' ? 'restarting' : 'offline');
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
  }

  /** Calls `fn` after every change of the view or the connection; returns how to stop. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  send<K extends CommandName>(name: K, payload: CommandPayload<K>): Promise<Ack<AckData<K>>> {
    return emit(this.socket, name, payload);
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

/** Joins a game with a short-lived connection and returns the new seat's token. */
export async function joinGame(payload: CommandPayload<'game:join'>): Promise<Ack<JoinResult>> {
  const socket = connect();
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (e) => reject(e));
    });
    return await emit(socket, 'game:join', payload);
  } catch (e) {
    return { ok: false, code: 'internal', message: `cannot reach the server: ${(e as Error).message}` };
  } finally {
    socket.disconnect();
  }
}
