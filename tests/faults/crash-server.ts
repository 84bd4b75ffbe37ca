import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** The built server, as `npm start` runs it (vitest's global setup and the fault runner build it). */
export const SERVER_ENTRY = fileURLToPath(new URL('../../dist/server/index.mjs', import.meta.url));

/** Lines of the server's JSON log that mean something went wrong inside it. */
const TROUBLE =
  /"msg":"(command failed|http error|storage write failed|deadline failed|downtime extension failed|game not loaded[^"]*)"/;

/**
 * The real server process on a fixed port and data directory, started again and again on the
 * same ones. It remembers when each incarnation was spawned and became ready, and collects every
 * log line that reports a failure inside the server.
 */
export class ServerProcess {
  child: ChildProcess | null = null;
  spawnedAt = 0;
  readyAt = 0;
  /** Failures the server itself logged, and exits nobody asked for. */
  readonly trouble: string[] = [];
  private tail = '';
  private expectExit = false;
  /** A run that dies (a test timeout, Ctrl-C) must not leave a server serving behind it. */
  private readonly orphanGuard = () => this.child?.kill('SIGKILL');

  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Spawns the server and resolves once it serves (rejects if it exits or takes over 20 s). */
  start(): Promise<void> {
    if (!existsSync(SERVER_ENTRY))
      throw new Error(`no built server at ${SERVER_ENTRY}: run npm run build:server`);
    this.expectExit = false;
    this.spawnedAt = Date.now();
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: { ...process.env, PORT: String(this.port), DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    process.once('exit', this.orphanGuard);
    const take = (d: Buffer) => {
      const text = String(d);
      this.tail = (this.tail + text).slice(-8000);
      for (const line of text.split('\n')) if (TROUBLE.test(line)) this.trouble.push(line.slice(0, 600));
    };
    child.stderr?.on('data', take);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server did not start in 20 s: ${this.tail}`)),
        20_000,
      );
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        take(d);
        out += String(d);
        if (this.readyAt < this.spawnedAt && out.includes('serving on')) {
          this.readyAt = Date.now();
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!this.expectExit) {
          this.trouble.push(
            `the server exited by itself (code ${code}, signal ${signal}): ${this.tail.slice(-600)}`,
          );
          reject(new Error(`the server exited (code ${code}, signal ${signal}): ${this.tail}`));
        }
      });
    });
  }

  /** Sends a signal and waits for the process to end; resolves with its exit code (null if killed). */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve({
        code: child?.exitCode ?? null,
        signal: child?.signalCode ?? null,
        at: Date.now(),
      });
    this.expectExit = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        process.off('exit', this.orphanGuard);
        this.child = null;
        resolve({ code, signal: sig, at: Date.now() });
      });
      child.kill(signal);
    });
  }

  output(): string {
    return this.tail;
  }
}

/** `PRAGMA integrity_check` on the database, opened read-only while no server runs. */
export function integrityCheck(dataDir: string): string {
  const db = new Database(join(dataDir, 'hotline.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}
