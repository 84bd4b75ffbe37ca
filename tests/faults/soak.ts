import type { Side } from '../../shared/rules/ids.ts';
import { type BotSeat, resumeSeat, sleep } from './flood-client.ts';
import { type LiveServer, startServerProcess } from './flood-server.ts';
import { BotTable, StuckError, type TableSpec } from './flood-table.ts';
import { describeDiagnostics, settledDiagnostics } from './soak-diagnostics.ts';

/**
 * Item 6 of issue 5: the real server process plays game after game for `seconds` with bot-driven
 * clients (a few at a time, each table a different mix: server-side bots, crowds, reconnections,
 * games ended early) while a few games nobody touches run on their clocks alone. Before and after,
 * with no client connected, it reads the server's heap after a full GC, its timers and listeners
 * (GET /internal/diagnostics, which the server serves only with HOTLINE_DIAGNOSTICS=1).
 */
export interface SoakOptions {
  seconds: number;
  /** Tables played at once by bot-driven clients; each starts a new game when its last one ends. */
  games: number;
  /** Games nobody plays, moved on only by their deadlines (server-side bots on both sides). */
  clockGames: number;
  /** Games played before the first sample, so that start-up allocations and the JIT settle. */
  warmupGames: number;
  paceMs: number;
  /** A game whose clock has run out this long ago without its phase moving is stuck. */
  stuckSlackSeconds: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  seconds: number;
  gamesPlayed: number;
  gamesFinished: number;
  /** Of the games played: those that ran on their deadlines alone. */
  clockGamesFinished: number;
  commands: number;
  heapStartMb: number;
  heapEndMb: number;
  timersStart: number;
  timersEnd: number;
  listenersStart: number;
  listenersEnd: number;
  roomsLoadedStart: number;
  roomsLoadedEnd: number;
  stuckGames: number;
  problems: string[];
}

export const FULL_SOAK_OPTIONS: SoakOptions = {
  seconds: 30 * 60,
  games: 6,
  clockGames: 2,
  warmupGames: 24,
  paceMs: 60,
  stuckSlackSeconds: 15,
};

/** Heap may end this much above where it started: generous, since V8 grows its heap in steps. */
const HEAP_SLACK = { fraction: 0.25, mb: 20 };
/** Timers and listeners that may come and go at rest (a commit window, a snapshot write). */
const COUNT_SLACK = 3;

/** What the stuck-game watch looks at: a game's code and its facilitator's picture of it. */
interface Watched {
  code: string;
  fac: BotSeat | undefined;
  close(): void;
}

