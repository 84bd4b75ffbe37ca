import { io } from 'socket.io-client';
import { describe, expect, test } from 'vitest';
import { gameWithFacilitator } from './app-server.ts';
import { AUDITED, audit } from './axe.ts';
import { HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { joinFromLink, useBrowser } from './session.ts';

/**
 * A team whose lead has left can still play: a teammate takes the lead from the orders panel, and
 * the facilitator can hand it to anyone from the console.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('a lead who leaves', () => {
  const t = useBrowser('lead');

  test('a teammate takes the lead and locks; the facilitator makes the first lead lead again', async () => {
    const fac = await gameWithFacilitator(t.app.url, {
      scenarioId: 'classroom-short',
      bots: { china: 'adaptive' },
    });
    // Ana joins first (from a script, not a page), so she leads the US team; then she leaves.
    const ana = io(t.app.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const joined = await ana
      .timeout(10_000)
      .emitWithAck('game:join', { code: fac.game.code, name: 'Ana', role: 'us' });
    expect(joined).toMatchObject({ ok: true });

    const sam = await t.open(AUDITED);
    await joinFromLink(sam, t.app.url, fac.game.code, 'Sam', 'US team');
    await fac.send('fac:start');
    await fac.send('fac:advance');
    await fac.send('fac:advance');
    await sam.locator('.game-head .phase', { hasText: 'Orders' }).waitFor();
    await sam.getByText('Only Ana, the team lead, can lock.').waitFor();
    expect(await sam.getByRole('button', { name: 'Take the lead' }).count()).toBe(0);

    ana.disconnect();
    await sam.getByText('Ana is offline.').waitFor();
    expect((await audit(sam, 'orders, the lead offline')).map((v) => v.id)).toEqual([]);
    await sam.getByRole('button', { name: 'Take the lead' }).click();
    await sam.getByRole('button', { name: 'Lock orders' }).waitFor();
    await screenshot(sam, '40-took-the-lead');
    await sam.getByRole('button', { name: /Add Fund safety research/ }).click();
    await sam.locator('.draft-order', { hasText: 'Fund safety research' }).first().waitFor();
    await sam.getByRole('button', { name: 'Lock orders' }).click();
    // China's bot had locked already: the round resolves; a crisis, if one is drawn, is passed.
    await sam.locator('.game-head .phase', { hasText: /Summary|Crisis/ }).waitFor();
    if ((await sam.locator('.game-head .phase').textContent())?.includes('Crisis'))
      await fac.send('fac:advance');
    await sam.locator('.game-head .phase', { hasText: 'Summary' }).waitFor();

    const console_ = await t.open(AUDITED);
    await console_.goto(`${t.app.url}/#/seat/${fac.game.facilitatorToken}`);
    await console_.getByRole('heading', { name: 'Facilitator console' }).waitFor();
    await console_.getByRole('button', { name: 'Make Ana lead' }).click();
    await console_.getByText('Ana (lead)').waitFor();
    await screenshot(console_, '41-console-made-lead');
    expect((await audit(console_, 'console with hand-over buttons')).map((v) => v.id)).toEqual([]);
    expect(await console_.getByRole('button', { name: 'Make Sam lead' }).count()).toBe(1);
    await sam.locator('.game-head .seat', { hasText: 'Sam' }).filter({ hasNotText: '(lead)' }).waitFor();
    fac.close();
  }, 180_000);
});
