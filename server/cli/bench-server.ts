import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choiceFlag, intFlag, parseFlags, runCli } from './args.ts';
import { freePort, startChildServer } from './child-server.ts';
import { P99_LIMIT_MS, searchSaturation } from './saturation.ts';

const USAGE = `usage: npm run bench:server -- [--rooms N] [--seats N] [--seconds N] [--timeline] [--format table|json]
  Starts the server as its own process and drives it from two load processes (games of 6 to 12
  rounds, so tables finish at different times; a finished table starts a new game). Scenario 1: N rooms
  (default 500) of --seats sockets each (default 4: facilitator, US, China, observer), every room
  playing a full round every 2 s after a warm-up. Scenario 2: 60 rooms of 30 seats (teams of 14)
  where everyone edits and the leads lock. Then the pace rises until p99 passes 250 ms, and two
  more trials halve the gap between the last pace that held and the first that did not.
  Latency: from the last order lock to the round's result reaching every socket of the room.
  --seconds         measured seconds per scenario (default 20)
  --no-large        skip scenario 2;  --no-saturation  skip the saturation search
  --timeline        also print scenarios 1 and 2 second by second: rounds, p50/p99/max latency and
                    the new games opened (a table that finishes starts a new game on new
                    connections); the JSON always holds it, as "timeline"`;

interface Result {
  rooms: number;
  sockets: number;
  roundsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  peakRssMb: number;
  cpuPercent: number;
  /** The part of `cpuPercent` spent in the kernel (system time): mostly the sockets' writes and reads. */
  cpuSystemPercent: number;
  /** CPU of the load processes together (100 = one core), to tell a busy server from busy load. */
  loadCpuPercent: number;
  /** The part of `loadCpuPercent` spent in the kernel. */
  loadCpuSystemPercent: number;
  /** Finished games replaced by new ones (new game, four new connections, joins) per second. */
  gamesOpenedPerSecond: number;
  errors: number;
  /** Second by second: how the latency moves, and when games end and new ones start. */
  timeline: SecondOfRun[];
}

interface SecondOfRun {
  second: number;
  rounds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  gamesOpened: number;
}

function timelineOf(done: LoadReport[], seconds: number): SecondOfRun[] {
  const out: SecondOfRun[] = [];
  for (let k = 0; k < seconds; k++) {
    const inSecond = (t: number) => t >= k * 1000 && t < (k + 1) * 1000;
    const lat = done
      .flatMap((d) => d.latencies.filter((_, i) => inSecond(d.doneAtMs[i] ?? -1)))
      .sort((a, b) => a - b);
    out.push({
      second: k + 1,
      rounds: lat.length,
      p50Ms: Math.round(percentile(lat, 50)),
      p99Ms: Math.round(percentile(lat, 99)),
      maxMs: Math.round(lat[lat.length - 1] ?? Number.NaN),
      gamesOpened: done.reduce((n, d) => n + d.openedAtMs.filter(inSecond).length, 0),
    });
  }
  return out;
}

interface LoadReport {
  latencies: number[];
  doneAtMs: number[];
  openedAtMs: number[];
  rounds: number;
  errors: number;
  gamesOpened: number;
}

const WORKERS = 2;
const PACE_MS = 2000;
const here = import.meta.dirname;

interface CpuTime {
  cpuSeconds: number;
  /** Of `cpuSeconds`, the time spent in the kernel on the process's behalf. */
  systemSeconds: number;
}

