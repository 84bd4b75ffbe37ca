import { describe, expect, it } from 'vitest';
import { getMove, MOVE_CATALOGUE } from '../../shared/rules/moves.ts';
import { MAX_ORDERS, MAX_RATIONALE, ordersCost, validateOrders } from '../../shared/rules/orders.ts';
import { resolveRound } from '../../shared/rules/round.ts';
import { game, must } from './helpers.ts';

const cost = (move: string) => must(getMove(move), `move ${move}`).cost;

function errorsOf(r: ReturnType<typeof validateOrders>) {
  if (r.ok) throw new Error('expected the orders to be refused');
  return r.errors;
}

describe('validateOrders: shape', () => {
  it('accepts an empty list and a well-formed order', () => {
    const s = game();
    expect(validateOrders(s, 'us', [])).toEqual({ ok: true, orders: [] });
    const r = validateOrders(s, 'us', [{ move: 'safety-research', rationale: 'lower the risk' }]);
    expect(r).toEqual({ ok: true, orders: [{ move: 'safety-research', rationale: 'lower the risk' }] });
  });

  it('refuses a number instead of an array with bad-shape naming "orders"', () => {
    const errors = errorsOf(validateOrders(game(), 'us', 5));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bad-shape', index: null, move: null });
    expect(errors[0]?.message).toMatch(/^orders: /);
    expect(errors[0]?.message).toMatch(/array/);
  });

  it('refuses an unknown key with bad-shape naming the order and the key', () => {
    const errors = errorsOf(
      validateOrders(game(), 'us', [{ move: 'safety-research' }, { move: 'compute-buildout', bribe: 3 }]),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bad-shape', index: 1 });
    expect(errors[0]?.message).toMatch(/^orders\.1/);
    expect(errors[0]?.message).toContain('bribe');
  });

  it('refuses a wrongly typed field and an unknown loophole with the field path', () => {
    const errors = errorsOf(
      validateOrders(game(), 'us', [{ move: 42 }, { move: 'tighten-loophole', loophole: 'tunnel' }]),
    );
    expect(errors.map((e) => e.code)).toEqual(['bad-shape', 'bad-shape']);
    expect(errors.some((e) => e.index === 0 && e.message.startsWith('orders.0.move'))).toBe(true);
    expect(errors.some((e) => e.index === 1 && e.message.startsWith('orders.1.loophole'))).toBe(true);
  });

  it(`refuses more than MAX_ORDERS orders and a rationale longer than MAX_RATIONALE`, () => {
    const many = Array.from({ length: MAX_ORDERS + 1 }, () => ({ move: 'safety-research' }));
    const e1 = errorsOf(validateOrders(game(), 'us', many));
    expect(e1.every((e) => e.code === 'bad-shape')).toBe(true);
    expect(e1[0]?.message).toMatch(/^orders: /);
    const e2 = errorsOf(
      validateOrders(game(), 'us', [{ move: 'safety-research', rationale: 'x'.repeat(MAX_RATIONALE + 1) }]),
    );
    expect(e2[0]).toMatchObject({ code: 'bad-shape', index: 0 });
    expect(e2[0]?.message).toMatch(/^orders\.0\.rationale/);
  });

  it('refuses a non-object order', () => {
    const errors = errorsOf(validateOrders(game(), 'china', ['safety-research']));
    expect(errors[0]).toMatchObject({ code: 'bad-shape', index: 0 });
    expect(errors[0]?.message).toMatch(/^orders\.0/);
  });
});

describe('validateOrders: moves, sides, duplicates, budget, phase', () => {
  it('refuses an unknown move with unknown-move naming the order and the move', () => {
    const errors = errorsOf(
      validateOrders(game(), 'us', [{ move: 'safety-research' }, { move: 'launch-nukes' }]),
    );
    expect(errors).toEqual([
      { index: 1, move: 'launch-nukes', code: 'unknown-move', message: expect.stringContaining('order 2') },
    ]);
    expect(errors[0]?.message).toContain('"launch-nukes"');
  });

  it('refuses a move of the other side with wrong-side naming the order and the move', () => {
    const us = errorsOf(validateOrders(game(), 'us', [{ move: 'domestic-chips' }]));
    expect(us).toEqual([
      { index: 0, move: 'domestic-chips', code: 'wrong-side', message: expect.stringContaining('order 1') },
    ]);
    expect(us[0]?.message).toContain(must(getMove('domestic-chips')).name);
    expect(us[0]?.message).toContain('not a US move');
    const china = errorsOf(
      validateOrders(game(), 'china', [
        { move: 'safety-research' },
        { move: 'tighten-loophole', loophole: 'cloud' },
      ]),
    );
    expect(china).toEqual([
      { index: 1, move: 'tighten-loophole', code: 'wrong-side', message: expect.stringContaining('order 2') },
    ]);
    expect(china[0]?.message).toContain('not a Chinese move');
  });

  it('every one-sided move is refused to the other side', () => {
    for (const m of MOVE_CATALOGUE) {
      for (const side of ['us', 'china'] as const) {
        if (m.sides.includes(side)) continue;
        const errors = errorsOf(validateOrders(game(), side, [{ move: m.id }]));
        expect(errors.map((e) => e.code)).toEqual(['wrong-side']);
      }
    }
  });

  it('refuses the same move on the same target twice with duplicate naming the second order', () => {
    const errors = errorsOf(
      validateOrders(game(), 'us', [{ move: 'safety-research' }, { move: 'safety-research' }]),
    );
    expect(errors).toEqual([
      { index: 1, move: 'safety-research', code: 'duplicate', message: expect.stringContaining('order 2') },
    ]);
    expect(errors[0]?.message).toContain(must(getMove('safety-research')).name);
  });

  it('allows the same move on different targets', () => {
    const s = game();
    s.us.budget = cost('tighten-loophole') * 2;
    const r = validateOrders(s, 'us', [
      { move: 'tighten-loophole', loophole: 'cloud' },
      { move: 'tighten-loophole', loophole: 'allowedChips' },
    ]);
    expect(r.ok).toBe(true);
  });

  it('refuses orders costing more than the budget with over-budget stating cost and budget', () => {
    const s = game();
    const orders = [{ move: 'frontier-training' }, { move: 'safety-research' }];
    const total = cost('frontier-training') + cost('safety-research');
    s.us.budget = total - 1;
    const errors = errorsOf(validateOrders(s, 'us', orders));
    expect(errors).toEqual([
      {
        index: null,
        move: null,
        code: 'over-budget',
        message: `these orders cost ${total} points; the budget is ${total - 1}`,
      },
    ]);
    s.us.budget = total;
    expect(validateOrders(s, 'us', orders).ok).toBe(true);
  });

  it('the budget is each side’s own', () => {
    const s = game();
    s.us.budget = 0;
    s.china.budget = cost('domestic-chips');
    expect(validateOrders(s, 'china', [{ move: 'domestic-chips' }]).ok).toBe(true);
    expect(errorsOf(validateOrders(s, 'us', [{ move: 'compute-buildout' }])).map((e) => e.code)).toEqual([
      'over-budget',
    ]);
  });

  it('reports every problem at once, each naming its order', () => {
    const s = game();
    s.us.intel = 1;
    s.us.budget = 1;
    const errors = errorsOf(
      validateOrders(s, 'us', [
        { move: 'nope' },
        { move: 'stockpile-chips' },
        { move: 'intel-verification' },
        { move: 'safety-research' },
        { move: 'safety-research' },
      ]),
    );
    expect(errors.map((e) => [e.code, e.index])).toEqual([
      ['unknown-move', 0],
      ['wrong-side', 1],
      ['precondition', 2],
      ['duplicate', 4],
      ['over-budget', null],
    ]);
    expect(errors[2]?.message).toMatch(/^order 3 \(/);
  });

  it('refuses orders outside the orders phase with wrong-phase', () => {
    const s = game();
    s.phase = 'crisis';
    expect(errorsOf(validateOrders(s, 'us', []))).toEqual([
      { index: null, move: null, code: 'wrong-phase', message: expect.stringContaining('crisis') },
    ]);
    s.phase = 'ended';
    expect(errorsOf(validateOrders(s, 'china', []))[0]?.code).toBe('wrong-phase');
  });

  it('resolveRound refuses invalid orders, names the side and leaves the state untouched', () => {
    const s = game();
    const before = structuredClone(s);
    const r = resolveRound(s, { us: [], china: [{ move: 'compute-buildout' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.side).toBe('china');
      expect(r.errors[0]?.code).toBe('wrong-side');
    }
    const r2 = resolveRound(s, { us: 'everything', china: [] });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.side).toBe('us');
    expect(s).toEqual(before);
  });

  it('ordersCost adds the catalogue costs and ignores unknown moves', () => {
    expect(ordersCost([{ move: 'frontier-training' }, { move: 'safety-research' }, { move: 'nope' }])).toBe(
      cost('frontier-training') + cost('safety-research'),
    );
    expect(ordersCost([])).toBe(0);
  });
});
