import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { nanoid } from 'nanoid';
import QRCode from 'qrcode';
import { Server } from 'socket.io';
import { CommandError } from '../shared/protocol/errors.ts';
import {
  type ClientToServerEvents,
  type CreateGameResponse,
  createGameSchema,
  forkGameSchema,
  type ServerToClientEvents,
} from '../shared/protocol/events.ts';
import type { Clock } from './clock.ts';
import { diagnostics } from './diagnostics.ts';
import { jsonExport, markdownReport, metricsCsv } from './export/exports.ts';
import { parsedBody, requestToken } from './http-input.ts';
import { jsonOnlyParser } from './json-only-parser.ts';
import {
  HTTP_LIMITS,
  PromptCloseWebSocketServer,
  refuseForeignUpgrades,
  SOCKET_CONNECT_TIMEOUT_MS,
} from './limits.ts';
import { Registry } from './registry.ts';
import type { Room } from './room/room.ts';
import { shownRound } from './room/state.ts';
import { SocketHub } from './sockets.ts';
import { CommitQueue } from './store/commit-queue.ts';
import { SnapshotQueue } from './store/snapshot-queue.ts';
import type { GameStore } from './store/types.ts';

const SHUTDOWN_KEY = 'clean_shutdown_at';

/** Socket frames above this size are refused before they are buffered whole. */
export const MAX_FRAME_BYTES = 64 * 1024;

export interface ServerDeps {
  store: GameStore;
  clock: Clock;
  /** Extra browser origins allowed to open sockets; the server's own origin is always allowed. */
  allowedOrigins?: string[];
  /** The built browser client (index.html and assets); when absent, only the API is served. */
  clientDir?: string | null;
  /** The address people use to reach the server (e.g. http://192.168.1.20:3000) for links and QR codes. */
  publicUrl?: string | null;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  /** Serve GET /internal/diagnostics (counts for soak tests; off unless HOTLINE_DIAGNOSTICS=1). */
  diagnostics?: boolean;
}

