import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { progress } from '../../server/cli/args.ts';
import { runCli } from './run-cli.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const matrix = (args: string[], cwd?: string) => runCli('model-matrix.ts', args, cwd);

describe('npm run model:matrix', () => {
  it('prints the matrix and the sensitivity tables, the same each time', async () => {
    const a = await matrix(['--games', '10']);
    expect(a.code).toBe(0);
    for (const word of ['catastrophe', 'verified-agreement', 'max-pressure', 'deceive', 'smuggling leaks'])
      expect(a.stdout).toContain(word);
    expect(a.stdout).toContain('npm run model:matrix -- --games 10 --write');
    expect((await matrix(['--games', '10'])).stdout).toBe(a.stdout);
  });

  it('with --write replaces only the marked sections of docs/MODEL.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-matrix-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'docs'));
    const doc = (m: string, s: string) =>
      `# Model\nbefore\n<!-- matrix:start -->\n${m}\n<!-- matrix:end -->\nmiddle\n<!-- sensitivity:start -->\n${s}\n<!-- sensitivity:end -->\nafter\n`;
    writeFileSync(join(dir, 'docs', 'MODEL.md'), doc('old matrix', 'old sensitivity'));
    const r = await matrix(['--games', '10', '--write'], dir);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'docs', 'MODEL.md'), 'utf8');
    expect(text).not.toContain('old matrix');
    expect(text).not.toContain('old sensitivity');
    expect(text.startsWith('# Model\nbefore\n<!-- matrix:start -->')).toBe(true);
    expect(text).toContain('middle');
    expect(text.endsWith('<!-- sensitivity:end -->\nafter\n')).toBe(true);
    expect(text).toContain('Shares of each outcome');
  });

  it('refuses a bad flag with exit code 2, and a doc without the markers by name', async () => {
    const bad = await matrix(['--games', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--games');
    const dir = mkdtempSync(join(tmpdir(), 'hotline-matrix-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'MODEL.md'), '# no markers\n');
    const r = await matrix(['--games', '10', '--write'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('<!-- matrix:start -->');
  });
});

describe('the progress bar', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, out: { isTTY, write: (s: string) => written.push(s) > 0 } };
  };

  it('is drawn on a terminal, once per whole percent, and cleared at the end', () => {
    const t = stream(true);
    const bar = progress(200, t.out);
    for (let i = 0; i < 200; i++) bar.tick();
    bar.done();
    // 0% to 100%: 101 drawings, then the line is cleared.
    expect(t.written).toHaveLength(102);
    expect(t.written[0]).toContain('0% (1/200 games)');
    expect(t.written[100]).toContain('100% (200/200 games)');
    expect(t.written[101]).toBe('\r\x1b[K');
  });

  it('writes nothing when the output is not a terminal', () => {
    const t = stream(false);
    const bar = progress(200, t.out);
    for (let i = 0; i < 200; i++) bar.tick();
    bar.done();
    expect(t.written).toEqual([]);
  });
});
