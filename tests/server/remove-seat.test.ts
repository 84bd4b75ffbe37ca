import { afterEach, describe, expect, it, vi } from 'vitest';
import { markdownReport } from '../../server/export/exports.ts';
import type { Client } from './harness.ts';
import { advanceTo, eventually, Fixture, refused, roomOf, seqOf, table } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

const seatId = (c: Client) => c.view?.you.seatId ?? '';

describe('the facilitator removes a seat', () => {
  it('closes every tab of the seat, refuses its token, and hands a lead’s team to the next member', async () => {
    const t = await table(fx);
    const cy = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'orders');
    const anaId = seatId(t.us);
    // The lead has a second tab open: both must go.
    const secondTab = await fx.resume(t.srv.url, t.us.token);
    const cnFrames = t.cn.frames.length;

    await t.fac.ok('fac:removeSeat', { seatId: anaId });

    for (const tab of [t.us, secondTab]) {
      await eventually(() => !tab.socket.connected, 'the removed seat’s tab to be closed');
      const notice = tab.frames.find((f) => f.event === 'seat:removed');
      expect(notice?.args[0]).toEqual({ message: 'the facilitator removed this seat from the game' });
    }
    // Cy leads now, and the team's channel says why.
    const mine = await cy.until((v) => v.you.lead && !v.seats.some((s) => s.id === anaId), 'Cy leads');
    expect(
      mine.chat.some((m) => m.channel === 'us' && /removed Ana \(NSC\).*Cy \(State\) now leads/.test(m.text)),
    ).toBe(true);
    // China sees the seat gone from the public seat list, not the US team's message.
    const cn = await t.cn.until((v) => !v.seats.some((s) => s.id === anaId), 'Ana gone for China');
    expect(cn.chat.some((m) => m.text.includes('removed'))).toBe(false);
    expect(t.cn.frames.length).toBeGreaterThan(cnFrames);

    // The token no longer opens anything, here or after the room is rebuilt from its log.
    const back = await fx.client(t.srv.url).connected();
    const ack = await back.call('game:resume', { token: t.us.token });
    expect(ack).toMatchObject({ ok: false, code: 'unauthorized' });
    const set = await cy.ok<{ version: number }>('draft:set', {
      baseVersion: mine.draft?.version ?? 0,
      orders: [{ move: 'safety-research' }],
    });
    await cy.ok('draft:lock', { baseVersion: set.version });
    expect(markdownReport(roomOf(t.srv, t.code).committedState)).toContain('remove: us: Ana \\(NSC\\)');
  });

  it('removes an observer without a word on any channel, and says when a team is left empty', async () => {
    const t = await table(fx);
    const olga = await fx.join(t.srv.url, t.code, 'Olga', 'observer');
    const chatBefore = roomOf(t.srv, t.code).committedState.chat.length;
    await t.fac.ok('fac:removeSeat', { seatId: seatId(olga) });
    await eventually(() => !olga.socket.connected, 'the observer to be closed');
    expect(roomOf(t.srv, t.code).committedState.chat.length).toBe(chatBefore);

    await t.fac.ok('fac:removeSeat', { seatId: seatId(t.cn) });
    const state = roomOf(t.srv, t.code).committedState;
    expect(state.seats.map((s) => s.name)).toEqual(['Ana (NSC)']);
    expect(state.chat.at(-1)).toMatchObject({
      channel: 'china',
      text: expect.stringMatching(/no members now/),
    });
    // Anyone may join the emptied side again.
    const dee = await fx.join(t.srv.url, t.code, 'Dee', 'china');
    expect((await dee.until((v) => v.you.lead, 'Dee leads China')).you.role).toBe('china');
  });

  it('a resume that found the seat just before its removal does not bind it', async () => {
    const t = await table(fx);
    const registry = t.srv.server.registry;
    const byToken = registry.byToken.bind(registry);
    // The seat is looked up, then removed before the resume binds it.
    const spy = vi.spyOn(registry, 'byToken').mockImplementationOnce(async (token) => {
      const found = await byToken(token);
      await roomOf(t.srv, t.code).run({ type: 'fac.removeSeat', seatId: seatId(t.cn) });
      return found;
    });
    try {
      const late = await fx.client(t.srv.url).connected();
      const ack = await late.call('game:resume', { token: t.cn.token });
      expect(ack).toMatchObject({
        ok: false,
        code: 'unauthorized',
        message: expect.stringMatching(/removed/),
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('is refused for an unknown seat, after the end, and to anyone but the facilitator', async () => {
    const t = await table(fx);
    await refused(t, t.fac, 'fac:removeSeat', { seatId: 'nobody-here' }, 'not-found', /no seat/);
    await refused(t, t.us, 'fac:removeSeat', { seatId: seatId(t.cn) }, 'forbidden', /only the facilitator/);
    await t.fac.ok('fac:start');
    await t.fac.ok('fac:end');
    await refused(t, t.fac, 'fac:removeSeat', { seatId: seatId(t.cn) }, 'wrong-phase', /has ended/);
    expect(roomOf(t.srv, t.code).committedState.seats).toHaveLength(2);
    expect(seqOf(t.srv, t.code)).toBeGreaterThan(0);
  });
});
