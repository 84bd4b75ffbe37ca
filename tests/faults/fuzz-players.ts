import { io, type Socket } from 'socket.io-client';
import { findBot } from '../../shared/bots/index.ts';
import type { Ack } from '../../shared/protocol/errors.ts';
import type { JoinResult, ResumeResult } from '../../shared/protocol/events.ts';
import { fromSnapshot, withUpdate } from '../../shared/protocol/merge.ts';
import type { ClientView, GameUpdate, SeatSnapshot } from '../../shared/protocol/room.ts';
import type { Side } from '../../shared/rules/ids.ts';

/**
 * The well-behaved games the fuzzer must not disturb: each has a facilitator, a one-person team
 * per side whose orders and crisis answers come from the adaptive bots (from the seat's own view,
 * as a person would decide), and an observer. They play rounds at a steady pace, and every
 * command's acknowledgement time is recorded, with the time from the last lock to the moment every
 * socket of the game holds the round's result.
 */
export interface PlayersJob {
  url: string;
  games: number;
  /** Pause between two commands of one game. */
  paceMs: number;
}

export interface PlayersReport {
  /** [epoch ms when sent, acknowledgement round trip in ms] for every command. */
  acks: [number, number][];
  /** [epoch ms of the last lock, ms until every socket of the game held the result]. */
  rounds: [number, number][];
  gamesOpened: number;
  errors: string[];
  /** Per game, the longest time between two accepted commands. */
  maxGapMs: number;
}

/** Deadlines far away: the games move only when their players do. */
const WEEK = 604_800;

interface Seat {
  socket: Socket;
  view: ClientView | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connect(url: string): Promise<Seat> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const seat: Seat = { socket, view: null };
  socket.on('game:update', (u: GameUpdate) => {
    seat.view = withUpdate(seat.view, u);
  });
  socket.on('game:snapshot', (s: SeatSnapshot) => {
    seat.view = fromSnapshot(s);
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(seat));
    socket.once('connect_error', reject);
  });
}

class Game {
  fac!: Seat;
  us!: Seat;
  china!: Seat;
  observer!: Seat;
  lastProgress = Date.now();
  maxGapMs = 0;

  constructor(
    private readonly job: PlayersJob,
    private readonly report: PlayersReport,
  ) {}

  get all(): Seat[] {
    return [this.fac, this.us, this.china, this.observer];
  }

