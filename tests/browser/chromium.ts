import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../server/cli/chromium.ts';
import { colourStats, decodePng } from './png.ts';

/**
 * Debian's Chromium, driven by playwright-core. Locally a missing Chromium skips the browser
 * tests with a message saying how to install it; under CI (CI=true) it is a failure.
 */
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);
export const INSTALL_HINT = `no Chromium at ${CHROMIUM_PATH}: install it with "sudo apt-get install -y chromium" (or set CHROMIUM_PATH) to run the browser tests`;

if (!HAVE_CHROMIUM) {
  if (process.env.CI === 'true') throw new Error(`CI needs the browser tests: ${INSTALL_HINT}`);
  console.warn(`Skipping browser tests: ${INSTALL_HINT}`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

/** A picture of the page for people to look at: the whole page, or only what the screen shows. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** What the board reports once it has drawn real data: the renderer Phaser chose. */
export async function boardRenderer(page: Page): Promise<string> {
  // The page's CSP forbids eval, so wait on the DOM rather than on a string predicate.
  await page.locator('body[data-board-drawn]').waitFor({ state: 'attached', timeout: 30_000 });
  return page.evaluate(() => {
    const w = globalThis as unknown as { __hotlineBoard?: { renderer: string } };
    return w.__hotlineBoard?.renderer ?? '';
  });
}

/** Pixel statistics of the board canvas, from a real screenshot of it. */
export async function canvasStats(page: Page): Promise<{ colours: number; notBackground: number }> {
  const png = await page.locator('canvas').first().screenshot();
  return colourStats(decodePng(png));
}
