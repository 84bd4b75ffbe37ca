import type { ClientView } from '../../../shared/protocol/room.ts';
import { AGREEMENT_NAMES } from '../../../shared/rules/agreements.ts';
import { getEvent } from '../../../shared/rules/events.ts';
import { describeNote, OUTCOME_NAMES, THE_SIDE } from '../../../shared/rules/explain.ts';
import { forecastTally, scorePercent } from '../../../shared/rules/forecast.ts';
import type { Side } from '../../../shared/rules/ids.ts';
import type { Agreement, NoteCode, RoundMetrics } from '../../../shared/rules/state.ts';
import { clockText, fixed, signedLead } from './board-format.ts';
import type { ChartSeries, ChartSpec, DashStyle, MarkerShape, SeriesColour } from './chart-scale.ts';
import { outcomeSummary } from './debrief-model.ts';
import { injectedEvent, teamStatus } from './facilitator-model.ts';
import { visibleScores } from './forecast-model.ts';
import { andList, phaseLabel, seatName } from './labels.ts';

/**
 * The teacher's page across several tables, as plain data: one card per table (where it stands,
 * who is there, what needs the teacher) and a comparison of how the tables diverged, built from
 * each table's facilitator view. A table whose view has not arrived yet is `null`.
 */
export interface ClassTable {
  /** "Table 1": the order the tables were created in, which the teacher hands out. */
  label: string;
  view: ClientView | null;
}

export interface TeamLine {
  label: string;
  /** Who is seated, the lead marked; a bot's name when a bot plays the side. */
  people: string;
  /** "2 of 3 connected", or what the bot does. */
  presence: string;
  /** What the team is doing now in this phase ("orders locked", "drafting"...), or null. */
  activity: string | null;
}

export interface TableCard {
  label: string;
  code: string;
  /** "Lobby", "Round 2 of 6 · Negotiation", "Game over". */
  stage: string;
  clock: string;
  ended: boolean;
  paused: boolean;
  inLobby: boolean;
  teams: TeamLine[];
  observers: number;
  numbers: { label: string; value: string }[];
  /** What needs the teacher's eye at this table, worst first; empty when all is well. */
  attention: string[];
  /** The outcome in words once the game has ended. */
  outcome: string | null;
  /** The event the facilitator has queued for the end of the round, by its title. */
  queued: string | null;
  /** For a fork: the game and round it replays from. */
  fork: string | null;
}

const lead = (v: ClientView): number | null => {
  const t = v.game.truth;
  return t ? t.us.capability - t.china.capability : null;
};

function stageOf(v: ClientView): string {
  if (v.phase === 'lobby' || v.phase === 'ended') return phaseLabel(v.phase);
  // `v.round` is the round as the table's own console shows it: in a summary the rules have
  // already moved on to the next round, which has not begun for the people at the table.
  return `Round ${v.round} of ${v.game.public.maxRounds} · ${phaseLabel(v.phase)}`;
}

function agreementsText(agreements: readonly Agreement[]): string {
  const inForce = agreements.filter((a) => a.status === 'in-force').map((a) => AGREEMENT_NAMES[a.type]);
  const kept = agreements.filter((a) => a.status === 'complied').length;
  const broken = agreements.filter((a) => a.status === 'violated').length;
  const parts: string[] = [];
  if (inForce.length) parts.push(`in force: ${inForce.join('; ')}`);
  if (kept) parts.push(`${kept} kept to the end`);
  if (broken) parts.push(`${broken} broken`);
  return parts.length ? parts.join(', ') : 'none in force';
}

