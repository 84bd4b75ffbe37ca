import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('npm run simulate', () => {
  it('prints one JSON object with the documented fields, and the same arguments give byte-identical output', async () => {
    const args = [
      '--games',
      '12',
      '--seed',
      'abc',
      '--us',
      'max-pressure',
      '--china',
      'all',
      '--format',
      'json',
    ];
    const [a, b] = await Promise.all([runCli('simulate.ts', args), runCli('simulate.ts', args)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const out = JSON.parse(a.stdout);
    expect(out).toMatchObject({ scenario: 'baseline-2026', games: 12, seed: 'abc' });
    expect(out.results).toHaveLength(4);
    for (const r of out.results) {
      expect(r.us).toBe('max-pressure');
      expect(r.games).toBe(12);
      const shares = Object.values(r.outcomes as Record<string, number>);
      expect(shares.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 3);
      expect(Object.keys(r.outcomes).sort()).toEqual([
        'catastrophe',
        'managed-rivalry',
        'unmanaged-race',
        'verified-agreement',
      ]);
      expect(typeof r.meanFinalLeadMonths).toBe('number');
      expect(typeof r.meanFinalRisk).toBe('number');
      expect(typeof r.meanUsScore).toBe('number');
    }
  });

  it('a different seed gives different results', async () => {
    const base = ['--games', '30', '--us', 'adaptive', '--china', 'deceive', '--format', 'json'];
    const [a, b] = await Promise.all([
      runCli('simulate.ts', [...base, '--seed', '1']),
      runCli('simulate.ts', [...base, '--seed', '2']),
    ]);
    expect(JSON.parse(a.stdout).results).not.toEqual(JSON.parse(b.stdout).results);
  });

  it('prints a Markdown table and a CSV with one row per pair', async () => {
    const table = await runCli('simulate.ts', ['--games', '5', '--us', 'ease', '--china', 'cooperate']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('| ease | cooperate | 5 |');
    const csv = await runCli('simulate.ts', [
      '--games',
      '5',
      '--us',
      'all',
      '--china',
      'deceive',
      '--format',
      'csv',
      '--scenario',
      'classroom-short',
    ]);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^us,china,games,catastrophe,/);
    expect(lines).toHaveLength(5);
  });

  it.each([
    [['--games', 'ten'], '--games must be a whole number'],
    [['--games', '0'], '--games must be between 1 and'],
    [['--us', 'hawk'], '--us must be one of ease, max-pressure, status-quo, adaptive or all'],
    [['--format', 'xml'], '--format must be one of table, json, csv'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['--scenario', 'no-such-scenario'], 'no built-in scenario "no-such-scenario"'],
  ])('exits with code 2 and says what is wrong for %j', async (args, message) => {
    const r = await runCli('simulate.ts', args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: npm run simulate');
    expect(r.stdout).toBe('');
  });

  it('refuses a bad scenario file naming the field, and runs a good variant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ extends: 'baseline-2026', id: 'bad-one', start: { risk: 140 } }));
    const r = await runCli('simulate.ts', ['--scenario', bad, '--games', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('start.risk');
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ extends: 'baseline-2026', id: 'short-variant', rounds: 3 }));
    const ok = await runCli('simulate.ts', [
      '--scenario',
      good,
      '--games',
      '2',
      '--us',
      'ease',
      '--china',
      'cooperate',
      '--format',
      'json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).scenario).toBe('short-variant');
  });
});

describe('npm run bench', () => {
  it('prints games per second and microseconds per round as JSON', async () => {
    const r = await runCli('bench.ts', ['--seconds', '1', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.gamesPerSecond).toBeGreaterThan(0);
    expect(out.microsPerRound).toBeGreaterThan(0);
    expect(out.rounds).toBeGreaterThanOrEqual(out.games);
  });

  it('with --runs, measures in separate processes and reports their median and each run', async () => {
    const r = await runCli('bench.ts', ['--seconds', '1', '--runs', '3', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs).toHaveLength(3);
    const sorted = out.runs
      .map((x: { gamesPerSecond: number }) => x.gamesPerSecond)
      .sort((a: number, b: number) => a - b);
    expect(out.gamesPerSecond).toBe(sorted[1]);
    expect(out.games).toBeGreaterThan(0);
  });

  it('rejects a bad flag with exit code 2', async () => {
    const r = await runCli('bench.ts', ['--seconds', '-3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seconds');
  });
});
