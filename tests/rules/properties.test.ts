/**
 * Properties over 1,020 games: every US bot against every China bot, plus random-order bots that
 * reach states the real bots avoid, on both scenarios (three games in four on the short one). The
 * games are played once; each property then asserts over what every step of every game showed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CHINA_BOTS, US_BOTS } from '../../shared/bots/index.ts';
import type { Bot } from '../../shared/bots/types.ts';
import { trueCompliance } from '../../shared/rules/estimates.ts';
import { LOOPHOLES, OUTCOMES, SIDES, type Side } from '../../shared/rules/ids.ts';
import { getMove } from '../../shared/rules/moves.ts';
import type { Scenario } from '../../shared/rules/scenario-schema.ts';
import type { Agreement, Estimate, Estimates, GameState, Order } from '../../shared/rules/state.ts';
import { playerView } from '../../shared/rules/view.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import { BASELINE, playSteps, randomBot, SHORT } from './helpers.ts';

const GAMES = 1020;

interface Findings {
  games: number;
  steps: number;
  outcomes: Record<string, number>;
  bounds: string[];
  ending: string[];
  estimates: string[];
  estimatesChecked: number;
  sideViews: string[];
  otherViews: string[];
  logs: string[];
  json: string[];
  covertOrdersGiven: number;
}

const f: Findings = {
  games: 0,
  steps: 0,
  outcomes: {},
  bounds: [],
  ending: [],
  estimates: [],
  estimatesChecked: 0,
  sideViews: [],
  otherViews: [],
  logs: [],
  json: [],
  covertOrdersGiven: 0,
};

function report(list: string[], msg: string): void {
  if (list.length < 20) list.push(msg);
  else if (list.length === 20) list.push('…and more');
}

function checkBounds(s: GameState, where: string): void {
  const bad = (what: string, v: number, lo: number, hi: number) => {
    if (!(Number.isFinite(v) && v >= lo && v <= hi))
      report(f.bounds, `${where}: ${what} = ${v} outside [${lo}, ${hi}]`);
  };
  bad('risk', s.risk, 0, s.params.risk.limit);
  bad('risk above its floor', s.risk, s.params.risk.floor, s.params.risk.limit);
  bad('trust', s.trust, 0, 100);
  bad('alliedAlignment', s.alliedAlignment, 0, 1);
  for (const l of LOOPHOLES) {
    bad(`${l}.openness`, s.loopholes[l].openness, 0, 1);
    bad(`${l}.evasion`, s.loopholes[l].evasion, 0, 1);
    bad(`${l}.flow`, s.loopholes[l].flow, 0, Number.MAX_VALUE);
  }
  for (const side of SIDES) {
    const st = s[side];
    bad(`${side}.intel`, st.intel, 0, 1);
    bad(`${side}.capability`, st.capability, 0, Number.MAX_VALUE);
    bad(`${side}.compute`, st.compute, 0, Number.MAX_VALUE);
    bad(`${side}.computePerRound`, st.computePerRound, 0, Number.MAX_VALUE);
    bad(`${side}.safety`, st.safety, 0, 100);
    bad(`${side}.efficiency`, st.efficiency, Number.MIN_VALUE, Number.MAX_VALUE);
    bad(`${side}.econCost`, st.econCost, 0, Number.MAX_VALUE);
    bad(`${side}.politicalCost`, st.politicalCost, 0, Number.MAX_VALUE);
    bad(`${side}.retaliationWindow`, st.retaliationWindow, 0, 2);
  }
  bad('round', s.round, 1, s.maxRounds);
}

function compliances(est: Estimates): [string, Estimate][] {
  const c: unknown = est.compliance;
  if (Array.isArray(c)) return c.map((x: Estimate & { agreementId: string }) => [x.agreementId, x]);
  return Object.entries(c as Record<string, Estimate>);
}

/** Agreements with a compliance estimate: in force or found violated (and, after the end, complied). */
const ESTIMATED = new Set(['in-force', 'violated', 'complied']);

