import { describe, expect, it } from 'vitest';
import { HIDDEN_CAUSE } from '../../shared/rules/context.ts';
import { AGREEMENT_TYPES, type AgreementType, LOOPHOLES, type Side } from '../../shared/rules/ids.ts';
import { getMove, MOVE_CATALOGUE, movesFor } from '../../shared/rules/moves.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import type { GameState, Order } from '../../shared/rules/state.ts';
import {
  addAgreement,
  clamp,
  game,
  lastLog,
  must,
  notesText,
  quiet,
  records,
  resolve,
  rngWhereFirstRoll,
  sumDelta,
} from './helpers.ts';

/** A quiet game (no crisis draws) with room in both budgets, shaped by `mod`. */
function setup(mod?: (s: GameState) => void): GameState {
  const s = quiet(game());
  s.us.budget = 50;
  s.china.budget = 50;
  mod?.(s);
  return s;
}

function play(s: GameState, side: Side, orders: Order[]): GameState {
  return side === 'us' ? resolve(s, orders, []) : resolve(s, [], orders);
}

const rec = (s: GameState, log: 'public' | Side, move: string, variable?: string) =>
  records(s, log, `move.${move}`, variable);

/** Asserts validateOrders refuses the single order with a precondition error naming it. */
function expectPrecondition(s: GameState, side: Side, order: Order, fragment: string | RegExp): void {
  const r = validateOrders(s, side, [order]);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toMatchObject({ code: 'precondition', index: 0, move: order.move });
  const msg = r.errors[0]?.message ?? '';
  expect(msg.startsWith(`order 1 (${must(getMove(order.move)).name}): `)).toBe(true);
  if (typeof fragment === 'string') expect(msg).toContain(fragment);
  else expect(msg).toMatch(fragment);
}

/** For moves with no precondition of their own: only the budget can refuse them. */
function expectOnlyBudgetRefuses(side: Side, move: string, extreme: (s: GameState) => void): void {
  const cost = must(getMove(move)).cost;
  const s = setup(extreme);
  s[side].budget = cost;
  expect(validateOrders(s, side, [{ move }])).toEqual({ ok: true, orders: [{ move }] });
  s[side].budget = cost - 1;
  const r = validateOrders(s, side, [{ move }]);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.errors.map((e) => e.code)).toEqual(['over-budget']);
}

function typeWhere(pred: (t: AgreementType) => boolean): AgreementType {
  return must(
    AGREEMENT_TYPES.find((t) => pred(t)),
    'agreement type',
  );
}

const minorType = (s: GameState) => typeWhere((t) => !s.params.agreements[t].major);
const majorType = (s: GameState) => typeWhere((t) => s.params.agreements[t].major);
const cheatableType = (s: GameState) =>
  typeWhere(
    (t) => s.params.agreements[t].cheatCapabilityGain > 0 && s.params.agreements[t].cheatRiskPerRound > 0,
  );

const TESTED = [
  'open-talks',
  'propose-agreement',
  'accept-agreement',
  'reject-agreement',
  'violate-agreement',
  'punish-violation',
  'tighten-loophole',
  'ease-loophole',
  'allied-coordination',
  'enforcement-surge',
  'evasion-network',
  'stockpile-chips',
  'mineral-retaliation',
  'court-allies',
  'domestic-chips',
  'compute-buildout',
  'frontier-training',
  'algorithmic-efficiency',
  'safety-research',
  'intel-verification',
];

describe('move catalogue', () => {
  it('has unique ids and every move is covered by a test below', () => {
    const ids = MOVE_CATALOGUE.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...TESTED].sort());
  });

  it('gives each side at least three moves on every track it plays, and only covert moves are hidden', () => {
    for (const side of ['us', 'china'] as const) {
      const mine = movesFor(side);
      expect(mine.length).toBeGreaterThanOrEqual(9);
      for (const track of ['controls', 'dialogue', 'development'] as const)
        expect(mine.filter((m) => m.track === track).length).toBeGreaterThanOrEqual(3);
    }
    expect(
      MOVE_CATALOGUE.filter((m) => m.covert)
        .map((m) => m.id)
        .sort(),
    ).toEqual(['evasion-network', 'violate-agreement']);
  });

  it('a move that an earlier order this round made impossible is not carried out, with a note to its side', () => {
    const s = setup((s) => {
      s.talks = { open: false, scope: 'safety' };
    });
    const after = resolve(
      s,
      [{ move: 'open-talks', scope: 'safety' }],
      [{ move: 'open-talks', scope: 'safety' }],
    );
    expect(after.talks).toEqual({ open: true, scope: 'safety' });
    expect(rec(after, 'public', 'open-talks')).toHaveLength(1);
    expect(notesText(after, 'china')).toContain('open-talks');
  });
});

