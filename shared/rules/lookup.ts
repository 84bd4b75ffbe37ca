import type { AgreementType, LoopholeId, Side } from './ids.ts';
import type { GameState, LoopholeState, SideState } from './state.ts';

/*
 * A property read by a key that varies from call to call (`s[side]`, `s.loopholes[id]`) goes
 * through V8's generic keyed lookup at that spot in the code, several times slower than a named
 * read. The engine's hot paths read sides and loopholes through these instead, where each
 * branch is a named read V8 compiles to a direct field load (docs/PERFORMANCE.md, session 6).
 */

export function sideState(s: GameState, side: Side): SideState {
  return side === 'us' ? s.us : s.china;
}

export function loopholeState(s: GameState, id: LoopholeId): LoopholeState {
  return loopholeValue(s.loopholes, id);
}

/** One loophole's entry of any per-loophole record (rates, starting openness...). */
export function loopholeValue<T>(r: Readonly<Record<LoopholeId, T>>, id: LoopholeId): T {
  switch (id) {
    case 'allowedChips':
      return r.allowedChips;
    case 'cloud':
      return r.cloud;
    case 'smuggling':
      return r.smuggling;
    case 'fabEquipment':
      return r.fabEquipment;
  }
}

/** One agreement type's entry of a per-type record (the scenario's terms, cause names...). */
export function agreementValue<T>(r: Readonly<Record<AgreementType, T>>, type: AgreementType): T {
  switch (type) {
    case 'hotline':
      return r.hotline;
    case 'incident-notification':
      return r['incident-notification'];
    case 'no-ai-nuclear-c2':
      return r['no-ai-nuclear-c2'];
    case 'eval-standards':
      return r['eval-standards'];
    case 'compute-reporting':
      return r['compute-reporting'];
    case 'frontier-cap':
      return r['frontier-cap'];
  }
}
