import { io, type Socket } from 'socket.io-client';
import type { Ack, ErrorCode } from '../../shared/protocol/errors.ts';
import type { JoinResult, ResumeResult } from '../../shared/protocol/events.ts';
import { fromSnapshot, withUpdate } from '../../shared/protocol/merge.ts';
import type { ClientView, GameUpdate, Role, SeatSnapshot, ViewUpdate } from '../../shared/protocol/room.ts';

/** A command the server acknowledged with ok: the ledger the checks hold the server to. */
export interface Acked {
  code: string;
  event: string;
  payload: Record<string, unknown>;
  data: Record<string, unknown>;
  seatId: string;
  role: Role;
  at: number;
}

/** The connection dropped before the answer came: the command may or may not have been kept. */
export class Disconnected extends Error {}

/** Refusals a well-behaved client can meet in a busy shared game; any other one is a problem. */
const EXPECTED_REFUSALS = new Set<ErrorCode>(['stale-version', 'locked', 'wrong-phase', 'invalid-orders']);

export interface CrashClientOptions {
  url: string;
  code: string;
  name: string;
  role: Role;
  /** Known for the facilitator (from creating the game); players get theirs by joining. */
  token?: string;
  onAck: (a: Acked) => void;
  onProblem: (p: string) => void;
}

/**
 * A player's (or the facilitator's) connection as the browser client keeps it: it reconnects by
 * itself with the browser client's delays, and on every connection resumes its seat with its
 * token and the last seq it applied (or joins, while it has no seat yet). It keeps the merged
 * picture of the game and records every acknowledged command.
 */
