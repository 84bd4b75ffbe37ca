import type { Bot } from '../bots/types.ts';
import { resolveCrisis, resolveRound } from '../rules/round.ts';
import type { Scenario } from '../rules/scenario-schema.ts';
import { createGame } from '../rules/setup.ts';
import type { GameState } from '../rules/state.ts';
import { sideViews } from '../rules/view.ts';

/** The game's state is this function's alone, and each round replaces it: no copy is needed. */
const IN_PLACE = { inPlace: true };

/** Plays one whole game between two bots. A bot giving invalid orders is a bug, so it throws. */
export function playGame(scenario: Scenario, us: Bot, china: Bot, seed: number | string): GameState {
  let s = createGame(scenario, seed);
  const bots = { us, china };
  // A game ends after maxRounds orders phases at most; the guard only stops a broken rule from looping.
  for (let guard = 0; guard < 4 * s.maxRounds + 4 && s.phase !== 'ended'; guard++) {
    if (s.phase === 'orders') {
      const views = sideViews(s);
      const r = resolveRound(s, { us: us.orders(views.us), china: china.orders(views.china) }, IN_PLACE);
      if (!r.ok)
        throw new Error(
          `bot ${bots[r.side ?? 'us'].id} (${r.side}) gave invalid orders in round ${s.round}: ${r.errors.map((e) => e.message).join('; ')}`,
        );
      s = r.state;
    } else if (s.phase === 'crisis' && s.pendingCrisis) {
      const id = s.pendingCrisis.eventId;
      const views = sideViews(s);
      const answers = { us: us.crisis(views.us, id), china: china.crisis(views.china, id) };
      const r = resolveCrisis(s, answers, IN_PLACE);
      if (!r.ok) throw new Error(`crisis answer refused: ${r.message}`);
      s = r.state;
    }
  }
  if (s.phase !== 'ended') throw new Error(`game did not end after ${s.maxRounds} rounds`);
  return s;
}
