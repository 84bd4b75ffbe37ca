import { isDeepStrictEqual } from 'node:util';
import type { RoomCommand } from '../../server/room/commands.ts';
import { applyCommand, createRoom } from '../../server/room/reduce.ts';
import type { RoomState } from '../../server/room/state.ts';
import type { ViewUpdate } from '../../shared/protocol/room.ts';
import type { Acked } from './crash-client.ts';
import type { GameRecord } from './crash-game.ts';

/** The JSON export (GET /api/games/:code/export?format=json), as far as the checks read it. */
interface Export {
  code: string;
  seats: unknown[];
  commands: RoomCommand[];
  final: Record<string, unknown>;
}

/**
 * One game's log replayed so far, with what the checks ask of each state on the way. A later
 * check first proves the log's prefix is unchanged (byte for byte), then replays only the rest.
 */
interface Replay {
  texts: string[];
  state: RoomState | null;
  phase: string[];
  deadline: (number | null)[];
  /** The round as a view shows it (in the summary, the round just resolved). */
  round: number[];
  drafts: [number, number][];
  failed: string | null;
  /**
   * Ledger entries already found in the proven prefix (or reported missing): a later check only
   * looks for the entries after them, and log positions already matched stay taken.
   */
  ledgerDone: number;
  used: Set<number>;
}

/** How the server went down before this check, and what was seen before it did. */
export interface CheckContext {
  kind: 'kill' | 'term' | 'final';
  spawnedAt: number;
  readyAt: number;
  /** The facilitator's newest view per game at the moment the server went down. */
  seenBefore: Map<string, ViewUpdate>;
  /** For SIGTERM: when the signal was sent and when the process had exited. */
  termSentAt?: number;
  exitedAt?: number;
}

export interface CheckTally {
  acked: number;
  found: number;
  replayMismatches: number;
  deadlinesPassedWhileDown: number;
  downtimeExtensions: number;
  clocksAtShutdown: number;
  /** Acknowledged seq/phase/deadline pairs compared with the stored log. */
  viewsCompared: number;
}

export function emptyTally(): CheckTally {
  return {
    acked: 0,
    found: 0,
    replayMismatches: 0,
    deadlinesPassedWhileDown: 0,
    downtimeExtensions: 0,
    clocksAtShutdown: 0,
    viewsCompared: 0,
  };
}

const replays = new WeakMap<GameRecord, Replay>();

function fresh(): Replay {
  return {
    texts: [],
    state: null,
    phase: [],
    deadline: [],
    round: [],
    drafts: [],
    failed: null,
    ledgerDone: 0,
    used: new Set(),
  };
}

/** The export drops token hashes; the replay puts empty ones in their place (and leaves them out of the comparison). */
function replayable(c: RoomCommand): RoomCommand {
  if (c.type === 'create') return { ...c, facilitatorTokenHash: '' };
  if (c.type === 'join') return { ...c, seat: { ...c.seat, tokenHash: '' } };
  return c;
}

function extend(r: Replay, commands: RoomCommand[]): void {
  for (let i = r.texts.length; i < commands.length && !r.failed; i++) {
    const c = commands[i] as RoomCommand;
    try {
      const cmd = replayable(c);
      const s: RoomState =
        cmd.type === 'create' && i === 0 ? createRoom(cmd) : applyCommand(r.state as RoomState, cmd);
      if (s.seq !== i + 1) throw new Error(`seq ${s.seq} after command ${i + 1}`);
      r.state = s;
    } catch (e) {
      r.failed = `command ${i + 1} (${c.type}) does not replay: ${(e as Error).message}`;
      return;
    }
    const s = r.state;
    r.texts.push(JSON.stringify(c));
    r.phase.push(s.phase);
    r.deadline.push(s.deadline);
    r.round.push(s.phase === 'summary' ? s.game.round - 1 : s.game.round);
    r.drafts.push([s.drafts.us.version, s.drafts.china.version]);
  }
}

/** Top-level fields that differ, for a readable problem. */
function differing(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !isDeepStrictEqual(a[k], b[k]));
}

