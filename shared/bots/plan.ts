import { AGREEMENT_TYPES, type AgreementType, LOOPHOLES, type LoopholeId, type Side } from '../rules/ids.ts';
import { agreementValue } from '../rules/lookup.ts';
import { type CheckInput, getMove } from '../rules/moves.ts';
import { hasSameTarget, MAX_ORDERS } from '../rules/order-limits.ts';
import type { Agreement, Order } from '../rules/state.ts';
import type { PlayerView } from '../rules/view.ts';

/**
 * A bot's shopping list for one round: moves are added in priority order while the budget lasts,
 * each only once per target. Bots reason only from their own `PlayerView`.
 */
export class Plan {
  readonly orders: Order[] = [];
  private left: number;

  private readonly input: CheckInput;
  private readonly side: Side;

  constructor(readonly view: PlayerView) {
    this.left = view.own?.state.budget ?? 0;
    this.input = checkInputFromView(view);
    this.side = sideOf(view);
  }

  /** Adds the order if it is affordable, new, and passes the move's own precondition. */
  add(wanted: Order, rationale?: string): boolean {
    const def = getMove(wanted.move);
    // Checked before the copy below: bots ask for more than their budget buys most rounds.
    if (!def || def.cost > this.left || this.orders.length >= MAX_ORDERS) return false;
    // Every order gets all six fields (absent ones undefined): orders of one shape let the
    // engine read them with direct field loads, where a mix of shapes sends every read through
    // V8's generic lookup. JSON and the schema treat an undefined field as absent.
    const order: Order = {
      move: wanted.move,
      loophole: wanted.loophole,
      agreement: wanted.agreement,
      agreementId: wanted.agreementId,
      scope: wanted.scope,
      rationale: rationale ?? wanted.rationale,
    };
    if (hasSameTarget(this.orders, order)) return false;
    if (def.check(this.input, this.side, order) !== null) return false;
    this.left -= def.cost;
    this.orders.push(order);
    return true;
  }

  get budgetLeft(): number {
    return this.left;
  }
}

/** The same precondition input the rules build from the true state, built from what this seat sees. */
export function checkInputFromView(view: PlayerView): CheckInput {
  const own = view.own;
  if (!own) throw new Error('a bot needs a side seat');
  const p = view.public;
  const ol = own.loopholes;
  return {
    params: p.params,
    own: own.state,
    talks: p.talks,
    trust: p.trust,
    crisisSurvived: p.crisisSurvived,
    alliedAlignment: p.alliedAlignment,
    mineralLimitsRounds: p.mineralLimitsRounds,
    loopholes: {
      allowedChips: {
        openness: p.loopholes.allowedChips.openness,
        evasion: ol ? ol.allowedChips.evasion : 0,
      },
      cloud: { openness: p.loopholes.cloud.openness, evasion: ol ? ol.cloud.evasion : 0 },
      smuggling: { openness: p.loopholes.smuggling.openness, evasion: ol ? ol.smuggling.evasion : 0 },
      fabEquipment: {
        openness: p.loopholes.fabEquipment.openness,
        evasion: ol ? ol.fabEquipment.evasion : 0,
      },
    },
    agreements: p.agreements,
  };
}

export function sideOf(view: PlayerView): Side {
  if (!view.own) throw new Error('a bot needs a side seat');
  return view.own.side;
}

/** The US lead as this side believes it: own truth against the estimate of the other. */
export function believedLead(view: PlayerView): number {
  const own = view.own;
  const est = view.estimates;
  if (!own || !est) return view.public.startLead;
  return own.side === 'us'
    ? own.state.capability - est.capability.value
    : est.capability.value - own.state.capability;
}

export function proposalsToAnswer(view: PlayerView): Agreement[] {
  const me = sideOf(view);
  return view.public.agreements.filter((a) => a.status === 'proposed' && a.proposedBy !== me);
}

