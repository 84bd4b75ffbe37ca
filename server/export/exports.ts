import { seatName } from '../../shared/protocol/room.ts';
import { AGREEMENT_NAMES } from '../../shared/rules/agreements.ts';
import { getEvent } from '../../shared/rules/events.ts';
import {
  causeLabel,
  describeNote,
  explainChange,
  OUTCOME_NAMES,
  objectiveLabel,
  orderName,
  variableLabel,
} from '../../shared/rules/explain.ts';
import { LOOPHOLES, type Side } from '../../shared/rules/ids.ts';
import { getMove } from '../../shared/rules/moves.ts';
import type { Agreement, LoggedOrder, RoundLog } from '../../shared/rules/state.ts';
import { scenarioTitle } from '../../shared/scenarios/titles.ts';
import type { RoomCommand } from '../room/commands.ts';
import type { RoomState } from '../room/state.ts';
import { csvRow } from './csv.ts';
import { forecastSection, trueForecastScores } from './forecast-report.ts';

const SIDE: Record<Side, string> = { us: 'United States', china: 'China' };

/** The log without secrets: token hashes are dropped, everything else replays the game exactly. */
export function jsonExport(room: RoomState, commands: RoomCommand[]): string {
  const clean = commands.map((c) => {
    if (c.type === 'create') {
      const { facilitatorTokenHash: _f, ...rest } = c;
      return rest;
    }
    if (c.type === 'join') {
      const { tokenHash: _t, ...seat } = c.seat;
      return { ...c, seat };
    }
    return c;
  });
  const { facilitatorTokenHash: _f, seats, ...state } = room;
  return `${JSON.stringify(
    {
      format: 'hotline-log/1',
      exportedFor: 'facilitator',
      about:
        'Replay: apply the commands in order with the server room reducer; the create command holds the seed.',
      code: room.code,
      settings: room.settings,
      seats: seats.map(({ tokenHash: _t, ...s }) => s),
      commands: clean,
      final: state,
    },
    null,
    2,
  )}\n`;
}

/** Markdown text from player input: escaped so it reads as text, never as markup or HTML. */
export function mdText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

function orderLine(o: LoggedOrder, agreements: readonly Agreement[]): string {
  const why = o.rationale ? ` — “${mdText(o.rationale)}”` : '';
  return `- ${orderName(o, agreements)}${getMove(o.move)?.covert ? ' *(covert)*' : ''}${why}`;
}

function roundSection(
  room: RoomState,
  pub: RoundLog,
  us: RoundLog | undefined,
  china: RoundLog | undefined,
): string[] {
  const lines: string[] = [`### Round ${pub.round}`, ''];
  for (const [side, log] of [
    ['us', us],
    ['china', china],
  ] as const) {
    lines.push(`**${SIDE[side]} orders**`, '');
    const orders = log?.orders.map((o) => orderLine(o, room.game.agreements)) ?? [];
    lines.push(...(orders.length ? orders : ['- no orders']), '');
  }
  if (pub.event) {
    const e = getEvent(pub.event);
    lines.push(`**Event:** ${e?.title ?? pub.event}. ${e?.summary ?? ''}`, '');
  }
  const notes = [...pub.notes, ...(us?.notes ?? []), ...(china?.notes ?? [])];
  if (notes.length) lines.push('**What happened**', '', ...notes.map((n) => `- ${describeNote(n)}`), '');
  const changes = [...pub.changes, ...(us?.changes ?? []), ...(china?.changes ?? [])];
  if (changes.length)
    lines.push('**Every change, and why**', '', ...changes.map((c) => `- ${explainChange(c)}`), '');
  lines.push(...facilitatorLines(room, pub.round));
  return lines;
}

/** What the facilitator did in a round: rulings (adjustments with their notes), injects, the end. */
function facilitatorLines(room: RoomState, round: number): string[] {
  const actions = room.actions.filter((a) => a.round === round && a.kind !== 'pause' && a.kind !== 'resume');
  const adjustments = room.game.adjustments.filter((a) => a.round === round);
  if (!actions.length && !adjustments.length) return [];
  const lines = ['**Facilitator**', ''];
  for (const a of adjustments)
    lines.push(
      `- Set ${variableLabel(a.variable)} from ${a.before.toFixed(2)} to ${a.after.toFixed(2)}: “${mdText(a.note)}”`,
    );
  for (const a of actions) if (a.kind !== 'adjust') lines.push(`- ${a.kind}: ${mdText(a.detail)}`);
  lines.push('');
  return lines;
}

/**
 * Rounds the facilitator acted in that have no log entry: the round under way when the game was
 * ended early, or the next round when a ruling came during a summary. Their rulings belong in the
 * report as much as any other.
 */
function unresolvedRounds(room: RoomState): string[] {
  const played = new Set(room.game.history.public.map((l) => l.round));
  const rounds = new Set([...room.actions.map((a) => a.round), ...room.game.adjustments.map((a) => a.round)]);
  const lines: string[] = [];
  for (const r of [...rounds].filter((x) => !played.has(x)).sort((a, b) => a - b)) {
    const block = facilitatorLines(room, r);
    if (block.length) lines.push(`### Round ${r} (not resolved)`, '', ...block);
  }
  return lines;
}

