import type { Side } from '../../shared/rules/ids.ts';
import { type FloodMode, type FloodReport, floodFromChild } from './flood-attacker.ts';
import { joinSeat, PhasedLatencies, percentile, resumeSeat, sleep } from './flood-client.ts';
import {
  type HalfOpen,
  httpStatus,
  type OriginResult,
  type OversizeResult,
  openHalfOpen,
  originChecks,
  oversizeFrame,
  oversizePollingBody,
  SLOWLORIS_KINDS,
  type SlowlorisKind,
} from './flood-raw.ts';
import { type LiveServer, startServerProcess } from './flood-server.ts';
import { BotTable } from './flood-table.ts';

/**
 * Item 5 of issue 5: one real server process, well-behaved games played by bot-driven socket
 * clients (one of them the attacker's own game), and, one after another, a client flooding
 * commands, hundreds of half-open connections, a 65 KB websocket frame and handshakes from a
 * foreign Origin. The well-behaved clients' acknowledgement round-trips are timed throughout.
 */
export type FloodPart = 'flood' | 'slowloris' | 'oversize' | 'origin';

export interface FloodOptions {
  /** Which attacks to run (the baseline always runs): the short test splits them over two runs. */
  parts?: FloodPart[];
  /** Games played alongside the attacker's, each by its own clients, one after another. */
  otherGames: number;
  /** Seconds of well-behaved play measured before any attack. */
  baselineSeconds: number;
  /** Seconds of each flood: commands with acknowledgements, then packets without. */
  floodSeconds: number;
  slowlorisConnections: number;
  /** How long a half-open connection may live before it counts as never timed out. */
  slowlorisMaxSeconds: number;
  /** Pause between two commands of one table. */
  paceMs: number;
  /** The attacks may raise the well-behaved p99 to at most p99 × factor + plusMs. */
  p99Factor: number;
  p99PlusMs: number;
  log?: (line: string) => void;
}

export interface FloodResult {
  floodPacketsSent: number;
  floodAcksRateLimited: number;
  /** Whether the server cut the attacker's socket (it then reconnects with its token and goes on). */
  floodDisconnected: boolean;
  floodReconnects: number;
  /** The attacker's commands the server carried out (its chat messages that reached its game). */
  floodCommandsAccepted: number;
  /** Rate limit × flood time + burst: what the server should let through at most. */
  floodCommandsAllowed: number;
  p50Without: number;
  p99Without: number;
  p99WithFlood: number;
  /** The p99 of the attacker's own game alone, during the flood. */
  p99SameGameWithFlood: number;
  p99WithSlowloris: number;
  /** Acknowledged commands timed, before and during the attacks. */
  commandsTimed: number;
  slowlorisConnections: number;
  slowlorisMaxLifetimeSeconds: number;
  /** The longest lifetime per kind of half-open connection, in seconds. */
  slowlorisLifetimes: Partial<Record<SlowlorisKind, number>>;
  /** /healthz probes and fresh clients (create a game, connect, resume) during the slowloris. */
  probesOk: number;
  probesFailed: number;
  oversizeClosedBeforeFullFrame: boolean;
  oversize: OversizeResult | null;
  /** A 128 KB long-polling body: the status (413) and the bytes sent when it came. */
  oversizePolling: { status: number; sentBeforeAnswer: number } | null;
  foreignOrigin403: boolean;
  origins: OriginResult | null;
  gamesPlayed: number;
  problems: string[];
}

export const FULL_FLOOD_OPTIONS: FloodOptions = {
  otherGames: 4,
  baselineSeconds: 20,
  floodSeconds: 20,
  slowlorisConnections: 600,
  slowlorisMaxSeconds: 40,
  paceMs: 40,
  p99Factor: 3,
  p99PlusMs: 50,
};

const ALL_PARTS: FloodPart[] = ['flood', 'slowloris', 'oversize', 'origin'];
/** The rate limit of docs/PROTOCOL.md: 10 commands a second, bursts of 30. */
const RATE = 10;
const BURST = 30;

interface Lanes {
  stop(): Promise<void>;
  gamesPlayed(): number;
}

