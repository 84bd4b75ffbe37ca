import { getMove } from './moves.ts';
import type { Order } from './state.ts';

/**
 * The zod-free part of the order rules, split from orders.ts so the browser client and the bots
 * can use it without bundling the schema library. orders.ts re-exports all of it.
 */

/** Most orders a side may give in one round, whatever its budget. */
export const MAX_ORDERS = 8;
export const MAX_RATIONALE = 280;

/** Two orders of the same move on the same target: the second would do nothing new. */
export function sameTarget(a: Order, b: Order): boolean {
  return (
    a.move === b.move &&
    a.loophole === b.loophole &&
    a.agreement === b.agreement &&
    a.agreementId === b.agreementId
  );
}

/** Whether one of the first `before` orders (all of them by default) has the same target as `o`. */
export function hasSameTarget(orders: readonly Order[], o: Order, before = orders.length): boolean {
  for (let i = 0; i < before; i++) if (sameTarget(orders[i] as Order, o)) return true;
  return false;
}

export function ordersCost(orders: readonly Order[]): number {
  let c = 0;
  for (const o of orders) c += getMove(o.move)?.cost ?? 0;
  return c;
}
