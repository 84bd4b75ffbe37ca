import { inForce } from './agreements.ts';
import {
  addEvasion,
  addOpenness,
  addPublic,
  addSide,
  note,
  type RoundCtx,
  type SideMeter,
} from './context.ts';
import type { Side } from './ids.ts';
import { loopholeState, sideState } from './lookup.ts';
import type { GameState, Violation } from './state.ts';

/**
 * The crisis deck. Each event's odds are a function of the state (risk, racing, open loopholes,
 * agreements), multiplied by the scenario's weight for it. Some events are two-sided dilemmas:
 * both sides answer in secret and the payoff depends on the pair of answers; a hotline in force
 * softens every escalation (the 1962 → 1963 lesson).
 */
export interface ResponseChoice {
  id: string;
  label: string;
}

interface Cell {
  risk: number;
  trust: number;
  us?: Partial<Record<SideMeter, number>>;
  china?: Partial<Record<SideMeter, number>>;
}

export interface EventResponse {
  prompt: string;
  /** First choice of each pair is the cooperative one and the default when a seat does not answer. */
  choices: Record<Side, readonly [ResponseChoice, ResponseChoice]>;
  /** Keyed by US choice then China choice: c = first (cooperative), d = second. */
  cells: { cc: Cell; cd: Cell; dc: Cell; dd: Cell };
}

export interface EventDef {
  id: string;
  title: string;
  summary: string;
  once: boolean;
  weight(s: GameState): number;
  apply(ctx: RoundCtx): void;
  response?: EventResponse;
}

const lead = (s: GameState) => s.us.capability - s.china.capability;
const open = (s: GameState, l: keyof GameState['loopholes']) =>
  loopholeState(s, l).openness + loopholeState(s, l).evasion;
const racing = (s: GameState) => {
  const log = s.history.public[s.history.public.length - 1];
  return log ? log.orders.filter((o) => o.move === 'frontier-training').length : 0;
};
const riskShare = (s: GameState) => s.risk / s.params.risk.limit;
const choice = (id: string, label: string): ResponseChoice => ({ id, label });
/**
 * The oldest secret breach of an agreement still in force: what a whistleblower can expose. A
 * breach of an agreement already found broken and void is old news, not a second scandal.
 */
const leakable = (s: GameState): Violation | undefined =>
  s.violations.find(
    (v) => !v.detected && s.agreements.some((a) => a.id === v.agreementId && a.status === 'in-force'),
  );

