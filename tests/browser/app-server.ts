import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { createServer, type HotlineServer } from '../../server/app.ts';
import { systemClock } from '../../server/clock.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';

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
  server: HotlineServer;
  stop(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const clientDir = await ensureClientBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-browser-'));
  const store = openSqliteStore(dataDir);
  const server = createServer({ store, clock: systemClock, clientDir, log: () => {} });
  await new Promise<void>((r) => server.http.listen(0, '127.0.0.1', r));
  const { port } = server.http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: async () => {
      await server.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