/** Each table a different mix, so that the soak walks every path a real evening of games takes. */
function specFor(n: number, paceMs: number): TableSpec {
  const serverBotSide: Side | null = n % 5 === 3 ? 'china' : n % 5 === 4 ? 'us' : null;
  return {
    rounds: 1 + (n % 3),
    paceMs,
    variant: n,
    serverBotSide,
    // The crowd's extra member is on the US team.
    crowd: n % 4 === 1 && serverBotSide !== 'us',
    reconnect: n % 6 === 2 && serverBotSide !== 'us',
    endEarly: n % 7 === 5,
  };
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const log = opts.log ?? (() => {});
  const problems: string[] = [];
  const result: SoakResult = {
    seconds: opts.seconds,
    gamesPlayed: 0,
    gamesFinished: 0,
    clockGamesFinished: 0,
    commands: 0,
    heapStartMb: 0,
    heapEndMb: 0,
    timersStart: 0,
    timersEnd: 0,
    listenersStart: 0,
    listenersEnd: 0,
    roomsLoadedStart: 0,
    roomsLoadedEnd: 0,
    stuckGames: 0,
    problems,
  };
  const srv: LiveServer = await startServerProcess({
    nodeArgs: ['--expose-gc'],
    env: { HOTLINE_DIAGNOSTICS: '1' },
  });
  const live = new Set<Watched>();
  const stuck = new Set<string>();
  const markStuck = (code: string, why: string) => {
    if (stuck.has(code)) return;
    stuck.add(code);
    problems.push(`stuck game: ${why}`);
  };
  let n = 0;
  let counting = false;

  /** Plays one table's game start to end; false if it got stuck or failed. */
  const playOne = async (): Promise<boolean> => {
    const t = new BotTable(srv.url, specFor(n++, opts.paceMs), null);
    live.add(t);
    try {
      await t.open();
      if (counting) result.gamesPlayed++;
      await t.play();
      if (counting) result.gamesFinished++;
      return true;
    } catch (e) {
      if (e instanceof StuckError) markStuck(t.code, e.message);
      else problems.push(`a game failed: ${(e as Error).message}`);
      return false;
    } finally {
      if (counting) result.commands += t.commands;
      live.delete(t);
      t.close();
    }
  };

  /** A game with bots on both sides that nobody touches after the start: only its clock moves it. */
  const clockGame = async (stopAt: number): Promise<void> => {
    const t: Watched = { code: '', fac: undefined, close: () => t.fac?.close() };
    const phase = () => t.fac?.view?.phase;
    live.add(t);
    try {
      const res = await fetch(`${srv.url}/api/games`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rounds: 1, bots: { us: 'adaptive', china: 'adaptive' } }),
      });
      const game = (await res.json()) as { code: string; facilitatorToken: string };
      t.code = game.code;
      t.fac = await resumeSeat(srv.url, game.facilitatorToken, null);
      await t.fac.ok('fac:start');
      if (counting) result.gamesPlayed++;
      while (phase() !== 'ended' && Date.now() < stopAt) await sleep(200);
      if (phase() === 'ended') {
        if (counting) {
          result.gamesFinished++;
          result.clockGamesFinished++;
        }
      } else {
        // The soak is over before the clock is: the facilitator ends it, as at the end of a session.
        await t.fac.ok('fac:end');
        for (let i = 0; i < 50 && phase() !== 'ended'; i++) await sleep(200);
        if (phase() !== 'ended') markStuck(t.code, `${t.code} did not end when its facilitator ended it`);
        else if (counting) result.gamesFinished++;
      }
    } catch (e) {
      problems.push(`a game on its clock failed: ${(e as Error).message}`);
    } finally {
      live.delete(t);
      t.close();
    }
  };

  /** Every few seconds: a clock that ran out long ago without its phase moving is a stuck game. */
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const now = Date.now();
      for (const t of live) {
        const v = t.fac?.view;
        if (!v || v.paused || v.deadline === null || v.phase === 'ended') continue;
        if (now > v.deadline + opts.stuckSlackSeconds * 1000)
          markStuck(
            t.code,
            `${t.code} stayed in ${v.phase} of round ${v.round} ${((now - v.deadline) / 1000).toFixed(0)} s past its deadline`,
          );
      }
      await sleep(2000);
    }
  })();

  try {
    // Warm-up: the same mix of games, not counted.
    let warm = 0;
    await Promise.all(
      Array.from({ length: opts.games }, async () => {
        while (warm < opts.warmupGames) {
          warm++;
          await playOne();
        }
      }),
    );
    const start = await settledDiagnostics(srv.url);
    log(`start: ${describeDiagnostics(start)}`);
    result.heapStartMb = start.heapAfterGcMb ?? start.heapUsedMb;
    result.timersStart = start.timers;
    result.listenersStart = start.listeners;
    result.roomsLoadedStart = start.rooms.loaded;
    if (start.heapAfterGcMb === null)
      problems.push('the server ran without --expose-gc: heap figures are not after GC');

    counting = true;
    const began = Date.now();
    const stopAt = began + opts.seconds * 1000;
    let lastLog = began;
    const lanes = Array.from({ length: opts.games }, async () => {
      while (Date.now() < stopAt) {
        await playOne();
        if (Date.now() - lastLog > 60_000) {
          lastLog = Date.now();
          log(
            `${((Date.now() - began) / 60_000).toFixed(1)} min: ${result.gamesPlayed} games played, ${result.gamesFinished} finished, ${stuck.size} stuck`,
          );
        }
      }
    });
    const clocks = Array.from({ length: opts.clockGames }, async () => {
      while (Date.now() < stopAt) await clockGame(stopAt);
    });
    await Promise.all([...lanes, ...clocks]);
    counting = false;
    result.seconds = Math.round((Date.now() - began) / 1000);

    const end = await settledDiagnostics(srv.url);
    log(`end: ${describeDiagnostics(end)}`);
    result.heapEndMb = end.heapAfterGcMb ?? end.heapUsedMb;
    result.timersEnd = end.timers;
    result.listenersEnd = end.listeners;
    result.roomsLoadedEnd = end.rooms.loaded;

    const heapLimit = result.heapStartMb + Math.max(result.heapStartMb * HEAP_SLACK.fraction, HEAP_SLACK.mb);
    if (result.heapEndMb > heapLimit)
      problems.push(
        `heap after GC grew from ${result.heapStartMb} MB to ${result.heapEndMb} MB over ${result.gamesPlayed} games (limit ${heapLimit.toFixed(1)} MB)`,
      );
    if (result.timersEnd > result.timersStart + COUNT_SLACK)
      problems.push(`timers grew from ${result.timersStart} to ${result.timersEnd} with every game over`);
    if (result.listenersEnd > result.listenersStart + COUNT_SLACK)
      problems.push(`listeners grew from ${result.listenersStart} to ${result.listenersEnd}`);
    if (end.sockets !== 0 || end.hub.boundSockets !== 0 || end.hub.roomsWithSockets !== 0)
      problems.push(
        `with every client gone the server still holds sockets: ${end.sockets}, hub ${JSON.stringify(end.hub)}`,
      );
    if (end.rooms.running !== 0 || end.rooms.withDeadline !== 0)
      problems.push(
        `with every game over, ${end.rooms.running} rooms still run and ${end.rooms.withDeadline} keep a clock`,
      );
    if (result.gamesFinished < result.gamesPlayed - stuck.size)
      problems.push(`${result.gamesPlayed - result.gamesFinished} games did not finish`);
  } finally {
    watching = false;
    await watch;
    for (const t of live) t.close();
    result.stuckGames = stuck.size;
    if (!srv.alive()) problems.push('the server process died');
    problems.push(...srv.trouble.map((t) => `server log: ${t}`));
    await srv.stop();
  }
  return result;
}
