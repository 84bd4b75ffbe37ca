import { describe, expect, it } from 'vitest';
import { newCtx, type RoundCtx, SIDE_METERS, type SideMeter } from '../../shared/rules/context.ts';
import { type CellKey, EVENT_DECK, EVENT_IDS, type EventDef, getEvent } from '../../shared/rules/events.ts';
import { LOOPHOLES, SIDES } from '../../shared/rules/ids.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import { resolveCrisis } from '../../shared/rules/round.ts';
import type { Agreement, ChangeRecord, GameState } from '../../shared/rules/state.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import {
  addAgreement,
  answerCrisis,
  clamp,
  forceEvent,
  game,
  lastLog,
  must,
  notesText,
  quiet,
  records,
  resolve,
  SHORT,
  sumDelta,
} from './helpers.ts';

type SideMeterName = SideMeter;

/** Every number a change record may name, read from a state. */
function meters(s: GameState): Map<string, number> {
  const m = new Map<string, number>([
    ['risk', s.risk],
    ['trust', s.trust],
    ['alliedAlignment', s.alliedAlignment],
  ]);
  for (const side of SIDES) for (const f of SIDE_METERS) m.set(`${side}.${f}`, s[side][f]);
  for (const l of LOOPHOLES) {
    m.set(`loophole.${l}.openness`, s.loopholes[l].openness);
    m.set(`loophole.${l}.evasion`, s.loopholes[l].evasion);
    m.set(`loophole.${l}.flow`, s.loopholes[l].flow);
  }
  return m;
}

/** Which log a variable's change belongs in: a side's true values and China's networks are private. */
function audience(variable: string): 'pub' | 'us' | 'china' {
  if (variable.startsWith('us.')) return 'us';
  if (variable.startsWith('china.')) return 'china';
  if (/^loophole\.[^.]+\.(evasion|flow)$/.test(variable)) return 'china';
  return 'pub';
}

/** A createGame state with every meter away from its bounds, so increases and decreases both show. */
function midState(): GameState {
  const s = game();
  s.risk = s.params.risk.limit / 2;
  s.trust = 50;
  s.alliedAlignment = 0.5;
  for (const side of SIDES) {
    s[side].econCost = 10;
    s[side].politicalCost = 10;
    s[side].intel = 0.5;
    s[side].safety = 20;
    s[side].capability = 50;
    s[side].computePerRound = 20;
  }
  for (const l of LOOPHOLES) {
    s.loopholes[l].openness = 0.5;
    s.loopholes[l].evasion = 0.5;
  }
  return s;
}

function applyEvent(
  id: string,
  prep?: (s: GameState) => void,
): { before: GameState; s: GameState; ctx: RoundCtx } {
  const s = midState();
  prep?.(s);
  const before = structuredClone(s);
  const ctx = newCtx(s);
  must(getEvent(id), `event ${id}`).apply(ctx);
  return { before, s, ctx };
}

type Dir = '+' | '-';
interface Spec {
  prep?: (s: GameState) => void;
  changes: Record<string, Dir>;
}

const withUndetectedViolation = (s: GameState) => {
  addAgreement(s, 'eval-standards', 'in-force', 'w1');
  s.violations.push({ agreementId: 'w1', side: 'china', round: s.round - 1, detected: false });
};

