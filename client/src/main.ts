import './style.css';
import { parseRoute, type Route } from './model/route.ts';
import { showLanding } from './screens/landing.ts';
import { showSeat } from './screens/seat.ts';

/**
 * The whole client is three routes in the URL fragment, so links work on any static host and the
 * seat token never reaches a server log: #/ (landing), #/join/CODE (landing with the code filled
 * in) and #/seat/TOKEN (the person's seat: lobby, game or debrief).
 */
const root = document.getElementById('app') as HTMLElement;
let leave: (() => void) | null = null;

function render(route: Route): void {
  leave?.();
  root.replaceChildren();
  document.getElementById('banner')?.replaceChildren();
  leave = route.kind === 'seat' ? showSeat(root, route.token) : showLanding(root, route.code);
}

window.addEventListener('hashchange', () => render(parseRoute(location.hash)));
render(parseRoute(location.hash));
