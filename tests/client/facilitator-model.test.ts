import { describe, expect, it } from 'vitest';
import {
  adjustables,
  botChoices,
  injectableEvents,
  injectedEvent,
  teamStatus,
  truthTable,
  unmannedWarning,
} from '../../client/src/model/facilitator-model.ts';
import type { ClientView } from '../../shared/protocol/room.ts';
import { EVENT_DECK } from '../../shared/rules/events.ts';
import { adjustableVariables } from '../../shared/rules/facilitator.ts';
import { LOOPHOLES } from '../../shared/rules/ids.ts';
import { getMove } from '../../shared/rules/moves.ts';
import { forecastRoom, playedRoom, reveal, viewFor } from './fixtures.ts';

// Two advances after the start: briefing → negotiation → orders, where both bots have locked.
const room = playedRoom({ advances: 2 });
const fac = viewFor(room, 'facilitator');
const truth = fac.game.truth;
if (!truth) throw new Error('the facilitator view should carry the truth');

function withTruth(v: ClientView, patch: Partial<NonNullable<ClientView['game']['truth']>>): ClientView {
  return { ...v, game: { ...v.game, truth: { ...(v.game.truth as NonNullable<typeof truth>), ...patch } } };
}

describe('truthTable', () => {
  const rows = truthTable(fac);
  const row = (key: string) => {
    const r = rows.find((x) => x.key === key);
    if (!r) throw new Error(`no row ${key}`);
    return r;
  };

  it('puts the true China capability beside the US estimate of it, and marks China’s own value as known', () => {
    const r = row('china.capability');
    expect(r.truth).toBe(truth.china.capability);
    expect(r.china).toEqual({ kind: 'own' });
    expect(r.us.kind).toBe('estimate');
    if (r.us.kind === 'estimate') {
      expect(r.us.value).toBe(truth.estimates.us.capability.value);
      expect(r.us.error).toBe(truth.estimates.us.capability.error);
      expect(r.us.inRange).toBe(
        Math.abs(truth.estimates.us.capability.value - truth.china.capability) <=
          truth.estimates.us.capability.error,
      );
    }
  });

  it('puts the true US capability beside China’s estimate of it', () => {
    const r = row('us.capability');
    expect(r.truth).toBe(truth.us.capability);
    expect(r.us).toEqual({ kind: 'own' });
    expect(r.china.kind === 'estimate' && r.china.value).toBe(truth.estimates.china.capability.value);
  });

  it('has compute and intelligence for both sides and one flow row per loophole, with the US estimate', () => {
    for (const k of ['us.compute', 'china.compute', 'us.intel', 'china.intel']) expect(row(k)).toBeDefined();
    for (const l of LOOPHOLES) {
      const r = row(`loophole.${l}.flow`);
      expect(r.truth).toBe(truth.loopholes[l].flow);
      expect(r.us.kind === 'estimate' && r.us.value).toBe(truth.estimates.us.flows[l].value);
      // In words, not the camel-case id.
      expect(r.label).toMatch(/^Flow to China: [A-Za-z ]+$/);
      expect(r.label).not.toMatch(/[a-z][A-Z]/);
    }
    expect(rows).toHaveLength(6 + LOOPHOLES.length);
  });

  it('is empty for a seat without the truth', () => {
    expect(truthTable(viewFor(room, 'us'))).toEqual([]);
  });
});

describe('adjustables', () => {
  const list = adjustables(fac);

  it('offers exactly the variables the rules accept, with their bounds', () => {
    const rules = adjustableVariables(truth);
    expect(list.map((a) => a.variable).sort()).toEqual(Object.keys(rules).sort());
    for (const a of list) expect([a.min, a.max]).toEqual(rules[a.variable]);
  });

  it('prefills each with its current true value', () => {
    const get = (v: string) => list.find((a) => a.variable === v);
    expect(get('risk')?.value).toBe(truth.risk);
    expect(get('risk')?.max).toBe(truth.params.risk.limit);
    expect(get('loophole.cloud.openness')?.value).toBe(truth.loopholes.cloud.openness);
    expect(get('china.capability')?.value).toBe(truth.china.capability);
    expect(get('us.budget')?.digits).toBe(0);
    expect(get('alliedAlignment')?.digits).toBe(2);
  });

  it('labels variables in words', () => {
    expect(list.find((a) => a.variable === 'risk')?.label).toBe('global AI risk');
  });
});