export function tableCard(label: string, v: ClientView, now: number): TableCard {
  const pub = v.game.public;
  const running = v.phase !== 'lobby' && v.phase !== 'ended';
  const attention: string[] = [];
  const teams = teamStatus(v).map((t): TeamLine => {
    if (t.bot)
      return {
        label: `${t.label} team`,
        people: `Bot: ${t.bot}`,
        presence: 'plays on its own',
        activity: null,
      };
    // Who is away, by name: a count alone does not tell the teacher whom to look for.
    const people = t.seats
      .map((s) => `${seatName(s)}${s.lead ? ' (lead)' : ''}${s.connected ? '' : ' (away)'}`)
      .join(', ');
    if (!v.game.public.outcome) {
      if (!t.seats.length) attention.push(`The ${t.label} team has nobody and no bot.`);
      else if (running && t.connected === 0) attention.push(`Nobody on the ${t.label} team is connected.`);
    }
    let activity: string | null = null;
    if (v.phase === 'orders') activity = t.locked ? 'orders locked' : 'drafting orders';
    if (v.phase === 'crisis') activity = t.crisisAnswered ? 'crisis answered' : 'crisis not yet answered';
    return {
      label: `${t.label} team`,
      people: people || 'nobody yet',
      presence: t.seats.length ? `${t.connected} of ${t.seats.length} connected` : '',
      activity,
    };
  });
  const l = lead(v);
  const numbers = [
    { label: 'Global AI risk', value: `${fixed(pub.risk)} of ${fixed(pub.riskLimit, 0)}` },
    { label: 'US lead (true)', value: l === null ? 'unknown' : `${signedLead(l)} months` },
    { label: 'Trust', value: fixed(pub.trust) },
    { label: 'Agreements', value: agreementsText(v.game.truth?.agreements ?? pub.agreements) },
  ];
  const o = outcomeSummary(v);
  return {
    label,
    code: v.code,
    stage: stageOf(v),
    clock: running ? clockText(v.deadline, v.paused, now) : '',
    ended: v.phase === 'ended',
    paused: v.paused,
    inLobby: v.phase === 'lobby',
    teams,
    observers: v.seats.filter((s) => s.role === 'observer').length,
    numbers,
    attention,
    outcome: o ? `${o.name}, decided in ${o.when}` : null,
    queued: injectedEvent(v)?.title ?? null,
    fork: v.forkOf ? `Fork of game ${v.forkOf.code} from round ${v.forkOf.round}` : null,
  };
}

export interface ComparisonRow {
  table: string;
  code: string;
  /** The outcome's name, or where the game stands. */
  outcome: string;
  rounds: string;
  lead: string;
  risk: string;
  trust: string;
  agreements: string;
  us: string;
  china: string;
  /** Each side's mean forecast score so far ("—" when it made none). */
  usForecasts: string;
  chinaForecasts: string;
}

/** A side's mean forecast score (0 to 1) at a table, on public moves until the end; null without forecasts. */
function forecastMean(v: ClientView, side: Side): number | null {
  return forecastTally(visibleScores(v, true), side).mean;
}

/** Rounds adjudicated so far: one metrics entry each. */
const metricsOf = (v: ClientView): readonly RoundMetrics[] => v.game.truth?.history.metrics ?? [];

export function comparisonRows(tables: readonly ClassTable[]): ComparisonRow[] {
  return tables.map(({ label, view: v }) => {
    if (!v)
      return {
        table: label,
        code: '',
        outcome: 'not connected yet',
        rounds: '',
        lead: '',
        risk: '',
        trust: '',
        agreements: '',
        us: '',
        china: '',
        usForecasts: '',
        chinaForecasts: '',
      };
    const o = v.game.public.outcome;
    const read = (side: Side) => {
      const m = forecastMean(v, side);
      return m === null ? '—' : scorePercent(m);
    };
    const l = lead(v);
    return {
      table: label,
      code: v.code,
      outcome: o ? OUTCOME_NAMES[o.id] : v.phase === 'lobby' ? 'not started' : `in progress (${stageOf(v)})`,
      rounds: `${metricsOf(v).length} of ${v.game.public.maxRounds}`,
      lead: l === null ? '' : signedLead(l),
      risk: fixed(v.game.public.risk),
      trust: fixed(v.game.public.trust),
      agreements: agreementsText(v.game.truth?.agreements ?? v.game.public.agreements),
      us: o ? fixed(o.scores.us) : '',
      china: o ? fixed(o.scores.china) : '',
      usForecasts: read('us'),
      chinaForecasts: read('china'),
    };
  });
}

