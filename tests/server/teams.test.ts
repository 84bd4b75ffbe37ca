import { afterEach, describe, expect, it } from 'vitest';
import type { ResumeResult } from '../../shared/protocol/events.ts';
import type { RoomView } from '../../shared/protocol/room.ts';
import type { Client } from './harness.ts';
import {
  advanceTo,
  barrier,
  eventually,
  Fixture,
  refused,
  roomOf,
  seqOf,
  type Table,
  table,
} from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

interface Teams extends Table {
  usTeam: Client[];
  cnTeam: Client[];
}

/** Three US members and two China members; the first of each to join is its lead. */
async function teams(): Promise<Teams> {
  const t = await table(fx);
  const us2 = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
  const us3 = await fx.join(t.srv.url, t.code, 'Di (Commerce)', 'us');
  const cn2 = await fx.join(t.srv.url, t.code, 'Wu (MOFCOM)', 'china');
  const all = [t.us, us2, us3, t.cn, cn2];
  // Everyone has seen every seat arrive.
  for (const c of all) await c.until((v) => v.seats.length === 5, 'all five seats');
  return { ...t, usTeam: [t.us, us2, us3], cnTeam: [t.cn, cn2] };
}

async function toPhase(t: Table, phase: RoomView['phase']): Promise<void> {
  if (t.fac.view?.phase === 'lobby') await t.fac.ok('fac:start');
  await advanceTo(t.fac, phase);
}

const seatId = (c: Client) => c.view?.you.seatId ?? '';

