import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { freePort } from '../../server/cli/child-server.ts';
import type { Ack } from '../../shared/protocol/errors.ts';
import { type CreateGameResponse, commandSchemas, type JoinResult } from '../../shared/protocol/events.ts';
import { judgeHttp, sendHttp } from './fuzz-http.ts';
import { type HttpRefs, nextHttpCase } from './fuzz-http-cases.ts';
import { type GameSlot, Lane, type LaneContext, SEAT_NAMES, type Seat, type SeatName } from './fuzz-lane.ts';
import type { PlayersReport } from './fuzz-players.ts';
import { Rng } from './fuzz-rng.ts';
import { FuzzServer, watchHealth } from './fuzz-server.ts';
import { finalDatabaseCheck, StateChecker } from './fuzz-state.ts';
import { FuzzTally } from './fuzz-tally.ts';

/**
 * Issue 5, part 2: bad input never hurts. A seeded fuzzer throws malformed, oversized, wrongly
 * typed, out-of-order and replayed payloads at every socket event and HTTP route of the real
 * server process, while well-behaved games (in a process of their own) play on beside it.
 */
export interface FuzzOptions {
  /** At least this many payloads, socket frames and HTTP requests together. */
  payloads: number;
  seed: number;
  /** Fuzzing sockets, spread over the fuzzed games and their seats. */
  lanes: number;
  /** Games the sockets fuzz (at least 2, so tokens of another game exist). */
  games: number;
  /** Cases each lane sends between two state checks. */
  batch: number;
  /** Share of the payloads sent over HTTP. */
  httpShare: number;
  httpConcurrency: number;
  /** Commands per second each fuzzing socket sends (the server allows 10, bursts of 30). */
  laneRate: number;
  /** Well-behaved games, and the pause between two of their commands. */
  wellBehavedGames: number;
  paceMs: number;
  /** How long the well-behaved games are measured alone, before the fuzzer starts. */
  quietMs: number;
  /** The fuzzing stops here whether or not `payloads` were sent (which is then a problem). */
  maxSeconds: number;
  /** The well-behaved games' p99 with the fuzzer may not exceed this (generous: a stuck server, not noise). */
  maxP99WithMs: number;
  log?: (line: string) => void;
}

export const FULL_FUZZ_OPTIONS = {
  payloads: 100_000,
  seed: 1,
  lanes: 60,
  games: 5,
  batch: 40,
  httpShare: 0.2,
  httpConcurrency: 3,
  laneRate: 8.5,
  wellBehavedGames: 4,
  paceMs: 80,
  quietMs: 30_000,
  maxSeconds: 240,
  maxP99WithMs: 1000,
} satisfies Omit<FuzzOptions, 'log'>;

export interface FuzzResult {
  payloads: number;
  socketPayloads: number;
  httpRequests: number;
  /** Answers to fuzzed socket commands by error code ('ok' for the accepted ones). */
  acksByCode: Record<string, number>;
  /** Socket answers or HTTP responses outside the protocol (unknown code, wrong shape, undocumented status). */
  undocumentedAnswers: number;
  /** Times the server process exited while it was being fuzzed (0 or 1: the run stops there). */
  crashes: number;
  /** Logged commands (or in-memory changes) no accepted command accounts for. */
  stateChangesOnInvalid: number;
  /** Commands accepted from a seat the protocol forbids them to (any is a problem). */
  forbiddenAccepted: number;
  /** Answers `forbidden` or `unauthorized`: commands refused for the seat (or none) that sent them. */
  authzRefusals: number;
  disconnectsForOversize: number;
  disconnectsForFlood: number;
  disconnectsForMalformed: number;
  /** Well-behaved games: command acknowledgement time in ms, without and with the fuzzer running. */
  p50Without: number;
  p99Without: number;
  p50With: number;
  p99With: number;
  /** Well-behaved games: from the last lock to the result on every socket, p99 in ms. */
  roundP99Without: number;
  roundP99With: number;
  wellBehavedCommands: { without: number; with: number };
  wellBehavedRounds: { without: number; with: number };
  /** Socket events (of commandSchemas) that were fuzzed and answered. */
  eventsCovered: string[];
  httpRoutesCovered: string[];
  httpStatuses: Record<string, number>;
  caseCounts: Record<string, number>;
  stateChecks: number;
  phasesSeen: string[];
  healthChecks: number;
  healthFailures: number;
  seconds: number;
  problems: string[];
}

