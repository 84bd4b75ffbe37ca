import { describe, expect, test } from 'vitest';
import { partingNote } from '../../client/src/model/fork-model.ts';
import { forkOrigin } from '../../server/room/fork.ts';
import { createRoom } from '../../server/room/reduce.ts';
import type { RoomState } from '../../server/room/state.ts';
import type { Order } from '../../shared/rules/state.ts';
import { playedRoom, step, viewFor } from './fixtures.ts';

const humans = { us: null, china: null };

/** Both sides lock these orders, and the room moves on to the next round's briefing. */
function playRound(room: RoomState, us: Order[], china: Order[]): RoomState {
  let r = room;
  while (r.phase !== 'orders') r = step(r, { type: 'fac.advance' });
  for (const [side, orders] of [
    ['us', us],
    ['china', china],
  ] as const) {
    r = step(r, { type: 'draft.set', seatId: `seat-${side}`, baseVersion: r.drafts[side].version, orders });
    r = step(r, { type: 'draft.lock', seatId: `seat-${side}`, baseVersion: r.drafts[side].version });
  }
  while (r.phase !== 'briefing' && r.phase !== 'ended') r = step(r, { type: 'fac.advance' });
  return r;
}

/** A fork of `source` (at the briefing of `round`) with the same seats, started. */
function forkOf(source: RoomState, round: number): RoomState {
  let r = createRoom({
    type: 'create',
    at: 1,
    id: 'fork-1',
    code: 'FORK01',
    facilitatorTokenHash: 'f'.repeat(64),
    seed: 'unused',
    settings: source.settings,
    fork: forkOrigin(source, round),
  });
  for (const seat of source.seats) r = step(r, { type: 'join', seat });
  return step(r, { type: 'fac.start' });
}

describe('where a fork parted from its original', () => {
  test('names the first round whose public orders differ, and how, side by side', () => {
    const safety: Order[] = [{ move: 'safety-research' }];
    let original = playedRoom({ rounds: 3, bots: humans });
    original = playRound(original, safety, [{ move: 'domestic-chips' }]);
    const atRound2 = original;
    let fork = forkOf(atRound2, 2);
    const fac = (r: RoomState) => viewFor(r, 'facilitator');
    expect(partingNote(fac(original), fac(fork), 'Fork 1')).toBe(
      'Fork 1 has not played a round of its own yet.',
    );

    original = playRound(original, safety, [{ move: 'domestic-chips' }]);
    fork = playRound(fork, safety, [{ move: 'domestic-chips' }]);
    expect(partingNote(fac(original), fac(fork), 'Fork 1')).toBe(
      "So far Fork 1 has given the original's public orders, round for round.",
    );

    original = playRound(original, safety, [{ move: 'domestic-chips' }]);
    fork = playRound(
      fork,
      [{ move: 'tighten-loophole', loophole: 'cloud' }],
      [{ move: 'domestic-chips' }, { move: 'algorithmic-efficiency' }],
    );
    const note = partingNote(fac(original), fac(fork), 'Fork 1');
    expect(note).toMatch(
      /^Fork 1 parted from the original in round 3: the US ordered Tighten an export-control loophole \(.+\) instead of Fund safety research; China also ordered .+\.$/,
    );
    // Not a fork of this game: nothing to say.
    expect(partingNote(fac(fork), fac(original), 'Table 2')).toBeNull();
  });
});
