import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..', '..');

/** Runs one of server/cli's commands from source and returns its exit code and output. */
export async function runCli(
  script: string,
  args: string[],
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(ROOT, 'server', 'cli', script), ...args],
      {
        cwd,
        env: { ...process.env, FORCE_COLOR: '0' },
      },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
