import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ClientView, SeatSnapshot } from '../../shared/protocol/room.ts';
import {
  Client,
  createGame,
  facilitator,
  joined,
  ManualClock,
  removeDir,
  startServer,
  type TestServer,
} from './harness.ts';

const clients: Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function resumed(
  url: string,
  token: string,
  lastSeq?: number,
): Promise<{ c: Client; view: ClientView | null }> {
  const c = await new Client(url).connected();
  clients.push(c);
  const r = await c.ok<{ snapshot: SeatSnapshot | null }>(
    'game:resume',
    lastSeq === undefined ? { token } : { token, lastSeq },
  );
  c.token = token;
  c.adopt(r.snapshot);
  return { c, view: r.snapshot ? c.view : null };
}

describe('a server restarted on the same data directory', () => {
  it('brings back every acknowledged command, seats, drafts, chat and the running deadline', async () => {
    const clock = new ManualClock();
    let srv: TestServer = await startServer({ clock });
    const dataDir = srv.dataDir;
    const game = await createGame(srv.url, { scenarioId: 'classroom-short' });
    const fac = await facilitator(srv.url, game.facilitatorToken);
    const us = await joined(srv.url, game.code, 'Ana', 'us');
    const cn = await joined(srv.url, game.code, 'Bo', 'china');
    clients.push(fac, us, cn);
    await fac.ok('fac:start');
    await fac.ok('fac:advance');
    await us.until((v) => v.phase === 'negotiation');
    await us.ok('chat:send', { channel: 'bilateral', text: 'Shall we talk about a hotline?' });
    await us.ok('draft:set', { baseVersion: 0, orders: [{ move: 'open-talks', scope: 'safety' }] });
    const before = await fac.until((v) => v.draft === null && v.drafts?.us.version === 1);
    for (const c of clients.splice(0)) c.close();
    await srv.stop();

    srv = await startServer({ dataDir, clock });
    try {
      const f2 = (await resumed(srv.url, game.facilitatorToken)).view as ClientView;
      expect(f2.seq).toBe(before.seq);
      expect(f2.phase).toBe('negotiation');
      expect(f2.deadline).toBe(before.deadline);
      expect(f2.drafts?.us.orders).toEqual([{ move: 'open-talks', scope: 'safety' }]);
      expect(f2.chat.map((m) => m.text)).toContain('Shall we talk about a hotline?');
      const { c: us2, view } = await resumed(srv.url, us.token);
      expect(view?.you.name).toBe('Ana');
      // The deadline still fires after the restart: the negotiation clock runs out into orders.
      clock.advance((view?.remainingMs ?? 0) + 1);
      await us2.until((v) => v.phase === 'orders');
      // A client that already has the latest view gets no view back.
      const again = await resumed(srv.url, us.token, (us2.view as ClientView).seq);
      expect(again.view).toBeNull();
    } finally {
      await srv.stop();
      removeDir(dataDir);
    }
  });
});

/** The real server, as `npm start` runs it, in its own process. */
function spawnServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'server', 'index.mjs')], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('serving on')) resolve(child);
    });
    child.stderr?.on('data', (d) => {
      out += String(d);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

describe('a clean restart', () => {
  it('moves every running clock on by the time the server was down', async () => {
    const clock = new ManualClock();
    let srv: TestServer = await startServer({ clock });
    const dataDir = srv.dataDir;
    try {
      const game = await createGame(srv.url, { scenarioId: 'classroom-short' });
      const fac = await facilitator(srv.url, game.facilitatorToken);
      clients.push(fac);
      await fac.ok('fac:start');
      const before = await fac.until((v) => v.phase === 'briefing');
      for (const c of clients.splice(0)) c.close();
      await srv.stop();
      // Ten minutes pass with the server down: longer than the briefing's whole clock.
      clock.t += 10 * 60_000;
      srv = await startServer({ dataDir, clock });
      const back = (await resumed(srv.url, game.facilitatorToken)).view as ClientView;
      expect(back.phase).toBe('briefing');
      expect(back.deadline).toBe((before.deadline ?? 0) + 10 * 60_000);
      expect(back.seq).toBe(before.seq + 1);
      // A second restart without downtime changes nothing more.
      for (const c of clients.splice(0)) c.close();
      await srv.stop();
      srv = await startServer({ dataDir, clock });
      expect(((await resumed(srv.url, game.facilitatorToken)).view as ClientView).seq).toBe(back.seq);
    } finally {
      await srv.stop();
      removeDir(dataDir);
    }
  });
});

describe('a server process killed with SIGKILL', () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-kill-'));
  let child: ChildProcess | null = null;

  afterAll(() => {
    child?.kill('SIGKILL');
    removeDir(dataDir);
  });

  it('loses no acknowledged command and the database stays intact', async () => {
    child = await spawnServer(dataDir, port);
    const game = await createGame(url, { scenarioId: 'classroom-short' });
    const fac = await facilitator(url, game.facilitatorToken);
    const us = await joined(url, game.code, 'Ana', 'us');
    clients.push(fac, us);
    await fac.ok('fac:start');
    let acked = 0;
    for (let i = 0; i < 25; i++) {
      await us.ok('chat:send', { channel: 'us', text: `note ${i}` });
      acked = i + 1;
    }
    const seq = (await fac.until((v) => v.chat.filter((m) => m.text.startsWith('note')).length === acked))
      .seq;
    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    for (const c of clients.splice(0)) c.close();

    const db = new Database(join(dataDir, 'hotline.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    child = await spawnServer(dataDir, port);
    const { view } = await resumed(url, us.token);
    expect(view?.seq).toBe(seq);
    expect(view?.chat.filter((m) => m.text.startsWith('note')).map((m) => m.text)).toEqual(
      Array.from({ length: acked }, (_, i) => `note ${i}`),
    );
    expect(view?.phase).toBe('briefing');
  });
});

describe('a data directory the server cannot use', () => {
  it('stops the server at start with a clear message and a non-zero exit', async () => {
    const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'server', 'index.mjs')], {
      // A path below a file can never become a directory, whoever runs the test (even root).
      env: { ...process.env, PORT: '0', DATA_DIR: '/dev/null/hotline-data' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => {
      err += String(d);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('cannot use the data directory "/dev/null/hotline-data"');
  });
});

describe('a stored game whose log no longer replays', () => {
  it('is left out with a message, and every other game starts', async () => {
    const clock = new ManualClock();
    let srv: TestServer = await startServer({ clock });
    const dataDir = srv.dataDir;
    try {
      const good = await createGame(srv.url, { scenarioId: 'classroom-short' });
      const bad = await createGame(srv.url, { scenarioId: 'classroom-short' });
      await srv.stop();
      // A command the reducer refuses, as a hand-edited or damaged database might hold.
      const db = new Database(join(dataDir, 'hotline.sqlite'));
      const id = (db.prepare('SELECT id FROM rooms WHERE code = ?').get(bad.code) as { id: string }).id;
      db.prepare('INSERT INTO commands (room_id, seq, at, body) VALUES (?, 2, 0, ?)').run(
        id,
        JSON.stringify({ type: 'fac.resume', at: 0 }),
      );
      db.close();
      srv = await startServer({ dataDir, clock });
      expect(await srv.server.registry.get(good.code)).toBeDefined();
      expect(await srv.server.registry.get(bad.code)).toBeUndefined();
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${srv.url}/api/games/${good.code}`)).status).toBe(200);
    } finally {
      await srv.stop();
      removeDir(dataDir);
    }
  });
});