describe('open-talks', () => {
  it('opens talks on the chosen scope and raises trust once', () => {
    const s = setup((s) => {
      s.talks = { open: false, scope: 'safety' };
      s.trust = 50;
    });
    const after = play(s, 'us', [{ move: 'open-talks', scope: 'broad' }]);
    expect(after.talks).toEqual({ open: true, scope: 'broad' });
    const expected = clamp(50 + s.params.trust.talks, 0, 100);
    expect(after.trust).toBeCloseTo(expected);
    expect(sumDelta(rec(after, 'public', 'open-talks', 'trust'))).toBeCloseTo(expected - 50);
    expect(rec(after, 'public', 'open-talks').every((c) => c.side === 'us')).toBe(true);
  });

  it('keeps export controls off the table when the other side asks for safety only', () => {
    const s = setup((s) => {
      s.talks = { open: false, scope: 'safety' };
      s.trust = 50;
    });
    const after = resolve(
      s,
      [{ move: 'open-talks', scope: 'broad' }],
      [{ move: 'open-talks', scope: 'safety' }],
    );
    expect(after.talks).toEqual({ open: true, scope: 'safety' });
    expect(after.trust).toBeCloseTo(clamp(50 + s.params.trust.talks, 0, 100));
  });

  it('reframes open talks without a second trust gain', () => {
    const s = setup((s) => {
      s.talks = { open: true, scope: 'safety' };
      s.trust = 50;
    });
    const after = play(s, 'china', [{ move: 'open-talks', scope: 'broad' }]);
    expect(after.talks).toEqual({ open: true, scope: 'broad' });
    expect(after.trust).toBe(50);
  });

  it('is refused when talks are already open on that scope, or without a scope', () => {
    const s = setup((s) => {
      s.talks = { open: true, scope: 'safety' };
    });
    expectPrecondition(s, 'us', { move: 'open-talks', scope: 'safety' }, 'already open on safety only');
    expectPrecondition(s, 'china', { move: 'open-talks' }, 'choose a scope');
  });
});

describe('propose-agreement', () => {
  it('puts a proposal on the table with a new id', () => {
    const s = setup((s) => {
      s.talks = { open: true, scope: 'safety' };
    });
    const type = minorType(s);
    const n = s.nextAgreementNumber;
    const after = play(s, 'us', [{ move: 'propose-agreement', agreement: type }]);
    expect(after.agreements).toEqual([
      {
        id: `a${n}`,
        type,
        proposedBy: 'us',
        proposedRound: 1,
        status: 'proposed',
        inForceFrom: null,
        violatedRound: null,
        violator: null,
      },
    ]);
    expect(after.nextAgreementNumber).toBe(n + 1);
    expect(notesText(after, 'public')).toContain(`a${n}`);
  });

  it('is refused with talks closed, for a major agreement without trust or crisis, when already live, or without a type', () => {
    const s = setup((s) => {
      s.talks = { open: false, scope: 'safety' };
    });
    const minor = minorType(s);
    expectPrecondition(s, 'us', { move: 'propose-agreement', agreement: minor }, 'talks must be open');
    s.talks = { open: true, scope: 'safety' };
    s.trust = s.params.verification.majorTrustThreshold - 1;
    s.crisisSurvived = false;
    const major = majorType(s);
    expectPrecondition(s, 'china', { move: 'propose-agreement', agreement: major }, 'major agreement');
    s.trust = s.params.verification.majorTrustThreshold;
    expect(validateOrders(s, 'china', [{ move: 'propose-agreement', agreement: major }]).ok).toBe(true);
    addAgreement(s, minor, 'proposed', 'p1', 'us');
    expectPrecondition(s, 'us', { move: 'propose-agreement', agreement: minor }, 'already proposed');
    expectPrecondition(s, 'us', { move: 'propose-agreement' }, 'choose an agreement type');
  });
});

