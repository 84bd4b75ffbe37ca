import { describe, expect, it } from 'vitest';
import { adjustVariable } from '../../shared/rules/facilitator.ts';
import { type Seat, SIDES } from '../../shared/rules/ids.ts';
import { endEarly } from '../../shared/rules/round.ts';
import type { GameState } from '../../shared/rules/state.ts';
import { playerView, sideViews } from '../../shared/rules/view.ts';
import { addAgreement, forceEvent, game, must, quiet, resolve, walk } from './helpers.ts';

const SECRET_CAPABILITY = 12345.678;
const SECRET_EVASION = 0.123456;
const SECRET_US_COMPUTE = 98765.4321;

/** A mid-game state with marked secret values on both sides and orders waiting from both. */
function secretState(): GameState {
  let s = quiet(game(7));
  s = resolve(s, [{ move: 'safety-research' }], [{ move: 'evasion-network', loophole: 'cloud' }]);
  s.china.capability = SECRET_CAPABILITY;
  s.loopholes.smuggling.evasion = SECRET_EVASION;
  s.us.compute = SECRET_US_COMPUTE;
  s.pendingOrders = {
    us: [{ move: 'compute-buildout', rationale: 'us-secret-plan' }],
    china: [{ move: 'domestic-chips', rationale: 'china-secret-plan' }],
  };
  return s;
}

function keysIn(value: unknown): Set<string> {
  const keys = new Set<string>();
  walk(value, (obj) => {
    for (const k of Object.keys(obj)) keys.add(k);
  });
  return keys;
}

/** Every object in the view that is a side's true state (only `SideState` has `retaliationWindow`). */
function sideStatesIn(value: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  walk(value, (obj) => {
    if ('retaliationWindow' in obj && 'caught' in obj) found.push(obj);
  });
  return found;
}

describe('playerView for a side before the end', () => {
  for (const side of SIDES) {
    const other = side === 'us' ? 'china' : 'us';
    it(`${side}: own true state, own orders, own log and estimates; nothing of the other side’s truth`, () => {
      const s = secretState();
      const v = playerView(s, side);
      const json = JSON.stringify(v);
      expect(v.seat).toBe(side);
      expect(v.truth).toBeNull();
      expect(keysIn(v).has('rng')).toBe(false);
      expect(json).not.toContain('"rng"');
      expect(v.own?.side).toBe(side);
      expect(v.own?.state).toEqual(s[side]);
      expect(sideStatesIn(v)).toEqual([s[side]]);
      expect(v.estimates).toEqual(s.estimates[side]);
      expect(v.log.own).toEqual(s.history[side]);
      expect(v.log.public).toEqual(s.history.public);
      expect(v.own?.pendingOrders).toEqual(s.pendingOrders[side]);
      expect(json).toContain(`${side}-secret-plan`);
      expect(json).not.toContain(`${other}-secret-plan`);
      expect(v.public.ordersIn).toEqual({ us: true, china: true });
      expect(v.public.loopholes.smuggling).toEqual({
        openness: s.loopholes.smuggling.openness,
        maxFlow: s.loopholes.smuggling.maxFlow,
      });
      if (side === 'us') {
        expect(json).not.toContain(String(SECRET_CAPABILITY));
        expect(json).not.toContain(String(SECRET_EVASION));
        expect(v.own?.loopholes).toBeNull();
        expect(keysIn(v).has('evasion')).toBe(false);
        expect(JSON.stringify(v.log.own)).not.toContain('evasion-network');
      } else {
        expect(json).not.toContain(String(SECRET_US_COMPUTE));
        expect(json).toContain(String(SECRET_CAPABILITY));
        expect(v.own?.loopholes?.smuggling).toEqual({
          flow: s.loopholes.smuggling.flow,
          evasion: SECRET_EVASION,
        });
        expect(JSON.stringify(v.log.own)).toContain('evasion-network');
      }
    });
  }

  it('shows a side its own crisis answer and only whether the other has answered', () => {
    const s = game();
    s.phase = 'crisis';
    s.pendingCrisis = {
      eventId: 'rogue-cyber-agent',
      round: 1,
      responses: { us: 'share', china: 'withhold' },
    };
    const us = playerView(s, 'us');
    expect(us.own?.crisisResponse).toBe('share');
    expect(us.public.pendingCrisis).toEqual({
      eventId: 'rogue-cyber-agent',
      round: 1,
      answered: { us: true, china: true },
    });
    expect(JSON.stringify(us)).not.toContain('withhold');
    const china = playerView(s, 'china');
    expect(china.own?.crisisResponse).toBe('withhold');
    expect(JSON.stringify(china)).not.toContain('"share"');
  });

  it('agreements and their public status are visible to all; undetected violations are not', () => {
    const s = secretState();
    addAgreement(s, 'eval-standards', 'in-force', 'q1');
    s.violations.push({ agreementId: 'q1', side: 'china', round: 1, detected: false });
    for (const seat of ['us', 'observer'] as const) {
      const v = playerView(s, seat);
      expect(v.public.agreements.map((a) => a.id)).toContain('q1');
      expect(keysIn(v).has('violations')).toBe(false);
      expect(keysIn(v).has('detected')).toBe(false);
    }
  });
});

