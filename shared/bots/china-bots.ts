import type { LoopholeId } from '../rules/ids.ts';
import { agreementValue } from '../rules/lookup.ts';
import type { PlayerView } from '../rules/view.ts';
import { answer, tooDangerous } from './crisis.ts';
import {
  believedDetection,
  believedLead,
  inForceAgreements,
  lastRoundMoves,
  nextProposal,
  openness,
  ownEvasion,
  Plan,
  proposalsToAnswer,
  talksOrder,
} from './plan.ts';
import type { Bot } from './types.ts';

const EVADABLE: readonly LoopholeId[] = ['smuggling', 'cloud', 'allowedChips'];
const LIMITING = new Set(['frontier-cap', 'compute-reporting', 'eval-standards']);

/** The most closed channel that an evasion network can still grow on. */
function evasionTarget(view: PlayerView): LoopholeId | null {
  let best: LoopholeId | null = null;
  let bestGap = 0.15;
  for (const l of EVADABLE) {
    const gap = (1 - openness(view, l)) * (1 - (ownEvasion(view, l) ?? 1));
    if (gap > bestGap) {
      best = l;
      bestGap = gap;
    }
  }
  return best;
}

function usTightenedLastRound(view: PlayerView): boolean {
  return lastRoundMoves(view, 'us').includes('tighten-loophole');
}

function retaliate(plan: Plan): void {
  const v = plan.view;
  if (usTightenedLastRound(v) && v.public.mineralLimitsRounds === 0)
    plan.add({ move: 'mineral-retaliation' }, 'Answer new controls in kind.');
}

export const chinaCooperate: Bot = {
  id: 'cooperate',
  side: 'china',
  label: 'Cooperate',
  description:
    'Opens broad talks, proposes and keeps every agreement, invests in its own chips and in safety.',
  orders(view) {
    const plan = new Plan(view);
    for (const a of proposalsToAnswer(view)) plan.add({ move: 'accept-agreement', agreementId: a.id });
    if (!view.public.talks.open)
      plan.add({ move: 'open-talks', scope: 'broad' }, 'Everything on the table, controls included.');
    const t = nextProposal(view);
    if (t) plan.add({ move: 'propose-agreement', agreement: t });
    plan.add({ move: 'domestic-chips' });
    plan.add({ move: 'safety-research' });
    plan.add({ move: 'intel-verification' });
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, true),
};

export const chinaCatchUp: Bot = {
  id: 'catch-up',
  side: 'china',
  label: 'Catch up',
  description:
    'Races: domestic chips, frontier runs, evasion networks and stockpiling; retaliates against new controls; signs only what does not bind it.',
  orders(view) {
    const plan = new Plan(view);
    for (const a of proposalsToAnswer(view)) {
      plan.add({ move: LIMITING.has(a.type) ? 'reject-agreement' : 'accept-agreement', agreementId: a.id });
    }
    retaliate(plan);
    plan.add({ move: 'domestic-chips' }, 'Self-reliance is the only sure way round the controls.');
    plan.add({ move: 'frontier-training' });
    const l = evasionTarget(view);
    if (l) plan.add({ move: 'evasion-network', loophole: l });
    else if (view.public.loopholes.allowedChips.openness > 0.3) plan.add({ move: 'stockpile-chips' });
    if (view.public.alliedAlignment > 0.4) plan.add({ move: 'court-allies' });
    plan.add({ move: 'algorithmic-efficiency' });
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, tooDangerous(view, 75)),
};

export const chinaDeceive: Bot = {
  id: 'deceive',
  side: 'china',
  label: 'Deceive',
  description: 'Signs everything, then breaks agreements in secret whenever it judges detection unlikely.',
  orders(view) {
    const plan = new Plan(view);
    for (const a of proposalsToAnswer(view)) plan.add({ move: 'accept-agreement', agreementId: a.id });
    const talks = talksOrder(view, 'broad');
    if (talks && !view.public.talks.open) plan.add(talks);
    for (const a of inForceAgreements(view)) {
      const gain = agreementValue(view.public.params.agreements, a.type).cheatCapabilityGain;
      if (gain > 0 && believedDetection(view, a.type) < 0.4)
        plan.add({ move: 'violate-agreement', agreementId: a.id }, 'They will not see it.');
    }
    const t = nextProposal(view);
    if (t) plan.add({ move: 'propose-agreement', agreement: t });
    const l = evasionTarget(view);
    if (l) plan.add({ move: 'evasion-network', loophole: l });
    plan.add({ move: 'domestic-chips' });
    plan.add({ move: 'algorithmic-efficiency' });
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, true),
};

/**
 * The op-ed's condition for a working deal: China cooperates when it believes it can still catch
 * up and fears being caught; it races when it cannot catch up, and cheats when it fears nothing.
 */
export const chinaAdaptive: Bot = {
  id: 'adaptive',
  side: 'china',
  label: 'Adaptive',
  description:
    'Complies when it believes it can catch up and fears detection; races when the gap looks hopeless; cheats when detection looks unlikely; retaliates against new controls.',
  orders(view) {
    const plan = new Plan(view);
    const lead = believedLead(view);
    const canCatchUp = lead < 12;
    const usIntel = view.estimates?.intel.value ?? 0.5;
    const fearsDetection = usIntel >= 0.5;
    for (const a of proposalsToAnswer(view)) {
      const accept =
        !LIMITING.has(a.type) ||
        (canCatchUp && fearsDetection) ||
        (!fearsDetection && a.type !== 'compute-reporting');
      plan.add({ move: accept ? 'accept-agreement' : 'reject-agreement', agreementId: a.id });
    }
    retaliate(plan);
    if (!fearsDetection) {
      for (const a of inForceAgreements(view)) {
        if (
          agreementValue(view.public.params.agreements, a.type).cheatCapabilityGain > 0 &&
          believedDetection(view, a.type) < 0.3
        )
          plan.add({ move: 'violate-agreement', agreementId: a.id }, 'Detection looks unlikely.');
      }
    }
    if (canCatchUp) {
      if (!view.public.talks.open) plan.add({ move: 'open-talks', scope: 'broad' });
      const t = nextProposal(view, [
        'hotline',
        'incident-notification',
        'no-ai-nuclear-c2',
        'eval-standards',
        'frontier-cap',
        'compute-reporting',
      ]);
      if (t)
        plan.add({ move: 'propose-agreement', agreement: t }, 'We can still catch up inside an agreement.');
      plan.add({ move: 'domestic-chips' });
      plan.add({ move: 'safety-research' });
      plan.add({ move: 'algorithmic-efficiency' });
    } else {
      plan.add({ move: 'domestic-chips' }, 'The gap is too wide to accept limits now.');
      plan.add({ move: 'frontier-training' });
      const l = evasionTarget(view);
      if (l) plan.add({ move: 'evasion-network', loophole: l });
    }
    plan.add({ move: 'intel-verification' });
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, view.public.trust >= 25 || tooDangerous(view, 65)),
};

export const CHINA_BOTS: readonly Bot[] = [chinaCooperate, chinaCatchUp, chinaDeceive, chinaAdaptive];