describe('events', () => {
  it('offers the whole deck until a once-only event has happened, then leaves it out', () => {
    expect(injectableEvents(fac)).toHaveLength(EVENT_DECK.length);
    const once = EVENT_DECK.find((e) => e.once);
    const repeatable = EVENT_DECK.find((e) => !e.once);
    if (!once || !repeatable) throw new Error('the deck should have both kinds');
    const later = withTruth(fac, { usedEvents: [once.id, repeatable.id] });
    const ids = injectableEvents(later).map((e) => e.id);
    expect(ids).not.toContain(once.id);
    expect(ids).toContain(repeatable.id);
    expect(ids).toHaveLength(EVENT_DECK.length - 1);
  });

  it('names the queued event', () => {
    expect(injectedEvent(fac)).toBeNull();
    const e = EVENT_DECK[0];
    if (!e) throw new Error('empty deck');
    expect(injectedEvent(withTruth(fac, { injectedEvent: e.id }))?.title).toBe(e.title);
  });
});

describe('bots and teams', () => {
  it('offers humans first, then each side’s own bots', () => {
    const us = botChoices('us');
    expect(us[0]).toEqual({ id: null, label: 'No bot (humans play)' });
    expect(us.map((b) => b.id)).toContain('max-pressure');
    expect(botChoices('china').map((b) => b.id)).toContain('deceive');
    expect(botChoices('china').map((b) => b.id)).not.toContain('max-pressure');
  });

  it('shows each team’s draft, lock, seats and bot as the view has them', () => {
    const teams = teamStatus(fac);
    expect(teams.map((t) => t.side)).toEqual(['us', 'china']);
    for (const t of teams) {
      const d = fac.drafts?.[t.side];
      expect(t.locked).toBe(fac.locked[t.side]);
      expect(t.draft?.orders).toHaveLength(d?.orders.length ?? -1);
      expect(t.seats.map((s) => s.name)).toEqual([`${t.side} player`]);
      expect(t.connected).toBe(1);
      expect(t.bot).toBeTruthy();
    }
    // The bots lock as the orders phase opens, and every draft order is written in words.
    expect(teams.every((t) => t.locked)).toBe(true);
    for (const t of teams)
      t.draft?.orders.forEach((text, i) => {
        const move = fac.drafts?.[t.side].orders[i]?.move ?? '';
        expect(text.startsWith(getMove(move)?.name ?? '?')).toBe(true);
      });
  });
});

describe('the lobby warning', () => {
  const lobby = (
    bots: { us: string | null; china: string | null },
    seated: ('us' | 'china')[],
  ): ClientView => {
    const v = viewFor(playedRoom({ bots }), 'facilitator');
    return {
      ...v,
      seats: v.seats.filter((s) => s.role === 'observer' || seated.includes(s.role as 'us' | 'china')),
    };
  };

  it('names each side with nobody and no bot, and says nothing when every side is played', () => {
    expect(unmannedWarning(lobby({ us: null, china: null }, ['us', 'china']))).toBeNull();
    expect(unmannedWarning(lobby({ us: null, china: 'adaptive' }, ['us']))).toBeNull();
    expect(unmannedWarning(lobby({ us: null, china: null }, ['us']))).toMatch(
      /^The China team has nobody and no bot/,
    );
    expect(unmannedWarning(lobby({ us: null, china: null }, []))).toMatch(
      /^The US team and the China team have nobody and no bot/,
    );
  });
});

describe('the console’s teams', () => {
  it('show each team’s forecast this round and its record, judged against the truth', () => {
    const room = forecastRoom(['evasion-network', 'stockpile-chips']);
    const [us, china] = teamStatus(viewFor(room, 'facilitator'));
    expect(us?.forecast).toBe('Build an evasion network; Stockpile chips while they are allowed');
    expect(us?.forecastRecord).toBeNull();
    expect(china?.forecast).toBeNull();
    const revealed = reveal(room, [{ move: 'evasion-network', loophole: 'smuggling' }]);
    const [after] = teamStatus(viewFor(revealed, 'facilitator'));
    // The secret network counts: the console holds the truth.
    expect(after?.forecastRecord).toBe('1 round, mean score 50%; 1 of the 2 moves it named was made');
  });
});
