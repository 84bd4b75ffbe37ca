import { z } from 'zod';
import { AGREEMENT_TYPES, LOOPHOLES, type Side } from './ids.ts';
import { checkInput, getMove } from './moves.ts';
import { hasSameTarget, MAX_ORDERS, MAX_RATIONALE } from './order-limits.ts';
import type { GameState, Order } from './state.ts';

export { hasSameTarget, MAX_ORDERS, MAX_RATIONALE, ordersCost, sameTarget } from './order-limits.ts';

export const orderSchema = z.strictObject({
  move: z.string().min(1).max(40),
  loophole: z.enum(LOOPHOLES).optional(),
  agreement: z.enum(AGREEMENT_TYPES).optional(),
  agreementId: z.string().max(12).optional(),
  scope: z.enum(['safety', 'broad']).optional(),
  rationale: z.string().max(MAX_RATIONALE).optional(),
});

export const ordersSchema = z.array(orderSchema).max(MAX_ORDERS);

export interface OrderError {
  index: number | null;
  move: string | null;
  code:
    | 'bad-shape'
    | 'unknown-move'
    | 'wrong-side'
    | 'precondition'
    | 'duplicate'
    | 'over-budget'
    | 'wrong-phase';
  message: string;
}

export type OrdersResult = { ok: true; orders: Order[] } | { ok: false; errors: OrderError[] };

const LOOPHOLE_SET = new Set<string>(LOOPHOLES);
const AGREEMENT_SET = new Set<string>(AGREEMENT_TYPES);

/** The same rules as `ordersSchema`, checked by hand; tests hold the two in agreement. */
export function isWellFormed(raw: unknown): raw is Order[] {
  if (!Array.isArray(raw) || raw.length > MAX_ORDERS) return false;
  for (const o of raw as unknown[]) {
    if (
      typeof o !== 'object' ||
      o === null ||
      Array.isArray(o) ||
      Object.getPrototypeOf(o) !== Object.prototype
    )
      return false;
    const r = o as Record<string, unknown>;
    for (const k in r)
      if (
        k !== 'move' &&
        k !== 'loophole' &&
        k !== 'agreement' &&
        k !== 'agreementId' &&
        k !== 'scope' &&
        k !== 'rationale'
      )
        return false;
    if (typeof r.move !== 'string' || r.move.length < 1 || r.move.length > 40) return false;
    if (r.loophole !== undefined && !(typeof r.loophole === 'string' && LOOPHOLE_SET.has(r.loophole)))
      return false;
    if (r.agreement !== undefined && !(typeof r.agreement === 'string' && AGREEMENT_SET.has(r.agreement)))
      return false;
    if (r.agreementId !== undefined && !(typeof r.agreementId === 'string' && r.agreementId.length <= 12))
      return false;
    if (r.scope !== undefined && r.scope !== 'safety' && r.scope !== 'broad') return false;
    if (
      r.rationale !== undefined &&
      !(typeof r.rationale === 'string' && r.rationale.length <= MAX_RATIONALE)
    )
      return false;
  }
  return true;
}

/**
 * Checks one side's orders against the current state: shape, move, side, parameter,
 * precondition, duplicates and budget. Every problem is reported, each naming its order.
 */
export function validateOrders(s: GameState, side: Side, raw: unknown): OrdersResult {
  if (s.phase !== 'orders')
    return {
      ok: false,
      errors: [
        {
          index: null,
          move: null,
          code: 'wrong-phase',
          message: `orders are not taken in the ${s.phase} phase`,
        },
      ],
    };
  // Well-formed orders (every order a bot or a correct client sends) skip the schema's slower walk;
  // anything else goes through it so the errors name each problem.
  const parsed = isWellFormed(raw) ? { success: true as const, data: raw } : ordersSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({
        index: typeof i.path[0] === 'number' ? i.path[0] : null,
        move: null,
        code: 'bad-shape' as const,
        message: `${i.path.length ? `orders.${i.path.join('.')}` : 'orders'}: ${i.message}`,
      })),
    };
  }
  const orders = parsed.data as Order[];
  const errors: OrderError[] = [];
  let spent = 0;
  const input = checkInput(s, side);
  for (let index = 0; index < orders.length; index++) {
    const o = orders[index] as Order;
    const def = getMove(o.move);
    if (!def) {
      errors.push({
        index,
        move: o.move,
        code: 'unknown-move',
        message: `order ${index + 1}: no move called "${o.move}"`,
      });
      continue;
    }
    if (def.sides.indexOf(side) < 0) {
      errors.push({
        index,
        move: o.move,
        code: 'wrong-side',
        message: `order ${index + 1}: ${def.name} is not a ${side === 'us' ? 'US' : 'Chinese'} move`,
      });
      continue;
    }
    if (hasSameTarget(orders, o, index))
      errors.push({
        index,
        move: o.move,
        code: 'duplicate',
        message: `order ${index + 1}: ${def.name} is ordered twice with the same target`,
      });
    const why = def.check(input, side, o);
    if (why)
      errors.push({
        index,
        move: o.move,
        code: 'precondition',
        message: `order ${index + 1} (${def.name}): ${why}`,
      });
    spent += def.cost;
  }
  const budget = side === 'us' ? s.us.budget : s.china.budget;
  if (spent > budget)
    errors.push({
      index: null,
      move: null,
      code: 'over-budget',
      message: `these orders cost ${spent} points; the budget is ${budget}`,
    });
  return errors.length ? { ok: false, errors } : { ok: true, orders };
}
