import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The real server process (dist/server/index.mjs) for the fuzzer, with its output captured: a log
 * line about a failed command or HTTP request is a defect the fuzzer has found, and an exit at
 * any time but the end is a crash.
 */
export class FuzzServer {
  readonly errors: string[] = [];
  exit: { code: number | null; signal: string | null } | null = null;
  private stopping = false;
  private tail = '';

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static start(
    root: string,
    port: number,
    dataDir: string,
    env: Record<string, string> = {},
  ): Promise<FuzzServer> {
    const child = spawn(process.execPath, [join(root, 'dist', 'server', 'index.mjs')], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const srv = new FuzzServer(child, port);
    child.stderr?.on('data', (d: Buffer) => srv.onStderr(String(d)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not start within 20 s')), 20_000);
      child.stdout?.on('data', (d: Buffer) => {
        if (String(d).includes('serving on')) {
          clearTimeout(timer);
          resolve(srv);
        }
      });
      child.on('exit', (code, signal) => {
        srv.exit = { code, signal };
        clearTimeout(timer);
        if (!srv.stopping)
          reject(new Error(`the server exited with code ${code} (${signal ?? 'no signal'})`));
      });
    });
  }

  private onStderr(text: string): void {
    const lines = (this.tail + text).split('\n');
    this.tail = lines.pop() ?? '';
    for (const line of lines) {
      // The missing client build is expected (the fuzzer needs no browser client); everything
      // else the server writes to stderr is a failure it logged.
      if (line.trim() && !line.includes('no built client')) this.errors.push(line.slice(0, 2000));
    }
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** SIGTERM, as an operator would stop it; resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.alive) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
      }, 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

/** Asks /healthz every `everyMs` until stopped; counts the answers that were not `200 {"ok":true}`. */
export function watchHealth(
  port: number,
  everyMs: number,
): { failures: () => number; checks: () => number; stop: () => void } {
  let failures = 0;
  let checks = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      checks++;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
        const body = (await res.json()) as { ok?: unknown };
        if (res.status !== 200 || body.ok !== true) failures++;
      } catch {
        failures++;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  void loop();
  return {
    failures: () => failures,
    checks: () => checks,
    stop: () => {
      stopped = true;
    },
  };
}
