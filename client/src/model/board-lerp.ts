import type { BoardModel, FlowItem, RaceSide, Span } from './board-model.ts';

/**
 * A board part way between two models, for animating a round's changes: every number the
 * picture draws moves from its old value to its new one, while words and shapes are the new
 * model's (labels jump to their final values at once, so text textures are not redrawn each frame).
 */
const mix = (a: number, b: number, t: number) => a + (b - a) * t;

function mixSpan(a: Span | null, b: Span | null, t: number): Span | null {
  if (!a || !b) return b;
  return { value: mix(a.value, b.value, t), lo: mix(a.lo, b.lo, t), hi: mix(a.hi, b.hi, t) };
}

function mixNum(a: number | null, b: number | null, t: number): number | null {
  return a === null || b === null ? b : mix(a, b, t);
}

function mixSide(a: RaceSide, b: RaceSide, t: number): RaceSide {
  return {
    ...b,
    exact: mixNum(a.exact, b.exact, t),
    estimate: mixSpan(a.estimate, b.estimate, t),
    believed: mixSpan(a.believed, b.believed, t),
  };
}

function mixFlow(a: FlowItem | undefined, b: FlowItem, t: number): FlowItem {
  if (!a) return b;
  return {
    ...b,
    openness: mixNum(a.openness, b.openness, t),
    flow: mixSpan(a.flow, b.flow, t),
    norm: {
      lo: mix(a.norm.lo, b.norm.lo, t),
      hi: mix(a.norm.hi, b.norm.hi, t),
      capacity: mix(a.norm.capacity, b.norm.capacity, t),
    },
  };
}

export function lerpModel(from: BoardModel, to: BoardModel, t: number): BoardModel {
  if (t >= 1) return to;
  const k = Math.max(0, t);
  return {
    ...to,
    race: {
      ...to.race,
      us: mixSide(from.race.us, to.race.us, k),
      china: mixSide(from.race.china, to.race.china, k),
      axis: {
        min: mix(from.race.axis.min, to.race.axis.min, k),
        max: mix(from.race.axis.max, to.race.axis.max, k),
        step: to.race.axis.step,
      },
      lead: mixSpan(from.race.lead, to.race.lead, k),
    },
    flows: {
      ...to.flows,
      items: to.flows.items.map((b, i) => mixFlow(from.flows.items[i], b, k)),
      alignment: mix(from.flows.alignment, to.flows.alignment, k),
    },
    risk: { ...to.risk, value: mix(from.risk.value, to.risk.value, k) },
    trust: { ...to.trust, value: mix(from.trust.value, to.trust.value, k) },
  };
}
