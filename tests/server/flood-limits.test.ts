import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../server/app.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { rawUpgrade } from '../faults/flood-raw.ts';
import { ManualClock, removeDir } from './harness.ts';
import { eventually, expectRefused, Fixture, seqOf, table } from './helpers2.ts';

/**
 * The limits the flood fault check (tests/faults/flood.ts) found missing, each checked on its
 * own in-process with a clock the test moves: packets without an acknowledgement count, a seat's
 * sockets share one limit, a seat cut off for flooding cannot come straight back, a websocket from
 * a foreign Origin gets 403, and the diagnostics route exists only when asked for.
 */
const fx = new Fixture();
afterEach(() => fx.cleanup());

describe('the rate limit', () => {
  it('counts packets sent without an acknowledgement, and cuts off a socket flooding them', async () => {
    const t = await table(fx);
    const before = seqOf(t.srv, t.code);
    for (let i = 0; i < 200; i++) t.us.socket.emit('chat:send', { channel: 'us', text: `no ack ${i}` });
    await eventually(() => !t.us.socket.connected, 'the socket flooding packets without acks to be cut off');
    // None of them was a command (no acknowledgement), so the room did not move.
    expect(seqOf(t.srv, t.code)).toBe(before);
    expect((await t.cn.call('chat:send', { channel: 'public', text: 'still here' })).ok).toBe(true);
  });

  it("shares one limit among a seat's sockets", async () => {
    const t = await table(fx);
    const second = await fx.resume(t.srv.url, t.us.token);
    const send = (c: typeof second, i: number) =>
      c.call('chat:send', { channel: 'us', text: `two tabs ${i}` });
    const acks = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => send(t.us, i)),
      ...Array.from({ length: 20 }, (_, i) => send(second, i)),
    ]);
    // Each socket alone stayed under its 30, together they went over the seat's.
    expect(acks.filter((a) => a.ok)).toHaveLength(30);
    for (const a of acks.filter((x) => !x.ok)) expectRefused(a, 'rate-limited', /too many commands/);
  });

  it('does not let a seat cut off for flooding come straight back with its token', async () => {
    const t = await table(fx);
    for (let i = 0; i < 200; i++)
      t.us.socket.emit('chat:send', { channel: 'us', text: `flood ${i}` }, () => {});
    await eventually(() => !t.us.socket.connected, 'the flooding socket to be cut off');
    const again = await fx.client(t.srv.url).connected();
    expectRefused(await again.call('game:resume', { token: t.us.token }), 'rate-limited', /flooding/);
    // After the cool-down the seat is welcome back, with a refilled allowance.
    t.srv.clock.advance(6_000);
    expect((await again.call('game:resume', { token: t.us.token })).ok).toBe(true);
    expect((await again.call('chat:send', { channel: 'us', text: 'calmer now' })).ok).toBe(true);
  });
});

describe('handshakes and diagnostics', () => {
  it('answers a websocket handshake from a foreign Origin with 403, and accepts its own', async () => {
    const t = await table(fx);
    const port = Number(new URL(t.srv.url).port);
    const foreign = await rawUpgrade(port, 'http://evil.example');
    foreign.socket.destroy();
    expect(foreign.status).toBe(403);
    const own = await rawUpgrade(port, t.srv.url);
    own.socket.destroy();
    expect(own.status).toBe(101);
  });

  const servers: { close(): Promise<void>; dir: string }[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      await s.close();
      removeDir(s.dir);
    }
  });

  async function serve(diagnostics: boolean): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-diag-'));
    const store = openSqliteStore(dir);
    const server = createServer({ store, clock: new ManualClock(), log: () => {}, diagnostics });
    await server.ready;
    await new Promise<void>((r) => server.http.listen(0, '127.0.0.1', r));
    servers.push({
      dir,
      close: async () => {
        await server.close();
        await store.close();
      },
    });
    return `http://127.0.0.1:${(server.http.address() as AddressInfo).port}`;
  }

  it('serves /internal/diagnostics only when asked to, with counts and nothing else', async () => {
    expect((await fetch(`${await serve(false)}/internal/diagnostics`)).status).toBe(404);
    const url = await serve(true);
    await fetch(`${url}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const res = await fetch(`${url}/internal/diagnostics`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(d).sort()).toEqual(
      [
        'heapAfterGcMb',
        'heapUsedMb',
        'hub',
        'listeners',
        'resources',
        'rooms',
        'rssMb',
        'sockets',
        'timers',
      ].sort(),
    );
    expect(d.rooms).toEqual({ loaded: 1, lobby: 1, running: 0, ended: 0, withDeadline: 0 });
    expect(d.hub).toEqual({ roomsWithSockets: 0, boundSockets: 0, seatLimits: 0 });
    expect(JSON.stringify(d)).not.toMatch(/[A-HJ-NP-Z2-9]{6}"/);
  });
});
