import { LOOPHOLES, type LoopholeId, type OutcomeId } from '../../../shared/rules/ids.ts';

/** Names the board shows for outcomes and China's compute sources. */
export type FlowId = LoopholeId | 'own';
export const FLOW_IDS: readonly FlowId[] = ['own', ...LOOPHOLES];

export const OUTCOME_LABELS: Record<OutcomeId, string> = {
  catastrophe: 'Catastrophe',
  'unmanaged-race': 'Unmanaged race',
  'managed-rivalry': 'Managed rivalry',
  'verified-agreement': 'Verified agreement',
};

export const FLOW_NAMES: Record<FlowId, string> = {
  own: "China's own chip production",
  allowedChips: 'Allowed chip sales',
  cloud: 'Cloud rental',
  smuggling: 'Smuggling via transit countries',
  fabEquipment: 'Fabs on US and allied equipment',
};

/** Short names for the picture, where a row has room for a few words; the text summary uses the long ones. */
export const FLOW_SHORT_NAMES: Record<FlowId, string> = {
  own: 'Own production',
  allowedChips: 'Allowed chips',
  cloud: 'Cloud rental',
  smuggling: 'Smuggling',
  fabEquipment: 'Fab equipment',
};