/** The immediate effect of every event in the deck: which numbers move, and which way. */
const SPECS: Record<string, Spec> = {
  'smuggling-ring-exposed': {
    changes: {
      'loophole.smuggling.openness': '-',
      'loophole.smuggling.evasion': '-',
      trust: '-',
      'china.econCost': '+',
    },
  },
  'cloud-loophole-scandal': { changes: { 'loophole.cloud.openness': '-', 'us.politicalCost': '+' } },
  'china-efficiency-breakthrough': {
    changes: { 'china.capability': '+', 'china.efficiency': '+', 'us.politicalCost': '+', risk: '+' },
  },
  'rogue-cyber-agent': { changes: { risk: '+' } },
  'lab-incident': { changes: { risk: '+', trust: '-' } },
  'ally-breaks-ranks': { changes: { 'loophole.fabEquipment.openness': '+', alliedAlignment: '-' } },
  'taiwan-strait-shock': { changes: { 'us.compute': '-', 'china.compute': '-', risk: '+' } },
  'ai-cuban-missile-crisis': { changes: { risk: '+' } },
  'deepfake-interference': { changes: { risk: '+', trust: '-' } },
  'chip-industry-lobbying': { changes: { 'us.politicalCost': '+', 'loophole.allowedChips.openness': '+' } },
  'open-weights-release': { changes: { 'china.capability': '+', risk: '+' } },
  'bio-misuse-scare': { changes: { risk: '+' } },
  whistleblower: { prep: withUndetectedViolation, changes: { trust: '-' } },
  'mineral-squeeze': { changes: { 'us.econCost': '+', 'us.computePerRound': '-' } },
  'domestic-fab-milestone': { changes: { 'china.computePerRound': '+' } },
  'transit-crackdown': { changes: { 'loophole.smuggling.openness': '-', 'loophole.smuggling.evasion': '-' } },
  'weights-theft': { changes: { 'china.capability': '+', risk: '+' } },
  'autonomous-weapons-incident': { changes: { risk: '+' } },
  'us-political-shift': { changes: { 'us.politicalCost': '-' } },
  'safety-summit': {
    prep: (s) => {
      s.talks = { open: false, scope: 'safety' };
    },
    changes: { trust: '+', risk: '-' },
  },
  'ai-bubble-correction': {
    changes: {
      'us.computePerRound': '-',
      'china.computePerRound': '-',
      'us.econCost': '+',
      'china.econCost': '+',
    },
  },
  'researcher-espionage-case': { changes: { trust: '-', 'china.capability': '+' } },
  'power-grid-limits': { changes: { 'us.computePerRound': '-' } },
  'early-warning-false-alarm': { changes: { risk: '+' } },
};

const RESPONSE_EVENTS: EventDef[] = EVENT_DECK.filter((e) => e.response);
const CELLS: CellKey[] = ['cc', 'cd', 'dc', 'dd'];

describe('the crisis deck', () => {
  it('has at least 20 events with unique ids, and some need a two-sided response', () => {
    expect(EVENT_DECK.length).toBeGreaterThanOrEqual(20);
    expect(new Set(EVENT_IDS).size).toBe(EVENT_DECK.length);
    expect([...EVENT_IDS]).toEqual(EVENT_DECK.map((e) => e.id));
    expect(RESPONSE_EVENTS.length).toBeGreaterThanOrEqual(1);
    expect(RESPONSE_EVENTS.map((e) => e.id)).toContain('ai-cuban-missile-crisis');
    for (const e of EVENT_DECK) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(getEvent(e.id)).toBe(e);
    }
  });

  it('gives each side two distinct answers to every two-sided crisis', () => {
    for (const e of RESPONSE_EVENTS) {
      const r = must(e.response);
      for (const side of SIDES) {
        const [a, b] = r.choices[side];
        expect(a.id).not.toBe(b.id);
        expect(a.label.length * b.label.length).toBeGreaterThan(0);
      }
    }
  });

  it('makes every two-sided crisis a dilemma: mutual cooperation beats mutual defection', () => {
    for (const e of RESPONSE_EVENTS) {
      const c = must(e.response).cells;
      expect(c.cc.risk, e.id).toBeLessThan(c.dd.risk);
      expect(c.cc.trust, e.id).toBeGreaterThan(c.dd.trust);
    }
  });

  it('has a test below for every event', () => {
    expect(Object.keys(SPECS).sort()).toEqual([...EVENT_IDS].sort());
  });
});