describe('playerView for observers and the facilitator', () => {
  it('observers see the public state only until the end', () => {
    const s = secretState();
    const v = playerView(s, 'observer');
    expect(v.truth).toBeNull();
    expect(v.own).toBeNull();
    expect(v.estimates).toBeNull();
    expect(v.log.own).toBeNull();
    expect(sideStatesIn(v)).toEqual([]);
    const json = JSON.stringify(v);
    expect(json).not.toContain('"rng"');
    expect(json).not.toContain('secret-plan');
    expect(json).not.toContain(String(SECRET_CAPABILITY));
    expect(json).not.toContain(String(SECRET_US_COMPUTE));
  });

  it('the facilitator sees every true value but never the generator state', () => {
    const s = secretState();
    const v = playerView(s, 'facilitator');
    const { rng: _rng, ...rest } = s;
    expect(v.truth).toEqual(rest);
    expect(keysIn(v).has('rng')).toBe(false);
    expect(JSON.stringify(v)).toContain(String(SECRET_CAPABILITY));
  });

  it('once the game has ended every seat gets the truth for the debrief, and none the generator state', () => {
    let s = quiet(game(3, undefined, 1));
    s = resolve(s, [{ move: 'safety-research' }], [{ move: 'domestic-chips' }]);
    expect(s.phase).toBe('ended');
    const seats: Seat[] = ['us', 'china', 'observer', 'facilitator'];
    for (const seat of seats) {
      const v = playerView(s, seat);
      expect(must(v.truth).us).toEqual(s.us);
      expect(must(v.truth).china).toEqual(s.china);
      expect(must(v.truth).history).toEqual(s.history);
      expect(keysIn(v).has('rng')).toBe(false);
      expect(v.public.outcome).toEqual(s.outcome);
    }
  });

  it('does not mutate the state', () => {
    const s = secretState();
    const before = structuredClone(s);
    for (const seat of ['us', 'china', 'observer', 'facilitator'] as const) playerView(s, seat);
    expect(s).toEqual(before);
  });
});

describe("sideViews, the simulation's two views at once", () => {
  it('gives each side exactly its playerView: mid-game, with rulings, in a crisis and at the end', () => {
    const ruled = (s: GameState) => {
      let out = s;
      for (const [variable, value] of [
        ['trust', 40],
        ['china.compute', 9],
        ['us.intel', 0.5],
      ] as const) {
        const r = adjustVariable(out, variable, value, 'White Cell ruling');
        if (!r.ok) throw new Error(r.message);
        out = r.state;
      }
      return out;
    };
    const crisis = resolve(forceEvent(quiet(game(9)), 'ai-cuban-missile-crisis'));
    expect(crisis.phase).toBe('crisis');
    const states = [game(5), secretState(), ruled(secretState()), crisis, endEarly(ruled(secretState()))];
    for (const s of states) {
      const both = sideViews(s);
      for (const side of SIDES) expect(both[side]).toEqual(playerView(s, side));
    }
    // The rulings' audiences differ by side, so the filter is exercised, not only the empty list.
    const mid = sideViews(ruled(secretState()));
    expect(mid.us.adjustments.map((a) => a.variable)).toEqual(['trust', 'us.intel']);
    expect(mid.china.adjustments.map((a) => a.variable)).toEqual(['trust', 'china.compute']);
  });
});

describe('the public log does not give hidden values away', () => {
  it("is the same whatever China's hidden compute and efficiency, when the orders and dice are the same", () => {
    // Two worlds that differ only in China's hidden numbers (the lead stays between the close-race
    // and desperation thresholds in both), with no crisis draws, whose odds may depend on the truth.
    const a = quiet(game(33));
    const b = quiet(game(33));
    b.china.compute = a.china.compute * 0.6;
    b.china.efficiency = 1.3;
    const orders = {
      us: [{ move: 'safety-research' }, { move: 'compute-buildout' }],
      china: [{ move: 'domestic-chips' }],
    };
    let sa = a;
    let sb = b;
    for (let i = 0; i < 3; i++) {
      sa = resolve(sa, orders.us, orders.china);
      sb = resolve(sb, orders.us, orders.china);
    }
    expect(sb.china.capability).not.toBeCloseTo(sa.china.capability, 3);
    expect(sb.history.public).toEqual(sa.history.public);
    expect(playerView(sb, 'us').public).toEqual(playerView(sa, 'us').public);
  });
});