describe('accept-agreement', () => {
  it('accepts the other side’s proposal: trust rises, it enters into force from the next round', () => {
    const s = setup((s) => {
      s.talks = { open: true, scope: 'safety' };
      s.trust = 40;
      s.risk = 50;
    });
    const type = minorType(s);
    addAgreement(s, type, 'proposed', 'a7', 'us');
    const after = play(s, 'china', [{ move: 'accept-agreement', agreementId: 'a7' }]);
    const a = must(after.agreements.find((x) => x.id === 'a7'));
    expect(a.status).toBe('in-force');
    expect(a.inForceFrom).toBe(2);
    expect(after.round).toBe(2);
    const trust = records(after, 'public', `agreement.${type}.accepted`);
    expect(trust).toHaveLength(s.params.trust.agreement === 0 ? 0 : 1);
    expect(sumDelta(trust)).toBeCloseTo(s.params.trust.agreement);
    expect(trust.every((c) => c.side === 'china')).toBe(true);
    expect(after.trust).toBeCloseTo(40 + s.params.trust.agreement);
    expect(sumDelta(records(after, 'public', `agreement.${type}.entry`, 'risk'))).toBeCloseTo(
      s.params.agreements[type].riskOnEntry,
    );
  });

  it('is refused for one’s own proposal, an unknown id or an agreement not proposed', () => {
    const s = setup();
    const type = minorType(s);
    addAgreement(s, type, 'proposed', 'a3', 'china');
    expectPrecondition(
      s,
      'china',
      { move: 'accept-agreement', agreementId: 'a3' },
      'cannot accept your own proposal',
    );
    expectPrecondition(
      s,
      'us',
      { move: 'accept-agreement', agreementId: 'zz9' },
      'no agreement with id "zz9"',
    );
    addAgreement(s, majorType(s), 'in-force', 'a4');
    expectPrecondition(s, 'us', { move: 'accept-agreement', agreementId: 'a4' }, 'is in-force, not proposed');
  });
});

describe('reject-agreement', () => {
  it('turns a proposal down and lowers trust', () => {
    const s = setup((s) => {
      s.trust = 40;
    });
    addAgreement(s, minorType(s), 'proposed', 'a2', 'china');
    const after = play(s, 'us', [{ move: 'reject-agreement', agreementId: 'a2' }]);
    expect(must(after.agreements.find((a) => a.id === 'a2')).status).toBe('rejected');
    const r = rec(after, 'public', 'reject-agreement', 'trust');
    expect(r).toHaveLength(1);
    expect(r[0]?.delta).toBeLessThan(0);
    expect(r[0]?.side).toBe('us');
    expect(after.trust).toBeCloseTo(40 + sumDelta(r));
    const notes = notesText(after, 'public');
    expect(notes).toContain('a2');
    expect(notes).toContain('rejected');
  });

  it('is refused for one’s own proposal or a missing agreement', () => {
    const s = setup();
    addAgreement(s, minorType(s), 'proposed', 'a2', 'china');
    expectPrecondition(
      s,
      'china',
      { move: 'reject-agreement', agreementId: 'a2' },
      'cannot reject your own proposal',
    );
    expectPrecondition(s, 'us', { move: 'reject-agreement' }, 'no agreement with id ""');
  });
});

