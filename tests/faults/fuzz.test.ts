import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../shared/protocol/events.ts';
import { type FuzzOptions, runFuzz } from './fuzz.ts';
import { nextHttpCase } from './fuzz-http-cases.ts';
import { forbiddenFor } from './fuzz-lane.ts';
import { Rng } from './fuzz-rng.ts';
import { nextSocketCase } from './fuzz-socket-cases.ts';

/** The short run of `npm run test:faults`' fuzzer: the same checks on about 3,000 payloads. */
const SHORT: FuzzOptions = {
  payloads: 3000,
  seed: 7,
  lanes: 24,
  games: 2,
  batch: 25,
  httpShare: 0.2,
  httpConcurrency: 2,
  laneRate: 8,
  wellBehavedGames: 2,
  paceMs: 80,
  quietMs: 3000,
  // The payloads are paced (laneRate), so this is margin for a slow machine, not a target.
  maxSeconds: 100,
  // Only a stalled server trips this on a busy CI machine; the full run reports the real figures.
  maxP99WithMs: 5000,
};

describe('the fuzzer', () => {
  it('is reproducible: a seed always gives the same payloads, another seed others', () => {
    const socket = (seed: number) => {
      const rng = new Rng(seed, 'lane-3');
      return JSON.stringify(Array.from({ length: 500 }, () => nextSocketCase(rng)));
    };
    const http = (seed: number) =>
      JSON.stringify(Array.from({ length: 500 }, (_, i) => nextHttpCase(new Rng(seed, `http-${i}`))));
    expect(socket(7)).toBe(socket(7));
    expect(socket(8)).not.toBe(socket(7));
    expect(http(7)).toBe(http(7));
    expect(http(8)).not.toBe(http(7));
  });

  it('knows who may send what (the oracle for accepted commands)', () => {
    const us = { token: 't', code: 'AAAAAA', role: 'us', lead: false };
    expect(forbiddenFor('fac:advance', {}, us)).not.toBeNull();
    expect(forbiddenFor('fac:advance', {}, { ...us, role: 'facilitator' })).toBeNull();
    expect(forbiddenFor('draft:lock', {}, us)).not.toBeNull();
    expect(forbiddenFor('draft:lock', {}, { ...us, lead: true })).toBeNull();
    expect(forbiddenFor('team:takeLead', {}, us)).toBeNull();
    expect(forbiddenFor('team:takeLead', {}, { ...us, role: 'observer' })).not.toBeNull();
    expect(forbiddenFor('chat:send', { channel: 'china' }, us)).not.toBeNull();
    expect(forbiddenFor('chat:send', { channel: 'bilateral' }, us)).toBeNull();
    expect(forbiddenFor('chat:send', { channel: 'public' }, { ...us, role: 'observer' })).not.toBeNull();
    expect(forbiddenFor('draft:set', {}, null)).not.toBeNull();
    expect(forbiddenFor('game:join', {}, null)).toBeNull();
  });

  it('never crashes the server, changes no game on a refused command and answers only documented codes', async () => {
    const r = await runFuzz(SHORT);
    expect(r.problems).toEqual([]);
    expect(r.crashes).toBe(0);
    expect(r.payloads).toBeGreaterThanOrEqual(SHORT.payloads);
    expect(r.socketPayloads).toBeGreaterThan(0);
    expect(r.httpRequests).toBeGreaterThan(0);
    expect(r.undocumentedAnswers).toBe(0);
    expect(r.stateChangesOnInvalid).toBe(0);
    expect(r.forbiddenAccepted).toBe(0);
    // Every socket command and every kind of HTTP route was tried and answered.
    expect(r.eventsCovered).toEqual(Object.keys(commandSchemas).sort());
    expect(r.httpRoutesCovered).toEqual(
      ['create', 'export', 'fork', 'healthz', 'info', 'qr', 'raw', 'socket.io', 'static', 'unknown'].sort(),
    );
    // The refusals the fuzzer aims at did happen, and so did valid commands (whose state changes
    // the checks had to account for).
    expect(r.acksByCode['bad-payload']).toBeGreaterThan(100);
    expect(r.authzRefusals).toBeGreaterThan(0);
    expect(r.acksByCode.ok).toBeGreaterThan(0);
    expect(r.disconnectsForOversize).toBeGreaterThan(0);
    expect(r.disconnectsForMalformed).toBeGreaterThan(0);
    expect(r.stateChecks).toBeGreaterThan(1);
    expect(r.healthFailures).toBe(0);
    // The well-behaved games kept playing beside the fuzzer.
    expect(r.wellBehavedRounds.with).toBeGreaterThan(0);
    expect(r.p99With).toBeLessThan(SHORT.maxP99WithMs);
  }, 180_000);
});
