import { AGREEMENT_NAMES } from './agreements.ts';
import { HIDDEN_CAUSE } from './context.ts';
import { getEvent } from './events.ts';
import { AGREEMENT_TYPES, type AgreementType, type OutcomeId, type Side } from './ids.ts';
import { getMove } from './moves.ts';
import type { Agreement, ChangeRecord, Order, RoundNote } from './state.ts';

/**
 * Words for the structured records the rules keep. The rules never build these strings: whatever
 * shows a record to a person (the board, the after-action report) calls these when it shows it.
 */
const SIDE_NAME: Record<Side, string> = { us: 'US', china: 'China' };
/** A side as the subject or object of a sentence ("the US broke…", "…than China"). */
export const THE_SIDE: Record<Side, string> = { us: 'the US', china: 'China' };

const RULES: Record<string, string> = {
  [HIDDEN_CAUSE]: 'something neither side has disclosed',
  'rule.loophole-flow': 'compute flowing through the channel this round',
  'rule.compute-flow': 'production and imports, less ageing chips',
  'rule.compute-growth': 'capability growth from compute and efficiency',
  'rule.diffusion': 'learning from the leader (diffusion)',
  'rule.risk-drift': 'the steady drift of risk as AI spreads',
  'rule.close-race': 'a neck-and-neck race',
  'rule.desperation': 'China far behind with little trust (cornered)',
  'rule.risk-limit': 'the catastrophe limit: risk counts no higher',
  'rule.lost-sales': 'sales US firms lose to closed channels',
  'rule.violation-detected': 'a broken agreement was detected',
};

const VARIABLES: Record<string, string> = {
  risk: 'global AI risk',
  trust: 'trust',
  alliedAlignment: 'allied alignment',
  capability: 'capability (months)',
  compute: 'compute stock',
  computePerRound: 'compute production per round',
  intel: 'intelligence and verification',
  safety: 'safety research',
  efficiency: 'algorithmic efficiency',
  econCost: 'economic cost',
  politicalCost: 'political cost',
  openness: 'openness',
  evasion: 'evasion network',
  flow: 'flow',
};

/** Outcomes and objectives in words, for the debrief and the after-action report alike. */
export const OUTCOME_NAMES: Record<OutcomeId, string> = {
  catastrophe: 'Catastrophe',
  'unmanaged-race': 'Unmanaged race',
  'managed-rivalry': 'Managed rivalry',
  'verified-agreement': 'Verified agreement',
};

const OBJECTIVE_LABELS: Record<string, string> = {
  'safe-lead': 'Keep at least the starting lead, without catastrophe',
  'verifiable-agreement': 'Reach a verified agreement',
  'no-catastrophe': 'Avoid catastrophe',
  'close-gap': 'Close the gap, without catastrophe',
  'controls-eased': 'Get export controls eased',
  'not-caught': 'Never be caught breaking an agreement',
};

export function objectiveLabel(id: string): string {
  return OBJECTIVE_LABELS[id] ?? id;
}

/** A loophole's name in words ("cloud rental"). */
export function loopholeName(id: string): string {
  return LOOPHOLE_NAMES[id] ?? id;
}

/**
 * What an order aims at, in words: a loophole, an agreement type, an existing agreement (its
 * name and id) or a scope of talks; empty for a move without a target.
 */
export function orderTarget(
  o: Pick<Order, 'loophole' | 'agreement' | 'agreementId' | 'scope'>,
  agreements: readonly Agreement[],
): string {
  if (o.loophole) return loopholeName(o.loophole);
  if (o.agreement) return AGREEMENT_NAMES[o.agreement];
  if (o.agreementId) {
    const a = agreements.find((x) => x.id === o.agreementId);
    return a ? `${AGREEMENT_NAMES[a.type]}, ${a.id}` : o.agreementId;
  }
  if (o.scope) return o.scope === 'safety' ? 'safety only' : 'broad agenda';
  return '';
}

/** An order as words: its move's name and, in brackets, its target ("Tighten… (cloud rental)"). */
export function orderName(o: Order, agreements: readonly Agreement[]): string {
  const target = orderTarget(o, agreements);
  return `${getMove(o.move)?.name ?? o.move}${target ? ` (${target})` : ''}`;
}

const LOOPHOLE_NAMES: Record<string, string> = {
  allowedChips: 'allowed chip sales',
  cloud: 'cloud rental',
  smuggling: 'smuggling via transit countries',
  fabEquipment: 'fabs on US and allied equipment',
};

