import type { ClientView } from '../../../shared/protocol/room.ts';
import { roleLabel } from './labels.ts';
import { leadSeat } from './orders-model.ts';

/**
 * What the person should do now, in one line, for every phase and seat: the game should never
 * leave anyone wondering what comes next.
 */
export function guidance(v: ClientView): string {
  const role = v.you.role;
  const side = role === 'us' || role === 'china' ? role : null;
  const other = side === 'us' ? 'china' : 'us';
  const lead = side ? leadSeat(v, side) : undefined;
  const leadName = lead && lead.id !== v.you.seatId ? lead.name : null;
  if (v.paused) return 'The facilitator has paused the game. The clock is stopped.';
  if (side && v.settings.bots[side])
    return 'A bot is playing for your team until the White Cell hands it back. You can still read the board and chat.';
  switch (v.phase) {
    case 'lobby':
      return role === 'facilitator'
        ? 'Share the room code. Start the game when the teams are seated.'
        : 'Waiting for the facilitator to start the game.';
    case 'briefing':
      return side
        ? 'Read the board and the last round’s changes. You can start drafting orders with your team.'
        : 'The teams are reading the board.';
    case 'negotiation':
      return side
        ? 'Talk: your team channel, the public channel and the US–China channel are open. Keep drafting orders.'
        : 'The teams are negotiating.';
    case 'orders': {
      if (!side) {
        const waiting = (['us', 'china'] as const).filter((s) => !v.locked[s]).map(roleLabel);
        return waiting.length
          ? `Waiting for orders from: ${waiting.join(' and ')}.`
          : 'Both teams have locked their orders.';
      }
      if (v.locked[side])
        return v.locked[other]
          ? 'Both sides have locked. The round is being resolved.'
          : `Your orders are locked. Waiting for the ${roleLabel(other)}.`;
      return v.you.lead
        ? 'Choose your team’s moves within the budget, then lock the orders before the clock runs out.'
        : `Choose moves with your team; ${leadName ?? 'your team lead'} locks the orders.`;
    }
    case 'crisis':
      if (!side) return 'A crisis: both sides must answer.';
      if (v.crisisAnswered[side])
        return `Your team has answered the crisis. Waiting for the ${roleLabel(other)}.`;
      return v.you.lead
        ? 'A crisis needs your answer: choose one of the two responses on the crisis card.'
        : `A crisis needs an answer; ${leadName ?? 'your team lead'} gives it. Discuss it with your team.`;
    case 'summary':
      return 'The round is resolved. Read what changed and why before the next round.';
    case 'ended':
      return 'The game is over. Read the debrief.';
  }
}
