import type { ClientView } from '../../../shared/protocol/room.ts';
import { h } from '../dom.ts';
import { leadAway } from '../model/orders-model.ts';
import type { Session } from '../net/session.ts';

/**
 * "Take the lead" for a member whose team lead is offline, or null when there is nothing to
 * offer. Shown where only the lead can act (locking orders, answering a crisis); `report` shows
 * the server's refusal, or clears it.
 */
export function takeLeadOffer(
  session: Session,
  view: ClientView,
  report: (message: string | null) => void,
): HTMLElement | null {
  const away = leadAway(view);
  if (!away) return null;
  const b = h('button', { type: 'button', 'data-key': 'take-lead' }, 'Take the lead');
  b.addEventListener('click', async () => {
    const ack = await session.send('team:takeLead', {});
    report(ack.ok ? null : ack.message);
  });
  return h('p', null, `${away} is offline. `, b);
}
