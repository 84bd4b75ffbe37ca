import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  availableMoves,
  budgetLeft,
  canEditDraft,
  draftCost,
  draftDiff,
  draftProblems,
  leadAway,
  orderKey,
  orderLabel,
  revealedOrders,
  seatName,
  splitOrderErrors,
} from '../../client/src/model/orders-model.ts';
import type { RoomState } from '../../server/room/state.ts';
import { seatSnapshot } from '../../server/room/view.ts';
import { fromSnapshot } from '../../shared/protocol/merge.ts';
import { loopholeName } from '../../shared/rules/explain.ts';
import { movesFor } from '../../shared/rules/moves.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import type { Order } from '../../shared/rules/state.ts';
import { playedRoom, step, viewFor } from './fixtures.ts';

/** A room whose sides are played by the fixture's human seats, with the US draft set by the reducer. */
function humanRoom(orders: Order[] = [], advances = 0): RoomState {
  let room = playedRoom({ advances });
  room = step(room, { type: 'fac.setBot', side: 'us', bot: null });
  room = step(room, { type: 'fac.setBot', side: 'china', bot: null });
  if (orders.length)
    room = step(room, { type: 'draft.set', seatId: 'seat-us', baseVersion: room.drafts.us.version, orders });
  return room;
}

const move = (view: ReturnType<typeof viewFor>, id: string) => {
  const m = availableMoves(view).find((x) => x.id === id);
  if (!m) throw new Error(`no move ${id}`);
  return m;
};

describe('availableMoves', () => {
  it('lists exactly the moves of the seat’s side, and none for observers or the facilitator', () => {
    const room = humanRoom();
    expect(availableMoves(viewFor(room, 'us')).map((m) => m.id)).toEqual(movesFor('us').map((m) => m.id));
    expect(availableMoves(viewFor(room, 'china')).map((m) => m.id)).toEqual(
      movesFor('china').map((m) => m.id),
    );
    expect(availableMoves(viewFor(room, 'china')).some((m) => m.id === 'tighten-loophole')).toBe(false);
    expect(availableMoves(viewFor(room, 'observer'))).toEqual([]);
    expect(availableMoves(viewFor(room, 'facilitator'))).toEqual([]);
  });

  it('judges each choice by the move’s own precondition', () => {
    // The classroom scenario starts with talks open on safety only.
    const v = viewFor(humanRoom(), 'us');
    const talks = move(v, 'open-talks');
    expect(talks.blockedReason).toBeNull();
    expect(talks.choices.find((c) => c.value === 'safety')?.blockedReason).toMatch(
      /already open on safety only/,
    );
    expect(talks.choices.find((c) => c.value === 'broad')?.blockedReason).toBeNull();
    const propose = move(v, 'propose-agreement');
    expect(propose.choices.find((c) => c.value === 'hotline')?.blockedReason).toBeNull();
    expect(propose.choices.find((c) => c.value === 'frontier-cap')?.blockedReason).toMatch(/major agreement/);
    expect(move(v, 'punish-violation').blockedReason).toMatch(/only after catching/);
    expect(move(v, 'safety-research').blockedReason).toBeNull();
  });

  it('offers only the other side’s open proposals to accept, and says so when there are none', () => {
    const first = viewFor(humanRoom(), 'us');
    expect(move(first, 'accept-agreement').choices).toEqual([]);
    expect(move(first, 'accept-agreement').blockedReason).toBe(
      'the other side has no proposal waiting for an answer',
    );
    // After round 1 the bots have proposed: the US eval standards (a1), China a hotline (a2).
    const later = viewFor(playedRoom({ advances: 3 }), 'us');
    const accept = move(later, 'accept-agreement');
    expect(accept.choices.map((c) => c.value)).toEqual(['a2']);
    expect(accept.choices[0]?.label).toBe('AI crisis hotline (a2)');
    expect(
      move(viewFor(playedRoom({ advances: 3 }), 'china'), 'reject-agreement').choices.map((c) => c.value),
    ).toEqual(['a1']);
  });

  it('blocks what the budget left cannot pay for, and what is already in the draft', () => {
    // 3 + 2 + 2 = 7 of the 8 points.
    const v = viewFor(
      humanRoom([
        { move: 'frontier-training' },
        { move: 'safety-research' },
        { move: 'tighten-loophole', loophole: 'cloud' },
      ]),
      'us',
    );
    expect(budgetLeft(v)).toBe(1);
    expect(move(v, 'compute-buildout').blockedReason).toBe(
      'it costs 2 and only 1 point is left in the budget',
    );
    expect(move(v, 'ease-loophole').choices.find((c) => c.value === 'smuggling')?.blockedReason).toBeNull();
    expect(move(v, 'accept-agreement').cost).toBe(0);
    const w = viewFor(humanRoom([{ move: 'tighten-loophole', loophole: 'cloud' }]), 'us');
    const tighten = move(w, 'tighten-loophole');
    expect(tighten.choices.find((c) => c.value === 'cloud')?.blockedReason).toBe(
      'it is already in the draft',
    );
    expect(tighten.choices.find((c) => c.value === 'smuggling')?.blockedReason).toBeNull();
    expect(tighten.blockedReason).toBeNull();
  });

  it('blocks every move once the draft holds the most orders a side may give', () => {
    const eight: Order[] = [
      { move: 'accept-agreement', agreementId: 'x1' },
      { move: 'accept-agreement', agreementId: 'x2' },
      { move: 'accept-agreement', agreementId: 'x3' },
      { move: 'accept-agreement', agreementId: 'x4' },
      { move: 'reject-agreement', agreementId: 'x5' },
      { move: 'reject-agreement', agreementId: 'x6' },
      { move: 'reject-agreement', agreementId: 'x7' },
      { move: 'reject-agreement', agreementId: 'x8' },
    ];
    const v = viewFor(humanRoom(eight), 'us');
    expect(budgetLeft(v)).toBe(8);
    expect(availableMoves(v).every((m) => m.blockedReason?.includes('already has 8 orders'))).toBe(true);
  });
});

