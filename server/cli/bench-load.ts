import type { GameUpdate, SeatSnapshot, ViewUpdate } from '../../shared/protocol/room.ts';
import { BenchSocket } from './bench-socket.ts';

/**
 * One load process of `npm run bench:server`. It creates its share of rooms over HTTP, connects a
 * facilitator, both teams and an observer to each, and makes every room play one full round per
 * `paceMs`: the facilitator advances to the orders phase, each team member edits the draft, each
 * lead locks, and the latency runs from sending the last lock to the moment every socket of the
 * room holds the resolved view. It reports its latencies to the parent over IPC.
 */
interface Job {
  url: string;
  rooms: number;
  teamSize: number;
  paceMs: number;
  warmupMs: number;
  durationMs: number;
  offsetMs: number;
}

interface Seat {
  s: BenchSocket;
  view: ViewUpdate | null;
  token: string;
  /** Waits to re-check when this seat's view changes. */
  waiters: Set<() => void>;
}

function setView(seat: Seat, v: ViewUpdate): void {
  seat.view = v;
  for (const w of [...seat.waiters]) w();
}

const send = (m: unknown) => process.send?.(m);

async function connect(url: string): Promise<Seat> {
  const s = await BenchSocket.connect(url);
  const seat: Seat = { s, view: null, token: '', waiters: new Set() };
  s.on<GameUpdate>('game:update', (u) => {
    const v = u.view;
    if (v && (!seat.view || v.seq >= seat.view.seq)) setView(seat, v);
  });
  // The end of a game arrives as a whole snapshot rather than a view.
  s.on<SeatSnapshot>('game:snapshot', (snap) => setView(seat, snap.view));
  return seat;
}

async function cmd<T = { seq: number }>(seat: Seat, event: string, payload: unknown = {}): Promise<T> {
  const a = await seat.s.request<T>(event, payload);
  if (!a.ok) throw new Error(`${event}: ${a.code}: ${a.message}`);
  return a.data;
}

/**
 * Resolves once every seat's view passes `pred`, re-checked only when a view arrives: a polling
 * loop here would spend the cores the server is being measured on.
 */
function waitFor(seats: Seat[], pred: (v: ViewUpdate) => boolean): Promise<void> {
  const done = () => seats.every((x) => x.view && pred(x.view));
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      for (const x of seats) x.waiters.delete(check);
    };
    const check = () => {
      if (!done()) return;
      stop();
      resolve();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error('a view never arrived'));
    }, 30_000);
    for (const x of seats) x.waiters.add(check);
  });
}

class BenchRoom {
  fac!: Seat;
  us: Seat[] = [];
  china: Seat[] = [];
  observer!: Seat;
  all: Seat[] = [];
  readonly reopenedAt: number[] = [];

  /** Games of 6 to 12 rounds, so that tables finish at different times, as real ones do. */
  constructor(
    private readonly job: Job,
    private readonly rounds: number,
  ) {}

