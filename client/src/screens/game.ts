import type { ClientView } from '../../../shared/protocol/room.ts';
import { createBoard } from '../board/board.ts';
import { announce, focusQuietly, h } from '../dom.ts';
import { guidance } from '../model/guidance.ts';
import { formatRemaining, phaseLabel, roleLabel } from '../model/labels.ts';
import { lastChatSeq, whiteCellNotice } from '../model/white-cell-notice.ts';
import { createCrisisPanel } from '../panels/crisis.ts';
import { createFacilitatorPanel } from '../panels/facilitator.ts';
import { createNegotiationPanel } from '../panels/negotiation.ts';
import { createOrdersPanel } from '../panels/orders.ts';
import type { Panel, PanelContext } from '../panels/panel.ts';
import './game.css';

/**
 * The game screen: a status bar (room, round, phase, clock, seat), one line saying what to do
 * now, the board with the crisis card, and beside it the orders or the facilitator console and
 * the negotiation panel. On a narrow screen everything stacks.
 */
export function createGameScreen(ctx: PanelContext): Panel {
  const code = h('span', { class: 'code' });
  const round = h('span', { class: 'round' });
  const phase = h('span', { class: 'phase' });
  const clock = h('span', { class: 'clock', role: 'timer', 'aria-label': 'Time left in this phase' });
  const seat = h('span', { class: 'seat' });
  const todo = h('p', { class: 'guidance', role: 'status' });
  const noticeText = h('span');
  const dismiss = h('button', { type: 'button' }, 'Dismiss');
  const notice = h(
    'div',
    { class: 'white-cell-notice', role: 'status', hidden: true },
    h('strong', null, 'White Cell: '),
    noticeText,
    ' ',
    dismiss,
  );
  // Chat already held when the screen opened is history, not news.
  let noticeSince: number | null = null;
  dismiss.addEventListener('click', () => {
    notice.hidden = true;
    focusQuietly(todo, true);
  });
  const boardCol = h('div', { class: 'col-board' });
  const sideCol = h('div', { class: 'col-side' });
  const el = h(
    'div',
    { class: 'game-screen' },
    h(
      'header',
      { class: 'game-head' },
      h('p', { class: 'brand' }, 'Hotline'),
      h('p', { class: 'facts' }, code, round, phase, clock),
      seat,
      ctx.notifier?.el ?? null,
    ),
    h(
      'main',
      { class: 'game', 'aria-label': 'Game' },
      todo,
      notice,
      h('div', { class: 'game-grid' }, boardCol, sideCol),
    ),
  );
  const panels: Panel[] = [];
  let built = false;
  let deadline: number | null = null;
  let localDeadline: number | null = null;
  let lastPhase = '';
  let warned = false;

  const tick = () => {
    if (localDeadline === null) return;
    const left = localDeadline - performance.now();
    clock.textContent = formatRemaining(left);
    clock.classList.toggle('low', left < 30_000);
    if (!warned && left < 60_000 && left > 0) {
      warned = true;
      announce('One minute left in this phase');
    }
  };
  const timer = setInterval(tick, 1000);

  const build = (v: ClientView) => {
    built = true;
    const role = v.you.role;
    const add = (parent: HTMLElement, p: Panel) => {
      panels.push(p);
      parent.append(p.el);
    };
    add(boardCol, createCrisisPanel(ctx));
    add(boardCol, createBoard(ctx));
    if (role === 'us' || role === 'china') add(sideCol, createOrdersPanel(ctx));
    if (role === 'facilitator') add(sideCol, createFacilitatorPanel(ctx));
    add(sideCol, createNegotiationPanel(ctx));
    el.classList.add(`role-${role}`);
  };

  return {
    el,
    update(v) {
      if (!built) build(v);
      code.textContent = `Room ${v.code}`;
      round.textContent = `Round ${v.round} of ${v.game.public.maxRounds}`;
      phase.textContent = phaseLabel(v.phase);
      seat.textContent =
        v.you.role === 'facilitator'
          ? 'Facilitator (White Cell)'
          : `${v.you.name} · ${roleLabel(v.you.role)}${v.you.lead ? ' (lead)' : ''}`;
      seat.className = `seat seat-${v.you.role}`;
      todo.textContent = guidance(v);
      if (noticeSince !== null) {
        const m = whiteCellNotice(v, noticeSince);
        if (m) {
          noticeText.textContent = m.text;
          notice.hidden = false;
        }
      }
      noticeSince = lastChatSeq(v);
      document.title = `Hotline · ${v.code} · ${phaseLabel(v.phase)}`;
      if (v.deadline !== deadline || v.paused) {
        deadline = v.deadline;
        warned = false;
        localDeadline = v.paused || v.remainingMs === null ? null : performance.now() + v.remainingMs;
        if (localDeadline === null) clock.textContent = v.paused ? 'Paused' : '';
        tick();
      }
      const phaseKey = `${v.round}:${v.phase}`;
      if (phaseKey !== lastPhase) {
        if (lastPhase) announce(`Round ${v.round}: ${phaseLabel(v.phase)}. ${guidance(v)}`);
        lastPhase = phaseKey;
      }
      for (const p of panels) p.update(v);
    },
    destroy() {
      clearInterval(timer);
      for (const p of panels) p.destroy();
    },
  };
}
