import { describe, expect, test } from 'vitest';
import { MAX_CHAT_LENGTH } from '../../shared/protocol/room.ts';
import { gameWithFacilitator } from './app-server.ts';
import { AUDITED, audit } from './axe.ts';
import { HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { joinFromLink, useBrowser } from './session.ts';

/**
 * A student who joined the wrong team: the facilitator removes the seat from the console (a second
 * press confirms), the student's page says so and forgets the seat, and they join the right team.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('removing a seat', () => {
  const t = useBrowser('remove-seat');

  test('the facilitator removes a player from the wrong team, who joins the right one', async () => {
    const fac = await gameWithFacilitator(t.app.url, { scenarioId: 'classroom-short' });
    const sam = await t.open(AUDITED);
    await joinFromLink(sam, t.app.url, fac.game.code, 'Sam', 'US team');

    // The facilitator sees the mistake in the lobby.
    const console_ = await t.open(AUDITED);
    await console_.goto(`${t.app.url}/#/seat/${fac.game.facilitatorToken}`);
    await console_.getByRole('heading', { name: 'Lobby' }).waitFor();
    const focused = () => console_.evaluate<string>("document.activeElement?.textContent ?? ''");
    await console_.getByRole('button', { name: 'Remove Sam' }).click();
    // Nothing happens on the first press: the console asks (the question takes focus), and "Keep"
    // takes it back (focus returns to "Remove").
    expect(await focused()).toBe('Yes, remove Sam');
    await console_.getByRole('button', { name: 'Keep Sam' }).click();
    expect(await focused()).toBe('Remove Sam');
    await console_.keyboard.press('Enter');
    await console_.getByRole('button', { name: 'Yes, remove Sam' }).waitFor();
    await screenshot(console_, '42-lobby-remove-confirm');
    expect((await audit(console_, 'lobby asking to remove a seat')).map((v) => v.id)).toEqual([]);
    await console_.getByRole('button', { name: 'Yes, remove Sam' }).click();

    await sam
      .getByRole('alert')
      .filter({ hasText: 'The facilitator removed this seat from the game.' })
      .waitFor();
    await screenshot(sam, '43-seat-removed');
    expect((await audit(sam, 'a removed seat')).map((v) => v.id)).toEqual([]);
    await expect.poll(() => console_.getByRole('button', { name: 'Remove Sam' }).count()).toBe(0);

    // The start page no longer offers the old seat; Sam joins China with the code.
    await sam.getByRole('link', { name: 'go to the start page' }).click();
    await sam.getByRole('button', { name: 'Join game' }).waitFor();
    expect(await sam.getByText(`${fac.game.code}`, { exact: false }).count()).toBe(0);
    // This time with a title inside the team, which everyone sees beside the name.
    await joinFromLink(sam, t.app.url, fac.game.code, 'Sam', 'China team', 'MOFCOM');
    await console_.locator('.team-china', { hasText: 'Sam (MOFCOM)' }).waitFor();
    await sam.locator('.team-china', { hasText: 'Sam (MOFCOM) (lead) (you)' }).waitFor();
    expect(await console_.locator('.team-us', { hasText: 'Sam' }).count()).toBe(0);

    // In the game the console offers the same, with the lead hand-over beside it.
    await console_.getByRole('button', { name: 'Start game' }).click();
    await console_.getByRole('heading', { name: 'Facilitator console' }).waitFor();
    await console_.getByRole('button', { name: 'Remove Sam' }).click();
    await console_.getByRole('button', { name: 'Yes, remove Sam' }).waitFor();
    await screenshot(console_, '44-console-remove-confirm');
    expect((await audit(console_, 'console asking to remove a seat')).map((v) => v.id)).toEqual([]);
    await console_.getByRole('button', { name: 'Keep Sam' }).click();
    await console_.getByRole('button', { name: 'Remove Sam' }).waitFor();

    // A broadcast reaches Sam above the board, not only in the public chat far down the page.
    await sam.getByRole('heading', { name: 'Board' }).waitFor();
    await fac.send('fac:broadcast', { text: 'Five minutes to the vote.' });
    const notice = sam.locator('.white-cell-notice', { hasText: 'Five minutes to the vote.' });
    await notice.waitFor();
    await screenshot(sam, '45-white-cell-notice', false);
    await sam.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'hidden' });

    // A message near the chat's limit says how much room is left, instead of cutting it silently.
    await sam.getByLabel('Message', { exact: true }).fill('x'.repeat(MAX_CHAT_LENGTH - 5));
    await sam.getByText('5 characters left.').waitFor();
    fac.close();
  }, 180_000);
});
