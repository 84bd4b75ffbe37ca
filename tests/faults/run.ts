import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL_CRASH_OPTIONS, runCrash } from './crash.ts';
import { FULL_FLOOD_OPTIONS, runFlood } from './flood.ts';
import { FULL_FUZZ_OPTIONS, runFuzz } from './fuzz.ts';
import { FULL_SOAK_OPTIONS, runSoak } from './soak.ts';

/**
 * npm run test:faults: the full fault suite of issue 5, one part after another (they would
 * disturb each other's latency figures if run together), then one summary table. `npm test` runs
 * the short version of each part; this runs the long one.
 */
const USAGE = `usage: npm run test:faults -- [--only crash,fuzz,flood,soak,authz,leaks,safety] [--soak-seconds N] [--markdown FILE]

  --only LIST         run only these parts (default: all)
  --soak-seconds N    length of the soak (default ${FULL_SOAK_OPTIONS.seconds} s)
  --markdown FILE     also write the summary table as Markdown to FILE`;

const PARTS = ['crash', 'fuzz', 'flood', 'soak', 'authz', 'leaks', 'safety'] as const;
type Part = (typeof PARTS)[number];

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function flags() {
  try {
    return parseArgs({
      options: {
        only: { type: 'string' },
        'soak-seconds': { type: 'string' },
        markdown: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

interface Row {
  check: string;
  figure: string;
  held: boolean;
}

const log = (line: string) => process.stderr.write(`  ${line}\n`);
const ms = (x: number) => `${Math.round(x)} ms`;

/** Runs vitest files as a child process; the tests write their tallies under test-output/faults. */
function vitest(files: string[]): boolean {
  const r = spawnSync('npx', ['vitest', 'run', ...files], { stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0;
}

function readJson<T>(file: string): T | null {
  const path = join('test-output', 'faults', file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
}

async function main(): Promise<void> {
  const f = flags();
  if (f.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const only = (f.only?.split(',').map((s) => s.trim()) ?? [...PARTS]) as Part[];
  for (const p of only)
    if (!PARTS.includes(p)) fail(`--only: unknown part "${p}" (parts: ${PARTS.join(', ')})`);
  const soakSeconds = f['soak-seconds'] === undefined ? FULL_SOAK_OPTIONS.seconds : Number(f['soak-seconds']);
  if (!Number.isInteger(soakSeconds) || soakSeconds < 10 || soakSeconds > 7200)
    fail(`--soak-seconds must be a whole number from 10 to 7200, got "${f['soak-seconds']}"`);

  process.stderr.write('Building the server…\n');
  execFileSync('npm', ['run', '-s', 'build:server'], { stdio: 'inherit' });
  const rows: Row[] = [];
  const problems: string[] = [];
  const started = Date.now();
  const part = async <T extends { problems: string[] }>(
    name: Part,
    go: () => Promise<T>,
    show: (r: T) => Row[],
  ) => {
    if (!only.includes(name)) return;
    process.stderr.write(`\n▶ ${name}\n`);
    const t0 = Date.now();
    const r = await go();
    process.stderr.write(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    rows.push(...show(r));
    problems.push(...r.problems.map((p) => `${name}: ${p}`));
  };
  const clean = (r: { problems: string[] }) => r.problems.length === 0;

  await part(
    'crash',
    () => runCrash({ ...FULL_CRASH_OPTIONS, log }),
    (r) => [
      {
        check: 'SIGKILLs survived',
        figure: `${r.kills} kills, ${r.restarts} restarts, ${r.gamesPlayed} games`,
        held: clean(r),
      },
      {
        check: 'acknowledged commands found after restart',
        figure: `${r.commandsFoundAfterRestart} of ${r.commandsAcked}`,
        held: r.commandsFoundAfterRestart === r.commandsAcked,
      },
      {
        check: 'replays equal to stored state / integrity_check',
        figure: `${r.replayMismatches} mismatches, ${r.integrityFailures} integrity failures`,
        held: r.replayMismatches === 0 && r.integrityFailures === 0,
      },
      {
        check: 'SIGTERM: clients told / running clocks moved on',
        figure: r.sigterm
          ? `${r.sigterm.notified} of ${r.sigterm.clients} / ${r.sigterm.clocksMovedOn} of ${r.sigterm.clocksRunning}, exit ${r.sigterm.exitCode}`
          : 'not run',
        held: r.sigterm !== null && r.sigterm.notified === r.sigterm.clients && r.sigterm.exitCode === 0,
      },
      {
        check: 'read-only / full DATA_DIR refused at start',
        figure: [r.startupRefusals.readOnly, r.startupRefusals.fullDisk]
          .map((x) => (x ? `${x.refused ? 'refused' : 'NOT refused'} (${x.method})` : 'not run'))
          .join(' / '),
        held: [r.startupRefusals.readOnly, r.startupRefusals.fullDisk].every(
          (x) => x !== null && (x.refused || x.method.startsWith('unavailable')),
        ),
      },
      {
        check: 'slowest client back in its seat',
        figure: `${r.maxSecondsBackInSeat.toFixed(1)} s (limit 15 s)`,
        held: r.maxSecondsBackInSeat <= 15,
      },
    ],
  );
  await part(
    'fuzz',
    () => runFuzz({ ...FULL_FUZZ_OPTIONS, log }),
    (r) => [
      {
        check: 'payloads fuzzed (socket + HTTP)',
        figure: `${r.payloads} (${r.socketPayloads} socket, ${r.httpRequests} HTTP)`,
        held: r.payloads >= 100_000,
      },
      {
        check: 'crashes / undocumented answers / state changed by invalid',
        figure: `${r.crashes} / ${r.undocumentedAnswers} / ${r.stateChangesOnInvalid}`,
        held: r.crashes === 0 && r.undocumentedAnswers === 0 && r.stateChangesOnInvalid === 0,
      },
      {
        check: 'other games: p99 without / with fuzzer',
        figure: `${ms(r.p99Without)} / ${ms(r.p99With)}`,
        held: clean(r),
      },
    ],
  );
  await part(
    'flood',
    () => runFlood({ ...FULL_FLOOD_OPTIONS, log }),
    (r) => [
      {
        check: 'flood: p99 without / with attacker',
        figure: `${ms(r.p99Without)} / ${ms(r.p99WithFlood)} (${r.floodAcksRateLimited} rate-limited, attacker ${r.floodDisconnected ? 'disconnected' : 'kept'})`,
        held: clean(r),
      },
      {
        check: 'slowloris: p99 with half-open connections',
        figure: `${ms(r.p99WithSlowloris)}, ${r.slowlorisConnections} connections, longest lived ${r.slowlorisMaxLifetimeSeconds.toFixed(0)} s`,
        held: clean(r),
      },
      {
        check: '65 KB frame refused before sent whole / foreign Origin 403',
        figure: `${r.oversizeClosedBeforeFullFrame ? 'yes' : 'NO'} / ${r.foreignOrigin403 ? 'yes' : 'NO'}`,
        held: r.oversizeClosedBeforeFullFrame && r.foreignOrigin403,
      },
    ],
  );
  await part(
    'soak',
    () => runSoak({ ...FULL_SOAK_OPTIONS, seconds: soakSeconds, log }),
    (r) => [
      {
        check: `soak ${(r.seconds / 60).toFixed(0)} min: games played / finished / stuck`,
        figure: `${r.gamesPlayed} / ${r.gamesFinished} / ${r.stuckGames}`,
        held: r.stuckGames === 0,
      },
      {
        check: 'soak: heap after GC, start → end',
        figure: `${r.heapStartMb.toFixed(1)} → ${r.heapEndMb.toFixed(1)} MB`,
        held: clean(r),
      },
      {
        check: 'soak: timers / listeners, start → end',
        figure: `${r.timersStart} → ${r.timersEnd} / ${r.listenersStart} → ${r.listenersEnd}`,
        held: clean(r),
      },
    ],
  );
  await part(
    'authz',
    async () => {
      const ok = vitest(['tests/server/authz.test.ts']);
      const j = readJson<{ cells: number; forbidden: number; refused: number }>('authz.json');
      return { ok, j, problems: ok ? [] : ['the authorisation matrix test failed'] };
    },
    (r) => [
      {
        check: 'authorisation: forbidden cells tried / refused',
        figure: `${r.j?.forbidden ?? 0} / ${r.j?.refused ?? 0} (of ${r.j?.cells ?? 0} cells)`,
        held: r.ok,
      },
    ],
  );
  await part(
    'leaks',
    async () => {
      const ok = vitest(['tests/server/leaks.test.ts']);
      const j = readJson<{ frames: number; sockets: number; checks: number; leaks: number }>('leaks.json');
      return { ok, j, problems: ok ? [] : ['the leak test failed'] };
    },
    (r) => [
      {
        check: 'frames captured / leaks found',
        figure: `${r.j?.frames ?? 0} frames on ${r.j?.sockets ?? 0} sockets, ${r.j?.checks ?? 0} checks / ${r.j?.leaks ?? '?'} leaks`,
        held: r.ok && r.j?.leaks === 0,
      },
    ],
  );
  await part(
    'safety',
    async () => {
      const ok = vitest(['tests/server/exports.test.ts', 'tests/browser/play.test.ts']);
      return {
        ok,
        problems: ok ? [] : ['player text with markup was not kept as text (exports or browser test)'],
      };
    },
    (r) => [
      {
        check: 'player markup shown as text (browser, Markdown, CSV)',
        figure: r.ok ? 'held' : 'FAILED',
        held: r.ok,
      },
    ],
  );

  const width = Math.max(...rows.map((r) => r.check.length));
  const table = [
    `Hotline fault suite (${new Date().toISOString().slice(0, 10)}, ${((Date.now() - started) / 60000).toFixed(1)} min)`,
    '',
    ...rows.map((r) => `${r.held ? 'ok  ' : 'FAIL'}  ${r.check.padEnd(width)}  ${r.figure}`),
  ];
  process.stdout.write(`\n${table.join('\n')}\n`);
  if (problems.length) process.stdout.write(`\nProblems:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
  if (f.markdown) {
    mkdirSync(dirname(f.markdown), { recursive: true });
    const md = [
      '| | check | figure |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.held ? 'ok' : 'FAIL'} | ${r.check} | ${r.figure} |`),
    ];
    writeFileSync(f.markdown, `${md.join('\n')}\n`);
  }
  process.exitCode = problems.length || rows.some((r) => !r.held) ? 1 : 0;
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
