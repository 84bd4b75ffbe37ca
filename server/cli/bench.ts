import { spawnSync } from 'node:child_process';
import { CHINA_BOTS, US_BOTS } from '../../shared/bots/index.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import { playGame } from '../../shared/sim/play.ts';
import { choiceFlag, intFlag, parseFlags, runCli } from './args.ts';

const USAGE = `usage: npm run bench -- [--seconds N] [--runs N] [--format table|json]
  Plays complete baseline-2026 bot games across the whole bot matrix on one thread (one core)
  and prints games per second and microseconds per adjudicated round.
  --seconds  how long to measure after a 1-second warm-up (default 5, 1 to 120)
  --runs     measure in this many fresh processes, one after another, and report the median
             with the range (default 1, up to 20): a single run can be off by half on a busy host
  --format   table (default) or json: {"gamesPerSecond", "microsPerRound", ...}`;

interface Measured {
  gamesPerSecond: number;
  fullGameEquivalentsPerSecond: number;
  microsPerRound: number;
  games: number;
  rounds: number;
  seconds: number;
}

function measure(seconds: number): Measured {
  const scenario = builtinScenario('baseline-2026');
  const pairs = US_BOTS.flatMap((us) => CHINA_BOTS.map((china) => ({ us, china })));
  let i = 0;
  const play = () => {
    const pair = pairs[i % pairs.length];
    if (!pair) throw new Error('no bots');
    i++;
    return playGame(scenario, pair.us, pair.china, i).round;
  };
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) play();
  let games = 0;
  let rounds = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  // Check the clock every 64 games so reading it does not weigh on the measurement.
  while (performance.now() < end) {
    for (let k = 0; k < 64; k++) {
      rounds += play();
      games++;
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  return {
    gamesPerSecond: Math.round(games / elapsed),
    // Games cut short by catastrophe are shorter; this counts rounds as twelfths of a full game.
    fullGameEquivalentsPerSecond: Math.round(rounds / 12 / elapsed),
    microsPerRound: Math.round(((elapsed * 1e6) / rounds) * 100) / 100,
    games,
    rounds,
    seconds: Math.round(elapsed * 100) / 100,
  };
}

/** Each run in a fresh process: what makes a run fast or slow on a shared host is set per process. */
function measureInProcesses(seconds: number, runs: number): Measured[] {
  const out: Measured[] = [];
  for (let k = 0; k < runs; k++) {
    const args = [
      ...process.execArgv,
      process.argv[1] ?? '',
      '--seconds',
      String(seconds),
      '--format',
      'json',
    ];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`run ${k + 1} of ${runs} failed: ${r.stderr.trim()}`);
    out.push(JSON.parse(r.stdout) as Measured);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

runCli(USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), {
    seconds: { type: 'string' },
    runs: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seconds = intFlag('seconds', flags.seconds, 5, 1, 120);
  const runs = intFlag('runs', flags.runs, 1, 1, 20);
  const format = choiceFlag('format', flags.format, 'table', ['table', 'json'] as const);
  const all = runs === 1 ? [measure(seconds)] : measureInProcesses(seconds, runs);
  const gps = all.map((r) => r.gamesPerSecond);
  const out = {
    gamesPerSecond: Math.round(median(gps)),
    fullGameEquivalentsPerSecond: Math.round(median(all.map((r) => r.fullGameEquivalentsPerSecond))),
    microsPerRound: Math.round(median(all.map((r) => r.microsPerRound)) * 100) / 100,
    games: all.reduce((a, r) => a + r.games, 0),
    rounds: all.reduce((a, r) => a + r.rounds, 0),
    seconds: Math.round(all.reduce((a, r) => a + r.seconds, 0) * 100) / 100,
    runs: all.map((r) => ({ gamesPerSecond: r.gamesPerSecond, microsPerRound: r.microsPerRound })),
    scenario: 'baseline-2026',
    node: process.version,
  };
  if (format === 'json') process.stdout.write(`${JSON.stringify(out)}\n`);
  else
    process.stdout.write(
      `engine benchmark (${out.scenario}, whole bot matrix, one thread, ${out.node})\n` +
        `  games per second   ${out.gamesPerSecond}${runs > 1 ? ` (median of ${runs} runs; ${Math.min(...gps)}–${Math.max(...gps)})` : ''}\n` +
        `  µs per round       ${out.microsPerRound}\n` +
        `  12-round games/s   ${out.fullGameEquivalentsPerSecond} (rounds ÷ 12)\n` +
        `  games played       ${out.games} (${out.rounds} rounds in ${out.seconds} s)\n`,
    );
});
