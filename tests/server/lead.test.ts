import { afterEach, describe, expect, it, vi } from 'vitest';
import { markdownReport } from '../../server/export/exports.ts';
import type { Client } from './harness.ts';
import { advanceTo, Fixture, refused, roomOf, table } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

const seatId = (c: Client) => c.view?.you.seatId ?? '';

describe('handing over a team’s lead', () => {
  it('a member takes the lead only while the lead is away, then locks; the facilitator can hand it back', async () => {
    const t = await table(fx);
    const cy = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    await t.fac.ok('fac:start');
    await advanceTo(t.fac, 'orders');
    await cy.until((v) => v.seats.every((s) => s.connected), 'everyone connected');

    // The lead is here: nobody takes over behind their back.
    await refused(t, cy, 'team:takeLead', {}, 'locked', /Ana \(NSC\) leads your team and is connected/);
    await refused(t, t.us, 'team:takeLead', {}, 'locked', /already lead/);
    await refused(t, cy, 'draft:lock', { baseVersion: 0 }, 'forbidden', /only the team lead/);

    // The lead's laptop closes.
    const anaToken = t.us.token;
    const anaId = seatId(t.us);
    t.us.close();
    await cy.until((v) => v.seats.some((s) => s.id === anaId && !s.connected), 'Ana offline');
    await cy.ok('team:takeLead');
    const mine = await cy.until((v) => v.you.lead, 'Cy leads');
    expect(mine.seats.find((s) => s.lead && s.role === 'us')?.name).toBe('Cy (State)');
    expect(
      mine.chat.some((m) => m.channel === 'us' && m.text.includes('Cy (State) now leads the team')),
    ).toBe(true);
    // China's lead is told who leads the US (the seat list is public), not the US team's channel.
    const cn = await t.cn.until((v) => v.seats.some((s) => s.name === 'Cy (State)' && s.lead));
    expect(cn.chat.some((m) => m.text.includes('now leads the team'))).toBe(false);
    const set = await cy.ok<{ version: number }>('draft:set', {
      baseVersion: mine.draft?.version ?? 0,
      orders: [{ move: 'safety-research' }],
    });
    await cy.ok('draft:lock', { baseVersion: set.version });

    // Ana comes back: she is a member now, and cannot unlock what Cy locked.
    const ana = await fx.resume(t.srv.url, anaToken);
    expect(ana.view?.you.lead).toBe(false);
    await refused(t, ana, 'draft:unlock', {}, 'forbidden', /only the team lead/);

    // The facilitator gives the lead back; the report records it.
    await t.fac.ok('fac:setLead', { seatId: anaId });
    expect((await ana.until((v) => v.you.lead, 'Ana leads again')).you.lead).toBe(true);
    expect((await cy.until((v) => !v.you.lead, 'Cy no longer leads')).you.lead).toBe(false);
    await ana.ok('draft:unlock');
    expect(markdownReport(roomOf(t.srv, t.code).committedState)).toContain('lead: us: Ana');
  });

  it('two members taking the lead at once: the second is refused while the first is still being written', async () => {
    const t = await table(fx);
    const cy = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    const dee = await fx.join(t.srv.url, t.code, 'Dee (DoD)', 'us');
    await t.fac.ok('fac:start');
    const anaId = seatId(t.us);
    t.us.close();
    await dee.until((v) => v.seats.some((s) => s.id === anaId && !s.connected), 'Ana offline');
    const turn = () => new Promise((r) => setImmediate(r));
    const room = roomOf(t.srv, t.code);
    // Hold the commit window open, so Cy's take-over is applied but not yet on disk when Dee asks.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let answer: Promise<unknown>;
    try {
      cy.socket.emit('team:takeLead', {}, () => {});
      for (let i = 0; i < 20_000 && room.state.leads?.us !== seatId(cy); i++) await turn();
      expect(room.state.leads?.us).toBe(seatId(cy));
      answer = dee.call('team:takeLead', {});
      for (let i = 0; i < 200; i++) await turn();
      vi.advanceTimersByTime(10);
    } finally {
      vi.useRealTimers();
    }
    expect(await answer).toMatchObject({ ok: false, code: 'locked' });
    expect((await cy.until((v) => v.you.lead, 'Cy leads')).you.lead).toBe(true);
    expect(room.committedState.leads?.us).toBe(seatId(cy));
  });

  it('refuses the facilitator a seat that is not on a team, and an observer who wants to lead', async () => {
    const t = await table(fx);
    const olga = await fx.join(t.srv.url, t.code, 'Olga', 'observer');
    await t.fac.ok('fac:start');
    await refused(t, t.fac, 'fac:setLead', { seatId: seatId(olga) }, 'bad-payload', /team member/);
    await refused(t, t.fac, 'fac:setLead', { seatId: 'nobody-here' }, 'not-found', /no seat/);
    await refused(t, olga, 'team:takeLead', {}, 'forbidden', /team member/);
  });
});
