import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Scenario } from '../../shared/rules/scenario-schema.ts';
import { builtinScenario, loadScenario } from '../../shared/scenarios/index.ts';

/** A command-line mistake: printed with the usage and exit code 2. */
export class UsageError extends Error {}

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function intFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function choiceFlag<T extends string>(
  name: string,
  raw: string | undefined,
  fallback: T,
  allowed: readonly T[],
): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** A built-in scenario id, or a path to a JSON file (which may `extends` a built-in one). */
export function scenarioFlag(raw: string | undefined): Scenario {
  const ref = raw ?? 'baseline-2026';
  if (!ref.endsWith('.json') && !ref.includes('/')) {
    try {
      return builtinScenario(ref);
    } catch (e) {
      throw new UsageError(`--scenario: ${(e as Error).message}`);
    }
  }
  let text: string;
  try {
    text = readFileSync(ref, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--scenario: cannot read "${ref}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--scenario: "${ref}" is not valid JSON: ${(e as Error).message}`);
  }
  const r = loadScenario(json);
  if (!r.ok)
    throw new UsageError(`--scenario: "${ref}" is not a valid scenario:\n  ${r.errors.join('\n  ')}`);
  return r.scenario;
}

/** Runs a CLI main, turning usage errors into exit code 2 and anything else into exit code 1. */
export function runCli(usage: string, main: () => void): void {
  try {
    main();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n\n${usage}\n`);
      process.exit(2);
    }
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  }
}

/** A one-line progress bar on `out` (stderr), drawn only when it is a terminal: piped output stays clean. */
export function progress(
  total: number,
  out: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr,
): { tick: () => void; done: () => void } {
  if (!out.isTTY || total <= 0) return { tick: () => {}, done: () => {} };
  let n = 0;
  let shown = -1;
  const draw = () => {
    const pct = Math.floor((n / total) * 100);
    if (pct === shown) return;
    shown = pct;
    const width = 30;
    const full = Math.round((pct / 100) * width);
    out.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${pct}% (${n}/${total} games)`);
  };
  return {
    tick: () => {
      n++;
      draw();
    },
    done: () => out.write('\r\x1b[K'),
  };
}
