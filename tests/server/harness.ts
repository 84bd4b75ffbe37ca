import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createServer, type HotlineServer } from '../../server/app.ts';
import type { Clock } from '../../server/clock.ts';
import type { RoomCommand } from '../../server/room/commands.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { GameStore } from '../../server/store/types.ts';
import type { Ack } from '../../shared/protocol/errors.ts';
import type { CreateGameRequest, CreateGameResponse } from '../../shared/protocol/events.ts';
import { fromSnapshot, withUpdate } from '../../shared/protocol/merge.ts';
import type { ClientView, GameUpdate, SeatSnapshot } from '../../shared/protocol/room.ts';

/** A clock the test moves by hand; timers fire in deadline order when it passes them. */
export class ManualClock implements Clock {
  t = Date.UTC(2026, 0, 5, 9, 0, 0);
  private timers: { id: number; at: number; fn: () => void }[] = [];
  private nextId = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

export interface TestServer {
  url: string;
  server: HotlineServer;
  store: GameStore;
  dataDir: string;
  clock: ManualClock;
  stop(): Promise<void>;
}

export async function startServer(
  opts: {
    dataDir?: string;
    clock?: ManualClock;
    clientDir?: string;
    publicUrl?: string;
    allowedOrigins?: string[];
    log?: (msg: string, extra?: Record<string, unknown>) => void;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hotline-test-'));
  const store = openSqliteStore(dataDir);
  const clock = opts.clock ?? new ManualClock();
  const server = createServer({
    store,
    clock,
    log: opts.log ?? (() => {}),
    clientDir: opts.clientDir ?? null,
    publicUrl: opts.publicUrl ?? null,
    allowedOrigins: opts.allowedOrigins,
  });
  await server.ready;
  await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
  const { port } = server.http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    store,
    dataDir,
    clock,
    stop: async () => {
      await server.close();
      await store.close();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function createGame(url: string, body: CreateGameRequest = {}): Promise<CreateGameResponse> {
  const res = await fetch(`${url}/api/games`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateGameResponse;
}

/**
 * A real socket.io client that records every frame it receives and keeps the merged picture a
 * browser would hold (`ClientView`: the latest view plus the logs and chat it has been sent).
 */
export class Client {
  readonly socket: Socket;
  readonly frames: { event: string; args: unknown[] }[] = [];
  view: ClientView | null = null;
  token = '';

  constructor(url: string) {
    this.socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.socket.onAny((event: string, ...args: unknown[]) => {
      this.frames.push({ event, args });
      if (event === 'game:update') this.view = withUpdate(this.view, args[0] as GameUpdate);
      if (event === 'game:snapshot') this.view = fromSnapshot(args[0] as SeatSnapshot);
    });
  }

  /** Takes a snapshot from a join or resume acknowledgement (null means already up to date). */
  adopt(snapshot: SeatSnapshot | null): void {
    if (snapshot) this.view = fromSnapshot(snapshot);
  }

  async connected(): Promise<this> {
    if (this.socket.connected) return this;
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
    return this;
  }

  /** Sends a command and resolves with its acknowledgement. */
  call<T = unknown>(event: string, payload: unknown): Promise<Ack<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  async ok<T = unknown>(event: string, payload: unknown = {}): Promise<T> {
    const a = await this.call<T>(event, payload);
    if (!a.ok) throw new Error(`${event} refused: ${a.code}: ${a.message}`);
    return a.data;
  }

  /** Waits until the latest view satisfies `pred` (views arrive after acks, on the same socket). */
  async until(pred: (v: ClientView) => boolean, what = 'view'): Promise<ClientView> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.view && pred(this.view)) return this.view;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`timed out waiting for ${what}; last phase ${this.view?.phase}, seq ${this.view?.seq}`);
  }

  close(): void {
    this.socket.disconnect();
  }
}

export async function joined(
  url: string,
  code: string,
  name: string,
  role: 'us' | 'china' | 'observer',
): Promise<Client> {
  const c = await new Client(url).connected();
  const r = await c.ok<{ token: string; snapshot: SeatSnapshot }>('game:join', { code, name, role });
  c.token = r.token;
  c.adopt(r.snapshot);
  return c;
}

export async function facilitator(url: string, token: string): Promise<Client> {
  const c = await new Client(url).connected();
  const r = await c.ok<{ snapshot: SeatSnapshot | null }>('game:resume', { token });
  c.token = token;
  c.adopt(r.snapshot);
  return c;
}

/** A room's create command for tests that drive a room or a store without a server. */
export function createCommand(id = 'r1', code = 'ABCDEF'): Extract<RoomCommand, { type: 'create' }> {
  return {
    type: 'create',
    at: 0,
    id,
    code,
    facilitatorTokenHash: `h-${id}`,
    seed: 'seed',
    settings: {
      scenarioId: 'classroom-short',
      rounds: 6,
      deadlines: { briefing: 60, negotiation: 60, orders: 60, crisis: 60, summary: 60 },
      bots: { us: null, china: null },
    },
  };
}