function team(room: RoomState, side: Side): string {
  const names = room.seats.filter((s) => s.role === side).map((s) => mdText(seatName(s)));
  const bot = room.settings.bots[side];
  const people = names.length ? names.join(', ') : 'no players';
  return bot ? `${people}; played by the “${bot}” bot at the end` : people;
}

/** The after-action report: a timeline built from the log, ready to paste into a written report. */
export function markdownReport(room: RoomState): string {
  const g = room.game;
  const h = g.history;
  const o = g.outcome;
  const lines: string[] = [
    `# After-action report: game ${room.code}`,
    '',
    `Scenario **${scenarioTitle(room.settings.scenarioId)}** (${room.settings.scenarioId}), ${g.maxRounds} rounds planned, ${h.public.length} played. Phase: ${room.phase}.${room.seed !== undefined ? ` Seed: \`${room.seed}\` (a new game with this seed starts with the same dice).` : ''}`,
    '',
    ...(room.forkOf
      ? [
          `This game is a fork of game ${room.forkOf.code} from round ${room.forkOf.round}: rounds 1 to ${room.forkOf.round - 1} below were played in that game, by its teams; this game's teams played from round ${room.forkOf.round} on.`,
          '',
        ]
      : []),
    '## Teams',
    '',
    `- United States: ${team(room, 'us')}`,
    `- China: ${team(room, 'china')}`,
    '',
    '## Outcome',
    '',
  ];
  if (o) {
    lines.push(
      `**${OUTCOME_NAMES[o.id]}** in round ${o.round}: ${o.reason}.`,
      '',
      `Scores: United States ${o.scores.us}, China ${o.scores.china}.`,
      '',
    );
    for (const side of ['us', 'china'] as const) {
      lines.push(
        `${SIDE[side]} objectives:`,
        '',
        ...o.objectives[side].map(
          (x) => `- ${x.met ? '✔ met' : '✘ not met'}: ${objectiveLabel(x.id)} (${x.detail})`,
        ),
        '',
      );
    }
  } else lines.push('The game has not ended yet.', '');
  lines.push('## Agreements', '');
  lines.push(
    ...(g.agreements.length
      ? g.agreements.map(
          (a) =>
            `- ${AGREEMENT_NAMES[a.type]} (${a.id}), proposed by ${SIDE[a.proposedBy]} in round ${a.proposedRound}: ${a.status}${a.violator ? `, broken by ${SIDE[a.violator]} in round ${a.violatedRound}` : ''}`,
        )
      : ['- none']),
    '',
  );
  const secret = g.violations.filter((v) => !v.detected);
  if (g.phase === 'ended' && secret.length)
    lines.push(
      `Violations never detected during play: ${secret.map((v) => `${SIDE[v.side]} broke ${v.agreementId} in round ${v.round}`).join('; ')}.`,
      '',
    );
  lines.push(
    '## Beliefs against the truth',
    '',
    '| round | lead | US belief of China capability | China capability | China belief of US capability | US capability | risk |',
    '|---|---|---|---|---|---|---|',
  );
  for (const m of h.metrics) {
    lines.push(
      `| ${m.round} | ${m.lead.toFixed(1)} | ${m.usEstimateOfChinaCapability.toFixed(1)} | ${m.chinaCapability.toFixed(1)} | ${m.chinaEstimateOfUsCapability.toFixed(1)} | ${m.usCapability.toFixed(1)} | ${m.risk.toFixed(1)} |`,
    );
  }
  lines.push('', ...forecastSection(room));
  lines.push('## Timeline', '');
  h.public.forEach((pub, i) => {
    lines.push(...roundSection(room, pub, h.us[i], h.china[i]));
  });
  lines.push(...unresolvedRounds(room));
  const chat = room.chat.filter((m) => m.role === 'system');
  if (chat.length) lines.push('## White Cell messages', '', ...chat.map((m) => `- ${mdText(m.text)}`), '');
  lines.push(
    '---',
    '',
    `Generated by Hotline from the game log. Causes are worded from the rules (for example “${causeLabel('rule.diffusion')}”).`,
    '',
  );
  return lines.join('\n');
}

/** Per-round true metrics, one row a round, for charts in a spreadsheet. */
export function metricsCsv(room: RoomState): string {
  const head = [
    'round',
    'lead_months',
    'risk',
    'trust',
    'us_capability',
    'china_capability',
    'us_compute',
    'china_compute',
    ...LOOPHOLES.map((l) => `flow_${l}`),
    'us_estimate_of_china_capability',
    'china_estimate_of_us_capability',
    'event',
    'us_forecast_score',
    'china_forecast_score',
  ];
  const forecasts = trueForecastScores(room);
  const forecastOf = (round: number, side: Side) =>
    forecasts.find((f) => f.round === round && f.side === side)?.score ?? null;
  const rows = room.game.history.metrics.map((m) =>
    csvRow([
      m.round,
      m.lead,
      m.risk,
      m.trust,
      m.usCapability,
      m.chinaCapability,
      m.usCompute,
      m.chinaCompute,
      ...LOOPHOLES.map((l) => m.flows[l]),
      m.usEstimateOfChinaCapability,
      m.chinaEstimateOfUsCapability,
      m.event,
      forecastOf(m.round, 'us'),
      forecastOf(m.round, 'china'),
    ]),
  );
  return `${[csvRow(head), ...rows].join('\n')}\n`;
}
