import { beforeAll, describe, expect, it } from 'vitest';
import { botsFor, CHINA_BOTS, findBot, US_BOTS } from '../../shared/bots/index.ts';
import { checkInputFromView } from '../../shared/bots/plan.ts';
import type { Bot } from '../../shared/bots/types.ts';
import { EVENT_DECK } from '../../shared/rules/events.ts';
import { AGREEMENT_TYPES, LOOPHOLES, SIDES, type Side } from '../../shared/rules/ids.ts';
import { checkInput, movesFor } from '../../shared/rules/moves.ts';
import { validateOrders } from '../../shared/rules/orders.ts';
import { resolveCrisis } from '../../shared/rules/round.ts';
import type { GameState, Order } from '../../shared/rules/state.ts';
import { playerView } from '../../shared/rules/view.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import { runMatrix } from '../../shared/sim/matrix.ts';
import { addAgreement, BASELINE, game, must, playSteps, quiet, SHORT } from './helpers.ts';

const SEEDS_SHORT = 12;
const SEEDS_BASELINE = 3;

interface GameRecord {
  us: string;
  china: string;
  scenario: string;
  seed: string;
  final: GameState;
  firstOrders: Record<Side, string[]>;
}

const games: GameRecord[] = [];
const refused: string[] = [];
const impure: string[] = [];
const badAnswers: string[] = [];
let crises = 0;

const meanOpenness = (s: GameState) =>
  LOOPHOLES.reduce((t, l) => t + s.loopholes[l].openness, 0) / LOOPHOLES.length;

beforeAll(() => {
  const scenarios = { [SHORT]: builtinScenario(SHORT), [BASELINE]: builtinScenario(BASELINE) };
  for (const [scenarioId, seeds] of [
    [SHORT, SEEDS_SHORT],
    [BASELINE, SEEDS_BASELINE],
  ] as const) {
    for (const us of US_BOTS) {
      for (const china of CHINA_BOTS) {
        for (let i = 0; i < seeds; i++) {
          const seed = `bots:${i}`;
          const where = `${scenarioId} ${us.id}/${china.id} ${seed}`;
          const bots: Record<Side, Bot> = { us, china };
          let firstOrders: Record<Side, string[]> | null = null;
          const final = playSteps(scenarios[scenarioId], us, china, seed, {
            orders: (s, orders) => {
              firstOrders ??= { us: orders.us.map((o) => o.move), china: orders.china.map((o) => o.move) };
              for (const side of SIDES) {
                const r = validateOrders(s, side, orders[side]);
                if (!r.ok && refused.length < 20)
                  refused.push(`${where} r${s.round} ${side}: ${r.errors.map((e) => e.message).join('; ')}`);
                const again = bots[side].orders(playerView(s, side));
                if (JSON.stringify(again) !== JSON.stringify(orders[side]) && impure.length < 20)
                  impure.push(`${where} r${s.round} ${side}`);
              }
            },
            crisis: (s, answers) => {
              crises++;
              const choices = EVENT_DECK.find((e) => e.id === s.pendingCrisis?.eventId)?.response?.choices;
              for (const side of SIDES) {
                if (!choices?.[side].some((c) => c.id === answers[side]) && badAnswers.length < 20)
                  badAnswers.push(`${where} ${side}: ${answers[side]}`);
              }
            },
          });
          games.push({
            us: us.id,
            china: china.id,
            scenario: scenarioId,
            seed,
            final,
            firstOrders: firstOrders ?? { us: [], china: [] },
          });
        }
      }
    }
  }
}, 600_000);

describe('bot roster', () => {
  it('offers the op-ed’s three US paths and four China postures, with unique ids on the right side', () => {
    for (const side of SIDES) {
      const list = botsFor(side);
      expect(list.length).toBeGreaterThanOrEqual(3);
      expect(new Set(list.map((b) => b.id)).size).toBe(list.length);
      for (const b of list) {
        expect(b.side).toBe(side);
        expect(findBot(side, b.id)).toBe(b);
      }
    }
    expect(US_BOTS.map((b) => b.id)).toEqual(expect.arrayContaining(['ease', 'max-pressure', 'status-quo']));
    expect(CHINA_BOTS.map((b) => b.id)).toEqual(expect.arrayContaining(['deceive']));
    expect(findBot('us', 'deceive')).toBeUndefined();
  });
});

