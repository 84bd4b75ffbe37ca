import './style.css';
import { focusQuietly } from './dom.ts';
import { parseRoute, type Route } from './model/route.ts';
import { showClassroom } from './screens/classroom.ts';
import { showLanding } from './screens/landing.ts';
import { showSeat } from './screens/seat.ts';

/**
 * The whole client is four routes in the URL fragment, so links work on any static host and the
 * seat token never reaches a server log: #/ (landing), #/join/CODE (landing with the code filled
 * in), #/seat/TOKEN (the person's seat: lobby, game or debrief) and #/class/TOKEN.TOKEN… (a
 * teacher's page across several tables, one facilitator token per table).
 */
const root = document.getElementById('app') as HTMLElement;
let leave: (() => void) | null = null;

function render(route: Route): void {
  leave?.();
  root.replaceChildren();
  document.getElementById('banner')?.replaceChildren();
  leave =
    route.kind === 'seat'
      ? showSeat(root, route.token)
      : route.kind === 'class'
        ? showClassroom(root, route.tokens, route.compare)
        : showLanding(root, route.code);
}

// The routes live in the fragment, so the skip link's own "#app" would be read as a route (the
// start page) and take a person out of their seat: it moves focus to the page's content instead.
document.querySelector('.skip-link')?.addEventListener('click', (e) => {
  e.preventDefault();
  // One selector list would match in document order (the main landmark before its heading).
  const target = root.querySelector<HTMLElement>('h1') ?? root.querySelector<HTMLElement>('main') ?? root;
  focusQuietly(target);
});

window.addEventListener('hashchange', () => render(parseRoute(location.hash)));
render(parseRoute(location.hash));
