import { LOOPHOLES, type LoopholeId, type Side } from './ids.ts';
import { loopholeState } from './lookup.ts';
import type { ChangeRecord, GameState, NoteCode, RoundNote, SideState } from './state.ts';

/**
 * The working state of one adjudication step. The step copies the state once (`cloneForRound`),
 * or takes it as it is when its caller owns it (`ResolveOptions.inPlace`), changes it only
 * through these helpers, and every helper records what changed, why and by how much. Records land
 * in the log of whoever may see the variable: public meters in `pub`, a side's true values in
 * that side's log, so a log can never leak a hidden number by construction.
 */
export interface RoundCtx {
  s: GameState;
  round: number;
  pub: ChangeRecord[];
  us: ChangeRecord[];
  china: ChangeRecord[];
  notes: { pub: RoundNote[]; us: RoundNote[]; china: RoundNote[] };
}

/** The cause shown publicly for a public change whose true cause is a secret of one side. */
export const HIDDEN_CAUSE = 'rule.unattributed';

export function newCtx(s: GameState): RoundCtx {
  return { s, round: s.round, pub: [], us: [], china: [], notes: { pub: [], us: [], china: [] } };
}

function push(
  list: ChangeRecord[],
  ctx: RoundCtx,
  cause: string,
  side: Side | null,
  variable: string,
  delta: number,
  after: number,
) {
  list.push({ round: ctx.round, cause, side, variable, delta, after });
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : Math.min(v, hi));

const LOOPHOLE_VAR = Object.fromEntries(
  LOOPHOLES.map((l) => [
    l,
    { openness: `loophole.${l}.openness`, evasion: `loophole.${l}.evasion`, flow: `loophole.${l}.flow` },
  ]),
) as Record<LoopholeId, { openness: string; evasion: string; flow: string }>;
const {
  allowedChips: CHIPS_VAR,
  cloud: CLOUD_VAR,
  smuggling: SMUGGLING_VAR,
  fabEquipment: FAB_VAR,
} = LOOPHOLE_VAR;

/** The variable names of a loophole's values, by named reads (see `loopholeState`). */
function loopholeVar(id: LoopholeId): { openness: string; evasion: string; flow: string } {
  switch (id) {
    case 'allowedChips':
      return CHIPS_VAR;
    case 'cloud':
      return CLOUD_VAR;
    case 'smuggling':
      return SMUGGLING_VAR;
    case 'fabEquipment':
      return FAB_VAR;
  }
}

/** Side fields with their bounds; everything else on `SideState` is bookkeeping, not a meter. */
export const SIDE_BOUNDS = {
  capability: [0, 1e6],
  compute: [0, 1e9],
  computePerRound: [0, 1e6],
  intel: [0, 1],
  safety: [0, 100],
  efficiency: [0.1, 5],
  econCost: [0, 1e6],
  politicalCost: [0, 1e6],
} as const;
export type SideMeter = keyof typeof SIDE_BOUNDS;
export const SIDE_METERS = Object.keys(SIDE_BOUNDS) as SideMeter[];

/** Changes a side's own (hidden) value; the record goes to that side's log only. */
export function addSide(
  ctx: RoundCtx,
  side: Side,
  field: SideMeter,
  delta: number,
  cause: string,
  actor: Side | null = side,
): number {
  // Each side and each meter has its own property access: indexing by a key that varies from
  // call to call (`ctx.s[side]`, `st[field]`) sends every access through V8's generic lookup, and
  // this runs for most changes of a round.
  const us = side === 'us';
  const st: SideState = us ? ctx.s.us : ctx.s.china;
  const b = SIDE_BOUNDS;
  let before: number;
  let after: number;
  let name: string;
  switch (field) {
    case 'capability':
      before = st.capability;
      after = st.capability = clamp(before + delta, b.capability[0], b.capability[1]);
      name = us ? 'us.capability' : 'china.capability';
      break;
    case 'compute':
      before = st.compute;
      after = st.compute = clamp(before + delta, b.compute[0], b.compute[1]);
      name = us ? 'us.compute' : 'china.compute';
      break;
    case 'computePerRound':
      before = st.computePerRound;
      after = st.computePerRound = clamp(before + delta, b.computePerRound[0], b.computePerRound[1]);
      name = us ? 'us.computePerRound' : 'china.computePerRound';
      break;
    case 'intel':
      before = st.intel;
      after = st.intel = clamp(before + delta, b.intel[0], b.intel[1]);
      name = us ? 'us.intel' : 'china.intel';
      break;
    case 'safety':
      before = st.safety;
      after = st.safety = clamp(before + delta, b.safety[0], b.safety[1]);
      name = us ? 'us.safety' : 'china.safety';
      break;
    case 'efficiency':
      before = st.efficiency;
      after = st.efficiency = clamp(before + delta, b.efficiency[0], b.efficiency[1]);
      name = us ? 'us.efficiency' : 'china.efficiency';
      break;
    case 'econCost':
      before = st.econCost;
      after = st.econCost = clamp(before + delta, b.econCost[0], b.econCost[1]);
      name = us ? 'us.econCost' : 'china.econCost';
      break;
    case 'politicalCost':
      before = st.politicalCost;
      after = st.politicalCost = clamp(before + delta, b.politicalCost[0], b.politicalCost[1]);
      name = us ? 'us.politicalCost' : 'china.politicalCost';
      break;
    default:
      throw new Error(`no side meter called ${String(field)}`);
  }
  const d = after - before;
  if (d !== 0) push(us ? ctx.us : ctx.china, ctx, cause, actor, name, d, after);
  return d;
}