  async open(): Promise<void> {
    for (const x of this.all) x.s.disconnect();
    const res = await fetch(`${this.job.url}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenarioId: 'baseline-2026', rounds: this.rounds }),
    });
    const game = (await res.json()) as { code: string; facilitatorToken: string };
    this.fac = await connect(this.job.url);
    setView(
      this.fac,
      (await cmd<{ snapshot: SeatSnapshot }>(this.fac, 'game:resume', { token: game.facilitatorToken }))
        .snapshot.view,
    );
    const join = async (role: 'us' | 'china' | 'observer', i: number) => {
      const seat = await connect(this.job.url);
      const r = await cmd<{ token: string; snapshot: SeatSnapshot }>(seat, 'game:join', {
        code: game.code,
        name: `${role}-${i}`,
        role,
      });
      seat.token = r.token;
      // The join's answer holds a snapshot, not a bare view (a newer update may have come first).
      if (!seat.view || r.snapshot.view.seq >= seat.view.seq) setView(seat, r.snapshot.view);
      return seat;
    };
    this.us = [];
    this.china = [];
    for (let i = 0; i < this.job.teamSize; i++) this.us.push(await join('us', i));
    for (let i = 0; i < this.job.teamSize; i++) this.china.push(await join('china', i));
    this.observer = await join('observer', 0);
    this.all = [this.fac, ...this.us, ...this.china, this.observer];
    await cmd(this.fac, 'fac:start');
  }

  /** A finished table starts a new game, with new connections, as browsers do. */
  private async reopen(): Promise<void> {
    this.reopenedAt.push(performance.now());
    await this.open();
  }

  /** Plays one round and returns the latency of its resolution, in milliseconds. */
  async round(): Promise<number> {
    const phase = () => this.fac.view?.phase;
    if (phase() === 'ended') await this.reopen();
    while (phase() !== 'orders') {
      const { seq } = await cmd(this.fac, 'fac:advance');
      await waitFor([this.fac], (v) => v.seq >= seq);
      if (phase() === 'ended') await this.reopen();
    }
    await waitFor(this.all, (v) => v.phase === 'orders');
    const edit = async (team: Seat[], orders: unknown[]) => {
      // Every member edits the shared draft once; edits that race a teammate's are refused as
      // stale and count as the normal cost of a shared draft.
      await Promise.all(
        team.map((m) =>
          cmd(m, 'draft:set', { baseVersion: m.view?.draft?.version ?? 0, orders }).catch(() => null),
        ),
      );
      const lead = team[0] as Seat;
      await waitFor(team, (v) => v.draft?.version === lead.view?.draft?.version);
      return lead;
    };
    const [usLead, cnLead] = await Promise.all([
      edit(this.us, [{ move: 'safety-research' }]),
      edit(this.china, [{ move: 'domestic-chips' }]),
    ]);
    await cmd(usLead, 'draft:lock', { baseVersion: usLead.view?.draft?.version ?? 0 });
    const t0 = performance.now();
    const { seq } = await cmd(cnLead, 'draft:lock', { baseVersion: cnLead.view?.draft?.version ?? 0 });
    await waitFor(this.all, (v) => v.seq >= seq && v.phase !== 'orders');
    const latency = performance.now() - t0;
    if (phase() === 'crisis') {
      const r = await cmd(this.fac, 'fac:advance');
      await waitFor([this.fac], (v) => v.seq >= r.seq);
    }
    return latency;
  }
}

async function run(job: Job): Promise<void> {
  const rooms: BenchRoom[] = [];
  for (let i = 0; i < job.rooms; i++) {
    const r = new BenchRoom(job, 6 + (i % 7));
    await r.open();
    rooms.push(r);
  }
  send({ type: 'ready' });
  const start = performance.now() + job.offsetMs;
  const measureFrom = start + job.warmupMs;
  const stopAt = measureFrom + job.durationMs;
  const latencies: number[] = [];
  /** When each measured round finished, in ms from the start of measuring (for the timeline). */
  const doneAtMs: number[] = [];
  let errors = 0;
  let rounds = 0;
  await Promise.all(
    rooms.map(async (room, i) => {
      // Rooms start spread over one pace interval, so the load is even rather than in bursts.
      let next = start + (i / rooms.length) * job.paceMs;
      while (next < stopAt) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        try {
          const ms = await room.round();
          const now = performance.now();
          if (now >= measureFrom) {
            latencies.push(ms);
            doneAtMs.push(now - measureFrom);
            rounds++;
          }
        } catch (e) {
          if (errors++ === 0) process.stderr.write(`bench load: first error: ${(e as Error).message}\n`);
        }
        next += job.paceMs;
      }
    }),
  );
  // Finished games replaced by new ones while measuring: churn the server handles beside the rounds.
  const openedAtMs = rooms
    .flatMap((r) => r.reopenedAt)
    .filter((t) => t >= measureFrom && t < stopAt)
    .map((t) => t - measureFrom);
  send({ type: 'done', latencies, doneAtMs, rounds, errors, gamesOpened: openedAtMs.length, openedAtMs });
  for (const r of rooms) for (const x of r.all) x.s.disconnect();
}

process.on('message', (m: { type: string; job: Job }) => {
  if (m.type === 'start') {
    run(m.job).then(
      () => process.exit(0),
      (e) => {
        send({ type: 'error', message: String(e) });
        process.exit(1);
      },
    );
  }
});
