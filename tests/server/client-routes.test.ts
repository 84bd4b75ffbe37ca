import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGame, removeDir, startServer, type TestServer } from './harness.ts';

let srv: TestServer | null = null;
afterEach(async () => {
  if (!srv) return;
  await srv.stop();
  removeDir(srv.dataDir);
  srv = null;
});

/** A stand-in build folder: the routes are what is tested here, the real build in tests/browser. */
function clientDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-client-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Hotline</title>');
  writeFileSync(join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  return dir;
}

describe('serving the browser client', () => {
  it('serves index.html at / and hashed assets as immutable, with a CSP that lets Phaser draw', async () => {
    srv = await startServer({ clientDir: clientDir() });
    const index = await fetch(`${srv.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Hotline</title>');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/img-src 'self' data: blob:/);
    const asset = await fetch(`${srv.url}/assets/main-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${srv.url}/assets/nope.js`);
    expect(missing.status).toBe(404);
  });

  it('never sends HSTS, not even on a body the JSON parser refuses (classrooms use plain http)', async () => {
    srv = await startServer({ clientDir: clientDir() });
    expect((await fetch(`${srv.url}/`)).headers.get('strict-transport-security')).toBeNull();
    const bad = await fetch(`${srv.url}/api/games`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('strict-transport-security')).toBeNull();
  });

  it('without a build, / is a 404 and the API still answers', async () => {
    srv = await startServer();
    expect((await fetch(`${srv.url}/`)).status).toBe(404);
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  });
});

describe('QR code of the join link', () => {
  it('is an SVG for a game and a 404 for an unknown code', async () => {
    srv = await startServer();
    const game = await createGame(srv.url);
    const res = await fetch(`${srv.url}/api/games/${game.code}/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await res.text();
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.length).toBeGreaterThan(500);
    const none = await fetch(`${srv.url}/api/games/ZZZZZZ/qr.svg`);
    expect(none.status).toBe(404);
  });

  it('uses PUBLIC_URL for links when set, so phones get an address they can reach', async () => {
    srv = await startServer({ publicUrl: 'http://192.168.1.20:3000/' });
    const game = await createGame(srv.url);
    expect(game.joinLink).toBe(`http://192.168.1.20:3000/#/join/${game.code}`);
    expect(game.facilitatorLink.startsWith('http://192.168.1.20:3000/#/seat/')).toBe(true);
    const info = (await (await fetch(`${srv.url}/api/games/${game.code}`)).json()) as { joinLink: string };
    expect(info.joinLink).toBe(`http://192.168.1.20:3000/#/join/${game.code}`);
  });
});
