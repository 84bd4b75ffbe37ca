import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { type AppServer, startAppServer } from './app-server.ts';
import { launch, screenshot } from './chromium.ts';

/**
 * One server and one Chromium for a describe block, started before its tests and closed after.
 * Each person gets a browser context of their own (separate storage, like separate machines).
 */
export const LAPTOP = { width: 1366, height: 768 };

export interface BrowserTable {
  readonly app: AppServer;
  /** After a restart: the server the pages now talk to. */
  replaceApp(app: AppServer): void;
  open(opts?: { viewport?: { width: number; height: number }; bypassCSP?: boolean }): Promise<Page>;
}

export function useBrowser(name: string): BrowserTable {
  let app: AppServer | null = null;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    app = await startAppServer();
    browser = await launch();
  }, 300_000);
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await browser?.close();
    await app?.stop();
  });
  return {
    get app() {
      if (!app) throw new Error('the server is not started (is this inside the describe block?)');
      return app;
    },
    replaceApp(next) {
      app = next;
    },
    async open(opts = {}) {
      if (!browser) throw new Error('the browser is not started');
      const ctx = await browser.newContext({
        viewport: opts.viewport ?? LAPTOP,
        acceptDownloads: true,
        bypassCSP: opts.bypassCSP ?? false,
      });
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(30_000);
      const n = contexts.length;
      // A failing step leaves a picture of every page behind, to see what the person would have seen.
      onTestFailed(async () => {
        if (!page.isClosed()) await screenshot(page, `failed-${name}-${n}`);
      });
      return page;
    },
  };
}

/** A person opens the join link, types a name, picks a team and lands in the lobby. */
export async function joinFromLink(
  page: Page,
  url: string,
  code: string,
  name: string,
  team: 'US team' | 'China team',
  title?: string,
): Promise<void> {
  await page.goto(`${url}/#/join/${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: team }).check();
  if (title) await page.getByLabel('Your title in the team (optional)').fill(title);
  await page.getByRole('button', { name: 'Join game' }).click();
  await page.getByRole('heading', { name: 'Lobby' }).waitFor();
}
