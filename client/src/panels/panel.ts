import type { ClientView } from '../../../shared/protocol/room.ts';
import type { Session } from '../net/session.ts';
import type { PhaseNotifier } from './phase-notifier.ts';

/**
 * Every part of a screen is a panel: it builds its element once, is told each new view, and is
 * destroyed when the screen goes. Panels keep inputs the person is typing in across updates.
 */
export interface Panel {
  readonly el: HTMLElement;
  update(v: ClientView): void;
  destroy(): void;
}

export interface PanelContext {
  session: Session;
  /** The seat's opt-in for notifications of new phases; each screen shows its toggle. */
  notifier?: PhaseNotifier;
}

export type PanelFactory = (ctx: PanelContext) => Panel;
