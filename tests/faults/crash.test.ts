import { describe, expect, it } from 'vitest';
import { runCrash } from './crash.ts';

/**
 * The short version of the crash check (`npm run test:faults` runs the long one): the real server
 * process, killed three times with SIGKILL and stopped once with SIGTERM while three tables play,
 * then started on a read-only and on a full data directory.
 */
describe('crash and restart, nothing lost', () => {
  it('keeps every acknowledged command, replays exactly, and refuses unusable data directories', async () => {
    const lines: string[] = [];
    const r = await runCrash({
      games: 3,
      kills: 3,
      seed: 7,
      maxSeconds: 150,
      gapMs: [400, 1200],
      log: (l) => lines.push(l),
    });
    if (r.problems.length) console.error([...lines, ...r.problems].join('\n'));
    expect(r.problems).toEqual([]);
    expect(r.kills).toBe(3);
    expect(r.restarts).toBe(4);
    expect(r.gamesPlayed).toBeGreaterThanOrEqual(3);
    expect(r.commandsAcked).toBeGreaterThan(30);
    expect(r.commandsFoundAfterRestart).toBe(r.commandsAcked);
    expect(r.replayMismatches).toBe(0);
    expect(r.integrityFailures).toBe(0);
    expect(r.gameChecks).toBeGreaterThanOrEqual(9);
    expect(r.maxSecondsBackInSeat).toBeGreaterThan(0);
    expect(r.maxSecondsBackInSeat).toBeLessThanOrEqual(15);

    // SIGTERM: every connected client told, a clean exit, every running clock moved on.
    expect(r.sigterm?.exitCode).toBe(0);
    expect(r.sigterm?.clients).toBeGreaterThan(0);
    expect(r.sigterm?.notified).toBe(r.sigterm?.clients);
    expect(r.sigterm?.clocksRunning).toBeGreaterThan(0);
    expect(r.sigterm?.clocksMovedOn).toBe(r.sigterm?.clocksRunning);

    // Where this machine lets the test make the condition, the server must refuse to start.
    for (const refusal of [r.startupRefusals.readOnly, r.startupRefusals.fullDisk]) {
      expect(refusal).not.toBeNull();
      if (refusal?.method.startsWith('unavailable')) {
        console.warn(`start-up check skipped: ${refusal.method}`);
        continue;
      }
      expect(refusal?.cases).toHaveLength(2);
      for (const c of refusal?.cases ?? []) {
        expect(c.exitCode, c.name).not.toBe(0);
        expect(c.refused, `${c.name}: ${c.message}`).toBe(true);
      }
    }
  }, 180_000);
});
