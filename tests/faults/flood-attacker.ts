import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';

/**
 * The flooding client, in a process of its own: flooding from the process that times the
 * well-behaved clients would slow their event loop and be mistaken for a slow server.
 */
export type FloodMode = 'acked' | 'unacked';

export interface FloodJob {
  url: string;
  /** The attacker's own seat: it is a member of a real game, not a stranger. */
  token: string;
  mode: FloodMode;
  seconds: number;
  /** Reconnect (and resume the seat) each time the server cuts the socket, at most this many times. */
  maxReconnects: number;
}

export interface FloodReport {
  mode: FloodMode;
  sent: number;
  acks: Record<string, number>;
  /** Sockets the server cut (socket.io's "io server disconnect" or a dropped transport). */
  cut: number;
  reconnects: number;
  /** Resumes refused (for example rate-limited) after a cut. */
  resumesRefused: number;
  seconds: number;
}

/** How many packets may wait unsent in the client before it pauses: the attacker's memory, not a courtesy. */
const MAX_QUEUED = 2000;

const FLOOD_EVENTS: [string, unknown][] = [
  ['chat:send', { channel: 'us', text: 'flood flood flood' }],
  ['chat:send', { channel: 'public', text: 'FLOOD' }],
  ['draft:lock', { baseVersion: 0 }],
  ['fac:advance', {}],
  ['crisis:answer', { choice: 'cooperate' }],
  ['no-such-event', { x: 1 }],
];

async function flood(job: FloodJob): Promise<FloodReport> {
  const report: FloodReport = {
    mode: job.mode,
    sent: 0,
    acks: {},
    cut: 0,
    reconnects: 0,
    resumesRefused: 0,
    seconds: 0,
  };
  const started = Date.now();
  const stopAt = started + job.seconds * 1000;
  const count = (code: string) => {
    report.acks[code] = (report.acks[code] ?? 0) + 1;
  };
  while (Date.now() < stopAt && report.reconnects <= job.maxReconnects) {
    const s: Socket = io(job.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const ok = await new Promise<boolean>((resolve) => {
      s.once('connect', () => resolve(true));
      s.once('connect_error', () => resolve(false));
    });
    if (!ok) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    let closed = false;
    s.once('disconnect', (reason) => {
      closed = true;
      if (reason !== 'io client disconnect') report.cut++;
    });
    const resumed = (await s
      .timeout(10_000)
      .emitWithAck('game:resume', { token: job.token })
      .catch(() => ({ ok: false, code: 'timeout' }))) as { ok: boolean; code?: string };
    if (!resumed.ok) report.resumesRefused++;
    const engine = s.io.engine as unknown as { writeBuffer: unknown[] };
    let i = 0;
    while (!closed && Date.now() < stopAt) {
      for (let n = 0; n < 200 && !closed; n++, i++) {
        const [event, payload] = FLOOD_EVENTS[i % FLOOD_EVENTS.length] as [string, unknown];
        if (job.mode === 'acked')
          s.emit(event, payload, (a: { ok: boolean; code?: string }) => count(a.ok ? 'ok' : (a.code ?? '?')));
        else s.emit(event, payload);
        report.sent++;
      }
      // Yield so acknowledgements are read and the socket writes; wait while the kernel is full.
      await new Promise((r) => setImmediate(r));
      while (!closed && engine.writeBuffer.length > MAX_QUEUED) await new Promise((r) => setTimeout(r, 1));
    }
    s.disconnect();
    if (Date.now() < stopAt) report.reconnects++;
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

const SELF = fileURLToPath(import.meta.url);

/** Runs one flood in a child process (TypeScript through tsx) and resolves with its report. */
export function floodFromChild(job: FloodJob): Promise<FloodReport> {
  const child = fork(SELF, [], {
    execArgv: ['--import', 'tsx'],
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error('the flooding process did not finish'));
      },
      job.seconds * 1000 + 60_000,
    );
    child.once('message', (m: { report?: FloodReport; error?: string }) => {
      clearTimeout(timer);
      if (m.report) resolve(m.report);
      else reject(new Error(`the flooding process failed: ${m.error}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the flooding process exited with code ${code}`));
    });
    child.send({ job });
  });
}

if (process.send && process.argv[1] === SELF) {
  process.once('message', (m: { job: FloodJob }) => {
    flood(m.job).then(
      (report) => process.send?.({ report }, () => process.exit(0)),
      (e: unknown) => process.send?.({ error: String(e) }, () => process.exit(1)),
    );
  });
}
