import type { ClientView } from '../../../shared/protocol/room.ts';
import { getEvent, type ResponseChoice } from '../../../shared/rules/events.ts';
import { describeNote } from '../../../shared/rules/explain.ts';
import { SIDES, type Side } from '../../../shared/rules/ids.ts';
import type { NoteCode } from '../../../shared/rules/state.ts';
import { leadSeat } from './orders-model.ts';

/**
 * The crisis card's view model: a crisis both sides must answer now, or the event the latest
 * round drew. Built from the room view only (who has answered, this seat's own answer), so it
 * shows nobody the other side's choice before both are in.
 */

export interface CrisisCard {
  /** 'pending': both leads must answer now; 'drawn': what the latest round's event was. */
  kind: 'pending' | 'drawn';
  eventId: string;
  round: number;
  heading: string;
  title: string;
  summary: string;
  prompt: string | null;
  /** This seat's side's two choices (the first is the cooperative default); empty for non-team seats. */
  choices: ResponseChoice[];
  /** Both sides' choices, for the facilitator and observers. */
  choicesBySide: Record<Side, ResponseChoice[]>;
  /** This seat may answer now (its side's lead, in the crisis phase, not yet answered). */
  canAnswer: boolean;
  answered: Record<Side, boolean>;
  yourAnswer: ResponseChoice | null;
  /** Sides that have not answered yet. */
  waitingFor: Side[];
  /** Who answers for this seat's side (its lead's name, or its bot), or null when nobody holds the lead. */
  answeredBy: string | null;
  /** The same, as a sentence for a team member who does not answer; null for other seats. */
  answererNote: string | null;
  /** What happens to a side that has not answered when the clock runs out. */
  defaultNote: string | null;
  /** What the round's log says about the event (answers, softening, a survived crisis). */
  notes: string[];
}

const EVENT_NOTES: readonly NoteCode[] = [
  'crisis-answers',
  'crisis-survived',
  'hotline-softened',
  'incident-reported',
  'summit-opened-talks',
];

export function crisisCard(view: ClientView): CrisisCard | null {
  const pending = view.phase === 'crisis' ? view.game.public.pendingCrisis : null;
  const last = view.game.log.public.at(-1);
  const eventId = pending?.eventId ?? last?.event ?? null;
  if (!eventId) return null;
  const ev = getEvent(eventId);
  if (!ev) return null;
  const round = pending?.round ?? last?.round ?? view.round;
  const side = view.game.own?.side ?? null;
  const response = ev.response ?? null;
  const choicesBySide: Record<Side, ResponseChoice[]> = {
    us: response ? [...response.choices.us] : [],
    china: response ? [...response.choices.china] : [],
  };
  const answered = pending ? { ...view.crisisAnswered } : { us: false, china: false };
  const isPending = pending !== null && response !== null;
  const bot = side ? view.settings.bots[side] : null;
  const lead = side ? (leadSeat(view, side) ?? null) : null;
  const choices = side ? choicesBySide[side] : [];
  const yourAnswer = view.yourCrisisAnswer
    ? (choices.find((c) => c.id === view.yourCrisisAnswer) ?? null)
    : null;
  const logForRound = view.game.log.public.find((l) => l.round === round);
  return {
    kind: isPending ? 'pending' : 'drawn',
    eventId,
    round,
    heading: isPending
      ? `Crisis: ${ev.title}`
      : round === view.round
        ? `This round's event: ${ev.title}`
        : `Round ${round} event: ${ev.title}`,
    title: ev.title,
    summary: ev.summary,
    prompt: response?.prompt ?? null,
    choices,
    choicesBySide,
    canAnswer: isPending && side !== null && view.you.lead && !bot && !answered[side],
    answered,
    yourAnswer: isPending ? yourAnswer : null,
    waitingFor: isPending ? SIDES.filter((s) => !answered[s]) : [],
    answeredBy: bot ? `the ${bot} bot` : (lead?.name ?? null),
    answererNote: !side
      ? null
      : bot
        ? `The ${bot} bot answers for your side.`
        : lead
          ? `${lead.name}, your team lead, answers for your side.`
          : 'Your team lead answers for your side.',
    defaultNote: isPending
      ? `A side that has not answered when the clock runs out takes its first, cooperative choice${
          side && choices[0] ? ` (for your side: “${choices[0].label}”)` : ''
        }.`
      : null,
    notes: (logForRound?.notes ?? [])
      .filter((n) => EVENT_NOTES.includes(n.code))
      .map((n) =>
        n.code === 'crisis-answers' && n.ref === eventId
          ? answersLine(n.detail, choicesBySide)
          : describeNote(n),
      ),
  };
}

/** The pair of answers ("us|china" choice ids) by the choices' own labels. */
function answersLine(detail: string | null, choices: Record<Side, ResponseChoice[]>): string {
  const [us = '', china = ''] = (detail ?? '|').split('|');
  const label = (side: Side, id: string) => choices[side].find((c) => c.id === id)?.label ?? id;
  return `Answers: US “${label('us', us)}”, China “${label('china', china)}”.`;
}

/** Names a side the way the card says it. */
export function sideName(side: Side): string {
  return side === 'us' ? 'US' : 'China';
}
