import { botsFor } from '../../../shared/bots/index.ts';
import type { ClientView, SeatInfo } from '../../../shared/protocol/room.ts';
import { SIDES, type Side } from '../../../shared/rules/ids.ts';
import { announce, h, replaceChildren } from '../dom.ts';
import { unmannedWarning } from '../model/facilitator-model.ts';
import { roleLabel, seatName } from '../model/labels.ts';
import { gameInfo } from '../net/api.ts';
import type { Panel, PanelContext } from '../panels/panel.ts';
import { SeatRemoval } from '../panels/seat-removal.ts';
import './lobby.css';

/**
 * The lobby: the room code big enough to read from the back of a room, a QR code of the join
 * link, who has taken which seat, and for the facilitator the bots and "Start game".
 */
export function createLobby(ctx: PanelContext): Panel {
  const { session } = ctx;
  const codeEl = h('p', { class: 'room-code', 'aria-label': 'Room code' });
  const qr = h('img', { class: 'qr', width: 220, height: 220, alt: 'QR code of the join link' });
  const link = h('a', { class: 'join-link' });
  const teams = h('div', { class: 'teams' });
  const controls = h('div', { class: 'lobby-controls' });
  const error = h('p', { class: 'error', role: 'alert' });
  const status = h('p', { class: 'lobby-status', role: 'status' });
  // The token in the address is the only key to the seat: people need to know to keep it, and keep it private.
  const linkNote = h('p', { class: 'muted lobby-link-note' });
  const el = h(
    'main',
    { class: 'lobby', 'aria-labelledby': 'lobby-title' },
    h('h1', { id: 'lobby-title' }, 'Lobby'),
    status,
    // Full width under the status line, so the cards below keep their places in the grid.
    ctx.notifier ? h('p', { class: 'lobby-notify' }, ctx.notifier.el) : null,
    linkNote,
    h(
      'section',
      { class: 'card join-info', 'aria-label': 'How to join' },
      h('h2', null, 'Room code'),
      codeEl,
      h('p', null, 'Open this address and enter the code, or scan the QR code:'),
      h('p', null, link),
      qr,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'seats-title' },
      h('h2', { id: 'seats-title' }, 'Seats'),
      teams,
    ),
    controls,
    error,
  );
  let code = '';
  let controlsBuilt = false;
  const showLink = (url: string) => {
    link.href = url;
    link.textContent = url;
  };

  const send = async (name: 'fac:start' | 'fac:setBot' | 'fac:removeSeat', payload: object, done: string) => {
    error.textContent = '';
    const ack = await session.send(name, payload as never);
    if (ack.ok) announce(done);
    else error.textContent = ack.message;
  };

  const buildControls = (v: ClientView) => {
    controlsBuilt = true;
    if (v.you.role !== 'facilitator') return;
    const botControls = SIDES.map((side) => {
      const select = h(
        'select',
        { id: `lobby-bot-${side}`, 'data-key': `bot-${side}` },
        h('option', { value: '' }, 'People'),
        botsFor(side).map((b) => h('option', { value: b.id }, `Bot: ${b.label}`)),
      );
      select.value = v.settings.bots[side] ?? '';
      select.addEventListener('change', () =>
        send(
          'fac:setBot',
          { side, bot: select.value || null },
          `${roleLabel(side)}: ${select.selectedOptions[0]?.textContent ?? ''}`,
        ),
      );
      return h(
        'div',
        { class: 'field' },
        h('label', { for: `lobby-bot-${side}` }, `${roleLabel(side)} played by`),
        select,
      );
    });
    const start = h('button', { type: 'button', class: 'primary start' }, 'Start game');
    start.addEventListener('click', () => send('fac:start', {}, 'The game has started'));
    controls.append(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'fac-lobby-title' },
        h('h2', { id: 'fac-lobby-title' }, 'Facilitator'),
        botControls,
        start,
      ),
    );
  };

  // Someone who joined the wrong team is removed here and joins again.
  const removal = new SeatRemoval(
    (s) => void send('fac:removeSeat', { seatId: s.id }, `${s.name} was removed from the game`),
    () => {
      if (session.view) render(session.view);
    },
  );
  const render = (v: ClientView) => {
    removal.sync(v.seats);
    const fac = v.you.role === 'facilitator' ? removal : null;
    replaceChildren(
      teams,
      (['us', 'china', 'observer'] as const).map((r) => team(v, r, fac)),
    );
  };

  return {
    el,
    update(v) {
      if (!controlsBuilt) buildControls(v);
      if (code !== v.code) {
        code = v.code;
        document.title = `Hotline · ${code} · Lobby`;
        codeEl.textContent = code;
        showLink(`${location.origin}/#/join/${code}`);
        qr.src = `/api/games/${code}/qr.svg`;
        // The server knows the address players can reach (PUBLIC_URL), which may not be this tab's.
        gameInfo(code)
          .then((info) => showLink(info.joinLink))
          .catch(() => {});
      }
      linkNote.textContent =
        v.you.role === 'facilitator'
          ? `This page’s address is your private console link: bookmark it to come back to the console from any device, and share it with nobody (it runs the game).`
          : 'This page’s address is your personal link: bookmark it to come back to your seat from any device. Keep it to yourself: it lets anyone act as you.';
      const warning = v.you.role === 'facilitator' ? unmannedWarning(v) : null;
      const fork = v.forkOf
        ? `This game replays game ${v.forkOf.code} from the start of round ${v.forkOf.round}: the rounds before it are as they were played there. `
        : '';
      const next =
        v.you.role === 'facilitator'
          ? `Share the room code. Start the game when the teams are seated.${warning ? ` ${warning}` : ''}`
          : `You are ${v.you.name}, ${roleLabel(v.you.role)}${v.you.lead ? ' (team lead)' : ''}. Waiting for the facilitator to start the game.`;
      status.textContent = fork + next;
      render(v);
    },
    destroy() {},
  };
}

function team(v: ClientView, role: Side | 'observer', removal: SeatRemoval | null): HTMLElement {
  const seats = v.seats.filter((s) => s.role === role);
  const bot = role !== 'observer' ? v.settings.bots[role] : null;
  return h(
    'div',
    { class: `team team-${role}` },
    h('h3', null, roleLabel(role), ` (${seats.length})`),
    bot ? h('p', { class: 'bot' }, `Played by a bot: ${botLabel(role as Side, bot)}`) : null,
    seats.length === 0 && !bot ? h('p', { class: 'muted' }, 'Nobody yet') : null,
    h(
      'ul',
      null,
      seats.map((s) => seatItem(s, v.you.seatId, removal)),
    ),
  );
}

function seatItem(s: SeatInfo, you: string, removal: SeatRemoval | null): HTMLElement {
  return h(
    'li',
    { class: s.connected ? 'online' : 'away' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }, s.connected ? '●' : '○'),
    ' ',
    seatName(s),
    s.lead ? ' (lead)' : '',
    s.id === you ? ' (you)' : '',
    h('span', { class: 'visually-hidden' }, s.connected ? ', connected' : ', not connected'),
    removal ? removal.controls(s) : null,
  );
}

function botLabel(side: Side, id: string): string {
  return botsFor(side).find((b) => b.id === id)?.label ?? id;
}