describe('teams of several people', () => {
  it('every member sees the shared draft change live after a teammate edits it', async () => {
    const t = await teams();
    const [lead, us2, us3] = t.usTeam as [Client, Client, Client];
    expect(t.usTeam.map((c) => c.view?.you.lead)).toEqual([true, false, false]);
    expect(t.cnTeam.map((c) => c.view?.you.lead)).toEqual([true, false]);
    await toPhase(t, 'briefing');

    const first = [{ move: 'safety-research', rationale: 'Cy wants safety first' }];
    const r1 = await us2.ok<{ version: number }>('draft:set', { baseVersion: 0, orders: first });
    expect(r1.version).toBe(1);
    for (const c of t.usTeam) {
      const v = await c.until((x) => x.draft?.version === 1, 'version 1 of the US draft');
      expect(v.draft?.editedBy).toBe(seatId(us2));
      expect(v.draft?.orders).toEqual(first);
      expect(v.draft?.locked).toBe(false);
    }

    const second = [{ move: 'compute-buildout' }, { move: 'intel-verification' }];
    const r2 = await us3.ok<{ version: number }>('draft:set', { baseVersion: 1, orders: second });
    expect(r2.version).toBe(2);
    for (const c of t.usTeam) {
      const v = await c.until((x) => x.draft?.version === 2, 'version 2 of the US draft');
      expect(v.draft?.editedBy).toBe(seatId(us3));
      expect(v.draft?.orders).toEqual(second);
    }
    // The lead's own edit is recorded as the lead's.
    await lead.ok('draft:set', { baseVersion: 2, orders: [] });
    await us2.until((x) => x.draft?.version === 3 && x.draft.editedBy === seatId(lead), 'the lead’s edit');

    // China's members saw none of it: their own draft is untouched.
    await barrier(t.cnTeam[1] as Client);
    for (const c of t.cnTeam) {
      expect(c.view?.draft).toEqual({
        orders: [],
        version: 0,
        locked: false,
        lockedBy: null,
        editedBy: null,
      });
      expect(JSON.stringify(c.view)).not.toContain('Cy wants safety first');
    }
  });

  it('only the lead, the first to join, can lock and unlock', async () => {
    const t = await teams();
    const [lead, us2, us3] = t.usTeam as [Client, Client, Client];
    const [cnLead, cn2] = t.cnTeam as [Client, Client];
    await toPhase(t, 'orders');
    const set = await us2.ok<{ version: number }>('draft:set', {
      baseVersion: 0,
      orders: [{ move: 'safety-research' }],
    });

    await refused(t, us2, 'draft:lock', { baseVersion: set.version }, 'forbidden', /only the team lead/);
    await refused(t, us3, 'draft:lock', { baseVersion: set.version }, 'forbidden', /only the team lead/);
    await refused(t, cn2, 'draft:lock', { baseVersion: 0 }, 'forbidden', /only the team lead/);

    await lead.ok('draft:lock', { baseVersion: set.version });
    for (const c of t.usTeam) {
      const v = await c.until((x) => x.draft?.locked === true, 'the locked draft');
      expect(v.draft?.lockedBy).toBe(seatId(lead));
      expect(v.locked).toEqual({ us: true, china: false });
    }
    await refused(t, us3, 'draft:unlock', {}, 'forbidden', /only the team lead/);
    await refused(t, us2, 'draft:set', { baseVersion: set.version, orders: [] }, 'locked', /locked/);

    await lead.ok('draft:unlock');
    const v = await us3.until((x) => x.draft?.locked === false, 'the unlocked draft');
    expect(v.draft?.version).toBe(set.version + 1);
    expect(v.draft?.lockedBy).toBeNull();
    // Unlocked, any member edits again.
    await us3.ok('draft:set', { baseVersion: set.version + 1, orders: [{ move: 'compute-buildout' }] });

    // The China lead locks its side; the round waits for the US.
    await cnLead.ok('draft:lock', { baseVersion: 0 });
    await lead.until((x) => x.locked.china, 'China locked');
    expect(roomOf(t.srv, t.code).state.phase).toBe('orders');
  });

  it('the facilitator can hand a side to a bot mid-orders and take it back', async () => {
    const t = await teams();
    const [lead, us2] = t.usTeam as [Client, Client];
    await toPhase(t, 'orders');
    const human = await us2.ok<{ version: number }>('draft:set', {
      baseVersion: 0,
      orders: [{ move: 'safety-research' }],
    });

    await t.fac.ok('fac:setBot', { side: 'us', bot: 'max-pressure' });
    for (const c of t.usTeam) {
      const v = await c.until((x) => x.draft?.locked === true, 'the bot’s locked draft');
      expect(v.settings.bots.us).toBe('max-pressure');
      expect(v.draft?.lockedBy).toBe('bot:max-pressure');
      expect(v.draft?.editedBy).toBe('bot:max-pressure');
      expect(v.draft?.version).toBe(human.version + 1);
      expect(v.draft?.orders.length).toBeGreaterThan(0);
    }
    const china = await t.cn.until((x) => x.locked.us, 'the US locked by its bot');
    expect(china.draft?.orders).toEqual([]);
    expect(china.phase).toBe('orders');

    // While the bot holds the side, its humans cannot edit, lock or unlock.
    await refused(t, us2, 'draft:set', { baseVersion: human.version + 1, orders: [] }, 'forbidden', /bot/);
    await refused(t, lead, 'draft:unlock', {}, 'forbidden', /bot/);

    await t.fac.ok('fac:setBot', { side: 'us', bot: null });
    for (const c of t.usTeam) {
      const v = await c.until((x) => x.draft?.locked === false, 'the draft handed back');
      expect(v.settings.bots.us).toBeNull();
      expect(v.draft?.lockedBy).toBeNull();
      expect(v.draft?.version).toBe(human.version + 2);
    }
    const mine = [{ move: 'intel-verification' }];
    const back = await us2.ok<{ version: number }>('draft:set', {
      baseVersion: human.version + 2,
      orders: mine,
    });
    await lead.ok('draft:lock', { baseVersion: back.version });
    await t.cn.ok('draft:lock', { baseVersion: 0 });
    const after = await lead.until((x) => x.phase !== 'orders', 'the reveal');
    const log = after.game.log.public.find((l) => l.round === 1);
    expect(log?.orders.filter((o) => o.side === 'us').map((o) => o.move)).toEqual(['intel-verification']);
  });

  it('giving a side back to the humans who already hold it undoes nothing they did', async () => {
    const t = await teams();
    await toPhase(t, 'orders');
    const set = await t.us.ok<{ version: number }>('draft:set', {
      baseVersion: 0,
      orders: [{ move: 'safety-research' }],
    });
    await t.us.ok('draft:lock', { baseVersion: set.version });
    const before = roomOf(t.srv, t.code).committedState;
    await t.fac.ok('fac:setBot', { side: 'us', bot: null });
    const after = roomOf(t.srv, t.code).committedState;
    expect(after.drafts.us).toEqual(before.drafts.us);
    expect(after.drafts.us.locked).toBe(true);
    expect(after.actions).toEqual(before.actions);
  });

  it('a bot taking over the last side to lock resolves the round with the bot’s orders', async () => {
    const t = await teams();
    await toPhase(t, 'orders');
    await t.cn.ok('draft:set', { baseVersion: 0, orders: [{ move: 'court-allies' }] });
    await t.cn.ok('draft:lock', { baseVersion: 1 });
    await t.fac.ok('fac:setBot', { side: 'us', bot: 'max-pressure' });
    const after = await t.us.until((x) => x.phase !== 'orders', 'the reveal');
    const log = after.game.log.public.find((l) => l.round === 1);
    expect(log?.orders.some((o) => o.side === 'us' && o.move === 'tighten-loophole')).toBe(true);
    expect(log?.orders.filter((o) => o.side === 'china').map((o) => o.move)).toEqual(['court-allies']);
  });

  it('a dropped member resumes with its token and keeps its seat and role', async () => {
    const t = await teams();
    const [lead, us2] = t.usTeam as [Client, Client];
    await toPhase(t, 'briefing');
    await us2.until((x) => x.phase === 'briefing');
    const id = seatId(us2);
    const lastSeq = us2.view?.seq ?? 0;
    us2.close();
    await lead.until((x) => x.seats.find((s) => s.id === id)?.connected === false, 'us2 shown as gone');

    // The game goes on while the member is away.
    await lead.ok('draft:set', { baseVersion: 0, orders: [{ move: 'safety-research' }] });
    await lead.ok('chat:send', { channel: 'us', text: 'where did Cy go?' });
    const current = seqOf(t.srv, t.code);
    expect(current).toBeGreaterThan(lastSeq);

    const back = await fx.client(t.srv.url).connected();
    const r = await back.ok<ResumeResult>('game:resume', { token: us2.token, lastSeq });
    expect(r.seatId).toBe(id);
    expect(r.role).toBe('us');
    expect(r.snapshot?.view.seq).toBe(current);
    expect(r.snapshot?.view.you).toEqual({ seatId: id, name: 'Cy (State)', role: 'us', lead: false });
    expect(r.snapshot?.view.draft?.orders).toEqual([{ move: 'safety-research' }]);
    expect(r.snapshot?.chat.map((m) => m.text)).toContain('where did Cy go?');
    await lead.until((x) => x.seats.find((s) => s.id === id)?.connected === true, 'us2 back');
    // Its seat is still one seat: resuming made no new one.
    expect(roomOf(t.srv, t.code).state.seats).toHaveLength(5);

    // A client that already has the latest view gets no copy of it.
    const again = await fx.client(t.srv.url).connected();
    const r2 = await again.ok<ResumeResult>('game:resume', { token: us2.token, lastSeq: current });
    expect(r2).toEqual({ seatId: id, role: 'us', snapshot: null });
    // The resumed seat acts as itself: its edit is signed with its seat id.
    await back.ok('draft:set', { baseVersion: 1, orders: [] });
    const v = await lead.until((x) => x.draft?.version === 2, 'the returning member’s edit');
    expect(v.draft?.editedBy).toBe(id);
  });

  it('two sockets of one seat both receive every view', async () => {
    const t = await teams();
    const lead = t.usTeam[0] as Client;
    const id = seatId(lead);
    const twin = await fx.resume(t.srv.url, lead.token);
    expect(twin.view?.you.seatId).toBe(id);
    await toPhase(t, 'briefing');
    await t.cn.ok('chat:send', { channel: 'public', text: 'hello both of you' });
    const seq = seqOf(t.srv, t.code);
    for (const c of [lead, twin]) {
      const v = await c.until((x) => x.seq === seq, `view ${seq}`);
      expect(v.phase).toBe('briefing');
      expect(v.chat.map((m) => m.text)).toContain('hello both of you');
    }
    // An edit on one socket reaches the other.
    await twin.ok('draft:set', { baseVersion: 0, orders: [{ move: 'compute-buildout' }] });
    await lead.until((x) => x.draft?.version === 1 && x.draft.editedBy === id, 'the twin’s edit');

    // Closing one of the two leaves the seat connected; closing both does not.
    const open = t.srv.server.io.of('/').sockets.size;
    twin.close();
    await eventually(
      () => t.srv.server.io.of('/').sockets.size === open - 1,
      'the server to see the twin go',
    );
    await t.cn.ok('chat:send', { channel: 'public', text: 'still there?' });
    const after = await t.cn.until((x) => x.chat.some((m) => m.text === 'still there?'));
    expect(after.seats.find((s) => s.id === id)?.connected).toBe(true);
    lead.close();
    await t.cn.until((x) => x.seats.find((s) => s.id === id)?.connected === false, 'the lead gone');
  });
});