describe('violate-agreement (covert)', () => {
  it('gains capability and risk in secret; undetected, the agreement stays in force', () => {
    const s = setup((s) => {
      s.risk = 50;
    });
    const type = cheatableType(s);
    const terms = s.params.agreements[type];
    addAgreement(s, type, 'in-force', 'v1');
    s.rng = rngWhereFirstRoll((r) => r > 0.96); // above any detection chance (capped at 0.95)
    const after = play(s, 'china', [
      { move: 'violate-agreement', agreementId: 'v1', rationale: 'they will not see it' },
    ]);
    expect(after.violations).toEqual([{ agreementId: 'v1', side: 'china', round: 1, detected: false }]);
    expect(must(after.agreements.find((a) => a.id === 'v1')).status).toBe('in-force');
    expect(sumDelta(rec(after, 'china', 'violate-agreement', 'china.capability'))).toBeCloseTo(
      terms.cheatCapabilityGain,
    );
    expect(sumDelta(rec(after, 'china', 'violate-agreement', 'risk'))).toBeCloseTo(terms.cheatRiskPerRound);
    // The public sees risk move, but not why or by whom.
    expect(rec(after, 'public', 'violate-agreement')).toEqual([]);
    const hidden = records(after, 'public', HIDDEN_CAUSE, 'risk');
    expect(sumDelta(hidden)).toBeCloseTo(terms.cheatRiskPerRound);
    expect(hidden.every((c) => c.side === null)).toBe(true);
    expect(rec(after, 'us', 'violate-agreement')).toEqual([]);
    // Covert: absent from the public orders, present in China's own log.
    expect(lastLog(after, 'public').orders.some((o) => o.move === 'violate-agreement')).toBe(false);
    expect(lastLog(after, 'china').orders).toEqual([
      { move: 'violate-agreement', agreementId: 'v1', rationale: 'they will not see it', side: 'china' },
    ]);
    expect(JSON.stringify(after.history.public)).not.toContain('they will not see it');
    expect(JSON.stringify(after.history.us)).not.toContain('violate-agreement');
  });

  it('is refused for an agreement not in force, one with nothing to gain, or an unknown id', () => {
    const s = setup();
    const type = cheatableType(s);
    addAgreement(s, type, 'proposed', 'v2', 'us');
    expectPrecondition(
      s,
      'china',
      { move: 'violate-agreement', agreementId: 'v2' },
      'is proposed, not in force',
    );
    const other = typeWhere((t) => t !== type);
    s.params.agreements[other].cheatCapabilityGain = 0;
    addAgreement(s, other, 'in-force', 'v3');
    expectPrecondition(s, 'us', { move: 'violate-agreement', agreementId: 'v3' }, 'nothing to gain');
    expectPrecondition(
      s,
      'us',
      { move: 'violate-agreement', agreementId: 'nope' },
      'no agreement with id "nope"',
    );
  });
});

describe('punish-violation', () => {
  it('costs the other side money and capability, lowers trust and closes the window', () => {
    const s = setup((s) => {
      s.us.retaliationWindow = 1;
      s.trust = 50;
      s.china.econCost = 0;
    });
    const after = play(s, 'us', [{ move: 'punish-violation' }]);
    const econ = rec(after, 'china', 'punish-violation', 'china.econCost');
    const cap = rec(after, 'china', 'punish-violation', 'china.capability');
    expect(sumDelta(econ)).toBeGreaterThan(0);
    expect(sumDelta(cap)).toBeLessThan(0);
    expect([...econ, ...cap].every((c) => c.side === 'us')).toBe(true);
    expect(after.china.econCost).toBeCloseTo(sumDelta(econ));
    expect(after.trust).toBeCloseTo(clamp(50 + s.params.trust.retaliation, 0, 100));
    expect(after.us.retaliationWindow).toBe(0);
    expect(rec(after, 'us', 'punish-violation')).toEqual([]);
  });

  it('is refused without an open retaliation window', () => {
    const s = setup();
    expectPrecondition(s, 'us', { move: 'punish-violation' }, 'only after catching the other side');
    expectPrecondition(s, 'china', { move: 'punish-violation' }, 'only after catching the other side');
  });
});

