import { describe, expect, test } from 'vitest';
import { gameWithFacilitator } from './app-server.ts';
import { AUDITED, audit } from './axe.ts';
import { HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { joinFromLink, useBrowser } from './session.ts';

/**
 * The facilitator forks a game from one of its rounds and sees the original and the fork side by
 * side: the fork starts from that round's briefing with the same past, and its own code.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('a fork of a round', () => {
  const t = useBrowser('fork');

  test('the console forks round 2 and opens both games side by side', async () => {
    const fac = await gameWithFacilitator(t.app.url, {
      scenarioId: 'classroom-short',
      rounds: 3,
      bots: { us: 'status-quo', china: 'catch-up' },
    });
    await fac.send('fac:start');
    // Briefing, negotiation, orders (the bots lock at once), crisis or summary, then round 2.
    const page = await t.open(AUDITED);
    await page.goto(`${t.app.url}/#/seat/${fac.game.facilitatorToken}`);
    const phase = page.locator('.game-head .phase');
    for (let i = 0; i < 8; i++) {
      if ((await page.locator('.game-head').textContent())?.includes('Round 2 of 3')) break;
      const before = await page.locator('.game-head').textContent();
      await fac.send('fac:advance');
      await expect.poll(() => page.locator('.game-head').textContent()).not.toBe(before);
    }
    await phase.getByText('Briefing').waitFor();

    const forkSection = page.getByRole('region', { name: 'Fork this game' });
    expect(await forkSection.getByLabel('Start the fork at the briefing of').inputValue()).toBe('2');
    expect(
      await forkSection.getByLabel('Start the fork at the briefing of').locator('option').allTextContents(),
    ).toEqual(['Round 1', 'Round 2']);
    await forkSection.getByRole('button', { name: 'Fork this game' }).click();

    await page.getByRole('heading', { name: 'Side by side: a game and its fork' }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/compare\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const original = page.getByRole('article', { name: 'Original' });
    const fork = page.getByRole('article', { name: 'Fork 1' });
    await original.getByText(fac.game.code, { exact: true }).waitFor();
    await fork.getByText(`Fork of game ${fac.game.code} from round 2`).waitFor();
    await fork.getByText('Lobby', { exact: true }).waitFor();
    await page.getByText(/^A fork starts where the original stood when its round began/).waitFor();
    // A player who joins the fork reads in its lobby what the game is.
    const forkCode = (await fork.locator('.table-code-value').textContent()) ?? '';
    const player = await t.open(AUDITED);
    await joinFromLink(player, t.app.url, forkCode, 'Ana', 'US team');
    await player
      .getByText(
        `This game replays game ${fac.game.code} from the start of round 2: the rounds before it are as they were played there. You are Ana, US team`,
        { exact: false },
      )
      .waitFor();
    await fork.getByRole('button', { name: 'Start Fork 1' }).click();
    await fork.getByText(/^Round 2 of 3 · Briefing/).waitFor();
    // Until the fork plays a round, there is no parting to report.
    await page.getByText('Fork 1 has not played a round of its own yet.').waitFor();
    // Both games share round 1: the comparison's charts hold it for each.
    const compare = page.getByRole('table', { name: 'The tables side by side' });
    await expect.poll(() => compare.getByRole('row').count()).toBe(3);
    expect(await compare.getByRole('row', { name: /Fork 1/ }).textContent()).toContain('1 of 3');
    expect((await audit(page, 'a game beside its fork')).map((v) => v.id)).toEqual([]);
    await screenshot(page, '53-fork-side-by-side');

    // The start page lists the pair, under its own name.
    await page.goto(`${t.app.url}/#/`);
    await page
      .getByRole('link', { name: new RegExp(`^Return to game ${fac.game.code} beside its fork`) })
      .waitFor();
    fac.close();
  }, 180_000);
});