describe('costs and labels', () => {
  it('adds the catalogue costs of a draft', () => {
    expect(draftCost([])).toBe(0);
    expect(draftCost([{ move: 'frontier-training' }, { move: 'open-talks', scope: 'broad' }])).toBe(4);
    expect(budgetLeft(viewFor(humanRoom([{ move: 'frontier-training' }]), 'us'))).toBe(5);
  });

  it('names an order by its move and its target', () => {
    expect(loopholeName('cloud')).toBe('cloud rental');
    expect(orderLabel({ move: 'tighten-loophole', loophole: 'cloud' })).toBe(
      'Tighten an export-control loophole: cloud rental',
    );
    expect(orderLabel({ move: 'propose-agreement', agreement: 'hotline' })).toBe(
      'Propose an agreement: AI crisis hotline',
    );
    expect(orderLabel({ move: 'open-talks', scope: 'safety' })).toBe('Open or reframe talks: safety only');
    expect(orderLabel({ move: 'safety-research', rationale: 'why' })).toBe('Fund safety research');
    const agreements = viewFor(playedRoom({ advances: 3 }), 'us').game.public.agreements;
    expect(orderLabel({ move: 'accept-agreement', agreementId: 'a2' }, agreements)).toBe(
      'Accept a proposed agreement: AI crisis hotline (a2)',
    );
    expect(orderLabel({ move: 'accept-agreement', agreementId: 'a9' })).toBe(
      'Accept a proposed agreement: agreement a9',
    );
  });
});

