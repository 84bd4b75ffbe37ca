import { describe, expect, it } from 'vitest';
import { adjustableVariables, adjustVariable, injectEvent } from '../../shared/rules/facilitator.ts';
import { playerView } from '../../shared/rules/view.ts';
import { game, must, quiet, resolve } from './helpers.ts';

function adjusted(variable: string, value: number, note = 'White Cell ruling') {
  const r = adjustVariable(game(3), variable, value, note);
  if (!r.ok) throw new Error(r.message);
  return r.state;
}

describe('the facilitator sets a value with a note', () => {
  it('sets a public meter, records before and after with the note, and everyone sees it', () => {
    const before = game(3).risk;
    const s = adjusted('risk', 64, 'A think-tank ruling after the lab incident');
    expect(s.risk).toBe(64);
    expect(s.adjustments).toEqual([
      {
        round: 1,
        variable: 'risk',
        before,
        after: 64,
        note: 'A think-tank ruling after the lab incident',
        audience: null,
      },
    ]);
    expect(playerView(s, 'us').adjustments).toHaveLength(1);
    expect(playerView(s, 'china').adjustments).toHaveLength(1);
    expect(playerView(s, 'observer').adjustments).toHaveLength(1);
  });

  it("shows a change of a side's hidden value only to that side and the facilitator", () => {
    const s = adjusted('china.capability', 70);
    expect(s.china.capability).toBe(70);
    expect(playerView(s, 'china').adjustments.map((a) => a.variable)).toEqual(['china.capability']);
    expect(playerView(s, 'us').adjustments).toEqual([]);
    expect(playerView(s, 'observer').adjustments).toEqual([]);
    expect(playerView(s, 'facilitator').adjustments).toHaveLength(1);
    expect(JSON.stringify(playerView(s, 'us'))).not.toContain('china.capability');
  });

  it('sets loophole openness and evasion, with evasion seen only by China', () => {
    const s = adjusted('loophole.cloud.evasion', 0.5);
    expect(s.loopholes.cloud.evasion).toBe(0.5);
    expect(playerView(s, 'us').adjustments).toEqual([]);
    const t = adjusted('loophole.cloud.openness', 0.1);
    expect(t.loopholes.cloud.openness).toBe(0.1);
    expect(playerView(t, 'us').adjustments).toHaveLength(1);
  });

  it('refuses unknown variables, values out of bounds, and a finished game, and leaves the state alone', () => {
    const s = game(3);
    const copy = structuredClone(s);
    expect(adjustVariable(s, 'rng', 1, 'x')).toEqual({
      ok: false,
      message: '"rng" is not a variable the facilitator can set',
    });
    const r = adjustVariable(s, 'trust', 140, 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('trust must be between 0 and 100, got 140');
    expect(adjustVariable(s, 'risk', s.params.risk.floor - 1, 'x').ok).toBe(false);
    expect(adjustVariable(s, 'us.intel', Number.NaN, 'x').ok).toBe(false);
    // Names of inherited members are unknown variables too (they used to throw).
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(adjustVariable(s, name, 1, 'x')).toEqual({
        ok: false,
        message: `"${name}" is not a variable the facilitator can set`,
      });
    expect(s).toEqual(copy);
    expect(adjustVariable({ ...s, phase: 'ended' }, 'risk', 50, 'x')).toEqual({
      ok: false,
      message: 'the game has ended',
    });
  });

  it('offers every meter of both sides, the shared meters and each loophole', () => {
    const vars = Object.keys(adjustableVariables(game(1)));
    expect(vars).toContain('us.budget');
    expect(vars).toContain('china.computePerRound');
    expect(vars).toContain('loophole.fabEquipment.openness');
    expect(vars).toContain('alliedAlignment');
  });
});

describe('the facilitator injects an event', () => {
  it('replaces the random draw at the end of the round, even when draws are off', () => {
    const r = injectEvent(quiet(game(4)), 'lab-incident');
    if (!r.ok) throw new Error(r.message);
    expect(r.state.injectedEvent).toBe('lab-incident');
    // Players are not told in advance.
    expect(JSON.stringify(playerView(r.state, 'us'))).not.toContain('lab-incident');
    const s = resolve(r.state);
    expect(s.history.public[0]?.event).toBe('lab-incident');
    expect(s.injectedEvent).toBeNull();
    expect(must(s.history.public[0]).changes.some((c) => c.cause === 'event.lab-incident')).toBe(true);
  });

  it('starts a two-sided crisis when the injected event asks for answers', () => {
    const r = injectEvent(quiet(game(4)), 'ai-cuban-missile-crisis');
    if (!r.ok) throw new Error(r.message);
    const s = resolve(r.state);
    expect(s.phase).toBe('crisis');
    expect(s.pendingCrisis?.eventId).toBe('ai-cuban-missile-crisis');
  });

  it('refuses an unknown event, and a once-only event that already happened', () => {
    expect(injectEvent(game(1), 'alien-landing')).toEqual({
      ok: false,
      message: 'no event called "alien-landing"',
    });
    const s = { ...game(1), usedEvents: ['ai-cuban-missile-crisis'] };
    const r = injectEvent(s, 'ai-cuban-missile-crisis');
    expect(r.ok).toBe(false);
  });
});
