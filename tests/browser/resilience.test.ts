import { describe, expect, test } from 'vitest';
import { facilitatorSocket, gameWithFacilitator, startAppServer } from './app-server.ts';
import { boardRenderer, HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { joinFromLink, useBrowser } from './session.ts';

/**
 * What a player sees when the server goes away and comes back: a banner saying so, then the seat
 * and the game again, caught up, without reloading the page.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('losing the server', () => {
  const t = useBrowser('resilience');

  test('a restart shows a banner, then the player is back in the seat and catches up without a reload', async () => {
    const fac = await gameWithFacilitator(t.app.url, {
      scenarioId: 'classroom-short',
      bots: { china: 'adaptive' },
    });
    const page = await t.open();
    await joinFromLink(page, t.app.url, fac.game.code, 'Sam', 'US team');
    const seatUrl = page.url();
    await fac.send('fac:start');
    await page.locator('.game-head .phase', { hasText: 'Briefing' }).waitFor();
    expect(await boardRenderer(page)).toBe('WebGL');
    // A marker in the page: if the page reloaded, it would be gone.
    await page.evaluate(() => {
      (globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    // The server stops the way SIGTERM stops it: it warns every socket, then closes.
    t.app.server.hub.notifyAll('The server is restarting; you will be reconnected in a moment.');
    fac.close();
    const { port, dataDir } = t.app;
    await t.app.stop({ keepData: true });
    const banner = page.locator('#banner');
    await banner.filter({ hasText: /restarting|Connection lost/ }).waitFor();
    await screenshot(page, '20-connection-lost', false);

    t.replaceApp(await startAppServer({ port, dataDir }));
    await page.locator('#banner:empty').waitFor({ state: 'attached' });
    await page.locator('.game-head .phase', { hasText: 'Briefing' }).waitFor();
    // The facilitator moves the game on; the player's page follows without a reload.
    const back = await facilitatorSocket(t.app.url, fac.game.facilitatorToken);
    await back.send('fac:advance');
    await page.locator('.game-head .phase', { hasText: 'Negotiation' }).waitFor();
    back.close();
    await screenshot(page, '21-reconnected', false);
    expect(page.url()).toBe(seatUrl);
    const same = await page.evaluate(
      () => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument,
    );
    expect(same).toBe(true);
  }, 180_000);
});
