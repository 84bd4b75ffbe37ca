/** Identifiers shared by the rules, the scenario schema, the server and the client. */
export const SIDES = ['us', 'china'] as const;
export type Side = (typeof SIDES)[number];

export const SEATS = ['us', 'china', 'facilitator', 'observer'] as const;
export type Seat = (typeof SEATS)[number];

export const LOOPHOLES = ['allowedChips', 'cloud', 'smuggling', 'fabEquipment'] as const;
export type LoopholeId = (typeof LOOPHOLES)[number];

export const TRACKS = ['controls', 'dialogue', 'development'] as const;
export type Track = (typeof TRACKS)[number];

export const AGREEMENT_TYPES = [
  'hotline',
  'incident-notification',
  'no-ai-nuclear-c2',
  'eval-standards',
  'compute-reporting',
  'frontier-cap',
] as const;
export type AgreementType = (typeof AGREEMENT_TYPES)[number];

export const OUTCOMES = ['catastrophe', 'unmanaged-race', 'managed-rivalry', 'verified-agreement'] as const;
export type OutcomeId = (typeof OUTCOMES)[number];

export function otherSide(side: Side): Side {
  return side === 'us' ? 'china' : 'us';
}
