import {
  type Channel,
  type ChatMessage,
  type ClientView,
  MAX_CHAT_LENGTH,
} from '../../../shared/protocol/room.ts';
import { announce, h, lengthHint, replaceChildren } from '../dom.ts';
import {
  type AgreementLine,
  agreementLines,
  type ChannelInfo,
  channelAudience,
  channelsFor,
  latestSeqs,
  messageTime,
  senderBadge,
  tabLabel,
  unreadCounts,
} from '../model/chat-model.ts';
import { seatName } from '../model/labels.ts';
import { canEditDraft } from '../model/orders-model.ts';
import { createDraftEditor } from './orders.ts';
import type { Panel, PanelContext } from './panel.ts';
import './negotiation.css';

let uid = 0;
const newId = (prefix: string) => `${prefix}-${++uid}`;

/** A message's side class, for the badge colour; the badge's words carry the meaning. */
function sideClass(m: ChatMessage): string {
  return m.role === 'us' || m.role === 'china' ? `side-${m.role}` : 'side-white';
}

function messageItem(m: ChatMessage, me: string, title: string | null): HTMLDivElement {
  const time = new Date(m.at);
  // Not list items: a role=log container is not a list, and screen readers read each message whole.
  return h(
    'div',
    { class: `msg${m.seatId === me ? ' msg-own' : ''}` },
    h(
      'p',
      { class: 'msg-meta' },
      h('span', { class: 'msg-name' }, seatName({ name: m.name, title }), m.seatId === me ? ' (you)' : ''),
      ' ',
      // The White Cell signs as "White Cell" already: a badge saying it again is noise.
      senderBadge(m) === m.name ? null : [h('span', { class: `badge ${sideClass(m)}` }, senderBadge(m)), ' '],
      h('time', { datetime: time.toISOString(), class: 'muted' }, messageTime(m.at)),
    ),
    h('p', { class: 'msg-text' }, m.text),
  );
}

interface ChannelView {
  info: ChannelInfo;
  tab: HTMLButtonElement;
  panel: HTMLDivElement;
  log: HTMLDivElement;
  /** Only the shown channel's composer is in the page, so there is one "Message" field at a time. */
  form: HTMLFormElement | null;
  rendered: number;
}

function composer(info: ChannelInfo, send: (text: string) => Promise<string | null>): HTMLFormElement {
  const id = newId('msg');
  const hintId = newId('msg-hint');
  const textarea = h('textarea', {
    id,
    rows: 2,
    maxlength: MAX_CHAT_LENGTH,
    'data-key': `compose-${info.id}`,
    'aria-describedby': hintId,
  });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'composer' },
    h('label', { for: id }, info.composerLabel ?? 'Message'),
    textarea,
    h(
      'p',
      { class: 'muted composer-hint', id: hintId },
      'Enter sends; Shift+Enter starts a new line. ',
      lengthHint(textarea, MAX_CHAT_LENGTH),
    ),
    button,
    error,
  );
  let sending = false;
  const submit = async () => {
    const text = textarea.value.trim();
    if (!text || sending) return;
    sending = true;
    button.disabled = true;
    // Cleared at once, so what the person goes on typing while the message travels is kept.
    textarea.value = '';
    textarea.dispatchEvent(new Event('input'));
    const err = await send(text);
    sending = false;
    button.disabled = false;
    error.textContent = err ?? '';
    // A message the server refused comes back, before anything typed meanwhile.
    if (err) textarea.value = textarea.value ? `${text}\n${textarea.value}` : text;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void submit();
    }
  });
  return form;
}

/** Why a team cannot put an answer into its orders now. */
function answerBlocked(v: ClientView): string {
  const side = v.game.own?.side;
  if (side && v.settings.bots[side]) return 'A bot plays your side, so your team cannot change its orders.';
  const drafting = v.phase === 'briefing' || v.phase === 'negotiation' || v.phase === 'orders';
  if (drafting && v.draft?.locked) return 'Your orders are locked; the team lead can unlock them.';
  return 'Answers can go into your orders in the briefing, negotiation and orders phases.';
}

