import { afterEach, describe, expect, it } from 'vitest';
import type { ClientView, GameUpdate, RoomView } from '../../shared/protocol/room.ts';
import {
  type Client,
  createGame,
  facilitator,
  joined,
  removeDir,
  startServer,
  type TestServer,
} from './harness.ts';

let srv: TestServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await srv?.stop();
  removeDir(srv.dataDir);
});

async function until(c: Client, pred: (v: RoomView) => boolean, what?: string) {
  return c.until(pred, what);
}

/** Plays the current phase forward to `phase` with the facilitator's advance. */
async function advanceTo(fac: Client, phase: RoomView['phase']) {
  for (let i = 0; i < 10 && fac.view?.phase !== phase; i++) {
    const seq = fac.view?.seq ?? 0;
    await fac.ok('fac:advance');
    await until(fac, (v) => v.seq > seq);
  }
  expect(fac.view?.phase).toBe(phase);
}

describe('a game between two human teams and a facilitator', () => {
  it('runs from the lobby through orders, reveal, crises and summaries to the outcome', async () => {
    srv = await startServer();
    const game = await createGame(srv.url, { scenarioId: 'classroom-short', rounds: 2 });
    expect(game.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    const fac = await facilitator(srv.url, game.facilitatorToken);
    const us = await joined(srv.url, game.code, 'Ana (NSC)', 'us');
    const cn = await joined(srv.url, game.code, 'Bo (MFA)', 'china');
    clients.push(fac, us, cn);
    expect(us.view?.you.role).toBe('us');
    expect(us.view?.you.lead).toBe(true);
    expect(us.token.length).toBeGreaterThanOrEqual(21);

    await fac.ok('fac:start');
    await until(us, (v) => v.phase === 'briefing');
    for (let round = 1; round <= 2; round++) {
      await advanceTo(fac, 'orders');
      await until(us, (v) => v.phase === 'orders' && v.round === round);
      const usDraft = await us.ok<{ version: number }>('draft:set', {
        baseVersion: us.view?.draft?.version ?? 0,
        orders: [
          { move: 'safety-research', rationale: 'Lower the risk first.' },
          { move: 'intel-verification' },
        ],
      });
      const chinaMove = round === 1 ? 'domestic-chips' : 'court-allies';
      const cnDraft = await cn.ok<{ version: number }>('draft:set', {
        baseVersion: cn.view?.draft?.version ?? 0,
        orders: [{ move: chinaMove }],
      });
      await us.ok('draft:lock', { baseVersion: usDraft.version });
      // Before China locks, the US view shows China has not locked and holds none of its orders.
      const before = await until(us, (v) => v.locked.us);
      expect(before.locked.china).toBe(false);
      expect(before.drafts).toBeNull();
      expect(JSON.stringify(before)).not.toContain(chinaMove);
      await cn.ok('draft:lock', { baseVersion: cnDraft.version });
      const after = await until(us, (v) => v.phase !== 'orders' || v.round !== round, 'the reveal');
      const revealed = after.game.log.public.find((l) => l.round === round);
      expect(revealed?.orders.map((o) => `${o.side}:${o.move}`)).toEqual([
        'us:safety-research',
        'us:intel-verification',
        `china:${chinaMove}`,
      ]);
      // The US's rationale stays in its own log; the public log carries no rationale.
      expect(revealed?.orders.some((o) => 'rationale' in o)).toBe(false);
      expect(after.game.log.own?.find((l) => l.round === round)?.orders[0]?.rationale).toBe(
        'Lower the risk first.',
      );
      if (after.phase === 'crisis') {
        const eventId = after.game.public.pendingCrisis?.eventId;
        expect(eventId).toBeTruthy();
        await until(cn, (v) => v.phase === 'crisis');
        const { getEvent } = await import('../../shared/rules/events.ts');
        const e = getEvent(eventId ?? '');
        await us.ok('crisis:answer', { choice: e?.response?.choices.us[0].id });
        await cn.ok('crisis:answer', { choice: e?.response?.choices.china[1].id });
        await until(us, (v) => v.phase === 'summary' || v.phase === 'ended', 'the crisis result');
      }
      if (round < 2) await advanceTo(fac, 'briefing');
    }
    const end = await until(cn, (v) => v.phase === 'ended', 'the end');
    expect(end.game.public.outcome?.id).toMatch(
      /catastrophe|unmanaged-race|managed-rivalry|verified-agreement/,
    );
    // The scenario's parameters come once, in the snapshot; pushed views leave them out.
    const pushed = us.frames
      .filter((f) => f.event === 'game:update')
      .map((f) => (f.args[0] as GameUpdate).view?.game)
      .filter((g) => g !== undefined);
    // Round 1's reveal brings a new game part (views between leave an unchanged game out); the
    // last round's result comes in the end snapshot instead.
    expect(pushed.length).toBeGreaterThanOrEqual(1);
    expect(pushed.every((g) => !('params' in g.public))).toBe(true);
    expect(us.view?.game.public.params.risk.limit).toBeGreaterThan(0);
    // After the end everyone sees the truth for the debrief, but never the generator state.
    expect(end.game.truth?.us.capability).toBeGreaterThan(0);
    expect(JSON.stringify(end)).not.toContain('"rng"');
  });

  it('plays a whole game with bots on both sides while the facilitator only advances', async () => {
    srv = await startServer();
    const game = await createGame(srv.url, {
      scenarioId: 'classroom-short',
      bots: { us: 'max-pressure', china: 'deceive' },
    });
    const fac = await facilitator(srv.url, game.facilitatorToken);
    clients.push(fac);
    await fac.ok('fac:start');
    for (let i = 0; i < 60 && fac.view?.phase !== 'ended'; i++) {
      const seq = fac.view?.seq ?? 0;
      await fac.ok('fac:advance');
      const now = await until(fac, (v) => v.seq > seq);
      if (now.phase === 'summary') {
        // Built from increments alone: both sides' logs and the metrics keep pace with the public log.
        const h = now.game.truth?.history;
        expect(h?.metrics.length).toBe(now.game.log.public.length);
        expect(h?.us.length).toBe(now.game.log.public.length);
        expect(h?.china.map((l) => l.round)).toEqual(now.game.log.public.map((l) => l.round));
      }
    }
    // Mid-game, the facilitator's pushed views carry the truth without its logs, which come as
    // increments; the merged picture holds both sides' logs and the metrics round by round.
    const facViews = fac.frames
      .filter((f) => f.event === 'game:update')
      .map((f) => (f.args[0] as GameUpdate).view?.game?.truth)
      .filter((t) => t != null);
    // The first five rounds' results at least (the sixth comes in the end snapshot).
    expect(facViews.length).toBeGreaterThanOrEqual(5);
    expect(facViews.every((t) => !('history' in t) && !('params' in t))).toBe(true);
    const v = fac.view as ClientView;
    expect(v.phase).toBe('ended');
    expect(v.game.truth?.history.us).toHaveLength(6);
    expect(v.game.truth?.history.metrics.map((m) => m.round)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(v.game.public.round).toBe(6);
    expect(v.game.log.public).toHaveLength(6);
    expect(v.game.log.public[0]?.orders.some((o) => o.side === 'us' && o.move === 'tighten-loophole')).toBe(
      true,
    );
  });
});