describe('immediate effects of each event (applied through a RoundCtx)', () => {
  for (const [id, spec] of Object.entries(SPECS)) {
    it(`${id}: ${Object.entries(spec.changes)
      .map(([v, d]) => `${v} ${d}`)
      .join(', ')}`, () => {
      const { before, s, ctx } = applyEvent(id, spec.prep);
      const b = meters(before);
      const a = meters(s);
      const changed: Record<string, Dir> = {};
      for (const [k, v] of a) {
        const d = v - must(b.get(k));
        if (d !== 0) changed[k] = d > 0 ? '+' : '-';
      }
      expect(changed).toEqual(spec.changes);
      // Every change is explained by a record with the event as cause, in the right log and only there.
      const logs: Record<'pub' | 'us' | 'china', ChangeRecord[]> = {
        pub: ctx.pub,
        us: ctx.us,
        china: ctx.china,
      };
      for (const [k] of Object.entries(changed)) {
        const where = audience(k);
        const recs = logs[where].filter((c) => c.variable === k);
        expect(recs.length, k).toBeGreaterThan(0);
        expect(recs.every((c) => c.cause === `event.${id}` && c.round === before.round)).toBe(true);
        expect(sumDelta(recs)).toBeCloseTo(must(a.get(k)) - must(b.get(k)));
        expect(recs[recs.length - 1]?.after).toBeCloseTo(must(a.get(k)));
      }
      for (const where of ['pub', 'us', 'china'] as const)
        for (const c of logs[where]) expect(audience(c.variable), `${c.variable} in ${where}`).toBe(where);
    });
  }
});

describe('events with conditions', () => {
  it('whistleblower exposes an undetected violation: the agreement is void, the cheat is caught, the victim may retaliate', () => {
    const { s, before } = applyEvent('whistleblower', withUndetectedViolation);
    expect(s.violations).toEqual([
      { agreementId: 'w1', side: 'china', round: before.round - 1, detected: true },
    ]);
    const a = must(s.agreements.find((x) => x.id === 'w1'));
    expect(a).toMatchObject({ status: 'violated', violator: 'china', violatedRound: before.round - 1 });
    expect(s.china.caught).toBe(before.china.caught + 1);
    expect(s.us.retaliationWindow).toBeGreaterThan(0);
    expect(s.china.retaliationWindow).toBe(0);
    expect(s.trust).toBeCloseTo(clamp(before.trust + s.params.trust.violationDetected, 0, 100));
    expect(validateOrders({ ...s, phase: 'orders' }, 'us', [{ move: 'punish-violation' }]).ok).toBe(true);
  });

  it('whistleblower has nothing to leak without an undetected violation, and then never comes up', () => {
    const e = must(getEvent('whistleblower'));
    const { s, before } = applyEvent('whistleblower');
    expect(s).toEqual(before);
    expect(e.weight(before)).toBe(0);
    const withOne = midState();
    withUndetectedViolation(withOne);
    expect(e.weight(withOne)).toBeGreaterThan(0);
    // A secret breach of an agreement already found broken (void) is no second scandal.
    const voided = midState();
    withUndetectedViolation(voided);
    for (const a of voided.agreements) a.status = 'violated';
    expect(e.weight(voided)).toBe(0);
    const { s: after, before: was } = applyEvent('whistleblower', (st) => {
      withUndetectedViolation(st);
      for (const a of st.agreements) a.status = 'violated';
    });
    expect(after.china.caught).toBe(was.china.caught);
    expect(after.trust).toBe(was.trust);
  });

  it('lab-incident is softened by incident notification in force: less risk, and trust rises instead of falling', () => {
    const plain = applyEvent('lab-incident');
    const notified = applyEvent('lab-incident', (s) => {
      addAgreement(s, 'incident-notification', 'in-force', 'n1');
    });
    const riskPlain = plain.s.risk - plain.before.risk;
    const riskNotified = notified.s.risk - notified.before.risk;
    expect(riskNotified).toBeGreaterThan(0);
    expect(riskNotified).toBeLessThan(riskPlain);
    expect(notified.s.trust).toBeGreaterThan(notified.before.trust);
    expect(JSON.stringify(notified.ctx.notes.pub)).toContain('incident');
  });

  it('safety-summit opens closed talks on safety, and leaves open talks as they are', () => {
    const closed = applyEvent('safety-summit', (s) => {
      s.talks = { open: false, scope: 'broad' };
    });
    expect(closed.s.talks).toEqual({ open: true, scope: 'safety' });
    const open = applyEvent('safety-summit', (s) => {
      s.talks = { open: true, scope: 'broad' };
    });
    expect(open.s.talks).toEqual({ open: true, scope: 'broad' });
  });

  it('proportional shocks scale with the current level (fab milestone, Taiwan Strait)', () => {
    const ratio = (
      id: string,
      read: (s: GameState) => number,
      set: (s: GameState, v: number) => void,
      v: number,
    ) => {
      const r = applyEvent(id, (s) => set(s, v));
      return read(r.s) / v;
    };
    const fab = (v: number) =>
      ratio(
        'domestic-fab-milestone',
        (s) => s.china.computePerRound,
        (s, x) => {
          s.china.computePerRound = x;
        },
        v,
      );
    expect(fab(2)).toBeCloseTo(fab(40));
    const strait = (v: number) =>
      ratio(
        'taiwan-strait-shock',
        (s) => s.us.compute,
        (s, x) => {
          s.us.compute = x;
        },
        v,
      );
    expect(strait(100)).toBeCloseTo(strait(5000));
    expect(strait(100)).toBeLessThan(1);
  });
});

