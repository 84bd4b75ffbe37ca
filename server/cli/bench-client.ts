import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { intFlag, parseFlags, runCli } from './args.ts';
import { freePort, startChildServer } from './child-server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

/**
 * npm run bench:client: the gzipped size of the built JavaScript, the time from navigation to the
 * first drawn board in headless Chromium with a cold cache, how much the JavaScript heap grows
 * while the board sits idle (it should not: nothing is allocated per frame), and how long an open
 * page takes to get its seat and view back after the server is killed and started again.
 */
const USAGE = `usage: npm run bench:client -- [--runs N] [--idle-seconds S] [--restarts N]

  --runs N           page loads to time, each in a fresh browser context (cold cache) (default 5)
  --idle-seconds S   how long to watch the heap of an idle board (default 5)
  --restarts N       times to kill the server (SIGKILL) under an open page and start it again,
                     timing from the new server being ready to the page's seat being back (default 3)

Needs Chromium: set CHROMIUM_PATH or install Debian's (apt-get install -y chromium).
Budgets: 450 KB gzipped JavaScript and 1.5 s to the first drawn board (issue 4); a seat back
within 2 s of the server being reachable again (issue 3).`;

const here = import.meta.dirname;
const dist = join(here, '..');

function jsSizes(): { file: string; raw: number; gzip: number }[] {
  const assets = join(dist, 'client', 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const body = readFileSync(join(assets, f));
      return { file: f, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
    });
}

/** A game with bots on both sides, started, so the facilitator's link opens straight on the board. */
async function startedGame(url: string): Promise<string> {
  const res = await fetch(`${url}/api/games`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenarioId: 'baseline-2026', bots: { us: 'adaptive', china: 'adaptive' } }),
  });
  const game = (await res.json()) as { facilitatorToken: string };
  const socket = io(url, { transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.emit('game:resume', { token: game.facilitatorToken }, (a: { ok: boolean; message?: string }) =>
      a.ok ? resolve() : reject(new Error(a.message)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    socket.emit('fac:start', {}, (a: { ok: boolean; message?: string }) =>
      a.ok ? resolve() : reject(new Error(a.message)),
    );
  });
  socket.disconnect();
  return `${url}/#/seat/${game.facilitatorToken}`;
}

/**
 * Kills the server under an open seat page and starts it again, `restarts` times; returns, for
 * each, the milliseconds from the new server answering to the page being back in its seat with a
 * fresh view (its status banner says online again), and the server now running.
 */
async function timeReconnections(
  page: Page,
  first: ChildProcess,
  restarts: number,
  start: () => Promise<ChildProcess>,
): Promise<{ times: number[]; server: ChildProcess }> {
  let server = first;
  const times: number[] = [];
  for (let i = 0; i < restarts; i++) {
    await page.locator('#banner.online').waitFor({ state: 'attached', timeout: 30_000 });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    await page.locator('#banner.offline').waitFor({ state: 'attached', timeout: 30_000 });
    server = await start();
    const ready = performance.now();
    await page.locator('#banner.online').waitFor({ state: 'attached', timeout: 30_000 });
    times.push(performance.now() - ready);
  }
  return { times, server };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

runCli(USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), {
    runs: { type: 'string' },
    'idle-seconds': { type: 'string' },
    restarts: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const runs = intFlag('runs', flags.runs, 5, 1, 50);
  const idleSeconds = intFlag('idle-seconds', flags['idle-seconds'], 5, 1, 120);
  const restarts = intFlag('restarts', flags.restarts, 3, 0, 20);
  void (async () => {
    const sizes = jsSizes();
    const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-client-'));
    const port = await freePort();
    let server = await startChildServer(dist, port, dataDir);
    const url = `http://127.0.0.1:${port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
    });
    try {
      const link = await startedGame(url);
      const times: number[] = [];
      let renderer = '';
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
        const page = await context.newPage();
        await page.goto(link);
        // The page's CSP forbids eval, so wait on the DOM rather than on a string predicate.
        const body = page.locator('body[data-board-drawn]');
        await body.waitFor({ state: 'attached', timeout: 60_000 });
        // The board stamps performance.now(), which counts from the start of the navigation.
        times.push(Number(await body.getAttribute('data-board-drawn')));
        renderer = await page.evaluate(() => {
          const w = globalThis as unknown as { __hotlineBoard?: { renderer: string } };
          return w.__hotlineBoard?.renderer ?? 'none';
        });
        if (i < runs - 1) await context.close();
        else {
          const cdp = await context.newCDPSession(page);
          await page.waitForTimeout(1000);
          await cdp.send('HeapProfiler.collectGarbage');
          const before = (await cdp.send('Runtime.getHeapUsage')).usedSize;
          await page.waitForTimeout(idleSeconds * 1000);
          const mid = (await cdp.send('Runtime.getHeapUsage')).usedSize;
          await cdp.send('HeapProfiler.collectGarbage');
          const after = (await cdp.send('Runtime.getHeapUsage')).usedSize;
          const back = await timeReconnections(page, server, restarts, () =>
            startChildServer(dist, port, dataDir),
          );
          server = back.server;
          const total = sizes.reduce((s, f) => s + f.gzip, 0);
          const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
          const lines = [
            'Hotline client benchmark (headless Chromium, localhost, cold cache per load)',
            '',
            ...sizes.map(
              (f) => `  ${f.file.padEnd(32)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip`,
            ),
            `  JavaScript total (gzip -9)       ${kb(total).padStart(25)}   budget 450 KB  ${total <= 450 * 1024 ? 'ok' : 'OVER'}`,
            '',
            `  renderer                         ${renderer}`,
            `  first drawn board, ${runs} loads     median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms   budget 1500 ms  ${median(times) <= 1500 ? 'ok' : 'OVER'}`,
            `  idle board, ${idleSeconds} s               heap ${kb(before)} -> ${kb(mid)} before GC, ${kb(after)} after GC (${kb(mid - before)} allocated while idle)`,
          ];
          if (restarts > 0) {
            const worst = Math.max(...back.times);
            lines.push(
              `  seat back after a server kill, ${restarts}x median ${median(back.times).toFixed(0)} ms, max ${worst.toFixed(0)} ms from the server being ready   budget 2000 ms  ${worst <= 2000 ? 'ok' : 'OVER'}`,
            );
          }
          process.stdout.write(`${lines.join('\n')}\n`);
          await context.close();
        }
      }
    } finally {
      await browser.close();
      server.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
  })().catch((e: unknown) => {
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
});
