import { findBot } from '../../../shared/bots/index.ts';
import type { ClientView, RoomPhase } from '../../../shared/protocol/room.ts';
import { type Seat, SIDES } from '../../../shared/rules/ids.ts';
import { resolveCrisis, resolveRound } from '../../../shared/rules/round.ts';
import { createGame } from '../../../shared/rules/setup.ts';
import type { GameState } from '../../../shared/rules/state.ts';
import { playerView } from '../../../shared/rules/view.ts';
import { builtinScenario } from '../../../shared/scenarios/index.ts';

/**
 * For the board's development page only (never imported by the game): a real game played by
 * bots in the browser, one round at a time, and the view a seat would receive of it.
 */
export function newDevGame(seed: string, usBot = 'adaptive', chinaBot = 'deceive'): DevGame {
  let s = createGame(builtinScenario('baseline-2026'), seed);
  const bots = { us: findBot('us', usBot), china: findBot('china', chinaBot) };
  return {
    get state() {
      return s;
    },
    /** Resolves one round (and its crisis, if one is drawn). */
    step() {
      if (s.phase === 'orders') {
        const r = resolveRound(s, {
          us: bots.us?.orders(playerView(s, 'us')) ?? [],
          china: bots.china?.orders(playerView(s, 'china')) ?? [],
        });
        if (r.ok) s = r.state;
      }
      if (s.phase === 'crisis' && s.pendingCrisis) {
        const id = s.pendingCrisis.eventId;
        const answers = { us: '', china: '' };
        for (const side of SIDES) answers[side] = bots[side]?.crisis(playerView(s, side), id) ?? '';
        const r = resolveCrisis(s, answers);
        if (r.ok) s = r.state;
      }
    },
  };
}

export interface DevGame {
  readonly state: GameState;
  step(): void;
}

export function devView(
  s: GameState,
  seat: Seat,
  o: { paused?: boolean; remainingMs?: number } = {},
): ClientView {
  const game = playerView(s, seat);
  const phase: RoomPhase = s.phase === 'ended' ? 'ended' : s.phase === 'crisis' ? 'crisis' : 'negotiation';
  const remainingMs = s.phase === 'ended' ? null : (o.remainingMs ?? 272_000);
  const paused = o.paused ?? false;
  const none = { orders: [], version: 0, locked: false, lockedBy: null, editedBy: null };
  return {
    code: 'DEVDEV',
    seq: s.history.public.length,
    version: s.history.public.length,
    phase,
    round: s.round,
    paused,
    deadline: paused || remainingMs === null ? null : Date.now() + remainingMs,
    remainingMs,
    settings: {
      scenarioId: s.scenarioId,
      rounds: s.maxRounds,
      deadlines: { briefing: 300, negotiation: 600, orders: 600, crisis: 300, summary: 300 },
      bots: { us: null, china: null },
    },
    you: { seatId: 'dev', name: 'Developer', role: seat, lead: true },
    seats: [],
    draft: seat === 'us' || seat === 'china' ? none : null,
    drafts: null,
    locked: { us: false, china: false },
    crisisAnswered: { us: false, china: false },
    yourCrisisAnswer: null,
    forecasts: [],
    forkOf: null,
    logRounds: s.history.public.length,
    chat: [],
    game,
  };
}
