import { describe, expect, it } from 'vitest';
import {
  agreementLines,
  beliefRows,
  chartSeries,
  outcomeSummary,
  timeline,
} from '../../client/src/model/debrief-model.ts';
import { EVENT_DECK } from '../../shared/rules/events.ts';
import { describeNote, explainChange, OUTCOME_NAMES } from '../../shared/rules/explain.ts';
import { getMove } from '../../shared/rules/moves.ts';
import { playedRoom, step, viewFor } from './fixtures.ts';

const finished = viewFor(playedRoom({ toEnd: true }), 'us');
const metrics = finished.game.truth?.history.metrics ?? [];
// A 12-round game in which China's bot orders a covert move (checked below, not assumed).
const long = viewFor(playedRoom({ toEnd: true, scenarioId: 'baseline-2026', rounds: 12 }), 'observer');

describe('outcomeSummary', () => {
  it('names the outcome the game reached and keeps its reason and round', () => {
    const o = outcomeSummary(finished);
    const real = finished.game.public.outcome;
    if (!o || !real) throw new Error('a finished game has an outcome');
    expect(o.id).toBe(real.id);
    expect(o.name).toBe(OUTCOME_NAMES[real.id]);
    expect(o.reason).toBe(real.reason);
    expect(o.round).toBe(real.round);
  });

  it('gives each side its score and every objective as text and symbol, never colour alone', () => {
    const o = outcomeSummary(finished);
    const real = finished.game.public.outcome;
    if (!o || !real) throw new Error('a finished game has an outcome');
    for (const s of o.sides) {
      expect(s.score).toBe(real.scores[s.side]);
      expect(s.objectives).toHaveLength(real.objectives[s.side].length);
      for (const x of s.objectives) {
        expect(x.status).toBe(x.met ? 'Met' : 'Not met');
        expect(x.symbol).toBe(x.met ? '✔' : '✘');
        expect(x.label).not.toBe(x.id);
      }
    }
  });

  it('says when a game was cut short in a round its orders never resolved', () => {
    const full = outcomeSummary(finished);
    expect(full?.when).toBe(`round ${full?.maxRounds}, the last`);
    // Ended by the facilitator during round 2's orders: one round played.
    let room = playedRoom({ advances: 2, bots: { us: null, china: null } });
    expect(room.phase).toBe('orders');
    room = step(room, { type: 'fac.end' });
    const cut = outcomeSummary(viewFor(room, 'us'));
    expect(cut?.when).toMatch(/^round 1, before it was resolved \(0 of \d+ rounds played\)$/);
  });

  it('is null while the game is still going', () => {
    expect(outcomeSummary(viewFor(playedRoom({ advances: 2 }), 'facilitator'))).toBeNull();
  });
});

describe('chartSeries', () => {
  const charts = chartSeries(finished);
  const all = [charts.lead, charts.risk, charts.trust, charts.flows, charts.beliefs];

  it('has one point per round played in every series of every chart', () => {
    expect(metrics.length).toBeGreaterThan(0);
    for (const c of all)
      for (const s of c.series) expect(s.points.map((p) => p.x)).toEqual(metrics.map((m) => m.round));
  });

  it('plots the true metrics and the risk limit', () => {
    expect(charts.risk.series[0]?.points.map((p) => p.y)).toEqual(metrics.map((m) => m.risk));
    expect(charts.lead.series[0]?.points.map((p) => p.y)).toEqual(metrics.map((m) => m.lead));
    expect(charts.risk.refLines.map((r) => r.y)).toContain(finished.game.public.riskLimit);
    expect(charts.flows.series).toHaveLength(4);
    expect(charts.flows.series[1]?.points.map((p) => p.y)).toEqual(metrics.map((m) => m.flows.cloud));
  });

  it('tells the series of a chart apart by dash and marker, not only colour', () => {
    for (const c of all) {
      const looks = c.series.map((s) => `${s.dash}/${s.marker}`);
      expect(new Set(looks).size).toBe(looks.length);
      expect(new Set(c.series.map((s) => s.marker)).size).toBe(c.series.length);
    }
  });
});

