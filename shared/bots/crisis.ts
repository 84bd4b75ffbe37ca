import { getEvent } from '../rules/events.ts';
import type { PlayerView } from '../rules/view.ts';
import { agreementInForce, sideOf } from './plan.ts';

/** Picks the cooperative (first) or the hard (second) answer of the pending crisis. */
export function answer(view: PlayerView, eventId: string, cooperate: boolean): string {
  const e = getEvent(eventId);
  const pair = e?.response?.choices[sideOf(view)];
  if (!pair) throw new Error(`event "${eventId}" asks for no answer`);
  return cooperate ? pair[0].id : pair[1].id;
}

/** Near the limit even a hard-liner steps back; a hotline makes stepping back easier. */
export function tooDangerous(view: PlayerView, threshold: number): boolean {
  const p = view.public;
  const bonus = agreementInForce(view, 'hotline') ? 0.15 * p.riskLimit : 0;
  return p.risk + bonus >= threshold * (p.riskLimit / 100);
}
