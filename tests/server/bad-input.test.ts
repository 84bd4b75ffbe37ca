import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, createGame, joined } from './harness.ts';
import { Fixture } from './helpers2.ts';

/**
 * Defects the fuzzer (tests/faults/fuzz.ts) found, each pinned here: inputs that got a 500, a
 * bare non-JSON answer, or no answer at all instead of a documented refusal.
 */
const fx = new Fixture();
afterEach(() => fx.cleanup());

/** Emits with a callback as the last argument and resolves with what it is called with (or 'none'). */
function emitRaw(c: Client, event: string, args: unknown[], ms = 1000): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('none'), ms);
    c.socket.emit(event, ...args, (a: unknown) => {
      clearTimeout(timer);
      resolve(a);
    });
  });
}

describe('socket commands the server cannot use', () => {
  it('answers an unknown event, a missing payload and an extra argument with bad-payload', async () => {
    const srv = await fx.server();
    const game = await createGame(srv.url);
    const us = await joined(srv.url, game.code, 'Ana', 'us');
    const seq = us.view?.seq;
    for (const [event, args] of [
      ['game:delete', [{}]],
      ['', [{}]],
      ['__proto__', [{}]],
      ['chat:send', []],
      ['chat:send', [{ channel: 'us', text: 'hi' }, 'extra']],
      ['draft:unlock', [{}, {}, {}]],
    ] as [string, unknown[]][]) {
      const a = await emitRaw(us, event, args);
      expect(a, `${event || '(empty)'} with ${args.length} arguments`).toMatchObject({
        ok: false,
        code: 'bad-payload',
      });
    }
    // Without a callback a command is still ignored, and nothing above changed the game.
    us.socket.emit('chat:send', { channel: 'us', text: 'no ack' });
    const { seq: after } = await us.ok<{ seq: number }>('chat:send', { channel: 'us', text: 'with ack' });
    expect(after).toBe((seq ?? 0) + 1);
    us.close();
  });
});

function rawHttp(url: string, request: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    const s = connect({ host: hostname, port: Number(port) });
    s.on('data', (d) => {
      text += d.toString('latin1');
    });
    s.on('error', reject);
    s.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0),
        type: /content-type: *([^\r]*)/i.exec(head)?.[1] ?? '',
        body,
      });
    });
    s.write(request, 'latin1');
  });
}

describe('HTTP requests the server cannot read', () => {
  const refused = async (res: Response) => {
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, code: 'bad-payload', message: expect.any(String) });
  };

  it('answers a bad percent-escape in a room code with 400 bad-payload, not 500', async () => {
    const srv = await fx.server();
    for (const code of ['%E0%A4%A', '%FF%FE', '%']) {
      await refused(await fetch(`${srv.url}/api/games/${code}`));
      await refused(await fetch(`${srv.url}/api/games/${code}/qr.svg`));
    }
  });

  it('answers bodies it cannot decode with 400 bad-payload, not 500', async () => {
    const srv = await fx.server();
    const post = (headers: Record<string, string>, body: Buffer | string) =>
      fetch(`${srv.url}/api/games`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    await refused(await post({ 'content-encoding': 'gzip' }, 'not gzip'));
    await refused(await post({ 'content-encoding': 'deflate' }, 'not deflate'));
    await refused(await post({ 'content-encoding': 'xyz' }, '{}'));
    await refused(await post({ 'content-type': 'application/json; charset=latin1' }, '{}'));
    // A valid gzip of a valid body still creates a game.
    expect((await post({ 'content-encoding': 'gzip' }, gzipSync('{"rounds":1}'))).status).toBe(201);
  });

  it('answers a request the HTTP parser refuses with a JSON 400', async () => {
    const srv = await fx.server();
    for (const req of [
      'GARBAGE\r\n\r\n',
      'FOO /api/games HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n',
      'POST /api/games HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    ]) {
      const r = await rawHttp(srv.url, req);
      expect(r.status, req).toBe(400);
      expect(r.type).toMatch(/^application\/json/);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, code: 'bad-payload' });
    }
  });
});
