import type { ClientView } from '../../../shared/protocol/room.ts';
import { getEvent } from '../../../shared/rules/events.ts';
import { causeLabel, describeNote, explainChange, variableLabel } from '../../../shared/rules/explain.ts';
import type { Side } from '../../../shared/rules/ids.ts';
import type { ChangeRecord, NoteCode, RoundLog, RoundNote } from '../../../shared/rules/state.ts';
import { signed } from './board-format.ts';
import type { BoardModel, BoardTarget } from './board-model.ts';
import { FLOW_NAMES } from './board-names.ts';

/**
 * The latest round's records as a list a person can step through: each change, note and event
 * with a short label, its full explanation (the words come from shared/rules/explain.ts, so they
 * read the same as in the report) and the part of the board it moved.
 */
export interface ChangeItem {
  /** Stable within a round, so a focused button keeps focus across updates. */
  key: string;
  kind: 'change' | 'note' | 'event';
  /** The log it came from: everyone's, or one side's own. */
  audience: 'public' | Side;
  label: string;
  explanation: string;
  target: BoardTarget | null;
}

export interface RoundChanges {
  round: number | null;
  items: ChangeItem[];
}

const SIDE_NAME: Record<Side, string> = { us: 'US', china: 'China' };

const NOTE_TARGET: Record<NoteCode, BoardTarget | null> = {
  proposed: 'dialogue',
  'proposal-exists': 'dialogue',
  accepted: 'dialogue',
  rejected: 'dialogue',
  lapsed: 'dialogue',
  'violation-detected': 'dialogue',
  'violation-leaked': 'dialogue',
  'not-carried-out': null,
  'mineral-limits': null,
  'incident-reported': 'dialogue',
  'summit-opened-talks': 'dialogue',
  'hotline-softened': 'dialogue',
  'crisis-survived': 'dialogue',
  'crisis-answers': 'header',
};

/** The part of the board that shows a variable, if the board shows it. */
export function targetOfVariable(variable: string): BoardTarget | null {
  if (variable === 'risk') return 'risk';
  if (variable === 'trust') return 'trust';
  // Allied alignment is drawn under trust: both are about the relationship around the controls.
  if (variable === 'alliedAlignment') return 'trust';
  if (variable === 'us.capability' || variable === 'china.capability') return 'race';
  if (variable === 'china.computePerRound') return 'flow.own';
  const [kind, id] = variable.split('.');
  if (kind === 'loophole' && id && id in FLOW_NAMES) return `flow.${id}` as BoardTarget;
  return null;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function changeItem(c: ChangeRecord, key: string, audience: ChangeItem['audience']): ChangeItem {
  const by = c.side ? ` (${SIDE_NAME[c.side]})` : '';
  return {
    key,
    kind: 'change',
    audience,
    label: `${capitalise(variableLabel(c.variable))} ${signed(c.delta)} — ${capitalise(causeLabel(c.cause))}${by}`,
    explanation: `${capitalise(explainChange(c))}.`,
    target: targetOfVariable(c.variable),
  };
}

function noteItem(n: RoundNote, key: string, audience: ChangeItem['audience']): ChangeItem {
  const text = describeNote(n);
  return { key, kind: 'note', audience, label: text, explanation: text, target: NOTE_TARGET[n.code] };
}

function fromLog(log: RoundLog | undefined, audience: ChangeItem['audience']): ChangeItem[] {
  if (!log) return [];
  return [
    ...log.notes.map((n, i) => noteItem(n, `${audience}-note-${i}`, audience)),
    ...log.changes.map((c, i) => changeItem(c, `${audience}-change-${i}`, audience)),
  ];
}

/** Everything this seat may see of the latest resolved round: event, public records, side records. */
export function roundChanges(v: ClientView): RoundChanges {
  const g = v.game;
  const pub = g.log.public.at(-1);
  if (!pub) return { round: null, items: [] };
  const round = pub.round;
  const items: ChangeItem[] = [];
  if (pub.event) {
    const e = getEvent(pub.event);
    const title = e?.title ?? pub.event;
    const ask = e?.response ? ` Both sides must answer: ${e.response.prompt}` : '';
    items.push({
      key: 'public-event',
      kind: 'event',
      audience: 'public',
      label: `Event: ${title}`,
      explanation: `${title}. ${e?.summary ?? ''}${ask}`.trim(),
      target: 'header',
    });
  }
  items.push(...fromLog(pub, 'public'));
  const h = g.truth?.history;
  const ofRound = (logs: readonly RoundLog[] | null | undefined) => logs?.find((l) => l.round === round);
  if (h && (h.us.length > 0 || h.china.length > 0)) {
    items.push(...fromLog(ofRound(h.us), 'us'), ...fromLog(ofRound(h.china), 'china'));
  } else if (g.own) {
    items.push(...fromLog(ofRound(g.log.own), g.own.side));
  }
  return { round, items };
}

/** The items that moved one part of the board; `flows` takes in every flow. */
export function elementChanges(items: readonly ChangeItem[], target: BoardTarget): ChangeItem[] {
  if (target === 'flows') return items.filter((i) => i.target === 'flows' || i.target?.startsWith('flow.'));
  return items.filter((i) => i.target === target);
}

/** A heading for one part of the board with its current value, for the explanation region. */
export function targetTitle(m: BoardModel, target: BoardTarget): string {
  switch (target) {
    case 'header':
      return [m.header.roundText, m.header.phaseLabel, m.header.eventText].filter(Boolean).join(' · ');
    case 'race':
      return `Capability race: ${m.race.leadText}`;
    case 'flows':
      return `China's compute sources: ${m.flows.totalText}`;
    case 'risk':
      return m.risk.text;
    case 'trust':
      return m.trust.text;
    case 'dialogue':
      return `Dialogue: ${m.dialogue.talksText}; ${m.dialogue.hotlineText}`;
    default: {
      const item = m.flows.items.find((f) => `flow.${f.id}` === target);
      return item ? `${item.name}: ${item.text}` : target;
    }
  }
}
