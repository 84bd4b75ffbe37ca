import { botsFor } from '../../shared/bots/index.ts';
import type { Bot } from '../../shared/bots/types.ts';
import type { Side } from '../../shared/rules/ids.ts';
import { runMatrix } from '../../shared/sim/matrix.ts';
import { choiceFlag, intFlag, parseFlags, progress, runCli, scenarioFlag, UsageError } from './args.ts';
import { formatMatrix } from './format-matrix.ts';

const USAGE = `usage: npm run simulate -- [--games N] [--seed S] [--us BOT|all] [--china BOT|all]
                         [--scenario ID|PATH] [--format table|json|csv]
  --games     games per pair of bots (default 1000, at most 1000000)
  --seed      any text; the same arguments always print the same output (default 1)
  --us        ${botsFor('us')
    .map((b) => b.id)
    .join(', ')} or all (default all)
  --china     ${botsFor('china')
    .map((b) => b.id)
    .join(', ')} or all (default all)
  --scenario  a built-in scenario id (baseline-2026, classroom-short) or a JSON file path
  --format    table (default), json or csv`;

function pickBots(side: Side, raw: string | undefined): readonly Bot[] {
  const all = botsFor(side);
  if (raw === undefined || raw === 'all') return all;
  const bot = all.find((b) => b.id === raw);
  if (!bot)
    throw new UsageError(`--${side} must be one of ${all.map((b) => b.id).join(', ')} or all, got "${raw}"`);
  return [bot];
}

runCli(USAGE, () => {
  const flags = parseFlags(process.argv.slice(2), {
    games: { type: 'string' },
    seed: { type: 'string' },
    us: { type: 'string' },
    china: { type: 'string' },
    scenario: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const games = intFlag('games', flags.games, 1000, 1, 1_000_000);
  const seed = flags.seed ?? '1';
  if (seed.length > 100) throw new UsageError('--seed must be at most 100 characters');
  const format = choiceFlag('format', flags.format, 'table', ['table', 'json', 'csv'] as const);
  const scenario = scenarioFlag(flags.scenario);
  const us = pickBots('us', flags.us);
  const china = pickBots('china', flags.china);
  const bar = progress(games * us.length * china.length);
  const result = runMatrix(scenario, us, china, games, seed, bar.tick);
  bar.done();
  process.stdout.write(formatMatrix(result, format));
});