// Colour, dash and marker together tell up to eight tables apart, without relying on colour alone.
const COLOURS: SeriesColour[] = ['us', 'china', 'risk', 'trust', 'sky', 'purple', 'ink'];
const DASHES: DashStyle[] = ['solid', 'dash', 'dot', 'dash-dot'];
const MARKERS: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

export function tableLook(i: number): Pick<ChartSeries, 'colour' | 'dash' | 'marker'> {
  return {
    colour: COLOURS[i % COLOURS.length] ?? 'ink',
    dash: DASHES[i % DASHES.length] ?? 'solid',
    marker: MARKERS[(i + Math.floor(i / DASHES.length)) % MARKERS.length] ?? 'circle',
  };
}

function perTable(tables: readonly ClassTable[], y: (m: RoundMetrics) => number): ChartSeries[] {
  return tables.map(({ label, view }, i) => ({
    name: label,
    points: (view ? metricsOf(view) : []).map((m) => ({ x: m.round, y: y(m) })),
    ...tableLook(i),
  }));
}

/** Risk and the US lead round by round, one line per table: where the tables parted ways. */
export function comparisonCharts(tables: readonly ClassTable[]): { risk: ChartSpec; lead: ChartSpec } {
  const first = tables.find((t) => t.view)?.view ?? null;
  const base = { xLabel: 'Round', includeZero: true, digits: 1 };
  return {
    risk: {
      ...base,
      id: 'class-risk',
      title: 'Global AI risk at each table',
      yLabel: 'Risk',
      series: perTable(tables, (m) => m.risk),
      refLines: first ? [{ label: 'Catastrophe limit', y: first.game.public.riskLimit }] : [],
    },
    lead: {
      ...base,
      id: 'class-lead',
      title: 'US lead over China at each table',
      yLabel: 'Months',
      series: perTable(tables, (m) => m.lead),
      refLines: first ? [{ label: 'Lead at the start', y: first.game.public.startLead }] : [],
    },
  };
}

/** One or two sentences on how the tables diverged, for the teacher to open the class debrief with. */
export function divergenceSummary(tables: readonly ClassTable[]): string {
  const views = tables.filter((t): t is ClassTable & { view: ClientView } => t.view !== null);
  if (!views.length) return 'No table is connected yet.';
  const ended = views.filter((t) => t.view.game.public.outcome);
  const counts = new Map<string, string[]>();
  for (const t of ended) {
    const o = t.view.game.public.outcome;
    if (!o) continue;
    const name = OUTCOME_NAMES[o.id];
    // A game cut short (by the facilitator, or by catastrophe) is not the same evidence as one played out.
    const played = metricsOf(t.view).length;
    const max = t.view.game.public.maxRounds;
    const label = played < max ? `${t.label} (after ${played} of ${max} rounds)` : t.label;
    counts.set(name, [...(counts.get(name) ?? []), label]);
  }
  const outcomes = [...counts].map(([name, at]) => `${name} at ${andList(at)}`).join('; ');
  const first =
    ended.length === 0
      ? `No table has finished yet (${tables.length} in all).`
      : `${ended.length} of ${tables.length} tables have finished: ${outcomes}.`;
  const played = views.filter((t) => metricsOf(t.view).length > 0);
  if (played.length < 2) return first;
  const range = (f: (v: ClientView) => number, show: (x: number) => string) => {
    const sorted = [...played].sort((a, b) => f(a.view) - f(b.view));
    const lo = sorted[0] as (typeof played)[number];
    const hi = sorted[sorted.length - 1] as (typeof played)[number];
    const [a, b] = [show(f(lo.view)), show(f(hi.view))];
    const every = played.length < tables.length ? 'at every table that has played' : 'at every table';
    return a === b ? `${a} ${every}` : `from ${a} (${lo.label}) to ${b} (${hi.label})`;
  };
  return `${first} Risk: ${range(
    (v) => v.game.public.risk,
    (x) => fixed(x),
  )}; US lead: ${range((v) => lead(v) ?? 0, signedLead)}.`;
}

