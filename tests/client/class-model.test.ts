import { describe, expect, test } from 'vitest';
import {
  comparisonCharts,
  comparisonCsv,
  comparisonRows,
  divergenceSummary,
  tableCard,
  tableLook,
  turningPoints,
} from '../../client/src/model/class-model.ts';
import { tablesCount } from '../../client/src/model/create-form.ts';
import { classHash, compareHash, MAX_TABLES, parseRoute } from '../../client/src/model/route.ts';
import { getEvent } from '../../shared/rules/events.ts';
import { OUTCOME_NAMES } from '../../shared/rules/explain.ts';
import type { Agreement } from '../../shared/rules/state.ts';
import { forecastRoom, playedRoom, reveal, step, viewFor } from './fixtures.ts';

const tok = (c: string) => c.repeat(21);
const NOW = 1_700_000_000_000;

describe('the class route', () => {
  test('opens 2 to 8 distinct tokens and nothing else', () => {
    const two = [tok('a'), tok('b')];
    expect(parseRoute(classHash(two))).toEqual({ kind: 'class', tokens: two, compare: false });
    expect(parseRoute(compareHash(two))).toEqual({ kind: 'class', tokens: two, compare: true });
    const eight = 'abcdefgh'.split('').map(tok);
    expect(parseRoute(classHash(eight))).toEqual({ kind: 'class', tokens: eight, compare: false });
    const landing = { kind: 'landing', code: null };
    expect(parseRoute(classHash([tok('a')]))).toEqual(landing);
    expect(parseRoute(classHash('abcdefghi'.split('').map(tok)))).toEqual(landing);
    expect(parseRoute(classHash([tok('a'), tok('a')]))).toEqual(landing);
    expect(parseRoute(classHash([tok('a'), 'short']))).toEqual(landing);
    expect(parseRoute(`#/class/${tok('a')}.<b>${tok('b')}`)).toEqual(landing);
  });

  test('the create form takes 1 to 8 tables', () => {
    expect(tablesCount('1')).toEqual({ ok: true, n: 1 });
    expect(tablesCount(String(MAX_TABLES))).toEqual({ ok: true, n: MAX_TABLES });
    for (const bad of ['0', '9', '2.5', '', 'two'])
      expect(tablesCount(bad)).toEqual({ ok: false, message: 'tables must be a whole number from 1 to 8' });
  });
});

