import type { ClientView } from '../../../shared/protocol/room.ts';
import { guidance } from './guidance.ts';
import { phaseLabel } from './labels.ts';

/**
 * What a desktop notification says when a new phase begins: for remote teams playing over hours
 * or days, who keep the game in a background tab and need to know when it is their turn.
 */
export interface PhaseNotice {
  title: string;
  body: string;
  /** One notification per phase: a later one for the same phase replaces it instead of piling up. */
  tag: string;
}

export function phaseNotice(v: ClientView): PhaseNotice {
  const where =
    v.phase === 'ended' ? 'the game is over' : `round ${v.round}, ${phaseLabel(v.phase).toLowerCase()}`;
  return {
    title: `Hotline ${v.code}: ${where}`,
    body:
      v.phase === 'ended'
        ? 'The debrief is open: the outcome, the scores and the whole timeline.'
        : guidance(v),
    tag: `hotline-${v.code}`,
  };
}