describe('bots over many games', () => {
  it(`every bot's orders pass validateOrders at every step (${US_BOTS.length * CHINA_BOTS.length * (SEEDS_SHORT + SEEDS_BASELINE)} games)`, () => {
    expect(games).toHaveLength(US_BOTS.length * CHINA_BOTS.length * (SEEDS_SHORT + SEEDS_BASELINE));
    expect(refused).toEqual([]);
    for (const g of games) expect(g.final.phase).toBe('ended');
  });

  it('every crisis answer is one of the event’s choices and resolveCrisis accepts it', () => {
    expect(crises).toBeGreaterThan(0);
    expect(badAnswers).toEqual([]);
  });

  it('bots are pure functions of their view: asked twice, they give the same orders', () => {
    expect(impure).toEqual([]);
  });

  it('playGame never throws on the baseline across the whole bot matrix', () => {
    const m = runMatrix(builtinScenario(BASELINE), US_BOTS, CHINA_BOTS, 4, 'bots-matrix');
    expect(m.results).toHaveLength(US_BOTS.length * CHINA_BOTS.length);
    for (const r of m.results) expect(r.games).toBe(4);
  });

  it('the deceive bot breaks agreements in some games; the cooperate bot and the US bots never do', () => {
    const deceit = games.filter(
      (g) => g.china === 'deceive' && g.final.violations.some((v) => v.side === 'china'),
    );
    expect(deceit.length).toBeGreaterThan(0);
    const coop = games.filter((g) => g.china === 'cooperate');
    expect(coop.length).toBeGreaterThan(0);
    for (const g of coop) expect(g.final.violations.filter((v) => v.side === 'china')).toEqual([]);
    for (const g of games) expect(g.final.violations.filter((v) => v.side === 'us')).toEqual([]);
  });

  it('max-pressure tightens loopholes: it starts by tightening and ends with them more closed than they began', () => {
    const mp = games.filter((g) => g.us === 'max-pressure');
    expect(mp.length).toBeGreaterThan(0);
    for (const g of mp) {
      expect(g.firstOrders.us).toContain('tighten-loophole');
      expect(g.final.history.us.some((l) => l.orders.some((o) => o.move === 'tighten-loophole'))).toBe(true);
      expect(g.final.history.us.some((l) => l.orders.some((o) => o.move === 'ease-loophole'))).toBe(false);
      const start = game(g.seed, g.scenario);
      expect(meanOpenness(g.final)).toBeLessThan(meanOpenness(start));
    }
  });

  it('ease eases loopholes: it starts by easing and ends with them more open than they began', () => {
    const ease = games.filter((g) => g.us === 'ease');
    expect(ease.length).toBeGreaterThan(0);
    for (const g of ease) {
      expect(g.firstOrders.us).toContain('ease-loophole');
      expect(g.final.history.us.some((l) => l.orders.some((o) => o.move === 'tighten-loophole'))).toBe(false);
      const start = game(g.seed, g.scenario);
      expect(meanOpenness(g.final)).toBeGreaterThan(meanOpenness(start));
    }
  });
});

describe('bots in hand-made situations', () => {
  it('every bot answers every two-sided crisis, calm or dangerous, with an answer resolveCrisis accepts', () => {
    const events = EVENT_DECK.filter((e) => e.response);
    for (const e of events) {
      for (const level of [0.1, 0.5, 0.9]) {
        for (const trust of [5, 60]) {
          const s = quiet(game());
          s.risk = s.params.risk.limit * level;
          s.trust = trust;
          s.phase = 'crisis';
          s.pendingCrisis = { eventId: e.id, round: s.round, responses: { us: null, china: null } };
          for (const us of US_BOTS) {
            for (const china of CHINA_BOTS) {
              const answers = {
                us: us.crisis(playerView(s, 'us'), e.id),
                china: china.crisis(playerView(s, 'china'), e.id),
              };
              expect(must(e.response).choices.us.map((c) => c.id)).toContain(answers.us);
              expect(must(e.response).choices.china.map((c) => c.id)).toContain(answers.china);
              expect(resolveCrisis(s, answers).ok).toBe(true);
            }
          }
        }
      }
    }
  });

  it('bots decide from their own view only: the other side’s hidden truth does not change their orders', () => {
    for (const side of SIDES) {
      const other: Side = side === 'us' ? 'china' : 'us';
      const s = game(5, SHORT);
      const t = structuredClone(s);
      t[other].capability += 40;
      t[other].compute *= 3;
      t[other].intel = 1;
      t.rng = (t.rng + 12345) | 0;
      for (const l of LOOPHOLES) t.loopholes[l].evasion = side === 'us' ? 0.9 : t.loopholes[l].evasion;
      expect(playerView(t, side)).toEqual(playerView(s, side));
      for (const bot of botsFor(side))
        expect(bot.orders(playerView(t, side))).toEqual(bot.orders(playerView(s, side)));
    }
  });

  it('bots and rules judge every order alike: the same verdict from the view as from the truth', () => {
    const states: GameState[] = [];
    const a = game(9, SHORT);
    a.loopholes.cloud.evasion = 1;
    a.loopholes.smuggling.openness = 0;
    a.us.productionCutRounds = 1;
    a.china.retaliationWindow = 1;
    a.alliedAlignment = 1;
    addAgreement(a, 'frontier-cap', 'in-force', 'k1');
    addAgreement(a, 'hotline', 'proposed', 'k2', 'us');
    states.push(a, game(10, BASELINE));
    let verdicts = 0;
    for (const s of states) {
      for (const side of SIDES) {
        const fromView = checkInputFromView(playerView(s, side));
        const fromTruth = checkInput(s, side);
        for (const m of movesFor(side)) {
          const variants: Order[] =
            m.param === 'loophole'
              ? LOOPHOLES.map((l) => ({ move: m.id, loophole: l }))
              : m.param === 'agreement'
                ? AGREEMENT_TYPES.map((g) => ({ move: m.id, agreement: g }))
                : m.param === 'agreementId'
                  ? s.agreements.map((g) => ({ move: m.id, agreementId: g.id }))
                  : m.param === 'scope'
                    ? (['safety', 'broad'] as const).map((scope) => ({ move: m.id, scope }))
                    : [{ move: m.id }];
          for (const o of [...variants, { move: m.id }]) {
            verdicts++;
            expect(m.check(fromView, side, o), `${side} ${JSON.stringify(o)}`).toBe(
              m.check(fromTruth, side, o),
            );
          }
        }
      }
    }
    expect(verdicts).toBeGreaterThan(50);
  });
});