describe('tighten-loophole', () => {
  it('narrows a chips or cloud channel by the full step, costs trust and US sales', () => {
    const s = setup((s) => {
      s.loopholes.allowedChips.openness = 1;
      s.initialOpenness = { ...s.initialOpenness, allowedChips: 1 };
      s.trust = 50;
    });
    const step = s.params.controls.stepPerOrder;
    const after = play(s, 'us', [{ move: 'tighten-loophole', loophole: 'allowedChips' }]);
    expect(after.loopholes.allowedChips.openness).toBeCloseTo(clamp(1 - step, 0, 1));
    expect(sumDelta(rec(after, 'public', 'tighten-loophole', 'loophole.allowedChips.openness'))).toBeCloseTo(
      -step,
    );
    expect(after.trust).toBeCloseTo(clamp(50 + s.params.trust.tighten, 0, 100));
    expect(after.us.econCost).toBeCloseTo(s.params.controls.lostSalesPerClosure.allowedChips * step);
    expect(after.us.politicalCost).toBe(0);
  });

  it('on equipment and transit, bites harder and strains allies less the more aligned they are', () => {
    const c = setup().params.controls;
    const drops: number[] = [];
    for (const alignment of [0.2, 1]) {
      const s = setup((s) => {
        s.loopholes.fabEquipment.openness = 1;
        s.alliedAlignment = alignment;
      });
      const after = play(s, 'us', [{ move: 'tighten-loophole', loophole: 'fabEquipment' }]);
      const drop = 1 - after.loopholes.fabEquipment.openness;
      drops.push(drop);
      expect(drop).toBeCloseTo(
        c.stepPerOrder * (c.alignmentLeverage + (1 - c.alignmentLeverage) * alignment),
      );
      expect(sumDelta(rec(after, 'us', 'tighten-loophole', 'us.politicalCost'))).toBeCloseTo(
        c.allyFrictionPerClosure * (1 - alignment),
      );
    }
    expect(drops[1]).toBeCloseTo(c.stepPerOrder);
    expect(must(drops[0])).toBeLessThanOrEqual(must(drops[1]));
  });

  it('is refused for a closed loophole or without a loophole', () => {
    const s = setup((s) => {
      s.loopholes.cloud.openness = 0;
    });
    expectPrecondition(s, 'us', { move: 'tighten-loophole', loophole: 'cloud' }, 'already closed');
    expectPrecondition(s, 'us', { move: 'tighten-loophole' }, 'choose a loophole');
  });
});

describe('ease-loophole', () => {
  it('widens a channel and raises trust, twice as much with broad talks', () => {
    for (const broad of [false, true]) {
      const s = setup((s) => {
        s.loopholes.cloud.openness = 0;
        s.initialOpenness = { ...s.initialOpenness, cloud: 0 };
        s.trust = 50;
        s.talks = broad ? { open: true, scope: 'broad' } : { open: false, scope: 'safety' };
      });
      const after = play(s, 'us', [{ move: 'ease-loophole', loophole: 'cloud' }]);
      expect(after.loopholes.cloud.openness).toBeCloseTo(clamp(s.params.controls.stepPerOrder, 0, 1));
      expect(after.trust).toBeCloseTo(clamp(50 + s.params.trust.ease * (broad ? 2 : 1), 0, 100));
      expect(rec(after, 'public', 'ease-loophole').every((c) => c.side === 'us')).toBe(true);
    }
  });

  it('is refused for a fully open loophole', () => {
    const s = setup((s) => {
      s.loopholes.smuggling.openness = 1;
    });
    expectPrecondition(s, 'us', { move: 'ease-loophole', loophole: 'smuggling' }, 'already fully open');
  });
});

describe('allied-coordination', () => {
  it('raises allied alignment at a political cost', () => {
    const s = setup((s) => {
      s.alliedAlignment = 0.5;
    });
    const after = play(s, 'us', [{ move: 'allied-coordination' }]);
    expect(after.alliedAlignment).toBeGreaterThan(0.5);
    expect(sumDelta(rec(after, 'public', 'allied-coordination', 'alliedAlignment'))).toBeCloseTo(
      after.alliedAlignment - 0.5,
    );
    expect(after.us.politicalCost).toBeGreaterThan(0);
    expect(sumDelta(rec(after, 'us', 'allied-coordination', 'us.politicalCost'))).toBeCloseTo(
      after.us.politicalCost,
    );
  });

  it('is refused when allies are fully aligned', () => {
    const s = setup((s) => {
      s.alliedAlignment = 1;
    });
    expectPrecondition(s, 'us', { move: 'allied-coordination' }, 'already fully aligned');
  });
});

describe('enforcement-surge', () => {
  it('cuts smuggling and every evasion network; the evasion cut is recorded only in China’s log', () => {
    const s = setup((s) => {
      s.loopholes.smuggling.openness = 0.8;
      for (const l of LOOPHOLES) s.loopholes[l].evasion = 0.5;
    });
    const cut = s.params.controls.enforcementSmugglingCut;
    const after = play(s, 'us', [{ move: 'enforcement-surge' }]);
    expect(after.loopholes.smuggling.openness).toBeCloseTo(clamp(0.8 - cut, 0, 1));
    for (const l of LOOPHOLES) {
      expect(after.loopholes[l].evasion).toBeCloseTo(clamp(0.5 - cut, 0, 1));
      if (cut > 0) expect(rec(after, 'china', 'enforcement-surge', `loophole.${l}.evasion`)).toHaveLength(1);
    }
    expect(rec(after, 'us', 'enforcement-surge')).toEqual([]);
    expect(
      rec(after, 'public', 'enforcement-surge').every((c) => c.variable === 'loophole.smuggling.openness'),
    ).toBe(true);
  });

  it('has no precondition: only the budget refuses it, and China cannot order it', () => {
    expectOnlyBudgetRefuses('us', 'enforcement-surge', (s) => {
      s.loopholes.smuggling.openness = 0;
    });
    const r = validateOrders(setup(), 'china', [{ move: 'enforcement-surge' }]);
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(['wrong-side']);
  });
});

