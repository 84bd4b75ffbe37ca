import { afterEach, describe, expect, it } from 'vitest';
import type { ClientView } from '../../shared/protocol/room.ts';
import { advanceTo, Fixture, table } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

async function startedGame() {
  const t = await table(fx);
  await t.fac.ok('fac:start');
  const v = await t.fac.until((x) => x.phase === 'briefing');
  return { fac: t.fac, us: t.us, v };
}

const from = (v: ClientView) => ({ from: { phase: v.phase, round: v.round } });

describe('facilitator commands', () => {
  it('an advance that names the phase it ends is refused once that phase is over', async () => {
    const { fac, v } = await startedGame();
    const [first, second] = await Promise.all([
      fac.call('fac:advance', from(v)),
      fac.call('fac:advance', from(v)),
    ]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: false, code: 'stale-version' });
    expect(second.ok ? '' : second.message).toContain('negotiation phase of round 1');
    const now = await fac.until((x) => x.seq > v.seq);
    expect(now.phase).toBe('negotiation');
    // Without `from` the facilitator still just moves on, as before.
    await fac.ok('fac:advance');
    expect((await fac.until((x) => x.phase !== 'negotiation')).phase).toBe('orders');
  });

  it('public game info names the round a seat’s view shows, in the summary the one just resolved', async () => {
    const t = await table(fx);
    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'summary');
    const v = await t.us.until((x) => x.phase === 'summary', 'the summary');
    const info = (await (await fetch(`${t.srv.url}/api/games/${t.code}`)).json()) as { round: number };
    expect(v.round).toBe(1);
    expect(info.round).toBe(v.round);
  });

  it('extending the clock moves the deadline by exactly the seconds asked, and pausing keeps them', async () => {
    const { fac, us, v } = await startedGame();
    const deadline = v.deadline ?? 0;
    expect(deadline).toBeGreaterThan(0);
    await fac.ok('fac:extend', { seconds: 90 });
    const later = await us.until((x) => x.deadline !== deadline);
    expect(later.deadline).toBe(deadline + 90_000);
    const t1 = Date.now();
    await fac.ok('fac:pause');
    const paused = await fac.until((x) => x.paused);
    expect(paused.deadline).toBeNull();
    const pausedLeft = paused.remainingMs ?? 0;
    await fac.ok('fac:extend', { seconds: 30 });
    // Everyone sees the time added while the clock is stopped, not only once it runs again.
    expect((await us.until((x) => x.remainingMs !== pausedLeft, 'the extended pause')).remainingMs).toBe(
      pausedLeft + 30_000,
    );
    await fac.ok('fac:resume');
    const t4 = Date.now();
    const resumed = await fac.until((x) => !x.paused && x.deadline !== null);
    // Resuming gives back what was left at the pause plus the 30 s added meanwhile: the deadline
    // moves by 30 s and by the time spent paused, which lies between t1 and t4.
    const shift = (resumed.deadline ?? 0) - ((later.deadline ?? 0) + 30_000);
    expect(shift).toBeGreaterThanOrEqual(0);
    expect(shift).toBeLessThanOrEqual(t4 - t1);
  });
});