describe('draftDiff', () => {
  it('finds added and removed orders, ignoring rewording', () => {
    const prev: Order[] = [{ move: 'safety-research' }, { move: 'tighten-loophole', loophole: 'cloud' }];
    const next: Order[] = [
      { move: 'safety-research', rationale: 'reworded' },
      { move: 'tighten-loophole', loophole: 'smuggling' },
    ];
    expect(draftDiff(prev, next)).toEqual({
      added: [{ move: 'tighten-loophole', loophole: 'smuggling' }],
      removed: [{ move: 'tighten-loophole', loophole: 'cloud' }],
    });
    expect(draftDiff(prev, prev)).toEqual({ added: [], removed: [] });
  });

  it('counts repeated orders', () => {
    const one: Order[] = [{ move: 'safety-research' }];
    const two: Order[] = [{ move: 'safety-research' }, { move: 'safety-research' }];
    expect(draftDiff(one, two).added).toHaveLength(1);
    expect(draftDiff(two, one).removed).toHaveLength(1);
  });
});

describe('applyEdit', () => {
  const a: Order = { move: 'safety-research' };
  const b: Order = { move: 'tighten-loophole', loophole: 'cloud', rationale: 'old' };
  const c: Order = { move: 'frontier-training' };

  it('re-applies a removal or a rationale on a draft a teammate changed meanwhile', () => {
    // The person saw [a, b]; a teammate put c first, so b moved from index 1 to 2.
    const newer = [c, a, b];
    expect(applyEdit(newer, { kind: 'remove', key: orderKey(b), index: 1 })).toEqual([c, a]);
    expect(applyEdit(newer, { kind: 'rationale', key: orderKey(b), index: 1, text: '  new  ' })).toEqual([
      c,
      a,
      { ...b, rationale: 'new' },
    ]);
    expect(applyEdit([a, b], { kind: 'rationale', key: orderKey(b), index: 1, text: ' ' })).toEqual([
      a,
      { move: 'tighten-loophole', loophole: 'cloud' },
    ]);
  });

  it('gives up when the order is gone or the addition is already there', () => {
    expect(applyEdit([a], { kind: 'remove', key: orderKey(b), index: 1 })).toBeNull();
    expect(applyEdit([a], { kind: 'rationale', key: orderKey(b), index: 0, text: 'x' })).toBeNull();
    expect(applyEdit([a], { kind: 'add', order: { move: 'safety-research' } })).toBeNull();
    expect(applyEdit([a], { kind: 'add', order: c })).toEqual([a, c]);
  });

  it('lets an acceptance replace a rejection of the same agreement', () => {
    const reject: Order = { move: 'reject-agreement', agreementId: 'a2' };
    const other: Order = { move: 'reject-agreement', agreementId: 'a3' };
    const accept: Order = { move: 'accept-agreement', agreementId: 'a2' };
    const edit = { kind: 'answer' as const, order: accept, replaces: ['reject-agreement'] };
    expect(applyEdit([a, reject, other], edit)).toEqual([a, other, accept]);
    expect(applyEdit([accept], edit)).toBeNull();
  });
});

describe('problems', () => {
  it('finds each order’s problems as the rules would at lock time', () => {
    const v = viewFor(
      humanRoom([
        { move: 'open-talks', scope: 'safety' },
        { move: 'safety-research' },
        { move: 'safety-research' },
        { move: 'frontier-training' },
      ]),
      'us',
    );
    const p = draftProblems(v);
    expect(p.perOrder[0]).toMatch(/already open/);
    expect(p.perOrder[1]).toBeNull();
    expect(p.perOrder[2]).toBe('ordered twice with the same target');
    // 1 + 2 + 2 + 3 points: exactly the budget.
    expect(p.general).toEqual([]);
    const over = draftProblems(
      viewFor(
        humanRoom([
          { move: 'frontier-training' },
          { move: 'compute-buildout' },
          { move: 'safety-research' },
          { move: 'intel-verification' },
        ]),
        'us',
      ),
    );
    expect(over.general).toEqual(['These orders cost 9 points; the budget is 8.']);
  });

  it('splits the server’s invalid-orders message by order', () => {
    const room = humanRoom();
    const r = validateOrders(room.game, 'us', [
      { move: 'safety-research' },
      { move: 'open-talks', scope: 'safety' },
      { move: 'frontier-training' },
      { move: 'compute-buildout' },
      { move: 'intel-verification' },
    ]);
    if (r.ok) throw new Error('expected problems');
    const message = r.errors.map((e) => e.message).join('; ');
    const split = splitOrderErrors(message);
    expect([...split.perOrder.keys()]).toEqual([1]);
    expect(split.perOrder.get(1)?.[0]).toMatch(/^talks are already open/);
    expect(split.general).toEqual(['these orders cost 10 points; the budget is 8']);
  });
});

