import type { Side } from '../rules/ids.ts';
import { CHINA_BOTS } from './china-bots.ts';
import type { Bot } from './types.ts';
import { US_BOTS } from './us-bots.ts';

export type { Bot } from './types.ts';
export { CHINA_BOTS, US_BOTS };

export function botsFor(side: Side): readonly Bot[] {
  return side === 'us' ? US_BOTS : CHINA_BOTS;
}

export function findBot(side: Side, id: string): Bot | undefined {
  return botsFor(side).find((b) => b.id === id);
}