describe('timeline', () => {
  it('has one entry per round, in order, as many as the metrics', () => {
    const t = timeline(finished);
    expect(t).toHaveLength(metrics.length);
    expect(t.map((r) => r.round)).toEqual(metrics.map((m) => m.round));
  });

  it('shows covert orders that the public log never revealed', () => {
    const truth = long.game.truth;
    if (!truth) throw new Error('everyone sees the truth after the end');
    const covertIds = new Set(['evasion-network', 'violate-agreement']);
    const secret = [...truth.history.us, ...truth.history.china].flatMap((l) =>
      l.orders.filter((o) => covertIds.has(o.move)),
    );
    expect(secret.length).toBeGreaterThan(0);
    const publicMoves = long.game.log.public.flatMap((l) => l.orders.map((o) => o.move));
    expect(publicMoves.some((m) => covertIds.has(m))).toBe(false);
    const shown = timeline(long).flatMap((r) => r.orders.flatMap((s) => s.orders));
    const covert = shown.filter((o) => o.covert);
    expect(covert).toHaveLength(secret.length);
    for (const o of secret)
      expect(covert.some((c) => c.text.startsWith(getMove(o.move)?.name ?? '?'))).toBe(true);
  });

  it('keeps each side’s rationales and puts each order under the side that gave it', () => {
    const truth = finished.game.truth;
    if (!truth) throw new Error('no truth');
    const t = timeline(finished);
    t.forEach((r, i) => {
      for (const side of ['us', 'china'] as const) {
        const shown = r.orders.find((s) => s.side === side)?.orders ?? [];
        const real = truth.history[side][i]?.orders ?? [];
        expect(shown.map((o) => o.rationale)).toEqual(real.map((o) => o.rationale ?? null));
      }
    });
    expect(t.flatMap((r) => r.orders.flatMap((s) => s.orders)).some((o) => o.rationale)).toBe(true);
  });

  it('explains every change of every log, public and secret, and names the event', () => {
    const truth = finished.game.truth;
    if (!truth) throw new Error('no truth');
    timeline(finished).forEach((r, i) => {
      const all = [truth.history.public[i], truth.history.us[i], truth.history.china[i]].flatMap(
        (l) => l?.changes ?? [],
      );
      expect(r.changes.map((c) => c.text)).toEqual(all.map(explainChange));
      expect(r.changes.filter((c) => c.seenBy === 'everyone')).toHaveLength(
        truth.history.public[i]?.changes.length ?? -1,
      );
      expect(r.event?.id ?? null).toBe(truth.history.public[i]?.event ?? null);
      if (r.event) expect(r.event.title).not.toBe(r.event.id);
    });
  });

  it('lists the facilitator’s adjustments in the round they were made', () => {
    let room = playedRoom({ advances: 2 });
    const round = room.game.round;
    room = step(room, { type: 'fac.adjust', variable: 'trust', value: 55, note: 'A back-channel summit' });
    for (let i = 0; i < 100 && room.phase !== 'ended'; i++) room = step(room, { type: 'fac.advance' });
    const t = timeline(viewFor(room, 'china'));
    const lines = t.flatMap((r) => r.adjustments.map((a) => ({ round: r.round, a })));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.round).toBe(round);
    expect(lines[0]?.a).toContain('A back-channel summit');
    expect(lines[0]?.a).toContain('to 55.00');
  });
});

describe('beliefRows and agreements', () => {
  it('puts each side’s true capability beside the other side’s estimate, round by round', () => {
    const rows = beliefRows(finished);
    expect(rows).toHaveLength(metrics.length);
    rows.forEach((r, i) => {
      const m = metrics[i];
      if (!m) throw new Error('missing metrics');
      expect(r.chinaTrue).toBe(m.chinaCapability);
      expect(r.usBelief).toBe(m.usEstimateOfChinaCapability);
      expect(r.usMiss).toBeCloseTo(m.usEstimateOfChinaCapability - m.chinaCapability);
      expect(r.chinaMiss).toBeCloseTo(m.chinaEstimateOfUsCapability - m.usCapability);
    });
  });

  it('states every agreement’s fate in words', () => {
    const all = finished.game.truth?.agreements ?? [];
    const lines = agreementLines(finished).agreements;
    expect(lines).toHaveLength(all.length);
    for (const [i, a] of all.entries()) expect(lines[i]).toContain(`(${a.id})`);
  });
});

describe('describeNote', () => {
  it('names crisis answers by the labels people chose, not by their ids', () => {
    const e = EVENT_DECK.find((x) => x.response);
    if (!e?.response) throw new Error('no two-sided event');
    const [usCoop] = e.response.choices.us;
    const [, chinaHard] = e.response.choices.china;
    const text = describeNote({
      round: 2,
      code: 'crisis-answers',
      side: null,
      ref: e.id,
      detail: `${usCoop.id}|${chinaHard.id}`,
    });
    expect(text).toBe(`Crisis answers to ${e.title}: US "${usCoop.label}", China "${chinaHard.label}".`);
  });
});
