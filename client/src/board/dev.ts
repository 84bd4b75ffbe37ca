import '../style.css';
import type { Seat } from '../../../shared/rules/ids.ts';
import { h } from '../dom.ts';
import type { PanelContext } from '../panels/panel.ts';
import { createBoard } from './board.ts';
import { devView, newDevGame } from './dev-game.ts';

/**
 * Development page for the board (client/board-dev.html, served by `npx vite`; not in the
 * production build). Query: ?seat=us|china|facilitator|observer&rounds=N&seed=S&paused=1.
 */
const q = new URLSearchParams(location.search);
const seat = (q.get('seat') ?? 'us') as Seat;
const game = newDevGame(q.get('seed') ?? 'dev');
for (let i = 0; i < Number(q.get('rounds') ?? 3); i++) game.step();
const paused = q.get('paused') === '1';

// The board never uses the session; the dev page has none.
const board = createBoard({} as PanelContext);
const next = h('button', { type: 'button', onclick: () => step() }, 'Play a round');
const app = document.getElementById('app') as HTMLElement;
app.append(h('p', null, next, ` Seat: ${seat}`), board.el);
board.update(devView(game.state, seat, { paused }));

function step(): void {
  game.step();
  board.update(devView(game.state, seat, { paused }));
}
(window as unknown as { devStep: () => void }).devStep = step;
