import { CommandError } from '../../shared/protocol/errors.ts';
import type { RoomCommand } from './commands.ts';
import { applyCommand, createRoom } from './reduce.ts';
import type { RoomState } from './state.ts';

/**
 * A counterfactual: a new game that starts where another stood when one of its rounds began.
 * The source room is rebuilt from its command log up to the moment its round `round` entered
 * the briefing, so the fork gets that round's world exactly as its players found it: the same
 * history, the same hidden values and the same state of the dice.
 */
export function roomAtBriefing(commands: readonly RoomCommand[], round: number): RoomState {
  const [first, ...rest] = commands;
  if (first?.type !== 'create')
    throw new CommandError('internal', 'the game’s log does not start with its creation');
  let room = createRoom(first);
  for (const cmd of rest) {
    room = applyCommand(room, cmd);
    if (room.phase === 'briefing' && room.game.round === round) return room;
  }
  const where =
    room.phase === 'lobby'
      ? 'it has not started yet'
      : round > room.game.maxRounds
        ? `it has ${room.game.maxRounds} rounds`
        : `it is in round ${room.game.round}, ${room.phase}`;
  throw new CommandError(
    'bad-payload',
    `round: game ${room.code} never reached the briefing of round ${round} (${where})`,
  );
}

/** What a fork's create command carries from its source. */
export interface ForkOrigin {
  from: string;
  round: number;
  game: RoomState['game'];
  forecasts?: RoomState['forecasts'];
}

export function forkOrigin(source: RoomState, round: number): ForkOrigin {
  const forecasts = (source.forecasts ?? []).filter((f) => f.round < round);
  return { from: source.code, round, game: source.game, ...(forecasts.length ? { forecasts } : {}) };
}