export const COMPARISON_COLUMNS = [
  'Table',
  'Code',
  'Outcome',
  'Rounds played',
  'US lead (months)',
  'Risk',
  'Trust',
  'Agreements',
  'US score',
  'China score',
  'US forecast score',
  'China forecast score',
] as const;

export function comparisonCells(r: ComparisonRow): string[] {
  return [
    r.table,
    r.code,
    r.outcome,
    r.rounds,
    r.lead,
    r.risk,
    r.trust,
    r.agreements,
    r.us,
    r.china,
    r.usForecasts,
    r.chinaForecasts,
  ];
}

/**
 * The comparison as CSV for a spreadsheet: numbers as plain numbers (no sign words or no-break
 * spaces), text quoted where it must be.
 */
export function comparisonCsv(tables: readonly ClassTable[]): string {
  const quote = (x: string) => (/[",\n]/.test(x) ? `"${x.replaceAll('"', '""')}"` : x);
  const header = [
    'table',
    'code',
    'outcome',
    'rounds_played',
    'us_lead_months',
    'risk',
    'trust',
    'agreements',
    'us_score',
    'china_score',
    'us_forecast_score',
    'china_forecast_score',
  ];
  const lines = [header.join(',')];
  comparisonRows(tables).forEach((r, i) => {
    const v = tables[i]?.view ?? null;
    const l = v ? lead(v) : null;
    const o = v?.game.public.outcome ?? null;
    lines.push(
      [
        r.table,
        r.code,
        r.outcome,
        v ? String(metricsOf(v).length) : '',
        l === null ? '' : l.toFixed(2),
        v ? v.game.public.risk.toFixed(2) : '',
        v ? v.game.public.trust.toFixed(2) : '',
        r.agreements,
        o ? o.scores.us.toFixed(2) : '',
        o ? o.scores.china.toFixed(2) : '',
        (v ? forecastMean(v, 'us') : null)?.toFixed(2) ?? '',
        (v ? forecastMean(v, 'china') : null)?.toFixed(2) ?? '',
      ]
        .map(quote)
        .join(','),
    );
  });
  return `\uFEFF${lines.join('\n')}\n`;
}

/** Notes that mark where a game took its own road; the rest (proposals, lapses) are routine. */
const TURNING_NOTES: ReadonlySet<NoteCode> = new Set<NoteCode>([
  'accepted',
  'violation-detected',
  'violation-leaked',
  'mineral-limits',
  'summit-opened-talks',
  'crisis-answers',
  'crisis-survived',
]);

export interface TurningPoint {
  round: number;
  text: string;
}

/**
 * A table's turning points, round by round: the events drawn, agreements entering force, breaches
 * caught or leaked, crisis answers, and (once the game has ended) breaches nobody caught. Set side
 * by side, they show where the tables' games parted ways.
 */
export function turningPoints(v: ClientView): TurningPoint[] {
  const out: TurningPoint[] = [];
  const exposed = new Set<string>();
  for (const entry of v.game.log.public) {
    if (entry.event)
      out.push({ round: entry.round, text: `${getEvent(entry.event)?.title ?? entry.event}.` });
    for (const n of entry.notes) {
      if (!TURNING_NOTES.has(n.code)) continue;
      if ((n.code === 'violation-detected' || n.code === 'violation-leaked') && n.ref) exposed.add(n.ref);
      out.push({ round: entry.round, text: describeNote(n) });
    }
  }
  if (v.game.public.outcome)
    for (const a of v.game.truth?.agreements ?? v.game.public.agreements)
      if (a.status === 'violated' && a.violator && !exposed.has(a.id))
        out.push({
          round: a.violatedRound ?? v.game.public.round,
          text: `Revealed at the end: ${THE_SIDE[a.violator]} broke ${AGREEMENT_NAMES[a.type]} (${a.id}) without being caught.`,
        });
  return out.sort((x, y) => x.round - y.round);
}
