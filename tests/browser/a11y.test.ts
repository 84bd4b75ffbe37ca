import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { gameWithFacilitator } from './app-server.ts';
import { AUDITED, audit, type Violation } from './axe.ts';
import { boardRenderer, HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { useBrowser } from './session.ts';

/**
 * Every screen checked by axe-core against WCAG 2 A and AA rules, as each role sees it. The report
 * of every rule that failed, serious or not, goes to test-output/a11y-report.txt.
 */
const report: string[] = [];

afterAll(() => {
  if (report.length === 0) return;
  const dir = join(process.cwd(), 'test-output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a11y-report.txt'), `${report.join('\n')}\n`);
});

// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('accessibility of every screen', () => {
  const t = useBrowser('a11y');

  test('landing, lobby, board with orders, facilitator console and debrief have no serious WCAG failures', async () => {
    const fac = await gameWithFacilitator(t.app.url, {
      scenarioId: 'classroom-short',
      rounds: 2,
      bots: { china: 'adaptive' },
    });
    const player = await t.open(AUDITED);
    await player.goto(t.app.url);
    const serious: Record<string, Violation[]> = {};
    serious.landing = await audit(player, 'landing', report);
    // A refused form says what is wrong and puts focus on that field.
    await player.getByLabel('Rounds', { exact: true }).fill('99');
    await player.getByRole('button', { name: 'Create game' }).click();
    await player
      .getByRole('alert')
      .filter({ hasText: /^Rounds must be a whole number/ })
      .waitFor();
    expect(await player.evaluate('document.activeElement?.getAttribute("name")')).toBe('rounds');
    expect(await player.getByLabel('Rounds', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await player.goto(`${t.app.url}/#/join/${fac.game.code}`);
    await player.getByLabel('Your name').fill('Ada');
    await player.getByRole('button', { name: 'Join game' }).click();
    await player.getByRole('heading', { name: 'Lobby' }).waitFor();
    serious.lobby = await audit(player, 'lobby (player)', report);

    await fac.send('fac:start');
    await fac.send('fac:advance');
    await fac.send('fac:advance');
    await player.locator('.game-head .phase', { hasText: 'Orders' }).waitFor();
    await boardRenderer(player);
    serious.orders = await audit(player, 'game, US player in the orders phase', report);

    const console = await t.open(AUDITED);
    await console.goto(fac.game.facilitatorLink.replace(/^https?:\/\/[^/]+/, t.app.url));
    await boardRenderer(console);
    serious.facilitator = await audit(console, 'game, facilitator console', report);
    await screenshot(console, '31-facilitator-console');

    await fac.send('fac:end');
    await player.getByRole('heading', { name: 'Debrief' }).waitFor();
    serious.debrief = await audit(player, 'debrief', report);
    await screenshot(player, '30-debrief-player');
    fac.close();

    expect(
      Object.fromEntries(Object.entries(serious).map(([k, v]) => [k, v.map((x) => `${x.id}: ${x.help}`)])),
    ).toEqual({
      landing: [],
      lobby: [],
      orders: [],
      facilitator: [],
      debrief: [],
    });
  }, 240_000);
});

/** Presses Tab until the focused element's accessible text matches, as a keyboard user would. */
async function tabTo(page: Page, name: RegExp, limit = 400): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => {
      const d = (
        globalThis as unknown as {
          document: {
            activeElement: { textContent: string | null; getAttribute(n: string): string | null } | null;
          };
        }
      ).document;
      const el = d.activeElement;
      return `${el?.getAttribute('aria-label') ?? ''} ${el?.textContent ?? ''}`.replace(/\s+/g, ' ').trim();
    });
    if (name.test(text)) return;
  }
  throw new Error(`no focusable element named ${name} within ${limit} presses of Tab`);
}

// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('keyboard only', () => {
  const t = useBrowser('keyboard');

  test('a player joins, adds a move and locks the orders without a mouse; an observer sees the public board', async () => {
    const fac = await gameWithFacilitator(t.app.url, {
      scenarioId: 'classroom-short',
      bots: { china: 'adaptive' },
    });
    const page = await t.open(AUDITED);
    await page.goto(`${t.app.url}/#/join/${fac.game.code}`);
    // The join form opens with the name field focused when the link carries the code.
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Lobby' }).waitFor();
    await fac.send('fac:start');
    await fac.send('fac:advance');
    await fac.send('fac:advance');
    await page.locator('.game-head .phase', { hasText: 'Orders' }).waitFor();
    await tabTo(page, /^Add Fund safety research$/);
    await page.keyboard.press('Enter');
    await page.locator('.draft-order', { hasText: 'Fund safety research' }).waitFor();
    await tabTo(page, /^Lock orders$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Orders revealed' }).waitFor();

    const observer = await t.open(AUDITED);
    await observer.goto(`${t.app.url}/#/join/${fac.game.code}`);
    await observer.getByLabel('Your name').fill('Obs');
    await observer.getByRole('radio', { name: 'Observer' }).check();
    await observer.getByRole('button', { name: 'Join game' }).click();
    await boardRenderer(observer);
    expect(await observer.getByRole('heading', { name: 'Orders', exact: true }).count()).toBe(0);
    expect(await observer.getByRole('button', { name: 'Send' }).count()).toBe(0);
    await screenshot(observer, '32-observer');
    const serious = await audit(observer, 'game, observer', report);
    expect(serious.map((v) => v.id)).toEqual([]);
    fac.close();
  }, 180_000);
});
