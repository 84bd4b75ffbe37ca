import { describe, expect, it } from 'vitest';
import { EVENT_IDS } from '../../shared/rules/events.ts';
import { parseScenario } from '../../shared/rules/scenario.ts';
import { createGame } from '../../shared/rules/setup.ts';
import {
  BUILTIN_SCENARIOS,
  builtinLookup,
  builtinScenario,
  loadScenario,
} from '../../shared/scenarios/index.ts';
import { scenarioTitle } from '../../shared/scenarios/titles.ts';
import { BASELINE, must, SHORT } from './helpers.ts';

/** A private copy of the raw baseline JSON to break. */
function rawBaseline(): Record<string, unknown> {
  return structuredClone(BUILTIN_SCENARIOS[BASELINE]) as Record<string, unknown>;
}

/** Navigates a raw scenario by a dotted path and returns the object holding the last key. */
function holder(raw: Record<string, unknown>, path: string): { obj: Record<string, unknown>; key: string } {
  const parts = path.split('.');
  const key = parts.pop() ?? '';
  let obj = raw;
  for (const p of parts) obj = obj[p] as Record<string, unknown>;
  return { obj, key };
}

function errorsFor(raw: unknown, lookup = builtinLookup): string[] {
  const r = parseScenario(raw, lookup);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

describe('built-in scenarios', () => {
  it('are validated once and frozen: every game shares one read-only scenario', () => {
    const a = builtinScenario(BASELINE);
    expect(builtinScenario(BASELINE)).toBe(a);
    expect(Object.isFrozen(a.model.risk)).toBe(true);
    expect(() => {
      (a.model.risk as { limit: number }).limit = 1;
    }).toThrow(TypeError);
    expect(a.model.risk.limit).not.toBe(1);
    // A game made from it still plays: the rules copy what they change.
    expect(createGame(a, 1).risk).toBe(a.start.risk);
  });

  it('both load; classroom-short has 6 rounds and baseline-2026 has 12', () => {
    expect(Object.keys(BUILTIN_SCENARIOS).sort()).toEqual([BASELINE, SHORT].sort());
    for (const id of Object.keys(BUILTIN_SCENARIOS)) {
      const r = loadScenario(BUILTIN_SCENARIOS[id]);
      expect(r.ok, id).toBe(true);
      if (r.ok) expect(r.scenario.id).toBe(id);
    }
    expect(builtinScenario(SHORT).rounds).toBe(6);
    expect(builtinScenario(BASELINE).rounds).toBe(12);
  });

  it('classroom-short inherits the baseline model and changes only what it states', () => {
    const base = builtinScenario(BASELINE);
    const short = builtinScenario(SHORT);
    expect(short.model).toEqual(base.model);
    expect(short.start.us).toEqual(base.start.us);
    expect(short.start.china).toEqual(base.start.china);
    expect(short.start.loopholes).toEqual(base.start.loopholes);
    for (const id of short.events.disabled) expect(EVENT_IDS).toContain(id);
  });

  it('the baseline carries the op-ed’s starting facts: the US leads and China has a small share of US compute', () => {
    const base = builtinScenario(BASELINE);
    expect(base.start.us.capability).toBeGreaterThan(base.start.china.capability);
    expect(base.start.china.computePerRound).toBeLessThan(base.start.us.computePerRound * 0.1);
    expect(Object.keys(base.start.loopholes).sort()).toEqual([
      'allowedChips',
      'cloud',
      'fabEquipment',
      'smuggling',
    ]);
  });

  it('scenarioTitle gives each built-in scenario’s title, and any other id as it is', () => {
    for (const id of ['baseline-2026', 'classroom-short'])
      expect(scenarioTitle(id)).toBe(builtinScenario(id).title);
    expect(scenarioTitle('my-variant')).toBe('my-variant');
  });

  it('builtinScenario throws for an unknown id, naming the known ones', () => {
    expect(() => builtinScenario('nowhere')).toThrow(/nowhere.*baseline-2026/);
  });

  it('createGame starts from the scenario', () => {
    const sc = builtinScenario(SHORT);
    const s = createGame(sc, 'x');
    expect(s.maxRounds).toBe(sc.rounds);
    expect(s.round).toBe(1);
    expect(s.phase).toBe('orders');
    expect(s.talks.open).toBe(sc.start.talksOpen);
    expect(s.trust).toBe(sc.start.trust);
    expect(s.risk).toBe(sc.start.risk);
    expect(s.startLead).toBe(sc.start.us.capability - sc.start.china.capability);
    expect(s.us.capability).toBe(sc.start.us.capability);
    expect(s.china.compute).toBe(sc.start.china.compute);
    expect(s.loopholes.cloud.openness).toBe(sc.start.loopholes.cloud.openness);
    expect(createGame(sc, 'x', 3).maxRounds).toBe(3);
  });
});

describe('bad scenario files', () => {
  const cases: { name: string; path: string; value: unknown; mentions?: string }[] = [
    { name: 'missing field', path: 'rounds', value: undefined },
    { name: 'missing nested field', path: 'model.risk.limit', value: undefined },
    { name: 'wrong type', path: 'start.us.capability', value: 'lots' },
    { name: 'wrong type (boolean)', path: 'start.talksOpen', value: 'yes' },
    { name: 'out of range (trust above 100)', path: 'start.trust', value: 150 },
    { name: 'out of range (share above 1)', path: 'start.loopholes.cloud.openness', value: 1.5 },
    { name: 'out of range (negative)', path: 'model.growth.baseMonthsPerRound', value: -1 },
    { name: 'above the meter’s bound (capability)', path: 'start.china.capability', value: 2e6 },
    { name: 'above the meter’s bound (compute)', path: 'start.us.compute', value: 2e9 },
    { name: 'above the meter’s bound (production)', path: 'start.us.computePerRound', value: 2e6 },
    { name: 'not an integer', path: 'rounds', value: 6.5 },
    { name: 'bad id', path: 'id', value: 'Not An Id!' },
  ];
  for (const c of cases) {
    it(`${c.name}: the error names ${c.path}`, () => {
      const raw = rawBaseline();
      const { obj, key } = holder(raw, c.path);
      if (c.value === undefined) delete obj[key];
      else obj[key] = c.value;
      const errors = errorsFor(raw);
      expect(
        errors.some((e) => e.startsWith(`${c.path}: `)),
        errors.join('\n'),
      ).toBe(true);
    });
  }

  it('a risk floor at or above the limit, or a start outside them, is refused naming the field', () => {
    const base = builtinScenario(BASELINE);
    const limit = base.model.risk.limit;
    const floorHigh = errorsFor({
      extends: BASELINE,
      id: 'floor-high',
      model: { risk: { floor: limit, limit } },
    });
    expect(floorHigh.some((e) => e.startsWith('model.risk.floor: '))).toBe(true);
    const startHigh = errorsFor({ extends: BASELINE, id: 'start-high', start: { risk: limit } });
    expect(startHigh.some((e) => e.startsWith('start.risk: '))).toBe(true);
    if (base.model.risk.floor > 0) {
      const startLow = errorsFor({
        extends: BASELINE,
        id: 'start-low',
        start: { risk: base.model.risk.floor / 2 },
      });
      expect(startLow.some((e) => e.startsWith('start.risk: '))).toBe(true);
    }
  });

  it('unknown extra key: the error names the path and the key', () => {
    const raw = rawBaseline();
    (raw.start as { us: Record<string, unknown> }).us.morale = 3;
    const errors = errorsFor(raw);
    expect(
      errors.some((e) => e.startsWith('start.us') && e.includes('morale')),
      errors.join('\n'),
    ).toBe(true);
    const top = rawBaseline();
    top.colour = 'red';
    expect(errorsFor(top).some((e) => e.includes('colour'))).toBe(true);
  });

  it('unknown event id in events.weights or events.disabled: the error names it', () => {
    const raw = rawBaseline();
    raw.events = {
      chancePerRound: 0.5,
      weights: { 'alien-contact': 2 },
      disabled: [EVENT_IDS[0], 'moon-landing'],
    };
    const errors = errorsFor(raw);
    expect(errors).toContain('events.weights.alien-contact: no event with this id');
    expect(errors.some((e) => e.startsWith('events.disabled.1') && e.includes('moon-landing'))).toBe(true);
    expect(errors).toHaveLength(2);
  });

  it('extends of an unknown id, or a non-string extends, is refused naming extends', () => {
    expect(errorsFor({ extends: 'no-such-scenario', id: 'x1' })).toEqual([
      expect.stringMatching(/^extends: .*no-such-scenario/),
    ]);
    expect(errorsFor({ extends: 42 })[0]).toMatch(/^extends: /);
  });

  it('a non-object is refused at the root', () => {
    expect(errorsFor([1, 2])[0]).toMatch(/^\(root\)/);
    expect(errorsFor('baseline')[0]).toMatch(/^\(root\)/);
  });

  it('a broken variant names the field path of its own override', () => {
    const errors = errorsFor({ extends: BASELINE, id: 'broken-variant', start: { trust: 500 } });
    expect(errors.some((e) => e.startsWith('start.trust: '))).toBe(true);
  });

  it('a broken parent is reported as such', () => {
    const lookup = (id: string) => (id === 'bad-parent' ? { id: 'bad-parent' } : builtinLookup(id));
    const errors = errorsFor({ extends: 'bad-parent', id: 'child-one' }, lookup);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith('in parent "bad-parent": '))).toBe(true);
  });

  it('a cycle of extends stops with an error instead of looping', () => {
    const raws: Record<string, unknown> = {
      'loop-a': { extends: 'loop-b', id: 'loop-a' },
      'loop-b': { extends: 'loop-a', id: 'loop-b' },
    };
    const errors = errorsFor(raws['loop-a'], (id) => raws[id]);
    expect(errors.join('\n')).toContain('extends');
  });
});