/** Resident memory and CPU time (user and system) of a process, from /proc (Linux). */
function sample(pid: number): CpuTime & { rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const user = Number(stat[11] ?? 0);
  const system = Number(stat[12] ?? 0);
  return { rssMb: rssKb / 1024, cpuSeconds: (user + system) / 100, systemSeconds: system / 100 };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function scenario(
  url: string,
  serverPid: number,
  rooms: number,
  seats: number,
  seconds: number,
  paceMs: number,
): Promise<Result> {
  const teamSize = Math.max(1, Math.floor((seats - 2) / 2));
  const warmupMs = Math.min(5000, paceMs * 2);
  const workers = Array.from({ length: WORKERS }, () =>
    fork(join(here, 'bench-load.mjs'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Like BENCH_SERVER_NODE_ARGS for the server: a profiler for the load processes alone.
      execArgv: (process.env.BENCH_LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean),
    }),
  );
  let ready = 0;
  const allReady = new Promise<void>((resolve) => {
    for (const w of workers)
      w.on('message', (m: { type: string }) => {
        if (m.type === 'ready' && ++ready === workers.length) resolve();
      });
  });
  const results = workers.map(
    (w) =>
      new Promise<LoadReport>((resolve, reject) => {
        w.on('message', (m: LoadReport & { type: string; message?: string }) => {
          if (m.type === 'done') resolve(m);
          if (m.type === 'error') reject(new Error(m.message));
        });
        w.on('exit', (code) => code !== 0 && reject(new Error(`a load process exited with code ${code}`)));
      }),
  );
  // Each worker opens its rooms first; the clock starts for everyone together afterwards.
  workers.forEach((w, i) => {
    const share = Math.floor(rooms / WORKERS) + (i < rooms % WORKERS ? 1 : 0);
    w.send({
      type: 'start',
      job: { url, rooms: share, teamSize, paceMs, warmupMs, durationMs: seconds * 1000, offsetMs: 200 },
    });
  });
  await allReady;
  let peak = 0;
  const cpuStart = sample(serverPid);
  // A load process that has finished is gone from /proc: keep the last figure read for it.
  const lastLoad: CpuTime[] = workers.map(() => ({ cpuSeconds: 0, systemSeconds: 0 }));
  const loadCpu = (): CpuTime => {
    const sum = { cpuSeconds: 0, systemSeconds: 0 };
    workers.forEach((w, i) => {
      try {
        if (w.pid && w.exitCode === null) lastLoad[i] = sample(w.pid);
      } catch {
        // finished between the check and the read
      }
      sum.cpuSeconds += lastLoad[i]?.cpuSeconds ?? 0;
      sum.systemSeconds += lastLoad[i]?.systemSeconds ?? 0;
    });
    return sum;
  };
  const loadStart = loadCpu();
  const t0 = performance.now();
  const timer = setInterval(() => {
    peak = Math.max(peak, sample(serverPid).rssMb);
  }, 250);
  let loadEnd = loadStart;
  const loadTimer = setInterval(() => {
    loadEnd = loadCpu();
  }, 250);
  const done = await Promise.all(results);
  clearInterval(timer);
  clearInterval(loadTimer);
  const elapsed = (performance.now() - t0) / 1000;
  const cpuEnd = sample(serverPid);
  const percentOf = (end: CpuTime, start: CpuTime, key: keyof CpuTime) =>
    Math.round(((end[key] - start[key]) / elapsed) * 100);
  const lat = done.flatMap((d) => d.latencies).sort((a, b) => a - b);
  const rounds = done.reduce((a, d) => a + d.rounds, 0);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    rooms,
    sockets: rooms * (teamSize * 2 + 2),
    roundsPerSecond: r2(rounds / seconds),
    p50Ms: r2(percentile(lat, 50)),
    p95Ms: r2(percentile(lat, 95)),
    p99Ms: r2(percentile(lat, 99)),
    maxMs: r2(lat[lat.length - 1] ?? Number.NaN),
    peakRssMb: r2(peak),
    cpuPercent: percentOf(cpuEnd, cpuStart, 'cpuSeconds'),
    cpuSystemPercent: percentOf(cpuEnd, cpuStart, 'systemSeconds'),
    loadCpuPercent: percentOf(loadEnd, loadStart, 'cpuSeconds'),
    loadCpuSystemPercent: percentOf(loadEnd, loadStart, 'systemSeconds'),
    gamesOpenedPerSecond: r2(done.reduce((a, d) => a + d.gamesOpened, 0) / seconds),
    errors: done.reduce((a, d) => a + d.errors, 0),
    timeline: timelineOf(done, seconds),
  };
}

