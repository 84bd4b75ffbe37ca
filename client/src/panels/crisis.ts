import type { ClientView } from '../../../shared/protocol/room.ts';
import { SIDES } from '../../../shared/rules/ids.ts';
import { announce, h, replaceChildren } from '../dom.ts';
import { type CrisisCard, crisisCard, sideName } from '../model/crisis-model.ts';
import type { Panel, PanelContext } from './panel.ts';
import { takeLeadOffer } from './take-lead.ts';
import './crisis.css';

let uid = 0;

/**
 * The crisis card: a two-sided crisis waiting for both leads' answers, or the event the latest
 * round drew. Hidden when there is neither. Nobody is shown the other side's answer before both
 * are in; the round's log tells everyone afterwards.
 */
export function createCrisisPanel(ctx: PanelContext): Panel {
  const { session } = ctx;
  const headingId = `crisis-h-${++uid}`;
  const body = h('div', { class: 'crisis-body' });
  const alert = h('p', { class: 'error', role: 'alert' });
  const el = h(
    'section',
    { class: 'card panel crisis-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'Crisis'),
    body,
    alert,
  );
  el.hidden = true;
  const announced = new Set<string>();
  let first = true;
  let sending = false;
  let view: ClientView | null = null;

  const answer = async (choiceId: string) => {
    if (sending) return;
    sending = true;
    if (view) render(view);
    const ack = await session.send('crisis:answer', { choice: choiceId });
    sending = false;
    alert.textContent = ack.ok ? '' : ack.message;
    if (view) render(view);
  };

  const sideStatus = (card: CrisisCard) =>
    h(
      'ul',
      { class: 'crisis-status' },
      SIDES.map((s) =>
        h(
          'li',
          null,
          h('span', { class: `badge side-${s}` }, sideName(s)),
          ' ',
          card.answered[s] ? 'has answered' : 'has not answered yet',
        ),
      ),
    );

  const choicesFor = (card: CrisisCard) =>
    SIDES.map((s) =>
      h(
        'div',
        { class: 'crisis-side-choices' },
        h('p', null, h('span', { class: `badge side-${s}` }, sideName(s)), ' chooses between:'),
        h(
          'ul',
          null,
          card.choicesBySide[s].map((c) => h('li', null, c.label)),
        ),
      ),
    );

  const pendingBody = (v: ClientView, card: CrisisCard) => {
    const side = v.game.own?.side ?? null;
    const parts: (HTMLElement | string | null)[] = [h('p', { class: 'crisis-prompt' }, card.prompt)];
    if (!side) {
      parts.push(...choicesFor(card), sideStatus(card));
    } else if (card.yourAnswer) {
      const other = SIDES.find((s) => s !== side);
      parts.push(
        h(
          'p',
          { class: 'crisis-answered', role: 'status' },
          `${v.you.lead ? 'You answered' : 'Your side answered'}: ${card.yourAnswer.label}`,
          other && card.waitingFor.includes(other) ? ' — waiting for the other side.' : '.',
        ),
      );
    } else if (card.canAnswer) {
      parts.push(
        h(
          'div',
          { class: 'crisis-choices', role: 'group', 'aria-label': 'Your side’s answer' },
          card.choices.map((c) => {
            const b = h(
              'button',
              { type: 'button', class: 'crisis-choice', 'data-key': `crisis-${c.id}` },
              c.label,
            );
            b.disabled = sending;
            b.addEventListener('click', () => void answer(c.id));
            return b;
          }),
        ),
        h('p', { class: 'muted' }, 'You answer for your side as its lead. The answer cannot be changed.'),
      );
    } else {
      parts.push(
        h('p', null, 'Your side’s choices:'),
        h(
          'ul',
          null,
          card.choices.map((c) => h('li', null, c.label)),
        ),
        h('p', null, card.answererNote),
      );
      // Only the lead answers: with the lead gone, a teammate takes over rather than wait for the clock.
      if (view)
        parts.push(
          takeLeadOffer(session, view, (message) => {
            alert.textContent = message ?? '';
          }),
        );
    }
    if (card.defaultNote) parts.push(h('p', { class: 'muted crisis-default' }, card.defaultNote));
    return parts;
  };

  const render = (v: ClientView) => {
    view = v;
    const card = crisisCard(v);
    el.hidden = card === null;
    el.classList.toggle('is-pending', card?.kind === 'pending');
    if (!card) {
      replaceChildren(body);
      alert.textContent = '';
      return;
    }
    replaceChildren(
      body,
      h('h3', { class: 'crisis-title' }, card.heading),
      h('p', { class: 'crisis-summary' }, card.summary),
      card.kind === 'pending'
        ? pendingBody(v, card)
        : card.notes.length
          ? h(
              'ul',
              { class: 'crisis-notes' },
              card.notes.map((n) => h('li', null, n)),
            )
          : null,
    );
    const key = `${card.eventId}:${card.round}`;
    if (!announced.has(key)) {
      announced.add(key);
      if (card.kind === 'pending') announce(`Crisis: ${card.title}. ${card.prompt ?? ''}`);
      else if (!first) announce(`${card.heading}.`);
    }
    first = false;
  };

  return {
    el,
    update(v) {
      render(v);
    },
    destroy() {
      view = null;
    },
  };
}