/** Estimates are redrawn at the end of each round; they must bracket the truth as it was then. */
function checkEstimates(s: GameState, where: string): void {
  const roundOfEstimate = s.phase === 'ended' || s.history.metrics.length === 0 ? s.round : s.round - 1;
  const asThen = { ...s, round: roundOfEstimate };
  const within = (what: string, e: Estimate, truth: number) => {
    f.estimatesChecked++;
    const tol = 1e-9 * Math.max(1, Math.abs(truth));
    if (!(e.error >= 0 && Math.abs(e.value - truth) <= e.error + tol))
      report(f.estimates, `${where}: ${what} ${e.value} ± ${e.error} misses ${truth}`);
  };
  for (const observer of SIDES) {
    const target: Side = observer === 'us' ? 'china' : 'us';
    const est = s.estimates[observer];
    within(`${observer}→capability`, est.capability, s[target].capability);
    within(`${observer}→compute`, est.compute, s[target].compute);
    within(`${observer}→intel`, est.intel, s[target].intel);
    for (const l of LOOPHOLES) within(`${observer}→flow.${l}`, est.flows[l], s.loopholes[l].flow);
    const expectedIds = s.agreements
      .filter((a) => ESTIMATED.has(a.status) && a.inForceFrom !== null && a.inForceFrom <= roundOfEstimate)
      .map((a) => a.id)
      .sort();
    const got = compliances(est);
    if (JSON.stringify(got.map(([id]) => id).sort()) !== JSON.stringify(expectedIds))
      report(
        f.estimates,
        `${where}: ${observer} compliance estimates for ${got.map(([id]) => id)} not ${expectedIds}`,
      );
    for (const [id, e] of got) {
      const a = s.agreements.find((x) => x.id === id);
      if (a?.inForceFrom == null) continue;
      // The end closes agreements after the last estimates were drawn: one closed as violated then
      // (none of its breaches detected) was still in force when they were.
      const closedAtEnd =
        s.phase === 'ended' &&
        a.status === 'violated' &&
        !s.violations.some((v) => v.agreementId === id && v.detected);
      const asDrawn: Agreement = closedAtEnd ? { ...a, status: 'in-force' } : a;
      within(`${observer}→compliance.${id}`, e, trueCompliance(asThen, target, asDrawn));
    }
  }
}

/**
 * Keys are looked for in the view's JSON: a key `k` serializes as `"k":`, which no string value can
 * contain (its quotes would be escaped). Only a side's true `SideState` has `retaliationWindow`.
 */
const keyCount = (json: string, key: string) => json.split(`"${key}":`).length - 1;

const MARK: Record<Side, string> = { us: 'pending-us-marker', china: 'pending-china-marker' };

/** Views as the server would build them while both sides' orders wait (marked so a leak shows). */
function checkViews(s: GameState, where: string, pending: Record<Side, Order[]> | null): void {
  const probe: GameState = pending
    ? {
        ...s,
        pendingOrders: {
          us: pending.us.map((o) => ({ ...o, rationale: MARK.us })),
          china: pending.china.map((o) => ({ ...o, rationale: MARK.china })),
        },
      }
    : s;
  const ended = s.phase === 'ended';
  for (const side of SIDES) {
    const other: Side = side === 'us' ? 'china' : 'us';
    const v = playerView(probe, side);
    const json = JSON.stringify(v);
    if (keyCount(json, 'rng') > 0) report(f.sideViews, `${where}: ${side} view has rng`);
    if (ended) {
      if (!v.truth) report(f.sideViews, `${where}: ${side} gets no truth after the end`);
      continue;
    }
    if (v.truth !== null) report(f.sideViews, `${where}: ${side} view has truth before the end`);
    if (v.own?.side !== side || JSON.stringify(v.own.state) !== JSON.stringify(s[side]))
      report(f.sideViews, `${where}: ${side} view's own is not its side`);
    const sideStates = keyCount(json, 'retaliationWindow');
    if (sideStates !== 1) report(f.sideViews, `${where}: ${side} view holds ${sideStates} true side states`);
    if (pending && pending[other].length > 0 && json.includes(MARK[other]))
      report(f.sideViews, `${where}: ${side} view shows ${other}'s pending orders`);
    if (pending && pending[side].length > 0 && !json.includes(MARK[side]))
      report(f.sideViews, `${where}: ${side} view lacks its own pending orders`);
    if (side === 'us' && keyCount(json, 'evasion') > 0)
      report(f.sideViews, `${where}: US view shows evasion`);
  }
  // The facilitator's view is the largest (the whole truth): `rng` can only sit at the top of the
  // state, so a shallow look at the truth and a search of the rest is enough.
  const fac = playerView(probe, 'facilitator');
  if (!fac.truth) report(f.otherViews, `${where}: facilitator gets no truth`);
  else if (Object.hasOwn(fac.truth, 'rng')) report(f.otherViews, `${where}: facilitator truth has rng`);
  if (keyCount(JSON.stringify({ ...fac, truth: null }), 'rng') > 0)
    report(f.otherViews, `${where}: facilitator view has rng`);
  const obs = playerView(probe, 'observer');
  const json = JSON.stringify(obs);
  if (keyCount(json, 'rng') > 0) report(f.otherViews, `${where}: observer view has rng`);
  if (ended) {
    if (!obs.truth) report(f.otherViews, `${where}: observer gets no truth after the end`);
    return;
  }
  if (obs.truth !== null || obs.own !== null || keyCount(json, 'retaliationWindow') > 0)
    report(f.otherViews, `${where}: observer sees hidden values`);
  if (json.includes(MARK.us) || json.includes(MARK.china))
    report(f.otherViews, `${where}: observer sees pending orders`);
}