type Downtime = Extract<RoomCommand, { type: 'clock.downtime' }>;

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The logged command an acknowledged `{ seq }` answer stands for (the fields that must match). */
function expected(e: Acked): Record<string, unknown> | null {
  const p = e.payload;
  const fac = e.role === 'facilitator';
  switch (e.event) {
    case 'draft:lock':
      return { type: 'draft.lock', seatId: e.seatId, baseVersion: p.baseVersion };
    case 'draft:unlock':
      return { type: 'draft.unlock', seatId: e.seatId };
    case 'chat:send':
      return fac
        ? { type: 'fac.chat', channel: p.channel, text: p.text }
        : { type: 'chat', seatId: e.seatId, channel: p.channel, text: p.text };
    case 'crisis:answer':
      return { type: 'crisis.answer', seatId: e.seatId, choice: p.choice };
    case 'fac:extend':
      return { type: 'fac.extend', seconds: p.seconds };
    case 'fac:broadcast':
      return { type: 'fac.broadcast', text: p.text };
    case 'fac:start':
    case 'fac:pause':
    case 'fac:resume':
    case 'fac:advance':
    case 'fac:end':
      return { type: e.event.replace(':', '.') };
    default:
      return null;
  }
}

/** Where joins and draft edits are in a log, to find acknowledged ones without scanning it each time. */
interface LogIndex {
  joins: Map<string, number>;
  /** Draft edits by `${seatId}|${baseVersion}`. */
  edits: Map<string, number[]>;
}

function indexLog(cmds: RoomCommand[]): LogIndex {
  const ix: LogIndex = { joins: new Map(), edits: new Map() };
  cmds.forEach((c, n) => {
    if (c.type === 'join') ix.joins.set(c.seat.id, n);
    if (c.type === 'draft.set') {
      const key = `${c.seatId}|${c.baseVersion}`;
      ix.edits.set(key, [...(ix.edits.get(key) ?? []), n]);
    }
  });
  return ix;
}

/** Whether an acknowledged command is in the log, where its answer said it would be. */
function present(e: Acked, cmds: RoomCommand[], r: Replay, ix: LogIndex): boolean {
  const p = e.payload;
  if (e.event === 'create') {
    const c = cmds[0];
    return c?.type === 'create' && c.code === e.code;
  }
  if (e.event === 'game:join') {
    const i = ix.joins.get(String(e.data.seatId));
    const c = i === undefined ? undefined : cmds[i];
    return c?.type === 'join' && c.seat.name === p.name && c.seat.role === p.role;
  }
  if (e.event === 'draft:set') {
    // Found by its author, base version and orders (a mark in a rationale tells edits apart); the
    // replayed draft right after it must have the version the answer gave.
    const side = e.role === 'us' ? 0 : 1;
    const orders = json(p.orders);
    const i = (ix.edits.get(`${e.seatId}|${String(p.baseVersion)}`) ?? []).find((n) => {
      const c = cmds[n];
      return (
        !r.used.has(n) &&
        c?.type === 'draft.set' &&
        isDeepStrictEqual(c.orders, orders) &&
        r.drafts[n]?.[side] === e.data.version
      );
    });
    if (i !== undefined) r.used.add(i);
    return i !== undefined;
  }
  const want = expected(e);
  const seq = e.data.seq;
  if (!want || typeof seq !== 'number') return false;
  const c = cmds[seq - 1] as Record<string, unknown> | undefined;
  return !!c && Object.entries(want).every(([k, v]) => isDeepStrictEqual(c[k], v));
}