export function createNegotiationPanel(ctx: PanelContext): Panel {
  const { session } = ctx;
  const editor = createDraftEditor(session);
  const headingId = newId('negotiation-h');
  const agreementsHeadingId = newId('agreements-h');
  const tablist = h('div', { role: 'tablist', class: 'chat-tabs', 'aria-label': 'Chat channels' });
  const panels = h('div', { class: 'chat-panels' });
  const agreementsList = h('ul', { class: 'agreement-list' });
  const agreementsAlert = h('p', { class: 'error', role: 'alert' });
  const el = h(
    'section',
    { class: 'card panel negotiation-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'Negotiation'),
    h('div', { class: 'chat' }, tablist, panels),
    h(
      'section',
      { class: 'agreements', 'aria-labelledby': agreementsHeadingId },
      h('h3', { id: agreementsHeadingId }, 'Agreements'),
      h(
        'p',
        { class: 'muted' },
        'Formal proposals, acceptances and rejections are orders: they are revealed with the other orders and take effect then. The chat is where they are talked through.',
      ),
      agreementsList,
      agreementsAlert,
    ),
  );

  let channels: ChannelView[] = [];
  let selected: Channel = 'public';
  let lastRead: Partial<Record<Channel, number>> | null = null;
  let lastUnread: Partial<Record<Channel, number>> = {};
  let view: ClientView | null = null;

  // The facilitator's words go out as a White Cell broadcast, which the report also records.
  const sendOn = (info: ChannelInfo) => async (text: string) => {
    const ack =
      view?.you.role === 'facilitator'
        ? await session.send('fac:broadcast', { text })
        : await session.send('chat:send', { channel: info.id, text });
    return ack.ok ? null : ack.message;
  };

  const select = (id: Channel, focus: boolean) => {
    selected = id;
    for (const c of channels) {
      const on = c.info.id === id;
      c.tab.setAttribute('aria-selected', String(on));
      c.tab.tabIndex = on ? 0 : -1;
      c.panel.hidden = !on;
      if (on && c.form) c.panel.append(c.form);
      else c.form?.remove();
      if (on && focus) c.tab.focus();
      if (on) c.log.scrollTop = c.log.scrollHeight;
    }
    if (view) renderChat(view);
  };

  const build = (v: ClientView) => {
    channels = channelsFor(v.you.role).map((info) => {
      const tabId = newId(`tab-${info.id}`);
      const panelId = newId(`tabpanel-${info.id}`);
      const tab = h(
        'button',
        { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, class: 'chat-tab' },
        info.label,
      );
      const log = h('div', {
        class: 'chat-log',
        role: 'log',
        'aria-live': 'polite',
        'aria-label': `${info.label} chat`,
        // A scrolling region must be reachable by keyboard to be scrolled.
        tabindex: 0,
      });
      const panel = h(
        'div',
        { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, class: 'chat-panel' },
        h('p', { class: 'muted chat-audience' }, channelAudience(info.id)),
        log,
        info.canWrite ? null : h('p', { class: 'muted' }, 'You can read this channel but not write on it.'),
      );
      const form = info.canWrite ? composer(info, sendOn(info)) : null;
      tab.addEventListener('click', () => select(info.id, false));
      return { info, tab, panel, log, form, rendered: 0 };
    });
    tablist.addEventListener('keydown', (e) => {
      const i = channels.findIndex((c) => c.info.id === selected);
      const n = channels.length;
      const to =
        e.key === 'ArrowRight'
          ? (i + 1) % n
          : e.key === 'ArrowLeft'
            ? (i - 1 + n) % n
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? n - 1
                : -1;
      const next = channels[to];
      if (!next) return;
      e.preventDefault();
      select(next.info.id, true);
    });
    tablist.replaceChildren(...channels.map((c) => c.tab));
    panels.replaceChildren(...channels.map((c) => c.panel));
    select(channels[0]?.info.id ?? 'public', false);
  };

  const renderChat = (v: ClientView) => {
    const latest = latestSeqs(v.chat);
    // Everything before this panel first opened counts as read: only what arrives later is new.
    lastRead ??= { ...latest };
    lastRead[selected] = latest[selected];
    for (const c of channels) {
      const fresh = v.chat.filter((m) => m.channel === c.info.id && m.seq > c.rendered);
      if (fresh.length === 0) continue;
      const log = c.log;
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
      log.append(
        ...fresh.map((m) =>
          messageItem(m, v.you.seatId, v.seats.find((s) => s.id === m.seatId)?.title ?? null),
        ),
      );
      c.rendered = Math.max(c.rendered, ...fresh.map((m) => m.seq));
      if (atBottom) log.scrollTop = log.scrollHeight;
    }
    const unread = unreadCounts(v.chat, lastRead, v.you.seatId);
    for (const c of channels) {
      const n = unread[c.info.id];
      c.tab.textContent = tabLabel(c.info, n);
      if (n > 0 && !(lastUnread[c.info.id] ?? 0)) announce(`New message on ${c.info.label}.`);
    }
    lastUnread = unread;
  };

  const answer = async (line: AgreementLine, accept: boolean) => {
    const move = accept ? 'accept-agreement' : 'reject-agreement';
    const err = await editor.edit({
      kind: 'answer',
      order: { move, agreementId: line.id },
      replaces: [accept ? 'reject-agreement' : 'accept-agreement'],
    });
    agreementsAlert.textContent = err ?? '';
    if (!err) announce(`${accept ? 'Accept' : 'Reject'} ${line.name} is now in your team’s orders.`);
  };

  const renderAgreements = (v: ClientView) => {
    const lines = agreementLines(v);
    const editable = canEditDraft(v);
    if (lines.length === 0) {
      replaceChildren(agreementsList, h('li', { class: 'muted' }, 'No agreement has been proposed yet.'));
      return;
    }
    const why = editable ? null : answerBlocked(v);
    replaceChildren(
      agreementsList,
      lines.map((l) => {
        const button = (accept: boolean) => {
          const b = h(
            'button',
            { type: 'button', 'data-key': `${accept ? 'accept' : 'reject'}-${l.id}` },
            `${accept ? 'Accept' : 'Reject'} ${l.name} in orders`,
          );
          b.disabled = !editable || l.inDraft === (accept ? 'accept' : 'reject');
          b.addEventListener('click', () => void answer(l, accept));
          return b;
        };
        return h(
          'li',
          { class: `agreement status-${l.status}` },
          h('p', { class: 'agreement-name' }, l.name, h('span', { class: 'muted' }, ` (${l.id})`)),
          h('p', null, l.text),
          l.inDraft
            ? h(
                'p',
                { class: 'agreement-draft' },
                `Your team’s draft ${l.inDraft === 'accept' ? 'accepts' : 'rejects'} it.`,
              )
            : null,
          l.answerable ? h('p', { class: 'agreement-actions' }, button(true), ' ', button(false)) : null,
          l.answerable && why ? h('p', { class: 'muted' }, why) : null,
        );
      }),
    );
  };

  return {
    el,
    update(v) {
      view = v;
      if (channels.length === 0) build(v);
      renderChat(v);
      renderAgreements(v);
    },
    destroy() {
      channels = [];
    },
  };
}