function timelineRows(label: string, r: Result): string[] {
  return [
    `${label}, second by second: second rounds p50 ms p99 ms max ms new games`,
    ...r.timeline.map(
      (t) =>
        `  ${String(t.second).padStart(4)} ${String(t.rounds).padStart(6)} ${String(t.p50Ms).padStart(6)} ${String(t.p99Ms).padStart(6)} ${String(t.maxMs).padStart(6)} ${String(t.gamesOpened).padStart(9)}`,
    ),
  ];
}

function line(label: string, r: Result): string {
  return `${label.padEnd(26)} ${String(r.rooms).padStart(5)} ${String(r.sockets).padStart(7)} ${String(r.roundsPerSecond).padStart(8)} ${String(r.p50Ms).padStart(8)} ${String(r.p95Ms).padStart(8)} ${String(r.p99Ms).padStart(8)} ${String(r.maxMs).padStart(8)} ${String(r.peakRssMb).padStart(8)} ${String(r.cpuPercent).padStart(5)} ${String(r.cpuSystemPercent).padStart(5)} ${String(r.loadCpuPercent).padStart(6)} ${String(r.gamesOpenedPerSecond).padStart(7)} ${String(r.errors).padStart(6)}`;
}

runCli(USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), {
    rooms: { type: 'string' },
    seats: { type: 'string' },
    seconds: { type: 'string' },
    format: { type: 'string' },
    'no-large': { type: 'boolean' },
    'no-saturation': { type: 'boolean' },
    timeline: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const rooms = intFlag('rooms', flags.rooms, 500, 1, 5000);
  const seats = intFlag('seats', flags.seats, 4, 4, 32);
  const seconds = intFlag('seconds', flags.seconds, 20, 2, 600);
  const format = choiceFlag('format', flags.format, 'table', ['table', 'json'] as const);
  void (async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-'));
    const port = await freePort();
    const server = await startChildServer(join(here, '..'), port, dataDir);
    const url = `http://127.0.0.1:${port}`;
    const pid = server.pid ?? 0;
    try {
      const main = await scenario(url, pid, rooms, seats, seconds, PACE_MS);
      const large = flags['no-large'] ? null : await scenario(url, pid, 60, 30, seconds, PACE_MS);
      // Same rooms, rising pace (in rounds per second across all rooms), then refined.
      const { saturation, trials } = flags['no-saturation']
        ? { saturation: null, trials: [] as Result[] }
        : await searchSaturation((rate) =>
            scenario(url, pid, rooms, 4, Math.min(seconds, 10), Math.round((rooms / rate) * 1000)),
          );
      const out = {
        ...main,
        saturationRoundsPerSecond: saturation,
        largeRooms: large,
        saturationTrials: trials,
        node: process.version,
      };
      if (format === 'json') process.stdout.write(`${JSON.stringify(out)}\n`);
      else {
        const head = `${'scenario'.padEnd(26)} ${'rooms'.padStart(5)} ${'sockets'.padStart(7)} ${'rounds/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'RSS MB'.padStart(8)} ${'CPU%'.padStart(5)} ${'sys%'.padStart(5)} ${'load%'.padStart(6)} ${'games/s'.padStart(7)} ${'errors'.padStart(6)}`;
        const rows = [head, line(`${rooms} rooms × ${seats}, 1 round/2 s`, main)];
        if (large) rows.push(line('60 rooms × 30 seats', large));
        for (const t of trials) rows.push(line(`pace trial`, t));
        rows.push(
          `saturation (highest pace with p99 ≤ ${P99_LIMIT_MS} ms, found to within about 25 rounds/s): ${saturation ?? 'not reached'} rounds/s`,
        );
        if (flags.timeline) {
          rows.push(...timelineRows(`${rooms} rooms × ${seats}`, main));
          if (large) rows.push(...timelineRows('60 rooms × 30 seats', large));
        }
        process.stdout.write(`${rows.join('\n')}\n`);
      }
    } finally {
      server.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
  })().catch((e) => {
    process.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
});
