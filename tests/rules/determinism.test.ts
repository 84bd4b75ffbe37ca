import { describe, expect, it } from 'vitest';
import { CHINA_BOTS, US_BOTS } from '../../shared/bots/index.ts';
import type { Side } from '../../shared/rules/ids.ts';
import { nextFloat, seedToState } from '../../shared/rules/rng.ts';
import { resolveCrisis, resolveRound } from '../../shared/rules/round.ts';
import { createGame } from '../../shared/rules/setup.ts';
import type { GameState, Order } from '../../shared/rules/state.ts';
import { builtinScenario } from '../../shared/scenarios/index.ts';
import { runMatrix } from '../../shared/sim/matrix.ts';
import { playGame } from '../../shared/sim/play.ts';
import {
  answerCrisis,
  BASELINE,
  forceEvent,
  game,
  must,
  playSteps,
  randomBot,
  resolve,
  SHORT,
} from './helpers.ts';

const bot = (list: typeof US_BOTS, id: string) => must(list.find((b) => b.id === id));

type Input =
  | { kind: 'orders'; orders: Record<Side, Order[]> }
  | { kind: 'crisis'; answers: Record<Side, string> };

describe('determinism', () => {
  it('the generator is a pure function of its state', () => {
    const a = { rng: seedToState('seed') };
    const b = { rng: seedToState('seed') };
    const xs = Array.from({ length: 50 }, () => nextFloat(a));
    expect(Array.from({ length: 50 }, () => nextFloat(b))).toEqual(xs);
    expect(a.rng).toBe(b.rng);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(seedToState(7)).toBe(seedToState('7'));
    expect(seedToState(7)).not.toBe(seedToState(8));
  });

  it('createGame: the same scenario and seed give deep-equal states', () => {
    expect(game(11)).toEqual(game(11));
    expect(game('x', SHORT)).toEqual(game('x', SHORT));
    expect(game(11).rng).not.toBe(game(12).rng);
  });

  it('resolveRound: same state and orders give deep-equal results, and the input is untouched', () => {
    const s = game(42);
    const orders = {
      us: [{ move: 'tighten-loophole', loophole: 'cloud' }, { move: 'frontier-training' }],
      china: [{ move: 'evasion-network', loophole: 'smuggling' }, { move: 'domestic-chips' }],
    };
    const before = structuredClone(s);
    const a = resolveRound(s, orders);
    const b = resolveRound(s, orders);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(s).toEqual(before);
    expect(JSON.stringify(s)).toBe(JSON.stringify(before));
  });

  it('resolveCrisis: same answers give deep-equal results, and the input is untouched', () => {
    const crisis = resolve(forceEvent(game(3), 'taiwan-strait-shock'));
    expect(crisis.phase).toBe('crisis');
    const before = structuredClone(crisis);
    const a = resolveCrisis(crisis, { us: 'hold', china: 'de-escalate' });
    const b = resolveCrisis(crisis, { us: 'hold', china: 'de-escalate' });
    expect(a).toEqual(b);
    expect(crisis).toEqual(before);
  });

  it('a whole game replays exactly from its seed and the same orders: state, history and logs deep-equal', () => {
    for (const scenarioId of [SHORT, BASELINE]) {
      const sc = builtinScenario(scenarioId);
      const inputs: Input[] = [];
      const states: string[] = [];
      const final = playSteps(sc, randomBot('us', 'replay-us'), randomBot('china', 'replay-cn'), 'replay', {
        orders: (_s, orders) => inputs.push({ kind: 'orders', orders: structuredClone(orders) }),
        crisis: (_s, answers) => inputs.push({ kind: 'crisis', answers: { ...answers } }),
        state: (s) => states.push(JSON.stringify(s)),
      });
      let s: GameState = createGame(sc, 'replay');
      expect(JSON.stringify(s)).toBe(states[0]);
      inputs.forEach((input, i) => {
        s =
          input.kind === 'orders'
            ? resolve(s, input.orders.us, input.orders.china)
            : answerCrisis(s, input.answers.us, input.answers.china);
        expect(JSON.stringify(s)).toBe(states[i + 1]);
      });
      expect(s).toEqual(final);
      expect(s.history).toEqual(final.history);
    }
  });

  it('playGame twice with the same seed gives identical JSON', () => {
    for (const scenarioId of [SHORT, BASELINE]) {
      const sc = builtinScenario(scenarioId);
      for (const [u, c] of [
        ['max-pressure', 'deceive'],
        ['ease', 'catch-up'],
        ['adaptive', 'adaptive'],
      ] as const) {
        const a = playGame(sc, bot(US_BOTS, u), bot(CHINA_BOTS, c), 'twice');
        const b = playGame(builtinScenario(scenarioId), bot(US_BOTS, u), bot(CHINA_BOTS, c), 'twice');
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }
    }
  });

  it('playGame, which adjudicates in place, ends exactly where adjudicating on copies does', () => {
    for (const scenarioId of [SHORT, BASELINE]) {
      const sc = builtinScenario(scenarioId);
      for (const us of US_BOTS)
        for (const china of CHINA_BOTS)
          for (const seed of ['in-place:1', 'in-place:2']) {
            const copied = playSteps(sc, us, china, seed);
            expect(JSON.stringify(playGame(sc, us, china, seed))).toBe(JSON.stringify(copied));
          }
    }
    // In place means in place: the state passed in is the state returned.
    const s = game(5);
    const r = resolveRound(s, { us: [], china: [] }, { inPlace: true });
    expect(r.ok && r.state).toBe(s);
    expect(s.history.public).toHaveLength(1);
  });

  it('different seeds generally give different games', () => {
    const sc = builtinScenario(SHORT);
    const histories = new Set<string>();
    const seeds = 20;
    for (let i = 0; i < seeds; i++)
      histories.add(
        JSON.stringify(
          playGame(sc, bot(US_BOTS, 'adaptive'), bot(CHINA_BOTS, 'adaptive'), `diff:${i}`).history,
        ),
      );
    expect(histories.size).toBeGreaterThan(seeds / 2);
  });

  it('runMatrix with the same seed gives identical results', () => {
    const sc = builtinScenario(SHORT);
    const a = runMatrix(sc, US_BOTS.slice(0, 2), CHINA_BOTS.slice(0, 2), 3, 'same');
    const b = runMatrix(sc, US_BOTS.slice(0, 2), CHINA_BOTS.slice(0, 2), 3, 'same');
    expect(a).toEqual(b);
  });
});