export class CrashClient {
  readonly socket: Socket;
  view: ClientView | null = null;
  /** The newest view the server sent (pushed or in a snapshot), as sent. */
  lastView: ViewUpdate | null = null;
  token: string | null;
  seatId: string | null = null;
  seated = false;
  seatedAt = 0;
  /** The last resume: when it was answered and the view it carried (null when already up to date). */
  lastResume: { at: number; view: ViewUpdate | null } | null = null;
  restartNotices = 0;
  /** Whether this connection was told the server is restarting (it is told before any refusal). */
  private restartTold = false;
  /** Commands whose connection dropped before their answer (their fate is for the log to say). */
  inFlightLost = 0;
  readonly refusals = new Map<string, number>();
  private readonly pending = new Map<number, (e: Error) => void>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: CrashClientOptions) {
    this.token = o.token ?? null;
    if (o.role === 'facilitator') this.seatId = 'facilitator';
    // The browser client's settings (client/src/net/session.ts).
    this.socket = io(o.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 2000,
      timeout: 8000,
    });
    this.socket.on('connect', () => {
      this.restartTold = false;
      void this.takeSeat();
    });
    this.socket.on('disconnect', (reason: string) => {
      this.seated = false;
      for (const reject of this.pending.values()) reject(new Disconnected(reason));
      this.inFlightLost += this.pending.size;
      this.pending.clear();
      // Only a server that throws a client out says so; socket.io does not reconnect after it.
      if (reason === 'io server disconnect' && !this.closed) {
        this.o.onProblem(`${this.o.name} in ${this.o.code} was disconnected by the server`);
        this.socket.connect();
      }
    });
    this.socket.on('server:restarting', () => {
      this.restartTold = true;
      this.restartNotices++;
    });
    this.socket.on('game:update', (u: GameUpdate) => {
      this.view = withUpdate(this.view, u);
      if (u.view) this.keep(u.view);
    });
    this.socket.on('game:snapshot', (s: SeatSnapshot) => this.adopt(s));
  }

  get name(): string {
    return this.o.name;
  }

  get code(): string {
    return this.o.code;
  }

  get role(): Role {
    return this.o.role;
  }

  private keep(v: ViewUpdate): void {
    if (!this.lastView || v.seq >= this.lastView.seq) this.lastView = v;
  }

  private adopt(s: SeatSnapshot): void {
    this.view = fromSnapshot(s);
    this.keep(s.view);
  }

  /** Sends a command and resolves with its answer; rejects with Disconnected if the line drops. */
  private raw<T>(event: string, payload: Record<string, unknown>): Promise<Ack<T>> {
    return new Promise((resolve, reject) => {
      if (!this.socket.connected || this.closed) return reject(new Disconnected('not connected'));
      const id = this.nextId++;
      this.pending.set(id, reject);
      this.socket.timeout(20_000).emit(event, payload, (err: Error | null, ack: Ack<T>) => {
        if (!this.pending.delete(id)) return;
        if (err) {
          this.o.onProblem(`${event} from ${this.o.name} in ${this.o.code}: no answer in 20 s`);
          reject(new Disconnected('timeout'));
        } else resolve(ack);
      });
    });
  }

  private async takeSeat(): Promise<void> {
    this.seated = false;
    try {
      if (this.token === null) {
        const payload = { code: this.o.code, name: this.o.name, role: this.o.role };
        const a = await this.raw<JoinResult>('game:join', payload);
        if (!a.ok) {
          // The connection closes next, and the client joins again once the server is back.
          if (this.toldRestarting(a.code)) return;
          this.o.onProblem(`${this.o.name} could not join ${this.o.code}: ${a.code}: ${a.message}`);
          return;
        }
        this.token = a.data.token;
        this.seatId = a.data.seatId;
        this.adopt(a.data.snapshot);
        this.record('game:join', payload, { seatId: a.data.seatId, role: a.data.role });
      } else {
        const lastSeq = this.view?.seq;
        const payload = lastSeq === undefined ? { token: this.token } : { token: this.token, lastSeq };
        const a = await this.raw<ResumeResult>('game:resume', payload);
        if (!a.ok) {
          if (this.toldRestarting(a.code)) return;
          this.o.onProblem(`${this.o.name} could not resume in ${this.o.code}: ${a.code}: ${a.message}`);
          return;
        }
        if (a.data.seatId !== this.seatId || a.data.role !== this.o.role)
          this.o.onProblem(
            `${this.o.name} in ${this.o.code} resumed as ${a.data.role} ${a.data.seatId}, not ${this.o.role} ${this.seatId}`,
          );
        if (a.data.snapshot) this.adopt(a.data.snapshot);
        this.lastResume = { at: Date.now(), view: a.data.snapshot?.view ?? null };
      }
      this.seated = true;
      this.seatedAt = Date.now();
    } catch (e) {
      if (!(e instanceof Disconnected)) this.o.onProblem(`${this.o.name}: ${(e as Error).message}`);
    }
  }

  /** A refusal from a server shutting down is expected only once it has said so on this connection. */
  private toldRestarting(code: ErrorCode): boolean {
    return code === 'restarting' && this.restartTold;
  }

  private record(event: string, payload: Record<string, unknown>, data: Record<string, unknown>): void {
    this.o.onAck({
      code: this.o.code,
      event,
      payload,
      data,
      seatId: this.seatId ?? '',
      role: this.o.role,
      at: Date.now(),
    });
  }

  /**
   * Sends a command from the seat; resolves with whether it was accepted. Refusals a shared game
   * produces (a teammate's newer draft, a phase that just ended) are counted; others are problems.
   */
  async send(event: string, payload: Record<string, unknown> = {}): Promise<boolean> {
    if (!this.seated) return false;
    const a = await this.raw<Record<string, unknown>>(event, payload);
    if (a.ok) {
      this.record(event, payload, a.data);
      return true;
    }
    this.refusals.set(a.code, (this.refusals.get(a.code) ?? 0) + 1);
    // Refused as restarting: the server began shutting down; expected only after its notice.
    if (!EXPECTED_REFUSALS.has(a.code) && !this.toldRestarting(a.code))
      this.o.onProblem(`${event} from ${this.o.name} in ${this.o.code} refused: ${a.code}: ${a.message}`);
    return false;
  }

  close(): void {
    this.closed = true;
    this.socket.disconnect();
  }
}