export function isLive(view: PlayerView, type: AgreementType): boolean {
  return view.public.agreements.some(
    (a) => a.type === type && (a.status === 'proposed' || a.status === 'accepted' || a.status === 'in-force'),
  );
}

export function inForceAgreements(view: PlayerView): Agreement[] {
  return view.public.agreements.filter((a) => a.status === 'in-force');
}

export function agreementInForce(view: PlayerView, type: AgreementType): boolean {
  return view.public.agreements.some((a) => a.type === type && a.status === 'in-force');
}

/** First agreement type, in the given preference order, that can be proposed now. */
export function nextProposal(
  view: PlayerView,
  prefs: readonly AgreementType[] = AGREEMENT_TYPES,
): AgreementType | null {
  const p = view.public;
  if (!p.talks.open) return null;
  const majorOpen = p.crisisSurvived || p.trust >= p.params.verification.majorTrustThreshold;
  for (const t of prefs) {
    if (isLive(view, t)) continue;
    if (agreementValue(p.params.agreements, t).major && !majorOpen) continue;
    return t;
  }
  return null;
}

/**
 * A channel's announced openness. Each branch is a named read: a read by a key that varies from
 * call to call (`loopholes[id]`) is V8's slow generic lookup (see shared/rules/lookup.ts).
 */
export function openness(view: PlayerView, id: LoopholeId): number {
  const l = view.public.loopholes;
  switch (id) {
    case 'allowedChips':
      return l.allowedChips.openness;
    case 'cloud':
      return l.cloud.openness;
    case 'smuggling':
      return l.smuggling.openness;
    case 'fabEquipment':
      return l.fabEquipment.openness;
  }
}

/** The size of China's own evasion network on a channel (null for the US, which cannot see it). */
export function ownEvasion(view: PlayerView, id: LoopholeId): number | null {
  const l = view.own?.loopholes;
  if (!l) return null;
  switch (id) {
    case 'allowedChips':
      return l.allowedChips.evasion;
    case 'cloud':
      return l.cloud.evasion;
    case 'smuggling':
      return l.smuggling.evasion;
    case 'fabEquipment':
      return l.fabEquipment.evasion;
  }
}

export function loopholesByOpenness(view: PlayerView, descending: boolean): LoopholeId[] {
  const out = LOOPHOLES.slice();
  // A stable insertion sort: four items, and bots call this every round.
  for (let i = 1; i < out.length; i++) {
    const id = out[i] as LoopholeId;
    const key = openness(view, id);
    let j = i - 1;
    for (; j >= 0; j--) {
      const other = openness(view, out[j] as LoopholeId);
      if (descending ? other >= key : other <= key) break;
      out[j + 1] = out[j] as LoopholeId;
    }
    out[j + 1] = id;
  }
  return out;
}

/** Moves a side made openly last round. */
export function lastRoundMoves(view: PlayerView, side: Side): string[] {
  const last = view.log.public[view.log.public.length - 1];
  return last ? last.orders.filter((o) => o.side === side).map((o) => o.move) : [];
}

/** Chance the other side catches a violation, computed from this side's estimates. */
export function believedDetection(view: PlayerView, type: AgreementType): number {
  const p = view.public.params;
  const est = view.estimates;
  const v = p.verification;
  const otherIntel = est ? est.intel.value : 0.5;
  const lead = believedLead(view);
  const detectorLead = sideOf(view) === 'us' ? -lead : lead;
  const chance =
    agreementValue(p.agreements, type).baseDetection +
    v.intelWeight * otherIntel +
    v.leadWeightPerMonth * Math.max(0, detectorLead) +
    (agreementInForce(view, 'compute-reporting') ? v.reportingBonus : 0);
  return Math.min(0.95, Math.max(0.02, chance));
}

export function talksOrder(view: PlayerView, scope: 'safety' | 'broad'): Order | null {
  const t = view.public.talks;
  return t.open && t.scope === scope ? null : { move: 'open-talks', scope };
}