describe('evasion-network (covert)', () => {
  it('grows China’s secret network and the flow through a closed channel', () => {
    const prep = (s: GameState) => {
      s.loopholes.smuggling.openness = 0.2;
      s.loopholes.smuggling.evasion = 0;
    };
    const s = setup(prep);
    const step = s.params.china.evasionStep;
    const after = play(s, 'china', [
      { move: 'evasion-network', loophole: 'smuggling', rationale: 'shell firms' },
    ]);
    const without = play(setup(prep), 'china', []);
    expect(after.loopholes.smuggling.evasion).toBeCloseTo(clamp(step, 0, 1));
    expect(sumDelta(rec(after, 'china', 'evasion-network', 'loophole.smuggling.evasion'))).toBeCloseTo(step);
    expect(after.loopholes.smuggling.flow).toBeGreaterThan(without.loopholes.smuggling.flow);
    expect(after.china.compute).toBeGreaterThan(without.china.compute);
    expect(rec(after, 'public', 'evasion-network')).toEqual([]);
    expect(rec(after, 'us', 'evasion-network')).toEqual([]);
    // Covert: absent from the public orders, present in China's own log.
    expect(lastLog(after, 'public').orders).toEqual([]);
    expect(lastLog(after, 'china').orders).toEqual([
      { move: 'evasion-network', loophole: 'smuggling', rationale: 'shell firms', side: 'china' },
    ]);
    expect(JSON.stringify(after.history.public)).not.toContain('evasion');
  });

  it('is refused for equipment, a network at full size, or without a loophole', () => {
    const s = setup((s) => {
      s.loopholes.cloud.evasion = 1;
    });
    expectPrecondition(
      s,
      'china',
      { move: 'evasion-network', loophole: 'fabEquipment' },
      'equipment cannot be moved',
    );
    expectPrecondition(s, 'china', { move: 'evasion-network', loophole: 'cloud' }, 'already at full size');
    expectPrecondition(s, 'china', { move: 'evasion-network' }, 'choose a loophole');
  });
});