type PublicMeter = 'risk' | 'trust' | 'alliedAlignment';

/**
 * Changes a shared meter. When the cause is a secret of `secretOf`, the public log shows the
 * change as unattributed and only that side's log names the cause.
 */
export function addPublic(
  ctx: RoundCtx,
  meter: PublicMeter,
  delta: number,
  cause: string,
  actor: Side | null,
  secretOf: Side | null = null,
): number {
  const s = ctx.s;
  // One named read and write per meter, for the reason given in `addSide`.
  let before: number;
  let after: number;
  if (meter === 'risk') {
    before = s.risk;
    // Risk never falls below the scenario's floor: the residual risk no policy removes. It may
    // pass the limit while a round is adjudicated (see `settleRisk`), so that the round's changes
    // add up the same whichever side's order happens to be applied first.
    after = s.risk = Math.max(before + delta, s.params.risk.floor);
  } else if (meter === 'trust') {
    before = s.trust;
    after = s.trust = clamp(before + delta, 0, 100);
  } else {
    before = s.alliedAlignment;
    after = s.alliedAlignment = clamp(before + delta, 0, 1);
  }
  const d = after - before;
  if (d !== 0) {
    if (secretOf) {
      push(ctx.pub, ctx, HIDDEN_CAUSE, null, meter, d, after);
      push(secretOf === 'us' ? ctx.us : ctx.china, ctx, cause, actor, meter, d, after);
    } else {
      push(ctx.pub, ctx, cause, actor, meter, d, after);
    }
  }
  return d;
}

/**
 * Judges risk on the net of the round's changes: above the limit it is brought back to it (the
 * game then ends in catastrophe), with a public record of the cut so the records still add up.
 * Called where the rules look at risk: after the orders, and when the round closes.
 */
export function settleRisk(ctx: RoundCtx): void {
  const s = ctx.s;
  const limit = s.params.risk.limit;
  if (s.risk <= limit) return;
  const d = limit - s.risk;
  s.risk = limit;
  push(ctx.pub, ctx, 'rule.risk-limit', null, 'risk', d, limit);
}

/**
 * Moves a loophole's openness (announced policy: a public record) or China's evasion on it (its
 * secret: a record in China's log only; the US only estimates the flow it lets through).
 */
function addLoophole(
  ctx: RoundCtx,
  id: LoopholeId,
  field: 'openness' | 'evasion',
  delta: number,
  cause: string,
  actor: Side | null,
): number {
  const lh = loopholeState(ctx.s, id);
  const open = field === 'openness';
  const before = open ? lh.openness : lh.evasion;
  const after = clamp(before + delta, 0, 1);
  if (open) lh.openness = after;
  else lh.evasion = after;
  const d = after - before;
  if (d !== 0) {
    const names = loopholeVar(id);
    push(open ? ctx.pub : ctx.china, ctx, cause, actor, open ? names.openness : names.evasion, d, after);
  }
  return d;
}

export function addOpenness(
  ctx: RoundCtx,
  id: LoopholeId,
  delta: number,
  cause: string,
  actor: Side | null,
): number {
  return addLoophole(ctx, id, 'openness', delta, cause, actor);
}

export function addEvasion(
  ctx: RoundCtx,
  id: LoopholeId,
  delta: number,
  cause: string,
  actor: Side | null,
): number {
  return addLoophole(ctx, id, 'evasion', delta, cause, actor);
}

export function setFlow(ctx: RoundCtx, id: LoopholeId, value: number, cause: string): void {
  const lh = loopholeState(ctx.s, id);
  const d = value - lh.flow;
  lh.flow = value;
  if (d !== 0) push(ctx.china, ctx, cause, null, loopholeVar(id).flow, d, value);
}

/** Records an event of the round that is not a number's change (a proposal, a detection...). */
export function note(
  ctx: RoundCtx,
  audience: 'pub' | Side,
  code: NoteCode,
  side: Side | null,
  ref: string | null = null,
  detail: string | null = null,
): void {
  const n = ctx.notes;
  const list = audience === 'pub' ? n.pub : audience === 'us' ? n.us : n.china;
  list.push({ round: ctx.round, code, side, ref, detail });
}