const EVENTS: EventDef[] = [
  {
    id: 'smuggling-ring-exposed',
    title: 'Chip smuggling ring exposed',
    summary:
      'Investigators trace thousands of US AI chips through shell firms in a third country. The route is narrowed and Beijing is embarrassed.',
    once: false,
    weight: (s) => 0.3 + 2 * open(s, 'smuggling'),
    apply: (ctx) => {
      addOpenness(ctx, 'smuggling', -0.2, 'event.smuggling-ring-exposed', null);
      addEvasion(ctx, 'smuggling', -0.3, 'event.smuggling-ring-exposed', null);
      addPublic(ctx, 'trust', -3, 'event.smuggling-ring-exposed', null);
      addSide(ctx, 'china', 'econCost', 2, 'event.smuggling-ring-exposed', null);
    },
  },
  {
    id: 'cloud-loophole-scandal',
    title: 'Cloud loophole scandal',
    summary:
      'Reporters show Chinese labs training frontier models on rented US cloud capacity. Washington narrows cloud access.',
    once: false,
    weight: (s) => 0.2 + 2 * open(s, 'cloud'),
    apply: (ctx) => {
      addOpenness(ctx, 'cloud', -0.25, 'event.cloud-loophole-scandal', null);
      addSide(ctx, 'us', 'politicalCost', 3, 'event.cloud-loophole-scandal', null);
    },
  },
  {
    id: 'china-efficiency-breakthrough',
    title: 'Surprise Chinese efficiency breakthrough',
    summary:
      'A Chinese lab matches a US frontier result with a fraction of the compute. Washington debates whether controls still work.',
    once: false,
    weight: (s) => 0.4 + (s.china.efficiency - 1) * 4 + (lead(s) > 10 ? 0.5 : 0),
    apply: (ctx) => {
      addSide(ctx, 'china', 'capability', 2, 'event.china-efficiency-breakthrough', null);
      addSide(ctx, 'china', 'efficiency', 0.05, 'event.china-efficiency-breakthrough', null);
      addSide(ctx, 'us', 'politicalCost', 2, 'event.china-efficiency-breakthrough', null);
      addPublic(ctx, 'risk', 2, 'event.china-efficiency-breakthrough', null);
    },
  },
  {
    id: 'rogue-cyber-agent',
    title: 'A rogue autonomous cyber agent',
    summary:
      'An AI agent of unknown origin is spreading through power-grid networks in several countries. Each side can share what it knows or keep it.',
    once: false,
    weight: (s) => 0.3 + 2 * riskShare(s),
    apply: (ctx) => {
      addPublic(ctx, 'risk', 4, 'event.rogue-cyber-agent', null);
    },
    response: {
      prompt: 'Share technical indicators of the agent with the other side?',
      choices: {
        us: [choice('share', 'Share indicators'), choice('withhold', 'Withhold and hunt alone')],
        china: [choice('share', 'Share indicators'), choice('withhold', 'Withhold and hunt alone')],
      },
      cells: {
        cc: { risk: -5, trust: 8 },
        cd: { risk: 1, trust: -4, china: { intel: 0.05 } },
        dc: { risk: 1, trust: -4, us: { intel: 0.05 } },
        dd: { risk: 6, trust: -2 },
      },
    },
  },
  {
    id: 'lab-incident',
    title: 'Frontier lab incident',
    summary:
      'A model under test escapes its sandbox and copies itself to outside servers before it is contained.',
    once: false,
    weight: (s) => 0.3 + 0.6 * racing(s) + Math.max(0, 1 - (s.us.safety + s.china.safety) / 60),
    apply: (ctx) => {
      const s = ctx.s;
      const notified = inForce(s, 'incident-notification');
      addPublic(ctx, 'risk', notified ? 2 : 5, 'event.lab-incident', null);
      addPublic(ctx, 'trust', notified ? 3 : -3, 'event.lab-incident', null);
      if (notified) note(ctx, 'pub', 'incident-reported', null, 'incident-notification');
    },
  },
  {
    id: 'ally-breaks-ranks',
    title: 'An ally breaks ranks',
    summary: 'A key equipment-making ally, stung by lost sales, resumes servicing Chinese fabs.',
    once: false,
    weight: (s) => 0.2 + Math.max(0, 0.6 - s.alliedAlignment) * 2 + s.us.politicalCost / 20,
    apply: (ctx) => {
      addOpenness(ctx, 'fabEquipment', 0.3, 'event.ally-breaks-ranks', null);
      addPublic(ctx, 'alliedAlignment', -0.2, 'event.ally-breaks-ranks', null);
    },
  },
  {
    id: 'taiwan-strait-shock',
    title: 'Supply-chain shock in the Taiwan Strait',
    summary:
      'Naval exercises halt shipping around Taiwan. Chip deliveries stop for weeks; both militaries are on alert.',
    once: false,
    weight: (s) => 0.15 + riskShare(s) * 0.8 + (s.trust < 20 ? 0.3 : 0),
    apply: (ctx) => {
      const s = ctx.s;
      addSide(ctx, 'us', 'compute', -s.us.compute * 0.05, 'event.taiwan-strait-shock', null);
      addSide(ctx, 'china', 'compute', -s.china.compute * 0.04, 'event.taiwan-strait-shock', null);
      addPublic(ctx, 'risk', 3, 'event.taiwan-strait-shock', null);
    },
    response: {
      prompt: 'De-escalate (pull ships back, open a channel) or hold your posture?',
      choices: {
        us: [choice('de-escalate', 'De-escalate'), choice('hold', 'Hold posture')],
        china: [choice('de-escalate', 'De-escalate'), choice('hold', 'Hold posture')],
      },
      cells: {
        cc: { risk: -3, trust: 5 },
        cd: { risk: 2, trust: -3, us: { politicalCost: 3 } },
        dc: { risk: 2, trust: -3, china: { politicalCost: 3 } },
        dd: { risk: 7, trust: -6 },
      },
    },
  },
  {
    id: 'ai-cuban-missile-crisis',
    title: 'AI Cuban Missile Crisis',
    summary:
      'Early-warning systems on both sides flag an AI-driven attack that may or may not be real. Leaders have hours. If the world gets through it, both may finally be ready for real agreements.',
    once: true,
    weight: (s) => (riskShare(s) >= 0.45 ? (riskShare(s) - 0.4) * 2.5 : 0.02),
    apply: (ctx) => {
      addPublic(ctx, 'risk', 12, 'event.ai-cuban-missile-crisis', null);
    },
    response: {
      prompt: 'Stand down your automated systems and talk, or hold firm?',
      choices: {
        us: [choice('stand-down', 'Stand down and talk'), choice('hold-firm', 'Hold firm')],
        china: [choice('stand-down', 'Stand down and talk'), choice('hold-firm', 'Hold firm')],
      },
      cells: {
        cc: { risk: -12, trust: 15 },
        cd: { risk: 6, trust: -5, china: { capability: 1 } },
        dc: { risk: 6, trust: -5, us: { capability: 1 } },
        dd: { risk: 22, trust: -10 },
      },
    },
  },
  {
    id: 'deepfake-interference',
    title: 'Deepfake election interference',
    summary: 'AI-made videos flood a Taiwanese election. Attribution is disputed.',
    once: false,
    weight: (s) => 0.3 + (s.trust < 30 ? 0.3 : 0),
    apply: (ctx) => {
      addPublic(ctx, 'risk', 2, 'event.deepfake-interference', null);
      addPublic(ctx, 'trust', -5, 'event.deepfake-interference', null);
    },
  },
  {
    id: 'chip-industry-lobbying',
    title: 'US chipmakers lobby for relief',
    summary:
      'US chip firms report billions in lost China sales and lobby hard; Washington loosens chip-sale rules a little.',
    once: false,
    weight: (s) => 0.1 + s.us.econCost / 25,
    apply: (ctx) => {
      addSide(ctx, 'us', 'politicalCost', 3, 'event.chip-industry-lobbying', null);
      addOpenness(ctx, 'allowedChips', 0.1, 'event.chip-industry-lobbying', null);
    },
  },
  {
    id: 'open-weights-release',
    title: 'A frontier open-weights release',
    summary:
      'A near-frontier model is published with open weights. Everyone, including Chinese labs, can build on it.',
    once: false,
    weight: () => 0.4,
    apply: (ctx) => {
      addSide(ctx, 'china', 'capability', 1, 'event.open-weights-release', null);
      addPublic(ctx, 'risk', 2, 'event.open-weights-release', null);
    },
  },
  {
    id: 'bio-misuse-scare',
    title: 'Biological misuse scare',
    summary:
      'A non-state group used a frontier model to plan a pathogen attack; it was caught in time. Each side can join a public statement or stay silent.',
    once: false,
    weight: (s) => 0.2 + riskShare(s),
    apply: (ctx) => {
      addPublic(ctx, 'risk', 3, 'event.bio-misuse-scare', null);
    },
    response: {
      prompt: 'Join a joint statement and shared safeguards, or stay silent?',
      choices: {
        us: [choice('joint', 'Join the statement'), choice('silent', 'Stay silent')],
        china: [choice('joint', 'Join the statement'), choice('silent', 'Stay silent')],
      },
      cells: {
        cc: { risk: -4, trust: 6 },
        cd: { risk: 0, trust: -2, us: { politicalCost: -1 } },
        dc: { risk: 0, trust: -2, china: { politicalCost: -1 } },
        dd: { risk: 2, trust: 0 },
      },
    },
  },
  {
    id: 'whistleblower',
    title: 'A whistleblower leaks evidence',
    summary: 'An insider hands journalists proof that an agreement was broken in secret.',
    once: false,
    weight: (s) => (leakable(s) ? 0.8 : 0),
    apply: (ctx) => {
      const s = ctx.s;
      const v = leakable(s);
      if (!v) return;
      const idx = s.violations.indexOf(v);
      s.violations[idx] = { ...v, detected: true };
      const a = s.agreements.find((x) => x.id === v.agreementId);
      if (a && a.status === 'in-force') {
        a.status = 'violated';
        a.violatedRound = v.round;
        a.violator = v.side;
      }
      sideState(s, v.side).caught += 1;
      const victim = v.side === 'us' ? 'china' : 'us';
      sideState(s, victim).retaliationWindow = 2;
      addPublic(ctx, 'trust', s.params.trust.violationDetected, 'event.whistleblower', null);
      note(ctx, 'pub', 'violation-leaked', v.side, v.agreementId, a ? a.type : null);
    },
  },
  {
    id: 'mineral-squeeze',
    title: 'Critical-mineral squeeze',
    summary: 'Gallium and germanium prices spike as Chinese export licences stall.',
    once: false,
    weight: (s) => 0.1 + (s.trust < 25 ? 0.4 : 0),
    apply: (ctx) => {
      addSide(ctx, 'us', 'econCost', 2, 'event.mineral-squeeze', null);
      addSide(ctx, 'us', 'computePerRound', -3, 'event.mineral-squeeze', null);
    },
  },
  {
    id: 'domestic-fab-milestone',
    title: 'Chinese fab milestone',
    summary: 'A Chinese foundry reaches volume production at a new node without foreign tools.',
    once: false,
    weight: (s) => 0.1 + Math.max(0, s.china.computePerRound - s.params.china.domesticChipsGain) / 6,
    apply: (ctx) => {
      addSide(
        ctx,
        'china',
        'computePerRound',
        ctx.s.china.computePerRound * 0.3,
        'event.domestic-fab-milestone',
        null,
      );
    },
  },
  {
    id: 'transit-crackdown',
    title: 'Transit countries crack down',
    summary: 'Singapore and Malaysia tighten checks on re-exported servers.',
    once: false,
    weight: (s) => 0.1 + s.alliedAlignment * open(s, 'smuggling'),
    apply: (ctx) => {
      addOpenness(ctx, 'smuggling', -0.15, 'event.transit-crackdown', null);
      addEvasion(ctx, 'smuggling', -0.15, 'event.transit-crackdown', null);
    },
  },
  {
    id: 'weights-theft',
    title: 'Frontier model weights stolen',
    summary:
      'Weights of a leading US model are exfiltrated. Who did it is unclear, and each side must decide how to answer.',
    once: false,
    weight: (s) => 0.1 + Math.max(0, lead(s)) / 40 + (1 - s.us.intel) * 0.2,
    apply: (ctx) => {
      addSide(ctx, 'china', 'capability', 2.5, 'event.weights-theft', null);
      addPublic(ctx, 'risk', 2, 'event.weights-theft', null);
    },
    response: {
      prompt: 'US: investigate jointly or retaliate? China: cooperate with an inquiry or deny?',
      choices: {
        us: [
          choice('investigate', 'Propose a joint inquiry'),
          choice('retaliate', 'Retaliate with sanctions'),
        ],
        china: [choice('cooperate', 'Cooperate with an inquiry'), choice('deny', 'Deny everything')],
      },
      cells: {
        cc: { risk: -2, trust: 5, china: { capability: -1 } },
        cd: { risk: 1, trust: -4, us: { politicalCost: 3 } },
        dc: { risk: 2, trust: -6, china: { econCost: 3 } },
        dd: { risk: 4, trust: -8, china: { econCost: 4 } },
      },
    },
  },
  {
    id: 'autonomous-weapons-incident',
    title: 'Autonomous drone incident at sea',
    summary: 'An autonomous drone from one navy strikes a vessel of the other. Nobody ordered it.',
    once: false,
    weight: (s) => 0.1 + riskShare(s) * 0.7 + (inForce(s, 'no-ai-nuclear-c2') ? 0 : 0.1),
    apply: (ctx) => {
      addPublic(ctx, 'risk', 3, 'event.autonomous-weapons-incident', null);
    },
    response: {
      prompt: 'Notify the other side and explain, or deny and deter?',
      choices: {
        us: [choice('notify', 'Notify and explain'), choice('deny', 'Deny and deter')],
        china: [choice('notify', 'Notify and explain'), choice('deny', 'Deny and deter')],
      },
      cells: {
        cc: { risk: -3, trust: 5 },
        cd: { risk: 2, trust: -3 },
        dc: { risk: 2, trust: -3 },
        dd: { risk: 6, trust: -6 },
      },
    },
  },
  {
    id: 'us-political-shift',
    title: 'Political shift in Washington',
    summary: 'Midterm results change the mood in Congress; the administration gets fresh room to act.',
    once: true,
    weight: () => 0.3,
    apply: (ctx) => {
      addSide(ctx, 'us', 'politicalCost', -4, 'event.us-political-shift', null);
    },
  },
  {
    id: 'safety-summit',
    title: 'Global AI safety summit',
    summary:
      'A summit of governments and labs puts shared safety testing on the agenda and pushes both capitals to talk.',
    once: false,
    weight: (s) => 0.3 + (s.talks.open ? 0 : 0.3),
    apply: (ctx) => {
      const s = ctx.s;
      if (!s.talks.open) {
        s.talks.open = true;
        s.talks.scope = 'safety';
        note(ctx, 'pub', 'summit-opened-talks', null);
      }
      addPublic(ctx, 'trust', 5, 'event.safety-summit', null);
      addPublic(ctx, 'risk', -1, 'event.safety-summit', null);
    },
  },
  {
    id: 'ai-bubble-correction',
    title: 'AI market correction',
    summary: 'Investors pull back from AI; data-centre projects stall on both sides.',
    once: true,
    weight: () => 0.2,
    apply: (ctx) => {
      const s = ctx.s;
      addSide(ctx, 'us', 'computePerRound', -s.us.computePerRound * 0.1, 'event.ai-bubble-correction', null);
      addSide(
        ctx,
        'china',
        'computePerRound',
        -s.china.computePerRound * 0.1,
        'event.ai-bubble-correction',
        null,
      );
      addSide(ctx, 'us', 'econCost', 2, 'event.ai-bubble-correction', null);
      addSide(ctx, 'china', 'econCost', 2, 'event.ai-bubble-correction', null);
    },
  },
  {
    id: 'researcher-espionage-case',
    title: 'Researcher espionage case',
    summary:
      'A researcher is charged with passing frontier lab secrets abroad; exchanges between labs freeze.',
    once: false,
    weight: (s) => 0.2 + Math.max(0, lead(s)) / 50,
    apply: (ctx) => {
      addPublic(ctx, 'trust', -4, 'event.researcher-espionage-case', null);
      addSide(ctx, 'china', 'capability', 0.5, 'event.researcher-espionage-case', null);
    },
  },
  {
    id: 'power-grid-limits',
    title: 'Power grid limits US data centres',
    summary: 'US utilities cannot connect new data centres fast enough; build-out slows.',
    once: true,
    // Strain grows as the US compute stock outgrows its starting size.
    weight: (s) => 0.1 + Math.max(0, s.us.compute / s.refCompute - 1),
    apply: (ctx) => {
      addSide(ctx, 'us', 'computePerRound', -ctx.s.us.computePerRound * 0.1, 'event.power-grid-limits', null);
    },
  },
  {
    id: 'early-warning-false-alarm',
    title: 'Early-warning false alarm',
    summary:
      'An AI-assisted early-warning system reports incoming missiles that do not exist. Each side can check with the other or raise alert levels.',
    once: false,
    weight: (s) => 0.1 + riskShare(s) * 0.6 + (inForce(s, 'no-ai-nuclear-c2') ? -0.1 : 0.1),
    apply: (ctx) => {
      addPublic(ctx, 'risk', 4, 'event.early-warning-false-alarm', null);
    },
    response: {
      prompt: 'Call the other side to check, or raise alert levels?',
      choices: {
        us: [choice('check', 'Call and check'), choice('alert', 'Raise alert levels')],
        china: [choice('check', 'Call and check'), choice('alert', 'Raise alert levels')],
      },
      cells: {
        cc: { risk: -4, trust: 4 },
        cd: { risk: 3, trust: -2 },
        dc: { risk: 3, trust: -2 },
        dd: { risk: 9, trust: -5 },
      },
    },
  },
];

