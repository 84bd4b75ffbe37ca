import { AGREEMENT_TYPES, LOOPHOLES } from '../rules/ids.ts';
import { agreementValue } from '../rules/lookup.ts';
import { answer, tooDangerous } from './crisis.ts';
import {
  believedLead,
  inForceAgreements,
  lastRoundMoves,
  loopholesByOpenness,
  nextProposal,
  openness,
  Plan,
  proposalsToAnswer,
  talksOrder,
} from './plan.ts';
import type { Bot } from './types.ts';

/** Agreement types are listed safety-first already: the hotline, incidents, nuclear command… */
const SAFETY_FIRST = AGREEMENT_TYPES;

function punishIfCaught(plan: Plan): void {
  if ((plan.view.own?.state.retaliationWindow ?? 0) > 0)
    plan.add({ move: 'punish-violation' }, 'China was caught cheating; it must cost something.');
}

/** Path A: ease controls and rely on good faith. */
export const usEase: Bot = {
  id: 'ease',
  side: 'us',
  label: 'Ease (path A)',
  description: 'Eases export controls, opens broad talks and signs what China offers, trusting it to comply.',
  orders(view) {
    const plan = new Plan(view);
    for (const a of proposalsToAnswer(view)) plan.add({ move: 'accept-agreement', agreementId: a.id });
    const talks = talksOrder(view, 'broad');
    if (talks) plan.add(talks, 'Put everything on the table.');
    for (const l of loopholesByOpenness(view, false).slice(0, 2)) {
      if (openness(view, l) < 1)
        plan.add({ move: 'ease-loophole', loophole: l }, 'Goodwill for talks and sales for US firms.');
    }
    const t = nextProposal(view, SAFETY_FIRST);
    if (t) plan.add({ move: 'propose-agreement', agreement: t });
    plan.add({ move: 'safety-research' });
    plan.add({ move: 'compute-buildout' });
    plan.add({ move: 'intel-verification' });
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, true),
};

/** Path B: close the loopholes, widen the gap, keep talks narrowly on safety. */
export const usMaxPressure: Bot = {
  id: 'max-pressure',
  side: 'us',
  label: 'Maximum pressure (path B)',
  description:
    'Tightens the most open loopholes, coordinates allies, races at the frontier and talks only about safety.',
  orders(view) {
    const plan = new Plan(view);
    for (const a of proposalsToAnswer(view))
      plan.add(
        { move: 'accept-agreement', agreementId: a.id },
        'Safety deals are welcome; controls are not negotiable.',
      );
    punishIfCaught(plan);
    const talks = talksOrder(view, 'safety');
    if (talks) plan.add(talks, 'Talk, but only about safety: export controls stay off the agenda.');
    for (const l of loopholesByOpenness(view, true).slice(0, 2)) {
      if (openness(view, l) > 0)
        plan.add({ move: 'tighten-loophole', loophole: l }, 'Close the channel that leaks the most.');
    }
    if (view.public.round % 2 === 1) plan.add({ move: 'frontier-training' }, 'Widen the gap.');
    else if (view.public.alliedAlignment < 0.8) plan.add({ move: 'allied-coordination' });
    else plan.add({ move: 'enforcement-surge' });
    plan.add({ move: 'intel-verification' }, 'Better AI and intelligence deter cheating.');
    if (view.public.talks.open) {
      const t = nextProposal(view, SAFETY_FIRST);
      if (t) plan.add({ move: 'propose-agreement', agreement: t });
    }
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, tooDangerous(view, 70)),
};

/** Path C: hold controls where they are and wait; US labs keep racing as they do today. */
export const usStatusQuo: Bot = {
  id: 'status-quo',
  side: 'us',
  label: 'Status quo (path C)',
  description:
    'Leaves controls as they are and lets US labs race as today; accepts minor agreements and rejects major ones until an AI crisis is survived, and waits for one before seeking major ones.',
  orders(view) {
    const plan = new Plan(view);
    const p = view.public;
    for (const a of proposalsToAnswer(view)) {
      const major = agreementValue(p.params.agreements, a.type).major;
      plan.add({
        move: major && !p.crisisSurvived ? 'reject-agreement' : 'accept-agreement',
        agreementId: a.id,
      });
    }
    if (p.crisisSurvived) {
      const t = nextProposal(view, ['compute-reporting', 'frontier-cap', 'eval-standards', 'hotline']);
      if (t) plan.add({ move: 'propose-agreement', agreement: t }, 'After the crisis, deals are possible.');
    }
    if (p.round % 2 === 0) plan.add({ move: 'frontier-training' }, 'US labs keep pushing the frontier.');
    plan.add({ move: 'compute-buildout' });
    plan.add({ move: 'safety-research' });
    plan.add({ move: 'algorithmic-efficiency' });
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, true),
};

/** Reads China through its estimates: rewards compliance, punishes racing and cheating. */
export const usAdaptive: Bot = {
  id: 'adaptive',
  side: 'us',
  label: 'Adaptive',
  description:
    'Tit-for-tat on estimates: tightens when the lead looks thin or China looks like it is cheating, eases and deals when the lead is safe and trust holds.',
  orders(view) {
    const plan = new Plan(view);
    const p = view.public;
    const est = view.estimates;
    const lead = believedLead(view);
    const suspicious = (est?.compliance ?? []).some(
      (c) => c.value < 0.7 && inForceAgreements(view).some((a) => a.id === c.agreementId),
    );
    const chinaHostile = lastRoundMoves(view, 'china').some(
      (m) => m === 'mineral-retaliation' || m === 'frontier-training',
    );
    punishIfCaught(plan);
    for (const a of proposalsToAnswer(view)) {
      if (suspicious && agreementValue(p.params.agreements, a.type).major)
        plan.add({ move: 'reject-agreement', agreementId: a.id }, 'Not while we suspect cheating.');
      else plan.add({ move: 'accept-agreement', agreementId: a.id });
    }
    if ((view.own?.state.intel ?? 1) < 0.7)
      plan.add({ move: 'intel-verification' }, 'We need to see clearly before we trust.');
    if (lead < 8 || suspicious || chinaHostile) {
      const l = loopholesByOpenness(view, true)[0];
      if (l && openness(view, l) > 0)
        plan.add(
          { move: 'tighten-loophole', loophole: l },
          'The lead is thin or China is not playing straight.',
        );
      if (lead < 6) plan.add({ move: 'frontier-training' });
    } else if (lead > 12 && p.trust >= 35) {
      const l = LOOPHOLES.find((x) => openness(view, x) < 0.5);
      if (l) plan.add({ move: 'ease-loophole', loophole: l }, 'A safe lead lets us offer something.');
    }
    const talks = talksOrder(view, 'safety');
    if (talks && !p.talks.open) plan.add(talks);
    const t = nextProposal(view, [
      'compute-reporting',
      'eval-standards',
      'hotline',
      'incident-notification',
      'no-ai-nuclear-c2',
      'frontier-cap',
    ]);
    if (t && !suspicious) plan.add({ move: 'propose-agreement', agreement: t });
    plan.add({ move: 'safety-research' });
    plan.add({ move: 'compute-buildout' });
    return plan.orders;
  },
  crisis: (view, eventId) => answer(view, eventId, view.public.trust >= 25 || tooDangerous(view, 60)),
};

export const US_BOTS: readonly Bot[] = [usEase, usMaxPressure, usStatusQuo, usAdaptive];