describe('a table card', () => {
  test('a running table with bots: where it stands and its true numbers', () => {
    const v = viewFor(playedRoom({ rounds: 3 }), 'facilitator');
    const c = tableCard('Table 1', v, NOW);
    expect(c.code).toBe('ABCDEF');
    expect(c.stage).toBe('Round 1 of 3 · Briefing');
    expect(c.teams.map((t) => [t.label, t.people])).toEqual([
      ['US team', 'Bot: Adaptive'],
      ['China team', 'Bot: Adaptive'],
    ]);
    expect(c.attention).toEqual([]);
    expect(c.observers).toBe(1);
    const truth = v.game.truth;
    if (!truth) throw new Error('the facilitator sees the truth');
    const lead = truth.us.capability - truth.china.capability;
    expect(c.numbers.find((n) => n.label === 'US lead (true)')?.value).toBe(
      `US\u00a0+${lead.toFixed(1)} months`,
    );
    expect(c.outcome).toBeNull();
  });

  test('human teams: who is there, what they are doing, and what needs the teacher', () => {
    const humans = { us: null, china: null };
    let room = playedRoom({ rounds: 3, bots: humans, advances: 2 });
    expect(room.phase).toBe('orders');
    let c = tableCard('Table 2', viewFor(room, 'facilitator'), NOW);
    expect(c.teams[0]).toEqual({
      label: 'US team',
      people: 'us player (lead)',
      presence: '1 of 1 connected',
      activity: 'drafting orders',
    });
    room = step(room, { type: 'fac.pause' });
    room = step(room, { type: 'fac.removeSeat', seatId: 'seat-china' });
    c = tableCard('Table 2', viewFor(room, 'facilitator'), NOW);
    expect(c.paused).toBe(true);
    expect(c.attention).toEqual(['The China team has nobody and no bot.']);
    expect(c.clock).toBe('Paused');
    expect(c.teams[1]).toMatchObject({ people: 'nobody yet', presence: '' });
    // Who dropped out, by name.
    const v = viewFor(room, 'facilitator');
    const away = { ...v, seats: v.seats.map((x) => (x.id === 'seat-us' ? { ...x, connected: false } : x)) };
    c = tableCard('Table 2', away, NOW);
    expect(c.teams[0]).toMatchObject({ people: 'us player (lead) (away)', presence: '0 of 1 connected' });
    expect(c.attention).toContain('Nobody on the US team is connected.');
  });

  test('a finished table names its outcome', () => {
    const v = viewFor(playedRoom({ rounds: 2, toEnd: true }), 'facilitator');
    const c = tableCard('Table 1', v, NOW);
    const o = v.game.public.outcome;
    if (!o) throw new Error('the game has ended');
    expect(c.ended).toBe(true);
    expect(c.stage).toBe('Game over');
    expect(c.clock).toBe('');
    expect(c.outcome).toMatch(new RegExp(`^${OUTCOME_NAMES[o.id]}, decided in round 2`));
    // A finished game asks nothing more of the teacher, even with a team that never came.
    const humans = { us: null, china: null };
    let gone = playedRoom({ rounds: 2, bots: humans });
    gone = step(gone, { type: 'fac.removeSeat', seatId: 'seat-china' });
    gone = step(gone, { type: 'fac.end' });
    expect(tableCard('Table 3', viewFor(gone, 'facilitator'), NOW).attention).toEqual([]);
  });

  test('a table in its summary shows the round its console shows, not the next one', () => {
    let room = playedRoom({ rounds: 3 });
    for (let i = 0; i < 10 && room.phase !== 'summary'; i++) room = step(room, { type: 'fac.advance' });
    expect(room.phase).toBe('summary');
    const v = viewFor(room, 'facilitator');
    expect(tableCard('Table 1', v, NOW).stage).toBe(`Round ${v.round} of 3 · Summary`);
    expect(v.round).toBe(1);
  });

  test('a game ended early is marked so in the summary', () => {
    const short = step(playedRoom({ rounds: 3, advances: 3 }), { type: 'fac.end' });
    const full = viewFor(playedRoom({ rounds: 3, toEnd: true }), 'facilitator');
    const text = divergenceSummary([
      { label: 'Table 1', view: viewFor(short, 'facilitator') },
      { label: 'Table 2', view: full },
    ]);
    expect(text).toMatch(/Table 1 \(after 1 of 3 rounds\)/);
    expect(text).not.toMatch(/Table 2 \(after/);
  });
});

describe('comparing the tables', () => {
  const ended = (seed: string) => viewFor(playedRoom({ rounds: 3, toEnd: true, seed }), 'facilitator');

  test('a row per table, with outcome, rounds and scores; a table not yet connected says so', () => {
    const a = ended('one');
    const rows = comparisonRows([
      { label: 'Table 1', view: a },
      { label: 'Table 2', view: null },
    ]);
    const o = a.game.public.outcome;
    if (!o) throw new Error('the game has ended');
    expect(rows[0]).toMatchObject({
      table: 'Table 1',
      code: 'ABCDEF',
      outcome: OUTCOME_NAMES[o.id],
      rounds: `${a.game.truth?.history.metrics.length} of 3`,
      us: o.scores.us.toFixed(1),
      china: o.scores.china.toFixed(1),
    });
    expect(rows[1]).toMatchObject({ table: 'Table 2', outcome: 'not connected yet', us: '' });
  });

  test('each side’s forecasts as a mean score, on public moves during play; none is a dash', () => {
    const room = reveal(forecastRoom(['stockpile-chips', 'mineral-retaliation']), [
      { move: 'stockpile-chips' },
    ]);
    const [row] = comparisonRows([{ label: 'Table 1', view: viewFor(room, 'facilitator') }]);
    expect(row).toMatchObject({ usForecasts: '50%', chinaForecasts: '—' });
    const csv = comparisonCsv([{ label: 'Table 1', view: viewFor(room, 'facilitator') }]);
    expect(csv.trimEnd().split('\n')[1]?.endsWith(',0.50,')).toBe(true);
  });

  test('one line per table in each chart, told apart by dash and marker as well as colour', () => {
    const tables = [
      { label: 'Table 1', view: ended('one') },
      { label: 'Table 2', view: ended('two') },
    ];
    const { risk, lead } = comparisonCharts(tables);
    expect(risk.series.map((s) => s.name)).toEqual(['Table 1', 'Table 2']);
    expect(risk.series[1]?.points.map((p) => p.y)).toEqual(
      tables[1]?.view.game.truth?.history.metrics.map((m) => m.risk),
    );
    expect(lead.series[0]?.points.length).toBe(tables[0]?.view.game.truth?.history.metrics.length);
    const looks = Array.from({ length: MAX_TABLES }, (_, i) => tableLook(i));
    expect(new Set(looks.map((l) => `${l.dash}/${l.marker}`)).size).toBe(MAX_TABLES);
  });

  test('the summary counts finished tables and names the extremes', () => {
    expect(divergenceSummary([{ label: 'Table 1', view: null }])).toBe('No table is connected yet.');
    const running = viewFor(playedRoom({ rounds: 3 }), 'facilitator');
    expect(divergenceSummary([{ label: 'Table 1', view: running }])).toBe(
      'No table has finished yet (1 in all).',
    );
    const a = ended('one');
    const b = ended('two');
    const text = divergenceSummary([
      { label: 'Table 1', view: a },
      { label: 'Table 2', view: b },
    ]);
    expect(text).toMatch(/^2 of 2 tables have finished: /);
    const [lo, hi] = [a, b].sort((x, y) => x.game.public.risk - y.game.public.risk);
    expect(text).toContain(`Risk: from ${lo?.game.public.risk.toFixed(1)}`);
    expect(text).toContain(`to ${hi?.game.public.risk.toFixed(1)}`);
  });

  test('the CSV holds plain numbers, one line per table, and quotes text with commas', () => {
    const a = ended('one');
    const csv = comparisonCsv([
      { label: 'Table 1', view: a },
      { label: 'Table 2', view: null },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'table,code,outcome,rounds_played,us_lead_months,risk,trust,agreements,us_score,china_score,us_forecast_score,china_forecast_score',
    );
    expect(lines).toHaveLength(3);
    const truth = a.game.truth;
    const o = a.game.public.outcome;
    if (!truth || !o) throw new Error('the game has ended');
    const cells = lines[1]?.split(',') ?? [];
    expect(cells.slice(0, 2)).toEqual(['Table 1', 'ABCDEF']);
    expect(cells[4]).toBe((truth.us.capability - truth.china.capability).toFixed(2));
    expect(cells[5]).toBe(a.game.public.risk.toFixed(2));
    // Bots make no forecasts: the last two cells stay empty.
    expect(lines[1]?.endsWith(`${o.scores.us.toFixed(2)},${o.scores.china.toFixed(2)},,`)).toBe(true);
    expect(lines[2]).toBe('Table 2,,not connected yet,,,,,,,,,');
    const quoted = comparisonCsv([
      { label: 'Table "A", east', view: null },
      { label: 'Table 2', view: null },
    ]);
    expect(quoted.split('\n')[1]).toBe('"Table ""A"", east",,not connected yet,,,,,,,,,');
  });

  test('turning points: each event drawn and each agreement entering force, in round order', () => {
    const v = viewFor(playedRoom({ rounds: 3, toEnd: true, seed: 'one' }), 'facilitator');
    const points = turningPoints(v);
    for (const entry of v.game.log.public) {
      if (entry.event)
        expect(points).toContainEqual({ round: entry.round, text: `${getEvent(entry.event)?.title}.` });
      for (const n of entry.notes.filter((x) => x.code === 'accepted'))
        expect(points.some((p) => p.round === entry.round && p.text.includes(n.ref ?? '?'))).toBe(true);
      // Routine notes are left out.
      for (const n of entry.notes.filter((x) => x.code === 'proposed'))
        expect(points.some((p) => p.text.includes(`proposed`) && p.text.includes(n.ref ?? '?'))).toBe(false);
    }
    expect(points.map((p) => p.round)).toEqual([...points.map((p) => p.round)].sort((a, b) => a - b));
  });

  test('a breach nobody caught shows once the game has ended, and only then', () => {
    const v = viewFor(playedRoom({ rounds: 3, toEnd: true, seed: 'one' }), 'facilitator');
    const broken: Agreement = {
      id: 'A9',
      type: 'hotline',
      proposedBy: 'us',
      proposedRound: 1,
      status: 'violated',
      inForceFrom: 2,
      violatedRound: 2,
      violator: 'china',
    };
    const truth = v.game.truth;
    if (!truth) throw new Error('the facilitator sees the truth');
    const withBreach = {
      ...v,
      game: { ...v.game, truth: { ...truth, agreements: [...truth.agreements, broken] } },
    };
    expect(turningPoints(withBreach)).toContainEqual({
      round: 2,
      text: 'Revealed at the end: China broke AI crisis hotline (A9) without being caught.',
    });
    const running = {
      ...withBreach,
      game: { ...withBreach.game, public: { ...v.game.public, outcome: null } },
    };
    expect(turningPoints(running).some((p) => p.text.startsWith('Revealed'))).toBe(false);
  });

  test('equal figures are said once, for the tables that have played', () => {
    const a = ended('one');
    const lobbyish = viewFor(playedRoom({ rounds: 3 }), 'facilitator');
    const same = [
      { label: 'Table 1', view: a },
      { label: 'Table 2', view: a },
    ];
    expect(divergenceSummary(same)).toContain(`Risk: ${a.game.public.risk.toFixed(1)} at every table;`);
    expect(divergenceSummary([...same, { label: 'Table 3', view: lobbyish }])).toContain(
      'at every table that has played;',
    );
  });

  test('a queued event shows on its table card', () => {
    const room = step(playedRoom({ rounds: 3 }), { type: 'fac.inject', eventId: 'taiwan-strait-shock' });
    expect(tableCard('Table 1', viewFor(room, 'facilitator'), NOW).queued).toBe(
      getEvent('taiwan-strait-shock')?.title,
    );
  });
});