describe('event odds depend on the state and the scenario', () => {
  it('the AI Cuban Missile Crisis grows likelier as risk rises; smuggling exposure as smuggling opens; a lab incident with racing', () => {
    const s = midState();
    const limit = s.params.risk.limit;
    const cmc = must(getEvent('ai-cuban-missile-crisis'));
    expect(cmc.weight({ ...s, risk: 0.8 * limit })).toBeGreaterThan(cmc.weight({ ...s, risk: 0.2 * limit }));
    expect(cmc.once).toBe(true);
    const ring = must(getEvent('smuggling-ring-exposed'));
    const closed = structuredClone(s);
    closed.loopholes.smuggling = { ...closed.loopholes.smuggling, openness: 0, evasion: 0 };
    expect(ring.weight(s)).toBeGreaterThan(ring.weight(closed));
    const lab = must(getEvent('lab-incident'));
    const calm = resolve(quiet(game()));
    const racing = resolve(quiet(game()), [{ move: 'frontier-training' }], [{ move: 'frontier-training' }]);
    expect(lab.weight(racing)).toBeGreaterThan(lab.weight(calm));
  });

  it('a ban on AI in nuclear command makes drone incidents and false alarms rarer while it is in force', () => {
    const s = midState();
    const banned = structuredClone(s);
    banned.agreements = [
      {
        id: 'A9',
        type: 'no-ai-nuclear-c2',
        proposedBy: 'china',
        proposedRound: 1,
        status: 'in-force',
        inForceFrom: 2,
        violatedRound: null,
        violator: null,
      },
    ];
    const proposedOnly = structuredClone(banned);
    proposedOnly.agreements = [
      { ...(banned.agreements[0] as Agreement), status: 'proposed', inForceFrom: null },
    ];
    for (const id of ['autonomous-weapons-incident', 'early-warning-false-alarm']) {
      const e = must(getEvent(id));
      expect(e.weight(banned), id).toBeLessThan(e.weight(s));
      // Only an agreement in force counts, not one still on the table.
      expect(e.weight(proposedOnly), id).toBe(e.weight(s));
    }
  });

  it('scenario weights and disabled events carry into the game', () => {
    const sc = builtinScenario(SHORT);
    const s = game(1, SHORT);
    expect(sc.events.disabled.length).toBeGreaterThan(0);
    for (const id of EVENT_IDS) {
      const expected = sc.events.disabled.includes(id) ? 0 : (sc.events.weights[id] ?? 1);
      expect(s.eventWeights[id], id).toBe(expected);
    }
    expect(s.eventChance).toBe(sc.events.chancePerRound);
  });

  it('a drawn event is applied at the end of the round and logged with it', () => {
    const s = forceEvent(quiet(game()), 'deepfake-interference');
    const after = resolve(s);
    expect(after.phase).toBe('orders');
    expect(lastLog(after, 'public').event).toBe('deepfake-interference');
    expect(after.history.metrics[after.history.metrics.length - 1]?.event).toBe('deepfake-interference');
    expect(records(after, 'public', 'event.deepfake-interference').length).toBeGreaterThan(0);
  });

  it('a once-only event already used is never drawn again, and disabled events are never drawn', () => {
    const used = forceEvent(quiet(game()), 'ai-bubble-correction');
    used.usedEvents = ['ai-bubble-correction'];
    expect(lastLog(resolve(used), 'public').event).toBeNull();
    const fresh = forceEvent(quiet(game()), 'ai-bubble-correction');
    const after = resolve(fresh);
    expect(lastLog(after, 'public').event).toBe('ai-bubble-correction');
    expect(after.usedEvents).toContain('ai-bubble-correction');
    const disabled = quiet(game());
    disabled.eventChance = 1;
    expect(lastLog(resolve(disabled), 'public').event).toBeNull();
  });
});

