import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../server/cli/child-server.ts';
import type { ViewUpdate } from '../../shared/protocol/room.ts';
import { type CheckContext, type CheckTally, checkGame, emptyTally } from './crash-checks.ts';
import type { CrashClient } from './crash-client.ts';
import { type GameRecord, randomSpec, Table } from './crash-game.ts';
import { Random } from './crash-random.ts';
import { integrityCheck, ServerProcess } from './crash-server.ts';
import { fullDiskStart, type Refusal, readOnlyStart } from './crash-startup.ts';

export interface CrashOptions {
  /** Tables playing at once; a table whose game ends is replaced by a new one. */
  games: number;
  /** SIGKILLs (one SIGTERM restart comes on top, unless `sigterm` is false). */
  kills: number;
  seed: number;
  /** Bound on the whole run: the kill loop stops (and says so) when it is up. */
  maxSeconds?: number;
  /** Play between restarts and kills, in ms (a seeded draw from this range each time). */
  gapMs?: [number, number];
  sigterm?: boolean;
  /** Also start the server on a read-only and on a full data directory. */
  startup?: boolean;
  /** Archived games (ended, already checked once since) checked again after each restart, in turn. */
  archivedPerRestart?: number;
  /** Play on this (empty) directory and keep it afterwards, for a look at the database. */
  dataDir?: string;
  log?: (line: string) => void;
}

export const FULL_CRASH_OPTIONS = {
  games: 40,
  kills: 120,
  seed: 1,
  maxSeconds: 720,
  gapMs: [200, 1200] as [number, number],
} satisfies CrashOptions;

export interface CrashResult {
  kills: number;
  restarts: number;
  gamesPlayed: number;
  /** Acknowledged commands (game creations, joins and every socket command answered ok). */
  commandsAcked: number;
  /** Of those, found in the logs after the last restart. */
  commandsFoundAfterRestart: number;
  replayMismatches: number;
  integrityFailures: number;
  /** Slowest client from the restart (process spawned) to its seat resumed, over all restarts. */
  maxSecondsBackInSeat: number;
  startupRefusals: { readOnly: Refusal | null; fullDisk: Refusal | null };
  sigterm: {
    clients: number;
    notified: number;
    exitCode: number | null;
    clocksRunning: number;
    clocksMovedOn: number;
  } | null;
  /** Kills sent a few milliseconds into a burst of unanswered commands. */
  burstKills: number;
  /** Kills sent while clients were still resuming after the previous restart. */
  resumeStormKills: number;
  /** Commands whose answer a kill cut off (the log may or may not hold them; both are correct). */
  answersCutOff: number;
  deadlinesPassedWhileDown: number;
  /** Checks of one game after one restart, and views shown compared with the log. */
  gameChecks: number;
  viewsCompared: number;
  seconds: number;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `xs` with at most `n` at a time. */
async function pool<T>(xs: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, xs.length) }, async () => {
      while (next < xs.length) await fn(xs[next++] as T);
    }),
  );
}

/**
 * Crash and restart, nothing lost (issue 5, item 1). The real server process runs on a temporary
 * data directory; tables of bot-driven socket clients play on it while it is killed with SIGKILL
 * at seeded moments (some in the middle of bursts of commands, some while clients are still
 * resuming), restarted on the same directory and port, and checked after every restart; once
 * in the run it is stopped with SIGTERM instead. Finally it is started on a read-only and on a
 * full data directory, where it must refuse to start.
 */