const ROOT = join(import.meta.dirname, '..', '..');
/** The seats of the lanes of one game: one lane per seat, and unbound lanes. */
const LAYOUT: (SeatName | 'none')[] = ['none', ...SEAT_NAMES, 'none', 'none'];
const WEEK = 604_800;
const LONG_DEADLINES = { briefing: WEEK, negotiation: WEEK, orders: WEEK, crisis: WEEK, summary: WEEK };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(xs: number[], p: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

async function post(url: string, body: unknown): Promise<CreateGameResponse> {
  const res = await fetch(`${url}/api/games`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`creating a game: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateGameResponse;
}

/** A game with a facilitator, two members per team and an observer; started when `start`. */
async function seatedGame(url: string, start: boolean, generation: number): Promise<GameSlot> {
  const game = await post(url, { scenarioId: 'classroom-short', rounds: 12, deadlines: LONG_DEADLINES });
  const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    const cmd = async <T>(event: string, payload: unknown): Promise<T> => {
      const a = (await s.timeout(15_000).emitWithAck(event, payload)) as Ack<T>;
      if (!a.ok) throw new Error(`${event}: ${a.code}: ${a.message}`);
      return a.data;
    };
    // One socket may join seat after seat: each join binds it to the new seat. The first to join
    // a team leads it.
    const tokens = { fac: game.facilitatorToken } as Record<SeatName, string>;
    for (const seat of SEAT_NAMES) {
      if (seat === 'fac') continue;
      const role = seat.startsWith('us') ? 'us' : seat.startsWith('china') ? 'china' : 'observer';
      tokens[seat] = (await cmd<JoinResult>('game:join', { code: game.code, name: seat, role })).token;
    }
    if (start) {
      await cmd('game:resume', { token: game.facilitatorToken });
      await cmd('fac:start', {});
    }
    return { code: game.code, tokens, generation };
  } finally {
    s.disconnect();
  }
}

/** Forks the well-behaved games' process (through tsx, as the tests and the runner run). */
function startPlayers(url: string, games: number, paceMs: number): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, 'fuzz-players-child.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') resolve(child);
      if (m.type === 'error') reject(new Error(`well-behaved games: ${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`the well-behaved games' process exited (${code})`)));
    child.send({ type: 'start', job: { url, games, paceMs } });
  });
}