describe('deadlines on the server clock', () => {
  /** Moves the server clock through a phase's whole deadline; the phase must then have changed. */
  async function runOut(t: Table, phase: RoomView['phase']): Promise<void> {
    const room = roomOf(t.srv, t.code);
    expect(room.state.phase).toBe(phase);
    const deadline = room.state.deadline;
    expect(deadline).not.toBeNull();
    t.srv.clock.advance((deadline ?? 0) - t.srv.clock.now() - 1);
    expect(room.state.phase).toBe(phase);
    t.srv.clock.advance(1);
    expect(room.state.phase).not.toBe(phase);
  }

  it('a side that never locked gets its draft if valid, and no moves if not', async () => {
    const t = await teams();
    await t.fac.ok('fac:start');
    await runOut(t, 'briefing');
    await runOut(t, 'negotiation');
    await t.us.until((x) => x.phase === 'orders', 'orders by the clock');
    const usOrders = [{ move: 'compute-buildout' }, { move: 'safety-research' }];
    await (t.usTeam[1] as Client).ok('draft:set', { baseVersion: 0, orders: usOrders });
    // China's draft is over its budget of 8: it cannot stand as its orders.
    await t.cn.ok('draft:set', {
      baseVersion: 0,
      orders: [
        { move: 'domestic-chips' },
        { move: 'stockpile-chips' },
        { move: 'mineral-retaliation' },
        { move: 'court-allies' },
        { move: 'evasion-network', loophole: 'smuggling' },
      ],
    });
    await runOut(t, 'orders');
    const v = await t.cn.until((x) => x.game.log.public.some((l) => l.round === 1), 'the reveal');
    expect(['crisis', 'summary']).toContain(v.phase);
    const log = v.game.log.public.find((l) => l.round === 1);
    expect(log?.orders.map((o) => `${o.side}:${o.move}`)).toEqual([
      'us:compute-buildout',
      'us:safety-research',
    ]);
  });

  it('a side with a failed precondition in its draft gives no moves; the clock carries on', async () => {
    const t = await teams();
    await toPhase(t, 'orders');
    await t.cn.ok('draft:set', { baseVersion: 0, orders: [{ move: 'court-allies' }] });
    await t.cn.ok('draft:lock', { baseVersion: 1 });
    // Retaliation needs a detected violation: this draft is not valid.
    await t.us.ok('draft:set', {
      baseVersion: 0,
      orders: [{ move: 'safety-research' }, { move: 'punish-violation' }],
    });
    await runOut(t, 'orders');
    const v = await t.us.until((x) => x.game.log.public.some((l) => l.round === 1), 'the reveal');
    expect(v.game.log.public.find((l) => l.round === 1)?.orders.map((o) => `${o.side}:${o.move}`)).toEqual([
      'china:court-allies',
    ]);
    // Crisis (answered by default) and summary run out too, and round 2 begins.
    if (roomOf(t.srv, t.code).state.phase === 'crisis') await runOut(t, 'crisis');
    await runOut(t, 'summary');
    const next = await t.us.until((x) => x.phase === 'briefing', 'the next briefing');
    expect(next.round).toBe(2);
    expect(next.draft).toEqual({ orders: [], version: 0, locked: false, lockedBy: null, editedBy: null });
  });

  it('a paused game holds its clock, and resuming gives back the time that was left', async () => {
    const t = await teams();
    await toPhase(t, 'orders');
    const room = roomOf(t.srv, t.code);
    const left = (room.state.deadline ?? 0) - t.srv.clock.now();
    t.srv.clock.advance(30_000);
    await t.fac.ok('fac:pause');
    const paused = await t.us.until((x) => x.paused, 'the pause');
    expect(paused.deadline).toBeNull();
    expect(paused.remainingMs).toBe(left - 30_000);
    t.srv.clock.advance(10 * left);
    expect(room.state.phase).toBe('orders');
    await t.fac.ok('fac:resume');
    await runOut(t, 'orders');
    await t.us.until((x) => x.phase !== 'orders', 'the reveal after the pause');
  });
});

