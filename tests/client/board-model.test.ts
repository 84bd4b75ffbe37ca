import { describe, expect, it } from 'vitest';
import {
  boardHeight,
  boardModel,
  boardSummary,
  clockText,
  elementChanges,
  flowRows,
  hitTest,
  layoutBoard,
  lerpModel,
  type Rect,
  roundChanges,
  targetOfVariable,
  targetTitle,
} from '../../client/src/model/board-model.ts';
import { explainChange } from '../../shared/rules/explain.ts';
import { LOOPHOLES } from '../../shared/rules/ids.ts';
import { playedRoom, viewFor } from './fixtures.ts';

// Two rounds resolved, in the briefing of round 3, with bots on both sides.
const room = playedRoom({ scenarioId: 'baseline-2026', rounds: 6, advances: 8, seed: 'board' });
const us = viewFor(room, 'us');
const china = viewFor(room, 'china');
const fac = viewFor(room, 'facilitator');
const obs = viewFor(room, 'observer');
const ended = viewFor(
  playedRoom({ scenarioId: 'classroom-short', rounds: 3, toEnd: true, seed: 'board' }),
  'observer',
);

describe('boardModel: who sees what of the race', () => {
  it('a side sees its own capability exactly and the other only as a range', () => {
    const m = boardModel(us);
    const truth = room.game;
    expect(us.game.log.public.length).toBeGreaterThanOrEqual(2);
    expect(m.race.us.exact).toBe(truth.us.capability);
    expect(m.race.china.exact).toBeNull();
    const e = m.race.china.estimate;
    expect(e).not.toBeNull();
    expect(e?.hi).toBeGreaterThan(e?.lo ?? Number.POSITIVE_INFINITY);
    // The model's promise: the truth lies inside the range.
    expect(truth.china.capability).toBeGreaterThanOrEqual(e?.lo ?? 0);
    expect(truth.china.capability).toBeLessThanOrEqual(e?.hi ?? 0);
    const lead = m.race.lead;
    expect(m.race.leadExact).toBe(false);
    expect(lead?.lo).toBeLessThan(lead?.hi ?? 0);
    expect(m.race.leadText).toMatch(
      /ahead by about [\d.]+ months \((US|China)\s\+[\d.]+ to (US|China)\s\+[\d.]+\)/,
    );
  });

  it('China sees the US as a range and its own sources exactly', () => {
    const m = boardModel(china);
    expect(m.race.china.exact).toBe(room.game.china.capability);
    expect(m.race.us.exact).toBeNull();
    expect(m.race.us.estimate).not.toBeNull();
    for (const f of m.flows.items) expect(f.exact).toBe(true);
    const own = m.flows.items.find((f) => f.id === 'own');
    expect(own?.flow?.value).toBe(room.game.china.computePerRound);
  });

  it('the facilitator sees true values and each side’s belief about the other', () => {
    const m = boardModel(fac);
    expect(m.truth).toBe(true);
    expect(m.race.us.exact).toBe(room.game.us.capability);
    expect(m.race.china.exact).toBe(room.game.china.capability);
    // The US's estimate of China is drawn on China's lane.
    expect(m.race.china.believed?.value).toBe(room.game.estimates.us.capability.value);
    expect(m.race.us.believed?.value).toBe(room.game.estimates.china.capability.value);
    expect(m.race.leadExact).toBe(true);
    expect(m.race.lead?.value).toBeCloseTo(room.game.us.capability - room.game.china.capability, 9);
    // The picture's short label names whose estimate the band is.
    expect(m.race.china.short).toMatch(/^[\d.]+ · US estimate [\d.]+ \(/);
    for (const id of LOOPHOLES) {
      expect(m.flows.items.find((f) => f.id === id)?.flow?.value).toBe(room.game.loopholes[id].flow);
    }
  });

  it('an observer sees no capability and no flow until the end, then the truth', () => {
    const m = boardModel(obs);
    expect(m.race.visible).toBe(false);
    expect(m.race.lead).toBeNull();
    expect(m.flows.items.every((f) => f.flow === null)).toBe(true);
    // Openness is announced policy, so even an observer sees it.
    expect(m.flows.items.filter((f) => f.openness !== null)).toHaveLength(4);
    const after = boardModel(ended);
    expect(after.race.visible).toBe(true);
    expect(after.race.leadExact).toBe(true);
    expect(after.header.outcomeText).toMatch(/^Outcome: /);
  });

  it('the US sees flows as ranges, and the axis holds every range', () => {
    const m = boardModel(us);
    const loop = m.flows.items.filter((f) => f.id !== 'own');
    for (const f of loop) {
      expect(f.exact).toBe(false);
      expect(f.flow?.hi).toBeGreaterThan(f.flow?.lo ?? Number.POSITIVE_INFINITY);
    }
    expect(m.flows.items.find((f) => f.id === 'own')?.flow).toBeNull();
    const { min, max } = m.race.axis;
    expect(min).toBeLessThanOrEqual(m.race.china.estimate?.lo ?? Number.NaN);
    expect(max).toBeGreaterThanOrEqual(m.race.us.exact ?? Number.NaN);
  });
});

describe('boardModel: flows, meters and dialogue', () => {
  it('normalises widths to the largest thing drawn', () => {
    const m = boardModel(fac);
    const all = m.flows.items.flatMap((f) => [f.norm.hi, f.norm.capacity]);
    for (const x of all) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
    expect(Math.max(...all)).toBeCloseTo(1, 9);
    const cloud = m.flows.items.find((f) => f.id === 'cloud');
    expect(cloud?.norm.hi).toBeCloseTo((cloud?.flow?.value ?? 0) / m.flows.scaleMax, 9);
  });

  it('reads risk against its limit and trust out of 100', () => {
    const m = boardModel(us);
    expect(m.risk.value).toBe(room.game.risk);
    expect(m.risk.max).toBe(room.game.params.risk.limit);
    expect(m.risk.text).toContain(`of ${room.game.params.risk.limit}`);
    expect(m.trust.value).toBe(room.game.trust);
  });

  it('lists in-force agreements first and marks them prominent', () => {
    const v = structuredClone(us);
    const base = { proposedRound: 1, inForceFrom: null, violatedRound: null, violator: null } as const;
    v.game.public.agreements = [
      { ...base, id: 'a1', type: 'frontier-cap', proposedBy: 'china', status: 'proposed' },
      { ...base, id: 'a2', type: 'hotline', proposedBy: 'us', status: 'in-force', inForceFrom: 2 },
      { ...base, id: 'a3', type: 'eval-standards', proposedBy: 'us', status: 'rejected' },
      {
        ...base,
        id: 'a4',
        type: 'compute-reporting',
        proposedBy: 'us',
        status: 'violated',
        violator: 'china',
      },
    ];
    const d = boardModel(v).dialogue;
    expect(d.agreements.map((a) => a.id)).toEqual(['a2', 'a1', 'a4']);
    expect(d.agreements.map((a) => a.prominent)).toEqual([true, false, false]);
    expect(d.hotlineText).toBe('Hotline: in force');
    expect(d.agreements[2]?.statusText).toContain('broken by China');
    expect(d.pastText).toBe('Also 1 rejected.');
  });

  it('shows Paused without a deadline, and the pending crisis as the event', () => {
    const paused = boardModel({ ...us, paused: true, deadline: null });
    expect(paused.header.paused).toBe(true);
    expect(boardSummary(paused)[0]).toContain('paused');
    const v = structuredClone(us);
    v.game.public.pendingCrisis = {
      eventId: 'lab-incident',
      round: 2,
      answered: { us: false, china: false },
    };
    const m = boardModel(v);
    expect(m.header.event?.pending).toBe(true);
    expect(m.header.eventText).toMatch(/^Crisis: .*waiting for answers/);
    expect(m.header.eventShort).toBe(`Crisis: ${m.header.event?.title}`);
    expect(targetTitle(m, 'header')).toContain('Crisis: ');
    expect(targetTitle(m, 'risk')).toBe(m.risk.text);
    expect(targetTitle(m, 'flow.cloud')).toMatch(/^Cloud rental: \d+% open/);
  });
});

describe('boardSummary', () => {
  it('says in words what the picture shows, ranges included', () => {
    const text = boardSummary(boardModel(us), '4:00 left').join(' ');
    expect(text).toContain('Round 3 of 6');
    expect(text).toContain('4:00 left');
    expect(text).toMatch(/China capability estimated at [\d.]+ months, between/);
    expect(text).toContain('Allowed chip sales');
    expect(text).toContain('catastrophe');
  });
});

describe('roundChanges', () => {
  it('lists the latest round: public records, then the seat’s own, with explain.ts words', () => {
    const rc = roundChanges(us);
    const pub = us.game.log.public.at(-1);
    const own = us.game.log.own?.at(-1);
    expect(rc.round).toBe(pub?.round);
    const pubItems = rc.items.filter((i) => i.audience === 'public' && i.kind !== 'event');
    expect(pubItems).toHaveLength((pub?.changes.length ?? 0) + (pub?.notes.length ?? 0));
    expect(rc.items.filter((i) => i.audience === 'us')).toHaveLength(
      (own?.changes.length ?? 0) + (own?.notes.length ?? 0),
    );
    expect(rc.items.some((i) => i.audience === 'china')).toBe(false);
    const first = pub?.changes[0];
    const item = rc.items.find((i) => i.key === 'public-change-0');
    expect(first && item?.explanation.toLowerCase()).toBe(first && `${explainChange(first)}.`.toLowerCase());
    expect(new Set(rc.items.map((i) => i.key)).size).toBe(rc.items.length);
  });

  it('gives the facilitator both sides’ records and an observer only the public ones', () => {
    const f = roundChanges(fac);
    expect(f.items.some((i) => i.audience === 'us')).toBe(true);
    expect(f.items.some((i) => i.audience === 'china')).toBe(true);
    const o = roundChanges(obs);
    expect(o.items.every((i) => i.audience === 'public')).toBe(true);
  });

  it('is empty before the first round resolves', () => {
    const early = viewFor(playedRoom({ advances: 0 }), 'us');
    expect(roundChanges(early)).toEqual({ round: null, items: [] });
  });

  it('maps variables to the part of the board that shows them', () => {
    expect(targetOfVariable('risk')).toBe('risk');
    expect(targetOfVariable('china.capability')).toBe('race');
    expect(targetOfVariable('loophole.cloud.openness')).toBe('flow.cloud');
    expect(targetOfVariable('china.computePerRound')).toBe('flow.own');
    expect(targetOfVariable('us.econCost')).toBeNull();
    const items = roundChanges(fac).items;
    const flows = elementChanges(items, 'flows');
    expect(flows.length).toBeGreaterThan(0);
    expect(flows.every((i) => i.target?.startsWith('flow.'))).toBe(true);
    expect(elementChanges(items, 'risk').every((i) => i.target === 'risk')).toBe(true);
  });
});

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('layoutBoard', () => {
  const regions = (l: ReturnType<typeof layoutBoard>) => [
    l.header,
    l.race,
    l.flows,
    l.risk,
    l.trust,
    l.dialogue,
  ];

  it('fits a laptop board without overlaps, with text at least 14px', () => {
    const l = layoutBoard(800, boardHeight(800));
    expect(l.narrow).toBe(false);
    expect(l.font).toBeGreaterThanOrEqual(14);
    const rs = regions(l);
    for (const r of rs) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(800);
      expect(r.y + r.h).toBeLessThanOrEqual(l.height);
    }
    for (let i = 0; i < rs.length; i++)
      for (let j = i + 1; j < rs.length; j++) expect(overlaps(rs[i] as Rect, rs[j] as Rect)).toBe(false);
    // Two columns: the race and the risk meter sit side by side.
    expect(l.risk.x).toBeGreaterThan(l.race.x + l.race.w);
  });

  it('stacks into one taller column on a phone', () => {
    const l = layoutBoard(360, 300);
    expect(l.narrow).toBe(true);
    expect(l.font).toBe(14);
    const rs = regions(l);
    for (const r of rs) expect(r.w).toBe(360 - 2 * l.pad);
    for (let i = 1; i < rs.length; i++)
      expect((rs[i] as Rect).y).toBeGreaterThanOrEqual((rs[i - 1] as Rect).y + (rs[i - 1] as Rect).h);
    expect(l.height).toBeGreaterThan(600);
    expect(boardHeight(360)).toBe(l.height);
  });

  it('grows the text on a projector-sized board', () => {
    expect(layoutBoard(1600, 900).font).toBeGreaterThan(layoutBoard(800, 480).font);
  });

  it('gives each flow its own row inside the flows region, with a band at least 8px thick', () => {
    for (const w of [360, 800, 1400]) {
      const l = layoutBoard(w, boardHeight(w));
      const rows = flowRows(l);
      expect(rows.map((r) => r.id)).toEqual(['own', ...LOOPHOLES]);
      for (const r of rows) {
        expect(r.band).toBeGreaterThanOrEqual(8);
        expect(r.rect.y).toBeGreaterThanOrEqual(l.flows.y);
        expect(r.rect.y + r.rect.h).toBeLessThanOrEqual(l.flows.y + l.flows.h);
      }
      for (let i = 1; i < rows.length; i++)
        expect(overlaps(rows[i - 1]?.rect as Rect, rows[i]?.rect as Rect)).toBe(false);
    }
  });

  it('finds what a click lands on', () => {
    const l = layoutBoard(800, 480);
    const centre = (r: Rect) => [r.x + r.w / 2, r.y + r.h / 2] as const;
    expect(hitTest(l, ...centre(l.risk))).toBe('risk');
    expect(hitTest(l, ...centre(l.race))).toBe('race');
    expect(hitTest(l, ...centre(l.dialogue))).toBe('dialogue');
    const cloud = flowRows(l).find((r) => r.id === 'cloud');
    expect(cloud && hitTest(l, ...centre(cloud.rect))).toBe('flow.cloud');
    expect(hitTest(l, 1, 1)).toBeNull();
  });
});