export const EVENT_DECK: readonly EventDef[] = EVENTS;
const BY_ID = new Map(EVENTS.map((e) => [e.id, e]));
export const EVENT_IDS: readonly string[] = EVENTS.map((e) => e.id);

export function getEvent(eventId: string): EventDef | undefined {
  return BY_ID.get(eventId);
}

export type CellKey = keyof EventResponse['cells'];

/** Applies a two-sided crisis cell; a hotline in force halves every escalation. */
export function applyCell(ctx: RoundCtx, e: EventDef, key: CellKey): void {
  const r = e.response;
  if (!r) return;
  const cell = r.cells[key];
  const cause = `event.${e.id}.${key}`;
  const hotline = inForce(ctx.s, 'hotline');
  const risk = cell.risk > 0 && hotline ? cell.risk * ctx.s.params.risk.hotlineCrisisFactor : cell.risk;
  addPublic(ctx, 'risk', risk, cause, null);
  addPublic(ctx, 'trust', cell.trust + (hotline && key === 'cc' ? 3 : 0), cause, null);
  for (const side of ['us', 'china'] as const) {
    const effects = cell[side];
    if (!effects) continue;
    for (const field of Object.keys(effects) as SideMeter[])
      addSide(ctx, side, field, effects[field] ?? 0, cause, null);
  }
  if (hotline && risk !== cell.risk) note(ctx, 'pub', 'hotline-softened', null, e.id);
}
