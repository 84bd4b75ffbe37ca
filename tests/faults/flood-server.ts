import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server/cli/child-server.ts';

/** The built server, as `npm start` runs it (vitest's global setup and the fault runner build it). */
const ENTRY = fileURLToPath(new URL('../../dist/server/index.mjs', import.meta.url));

/** Lines of the server's JSON log that mean something failed inside it. */
const TROUBLE =
  /"msg":"(command failed|http error|storage write failed|deadline failed|downtime extension failed)"/;

export interface LiveServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Failures the server logged and exits nobody asked for: each one is a problem for the check. */
  readonly trouble: string[];
  /** Whether the process is still running. */
  alive(): boolean;
  /** SIGTERM (SIGKILL after 10 s), then removes the data directory. */
  stop(): Promise<void>;
}

/**
 * One real server process on a fresh data directory, for checks that run for a while and must
 * notice if the server dies or logs an internal failure along the way.
 */
export async function startServerProcess(
  opts: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): Promise<LiveServer> {
  if (!existsSync(ENTRY)) throw new Error(`no built server at ${ENTRY}: run npm run build:server`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-faults-'));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ENTRY], {
    env: { ...process.env, ...opts.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const trouble: string[] = [];
  let tail = '';
  let stopping = false;
  let exited = false;
  const take = (d: Buffer) => {
    const text = String(d);
    tail = (tail + text).slice(-4000);
    for (const line of text.split('\n')) if (TROUBLE.test(line)) trouble.push(line.slice(0, 400));
  };
  child.stderr?.on('data', take);
  child.on('exit', (code, signal) => {
    exited = true;
    if (!stopping)
      trouble.push(`the server exited unasked (code ${code}, signal ${signal}): ${tail.slice(-600)}`);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 20 s: ${tail}`)), 20_000);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      take(d);
      out += String(d);
      if (out.includes('serving on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the server exited before serving: ${tail}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    trouble,
    alive: () => !exited,
    stop: async () => {
      stopping = true;
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
