import { describe, expect, it } from 'vitest';
import { runSoak, type SoakOptions } from './soak.ts';

/** The short version of `npm run test:faults`' soak: a few dozen games instead of half an hour of them. */
const SHORT: SoakOptions = {
  seconds: 15,
  games: 3,
  clockGames: 1,
  warmupGames: 6,
  paceMs: 50,
  stuckSlackSeconds: 15,
};

describe('a soak of game after game on the real server process', () => {
  it('keeps memory flat, leaves no timers or listeners behind, and no game stuck', async () => {
    const r = await runSoak(SHORT);
    expect(r.problems).toEqual([]);
    expect(r.gamesPlayed).toBeGreaterThanOrEqual(10);
    expect(r.gamesFinished).toBe(r.gamesPlayed);
    expect(r.stuckGames).toBe(0);
    expect(r.commands).toBeGreaterThan(r.gamesPlayed * 5);
    expect(r.heapStartMb).toBeGreaterThan(0);
    expect(r.heapEndMb).toBeGreaterThan(0);
    // Every finished game left memory; only its index entry stays.
    expect(r.roomsLoadedEnd).toBe(0);
    expect(r.timersEnd).toBeLessThanOrEqual(r.timersStart + 3);
    expect(r.listenersEnd).toBeLessThanOrEqual(r.listenersStart + 3);
  }, 90_000);
});