describe('stockpile-chips', () => {
  it('buys extra compute through the open chip channel and costs trust', () => {
    const s = setup((s) => {
      s.loopholes.allowedChips.openness = 0.6;
      s.trust = 50;
    });
    const after = play(s, 'china', [{ move: 'stockpile-chips' }]);
    const lh = s.loopholes.allowedChips;
    expect(sumDelta(rec(after, 'china', 'stockpile-chips', 'china.compute'))).toBeCloseTo(
      s.params.china.stockpileShare * lh.maxFlow * lh.openness,
    );
    const trust = rec(after, 'public', 'stockpile-chips', 'trust');
    expect(trust).toHaveLength(1);
    expect(trust[0]?.delta).toBeLessThan(0);
    expect(trust[0]?.side).toBe('china');
  });

  it('yields compute whenever its precondition lets it be ordered, and is refused whenever it could not', () => {
    let accepted = 0;
    let refused = 0;
    for (const chips of [0, 0.3, 1]) {
      for (const cloud of [0, 0.8]) {
        const s = setup((s) => {
          s.loopholes.allowedChips.openness = chips;
          s.loopholes.cloud.openness = cloud;
        });
        const r = validateOrders(s, 'china', [{ move: 'stockpile-chips' }]);
        if (r.ok) {
          accepted++;
          const after = play(s, 'china', [{ move: 'stockpile-chips' }]);
          expect(
            sumDelta(rec(after, 'china', 'stockpile-chips', 'china.compute')),
            `chips ${chips} cloud ${cloud}`,
          ).toBeGreaterThan(0);
        } else {
          refused++;
          expect(r.errors[0]?.code).toBe('precondition');
        }
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('is refused when nothing legal is left to buy', () => {
    const s = setup((s) => {
      s.loopholes.allowedChips.openness = 0;
      s.loopholes.cloud.openness = 0;
    });
    expectPrecondition(s, 'china', { move: 'stockpile-chips' }, 'nothing legal is left to buy');
  });
});

describe('mineral-retaliation', () => {
  it('cuts US compute production this round and the next, costs trust, raises risk, splits allies', () => {
    const s = setup((s) => {
      s.trust = 50;
      s.risk = 50;
      s.alliedAlignment = 0.5;
    });
    const p = s.params;
    const after = play(s, 'china', [{ move: 'mineral-retaliation' }]);
    const flow = (st: GameState, before: GameState) => {
      const r = records(st, 'us', 'rule.compute-flow', 'us.compute');
      expect(r).toHaveLength(1);
      expect(sumDelta(r)).toBeCloseTo(
        before.us.computePerRound * (1 - p.china.mineralComputeCut) -
          before.us.compute * p.growth.computeDepreciation,
      );
    };
    flow(after, s);
    expect(after.us.productionCutRounds).toBeGreaterThan(0);
    const pub = rec(after, 'public', 'mineral-retaliation');
    expect(sumDelta(pub.filter((c) => c.variable === 'trust'))).toBeLessThan(0);
    expect(sumDelta(pub.filter((c) => c.variable === 'risk'))).toBeGreaterThan(0);
    expect(sumDelta(pub.filter((c) => c.variable === 'alliedAlignment'))).toBeLessThan(0);
    expect(pub.every((c) => c.side === 'china')).toBe(true);
    expect(sumDelta(rec(after, 'us', 'mineral-retaliation', 'us.econCost'))).toBeGreaterThan(0);
    expect(sumDelta(rec(after, 'china', 'mineral-retaliation', 'china.econCost'))).toBeGreaterThan(0);
    expect(notesText(after, 'public')).toContain('mineral');
    // Second round still cut, third not.
    const second = play(after, 'china', []);
    const r2 = records(second, 'us', 'rule.compute-flow', 'us.compute');
    expect(sumDelta(r2)).toBeCloseTo(
      after.us.computePerRound * (1 - p.china.mineralComputeCut) -
        after.us.compute * p.growth.computeDepreciation,
    );
    expect(second.us.productionCutRounds).toBe(0);
    const third = play(second, 'china', []);
    expect(sumDelta(records(third, 'us', 'rule.compute-flow', 'us.compute'))).toBeCloseTo(
      second.us.computePerRound - second.us.compute * p.growth.computeDepreciation,
    );
  });

  it('is refused while mineral limits are in place', () => {
    const s = setup((s) => {
      s.us.productionCutRounds = 1;
    });
    expectPrecondition(s, 'china', { move: 'mineral-retaliation' }, 'already in place');
  });
});

describe('court-allies', () => {
  it('lowers allied alignment by the scenario step', () => {
    const s = setup((s) => {
      s.alliedAlignment = 0.5;
    });
    const after = play(s, 'china', [{ move: 'court-allies' }]);
    expect(after.alliedAlignment).toBeCloseTo(clamp(0.5 - s.params.china.courtAlliesStep, 0, 1));
    expect(
      rec(after, 'public', 'court-allies').every(
        (c) => c.side === 'china' && c.variable === 'alliedAlignment',
      ),
    ).toBe(true);
  });

  it('is refused when allies are already split', () => {
    const s = setup((s) => {
      s.alliedAlignment = 0;
    });
    expectPrecondition(s, 'china', { move: 'court-allies' }, 'already split');
  });
});

describe('domestic-chips', () => {
  it('raises China’s own chip output for good', () => {
    const s = setup();
    const after = play(s, 'china', [{ move: 'domestic-chips' }]);
    expect(after.china.computePerRound).toBeCloseTo(
      s.china.computePerRound + s.params.china.domesticChipsGain,
    );
    expect(sumDelta(rec(after, 'china', 'domestic-chips', 'china.computePerRound'))).toBeCloseTo(
      s.params.china.domesticChipsGain,
    );
    expect(rec(after, 'us', 'domestic-chips')).toEqual([]);
  });

  it('has no precondition: only the budget refuses it', () => {
    expectOnlyBudgetRefuses('china', 'domestic-chips', (s) => {
      s.china.computePerRound = 500;
    });
  });
});

describe('compute-buildout', () => {
  it('raises US compute production', () => {
    const s = setup();
    const after = play(s, 'us', [{ move: 'compute-buildout' }]);
    expect(after.us.computePerRound).toBeCloseTo(s.us.computePerRound + s.params.development.computeBuildout);
    expect(sumDelta(rec(after, 'us', 'compute-buildout', 'us.computePerRound'))).toBeCloseTo(
      s.params.development.computeBuildout,
    );
  });

  it('has no precondition: only the budget refuses it', () => {
    expectOnlyBudgetRefuses('us', 'compute-buildout', (s) => {
      s.us.computePerRound = 5000;
    });
  });
});

describe('frontier-training', () => {
  it('adds capability scaled by efficiency and raises global risk', () => {
    for (const side of ['us', 'china'] as const) {
      const s = setup((s) => {
        s[side].efficiency = 1.5;
        s.risk = 30;
      });
      const d = s.params.development;
      const after = play(s, side, [{ move: 'frontier-training' }]);
      expect(sumDelta(rec(after, side, 'frontier-training', `${side}.capability`))).toBeCloseTo(
        d.frontierTrainingMonths * 1.5,
      );
      const risk = rec(after, 'public', 'frontier-training', 'risk');
      expect(sumDelta(risk)).toBeCloseTo(d.frontierTrainingRisk);
      expect(risk.every((c) => c.side === side)).toBe(true);
      expect(lastLog(after, 'public').orders).toEqual([{ move: 'frontier-training', side }]);
    }
  });

  it('is refused while a frontier cap is in force', () => {
    const s = setup();
    addAgreement(s, 'frontier-cap', 'in-force', 'fc');
    expectPrecondition(s, 'us', { move: 'frontier-training' }, 'frontier cap');
    expectPrecondition(s, 'china', { move: 'frontier-training' }, 'frontier cap');
  });
});

describe('algorithmic-efficiency', () => {
  it('raises the ordering side’s efficiency', () => {
    const s = setup((s) => {
      s.china.efficiency = 1;
    });
    const after = play(s, 'china', [{ move: 'algorithmic-efficiency' }]);
    expect(after.china.efficiency).toBeCloseTo(clamp(1 + s.params.development.efficiencyGain, 0.1, 5));
    expect(after.us.efficiency).toBe(s.us.efficiency);
  });

  it('has no precondition: only the budget refuses it', () => {
    expectOnlyBudgetRefuses('us', 'algorithmic-efficiency', () => {});
  });
});

describe('safety-research', () => {
  it('raises safety, lowers risk and costs a little capability', () => {
    const s = setup((s) => {
      s.risk = 50;
      s.us.safety = 20;
    });
    const d = s.params.development;
    const after = play(s, 'us', [{ move: 'safety-research' }]);
    expect(after.us.safety).toBeGreaterThan(20);
    expect(sumDelta(rec(after, 'us', 'safety-research', 'us.capability'))).toBeCloseTo(
      -d.safetyCapabilityCost,
    );
    expect(sumDelta(rec(after, 'public', 'safety-research', 'risk'))).toBeCloseTo(-d.safetyRiskCut);
  });

  it('has no precondition: only the budget refuses it', () => {
    expectOnlyBudgetRefuses('china', 'safety-research', (s) => {
      s.china.safety = 100;
    });
  });
});

describe('intel-verification', () => {
  it('raises the ordering side’s intelligence', () => {
    const s = setup((s) => {
      s.us.intel = 0.4;
    });
    const after = play(s, 'us', [{ move: 'intel-verification' }]);
    expect(after.us.intel).toBeCloseTo(clamp(0.4 + s.params.development.intelGain, 0, 1));
    expect(sumDelta(rec(after, 'us', 'intel-verification', 'us.intel'))).toBeCloseTo(after.us.intel - 0.4);
  });

  it('is refused at maximum intelligence', () => {
    const s = setup((s) => {
      s.china.intel = 1;
    });
    expectPrecondition(s, 'china', { move: 'intel-verification' }, 'already at its maximum');
  });
});
