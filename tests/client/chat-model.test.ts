import { describe, expect, it } from 'vitest';
import {
  agreementLines,
  channelsFor,
  latestSeqs,
  senderBadge,
  tabLabel,
  unreadCounts,
} from '../../client/src/model/chat-model.ts';
import { canUseChannel } from '../../server/room/reduce.ts';
import type { RoomState } from '../../server/room/state.ts';
import { CHANNELS, type Channel, type Role } from '../../shared/protocol/room.ts';
import { playedRoom, step, viewFor } from './fixtures.ts';

function chattyRoom(): RoomState {
  let room = playedRoom({ advances: 1 });
  room = step(room, { type: 'chat', seatId: 'seat-us', channel: 'us', text: 'Hold the line on cloud.' });
  room = step(room, {
    type: 'chat',
    seatId: 'seat-china',
    channel: 'bilateral',
    text: 'A hotline would help.',
  });
  room = step(room, { type: 'chat', seatId: 'seat-us', channel: 'bilateral', text: 'Agreed.' });
  room = step(room, { type: 'chat', seatId: 'seat-china', channel: 'china', text: 'Careful.' });
  return step(room, { type: 'fac.chat', channel: 'public', text: 'Ten minutes left.' });
}

describe('channelsFor', () => {
  it('matches what the server lets each role write', () => {
    for (const role of ['us', 'china', 'observer'] as const) {
      const writable = channelsFor(role)
        .filter((c) => c.canWrite)
        .map((c) => c.id);
      expect(writable).toEqual(CHANNELS.filter((ch) => canUseChannel(role, ch)));
    }
  });

  it('gives a team its own channel under the name Team', () => {
    expect(channelsFor('china').map((c) => [c.id, c.label])).toEqual([
      ['public', 'Public'],
      ['china', 'Team'],
      ['bilateral', 'US–China'],
    ]);
  });

  it('lets observers only read public, and the facilitator read all and broadcast on public', () => {
    expect(channelsFor('observer')).toEqual([
      { id: 'public', label: 'Public', composerLabel: null, canWrite: false },
    ]);
    const fac = channelsFor('facilitator');
    expect(fac.map((c) => c.id)).toEqual([...CHANNELS]);
    expect(fac.filter((c) => c.canWrite).map((c) => [c.id, c.composerLabel])).toEqual([
      ['public', 'Broadcast as White Cell'],
    ]);
  });

  it('lists every channel whose messages the seat receives', () => {
    const room = chattyRoom();
    for (const role of ['us', 'china', 'observer', 'facilitator'] as Role[]) {
      const readable = new Set<Channel>(channelsFor(role).map((c) => c.id));
      for (const m of viewFor(room, role).chat) expect(readable.has(m.channel)).toBe(true);
    }
  });
});

describe('unread', () => {
  it('counts messages after the last read one on each channel, not your own', () => {
    const chat = viewFor(chattyRoom(), 'us').chat;
    expect(unreadCounts(chat, {})).toEqual({ public: 2, us: 1, china: 0, bilateral: 2 });
    expect(unreadCounts(chat, {}, 'seat-us')).toEqual({ public: 2, us: 0, china: 0, bilateral: 1 });
    const read = latestSeqs(chat);
    expect(unreadCounts(chat, read)).toEqual({ public: 0, us: 0, china: 0, bilateral: 0 });
    expect(unreadCounts(chat, { ...read, public: 0 })).toEqual({ public: 2, us: 0, china: 0, bilateral: 0 });
  });

  it('puts the count in the tab name and badges senders in words', () => {
    const team = channelsFor('us')[1];
    if (!team) throw new Error('no team channel');
    expect(tabLabel(team, 2)).toBe('Team (2 unread)');
    expect(tabLabel(team, 0)).toBe('Team');
    const chat = viewFor(chattyRoom(), 'facilitator').chat;
    expect(chat.map(senderBadge)).toEqual(['White Cell', 'US', 'China', 'US', 'China', 'White Cell']);
  });
});

describe('agreementLines', () => {
  it('says each agreement’s state and which ones the team can answer', () => {
    // After round 1 the bots have proposed: the US eval standards (a1), China a hotline (a2).
    const room = playedRoom({ advances: 3 });
    const us = agreementLines(viewFor(room, 'us'));
    expect(us.map((l) => [l.id, l.answerable])).toEqual([
      ['a2', true],
      ['a1', false],
    ]);
    expect(us[0]?.name).toBe('AI crisis hotline');
    expect(us[0]?.text).toBe(
      'Proposed by China in round 1; waiting for an answer from the US, who can answer until round 3.',
    );
    expect(agreementLines(viewFor(room, 'observer')).every((l) => !l.answerable)).toBe(true);
  });

  it('says when agreements came into force, and notes an answer already in the draft', () => {
    const later = agreementLines(viewFor(playedRoom({ advances: 6 }), 'china'));
    expect(later.every((l) => l.status === 'in-force')).toBe(true);
    expect(later.at(-1)?.text).toBe('Proposed by the US in round 1; in force since the end of round 2.');
    let room = playedRoom({ advances: 3 });
    room = step(room, { type: 'fac.setBot', side: 'china', bot: null });
    room = step(room, {
      type: 'draft.set',
      seatId: 'seat-china',
      baseVersion: room.drafts.china.version,
      orders: [{ move: 'reject-agreement', agreementId: 'a1' }],
    });
    expect(agreementLines(viewFor(room, 'china')).find((l) => l.id === 'a1')?.inDraft).toBe('reject');
  });
});
