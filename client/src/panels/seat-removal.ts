import type { SeatInfo } from '../../../shared/protocol/room.ts';
import { h } from '../dom.ts';

/**
 * The facilitator's "Remove" on a seat, in the lobby and in the console. Removal cannot be undone
 * (the person's link stops working), so the first press only asks; no window.confirm, which
 * screen readers handle badly. The lists are rebuilt on every view, so which seat is being asked
 * about lives here, outside them.
 */
export class SeatRemoval {
  private confirming: string | null = null;

  constructor(
    /** Sends the removal; the caller reports the answer. */
    private readonly send: (seat: SeatInfo) => void,
    /** Rebuilds the list the buttons sit in. */
    private readonly redraw: () => void,
  ) {}

  /** Forgets a question about a seat that has gone meanwhile. */
  sync(seats: readonly SeatInfo[]): void {
    if (this.confirming && !seats.some((s) => s.id === this.confirming)) this.confirming = null;
  }

  controls(s: SeatInfo): HTMLElement {
    const button = (key: string, label: string, onClick: () => void, cls?: string) => {
      const b = h('button', { type: 'button', class: cls, 'data-key': `${key}-${s.id}` }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    // The question takes focus, as the end-game confirmation does; taking it back returns focus.
    const ask = (id: string | null) => () => {
      this.confirming = id;
      this.redraw();
      const key = id ? `confirm-remove-${s.id}` : `remove-${s.id}`;
      document.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
    };
    if (this.confirming !== s.id)
      return h('span', null, ' ', button('remove', `Remove ${s.name}`, ask(s.id)));
    return h(
      'span',
      { class: 'seat-removal' },
      ' Remove from the game? Their link stops working. ',
      button(
        'confirm-remove',
        `Yes, remove ${s.name}`,
        () => {
          this.confirming = null;
          this.send(s);
        },
        'danger',
      ),
      ' ',
      button('keep', `Keep ${s.name}`, ask(null)),
    );
  }
}