/**
 * The server stores, exports and replays games as JSON, which writes -0 as 0 and NaN or Infinity as
 * null: a state holding one would not equal its own replay from the export.
 */
function checkJson(v: unknown, path: string): void {
  if (typeof v === 'number') {
    if (Object.is(v, -0) || !Number.isFinite(v)) report(f.json, `${path} = ${Object.is(v, -0) ? '-0' : v}`);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) checkJson(v[i], `${path}[${i}]`);
  } else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) checkJson(x, `${path}.${k}`);
}

const PRIVATE_OF_CHINA = /^(china\.|loophole\.[^.]+\.(evasion|flow)$)/;
const PRIVATE_OF_US = /^us\./;

function checkLogs(s: GameState, given: Map<number, Record<Side, Order[]>>, where: string): void {
  const h = s.history;
  for (const log of h.public) {
    for (const o of log.orders) {
      if (getMove(o.move)?.covert)
        report(f.logs, `${where} r${log.round}: public log shows covert ${o.move}`);
      if (o.rationale !== undefined) report(f.logs, `${where} r${log.round}: public log shows a rationale`);
    }
    for (const c of log.changes) {
      if (PRIVATE_OF_CHINA.test(c.variable) || PRIVATE_OF_US.test(c.variable))
        report(f.logs, `${where} r${log.round}: public log shows ${c.variable}`);
      const m = c.cause.startsWith('move.') ? getMove(c.cause.slice(5)) : undefined;
      if (m?.covert) report(f.logs, `${where} r${log.round}: public log names covert cause ${c.cause}`);
    }
    const g = given.get(log.round);
    if (g) {
      const shown = (o: Order, side: Side) => {
        const { rationale: _why, ...rest } = o;
        return { ...rest, side };
      };
      const overt = [...g.us.map((o) => shown(o, 'us')), ...g.china.map((o) => shown(o, 'china'))].filter(
        (o) => !getMove(o.move)?.covert,
      );
      if (JSON.stringify(log.orders) !== JSON.stringify(overt))
        report(f.logs, `${where} r${log.round}: public orders are not the overt orders given`);
    }
  }
  for (const side of SIDES) {
    const foreign = side === 'us' ? PRIVATE_OF_CHINA : PRIVATE_OF_US;
    for (const log of h[side]) {
      for (const c of log.changes)
        if (foreign.test(c.variable))
          report(f.logs, `${where} r${log.round}: ${side} log shows ${c.variable}`);
      if (log.orders.some((o) => o.side !== side))
        report(f.logs, `${where} r${log.round}: ${side} log shows the other side's orders`);
      const g = given.get(log.round);
      if (g && JSON.stringify(log.orders.map(({ side: _s, ...o }) => o)) !== JSON.stringify(g[side]))
        report(f.logs, `${where} r${log.round}: ${side} log does not hold its own orders`);
    }
  }
  if (h.public.length !== h.us.length || h.public.length !== h.china.length)
    report(f.logs, `${where}: logs of different lengths`);
}

function pairings(): { us: (i: number) => Bot; china: (i: number) => Bot; name: string }[] {
  const list: { us: (i: number) => Bot; china: (i: number) => Bot; name: string }[] = [];
  for (const u of US_BOTS)
    for (const c of CHINA_BOTS) list.push({ us: () => u, china: () => c, name: `${u.id}/${c.id}` });
  const rUs = (i: number) => randomBot('us', `rus:${i}`);
  const rCn = (i: number) => randomBot('china', `rcn:${i}`);
  const deceive = CHINA_BOTS.find((b) => b.id === 'deceive') ?? CHINA_BOTS[0];
  const pressure = US_BOTS.find((b) => b.id === 'max-pressure') ?? US_BOTS[0];
  if (deceive && pressure) {
    list.push({ us: rUs, china: () => deceive, name: 'random/deceive' });
    list.push({ us: () => pressure, china: rCn, name: 'max-pressure/random' });
  }
  list.push({ us: rUs, china: rCn, name: 'random/random' });
  list.push({ us: rUs, china: rCn, name: 'random/random' });
  return list;
}

