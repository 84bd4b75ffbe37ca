import { describe, expect, test } from 'vitest';
import { gameWithFacilitator } from './app-server.ts';
import { AUDITED, audit } from './axe.ts';
import { HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { joinFromLink, useBrowser } from './session.ts';

/**
 * A remote player keeps the game in a background tab: after saying yes, a desktop notification
 * tells them each time a phase begins, and nothing once they say stop. The browser's own
 * Notification is wrapped to record what the page asks it to show.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('notifications of new phases', () => {
  const t = useBrowser('notify');

  test('a player in a background tab is notified of each new phase, until they stop it', async () => {
    const fac = await gameWithFacilitator(t.app.url, {
      scenarioId: 'classroom-short',
      bots: { us: null, china: 'adaptive' },
    });
    const sam = await t.open(AUDITED);
    await sam.context().grantPermissions(['notifications'], { origin: t.app.url });
    await sam.addInitScript(`
      window.__notices = [];
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title, opts) { super(title, opts); window.__notices.push({ title, body: opts && opts.body }); }
      };
      // The tab is in the background: that is when a notification is worth showing.
      Object.defineProperty(document, 'hidden', { get: () => true });
    `);
    await joinFromLink(sam, t.app.url, fac.game.code, 'Sam', 'US team');
    await fac.send('fac:start');
    await sam.getByRole('heading', { name: 'Board' }).waitFor();
    const toggle = sam.getByRole('button', { name: 'Notify me of new phases' });
    await toggle.click();
    await sam.getByText('You will be notified when a phase begins').waitFor();
    await sam.getByRole('button', { name: 'Stop notifying me' }).waitFor();
    await screenshot(sam, '49-notify-on', false);
    expect((await audit(sam, 'game screen with notifications on')).map((v) => v.id)).toEqual([]);

    const notices = () => sam.evaluate<{ title: string; body: string }[]>('window.__notices');
    await fac.send('fac:advance');
    await expect.poll(async () => (await notices()).length).toBe(1);
    const [first] = await notices();
    expect(first?.title).toBe(`Hotline ${fac.game.code}: round 1, negotiation`);
    expect(first?.body.length).toBeGreaterThan(10);

    // The choice survives a reload (permission and preference are both kept).
    await sam.reload();
    await sam.getByRole('button', { name: 'Stop notifying me' }).click();
    await sam.getByRole('button', { name: 'Notify me of new phases' }).waitFor();
    await fac.send('fac:advance');
    await sam.getByText('Orders', { exact: true }).first().waitFor();
    expect(await notices()).toEqual([]);

    // The end of the game notifies too, though the debrief replaces the game screen.
    await sam.getByRole('button', { name: 'Notify me of new phases' }).click();
    await sam.getByRole('button', { name: 'Stop notifying me' }).waitFor();
    await fac.send('fac:end');
    await expect
      .poll(async () => (await notices()).map((n) => n.title))
      .toEqual([`Hotline ${fac.game.code}: the game is over`]);
    fac.close();
  }, 180_000);
});
