import type { CreateGameRequest } from '../../../shared/protocol/events.ts';
import {
  MAX_DEADLINE_SECONDS,
  MAX_SEED_LENGTH,
  MIN_DEADLINE_SECONDS,
  SEED_PATTERN,
  SEED_RULE,
  TIMED_PHASES,
  type TimedPhase,
} from '../../../shared/protocol/room.ts';
import { MAX_TABLES } from './route.ts';

/**
 * The "Create game" form as data: paces fill the phase clocks, and the form's raw strings become
 * a request the server accepts, or a message naming the field that is wrong.
 */
export const SCENARIOS = [
  { id: 'classroom-short', label: 'Classroom: 6 rounds, simpler', rounds: 6 },
  { id: 'baseline-2026', label: 'Baseline 2026: 12 rounds, the full exercise', rounds: 12 },
] as const;
export type ScenarioChoice = (typeof SCENARIOS)[number]['id'];

export const PACES = {
  // Short enough for the select's width on a laptop; the hint under it says the rest.
  classroom: { label: 'Live class: 7 min a round', minutes: [1, 2.5, 2, 1, 1] },
  exercise: { label: 'Live exercise: 12 min a round', minutes: [1.5, 5, 3, 1.5, 1] },
  days: { label: 'Over days: a round a day', minutes: [240, 720, 480, 240, 120] },
} as const;
export type Pace = keyof typeof PACES;

export const PHASE_LABELS: Record<TimedPhase, string> = {
  briefing: 'Briefing',
  negotiation: 'Negotiation',
  orders: 'Orders',
  crisis: 'Crisis response',
  summary: 'Summary',
};

export function paceMinutes(pace: Pace): Record<TimedPhase, number> {
  const m = PACES[pace].minutes;
  return Object.fromEntries(TIMED_PHASES.map((p, i) => [p, m[i] ?? 1])) as Record<TimedPhase, number>;
}

export interface CreateForm {
  scenarioId: string;
  rounds: string;
  minutes: Record<TimedPhase, string>;
  bots: { us: string; china: string };
  /** Blank for fresh dice. */
  seed?: string;
}

export type FormResult =
  | { ok: true; request: CreateGameRequest }
  | { ok: false; field: string; message: string };

export function createRequest(f: CreateForm): FormResult {
  const scenario = SCENARIOS.find((s) => s.id === f.scenarioId);
  if (!scenario) return { ok: false, field: 'scenario', message: 'choose a scenario' };
  const rounds = Number(f.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > scenario.rounds)
    return {
      ok: false,
      field: 'rounds',
      message: `rounds must be a whole number from 1 to ${scenario.rounds}`,
    };
  const deadlines: Partial<Record<TimedPhase, number>> = {};
  for (const phase of TIMED_PHASES) {
    const seconds = Math.round(Number(f.minutes[phase]) * 60);
    if (!Number.isFinite(seconds) || seconds < MIN_DEADLINE_SECONDS || seconds > MAX_DEADLINE_SECONDS)
      return {
        ok: false,
        field: phase,
        message: `${PHASE_LABELS[phase]}: the clock must be between 1 minute and 7 days (${MAX_DEADLINE_SECONDS / 60} minutes)`,
      };
    deadlines[phase] = seconds;
  }
  const seed = (f.seed ?? '').trim();
  if (seed !== '' && (seed.length > MAX_SEED_LENGTH || !SEED_PATTERN.test(seed)))
    return { ok: false, field: 'seed', message: SEED_RULE };
  const bot = (b: string) => (b === '' ? null : b);
  return {
    ok: true,
    request: {
      scenarioId: scenario.id,
      rounds,
      deadlines,
      bots: { us: bot(f.bots.us), china: bot(f.bots.china) },
      ...(seed ? { seed } : {}),
    },
  };
}

/** How many tables (games with the same settings) to create: 1, or a class of 2 to 8. */
export function tablesCount(raw: string): { ok: true; n: number } | { ok: false; message: string } {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TABLES)
    return { ok: false, message: `tables must be a whole number from 1 to ${MAX_TABLES}` };
  return { ok: true, n };
}