function stopPlayers(child: ChildProcess): Promise<PlayersReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the well-behaved games did not stop within 60 s'));
    }, 60_000);
    child.on('message', (m: { type: string; report?: PlayersReport }) => {
      if (m.type === 'done' && m.report) {
        clearTimeout(timer);
        resolve(m.report);
      }
    });
    child.send({ type: 'stop' });
  });
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const tally = new FuzzTally();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-fuzz-'));
  // A small client build of our own, so the static routes serve real files whether or not the
  // browser client has been built.
  const clientDir = join(dir, 'client');
  mkdirSync(join(clientDir, 'assets'), { recursive: true });
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Hotline</title>');
  writeFileSync(join(clientDir, 'assets', 'app-1234.js'), 'console.log("hotline")');
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await FuzzServer.start(ROOT, port, dataDir, { CLIENT_DIR: clientDir });
  const health = watchHealth(port, 500);
  let players: ChildProcess | null = null;
  const lanes: Lane[] = [];
  let checker: StateChecker | null = null;
  let setupRooms = 0;
  let report: PlayersReport | null = null;
  const windows = { quiet: [0, 0], fuzz: [0, 0] };
  const problems = tally.problems;
  try {
    // The games the sockets fuzz, and two quiet games the HTTP fuzzer reads and exports.
    const slots: GameSlot[] = [];
    for (let i = 0; i < Math.max(2, opts.games); i++) slots.push(await seatedGame(url, i % 2 === 0, 0));
    const live = await seatedGame(url, false, 0);
    const ended = await seatedGame(url, true, 0);
    setupRooms = slots.length + 2;
    {
      const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise((r) => s.once('connect', () => r(null)));
      await s.timeout(15_000).emitWithAck('game:resume', { token: ended.tokens.fac });
      await s.timeout(15_000).emitWithAck('fac:end', {});
      s.disconnect();
    }
    const httpRefs = (): HttpRefs => ({
      live: live.code,
      ended: ended.code,
      fuzzed: (slots[0] as GameSlot).code,
      liveFac: live.tokens.fac,
      liveSeat: live.tokens.usLead,
      endedFac: ended.tokens.fac,
      endedSeat: ended.tokens.usLead,
      fuzzedFac: (slots[0] as GameSlot).tokens.fac,
    });

    checker = new StateChecker(join(dataDir, 'hotline.sqlite'), url, tally);
    const tokens = new Map<string, Seat>();
    const track = (slot: GameSlot) => {
      for (const [name, t] of Object.entries(slot.tokens)) {
        const role = name === 'fac' ? 'facilitator' : name.replace(/(Lead|Member\d|\d)$/, '');
        tokens.set(t, { token: t, code: slot.code, role, lead: name.endsWith('Lead') });
      }
      checker?.track(slot.code, slot.tokens.fac);
    };
    for (const slot of slots) track(slot);
    const ctx: LaneContext = {
      url,
      slots,
      tally,
      tokens,
      ledger: new Map(),
      cutAt: new Map(),
      ratePerSecond: opts.laneRate,
      ackTimeoutMs: 15_000,
    };
    for (let i = 0; i < opts.lanes; i++) {
      const slot = i % slots.length;
      const seat = LAYOUT[Math.floor(i / slots.length)] ?? 'none';
      lanes.push(new Lane(i, opts.seed, slot, seat, ctx));
    }

    players = await startPlayers(url, opts.wellBehavedGames, opts.paceMs);
    log(`fuzz: server on ${url}; ${slots.length} fuzzed games, ${opts.wellBehavedGames} well-behaved games`);
    windows.quiet[0] = Date.now();
    await sleep(opts.quietMs);
    windows.quiet[1] = Date.now();
    windows.fuzz[0] = Date.now();

    const httpTarget = Math.round(opts.payloads * opts.httpShare);
    const socketTarget = opts.payloads - httpTarget;
    const deadline = Date.now() + opts.maxSeconds * 1000;
    let stop = false;
    const halt = () => stop || !server.alive || Date.now() > deadline;

    // HTTP keeps pace with the sockets, so the two kinds of payload are mixed through the run.
    let httpIndex = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: opts.httpConcurrency });
    const httpWorker = async () => {
      while (!halt() || (server.alive && tally.httpRequests < httpTarget && Date.now() < deadline)) {
        const due = Math.min(httpTarget, (tally.socketPayloads / socketTarget) * httpTarget + 20);
        if (tally.httpRequests >= due) {
          if (stop && tally.httpRequests >= httpTarget) return;
          await sleep(5);
          continue;
        }
        const i = httpIndex++;
        const c = nextHttpCase(new Rng(opts.seed, `http-${i}`));
        tally.httpRequests++;
        tally.httpRoutes[c.route] = (tally.httpRoutes[c.route] ?? 0) + 1;
        const a = await sendHttp(port, c, httpRefs(), agent);
        tally.httpStatuses[String(a.status)] = (tally.httpStatuses[String(a.status)] ?? 0) + 1;
        const v = judgeHttp(c, a);
        if (v.undocumented) tally.undocumentedAnswers++;
        if (v.transport) tally.httpTransportAnswers++;
        if (v.created) tally.httpCreated++;
        if (v.problem)
          problems.add(`HTTP ${c.label}: ${v.problem}`, `#${i} ${c.method} ${c.path.slice(0, 120)}`);
      }
    };
    const http = Promise.all(Array.from({ length: opts.httpConcurrency }, httpWorker));

    let batches = 0;
    while (!halt() && tally.socketPayloads < socketTarget) {
      await Promise.all(lanes.map((l) => l.runBatch(opts.batch, () => halt())));
      if (!server.alive) break;
      await checker.check(ctx.ledger);
      ctx.ledger.clear();
      batches++;
      // A fuzzed game that ended is replaced, so commands keep meeting every phase.
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as GameSlot;
        if (checker.phaseOf(slot.code) === 'ended') {
          const next = await seatedGame(url, i % 2 === 0, slot.generation + 1);
          setupRooms++;
          slots[i] = next;
          track(next);
        }
      }
      if (batches % 10 === 0)
        log(
          `fuzz: ${tally.socketPayloads} socket payloads, ${tally.httpRequests} HTTP requests, ${problems.size} kinds of problem, ${((Date.now() - windows.fuzz[0]) / 1000).toFixed(0)} s`,
        );
    }
    stop = true;
    await http;
    agent.destroy();
    windows.fuzz[1] = Date.now();
    if (server.alive) await checker.check(ctx.ledger);
  } catch (e) {
    problems.add('the fuzzer stopped', String((e as Error).stack ?? e));
  } finally {
    if (windows.fuzz[0] && !windows.fuzz[1]) windows.fuzz[1] = Date.now();
    for (const l of lanes) l.close();
    health.stop();
    if (players) {
      report = await stopPlayers(players).catch((e: unknown) => {
        problems.add('the well-behaved games did not report', String(e));
        return null;
      });
    }
    checker?.close();
  }

  const crashed = !server.alive;
  if (crashed) {
    problems.add(
      'the server process exited',
      `${JSON.stringify(server.exit)}; cases in flight: ${lanes
        .map((l) => l.current)
        .filter(Boolean)
        .slice(0, 5)
        .join(' | ')}`,
    );
  }
  await server.stop();
  if (!crashed && server.exit?.code !== 0)
    problems.add('the server did not stop cleanly on SIGTERM', JSON.stringify(server.exit));
  for (const line of server.errors) {
    let msg = line;
    try {
      msg = String((JSON.parse(line) as { msg?: string }).msg ?? line);
    } catch {}
    problems.add(`server log: ${msg}`, line);
  }
  let stateChangesOnInvalid = checker?.stateChangesOnInvalid ?? 0;
  try {
    const db = finalDatabaseCheck(join(dataDir, 'hotline.sqlite'));
    if (db.integrity !== 'ok') problems.add('PRAGMA integrity_check', db.integrity);
    const expectedRooms = setupRooms + tally.httpCreated + (report?.gamesOpened ?? 0);
    if (db.rooms !== expectedRooms) {
      if (db.rooms > expectedRooms) stateChangesOnInvalid += db.rooms - expectedRooms;
      problems.add('games in the database ≠ games created', `${db.rooms} stored, ${expectedRooms} created`);
    }
  } catch (e) {
    problems.add('the database could not be checked', String(e));
  }
  rmSync(dir, { recursive: true, force: true });

  const inWindow = (xs: [number, number][], w: number[]) =>
    xs.filter(([at]) => at >= (w[0] as number) && at < (w[1] as number)).map(([, ms]) => ms);
  const acksWithout = inWindow(report?.acks ?? [], windows.quiet);
  const acksWith = inWindow(report?.acks ?? [], windows.fuzz);
  const roundsWithout = inWindow(report?.rounds ?? [], windows.quiet);
  const roundsWith = inWindow(report?.rounds ?? [], windows.fuzz);
  if (report) {
    for (const e of report.errors) problems.add('a well-behaved game was refused or stuck', e);
    if (!crashed && roundsWith.length === 0)
      problems.add('the well-behaved games played no round under fuzzing', '');
    if (report.maxGapMs > 15_000)
      problems.add('a well-behaved game went 15 s without progress', `${Math.round(report.maxGapMs)} ms`);
  }
  const p99With = percentile(acksWith, 99);
  if (p99With > opts.maxP99WithMs)
    problems.add(
      'the well-behaved games slowed down under fuzzing',
      `p99 ${Math.round(p99With)} ms > ${opts.maxP99WithMs} ms`,
    );
  const payloads = tally.socketPayloads + tally.httpRequests;
  if (payloads < opts.payloads && !crashed)
    problems.add('fewer payloads than asked for in the time allowed', `${payloads} of ${opts.payloads}`);
  if (health.failures() > 0)
    problems.add('/healthz did not answer', `${health.failures()} of ${health.checks()} checks`);
  const seconds = (Date.now() - started) / 1000;
  log(`fuzz: done in ${seconds.toFixed(0)} s: ${payloads} payloads, ${problems.size} kinds of problem`);

  return {
    payloads,
    socketPayloads: tally.socketPayloads,
    httpRequests: tally.httpRequests,
    acksByCode: tally.acksByCode,
    undocumentedAnswers: tally.undocumentedAnswers,
    crashes: crashed ? 1 : 0,
    stateChangesOnInvalid,
    forbiddenAccepted: tally.forbiddenAccepted,
    authzRefusals: (tally.acksByCode.forbidden ?? 0) + (tally.acksByCode.unauthorized ?? 0),
    disconnectsForOversize: tally.disconnects.oversize,
    disconnectsForFlood: tally.disconnects.flood,
    disconnectsForMalformed: tally.disconnects.raw,
    p50Without: percentile(acksWithout, 50),
    p99Without: percentile(acksWithout, 99),
    p50With: percentile(acksWith, 50),
    p99With,
    roundP99Without: percentile(roundsWithout, 99),
    roundP99With: percentile(roundsWith, 99),
    wellBehavedCommands: { without: acksWithout.length, with: acksWith.length },
    wellBehavedRounds: { without: roundsWithout.length, with: roundsWith.length },
    eventsCovered: [...tally.eventsAnswered].filter((e) => Object.hasOwn(commandSchemas, e)).sort(),
    httpRoutesCovered: Object.keys(tally.httpRoutes).sort(),
    httpStatuses: tally.httpStatuses,
    caseCounts: tally.labels,
    stateChecks: checker?.checks ?? 0,
    phasesSeen: [...(checker?.phasesSeen ?? [])].sort(),
    healthChecks: health.checks(),
    healthFailures: health.failures(),
    seconds,
    problems: problems.list(),
  };
}