/** A hand-made state waiting for answers to `eventId`, with meters away from their bounds. */
function crisisState(eventId: string, prep?: (s: GameState) => void): GameState {
  const s = midState();
  quiet(s);
  s.phase = 'crisis';
  s.pendingCrisis = { eventId, round: s.round, responses: { us: null, china: null } };
  prep?.(s);
  return s;
}

function answersFor(e: EventDef, key: CellKey): { us: string; china: string } {
  const r = must(e.response);
  return { us: r.choices.us[key[0] === 'c' ? 0 : 1].id, china: r.choices.china[key[1] === 'c' ? 0 : 1].id };
}

describe('two-sided crisis answers (resolveCrisis)', () => {
  for (const e of RESPONSE_EVENTS) {
    for (const key of CELLS) {
      it(`${e.id}, cell ${key}`, () => {
        const s = crisisState(e.id);
        const cell = must(e.response).cells[key];
        const ans = answersFor(e, key);
        const after = answerCrisis(s, ans.us, ans.china);
        expect(after.risk).toBeCloseTo(clamp(s.risk + cell.risk, s.params.risk.floor, s.params.risk.limit));
        expect(after.trust).toBeCloseTo(clamp(s.trust + cell.trust, 0, 100));
        for (const side of SIDES) {
          const fx: Partial<Record<SideMeterName, number>> = cell[side] ?? {};
          for (const f of SIDE_METERS)
            expect(after[side][f], `${side}.${f}`).toBeCloseTo(s[side][f] + (fx[f] ?? 0));
        }
        expect(after.phase).toBe('orders');
        expect(after.round).toBe(s.round + 1);
        expect(after.pendingCrisis).toBeNull();
        expect(s.phase).toBe('crisis');
      });
    }
  }

  it('a seat that does not answer takes the cooperative answer', () => {
    for (const e of RESPONSE_EVENTS) {
      const both = answerCrisis(crisisState(e.id), null, null);
      const coop = answersFor(e, 'cc');
      const explicit = answerCrisis(crisisState(e.id), coop.us, coop.china);
      expect(both.risk).toBe(explicit.risk);
      expect(both.trust).toBe(explicit.trust);
      const half = answerCrisis(crisisState(e.id), answersFor(e, 'dc').us, null);
      expect(half.risk).toBeCloseTo(crisisState(e.id).risk + must(e.response).cells.dc.risk);
    }
  });

  it('refuses an answer that is not one of the choices, naming the side and the choices', () => {
    const e = must(getEvent('rogue-cyber-agent'));
    const r = resolveCrisis(crisisState(e.id), { us: answersFor(e, 'cc').us, china: 'nuke-it' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.side).toBe('china');
    expect(r.message).toContain('"nuke-it"');
    for (const c of must(e.response).choices.china) expect(r.message).toContain(c.id);
  });

  it('refuses answers when no crisis is waiting, or when the pending event needs none', () => {
    const r1 = resolveCrisis(game(), { us: null, china: null });
    expect(r1).toEqual({ ok: false, side: null, message: expect.stringContaining('no crisis') });
    const r2 = resolveCrisis(crisisState('deepfake-interference'), { us: null, china: null });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.message).toContain('deepfake-interference');
  });

  it('a hotline in force halves every escalation (positive risk) and leaves de-escalation alone', () => {
    for (const e of RESPONSE_EVENTS) {
      for (const key of CELLS) {
        const cell = must(e.response).cells[key];
        const s = crisisState(e.id, (st) => {
          addAgreement(st, 'hotline', 'in-force', 'h1');
        });
        const ans = answersFor(e, key);
        const after = answerCrisis(s, ans.us, ans.china);
        const expected = cell.risk > 0 ? cell.risk * s.params.risk.hotlineCrisisFactor : cell.risk;
        expect(after.risk - s.risk, `${e.id} ${key}`).toBeCloseTo(expected);
        if (key === 'cc') expect(after.trust - s.trust).toBeGreaterThanOrEqual(cell.trust);
      }
    }
  });

  it('a crisis drawn in a round stops it in the crisis phase, and the answers are logged in that round', () => {
    const e = must(getEvent('rogue-cyber-agent'));
    const s = forceEvent(quiet(game()), e.id);
    const crisis = resolve(s);
    expect(crisis.phase).toBe('crisis');
    expect(crisis.round).toBe(1);
    expect(crisis.pendingCrisis).toEqual({ eventId: e.id, round: 1, responses: { us: null, china: null } });
    expect(lastLog(crisis, 'public').event).toBe(e.id);
    expect(records(crisis, 'public', `event.${e.id}`).length).toBeGreaterThan(0);
    expect(validateOrders(crisis, 'us', []).ok).toBe(false);
    const ans = answersFor(e, 'dd');
    const after = answerCrisis(crisis, ans.us, ans.china);
    expect(after.round).toBe(2);
    const log = lastLog(after, 'public');
    expect(log.round).toBe(1);
    expect(log.event).toBe(e.id);
    expect(log.changes.filter((c) => c.cause === `event.${e.id}.dd`).length).toBeGreaterThan(0);
    expect(log.changes.filter((c) => c.cause === `event.${e.id}`).length).toBeGreaterThan(0);
    expect(notesText(after, 'public')).toContain(ans.us);
    expect(notesText(after, 'public')).toContain(ans.china);
    expect(after.history.metrics).toHaveLength(1);
  });
});