describe('a bot and a crisis', () => {
  it('taking a bot out during a crisis gives the humans the crisis to answer', async () => {
    const t = await teams();
    await toPhase(t, 'orders');
    // The facilitator makes this round end in a crisis that both sides must answer.
    await t.fac.ok('fac:inject', { eventId: 'rogue-cyber-agent' });
    await t.us.ok('draft:lock', { baseVersion: 0 });
    await t.cn.ok('draft:lock', { baseVersion: 0 });
    const crisis = await t.us.until((x) => x.phase === 'crisis', 'the crisis');
    expect(crisis.game.public.pendingCrisis?.eventId).toBe('rogue-cyber-agent');

    // A bot takes the US seat and answers at once; China has not answered, so the crisis waits.
    await t.fac.ok('fac:setBot', { side: 'us', bot: 'max-pressure' });
    await t.cn.until((x) => x.crisisAnswered.us, 'the bot’s answer');
    await refused(t, t.us, 'crisis:answer', { choice: 'share' }, 'forbidden', /bot/);

    // The humans take the seat back: the crisis is theirs to answer again.
    await t.fac.ok('fac:setBot', { side: 'us', bot: null });
    const back = await t.us.until((x) => x.settings.bots.us === null, 'the seat handed back');
    expect(back.phase).toBe('crisis');
    expect(back.crisisAnswered.us).toBe(false);
    expect(back.yourCrisisAnswer).toBeNull();
    await t.us.ok('crisis:answer', { choice: 'withhold' });
    await t.cn.ok('crisis:answer', { choice: 'share' });
    const after = await t.us.until((x) => x.phase !== 'crisis', 'the crisis result');
    const note = after.game.log.public
      .find((l) => l.round === 1)
      ?.notes.find((n) => n.code === 'crisis-answers');
    expect(note?.detail).toBe('withhold|share');
  });
});
