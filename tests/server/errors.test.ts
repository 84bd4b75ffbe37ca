import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/errors.ts';
import { MAX_TEAM_SIZE } from '../../shared/protocol/room.ts';
import type { TestServer } from './harness.ts';
import { advanceTo, barrier, eventually, Fixture, refused, seqOf, type Table, table } from './helpers2.ts';

const fx = new Fixture();
afterEach(() => fx.cleanup());

/** A table whose game has started and reached `phase`. */
async function at(phase: 'briefing' | 'negotiation' | 'orders'): Promise<Table> {
  const t = await table(fx);
  await t.fac.ok('fac:start');
  await advanceTo(t.fac, phase);
  await t.us.until((v) => v.phase === phase);
  return t;
}

describe('errors a client can provoke over the socket', () => {
  it('bad-payload: a join without a name or with a role nobody can join as names the field', async () => {
    const t = await table(fx);
    const c = await fx.client(t.srv.url).connected();
    await refused(t, c, 'game:join', { code: t.code, role: 'us' }, 'bad-payload', /^name: /);
    await refused(
      t,
      c,
      'game:join',
      { code: t.code, name: 'Eve', role: 'facilitator' },
      'bad-payload',
      /^role: /,
    );
    await refused(t, c, 'game:join', { code: 'AB', name: 'Eve', role: 'us' }, 'bad-payload', /^code: .*6/);
    expect(t.fac.view?.seats).toHaveLength(2);
  });

  it('not-found: joining an unknown room code names the code', async () => {
    const t = await table(fx);
    const c = await fx.client(t.srv.url).connected();
    await refused(t, c, 'game:join', { code: 'nope00', name: 'Eve', role: 'us' }, 'not-found', /NOPE00/);
    // The socket is still unbound: it cannot act in any game.
    await refused(t, c, 'chat:send', { channel: 'public', text: 'hi' }, 'unauthorized', /join or resume/);
  });

  it('unauthorized: a command before join or resume is refused', async () => {
    const t = await at('orders');
    const c = await fx.client(t.srv.url).connected();
    await refused(t, c, 'draft:set', { baseVersion: 0, orders: [] }, 'unauthorized', /join or resume/);
    await refused(t, c, 'draft:lock', { baseVersion: 0 }, 'unauthorized', /join or resume/);
    await refused(t, c, 'chat:send', { channel: 'public', text: 'hello' }, 'unauthorized', /join or resume/);
    await refused(t, c, 'fac:advance', {}, 'unauthorized', /join or resume/);
  });

  it('unauthorized: resuming with a token no game knows is refused', async () => {
    const t = await table(fx);
    const c = await fx.client(t.srv.url).connected();
    await refused(t, c, 'game:resume', { token: 'A'.repeat(24) }, 'unauthorized', /token is not valid/);
    // A token of the right shape that differs from a real one by one character is just as unknown.
    const forged = `${t.us.token.slice(0, -1)}${t.us.token.endsWith('A') ? 'B' : 'A'}`;
    await refused(t, c, 'game:resume', { token: forged }, 'unauthorized', /token is not valid/);
    await refused(t, c, 'chat:send', { channel: 'us', text: 'am I in?' }, 'unauthorized', /join or resume/);
  });

  it('forbidden: a US member cannot use facilitator commands', async () => {
    const t = await table(fx);
    await refused(t, t.us, 'fac:start', {}, 'forbidden', /only the facilitator/);
    await refused(t, t.us, 'fac:setBot', { side: 'china', bot: 'cooperate' }, 'forbidden', /facilitator/);
    expect(t.fac.view?.phase).toBe('lobby');
  });

  it('forbidden: an observer cannot edit a draft', async () => {
    const t = await at('briefing');
    const obs = await fx.join(t.srv.url, t.code, 'Olga', 'observer');
    await refused(
      t,
      obs,
      'draft:set',
      { baseVersion: 0, orders: [{ move: 'safety-research' }] },
      'forbidden',
      /only a team member/,
    );
  });

  it('forbidden: a member who is not the lead cannot lock or unlock', async () => {
    const t = await at('orders');
    const second = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    expect(second.view?.you.lead).toBe(false);
    await refused(t, second, 'draft:lock', { baseVersion: 0 }, 'forbidden', /only the team lead/);
    await t.us.ok('draft:lock', { baseVersion: 0 });
    await refused(t, second, 'draft:unlock', {}, 'forbidden', /only the team lead/);
  });

  it("forbidden: a team member cannot write on the other team's channel", async () => {
    const t = await table(fx);
    await refused(t, t.us, 'chat:send', { channel: 'china', text: 'psst' }, 'forbidden', /china channel/);
    await refused(t, t.cn, 'chat:send', { channel: 'us', text: 'psst' }, 'forbidden', /us channel/);
  });

  it('wrong-phase: locking during negotiation is refused', async () => {
    const t = await at('negotiation');
    await refused(t, t.us, 'draft:lock', { baseVersion: 0 }, 'wrong-phase', /negotiation phase/);
  });

  it('wrong-phase: answering a crisis when there is none is refused', async () => {
    const t = await at('orders');
    await refused(t, t.us, 'crisis:answer', { choice: 'cooperate' }, 'wrong-phase', /crisis.*orders phase/);
  });

  it('wrong-phase: starting a game twice is refused', async () => {
    const t = await table(fx);
    await t.fac.ok('fac:start');
    await t.fac.until((v) => v.phase === 'briefing');
    await refused(t, t.fac, 'fac:start', {}, 'wrong-phase', /Starting .*briefing phase/);
  });

  it("stale-version: an edit based on an old version after a teammate's edit is refused", async () => {
    const t = await at('briefing');
    const second = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    const first = await second.ok<{ version: number }>('draft:set', {
      baseVersion: 0,
      orders: [{ move: 'safety-research' }],
    });
    expect(first.version).toBe(1);
    await refused(
      t,
      t.us,
      'draft:set',
      { baseVersion: 0, orders: [{ move: 'compute-buildout' }] },
      'stale-version',
      /version 1, not 0/,
    );
    expect(seqOf(t.srv, t.code)).toBe(t.fac.view?.seq);
  });

  it('stale-version: locking an old version is refused', async () => {
    const t = await at('orders');
    const second = await fx.join(t.srv.url, t.code, 'Cy (State)', 'us');
    await second.ok('draft:set', { baseVersion: 0, orders: [{ move: 'safety-research' }] });
    await refused(t, t.us, 'draft:lock', { baseVersion: 0 }, 'stale-version', /version 1, not 0/);
    expect(t.fac.view?.drafts?.us.locked).toBe(false);
  });

  it('invalid-orders: locking orders over budget says what they cost', async () => {
    const t = await at('orders');
    const v = await t.us.ok<{ version: number }>('draft:set', {
      baseVersion: 0,
      orders: [
        { move: 'compute-buildout' },
        { move: 'enforcement-surge' },
        { move: 'safety-research' },
        { move: 'intel-verification' },
        { move: 'allied-coordination' },
      ],
    });
    await refused(
      t,
      t.us,
      'draft:lock',
      { baseVersion: v.version },
      'invalid-orders',
      /cost 10 points; the budget is 8/,
    );
  });

  it('invalid-orders: locking an order whose precondition fails names that order', async () => {
    const t = await at('orders');
    const v = await t.cn.ok<{ version: number }>('draft:set', {
      baseVersion: 0,
      orders: [{ move: 'court-allies' }, { move: 'punish-violation' }],
    });
    await refused(
      t,
      t.cn,
      'draft:lock',
      { baseVersion: v.version },
      'invalid-orders',
      /^order 2 \(Retaliate for a detected violation\): only after/,
    );
  });

  it('locked: editing a locked draft is refused until the lead unlocks', async () => {
    const t = await at('orders');
    const v = await t.us.ok<{ version: number }>('draft:set', {
      baseVersion: 0,
      orders: [{ move: 'safety-research' }],
    });
    await t.us.ok('draft:lock', { baseVersion: v.version });
    await refused(
      t,
      t.us,
      'draft:set',
      { baseVersion: v.version, orders: [] },
      'locked',
      /locked; the lead must unlock/,
    );
    await refused(t, t.us, 'draft:lock', { baseVersion: v.version }, 'locked', /already locked/);
    await t.us.ok('draft:unlock');
    const after = await t.us.ok<{ version: number }>('draft:set', { baseVersion: v.version + 1, orders: [] });
    expect(after.version).toBe(v.version + 2);
  });

  it('room-full: the sixteenth US member is refused', async () => {
    const t = await table(fx);
    // The lead is already in; fill the team to its maximum.
    for (let i = 2; i <= MAX_TEAM_SIZE; i++) await fx.join(t.srv.url, t.code, `US ${i}`, 'us');
    const extra = await fx.client(t.srv.url).connected();
    await refused(
      t,
      extra,
      'game:join',
      { code: t.code, name: 'US 16', role: 'us' },
      'room-full',
      /US team is full \(15\)/,
    );
    expect(t.fac.view?.seats.filter((s) => s.role === 'us')).toHaveLength(MAX_TEAM_SIZE);
    // China still has room.
    await fx.join(t.srv.url, t.code, 'Bo 2', 'china');
  });

  it('rate-limited: a client firing many messages at once is throttled, another client is not', async () => {
    const t = await table(fx);
    const before = seqOf(t.srv, t.code);
    const acks = await Promise.all(
      Array.from({ length: 45 }, (_, i) => t.us.call('chat:send', { channel: 'us', text: `spam ${i}` })),
    );
    const ok = acks.filter((a) => a.ok).length;
    const limited = acks.filter((a): a is Extract<Ack<unknown>, { ok: false }> => !a.ok);
    expect(ok).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThan(0);
    expect(ok + limited.length).toBe(45);
    for (const a of limited) {
      expect(a.code).toBe('rate-limited');
      expect(a.message).toMatch(/too many commands/);
    }
    // Only the accepted messages changed the room.
    expect(seqOf(t.srv, t.code)).toBe(before + ok);
    await barrier(t.fac);
    expect(t.fac.view?.seq).toBe(before + ok);
    expect(t.fac.view?.chat.filter((m) => m.text.startsWith('spam '))).toHaveLength(ok);
    // Another client in the same game is served as usual.
    const r = await t.cn.call('chat:send', { channel: 'public', text: 'still here' });
    expect(r.ok).toBe(true);
    expect(t.us.socket.connected).toBe(true);
  });

  it('rate-limited: a client flooding far past the limit is cut off, the game goes on', async () => {
    const t = await table(fx);
    let answered = 0;
    for (let i = 0; i < 200; i++)
      t.us.socket.emit('chat:send', { channel: 'us', text: `flood ${i}` }, () => {
        answered++;
      });
    await eventually(() => !t.us.socket.connected, 'the flooding socket to be cut off');
    expect(answered).toBeLessThan(200);
    const r = await t.cn.call('chat:send', { channel: 'public', text: 'still here' });
    expect(r.ok).toBe(true);
  });
});

