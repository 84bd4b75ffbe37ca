import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir } from './harness.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

/** Starts the real entry point with `env`; a bad setting must stop it before it listens. */
async function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-config-'));
  dirs.push(dataDir);
  try {
    await run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'server', 'index.ts')], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', ...env },
      timeout: 60_000,
    });
    return { code: 0, stderr: '' };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

describe('settings from the environment', () => {
  it('refuses a bad PORT, PUBLIC_URL or ALLOWED_ORIGINS with a message naming it', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'eighty' }, /PORT must be a port number.*"eighty"/],
      [{ PUBLIC_URL: 'wargame.example.org' }, /PUBLIC_URL must start with http/],
      [
        { ALLOWED_ORIGINS: 'https://ok.example.org,wargame.example.org' },
        /ALLOWED_ORIGINS: "wargame\.example\.org"/,
      ],
    ];
    for (const [env, message] of cases) {
      const r = await start(env);
      expect(r.code, JSON.stringify(env)).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