describe('seats and the record', () => {
  it('names who edited the draft', () => {
    const v = viewFor(humanRoom([{ move: 'safety-research' }]), 'us');
    expect(seatName(v, v.draft?.editedBy ?? null)).toBe('us player (you)');
    expect(seatName(viewFor(humanRoom([{ move: 'safety-research' }]), 'us'), 'seat-china')).toBe(
      'china player',
    );
    expect(seatName(v, 'bot:adaptive')).toBe('the adaptive bot');
  });

  it('shows the last round’s orders: your own with rationales, the other side’s overt ones', () => {
    const v = viewFor(playedRoom({ advances: 2 }), 'us');
    const r = revealedOrders(v);
    expect(r?.round).toBe(1);
    expect(r?.own.length).toBeGreaterThan(0);
    expect(r?.own.every((o) => o.side === 'us')).toBe(true);
    expect(r?.own.some((o) => o.rationale)).toBe(true);
    expect(r?.other.every((o) => o.side === 'china')).toBe(true);
    expect(revealedOrders(viewFor(playedRoom(), 'us'))).toBeNull();
  });

  it('allows editing only for a human team in the drafting phases with an unlocked draft', () => {
    expect(canEditDraft(viewFor(humanRoom(), 'us'))).toBe(true);
    // The fixture's sides are held by bots.
    expect(canEditDraft(viewFor(playedRoom(), 'us'))).toBe(false);
    expect(canEditDraft(viewFor(humanRoom(), 'observer'))).toBe(false);
    expect(canEditDraft(viewFor(humanRoom([], 2), 'us'))).toBe(false);
  });
});

describe('a lead who is away', () => {
  /** The human room with a second US member, seen by that member, with `online` connected. */
  function memberView(room: RoomState, online: string[]) {
    return fromSnapshot(
      seatSnapshot(room, { seatId: 'seat-us2', name: 'Cy', role: 'us' }, new Set(online), 1_700_000_000_000),
    );
  }
  const withMember = (room: RoomState) =>
    step(room, {
      type: 'join',
      seat: { id: 'seat-us2', tokenHash: 'c'.repeat(64), name: 'Cy', role: 'us', joinedAt: 1 },
    });

  it('offers the lead to a member only while the lead is offline, in a game still running', () => {
    const room = withMember(humanRoom());
    expect(leadAway(memberView(room, ['seat-us', 'seat-us2']))).toBeNull();
    expect(leadAway(memberView(room, ['seat-us2']))).toBe('us player');
    // The lead itself, a team held by a bot, and a finished game are never offered it.
    expect(leadAway(viewFor(room, 'us'))).toBeNull();
    expect(leadAway(memberView(withMember(playedRoom()), ['seat-us2']))).toBeNull();
    const ended = step(room, { type: 'fac.end' });
    expect(leadAway(memberView(ended, ['seat-us2']))).toBeNull();
    // Once Cy has taken it, Cy is the lead and nothing is offered.
    const taken = step(room, { type: 'lead.take', seatId: 'seat-us2' });
    const v = memberView(taken, ['seat-us2']);
    expect(v.you.lead).toBe(true);
    expect(leadAway(v)).toBeNull();
  });
});
