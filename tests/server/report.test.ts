import { describe, expect, it } from 'vitest';
import { markdownReport } from '../../server/export/exports.ts';
import type { RoomState } from '../../server/room/state.ts';
import { getMove } from '../../shared/rules/moves.ts';
import { playedRoom, step } from '../client/fixtures.ts';

/** Advances until the room is in `phase` of `round`. */
function advanceTo(room: RoomState, round: number, phase: RoomState['phase']): RoomState {
  let r = room;
  for (let i = 0; i < 50 && !(r.game.round === round && r.phase === phase); i++)
    r = step(r, { type: 'fac.advance' });
  expect([r.game.round, r.phase]).toEqual([round, phase]);
  return r;
}

describe('the after-action report and the facilitator', () => {
  it('keeps the rulings and the end of a round the facilitator ended before it resolved', () => {
    let room = advanceTo(playedRoom(), 2, 'negotiation');
    room = step(room, { type: 'fac.adjust', variable: 'trust', value: 12, note: 'Ruling: talks collapse' });
    room = step(room, { type: 'fac.end' });
    expect(room.game.history.public.map((l) => l.round)).toEqual([1]);
    const md = markdownReport(room);
    const section = md.slice(md.indexOf('### Round 2 (not resolved)'));
    expect(md).toContain('### Round 2 (not resolved)');
    expect(section).toContain('Ruling: talks collapse');
    expect(section).toContain('end: ended by the facilitator in round 2');
  });

  it('keeps a ruling made in a summary when the game is ended before the next round resolves', () => {
    // In a summary the rules have already moved to the next round: the ruling is filed under it.
    let room = advanceTo(playedRoom(), 2, 'summary');
    room = step(room, { type: 'fac.adjust', variable: 'risk', value: 20, note: 'Ruling: a quiet quarter' });
    room = step(room, { type: 'fac.end' });
    expect(markdownReport(room)).toContain('Ruling: a quiet quarter');
  });

  it('says which orders an early end kept from being played, locked or still a draft', () => {
    let room = advanceTo(playedRoom({ bots: { us: null, china: null } }), 2, 'orders');
    const us = [{ move: 'safety-research' }];
    room = step(room, {
      type: 'draft.set',
      seatId: 'seat-us',
      baseVersion: room.drafts.us.version,
      orders: us,
    });
    room = step(room, { type: 'draft.lock', seatId: 'seat-us', baseVersion: room.drafts.us.version });
    room = step(room, {
      type: 'draft.set',
      seatId: 'seat-china',
      baseVersion: room.drafts.china.version,
      orders: [{ move: 'domestic-chips' }],
    });
    room = step(room, { type: 'fac.end' });
    const names = (id: string) => getMove(id)?.name;
    expect(room.actions.at(-1)?.detail).toBe(
      `ended by the facilitator in round 2, before its orders were played (US locked: ${names('safety-research')}; China draft: ${names('domestic-chips')})`,
    );
    expect(markdownReport(room)).toContain('before its orders were played');
    // Ended in another phase, there were no orders on the table to mention.
    const early = step(advanceTo(playedRoom(), 2, 'negotiation'), { type: 'fac.end' });
    expect(early.actions.at(-1)?.detail).toBe('ended by the facilitator in round 2');
  });
});
