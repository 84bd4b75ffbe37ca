import type { ClientView } from '../../../shared/protocol/room.ts';
import { h } from '../dom.ts';
import { phaseNotice } from '../model/phase-notice.ts';

const KEY = 'hotline.notify';

/** Notifications need a secure page (https or localhost) and a browser that has them. */
function available(): boolean {
  return typeof Notification !== 'undefined' && window.isSecureContext;
}

function wanted(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Without storage the choice lasts as long as the page.
  }
}

/**
 * "Notify me of new phases": an opt-in desktop notification when a phase begins while the page is
 * in the background. The browser asks the person first; nothing is shown without their yes.
 */
export class PhaseNotifier {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly note: HTMLElement;
  private on: boolean;

  constructor() {
    this.button = h('button', { type: 'button', class: 'link notify-toggle' });
    this.note = h('span', { class: 'muted notify-note', role: 'status' });
    this.el = h('span', { class: 'notify' }, this.button, ' ', this.note);
    this.on = available() && wanted() && Notification.permission === 'granted';
    this.el.hidden = !available();
    this.button.addEventListener('click', () => void this.toggle());
    this.label();
  }

  // The label says the state; aria-pressed as well would make a reader say "Stop notifying me, pressed".
  private label(): void {
    this.button.textContent = this.on ? 'Stop notifying me' : 'Notify me of new phases';
  }

  private async toggle(): Promise<void> {
    if (this.on) {
      this.on = false;
      remember(false);
      this.note.textContent = '';
      this.label();
      return;
    }
    const answer =
      Notification.permission === 'default'
        ? await Notification.requestPermission()
        : Notification.permission;
    this.on = answer === 'granted';
    remember(this.on);
    this.note.textContent = this.on
      ? 'You will be notified when a phase begins while this page is in the background.'
      : 'Notifications are blocked for this site; your browser’s site settings can allow them.';
    this.label();
  }

  private lastPhase: string | null = null;

  /**
   * Told every view of the seat (lobby, game and debrief alike), so the start and the end of a
   * game notify too; notifies only when the phase is new and the person is looking elsewhere.
   */
  seen(v: ClientView): void {
    const key = `${v.round}:${v.phase}`;
    const isNew = this.lastPhase !== null && this.lastPhase !== key;
    this.lastPhase = key;
    if (!isNew || !this.on || !document.hidden) return;
    const n = phaseNotice(v);
    try {
      const shown = new Notification(n.title, { body: n.body, tag: n.tag });
      shown.addEventListener('click', () => {
        window.focus();
        shown.close();
      });
    } catch {
      // Some browsers allow notifications only from a service worker; the page's own signals remain.
    }
  }
}