/** Plays games without a pause until stopped: each lane starts a new game when its last one ends. */
function playLanes(srv: LiveServer, opts: FloodOptions, lat: PhasedLatencies, problems: string[]): Lanes {
  let stopping = false;
  let played = 0;
  const lane = async (i: number) => {
    for (let n = 0; !stopping; n++) {
      const serverBotSide: Side | null = (i + n) % 3 === 2 ? 'china' : null;
      const t = new BotTable(
        srv.url,
        {
          rounds: 2 + ((i + n) % 3),
          paceMs: opts.paceMs,
          variant: i + n,
          crowd: (i + n) % 2 === 0,
          serverBotSide,
        },
        lat.sink('other'),
      );
      try {
        await t.open();
        await t.play();
        played++;
      } catch (e) {
        problems.push(`a well-behaved game failed: ${(e as Error).message}`);
        // A lane that failed once would fail again at once: let the others go on.
        return;
      } finally {
        t.close();
      }
    }
  };
  const all = Array.from({ length: opts.otherGames }, (_, i) => lane(i + 1));
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(all);
    },
    gamesPlayed: () => played,
  };
}

function p99Check(problems: string[], opts: FloodOptions, what: string, without: number, withAttack: number) {
  const limit = without * opts.p99Factor + opts.p99PlusMs;
  if (withAttack > limit)
    problems.push(
      `${what}: the well-behaved p99 rose from ${without.toFixed(1)} ms to ${withAttack.toFixed(1)} ms (limit ${limit.toFixed(0)} ms)`,
    );
}

async function slowloris(
  srv: LiveServer,
  opts: FloodOptions,
  problems: string[],
  log: (line: string) => void,
): Promise<
  Pick<FloodResult, 'slowlorisMaxLifetimeSeconds' | 'slowlorisLifetimes' | 'probesOk' | 'probesFailed'>