beforeAll(() => {
  const scenarios: Record<string, Scenario> = {
    [SHORT]: builtinScenario(SHORT),
    [BASELINE]: builtinScenario(BASELINE),
  };
  const pairs = pairings();
  for (let i = 0; i < GAMES; i++) {
    const pair = pairs[i % pairs.length];
    if (!pair) continue;
    const scenarioId = i % 4 === 0 ? BASELINE : SHORT;
    const seed = `prop:${i}`;
    const where = `${scenarioId} ${pair.name} seed ${seed}`;
    const given = new Map<number, Record<Side, Order[]>>();
    let step = 0;
    const s = playSteps(scenarios[scenarioId] as Scenario, pair.us(i), pair.china(i), seed, {
      orders: (st, orders) => {
        given.set(st.round, orders);
        for (const side of SIDES)
          f.covertOrdersGiven += orders[side].filter((o) => getMove(o.move)?.covert).length;
        checkViews(st, `${where} r${st.round} orders`, orders);
      },
      crisis: (st) => checkViews(st, `${where} r${st.round} crisis`, null),
      state: (st) => {
        step++;
        f.steps++;
        const at = `${where} step ${step}`;
        checkBounds(st, at);
        if (st.phase !== 'crisis') checkEstimates(st, at);
        if (st.phase === 'ended') checkViews(st, at, null);
      },
    });
    f.games++;
    if (s.phase !== 'ended' || !s.outcome) report(f.ending, `${where}: did not end (phase ${s.phase})`);
    else {
      f.outcomes[s.outcome.id] = (f.outcomes[s.outcome.id] ?? 0) + 1;
      if (!(OUTCOMES as readonly string[]).includes(s.outcome.id))
        report(f.ending, `${where}: unknown outcome ${s.outcome.id}`);
      if (s.outcome.round !== s.round)
        report(f.ending, `${where}: outcome round ${s.outcome.round} ≠ ${s.round}`);
      if ((s.outcome.id === 'catastrophe') !== s.risk >= s.params.risk.limit)
        report(f.ending, `${where}: catastrophe iff risk at the limit`);
      if (s.outcome.id !== 'catastrophe' && s.round !== s.maxRounds)
        report(f.ending, `${where}: ended early without catastrophe`);
      if (s.agreements.some((a) => a.status === 'in-force' || a.status === 'accepted'))
        report(f.ending, `${where}: an agreement is left open at the end`);
      if (
        s.outcome.id === 'verified-agreement' &&
        !s.agreements.some((a) => a.status === 'complied' && a.type !== 'hotline')
      )
        report(f.ending, `${where}: verified agreement without a complied agreement`);
      if (!Number.isFinite(s.outcome.scores.us) || !Number.isFinite(s.outcome.scores.china))
        report(f.ending, `${where}: scores not finite`);
    }
    if (s.history.metrics.length !== s.round)
      report(f.ending, `${where}: ${s.history.metrics.length} metrics rows for ${s.round} rounds`);
    checkLogs(s, given, where);
    checkJson(s, where);
  }
  // Generous: a slow, busy CI machine may take many times longer than a laptop.
}, 600_000);

describe(`properties over ${GAMES} games`, () => {
  it('plays every game to the end', () => {
    expect(f.games).toBe(GAMES);
    expect(f.steps).toBeGreaterThan(GAMES * 2);
  });

  it('every game ends with an outcome, catastrophe exactly when risk reaches its limit', () => {
    expect(f.ending).toEqual([]);
    expect(Object.values(f.outcomes).reduce((a, b) => a + b, 0)).toBe(GAMES);
    expect(Object.keys(f.outcomes).length).toBeGreaterThanOrEqual(2);
  });

  it('every final state survives a JSON round trip: no -0, NaN or Infinity anywhere', () => {
    expect(f.json).toEqual([]);
  });

  it('every meter stays within its bounds at every step', () => {
    expect(f.bounds).toEqual([]);
  });

  it('estimates always contain the truth within ± error', () => {
    expect(f.estimatesChecked).toBeGreaterThan(GAMES * 20);
    expect(f.estimates).toEqual([]);
  });

  it('a side’s view never holds rng, the truth, the other side’s true state or its pending orders before the end', () => {
    expect(f.sideViews).toEqual([]);
  });

  it('observers get no truth before the end; the facilitator gets the truth but never rng', () => {
    expect(f.otherViews).toEqual([]);
  });

  it('the public log never holds covert orders or another side’s private changes; each side’s log holds its own orders', () => {
    expect(f.covertOrdersGiven).toBeGreaterThan(0);
    expect(f.logs).toEqual([]);
  });
});
