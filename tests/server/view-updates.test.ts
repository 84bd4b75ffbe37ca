import { afterEach, describe, expect, it } from 'vitest';
import type { ClientView, GameUpdate, ViewUpdate } from '../../shared/protocol/room.ts';
import type { Client } from './harness.ts';
import { advanceTo, Fixture, seqOf, table } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

/** The views pushed to a client from frame `from` on. */
function pushedViews(c: Client, from: number): ViewUpdate[] {
  return c.frames
    .slice(from)
    .filter((f) => f.event === 'game:update')
    .map((f) => (f.args[0] as GameUpdate).view)
    .filter((v) => v !== undefined);
}

/** What a fresh connection of the same seat is given in full, to hold the merged picture to. */
async function freshView(url: string, token: string): Promise<ClientView> {
  const c = await fx.resume(url, token);
  if (!c.view) throw new Error('the resume carried no snapshot');
  return c.view;
}

/**
 * `game` and `seats` are most of a view's bytes and change least: a pushed view leaves them out
 * while they are what the connection last received (docs/PROTOCOL.md, `game:update`).
 */
describe('views pushed as updates', () => {
  it('leave the game out until a round resolves, and the merged picture equals a fresh snapshot', async () => {
    const t = await table(fx);
    const obs = await fx.join(t.srv.url, t.code, 'Eve (press)', 'observer');
    const all = [t.fac, t.us, t.cn, obs];
    for (const c of all) await c.until((v) => v.seats.length === 3, 'the observer seated');
    const from = all.map((c) => c.frames.length);

    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'orders');
    await t.us.until((v) => v.phase === 'orders');
    await t.cn.until((v) => v.phase === 'orders');
    const us = await t.us.ok<{ version: number }>('draft:set', {
      baseVersion: t.us.view?.draft?.version ?? 0,
      orders: [{ move: 'safety-research' }],
    });
    const cn = await t.cn.ok<{ version: number }>('draft:set', {
      baseVersion: t.cn.view?.draft?.version ?? 0,
      orders: [{ move: 'domestic-chips' }],
    });
    await t.us.ok('draft:lock', { baseVersion: us.version });
    await t.cn.ok('draft:lock', { baseVersion: cn.version });
    const seq = seqOf(t.srv, t.code);
    for (const c of all) await c.until((v) => v.seq >= seq && v.phase !== 'orders', 'the reveal');

    const tokens = [t.facToken, t.us.token, t.cn.token, obs.token];
    for (const [i, c] of all.entries()) {
      const views = pushedViews(c, from[i] ?? 0);
      const before = views.filter((v) => v.phase !== 'summary' && v.phase !== 'crisis');
      const after = views.filter((v) => v.phase === 'summary' || v.phase === 'crisis');
      // Start, three phase changes, locks (and a team's own draft edits): the game is unchanged.
      expect(before.length).toBeGreaterThanOrEqual(4);
      expect(before.filter((v) => v.game !== undefined)).toEqual([]);
      // The reveal brings the resolved game once; nobody arrived or left, so no seat list.
      expect(after[0]?.game).toBeDefined();
      expect(after[0]?.logRounds).toBe(1);
      expect(views.filter((v) => v.seats !== undefined)).toEqual([]);

      const merged = c.view as ClientView;
      const fresh = await freshView(t.srv.url, tokens[i] ?? '');
      expect(merged.seq).toBe(fresh.seq);
      expect(merged.game).toEqual(fresh.game);
      expect(merged.seats).toEqual(fresh.seats);
      expect({ ...merged, remainingMs: 0 }).toEqual({ ...fresh, remainingMs: 0 });
    }
  });

  it('send a team nothing when the facilitator changes only what the team cannot see', async () => {
    const t = await table(fx);
    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'negotiation');
    const seq0 = seqOf(t.srv, t.code);
    for (const c of [t.us, t.cn]) await c.until((v) => v.seq === seq0, 'the negotiation');
    const from = [t.us, t.cn].map((c) => c.frames.length);

    // An injected event and a change of China's hidden capability: the US sees neither.
    await t.fac.ok('fac:inject', { eventId: 'lab-incident' });
    await t.fac.ok('fac:adjust', { variable: 'china.capability', value: 50, note: 'a hidden ruling' });
    const china = await t.cn.until((v) => v.game.own?.state.capability === 50, 'China’s new capability');
    expect(pushedViews(t.cn, from[1] ?? 0).filter((v) => v.game !== undefined)).toHaveLength(1);
    // A public change reaches both; it is the first thing the US hears of since the negotiation began.
    await t.fac.ok('fac:adjust', { variable: 'trust', value: 61, note: 'a public ruling' });
    const us = await t.us.until((v) => v.game.public.trust === 61, 'the new trust');
    const usViews = pushedViews(t.us, from[0] ?? 0);
    expect(usViews).toHaveLength(1);
    expect(usViews[0]?.seq).toBe(seqOf(t.srv, t.code));
    expect(us.game.estimates).toEqual((await freshView(t.srv.url, t.us.token)).game.estimates);
    expect(china.game.public.trust).not.toBe(61);
  });

  it('bring the seat list without the game when someone arrives', async () => {
    const t = await table(fx);
    const from = [t.fac, t.us, t.cn].map((c) => c.frames.length);
    await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    for (const [i, c] of [t.fac, t.us, t.cn].entries()) {
      await c.until((v) => v.seats.length === 3, 'the new seat');
      const views = pushedViews(c, from[i] ?? 0);
      expect(views.length).toBeGreaterThan(0);
      expect(views.every((v) => v.game === undefined)).toBe(true);
      expect(views.at(-1)?.seats?.map((s) => s.name)).toContain('Cy (State)');
      // The merged picture kept the game it had.
      expect(c.view?.game.public.round).toBe(1);
    }
  });

  it('give a client that resumes up to date the seats as they are now, not as it last saw them', async () => {
    const t = await table(fx);
    const kept = t.us.view as ClientView;
    expect(kept.seats.find((x) => x.role === 'china')?.connected).toBe(true);
    // The US player drops; while it is away China's player leaves too, which moves no seq.
    t.us.close();
    t.cn.close();
    await t.fac.until((v) => v.seats.every((x) => x.role === 'facilitator' || !x.connected), 'both gone');
    expect(seqOf(t.srv, t.code)).toBe(kept.seq);

    const back = fx.client(t.srv.url);
    await back.connected();
    const r = await back.call<{ snapshot: unknown }>('game:resume', { token: t.us.token, lastSeq: kept.seq });
    expect(r).toMatchObject({ ok: true, data: { snapshot: null } });
    back.view = kept;
    const now = await back.until(
      (v) => v.seats.find((x) => x.role === 'china')?.connected === false,
      'China shown as gone',
    );
    expect(now.seats.find((x) => x.role === 'us')?.connected).toBe(true);
    expect(now.game).toEqual(kept.game);
  });
});