> {
  const conns: HalfOpen[] = [];
  for (let i = 0; i < opts.slowlorisConnections; i++) {
    const kind = SLOWLORIS_KINDS[i % SLOWLORIS_KINDS.length] as SlowlorisKind;
    conns.push(await openHalfOpen(srv.port, kind, 2000));
    // Open them over about a second rather than in one burst of SYNs.
    if (i % 50 === 49) await sleep(100);
  }
  log(`slowloris: ${conns.length} half-open connections open`);
  let probesOk = 0;
  let probesFailed = 0;
  const probe = async () => {
    const health = await httpStatus(`${srv.url}/healthz`, { ms: 5000 });
    if (health !== 200) throw new Error(`/healthz answered ${health}`);
    const res = await fetch(`${srv.url}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rounds: 1 }),
      signal: AbortSignal.timeout(5000),
    });
    if (res.status !== 201) throw new Error(`creating a game answered ${res.status}`);
    const game = (await res.json()) as { facilitatorToken: string };
    const seat = await resumeSeat(srv.url, game.facilitatorToken, null);
    seat.close();
  };
  const deadline = Date.now() + opts.slowlorisMaxSeconds * 1000;
  while (conns.some((c) => c.closedAt === null) && Date.now() < deadline) {
    try {
      await probe();
      probesOk++;
    } catch (e) {
      probesFailed++;
      if (probesFailed <= 3)
        problems.push(`during the slowloris a fresh client was not served: ${(e as Error).message}`);
    }
    await sleep(250);
  }
  const open = conns.filter((c) => c.closedAt === null);
  if (open.length > 0) {
    const kinds = [...new Set(open.map((c) => c.kind))].join(', ');
    problems.push(
      `${open.length} half-open connections (${kinds}) were still open after ${opts.slowlorisMaxSeconds} s`,
    );
  }
  const lifetimes: Partial<Record<SlowlorisKind, number>> = {};
  for (const c of conns) {
    const s = ((c.closedAt ?? Date.now()) - c.openedAt) / 1000;
    lifetimes[c.kind] = Math.max(lifetimes[c.kind] ?? 0, s);
    c.socket.destroy();
  }
  log(
    `slowloris: longest lifetimes ${Object.entries(lifetimes)
      .map(([k, s]) => `${k} ${s.toFixed(1)} s`)
      .join(', ')}; probes ${probesOk} ok, ${probesFailed} failed`,
  );
  return {
    slowlorisMaxLifetimeSeconds: Math.max(0, ...Object.values(lifetimes)),
    slowlorisLifetimes: lifetimes,
    probesOk,
    probesFailed,
  };
}

export async function runFlood(opts: FloodOptions): Promise<FloodResult> {
  const log = opts.log ?? (() => {});
  const parts = opts.parts ?? ALL_PARTS;
  const problems: string[] = [];
  const result: FloodResult = {
    floodPacketsSent: 0,
    floodAcksRateLimited: 0,
    floodDisconnected: false,
    floodReconnects: 0,
    floodCommandsAccepted: 0,
    floodCommandsAllowed: 0,
    p50Without: 0,
    p99Without: 0,
    p99WithFlood: 0,
    p99SameGameWithFlood: 0,
    p99WithSlowloris: 0,
    commandsTimed: 0,
    slowlorisConnections: 0,
    slowlorisMaxLifetimeSeconds: 0,
    slowlorisLifetimes: {},
    probesOk: 0,
    probesFailed: 0,
    oversizeClosedBeforeFullFrame: false,
    oversize: null,
    oversizePolling: null,
    foreignOrigin403: false,
    origins: null,
    gamesPlayed: 0,
    problems,
  };
  const srv = await startServerProcess();
  const lat = new PhasedLatencies();
  let talking = true;
  let talk: Promise<void> = Promise.resolve();
  let lanes: Lanes | null = null;
  let table: BotTable | null = null;
  try {
    // The attacker's own game: its people keep negotiating for as long as the test runs.
    table = new BotTable(
      srv.url,
      { rounds: 6, paceMs: opts.paceMs, variant: 0, crowd: true },
      lat.sink('same'),
    );
    await table.open();
    const attacker = await joinSeat(srv.url, table.code, 'Flooder', 'us', null);
    const attackerSeat = attacker.view?.you.seatId ?? '';
    attacker.close();
    const t = table;
    talk = t
      .talk(() => !talking)
      .catch((e: unknown) => {
        problems.push(`the attacker's game failed: ${(e as Error).message}`);
      });
    lanes = playLanes(srv, opts, lat, problems);
    await sleep(2000);

    lat.phase = 'baseline';
    await sleep(opts.baselineSeconds * 1000);
    const baseline = lat.all(['baseline']);
    result.p50Without = percentile(baseline, 50);
    result.p99Without = percentile(baseline, 99);
    log(
      `baseline: ${baseline.length} commands, p50 ${result.p50Without.toFixed(1)} ms, p99 ${result.p99Without.toFixed(1)} ms`,
    );

    if (parts.includes('flood')) {
      const landed = () => t.fac.chatBySeat.get(attackerSeat) ?? 0;
      const reports: FloodReport[] = [];
      for (const mode of ['acked', 'unacked'] as FloodMode[]) {
        lat.phase = `flood-${mode}`;
        const before = landed();
        const r = await floodFromChild({
          url: srv.url,
          token: attacker.token,
          mode,
          seconds: opts.floodSeconds,
          maxReconnects: 100_000,
        });
        reports.push(r);
        await sleep(200);
        const accepted = landed() - before;
        const allowed = Math.ceil(BURST + RATE * r.seconds * 1.1) + 5;
        result.floodCommandsAccepted += accepted;
        result.floodCommandsAllowed += allowed;
        log(
          `flood (${mode}): ${r.sent} packets, acks ${JSON.stringify(r.acks)}, cut ${r.cut} times, ${accepted} chat messages landed (allowed ${allowed}), p99 ${lat.get(lat.phase, 'other').p(99).toFixed(1)} ms elsewhere, ${lat.get(lat.phase, 'same').p(99).toFixed(1)} ms in its game`,
        );
        if (accepted > allowed)
          problems.push(
            `${mode} flood: ${accepted} of the attacker's commands were carried out (at most ${allowed})`,
          );
        if (r.cut === 0 && (r.acks['rate-limited'] ?? 0) === 0)
          problems.push(`${mode} flood: ${r.sent} packets were neither throttled nor cut off`);
      }
      lat.phase = null;
      result.floodPacketsSent = reports.reduce((n, r) => n + r.sent, 0);
      result.floodAcksRateLimited = reports.reduce((n, r) => n + (r.acks['rate-limited'] ?? 0), 0);
      result.floodDisconnected = reports.every((r) => r.cut > 0);
      result.floodReconnects = reports.reduce((n, r) => n + r.reconnects, 0);
      const during = lat.all(['flood-acked', 'flood-unacked']);
      result.p99WithFlood = percentile(during, 99);
      result.p99SameGameWithFlood = percentile(
        [...lat.get('flood-acked', 'same').samples, ...lat.get('flood-unacked', 'same').samples],
        99,
      );
      if (during.length === 0) problems.push('no well-behaved command was acknowledged during the flood');
      p99Check(problems, opts, 'flood', result.p99Without, result.p99WithFlood);
    }

    if (parts.includes('slowloris')) {
      lat.phase = 'slowloris';
      result.slowlorisConnections = opts.slowlorisConnections;
      Object.assign(result, await slowloris(srv, opts, problems, log));
      lat.phase = null;
      const during = lat.all(['slowloris']);
      result.p99WithSlowloris = percentile(during, 99);
      log(
        `slowloris: well-behaved p99 ${result.p99WithSlowloris.toFixed(1)} ms over ${during.length} commands`,
      );
      if (during.length === 0) problems.push('no well-behaved command was acknowledged during the slowloris');
      p99Check(problems, opts, 'slowloris', result.p99Without, result.p99WithSlowloris);
    }

    if (parts.includes('oversize')) {
      const big = await oversizeFrame(srv.port, 65 * 1024);
      result.oversize = big;
      result.oversizeClosedBeforeFullFrame = big.closedEarly;
      log(`oversize: 65 KB frame: ${big.sentBeforeClose} payload bytes sent before close ${big.closeCode}`);
      if (!big.closedEarly)
        problems.push('a websocket frame announcing 65 KB was read whole before the server closed');
      if (big.msToTcpClose === null)
        problems.push('after refusing the 65 KB frame the server kept the connection');
      // The control: a frame under the limit is read to its end, so an early close above means something.
      const small = await oversizeFrame(srv.port, 60 * 1024, 2048, 20, false);
      if (small.closedEarly)
        problems.push('a 60 KB websocket frame was cut off too: the size check is not what closed');
      result.oversizePolling = await oversizePollingBody(srv.url, 128 * 1024);
      log(
        `oversize: 128 KB polling body answered ${result.oversizePolling.status} after ${result.oversizePolling.sentBeforeAnswer} bytes`,
      );
      if (result.oversizePolling.status !== 413 || result.oversizePolling.sentBeforeAnswer >= 128 * 1024)
        problems.push(
          `a 128 KB long-polling body was answered ${result.oversizePolling.status}, not refused early`,
        );
    }

    if (parts.includes('origin')) {
      const o = await originChecks(srv.url, srv.port, 'http://evil.example');
      result.origins = o;
      result.foreignOrigin403 = o.pollingForeign === 403 && o.websocketForeign === 403;
      log(
        `origin: foreign ${o.pollingForeign} (polling) / ${o.websocketForeign} (websocket); own ${o.pollingOwn} / ${o.websocketOwn}`,
      );
      if (!result.foreignOrigin403)
        problems.push(
          `a foreign Origin got ${o.pollingForeign} (polling) and ${o.websocketForeign} (websocket), not 403`,
        );
      if (o.pollingOwn !== 200 || o.websocketOwn !== 101)
        problems.push(
          `the server's own Origin got ${o.pollingOwn} (polling) and ${o.websocketOwn} (websocket)`,
        );
    }
  } finally {
    lat.phase = null;
    talking = false;
    await talk;
    await lanes?.stop();
    table?.close();
    result.gamesPlayed = lanes?.gamesPlayed() ?? 0;
    result.commandsTimed = lat.all(['baseline', 'flood-acked', 'flood-unacked', 'slowloris']).length;
    if (!srv.alive()) problems.push('the server process died');
    problems.push(...srv.trouble.map((t) => `server log: ${t}`));
    await srv.stop();
  }
  return result;
}
