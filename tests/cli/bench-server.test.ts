import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const benchServer = join(root, 'dist', 'cli', 'bench-server.mjs');

async function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [benchServer, ...args], { cwd: root });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * The benchmark itself, run small: seven rooms (one of each game length) for ten measured
 * seconds, long enough for the six-round game to finish and its table to start a new one over
 * new connections. Only what it reports is checked here, never how fast anything is.
 */
describe('npm run bench:server', () => {
  beforeAll(async () => {
    // The server itself is built once for every test file (tests/global-setup.ts); these two are not.
    await run(
      join(root, 'node_modules', '.bin', 'esbuild'),
      [
        'server/cli/bench-server.ts',
        'server/cli/bench-load.ts',
        '--bundle',
        '--platform=node',
        '--format=esm',
        '--packages=external',
        '--outdir=dist/cli',
        '--out-extension:.js=.mjs',
        '--log-level=warning',
      ],
      { cwd: root },
    );
  });

  it('plays every room through its rounds, replaces a finished game and reports the documented fields', async () => {
    const r = await bench([
      '--rooms',
      '7',
      '--seconds',
      '10',
      '--no-large',
      '--no-saturation',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      rooms: 7,
      sockets: 28,
      errors: 0,
      largeRooms: null,
      saturationRoundsPerSecond: null,
    });
    // Seven rooms at one round every two seconds, give or take the rounds that straddle the window.
    expect(out.roundsPerSecond).toBeGreaterThanOrEqual(2);
    expect(out.roundsPerSecond).toBeLessThanOrEqual(4.5);
    const p50 = out.p50Ms as number;
    const p99 = out.p99Ms as number;
    expect(p50).toBeGreaterThan(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(out.maxMs as number).toBeGreaterThanOrEqual(p99);
    expect(out.peakRssMb as number).toBeGreaterThan(10);
    // Kernel time is part of the CPU time, for the server and for the load processes.
    for (const [all, kernel] of [
      ['cpuPercent', 'cpuSystemPercent'],
      ['loadCpuPercent', 'loadCpuSystemPercent'],
    ] as const) {
      expect(typeof out[kernel]).toBe('number');
      expect(out[kernel] as number).toBeGreaterThanOrEqual(0);
      expect(out[kernel] as number).toBeLessThanOrEqual(out[all] as number);
    }
    // The six-round game ends inside the window and its table opens a new game.
    expect(out.gamesOpenedPerSecond as number).toBeGreaterThan(0);
    // Second by second, the same rounds and new games, none counted twice.
    const timeline = out.timeline as { second: number; rounds: number; gamesOpened: number; p99Ms: number }[];
    expect(timeline.map((t) => t.second)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const rounds = timeline.reduce((n, t) => n + t.rounds, 0);
    expect(rounds).toBeGreaterThan(0);
    expect(rounds).toBeLessThanOrEqual(Math.round((out.roundsPerSecond as number) * 10));
    expect(timeline.reduce((n, t) => n + t.gamesOpened, 0)).toBe(
      Math.round((out.gamesOpenedPerSecond as number) * 10),
    );
    // Rounded to whole milliseconds, like the timeline.
    for (const t of timeline)
      if (t.rounds > 0) expect(t.p99Ms).toBeLessThanOrEqual(Math.ceil(out.maxMs as number));
  });

  it('refuses a bad flag with exit code 2 and says which', async () => {
    const r = await bench(['--rooms', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rooms/);
    expect(r.stdout).toBe('');
  });
});
