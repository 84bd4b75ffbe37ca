import type { ClientView } from '../../../shared/protocol/room.ts';
import { THE_SIDE } from '../../../shared/rules/explain.ts';
import { SIDES } from '../../../shared/rules/ids.ts';
import type { LoggedOrder } from '../../../shared/rules/state.ts';
import type { ClassTable } from './class-model.ts';
import { orderText } from './debrief-model.ts';

/**
 * Where a fork parted from its original: the first round from the fork point on in which the
 * public orders differ, and how. Public orders only: the page may be on a projector during play.
 */
export function partingNote(original: ClientView, fork: ClientView, label: string): string | null {
  const from = fork.forkOf?.round;
  if (from === undefined || fork.forkOf?.code !== original.code) return null;
  const text = (v: ClientView, o: LoggedOrder) =>
    orderText(o, v.game.truth?.agreements ?? v.game.public.agreements);
  for (let round = from; ; round++) {
    const ra = original.game.log.public.find((l) => l.round === round);
    const rb = fork.game.log.public.find((l) => l.round === round);
    if (!rb)
      return round === from
        ? `${label} has not played a round of its own yet.`
        : `So far ${label} has given the original's public orders, round for round.`;
    if (!ra) return `${label} gave the original's public orders in every round the original played.`;
    const parts: string[] = [];
    for (const side of SIDES) {
      const oa = ra.orders.filter((o) => o.side === side).map((o) => text(original, o));
      const ob = rb.orders.filter((o) => o.side === side).map((o) => text(fork, o));
      const added = ob.filter((x) => !oa.includes(x)).join('; ');
      const dropped = oa.filter((x) => !ob.includes(x)).join('; ');
      const who = THE_SIDE[side];
      if (added && dropped) parts.push(`${who} ordered ${added} instead of ${dropped}`);
      else if (added) parts.push(`${who} also ordered ${added}`);
      else if (dropped) parts.push(`${who} did not order ${dropped}`);
    }
    if (parts.length) return `${label} parted from the original in round ${round}: ${parts.join('; ')}.`;
  }
}

/** A note for each fork on the page whose original is the page's first game. */
export function partingNotes(tables: readonly ClassTable[]): string[] {
  const original = tables[0]?.view;
  if (!original) return [];
  return tables.slice(1).flatMap((t) => {
    const note = t.view ? partingNote(original, t.view, t.label) : null;
    return note ? [note] : [];
  });
}
