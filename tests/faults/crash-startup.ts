import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ENTRY } from './crash-server.ts';

/** One start of the server on a data directory it cannot write: it must stop with a clear message. */
export interface StartupCase {
  name: string;
  exitCode: number | null;
  /** The server's last words on stderr. */
  message: string;
  refused: boolean;
}

export interface Refusal {
  /** How the condition was made (what works depends on who runs the test and where). */
  method: string;
  cases: StartupCase[];
  /** Every case ended with a non-zero exit and a message naming the data directory. */
  refused: boolean;
}

/** What the server must say about each condition, beside naming the directory. */
const SAYS = { readOnly: /read-only|readonly/i, fullDisk: /full|no space/i };

/** Runs a command to completion (the server's start is short; a server that stays up is stopped). */
function startAndWait(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<StartupCase & { out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let started = false;
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      // A server that serves on a data directory it cannot write is the half-working server.
      if (!started && out.includes('serving on')) {
        started = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += String(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const message = err.trim().split('\n').slice(-1)[0] ?? '';
      resolve({
        name: '',
        exitCode: started ? null : code,
        message,
        refused: !started && code !== 0 && code !== null,
        out,
      });
    });
  });
}

function works(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}

function canWrite(dir: string): boolean {
  try {
    writeFileSync(join(dir, '.probe'), 'x');
    rmSync(join(dir, '.probe'));
    return true;
  } catch {
    return false;
  }
}

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

const NODE_ENV = { HOTLINE_NODE: process.execPath, HOTLINE_ENTRY: SERVER_ENTRY };

/**
 * A private mount namespace (`unshare --user --map-root-user --mount`) lets any user, root or not,
 * mount a file system that only the child sees: a read-only bind mount of the data directory or
 * a tiny, filled tmpfs. The server then meets the real EROFS and ENOSPC, and nothing is left
 * mounted when it exits.
 */
function inNamespace(script: string, dir: string, from: string): Promise<StartupCase & { out: string }> {
  return startAndWait(
    'unshare',
    ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', dir, from],
    {
      ...NODE_ENV,
      DATA_DIR: dir,
    },
  );
}

const RO_SCRIPT =
  'set -e; mount --bind "$1" "$1"; mount -o remount,ro,bind "$1" "$1"; exec "$HOTLINE_NODE" "$HOTLINE_ENTRY"';

function fullScript(kb: number): string {
  return `set -e; mount -t tmpfs -o size=${kb}k tmpfs "$1"; cp -a "$2"/. "$1"/; head -c 1073741824 /dev/zero > "$1/filler" 2>/dev/null || true; exec "$HOTLINE_NODE" "$HOTLINE_ENTRY"`;
}

function namespacesWork(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-ns-'));
  try {
    return works('unshare', [
      '--user',
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      'mount -t tmpfs -o size=64k tmpfs "$1"',
      'sh',
      dir,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The two data directories each condition is tried with: none yet, and one a crash left behind. */
function cases(withData: string): { name: string; from: string }[] {
  const empty = mkdtempSync(join(tmpdir(), 'hotline-empty-'));
  return [
    { name: 'empty data directory', from: empty },
    { name: 'data directory holding the crash run’s database (left by SIGKILL)', from: withData },
  ];
}

function judge(c: StartupCase & { out: string }, name: string, says: RegExp): StartupCase {
  const refused = c.refused && c.message.includes('cannot use the data directory') && says.test(c.message);
  return { name, exitCode: c.exitCode, message: c.message || c.out.trim().slice(-300), refused };
}

/** The server started on a read-only data directory: `withData` holds a database to copy in. */
export async function readOnlyStart(withData: string, namespaces = namespacesWork()): Promise<Refusal> {
  const out: StartupCase[] = [];
  const list = cases(withData);
  let method: string;
  if (namespaces) {
    method = 'read-only bind mount of the data directory (unshare --user --mount)';
    for (const { name, from } of list) {
      const dir = mkdtempSync(join(tmpdir(), 'hotline-ro-'));
      cpSync(from, dir, { recursive: true });
      out.push(judge(await inNamespace(RO_SCRIPT, dir, from), name, SAYS.readOnly));
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    // Without namespaces: permissions stop an ordinary user; root ignores them, so for root the
    // directory and its files are made immutable (chattr +i), which stops root too.
    const root = process.getuid?.() === 0;
    method = root ? 'chattr +i on the directory and its files' : 'chmod 0555 directory, 0444 files';
    for (const { name, from } of list) {
      const dir = mkdtempSync(join(tmpdir(), 'hotline-ro-'));
      cpSync(from, dir, { recursive: true });
      const files = readdirSync(dir).map((f) => join(dir, f));
      const lock = (on: boolean) => {
        for (const p of [...files, dir])
          if (root) works('chattr', [on ? '+i' : '-i', p]);
          else chmodSync(p, on ? (p === dir ? 0o555 : 0o444) : 0o755);
      };
      lock(true);
      if (canWrite(dir)) {
        lock(false);
        rmSync(dir, { recursive: true, force: true });
        return {
          method: 'unavailable: nothing here makes a directory read-only for this user',
          cases: out,
          refused: false,
        };
      }
      out.push(
        judge(await startAndWait(process.execPath, [SERVER_ENTRY], { DATA_DIR: dir }), name, SAYS.readOnly),
      );
      lock(false);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  rmSync(list[0]?.from ?? '', { recursive: true, force: true });
  return { method, cases: out, refused: out.length > 0 && out.every((c) => c.refused) };
}

/** The server started on a full disk: a tmpfs just big enough for the data, then filled. */
export async function fullDiskStart(withData: string, namespaces = namespacesWork()): Promise<Refusal> {
  const out: StartupCase[] = [];
  const list = cases(withData);
  let method: string;
  if (namespaces) {
    method = 'a tmpfs sized to the data plus 1 MB, filled to the last byte (unshare --user --mount)';
    for (const { name, from } of list) {
      const dir = mkdtempSync(join(tmpdir(), 'hotline-full-'));
      const kb = Math.ceil(dirSize(from) / 1024) + 1024;
      out.push(judge(await inNamespace(fullScript(kb), dir, from), name, SAYS.fullDisk));
      rmSync(dir, { recursive: true, force: true });
    }
  } else if (process.getuid?.() === 0) {
    method = 'a tmpfs mounted by root, filled to the last byte';
    for (const { name, from } of list) {
      const dir = mkdtempSync(join(tmpdir(), 'hotline-full-'));
      const kb = Math.ceil(dirSize(from) / 1024) + 1024;
      if (!works('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir])) {
        rmSync(dir, { recursive: true, force: true });
        return { method: 'unavailable: neither namespaces nor mount work here', cases: out, refused: false };
      }
      try {
        cpSync(from, dir, { recursive: true });
        works('sh', ['-c', 'head -c 1073741824 /dev/zero > "$1/filler" 2>/dev/null; true', 'sh', dir]);
        out.push(
          judge(await startAndWait(process.execPath, [SERVER_ENTRY], { DATA_DIR: dir }), name, SAYS.fullDisk),
        );
      } finally {
        works('umount', [dir]);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } else {
    method = 'unavailable: filling a disk needs a private mount namespace or root';
  }
  rmSync(list[0]?.from ?? '', { recursive: true, force: true });
  return { method, cases: out, refused: out.length > 0 && out.every((c) => c.refused) };
}