describe('the AI Cuban Missile Crisis', () => {
  it('when survived, sets crisisSurvived and major agreements become proposable below the trust threshold', () => {
    const prep = (s: GameState) => {
      s.risk = s.params.risk.limit * 0.3;
      const cc = must(getEvent('ai-cuban-missile-crisis')?.response).cells.cc.trust;
      s.trust = Math.max(0, s.params.verification.majorTrustThreshold - Math.max(0, cc) - 5);
      s.talks = { open: true, scope: 'safety' };
    };
    const s = crisisState('ai-cuban-missile-crisis', prep);
    const major = must(
      (['compute-reporting', 'frontier-cap'] as const).find((t) => s.params.agreements[t].major),
      'major type',
    );
    const orders = [{ move: 'propose-agreement', agreement: major }];
    const beforeCheck = validateOrders({ ...s, phase: 'orders' }, 'us', orders);
    expect(beforeCheck.ok).toBe(false);
    const after = answerCrisis(s, null, null);
    expect(after.crisisSurvived).toBe(true);
    expect(after.trust).toBeLessThan(after.params.verification.majorTrustThreshold);
    expect(validateOrders(after, 'us', orders).ok).toBe(true);
    expect(validateOrders(after, 'china', orders).ok).toBe(true);
  });

  it('when risk reaches the limit, the game ends in catastrophe and nothing is survived', () => {
    const e = must(getEvent('ai-cuban-missile-crisis'));
    const dd = must(e.response).cells.dd.risk;
    expect(dd).toBeGreaterThan(0);
    const s = crisisState(e.id, (st) => {
      st.risk = st.params.risk.limit - dd / 2;
    });
    const ans = answersFor(e, 'dd');
    const after = answerCrisis(s, ans.us, ans.china);
    expect(after.crisisSurvived).toBe(false);
    expect(after.phase).toBe('ended');
    expect(after.risk).toBe(after.params.risk.limit);
    expect(after.outcome?.id).toBe('catastrophe');
  });
});
