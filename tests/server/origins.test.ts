import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllowedOrigins } from '../../server/origins.ts';
import { createGame, removeDir, startServer, type TestServer } from './harness.ts';

let srv: TestServer | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await srv?.stop();
  if (srv) removeDir(srv.dataDir);
  srv = null;
});

function connectFrom(url: string, origin: string): Promise<boolean> {
  const s = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin },
  });
  sockets.push(s);
  return new Promise((resolve) => {
    s.once('connect', () => resolve(true));
    s.once('connect_error', () => resolve(false));
  });
}

function pollingStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ALLOWED_ORIGINS', () => {
  it('lets a listed origin open sockets beside the server’s own, and no other', async () => {
    srv = await startServer({
      allowedOrigins: parseAllowedOrigins('https://Wargame.example.org/ , http://localhost:5173'),
    });
    const game = await createGame(srv.url, { scenarioId: 'classroom-short' });
    expect(await connectFrom(srv.url, 'https://wargame.example.org')).toBe(true);
    expect(await connectFrom(srv.url, 'http://localhost:5173')).toBe(true);
    expect(await connectFrom(srv.url, srv.url)).toBe(true);
    expect(await connectFrom(srv.url, 'https://other.example.org')).toBe(false);
    expect(await connectFrom(srv.url, 'http://wargame.example.org')).toBe(false);
    expect(await pollingStatus(srv.url, 'https://wargame.example.org')).toBe(200);
    expect(await pollingStatus(srv.url, 'https://other.example.org')).toBe(403);
    // A socket from the listed origin is a full client: it can join.
    const s = sockets[0] as Socket;
    const ack = (await s.timeout(10_000).emitWithAck('game:join', {
      code: game.code,
      name: 'From the listed origin',
      role: 'observer',
    })) as { ok: boolean };
    expect(ack.ok).toBe(true);
  });

  it('normalises entries as browsers send them, and refuses one that could never match, by name', () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins(' , ')).toEqual([]);
    expect(parseAllowedOrigins('https://Example.org:443/,http://10.0.0.5:8080')).toEqual([
      'https://example.org',
      'http://10.0.0.5:8080',
    ]);
    expect(() => parseAllowedOrigins('wargame.example.org')).toThrow(
      /"wargame\.example\.org" is not an origin/,
    );
    expect(() => parseAllowedOrigins('ftp://example.org')).toThrow(
      /"ftp:\/\/example\.org" must start with http/,
    );
    expect(() => parseAllowedOrigins('https://example.org/game')).toThrow(
      /no path, query or user\), e\.g\. https:\/\/example\.org/,
    );
  });
});