async function post(srv: TestServer, body: string, contentType = 'application/json') {
  const res = await fetch(`${srv.url}/api/games`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok?: boolean; code?: string; message?: string },
  };
}

describe('errors over HTTP', () => {
  const badBodies: [string, string, RegExp][] = [
    ['too many rounds', JSON.stringify({ rounds: 99 }), /^rounds: /],
    ['an unknown scenario', JSON.stringify({ scenarioId: 'moon-base' }), /^scenarioId: /],
    ['an unknown bot', JSON.stringify({ bots: { us: 'skynet' } }), /^bots\.us: .*skynet/],
    ['a deadline of 5 seconds', JSON.stringify({ deadlines: { orders: 5 } }), /^deadlines\.orders: /],
    ['an unknown field', JSON.stringify({ rounds: 2, sede: 'x' }), /sede/],
    ['an array', JSON.stringify([{ rounds: 2 }]), /^body: /],
    ['JSON that does not parse', '{"rounds": 2,', /JSON/],
  ];
  for (const [what, body, message] of badBodies) {
    it(`POST /api/games with ${what} is refused with 400 bad-payload naming the problem`, async () => {
      const srv = await fx.server();
      const r = await post(srv, body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ ok: false, code: 'bad-payload' });
      expect(r.body.message).toMatch(message);
      expect(srv.server.registry.rooms.size).toBe(0);
    });
  }

  it('POST /api/games with a body that is not JSON at all is refused, not taken as defaults', async () => {
    const srv = await fx.server();
    const r = await post(srv, 'rounds=2&scenarioId=classroom-short', 'text/plain');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ ok: false, code: 'bad-payload' });
    expect(srv.server.registry.rooms.size).toBe(0);
  });

  it('POST /api/games with a body over 16 KB is refused with 413 bad-payload', async () => {
    const srv = await fx.server();
    const r = await post(srv, JSON.stringify({ rounds: 2, padding: 'x'.repeat(20_000) }));
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ ok: false, code: 'bad-payload' });
    expect(r.body.message).toMatch(/too large/i);
    expect(srv.server.registry.rooms.size).toBe(0);
  });

  it('GET /api/games/NOPE00 is 404 not-found naming the code', async () => {
    const srv = await fx.server();
    const res = await fetch(`${srv.url}/api/games/NOPE00`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { ok: boolean; code: string; message: string };
    expect(body).toMatchObject({ ok: false, code: 'not-found' });
    expect(body.message).toMatch(/NOPE00/);
  });

  it('an unknown route is 404 not-found', async () => {
    const srv = await fx.server();
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['POST', '/api/games/ABCDEF/start'],
      ['DELETE', '/api/games'],
    ] as const) {
      const res = await fetch(`${srv.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ ok: false, code: 'not-found' });
    }
    const health = await fetch(`${srv.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
  });
});
