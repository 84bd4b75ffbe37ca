import type { Side } from '../rules/ids.ts';
import type { Order } from '../rules/state.ts';
import type { PlayerView } from '../rules/view.ts';

/** A bot is a pair of pure functions of its own seat's view: no hidden truth, no randomness of its own. */
export interface Bot {
  id: string;
  side: Side;
  label: string;
  description: string;
  orders(view: PlayerView): Order[];
  /** Answer to the pending crisis: one of the event's two choice ids. */
  crisis(view: PlayerView, eventId: string): string;
}