async function fetchExport(url: string, rec: GameRecord): Promise<Export> {
  const res = await fetch(`${url}/api/games/${rec.code}/export?format=json`, {
    headers: { authorization: `Bearer ${rec.facToken}` },
  });
  if (res.status !== 200)
    throw new Error(`export of ${rec.code} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Export;
}

/**
 * Checks one game against the running server after a restart:
 * (a) every command acknowledged before the export was asked for is in the log (seq-answered
 *     ones at exactly their seq, drafts at the version they were acknowledged at, joins by seat);
 * (b) what the facilitator was shown before the server went down is what the log holds at that
 *     seq (phase, deadline, round); after a SIGKILL no deadline moved, and a deadline that passed
 *     while the server was down took effect first thing; after SIGTERM every running clock moved
 *     on by the downtime; the view served on resume is the log's state at its seq;
 * (c) replaying the whole log from its seed with the room reducer gives the stored state exactly
 *     (all but the token hashes, which the export leaves out).
 */
export async function checkGame(
  url: string,
  rec: GameRecord,
  ctx: CheckContext,
  tally: CheckTally,
  problem: (p: string) => void,
): Promise<void> {
  const upTo = rec.ledger.length;
  const ex = await fetchExport(url, rec);
  const cmds = ex.commands;
  const code = rec.code;

  // (c) Replay, incrementally over a prefix proved unchanged, or from the seed at the final check.
  let r = ctx.kind === 'final' ? undefined : replays.get(rec);
  if (r?.texts.some((t, i) => JSON.stringify(cmds[i]) !== t)) {
    problem(`${code}: the log changed under commands already checked`);
    r = undefined;
  }
  if (!r || r.failed) r = fresh();
  extend(r, cmds);
  replays.set(rec, r);
  if (r.failed || !r.state) {
    tally.replayMismatches++;
    problem(`${code}: ${r.failed ?? 'empty log'}`);
    return;
  }
  const { facilitatorTokenHash: _f, seats, ...rest } = r.state;
  const diff = differing(json(rest) as Record<string, unknown>, ex.final);
  const seatsDiffer = !isDeepStrictEqual(json(seats.map(({ tokenHash: _t, ...s }) => s)), ex.seats);
  if (diff.length || seatsDiffer) {
    tally.replayMismatches++;
    problem(
      `${code}: the replayed log (seq ${r.state.seq}) differs from the stored state (seq ${String(ex.final.seq)}) in ${[...diff, ...(seatsDiffer ? ['seats'] : [])].join(', ')}`,
    );
  }

  // (a) Every acknowledged command (those found by an earlier check are in the proven prefix).
  const ix = indexLog(cmds);
  for (const e of rec.ledger.slice(r.ledgerDone, upTo)) {
    tally.acked++;
    if (present(e, cmds, r, ix)) tally.found++;
    else
      problem(
        `${code}: acknowledged ${e.event} ${JSON.stringify(e.payload).slice(0, 160)} → ${JSON.stringify(e.data)} by ${e.role} is not in the log`,
      );
  }
  r.ledgerDone = Math.max(r.ledgerDone, upTo);
  if (ctx.kind === 'final') return;

  // (b) What was shown before the server went down, and how the game came back.
  const seen = ctx.seenBefore.get(code);
  if (seen) {
    const i = seen.seq - 1;
    tally.viewsCompared++;
    if (i >= cmds.length)
      problem(`${code}: the facilitator was shown seq ${seen.seq}, the log ends at ${cmds.length}`);
    else if (r.phase[i] !== seen.phase || r.deadline[i] !== seen.deadline || r.round[i] !== seen.round)
      problem(
        `${code}: at seq ${seen.seq} the facilitator was shown ${seen.phase} round ${seen.round} until ${seen.deadline}, the log says ${r.phase[i]} round ${r.round[i]} until ${r.deadline[i]}`,
      );
  }
  const loaded = cmds.findIndex((c) => c.at >= ctx.spawnedAt);
  const before = loaded < 0 ? cmds.length : loaded;
  const since = cmds.slice(before);
  const deadline = r.deadline[before - 1] ?? null;
  const phase = r.phase[before - 1];
  const downtime = since.filter((c): c is Downtime => c.type === 'clock.downtime');
  if (ctx.kind === 'kill') {
    if (downtime.length) problem(`${code}: a clock was moved after a crash (${JSON.stringify(downtime[0])})`);
    if (deadline !== null && deadline < ctx.readyAt) {
      tally.deadlinesPassedWhileDown++;
      const first = since[0];
      if (first?.type !== 'clock.deadline' || first.phase !== phase)
        problem(
          `${code}: the ${phase} deadline passed while the server was down but did not take effect at once`,
        );
    }
  } else if (ctx.termSentAt !== undefined && ctx.exitedAt !== undefined) {
    if (deadline !== null) {
      tally.clocksAtShutdown++;
      const d = downtime[0];
      const lo = ctx.spawnedAt - ctx.exitedAt;
      const hi = ctx.readyAt - ctx.termSentAt;
      const at = d ? cmds.indexOf(d) : -1;
      if (!d) problem(`${code}: the ${phase} clock was not moved on after SIGTERM`);
      else if (d.ms < lo || d.ms > hi || r.deadline[at] !== deadline + d.ms)
        problem(
          `${code}: after SIGTERM the clock moved ${d.ms} ms (down ${lo}–${hi} ms), deadline ${deadline} → ${r.deadline[at]}`,
        );
      else tally.downtimeExtensions++;
    } else if (downtime.length) problem(`${code}: a clock that was not running was moved after SIGTERM`);
  }
  const back = rec.fac?.lastResume;
  if (back?.view && back.at >= ctx.spawnedAt) {
    const i = back.view.seq - 1;
    tally.viewsCompared++;
    if (r.phase[i] !== back.view.phase || r.deadline[i] !== back.view.deadline)
      problem(
        `${code}: resumed at seq ${back.view.seq} in ${back.view.phase} until ${back.view.deadline}, the log says ${r.phase[i]} until ${r.deadline[i]}`,
      );
  }
}