describe('variants', () => {
  it('a variant that extends baseline-2026 with one changed number loads and carries the change', () => {
    const base = builtinScenario(BASELINE);
    const limit = base.model.risk.limit + 25;
    const r = loadScenario({
      extends: BASELINE,
      id: 'high-ceiling',
      title: 'Higher risk ceiling',
      model: { risk: { limit } },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.id).toBe('high-ceiling');
    expect(r.scenario.model.risk.limit).toBe(limit);
    expect({ ...r.scenario.model.risk, limit: base.model.risk.limit }).toEqual(base.model.risk);
    expect(r.scenario.start).toEqual(base.start);
    expect(r.scenario.rounds).toBe(base.rounds);
    expect(createGame(r.scenario, 1).params.risk.limit).toBe(limit);
  });

  it('a variant may extend a variant, and arrays replace rather than merge', () => {
    const short = builtinScenario(SHORT);
    const first = must(EVENT_IDS[0]);
    const r = loadScenario({ extends: SHORT, id: 'short-no-first', events: { disabled: [first] } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.rounds).toBe(short.rounds);
    expect(r.scenario.events.disabled).toEqual([first]);
    expect(r.scenario.events.chancePerRound).toBe(short.events.chancePerRound);
  });

  it('loading does not change the built-in scenarios', () => {
    const before = structuredClone(BUILTIN_SCENARIOS);
    loadScenario({ extends: BASELINE, id: 'mutator', model: { risk: { limit: 7 } } });
    builtinScenario(SHORT);
    expect(BUILTIN_SCENARIOS).toEqual(before);
  });
});
