import baseline from './baseline-2026.json' with { type: 'json' };
import classroom from './classroom-short.json' with { type: 'json' };

const TITLES: Readonly<Record<string, string>> = {
  [baseline.id]: baseline.title,
  [classroom.id]: classroom.title,
};

/**
 * A built-in scenario's title ("Baseline 2026: the eight-month lead"), or its id for any other:
 * for the debrief and the report, without loading the scenario schema into the browser.
 */
export function scenarioTitle(id: string): string {
  return TITLES[id] ?? id;
}
