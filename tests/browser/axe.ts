import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core, injected into a page to check it against WCAG 2 A and AA rules. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

// axe is injected as a script, which the page's own CSP would refuse; the app's pages are unchanged.
export const AUDITED = { bypassCSP: true };

/**
 * Runs axe on the page as it stands and returns the serious and critical failures; every failed
 * rule, serious or not, is added to `report` when one is given.
 */
export async function audit(page: Page, screen: string, report: string[] = []): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: unknown[] }> } })
      .axe;
    const r = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations;
  })) as Violation[];
  report.push(`## ${screen}: ${violations.length} rule(s) failed`);
  for (const v of violations)
    report.push(
      `- [${v.impact}] ${v.id}: ${v.help}`,
      ...v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
    );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