function isAgreementType(x: string): x is AgreementType {
  return (AGREEMENT_TYPES as readonly string[]).includes(x);
}

/** A cause id (move, event, event answer, agreement or rule) in words. */
export function causeLabel(cause: string): string {
  const [kind, id = '', extra] = cause.split('.');
  if (kind === 'move') return getMove(id)?.name ?? id;
  if (kind === 'event') {
    const title = getEvent(id)?.title ?? id;
    if (!extra) return title;
    const answers: Record<string, string> = {
      cc: 'both sides cooperated',
      cd: 'only the US cooperated',
      dc: 'only China cooperated',
      dd: 'neither side cooperated',
    };
    return `${title}: ${answers[extra] ?? extra}`;
  }
  if (kind === 'agreement' && isAgreementType(id)) {
    const phase: Record<string, string> = {
      accepted: 'accepted',
      entry: 'entered into force',
      'in-force': 'in force',
    };
    return `${AGREEMENT_NAMES[id]} ${phase[extra ?? ''] ?? extra}`;
  }
  return RULES[cause] ?? cause;
}

/** A variable id (`risk`, `us.capability`, `loophole.cloud.flow`) in words. */
export function variableLabel(variable: string): string {
  const parts = variable.split('.');
  if (parts[0] === 'us' || parts[0] === 'china')
    return `${SIDE_NAME[parts[0]]} ${VARIABLES[parts[1] ?? ''] ?? parts[1]}`;
  if (parts[0] === 'loophole')
    return `${LOOPHOLE_NAMES[parts[1] ?? ''] ?? parts[1]}: ${VARIABLES[parts[2] ?? ''] ?? parts[2]}`;
  return VARIABLES[variable] ?? variable;
}

function signed(x: number): string {
  const digits = Math.abs(x) >= 10 ? 1 : 2;
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
}

/** "Global AI risk +3.50 (now 41.20): Run a frontier training push, by China" */
export function explainChange(c: ChangeRecord): string {
  const by = c.side ? `, by ${SIDE_NAME[c.side]}` : '';
  return `${variableLabel(c.variable)} ${signed(c.delta)} (now ${c.after.toFixed(2)}): ${causeLabel(c.cause)}${by}`;
}

export function describeNote(n: RoundNote): string {
  const who = n.side ? SIDE_NAME[n.side] : '';
  const agreement = n.detail && isAgreementType(n.detail) ? AGREEMENT_NAMES[n.detail] : 'an agreement';
  switch (n.code) {
    case 'proposed':
      return `${who} proposed ${agreement} (${n.ref}).`;
    case 'proposal-exists':
      return `${who}'s proposal was not made: agreement ${n.ref} of that kind is already ${n.detail}.`;
    case 'accepted':
      return `${who} accepted ${agreement} (${n.ref}); it enters into force as this round closes.`;
    case 'rejected':
      return `${who} rejected ${agreement} (${n.ref}).`;
    case 'lapsed':
      return `${agreement} (${n.ref}), proposed by ${who}, lapsed without an answer.`;
    case 'violation-detected':
      return `${who === 'US' ? 'The US' : who} was caught breaking ${agreement} (${n.ref}); the agreement is void.`;
    case 'violation-leaked':
      return `A leak shows ${who === 'US' ? 'the US' : who} broke ${agreement} (${n.ref}); the agreement is void.`;
    case 'not-carried-out':
      return `${getMove(n.ref ?? '')?.name ?? n.ref} was not carried out: ${n.detail}.`;
    case 'mineral-limits':
      return 'China limited critical-mineral exports: US compute production is cut for two rounds.';
    case 'incident-reported':
      return `${AGREEMENT_NAMES['incident-notification']} in force: the incident was reported at once and did less harm.`;
    case 'summit-opened-talks':
      return 'The summit opened talks on safety.';
    case 'hotline-softened':
      return 'The hotline in force let leaders talk directly, which softened the escalation.';
    case 'crisis-survived':
      return 'The world came through the AI crisis: major agreements (compute reporting, a frontier cap) are now on the table.';
    case 'crisis-answers': {
      const [us = '', china = ''] = (n.detail ?? '|').split('|');
      const e = getEvent(n.ref ?? '');
      // The answers are kept as choice ids; people read the choices' labels.
      const label = (side: Side, id: string) =>
        e?.response?.choices[side].find((c) => c.id === id)?.label ?? id;
      return `Crisis answers to ${e?.title ?? n.ref}: US "${label('us', us)}", China "${label('china', china)}".`;
    }
  }
}
