import type { Channel, ChatMessage, ClientView, Role } from '../../../shared/protocol/room.ts';
import { AGREEMENT_NAMES } from '../../../shared/rules/agreements.ts';
import { THE_SIDE } from '../../../shared/rules/explain.ts';
import { otherSide, type Side } from '../../../shared/rules/ids.ts';
import type { Agreement, AgreementStatus } from '../../../shared/rules/state.ts';

/**
 * The Negotiation panel's view model: which channels a seat reads and writes (docs/PROTOCOL.md,
 * "Chat channels"; the server enforces the same), unread counts, and the agreements in words.
 */

export interface ChannelInfo {
  id: Channel;
  label: string;
  /** What the composer of this channel is called, or null when the seat may only read it. */
  composerLabel: string | null;
  canWrite: boolean;
}

const SIDE_NAMES: Record<Side, string> = { us: 'US', china: 'China' };

function channel(id: Channel, label: string, composerLabel: string | null): ChannelInfo {
  return { id, label, composerLabel, canWrite: composerLabel !== null };
}

/**
 * Teams read and write public, their own team channel and the US–China channel. Observers read
 * public only. The facilitator reads all four; what it writes goes out as a White Cell broadcast
 * on public, so only the public channel has a composer.
 */
export function channelsFor(role: Role): ChannelInfo[] {
  switch (role) {
    case 'us':
    case 'china':
      return [
        channel('public', 'Public', 'Message'),
        channel(role, 'Team', 'Message'),
        channel('bilateral', 'US–China', 'Message'),
      ];
    case 'observer':
      return [channel('public', 'Public', null)];
    case 'facilitator':
      return [
        channel('public', 'Public', 'Broadcast as White Cell'),
        channel('us', 'US team', null),
        channel('china', 'China team', null),
        channel('bilateral', 'US–China', null),
      ];
  }
}

/** Who can read a channel, said to the person about to write on it. */
export function channelAudience(id: Channel): string {
  switch (id) {
    case 'public':
      return 'Everyone in the game reads the public channel, observers included.';
    case 'us':
    case 'china':
      return `Only the ${SIDE_NAMES[id]} team and the White Cell read this channel until the game ends; then everyone can.`;
    case 'bilateral':
      return 'Both teams and the White Cell read this channel; observers do not until the game ends.';
  }
}

/** Messages after the last one read on each channel, not counting your own. */
export function unreadCounts(
  chat: readonly ChatMessage[],
  lastRead: Partial<Record<Channel, number>>,
  me: string | null = null,
): Record<Channel, number> {
  const counts: Record<Channel, number> = { public: 0, us: 0, china: 0, bilateral: 0 };
  for (const m of chat) {
    if (m.seq > (lastRead[m.channel] ?? 0) && (me === null || m.seatId !== me)) counts[m.channel]++;
  }
  return counts;
}

/** The highest message number on each channel: what "read up to here" means. */
export function latestSeqs(chat: readonly ChatMessage[]): Record<Channel, number> {
  const seqs: Record<Channel, number> = { public: 0, us: 0, china: 0, bilateral: 0 };
  for (const m of chat) seqs[m.channel] = Math.max(seqs[m.channel], m.seq);
  return seqs;
}

export function tabLabel(c: ChannelInfo, unread: number): string {
  return unread > 0 ? `${c.label} (${unread} unread)` : c.label;
}

/** The sender's side or function, in words, so a badge never relies on colour alone. */
export function senderBadge(m: ChatMessage): string {
  switch (m.role) {
    case 'us':
      return 'US';
    case 'china':
      return 'China';
    case 'observer':
      return 'Observer';
    case 'facilitator':
    case 'system':
      return 'White Cell';
  }
}

/** "14:05", in the viewer's time zone. */
export function messageTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export interface AgreementLine {
  id: string;
  name: string;
  status: AgreementStatus;
  /** The agreement's state in words: who proposed it, when, and what became of it. */
  text: string;
  /** A proposal from the other side that this seat's team can answer by an order. */
  answerable: boolean;
  /** The answer already in the team's draft, if any. */
  inDraft: 'accept' | 'reject' | null;
}

/** How long a proposal can be answered: in the two rounds after it was made (docs/MODEL.md, Lifecycle). */
const ANSWER_ROUNDS = 2;

function statusText(a: Agreement): string {
  const proposed = `Proposed by ${THE_SIDE[a.proposedBy]} in round ${a.proposedRound}`;
  const other = THE_SIDE[otherSide(a.proposedBy)];
  switch (a.status) {
    case 'proposed':
      return `${proposed}; waiting for an answer from ${other}, who can answer until round ${a.proposedRound + ANSWER_ROUNDS}.`;
    case 'accepted':
      return `${proposed}; accepted by ${other}, entering into force as the round closes.`;
    case 'in-force':
      // `inForceFrom` is the first round of its per-round effects; it took force as the one before closed.
      return `${proposed}; in force${a.inForceFrom === null ? '' : ` since the end of round ${a.inForceFrom - 1}`}.`;
    case 'violated':
      return `${proposed}; void: broken by ${a.violator ? THE_SIDE[a.violator] : 'one side'}${a.violatedRound === null ? '' : ` in round ${a.violatedRound}`}.`;
    case 'complied':
      return `${proposed}; kept by both sides to the end.`;
    case 'rejected':
      return `${proposed}; rejected by ${other}.`;
    case 'expired':
      return `${proposed}; expired without an answer.`;
  }
}

/** Every agreement so far in words, newest first, with what this seat's team may do about it. */
export function agreementLines(view: ClientView): AgreementLine[] {
  const side = view.game.own?.side ?? null;
  const orders = view.draft?.orders ?? [];
  return [...view.game.public.agreements].reverse().map((a) => {
    const answerable = side !== null && a.status === 'proposed' && a.proposedBy !== side;
    const mine = orders.find(
      (o) => o.agreementId === a.id && (o.move === 'accept-agreement' || o.move === 'reject-agreement'),
    );
    return {
      id: a.id,
      name: AGREEMENT_NAMES[a.type],
      status: a.status,
      text: statusText(a),
      answerable,
      inDraft: !mine ? null : mine.move === 'accept-agreement' ? 'accept' : 'reject',
    };
  });
}
