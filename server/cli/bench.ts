import { CHINA_BOTS, US_BOTS } from '../../shared/bots/index.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import { playGame } from '../../shared/sim/play.ts';
import { choiceFlag, intFlag, parseFlags, runCli } from './args.ts';

const USAGE = `usage: npm run bench -- [--seconds N] [--format table|json]
  Plays complete baseline-2026 bot games across the whole bot matrix on one thread (one core)
  and prints games per second and microseconds per adjudicated round.
  --seconds  how long to measure after a 1-second warm-up (default 5, 1 to 120)
  --format   table (default) or json: {"gamesPerSecond", "microsPerRound", ...}`;

runCli(USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), {
    seconds: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seconds = intFlag('seconds', flags.seconds, 5, 1, 120);
  const format = choiceFlag('format', flags.format, 'table', ['table', 'json'] as const);
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
  const out = {
    gamesPerSecond: Math.round(games / elapsed),
    // Games cut short by catastrophe are shorter; this counts rounds as twelfths of a full game.
    fullGameEquivalentsPerSecond: Math.round(rounds / 12 / elapsed),
    microsPerRound: Math.round(((elapsed * 1e6) / rounds) * 100) / 100,
    games,
    rounds,
    seconds: Math.round(elapsed * 100) / 100,
    scenario: scenario.id,
    node: process.version,
  };
  if (format === 'json') process.stdout.write(`${JSON.stringify(out)}\n`);
  else
    process.stdout.write(
      `engine benchmark (${out.scenario}, whole bot matrix, one thread, ${out.node})\n` +
        `  games per second   ${out.gamesPerSecond}\n` +
        `  µs per round       ${out.microsPerRound}\n` +
        `  12-round games/s   ${out.fullGameEquivalentsPerSecond} (rounds ÷ 12)\n` +
        `  games played       ${out.games} (${out.rounds} rounds in ${out.seconds} s)\n`,
    );
});
