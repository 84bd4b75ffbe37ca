import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/protocol/errors.ts';
import { fromSnapshot, withUpdate } from '../../shared/protocol/merge.ts';
import type { ClientView, GameUpdate, SeatSnapshot } from '../../shared/protocol/room.ts';

/** Where a seat reports each acknowledgement round-trip, in milliseconds. */
export interface LatencySink {
  add(ms: number): void;
}

/** Acknowledgement round-trips, in milliseconds. */
export class Latencies implements LatencySink {
  readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  /** The q-th percentile (0–100), or 0 when nothing was measured. */
  p(q: number): number {
    return percentile(this.samples, q);
  }
}

/**
 * Round-trips filed under the phase of the test they happened in (and under which clients they
 * came from), so that one set of clients can be measured before, during and after an attack.
 */
export class PhasedLatencies {
  phase: string | null = null;
  private readonly buckets = new Map<string, Latencies>();

  /** A sink for one group of clients (for example the attacker's own game). */
  sink(group: string): LatencySink {
    return { add: (ms) => this.phase !== null && this.get(this.phase, group).add(ms) };
  }

  get(phase: string, group: string): Latencies {
    const key = `${phase}/${group}`;
    let l = this.buckets.get(key);
    if (!l) {
      l = new Latencies();
      this.buckets.set(key, l);
    }
    return l;
  }

  /** Every round-trip of these phases, all groups together. */
  all(phases: readonly string[]): number[] {
    const out: number[] = [];
    for (const [key, l] of this.buckets) if (phases.includes(key.split('/')[0] ?? '')) out.push(...l.samples);
    return out;
  }
}

export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)] ?? 0;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until `pred` holds, checking every few milliseconds; false if `ms` passed first. */
export async function waitUntil(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) return false;
    await sleep(5);
  }
  return true;
}

/**
 * A lean real socket.io client for one seat: it keeps the merged picture a browser would hold and
 * times every acknowledgement, but records no frames, so it can play for half an hour.
 */
export class BotSeat {
  readonly socket: Socket;
  view: ClientView | null = null;
  token = '';
  /** Chat messages received, by sender's seat id (a flood is counted where it lands). */
  readonly chatBySeat = new Map<string, number>();

  constructor(
    url: string,
    private readonly latencies: LatencySink | null,
  ) {
    this.socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.socket.on('game:update', (u: GameUpdate) => {
      for (const m of u.chat ?? [])
        if (m.seatId) this.chatBySeat.set(m.seatId, (this.chatBySeat.get(m.seatId) ?? 0) + 1);
      this.view = withUpdate(this.view, u);
    });
    this.socket.on('game:snapshot', (s: SeatSnapshot) => {
      this.view = fromSnapshot(s);
    });
  }

  connected(): Promise<this> {
    if (this.socket.connected) return Promise.resolve(this);
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve(this));
      this.socket.once('connect_error', reject);
    });
  }

  async call<T>(event: string, payload: unknown = {}): Promise<Ack<T>> {
    const t0 = performance.now();
    const a = (await this.socket.timeout(15_000).emitWithAck(event, payload)) as Ack<T>;
    this.latencies?.add(performance.now() - t0);
    return a;
  }

  async ok<T = { seq: number }>(event: string, payload: unknown = {}): Promise<T> {
    const a = await this.call<T>(event, payload);
    if (!a.ok) throw new Error(`${event} refused: ${a.code}: ${a.message}`);
    return a.data;
  }

  adopt(snapshot: SeatSnapshot | null): void {
    if (snapshot) this.view = fromSnapshot(snapshot);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** A seat's socket, connected and bound to a token (a player's or the facilitator's). */
export async function resumeSeat(
  url: string,
  token: string,
  latencies: LatencySink | null,
): Promise<BotSeat> {
  const s = await new BotSeat(url, latencies).connected();
  const r = await s.ok<{ snapshot: SeatSnapshot | null }>('game:resume', { token });
  s.token = token;
  s.adopt(r.snapshot);
  return s;
}

export async function joinSeat(
  url: string,
  code: string,
  name: string,
  role: 'us' | 'china' | 'observer',
  latencies: LatencySink | null,
): Promise<BotSeat> {
  const s = await new BotSeat(url, latencies).connected();
  const r = await s.ok<{ token: string; snapshot: SeatSnapshot }>('game:join', { code, name, role });
  s.token = r.token;
  s.adopt(r.snapshot);
  return s;
}