export interface HotlineServer {
  http: HttpServer;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  registry: Registry;
  hub: SocketHub;
  /** Settles once what start-up wrote (clocks moved on after a clean shutdown) is on disk: listen after it. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * A browser may open a socket only from this server's own origin or a configured one. Clients
 * that send no Origin (bots, scripts) are not browsers and are let through; their seat token is
 * what authorises them.
 */
export function originAllowed(req: IncomingMessage, extra: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (extra.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function baseUrlFrom(publicUrl: string | null | undefined) {
  return (req: Request) =>
    publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** Builds the whole server without listening, so tests can start it on port 0. */
export function createServer(deps: ServerDeps): HotlineServer {
  const baseUrl = baseUrlFrom(deps.publicUrl);
  const created = (req: Request, room: Room, facilitatorToken: string): CreateGameResponse => {
    const base = baseUrl(req);
    const s = room.state;
    return {
      code: s.code,
      facilitatorToken,
      facilitatorLink: `${base}/#/seat/${facilitatorToken}`,
      joinLink: `${base}/#/join/${s.code}`,
      ...(s.forkOf ? { forkOf: s.forkOf } : {}),
    };
  };
  const log = deps.log ?? ((msg, extra) => console.error(JSON.stringify({ msg, ...extra })));
  const origins = deps.allowedOrigins ?? [];
  let hub: SocketHub | null = null;
  const commits = new CommitQueue(deps.store);
  const snapshots = new SnapshotQueue(deps.store, log);
  const registry = new Registry({
    store: deps.store,
    commits,
    snapshots,
    clock: deps.clock,
    log,
    onChange: (room: Room, soon: boolean) => (soon ? hub?.broadcastSoon(room) : hub?.broadcast(room)),
  });
  // Nobody should see a room before it is back, nor a clock before it was moved on: the caller
  // listens once this settles.
  const ready = (async () => {
    await registry.loadAll();
    // After a clean shutdown, every running clock is moved on by the time the server was down, so
    // nobody loses a phase to a restart. (After a crash the downtime is unknown: deadlines stand.)
    const downSince = Number((await deps.store.getMeta(SHUTDOWN_KEY)) ?? Number.NaN);
    if (!Number.isFinite(downSince)) return;
    const ms = Math.max(0, deps.clock.now() - downSince);
    await deps.store.setMeta(SHUTDOWN_KEY, null);
    const startup: Promise<unknown>[] = [];
    for (const room of registry.rooms.values()) {
      if (ms > 0 && room.state.deadline !== null) {
        startup.push(
          room
            .run({ type: 'clock.downtime', ms })
            .catch((e: unknown) =>
              log('downtime extension failed', { room: room.state.code, error: String(e) }),
            ),
        );
      }
    }
    await Promise.all(startup);
  })();

  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          // Phaser makes its built-in textures from data: and blob: URLs.
          imgSrc: ["'self'", 'data:', 'blob:'],
          objectSrc: ["'none'"],
          // Classrooms often run the server on a laptop over plain http on the local network.
          upgradeInsecureRequests: null,
        },
      },
      // Classroom servers are often reached over plain http, where HSTS would only get in the way.
      strictTransportSecurity: false,
    }),
  );
  app.use(express.json({ limit: '16kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  if (deps.diagnostics) {
    app.get('/internal/diagnostics', (_req, res) => {
      res.set('Cache-Control', 'no-store').json(diagnostics({ http, io, registry, hub: hub as SocketHub }));
    });
  }

  app.post('/api/games', async (req, res) => {
    // Only JSON: a plain HTML form from another site cannot send it without a browser pre-flight.
    if (!req.is('application/json'))
      throw new CommandError('bad-payload', 'send the request body as JSON (Content-Type: application/json)');
    const body = parsedBody(createGameSchema, req.body);
    const { room, facilitatorToken } = await registry.create(body, body.seed ?? nanoid());
    res.status(201).json(created(req, room, facilitatorToken));
  });

  app.post('/api/games/:code/fork', async (req, res) => {
    if (!req.is('application/json'))
      throw new CommandError('bad-payload', 'send the request body as JSON (Content-Type: application/json)');
    const room = await registry.get(String(req.params.code));
    if (!room)
      throw new CommandError('not-found', `no game with code ${String(req.params.code).toUpperCase()}`);
    const who = await registry.byToken(requestToken(req));
    if (who?.room !== room || who.role !== 'facilitator')
      throw new CommandError('forbidden', "only this game's facilitator can fork it");
    const { round } = parsedBody(forkGameSchema, req.body);
    const fork = await registry.fork(room, round);
    res.status(201).json(created(req, fork.room, fork.facilitatorToken));
  });

  app.get('/api/games/:code', async (req, res) => {
    const room = await registry.get(String(req.params.code));
    if (!room)
      throw new CommandError('not-found', `no game with code ${String(req.params.code).toUpperCase()}`);
    const s = room.committedState;
    res.json({
      code: s.code,
      scenarioId: s.settings.scenarioId,
      rounds: s.settings.rounds,
      phase: s.phase,
      round: shownRound(s),
      teams: {
        us: s.seats.filter((x) => x.role === 'us').length,
        china: s.seats.filter((x) => x.role === 'china').length,
      },
      bots: s.settings.bots,
      forkOf: s.forkOf ?? null,
      // The address players should open (PUBLIC_URL when set): the lobby shows it beside the QR code.
      joinLink: `${baseUrl(req)}/#/join/${s.code}`,
    });
  });

  app.get('/api/games/:code/qr.svg', async (req, res) => {
    const room = await registry.get(String(req.params.code));
    if (!room)
      throw new CommandError('not-found', `no game with code ${String(req.params.code).toUpperCase()}`);
    const svg = await QRCode.toString(`${baseUrl(req)}/#/join/${room.state.code}`, {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    });
    res.type('image/svg+xml').set('Cache-Control', 'no-cache').send(svg);
  });

  app.get('/api/games/:code/export', async (req, res) => {
    const room = await registry.get(String(req.params.code));
    if (!room)
      throw new CommandError('not-found', `no game with code ${String(req.params.code).toUpperCase()}`);
    const who = await registry.byToken(requestToken(req));
    // Once the game has ended every seat sees the whole truth, so any seat of it may download it.
    const allowed = who?.room === room && (who.role === 'facilitator' || room.state.phase === 'ended');
    if (!allowed)
      throw new CommandError(
        'forbidden',
        "only this game's facilitator can export it before it ends (after the end, any of its seats)",
      );
    const format = String(req.query.format ?? 'json');
    // What is on disk: the log and the state it replays to, without commands still being written.
    const s = room.committedState;
    const name = `hotline-${s.code}-round-${s.game.round}`;
    res.set('Cache-Control', 'no-store');
    if (format === 'json') {
      res
        .type('application/json')
        .attachment(`${name}.json`)
        // The writer thread may already hold commands this room has not yet heard are on disk:
        // the log stops at the state it is exported with (seq counts the commands from 1).
        .send(jsonExport(s, (await deps.store.commands(s.id)).slice(0, s.seq)));
    } else if (format === 'md') {
      res.type('text/markdown; charset=utf-8').attachment(`${name}.md`).send(markdownReport(s));
    } else if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(metricsCsv(s));
    } else {
      throw new CommandError('bad-payload', `format must be json, md or csv, got "${format}"`);
    }
  });

  if (deps.clientDir) {
    // Hashed assets never change; index.html must be fetched anew to pick up a new build.
    app.use('/assets', express.static(join(deps.clientDir, 'assets'), { immutable: true, maxAge: '365d' }));
    app.use(express.static(deps.clientDir, { index: 'index.html', maxAge: 0 }));
  }

  app.use((_req, res) => {
    res.status(404).json({ ok: false, code: 'not-found', message: 'no such route' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof CommandError) {
      const status =
        {
          'not-found': 404,
          unauthorized: 401,
          forbidden: 403,
          'bad-payload': 400,
          restarting: 503,
          internal: 500,
        }[err.code as string] ?? 409;
      res.status(status).json({ ok: false, code: err.code, message: err.message });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    // A client that stops sending its body (or is timed out doing so) is gone: not a server fault.
    if (e.type === 'request.aborted') {
      res.status(400).end();
      return;
    }
    if (e.type === 'entity.too.large' || e.type === 'entity.parse.failed') {
      res
        .status(e.status ?? 400)
        .json({ ok: false, code: 'bad-payload', message: e.message ?? 'bad request body' });
      return;
    }
    // The rest of what express and body-parser cannot read is the client's fault too: a bad
    // percent-escape in the path, an unknown body encoding or charset, a body that does not
    // decompress. Found by the fuzzer (tests/faults/fuzz.ts): these used to answer 500.
    const zlib =
      typeof (err as { code?: unknown }).code === 'string' && /^Z_/.test((err as { code: string }).code);
    if (zlib || (typeof e.status === 'number' && e.status >= 400 && e.status < 500)) {
      const message = zlib ? 'the request body could not be decompressed' : (e.message ?? 'bad request');
      res.status(400).json({ ok: false, code: 'bad-payload', message });
      return;
    }
    log('http error', { error: (err as Error).stack ?? String(err) });
    res
      .status(500)
      .json({ ok: false, code: 'internal', message: 'the server could not answer; it has been logged' });
  });

  const http = createHttpServer(HTTP_LIMITS, app);
  refuseForeignUpgrades(http, (req) => originAllowed(req, origins));
  // A request Node's parser cannot read (a bad request line, header or chunk) gets the same JSON
  // refusal as any other instead of Node's bare 400. Found by the fuzzer (tests/faults/fuzz.ts).
  http.on(
    'clientError',
    (err: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
      // As Node's own handler does: never write into a response that has already begun.
      if (err.code !== 'ECONNRESET' && socket.writable && !socket._httpMessage?.headersSent) {
        if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
          socket.write('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
        else {
          const body = JSON.stringify({
            ok: false,
            code: 'bad-payload',
            message: 'the server could not read this HTTP request',
          });
          socket.write(
            `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
          );
        }
      }
      socket.destroy();
    },
  );
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    parser: jsonOnlyParser,
    connectTimeout: SOCKET_CONNECT_TIMEOUT_MS,
    wsEngine: PromptCloseWebSocketServer,
    serveClient: false,
    allowRequest: (req, cb) =>
      cb(originAllowed(req, origins) ? null : 'origin not allowed', originAllowed(req, origins)),
  });
  hub = new SocketHub(io, { registry, clock: deps.clock, log });

  return {
    http,
    io,
    registry,
    hub,
    ready,
    close: async () => {
      // Rooms stop first: a deadline or a command arriving while the queues drain would otherwise
      // be applied and then refused when the store closes under it.
      registry.dispose();
      await commits.flush();
      await snapshots.drain();
      await deps.store.setMeta(SHUTDOWN_KEY, String(deps.clock.now()));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections?.();
    },
  };
}