export async function runCrash(opts: CrashOptions): Promise<CrashResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const stopBy = started + (opts.maxSeconds ?? 600) * 1000;
  // Time kept back for the final check (every log replayed from its seed) and the start-ups.
  const reserve = Math.min(90_000, (opts.maxSeconds ?? 600) * 300);
  const [gapLo, gapHi] = opts.gapMs ?? [300, 2500];
  const rnd = new Random(opts.seed);
  const seen = new Set<string>();
  const problems: string[] = [];
  const problem = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    if (problems.length < 100) problems.push(p);
    else if (problems.length === 100) problems.push('… more problems left out');
  };

  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hotline-crash-'));
  const server = new ServerProcess(await freePort(), dataDir);
  const tables: Table[] = [];
  const records: GameRecord[] = [];
  const tally: CheckTally = emptyTally();
  const result: CrashResult = {
    kills: 0,
    restarts: 0,
    gamesPlayed: 0,
    commandsAcked: 0,
    commandsFoundAfterRestart: 0,
    replayMismatches: 0,
    integrityFailures: 0,
    maxSecondsBackInSeat: 0,
    startupRefusals: { readOnly: null, fullDisk: null },
    sigterm: null,
    burstKills: 0,
    resumeStormKills: 0,
    answersCutOff: 0,
    deadlinesPassedWhileDown: 0,
    gameChecks: 0,
    viewsCompared: 0,
    seconds: 0,
    problems,
  };
  let playing = true;
  let tableNo = 0;
  let rotation = 0;
  let checkMs = 0;
  let lastSlowest = 0;
  const clients = (): CrashClient[] => tables.flatMap((t) => t.clients);
  const cutOff = () => clients().reduce((n, c) => n + c.inFlightLost, 0);

  const openTable = async () => {
    const t = await Table.open(
      server.url,
      randomSpec(rnd),
      rnd.fork(`table ${tableNo++}`),
      problem,
      () => !playing,
    );
    records.push(t.record);
    tables.push(t);
    t.play();
  };

  const integrity = () => {
    const said = integrityCheck(dataDir);
    if (said !== 'ok') {
      result.integrityFailures++;
      problem(`integrity_check after a stop said: ${said.slice(0, 300)}`);
    }
  };

  /** Waits for every client to be back in its seat after the restart, and checks every game. */
  const settle = async (ctx: CheckContext) => {
    const waitUntil = Date.now() + 30_000;
    const isBack = (c: CrashClient) => c.seatedAt >= ctx.spawnedAt;
    // The checks wait until everyone is back: their exports must not slow the resumes measured.
    while (!clients().every(isBack) && Date.now() < waitUntil) await sleep(20);
    const late = clients().filter((c) => !isBack(c));
    for (const c of late) problem(`${c.name} of ${c.code} was not back in its seat 30 s after a restart`);
    const slowest = Math.max(0, ...clients().map((c) => c.seatedAt - ctx.spawnedAt)) / 1000;
    result.maxSecondsBackInSeat = Math.max(result.maxSecondsBackInSeat, late.length ? 30 : slowest);
    lastSlowest = slowest;
    if (slowest > 15) problem(`a client took ${slowest.toFixed(1)} s to get back in its seat (limit 15 s)`);
    // Every game still playing or newly archived; of the settled archive, the next few in turn.
    const settled = records.filter((r) => (r.checksSinceClosed ?? 0) > 0);
    const due = records.filter((r) => (r.checksSinceClosed ?? 0) === 0);
    const n = Math.min(settled.length, opts.archivedPerRestart ?? 8);
    for (let i = 0; i < n; i++) due.push(settled[(rotation + i) % settled.length] as GameRecord);
    rotation += n;
    const t0 = Date.now();
    await pool(due, 4, async (rec) => {
      const closed = rec.checksSinceClosed !== null;
      try {
        await checkGame(server.url, rec, ctx, tally, problem);
        if (closed && rec.checksSinceClosed !== null) rec.checksSinceClosed++;
        result.gameChecks++;
      } catch (e) {
        problem(`checking ${rec.code}: ${(e as Error).message}`);
      }
    });
    checkMs = Date.now() - t0;
  };

  // Keeps `games` tables playing: a table whose game has ended makes room for a new one.
  const replacer = (async () => {
    while (playing) {
      await sleep(500);
      for (const t of [...tables]) {
        if (!playing || !t.ended) continue;
        tables.splice(tables.indexOf(t), 1);
        await t.stop();
        try {
          if (playing && Date.now() < stopBy - 60_000) await openTable();
        } catch (e) {
          if (playing) problem(`opening a table: ${(e as Error).message}`);
        }
      }
    }
  })();

  try {
    await server.start();
    for (let i = 0; i < opts.games; i++) await openTable();
    // Kills start once every table has left its lobby, so each restart finds clocks running.
    const startBy = Date.now() + 30_000;
    while (tables.some((t) => (t.fac.lastView?.phase ?? 'lobby') === 'lobby') && Date.now() < startBy)
      await sleep(50);
    const sigtermAt = opts.sigterm === false ? -1 : Math.floor(opts.kills / 2);
    let early = false;
    for (let k = 0; k < opts.kills + (sigtermAt >= 0 ? 1 : 0); k++) {
      if (Date.now() > stopBy - reserve) {
        problem(`stopped after ${result.kills} kills: the run's ${opts.maxSeconds ?? 600} s were nearly up`);
        break;
      }
      await sleep(early ? rnd.int(0, 150) : rnd.int(gapLo, gapHi));
      if (early) result.resumeStormKills++;
      const burst = k === sigtermAt || rnd.chance(0.5);
      if (burst) {
        for (const t of tables) t.burst(rnd);
        await sleep(rnd.int(0, 8));
      }
      const before = new Map<string, ViewUpdate>();
      for (const r of records) if (r.fac?.lastView) before.set(r.code, r.fac.lastView);
      const lostBefore = cutOff();
      const t0 = Date.now();
      let ctx: CheckContext;
      if (k === sigtermAt) {
        const seated = clients().filter((c) => c.seated);
        const notices = new Map(seated.map((c) => [c, c.restartNotices]));
        const termSentAt = Date.now();
        const down = await server.stop('SIGTERM');
        await sleep(200);
        const notified = seated.filter((c) => c.restartNotices > (notices.get(c) ?? 0)).length;
        if (down.code !== 0)
          problem(`SIGTERM: the server exited with code ${down.code} (signal ${down.signal})`);
        if (notified < seated.length)
          problem(
            `SIGTERM: ${seated.length - notified} of ${seated.length} connected clients were not told of the restart`,
          );
        integrity();
        // Long enough a downtime to be measured against the clocks' extension.
        await sleep(rnd.int(1000, 2000));
        await server.start();
        result.restarts++;
        ctx = {
          kind: 'term',
          spawnedAt: server.spawnedAt,
          readyAt: server.readyAt,
          seenBefore: before,
          termSentAt,
          exitedAt: down.at,
        };
        const clocks = { running: tally.clocksAtShutdown, moved: tally.downtimeExtensions };
        await settle(ctx);
        result.sigterm = {
          clients: seated.length,
          notified,
          exitCode: down.code,
          clocksRunning: tally.clocksAtShutdown - clocks.running,
          clocksMovedOn: tally.downtimeExtensions - clocks.moved,
        };
        early = false;
      } else {
        await server.stop('SIGKILL');
        result.kills++;
        if (burst) result.burstKills++;
        integrity();
        // Sometimes stay down until a deadline that is about to pass has passed.
        const soon = [...before.values()]
          .map((v) => v.deadline)
          .filter((d): d is number => d !== null && d > Date.now() && d < Date.now() + 2000);
        if (soon.length && rnd.chance(0.3)) await sleep(Math.min(...soon) - Date.now() + 50);
        await server.start();
        result.restarts++;
        ctx = { kind: 'kill', spawnedAt: server.spawnedAt, readyAt: server.readyAt, seenBefore: before };
        early = rnd.chance(0.2) && k + 1 !== sigtermAt;
        if (!early) await settle(ctx);
      }
      result.answersCutOff += Math.max(0, cutOff() - lostBefore);
      log(
        `${ctx.kind === 'term' ? 'SIGTERM' : `kill ${result.kills}/${opts.kills}`}: ${tables.length} tables, ` +
          `${records.length} games, down ${((server.readyAt - t0) / 1000).toFixed(1)} s, ` +
          `${early ? 'next kill during the resume' : `all back in ${lastSlowest.toFixed(1)} s, ${checkMs} ms of checks`}, ` +
          `${problems.length} problems`,
      );
    }
    if (early) {
      const ctx = {
        kind: 'kill' as const,
        spawnedAt: server.spawnedAt,
        readyAt: server.readyAt,
        seenBefore: new Map(),
      };
      await settle(ctx);
    }

    // The final check, with every client quiet: each game's log replayed from its seed.
    playing = false;
    await replacer;
    for (const t of tables) await t.pause();
    await sleep(300);
    const final = emptyTally();
    const ctx: CheckContext = {
      kind: 'final',
      spawnedAt: server.spawnedAt,
      readyAt: server.readyAt,
      seenBefore: new Map(),
    };
    await pool([...records], 4, async (rec) => {
      try {
        await checkGame(server.url, rec, ctx, final, problem);
      } catch (e) {
        problem(`final check of ${rec.code}: ${(e as Error).message}`);
      }
    });
    result.commandsAcked = records.reduce((n, r) => n + r.ledger.length, 0);
    result.commandsFoundAfterRestart = final.found;
    result.replayMismatches = tally.replayMismatches + final.replayMismatches;
    result.deadlinesPassedWhileDown = tally.deadlinesPassedWhileDown;
    result.viewsCompared = tally.viewsCompared;
    result.gamesPlayed = records.length;
    for (const t of tables.splice(0)) await t.stop();

    // The database a crash leaves behind, for the start-up checks.
    await server.stop('SIGKILL');
    integrity();
    if (opts.startup !== false) {
      result.startupRefusals.readOnly = await readOnlyStart(dataDir);
      result.startupRefusals.fullDisk = await fullDiskStart(dataDir);
      for (const [what, r] of Object.entries(result.startupRefusals)) {
        if (!r) continue;
        log(
          `${what}: ${r.method}: ${r.cases.map((c) => `${c.name}: exit ${c.exitCode}, "${c.message}"`).join('; ')}`,
        );
        if (!r.method.startsWith('unavailable') && !r.refused)
          problem(`start-up on a ${what} data directory was not refused clearly: ${JSON.stringify(r.cases)}`);
      }
    }
  } catch (e) {
    problem(`the run stopped: ${(e as Error).stack ?? String(e)}`);
  } finally {
    playing = false;
    await replacer.catch(() => undefined);
    for (const t of tables.splice(0)) await t.stop();
    await server.stop('SIGKILL');
    for (const line of server.trouble) problem(`server: ${line}`);
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    result.seconds = (Date.now() - started) / 1000;
  }
  return result;
}
