import { describe, expect, test } from 'vitest';
import { gameWithFacilitator } from './app-server.ts';
import { AUDITED, audit } from './axe.ts';
import { HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { joinFromLink, useBrowser } from './session.ts';

/**
 * A team forecasts the other side's moves in private, sees the forecast scored after the reveal
 * (a secret move it named stays unjudged), and the debrief sets both teams' forecasts against
 * the truth.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('forecasting the other side', () => {
  const t = useBrowser('forecast');

  test('the US team ticks its forecast, sees it scored, and finds it in the debrief', async () => {
    const fac = await gameWithFacilitator(t.app.url, {
      scenarioId: 'classroom-short',
      rounds: 2,
      bots: { china: 'catch-up' },
    });
    const sam = await t.open(AUDITED);
    await joinFromLink(sam, t.app.url, fac.game.code, 'Sam', 'US team');
    await fac.send('fac:start');
    await fac.send('fac:advance');
    await sam.locator('.game-head .phase', { hasText: 'Negotiation' }).waitFor();

    const section = sam.getByRole('region', { name: 'Your forecast of China’s moves' });
    await section.getByText('No forecast yet: a round without one is not scored.').waitFor();
    await section.getByText('Choose the moves').click();
    await section.getByRole('checkbox', { name: 'Invest in domestic chips and fabs' }).check();
    await section.getByText(/^Your team expects one move: Invest in domestic chips and fabs\./).waitFor();
    // A secret move can be named; whether it was made is judged only in the debrief.
    await section.getByRole('checkbox', { name: /^Build an evasion network/ }).check();
    await section.getByText(/^Your team expects 2 moves:/).waitFor();
    expect((await audit(sam, 'orders with the forecast')).map((v) => v.id)).toEqual([]);
    await section.scrollIntoViewIfNeeded();
    await screenshot(sam, '50-forecast-ticked', false);

    await fac.send('fac:advance');
    await sam.getByRole('button', { name: /Add Fund safety research/ }).click();
    await sam.locator('.draft-order', { hasText: 'Fund safety research' }).first().waitFor();
    await sam.getByRole('button', { name: 'Lock orders' }).click();
    // China's bot locked at once: the lock reveals the round, and the forecast is scored.
    await sam.locator('.game-head .phase', { hasText: /Summary|Crisis/ }).waitFor();
    const result = sam.locator('.forecast-result');
    await result.getByText(/^Round 1: You /).waitFor();
    expect(await result.textContent()).toMatch(
      /Whether China made Build an evasion network stays secret until the debrief\. Score on the moves revealed so far: \d+% \(the debrief also counts secret moves\)\.$/,
    );
    await result.scrollIntoViewIfNeeded();
    await screenshot(sam, '51-forecast-scored', false);
    await fac.send('fac:end');

    await sam.getByRole('heading', { name: 'How each team read the other' }).waitFor();
    await sam
      .getByText(/^The US forecast China’s moves in 1 round: \d of the 2 moves it named (was|were) made/)
      .waitFor();
    await sam.getByText('China made no forecast of the US’s moves.').waitFor();
    const table = sam.getByRole('table', { name: 'Each forecast against the moves the other side made' });
    const row = await table.getByRole('row', { name: /^1 / }).textContent();
    expect(row).toMatch(/^1US/);
    expect(row).toMatch(/\d+%$/);
    expect((await audit(sam, 'debrief with forecasts')).map((v) => v.id)).toEqual([]);
    await sam.getByRole('heading', { name: 'How each team read the other' }).scrollIntoViewIfNeeded();
    await screenshot(sam, '52-forecast-debrief', false);
    fac.close();
  }, 180_000);
});
