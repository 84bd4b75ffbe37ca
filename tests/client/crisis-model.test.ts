import { describe, expect, it } from 'vitest';
import { crisisCard } from '../../client/src/model/crisis-model.ts';
import type { RoomState } from '../../server/room/state.ts';
import { playedRoom, step, viewFor } from './fixtures.ts';

/** Round 1 with both sides human and the Taiwan Strait event injected: the crisis phase waits for both leads. */
function crisisRoom(usBot: string | null = null): RoomState {
  let room = playedRoom();
  room = step(room, { type: 'fac.setBot', side: 'china', bot: null });
  room = step(room, { type: 'fac.setBot', side: 'us', bot: null });
  room = step(room, { type: 'fac.inject', eventId: 'taiwan-strait-shock' });
  for (let i = 0; i < 3; i++) room = step(room, { type: 'fac.advance' });
  if (usBot) room = step(room, { type: 'fac.setBot', side: 'us', bot: usBot });
  return room;
}

describe('crisisCard', () => {
  it('is null before any event', () => {
    expect(crisisCard(viewFor(playedRoom(), 'us'))).toBeNull();
  });

  it('asks a pending two-sided crisis of the lead, with its side’s choices', () => {
    const room = crisisRoom();
    expect(room.phase).toBe('crisis');
    const card = crisisCard(viewFor(room, 'us'));
    expect(card).toMatchObject({
      kind: 'pending',
      eventId: 'taiwan-strait-shock',
      title: 'Supply-chain shock in the Taiwan Strait',
      prompt: 'De-escalate (pull ships back, open a channel) or hold your posture?',
      canAnswer: true,
      answered: { us: false, china: false },
      yourAnswer: null,
      waitingFor: ['us', 'china'],
      answeredBy: 'us player',
    });
    expect(card?.choices.map((c) => c.label)).toEqual(['De-escalate', 'Hold posture']);
    expect(card?.defaultNote).toMatch(/first, cooperative choice \(for your side: “De-escalate”\)/);
  });

  it('lets nobody but a side’s lead answer', () => {
    const room = crisisRoom();
    const observer = crisisCard(viewFor(room, 'observer'));
    expect(observer?.canAnswer).toBe(false);
    expect(observer?.choices).toEqual([]);
    expect(observer?.choicesBySide.china.map((c) => c.id)).toEqual(['de-escalate', 'hold']);
    expect(crisisCard(viewFor(room, 'facilitator'))?.canAnswer).toBe(false);
    expect(observer?.answererNote).toBeNull();
    const member = viewFor(room, 'us');
    const notLead = crisisCard({ ...member, you: { ...member.you, lead: false } });
    expect(notLead?.canAnswer).toBe(false);
    expect(notLead?.answererNote).toBe('us player, your team lead, answers for your side.');
  });

  it('after answering, shows your answer and waits for the other side without revealing its choice', () => {
    const room = step(crisisRoom(), { type: 'crisis.answer', seatId: 'seat-us', choice: 'hold' });
    const us = crisisCard(viewFor(room, 'us'));
    expect(us).toMatchObject({
      canAnswer: false,
      waitingFor: ['china'],
      answered: { us: true, china: false },
    });
    expect(us?.yourAnswer?.label).toBe('Hold posture');
    const china = crisisCard(viewFor(room, 'china'));
    expect(china).toMatchObject({ canAnswer: true, yourAnswer: null, answered: { us: true, china: false } });
    expect(crisisCard(viewFor(room, 'facilitator'))?.waitingFor).toEqual(['china']);
  });

  it('once both have answered, shows the round’s event with the answers from the log', () => {
    let room = step(crisisRoom(), { type: 'crisis.answer', seatId: 'seat-us', choice: 'hold' });
    room = step(room, { type: 'crisis.answer', seatId: 'seat-china', choice: 'de-escalate' });
    expect(room.phase).toBe('summary');
    const card = crisisCard(viewFor(room, 'china'));
    expect(card).toMatchObject({
      kind: 'drawn',
      heading: "This round's event: Supply-chain shock in the Taiwan Strait",
    });
    expect(card?.canAnswer).toBe(false);
    expect(card?.notes).toContain('Answers: US “Hold posture”, China “De-escalate”.');
    // In the next round's briefing the card names the round it came from.
    const next = crisisCard(viewFor(step(room, { type: 'fac.advance' }), 'china'));
    expect(next?.heading).toBe('Round 1 event: Supply-chain shock in the Taiwan Strait');
  });

  it('says a bot answers for a side it holds', () => {
    const card = crisisCard(viewFor(crisisRoom('adaptive'), 'us'));
    // A bot answers at once as it takes the seat.
    expect(card?.answeredBy).toBe('the adaptive bot');
    expect(card?.answererNote).toBe('The adaptive bot answers for your side.');
    expect(card?.canAnswer).toBe(false);
  });
});