  async open(): Promise<void> {
    for (const s of this.all) s?.socket.disconnect();
    const res = await fetch(`${this.job.url}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        scenarioId: 'classroom-short',
        rounds: 12,
        deadlines: { briefing: WEEK, negotiation: WEEK, orders: WEEK, crisis: WEEK, summary: WEEK },
      }),
    });
    if (res.status !== 201) throw new Error(`creating a game: ${res.status}`);
    const game = (await res.json()) as { code: string; facilitatorToken: string };
    this.report.gamesOpened++;
    this.fac = await connect(this.job.url);
    const r = await this.cmd<ResumeResult>(this.fac, 'game:resume', { token: game.facilitatorToken });
    if (r.snapshot) this.fac.view = fromSnapshot(r.snapshot);
    const join = async (role: Side | 'observer', name: string) => {
      const seat = await connect(this.job.url);
      const j = await this.cmd<JoinResult>(seat, 'game:join', { code: game.code, name, role });
      seat.view = fromSnapshot(j.snapshot);
      return seat;
    };
    this.us = await join('us', 'Ana (NSC)');
    this.china = await join('china', 'Bo (MFA)');
    this.observer = await join('observer', 'Cy (press)');
  }

  async cmd<T = { seq: number }>(seat: Seat, event: string, payload: unknown): Promise<T> {
    const at = Date.now();
    const t0 = performance.now();
    const a = (await seat.socket.timeout(30_000).emitWithAck(event, payload)) as Ack<T>;
    this.report.acks.push([at, performance.now() - t0]);
    if (!a.ok) throw new Error(`${event} refused: ${a.code}: ${a.message}`);
    const now = Date.now();
    this.maxGapMs = Math.max(this.maxGapMs, now - this.lastProgress);
    this.lastProgress = now;
    return a.data;
  }

  private async until(seats: Seat[], pred: (v: ClientView) => boolean, what: string): Promise<void> {
    const end = Date.now() + 30_000;
    while (!seats.every((s) => s.view && pred(s.view))) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what} (phase ${this.fac.view?.phase})`);
      await sleep(2);
    }
  }

  /** Advances the facilitator and waits until it sees the new state. */
  private async advance(): Promise<void> {
    const { seq } = await this.cmd(this.fac, 'fac:advance', {});
    await this.until([this.fac], (v) => v.seq >= seq, 'the advance');
  }

  private async orders(seat: Seat, side: Side): Promise<number> {
    const v = seat.view;
    if (!v?.draft) throw new Error(`${side} has no draft`);
    const bot = findBot(side, 'adaptive');
    const orders = bot ? bot.orders(v.game) : [];
    const { version } = await this.cmd<{ version: number }>(seat, 'draft:set', {
      baseVersion: v.draft.version,
      orders,
    });
    await this.until([seat], (x) => x.draft?.version === version, 'the draft');
    return version;
  }

  /** One step of play: whatever the phase calls for. */
  async step(): Promise<void> {
    const phase = this.fac.view?.phase;
    const pace = () => sleep(this.job.paceMs);
    switch (phase) {
      case 'lobby': {
        const { seq } = await this.cmd(this.fac, 'fac:start', {});
        await this.until([this.fac], (v) => v.seq >= seq, 'the start');
        return;
      }
      case 'negotiation':
        await this.cmd(this.us, 'chat:send', { channel: 'bilateral', text: 'A hotline would help us both.' });
        await pace();
        await this.cmd(this.china, 'chat:send', { channel: 'public', text: 'We are listening.' });
        await pace();
        return this.advance();
      case 'orders': {
        await this.until(this.all, (v) => v.phase === 'orders', 'the orders phase');
        const usVersion = await this.orders(this.us, 'us');
        await pace();
        const cnVersion = await this.orders(this.china, 'china');
        await pace();
        await this.cmd(this.us, 'draft:lock', { baseVersion: usVersion });
        await pace();
        const at = Date.now();
        const t0 = performance.now();
        const { seq } = await this.cmd(this.china, 'draft:lock', { baseVersion: cnVersion });
        await this.until(this.all, (v) => v.seq >= seq && v.phase !== 'orders', 'the round result');
        this.report.rounds.push([at, performance.now() - t0]);
        return;
      }
      case 'crisis': {
        await this.until([this.us, this.china], (v) => v.phase === 'crisis', 'the crisis');
        for (const [seat, side] of [
          [this.us, 'us'],
          [this.china, 'china'],
        ] as const) {
          const v = seat.view;
          const eventId = v?.game.public.pendingCrisis?.eventId;
          if (!v || !eventId || v.yourCrisisAnswer !== null) continue;
          const bot = findBot(side, 'adaptive');
          if (bot) await this.cmd(seat, 'crisis:answer', { choice: bot.crisis(v.game, eventId) });
          await pace();
        }
        await this.until([this.fac], (v) => v.phase !== 'crisis', 'the crisis result');
        return;
      }
      case 'ended':
        return this.open();
      default:
        return this.advance();
    }
  }

  close(): void {
    for (const s of this.all) s?.socket.disconnect();
  }
}

/** Plays `job.games` games until `stop` is called; resolves with everything measured. */
export class Players {
  readonly report: PlayersReport = { acks: [], rounds: [], gamesOpened: 0, errors: [], maxGapMs: 0 };
  private readonly games: Game[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly job: PlayersJob) {}

  async open(): Promise<void> {
    for (let i = 0; i < this.job.games; i++) {
      const g = new Game(this.job, this.report);
      await g.open();
      this.games.push(g);
    }
  }

  run(): void {
    this.loops = this.games.map(async (g, i) => {
      // Games start spread over one pace interval, so their commands do not come in bursts.
      await sleep((i / this.games.length) * this.job.paceMs);
      g.lastProgress = Date.now();
      while (!this.stopped) {
        try {
          await g.step();
        } catch (e) {
          this.report.errors.push(String((e as Error).message ?? e));
          if (this.report.errors.length > 50) return;
          try {
            await g.open();
          } catch (e2) {
            this.report.errors.push(`reopening a game: ${(e2 as Error).message}`);
            return;
          }
        }
        await sleep(this.job.paceMs);
      }
    });
  }

  async stop(): Promise<PlayersReport> {
    this.stopped = true;
    await Promise.all(this.loops);
    for (const g of this.games) {
      this.report.maxGapMs = Math.max(this.report.maxGapMs, g.maxGapMs, Date.now() - g.lastProgress);
      g.close();
    }
    return this.report;
  }
}