describe('lerpModel and clockText', () => {
  it('moves numbers from the old board to the new one', () => {
    const a = boardModel(fac);
    const b = boardModel({
      ...fac,
      game: { ...fac.game, public: { ...fac.game.public, risk: a.risk.value + 10 } },
    });
    expect(lerpModel(a, b, 0).risk.value).toBe(a.risk.value);
    expect(lerpModel(a, b, 0.5).risk.value).toBeCloseTo(a.risk.value + 5, 9);
    expect(lerpModel(a, b, 1)).toBe(b);
    // Words are the new board's from the start.
    expect(lerpModel(a, b, 0.1).risk.text).toBe(b.risk.text);
  });

  it('counts down minutes, hours and days, and says Paused', () => {
    expect(clockText(null, true, 0)).toBe('Paused');
    expect(clockText(null, false, 0)).toBe('');
    expect(clockText(65_000, false, 0)).toBe('2 min left');
    expect(clockText(120_000, false, 0)).toBe('2 min left');
    expect(clockText(59_000, false, 0)).toBe('under a minute left');
    expect(clockText(1000, false, 5000)).toBe('time is up');
    expect(clockText(2 * 3600_000 + 5 * 60_000, false, 0)).toBe('2h 05m left');
    expect(clockText(3 * 86_400_000 + 4 * 3600_000, false, 0)).toBe('3d 4h left');
  });
});
