import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io } from 'socket.io-client';
import { build } from 'vite';
import { createServer, type HotlineServer } from '../../server/app.ts';
import { systemClock } from '../../server/clock.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { CreateGameRequest, CreateGameResponse } from '../../shared/protocol/events.ts';

/**
 * The real server with the real built client, on loopback. The client is built once per test run
 * (the first test file to get here builds it; the others wait for its marker file).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const BUILD_DIR = join(ROOT, 'test-output', `client-build-${process.ppid}`);
const DONE = join(BUILD_DIR, '.built');
const LOCK = `${BUILD_DIR}.lock`;

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

export async function ensureClientBuilt(): Promise<string> {
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  for (let waited = 0; !existsSync(DONE); waited += 250) {
    let mine = false;
    try {
      mkdirSync(LOCK);
      mine = true;
    } catch {
      // Another test file is building; a lock older than 3 minutes belongs to a crashed run.
      if (Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 180_000)
        rmSync(LOCK, { recursive: true, force: true });
    }
    if (mine) {
      try {
        await build({
          configFile: join(ROOT, 'vite.config.ts'),
          logLevel: 'warn',
          build: { outDir: BUILD_DIR, emptyOutDir: true },
        });
        mkdirSync(BUILD_DIR, { recursive: true });
        writeFileSync(DONE, 'ok');
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
    } else {
      if (waited > 240_000) throw new Error('timed out waiting for another test file to build the client');
      await sleep(250);
    }
  }
  return BUILD_DIR;
}

export interface AppServer {
  url: string;
  port: number;
  dataDir: string;
  server: HotlineServer;
  /** Stops the server; the data directory stays when `keepData` is set, for a restart. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

/** Starts the server, or starts it again on the same port and data directory (a restart). */
export async function startAppServer(again?: { port: number; dataDir: string }): Promise<AppServer> {
  const clientDir = await ensureClientBuilt();
  const dataDir = again?.dataDir ?? mkdtempSync(join(tmpdir(), 'hotline-browser-'));
  const store = openSqliteStore(dataDir);
  const server = createServer({ store, clock: systemClock, clientDir, log: () => {} });
  await server.ready;
  await new Promise<void>((r) => server.http.listen(again?.port ?? 0, '127.0.0.1', r));
  const { port } = server.http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    server,
    stop: async (opts) => {
      await server.close();
      await store.close();
      if (!opts?.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A facilitator's socket on an existing game, for tests that set a scene quickly. */
export async function facilitatorSocket(url: string, token: string) {
  const socket = io(url, { transports: ['websocket'] });
  const send = (event: string, payload: object = {}) =>
    new Promise<void>((resolve, reject) =>
      socket.emit(event, payload, (a: { ok: boolean; message?: string }) =>
        a.ok ? resolve() : reject(new Error(`${event}: ${a.message}`)),
      ),
    );
  await send('game:resume', { token });
  return { send, close: () => socket.disconnect() };
}

/** Creates a game over HTTP and returns it with its facilitator's socket. */
export async function gameWithFacilitator(url: string, body: CreateGameRequest) {
  const res = await fetch(`${url}/api/games`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const game = (await res.json()) as CreateGameResponse;
  return { game, ...(await facilitatorSocket(url, game.facilitatorToken)) };
}
