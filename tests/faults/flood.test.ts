import { describe, expect, it } from 'vitest';
import { type FloodOptions, runFlood } from './flood.ts';
import { SLOWLORIS_KINDS } from './flood-raw.ts';

/**
 * The short version of `npm run test:faults`' flood check, against the real server process. The
 * latency bound is loose on purpose: a busy CI machine makes timings noisy; the full run reports them.
 */
const SHORT: FloodOptions = {
  otherGames: 2,
  baselineSeconds: 2,
  floodSeconds: 2,
  slowlorisConnections: 120,
  slowlorisMaxSeconds: 40,
  paceMs: 50,
  p99Factor: 50,
  p99PlusMs: 5000,
};

describe('a flooding client, half-open connections and oversized frames', () => {
  it('throttles and cuts off a flooding client, even one that reconnects, while the other games play on', async () => {
    const r = await runFlood({ ...SHORT, parts: ['flood'] });
    expect(r.problems).toEqual([]);
    expect(r.floodAcksRateLimited).toBeGreaterThan(0);
    expect(r.floodDisconnected).toBe(true);
    expect(r.floodReconnects).toBeGreaterThan(0);
    expect(r.floodCommandsAccepted).toBeLessThanOrEqual(r.floodCommandsAllowed);
    expect(r.floodPacketsSent).toBeGreaterThan(r.floodCommandsAllowed * 10);
    expect(r.p99WithFlood).toBeGreaterThan(0);
    expect(r.gamesPlayed).toBeGreaterThan(0);
  }, 60_000);

  it('times out half-open connections, refuses a 65 KB frame early and a foreign Origin with 403', async () => {
    const r = await runFlood({ ...SHORT, parts: ['slowloris', 'oversize', 'origin'] });
    expect(r.problems).toEqual([]);
    expect(r.slowlorisConnections).toBe(SHORT.slowlorisConnections);
    expect(Object.keys(r.slowlorisLifetimes).sort()).toEqual([...SLOWLORIS_KINDS].sort());
    expect(r.slowlorisMaxLifetimeSeconds).toBeGreaterThan(0);
    expect(r.probesOk).toBeGreaterThan(0);
    expect(r.p99WithSlowloris).toBeGreaterThan(0);
    expect(r.oversizeClosedBeforeFullFrame).toBe(true);
    expect(r.oversize?.closeCode).toBe(1009);
    expect(r.oversizePolling?.status).toBe(413);
    expect(r.foreignOrigin403).toBe(true);
    expect(r.origins).toEqual({
      pollingForeign: 403,
      pollingOwn: 200,
      websocketForeign: 403,
      websocketOwn: 101,
    });
  }, 90_000);
});
