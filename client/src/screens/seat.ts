import type { ClientView } from '../../../shared/protocol/room.ts';
import { focusQuietly, h } from '../dom.ts';
import { statusBanner } from '../model/status.ts';
import { forgetSeat } from '../net/saved-seats.ts';
import { Session } from '../net/session.ts';
import type { Panel } from '../panels/panel.ts';
import { PhaseNotifier } from '../panels/phase-notifier.ts';
import { createDebrief } from './debrief.ts';
import { createGameScreen } from './game.ts';
import { createLobby } from './lobby.ts';

/**
 * A person's seat, from the personal link: connects, then shows the lobby, the game or the
 * debrief as the phase says, and a banner whenever the connection is not right.
 */
type ScreenKind = 'lobby' | 'game' | 'debrief';

function kindOf(v: ClientView): ScreenKind {
  return v.phase === 'lobby' ? 'lobby' : v.phase === 'ended' ? 'debrief' : 'game';
}

export function showSeat(root: HTMLElement, token: string): () => void {
  const session = new Session(token);
  const notifier = new PhaseNotifier();
  const banner = document.getElementById('banner') as HTMLElement;
  const waiting = h(
    'main',
    { class: 'connecting' },
    h('h1', null, 'Hotline'),
    h('p', { role: 'status' }, 'Connecting to your seat…'),
  );
  root.append(waiting);
  let screen: { kind: ScreenKind; panel: Panel } | null = null;

  const render = () => {
    banner.className = `banner ${session.status}`;
    banner.textContent = statusBanner(session.status, session.message, session.view !== null);
    if (session.status === 'removed') return showRemoved();
    const v = session.view;
    if (!v) {
      if (session.status === 'refused') {
        waiting.replaceChildren(
          h('h1', null, 'Hotline'),
          h(
            'p',
            { class: 'error' },
            'This link does not open a seat: ',
            session.message ?? 'unknown seat',
            '.',
          ),
          h('p', null, h('a', { href: '#/' }, 'Go to the start page'), ' to join with the room code.'),
        );
      }
      return;
    }
    notifier.seen(v);
    const kind = kindOf(v);
    if (screen?.kind !== kind) {
      // Focus inside the screen being replaced (the lobby's Start game, say) would fall to the top of the page.
      const hadFocus = root.contains(document.activeElement) || document.activeElement === document.body;
      screen?.panel.destroy();
      root.replaceChildren();
      const ctx = { session, notifier };
      const panel =
        kind === 'lobby' ? createLobby(ctx) : kind === 'game' ? createGameScreen(ctx) : createDebrief(ctx);
      screen = { kind, panel };
      // The debrief is a section of its own; the page's main landmark wraps it.
      root.append(kind === 'debrief' ? h('main', { class: 'debrief-main' }, panel.el) : panel.el);
      const heading = panel.el.querySelector<HTMLElement>('h1, h2');
      if (hadFocus && heading && screen.kind !== 'lobby') focusQuietly(heading);
    }
    screen.panel.update(v);
  };
  /** The seat is gone for good: its screen goes, and this browser forgets its token. */
  let removed = false;
  const showRemoved = () => {
    if (removed) return;
    removed = true;
    forgetSeat(token);
    screen?.panel.destroy();
    screen = null;
    root.replaceChildren(
      h(
        'main',
        { class: 'connecting' },
        h('h1', null, 'Hotline'),
        h('p', { role: 'alert' }, 'The facilitator removed this seat from the game.'),
        h(
          'p',
          null,
          'If you joined the wrong team, ',
          h('a', { href: '#/' }, 'go to the start page'),
          ' and join again with the room code.',
        ),
      ),
    );
  };
  const stop = session.subscribe(render);
  render();
  return () => {
    stop();
    screen?.panel.destroy();
    session.close();
  };
}
