import { readFileSync } from 'node:fs';
import type { Page, Request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { boardRenderer, canvasStats, HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { LAPTOP, useBrowser } from './session.ts';

async function join(page: Page, url: string, code: string, name: string, side: 'US team' | 'China team') {
  await page.goto(`${url}/#/join/${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('radio', { name: side }).check();
  // Each new socket.io connection starts with one handshake request that has no session id yet.
  const handshakes: string[] = [];
  const onRequest = (r: Request) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/socket.io/') && !u.searchParams.has('sid')) handshakes.push(r.url());
  };
  page.on('request', onRequest);
  await page.getByRole('button', { name: 'Join game' }).click();
  await page.getByRole('heading', { name: 'Lobby' }).waitFor();
  page.off('request', onRequest);
  // The seat goes on over the connection the join was made on: one connection, not two.
  expect(handshakes).toHaveLength(1);
}

async function phase(page: Page, name: RegExp) {
  await page.locator('.game-head .phase').filter({ hasText: name }).waitFor();
}

/**
 * A facilitator and two players, each in their own browser context, play a two-round game from
 * the start page to the debrief through the pages alone, by the names a person reads.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('playing in the browser', () => {
  const t = useBrowser('play');

  test('a facilitator and two players play two rounds to the debrief', async () => {
    const fac = await t.open();
    await fac.goto(t.app.url);
    await screenshot(fac, '01-landing');
    await fac.getByLabel('Scenario').selectOption('classroom-short');
    await fac.getByLabel('Rounds').fill('2');
    await fac.getByRole('button', { name: 'Create game' }).click();
    await fac.getByRole('heading', { name: 'Lobby' }).waitFor();
    const code = (await fac.locator('.room-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    // The code is read from the back of a room: all of it inside its card, on one line.
    const codeBox = await fac.getByLabel('Room code').evaluate((el) => {
      // The tests are type-checked without the DOM's types; this is the browser's own function.
      const style = (
        globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
      ).getComputedStyle(el);
      return {
        overflow: el.scrollWidth - el.clientWidth,
        // line-height is 1: one line is as tall as the font is big.
        lines: Math.round(el.getBoundingClientRect().height / Number.parseFloat(style.fontSize)),
      };
    });
    expect(codeBox).toEqual({ overflow: 0, lines: 1 });

    const us = await t.open();
    const china = await t.open();
    await join(us, t.app.url, code, 'Ana <b>bold</b>', 'US team');
    await join(china, t.app.url, code, 'Li', 'China team');
    await fac.locator('.team-us li', { hasText: 'Ana <b>bold</b>' }).waitFor();
    await fac.locator('.team-china li', { hasText: 'Li' }).waitFor();
    // The name a player typed shows as text, never as markup.
    expect(await fac.locator('b', { hasText: 'bold' }).count()).toBe(0);
    await screenshot(fac, '02-lobby-facilitator');
    await screenshot(us, '03-lobby-player');

    await fac.getByRole('button', { name: 'Start game' }).click();
    for (const p of [fac, us, china]) await phase(p, /Briefing/);
    expect(await boardRenderer(us)).toBe('WebGL');
    const stats = await canvasStats(us);
    expect(stats.colours).toBeGreaterThan(8);
    expect(stats.notBackground).toBeGreaterThan(0.05);
    await screenshot(us, '04-board-us');
    // The canvas follows the window.
    const wide = (await us.locator('canvas').first().boundingBox())?.width ?? 0;
    await us.setViewportSize({ width: 1000, height: 700 });
    await us.waitForFunction((before) => {
      const c = (
        globalThis as unknown as { document: { querySelector(s: string): { clientWidth: number } | null } }
      ).document.querySelector('canvas');
      return c !== null && c.clientWidth < before - 50;
    }, wide);
    await us.setViewportSize(LAPTOP);

    // Negotiation: the US writes on the US–China channel and China reads it.
    await fac.getByRole('button', { name: 'Advance phase' }).click();
    await phase(us, /Negotiation/);
    await us.getByRole('tab', { name: /US–China/ }).click();
    const hostile = 'Shall we open talks on safety? <img src=x onerror="globalThis.__pwned=1">';
    await us.getByLabel('Message').fill(hostile);
    await us.getByRole('button', { name: 'Send' }).click();
    await china.getByRole('tab', { name: /US–China/ }).click();
    await china.getByText(hostile).waitFor();
    // Chat is shown as text: no element was made from it and no script ran.
    expect(await china.locator('img[src="x"]').count()).toBe(0);
    expect(
      await china.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    await screenshot(china, '05-negotiation-china');

    // A reload mid-round keeps the seat.
    await us.reload();
    await us.locator('.game-head .seat').filter({ hasText: 'Ana <b>bold</b>' }).waitFor();

    // The facilitator arranges a crisis for the end of this round.
    await fac.getByLabel('Event to inject').selectOption('taiwan-strait-shock');
    await fac.getByRole('button', { name: 'Inject event' }).click();
    await fac.getByRole('button', { name: 'Advance phase' }).click();
    await phase(us, /Orders/);

    // Orders: each side adds a move and writes why; the US lead locks first and waits for China.
    for (const page of [us, china]) {
      await page.getByRole('button', { name: /Add Fund safety research/ }).click();
      await page.getByLabel(/Why/).first().fill('Test the other side before the crisis <script>x</script>');
      await page.getByLabel(/Why/).first().blur();
      await page.locator('.draft-order', { hasText: 'Fund safety research' }).first().waitFor();
    }
    await us.getByRole('button', { name: 'Lock orders' }).click();
    await us.getByText(/Locked by/).waitFor();
    await china.getByText('US has locked its orders.').waitFor();
    await screenshot(us, '06-orders-locked');
    await china.getByRole('button', { name: 'Lock orders' }).click();

    // The reveal brings the crisis card; both leads answer.
    await phase(us, /Crisis/);
    await screenshot(china, '07-crisis-card');
    await us.getByRole('button', { name: 'De-escalate' }).click();
    await china.getByRole('button', { name: 'Hold posture' }).click();
    await phase(fac, /Summary/);
    await screenshot(us, '08-summary');

    // Round 2 runs on the facilitator's advances; the deadlines' defaults play what is drafted.
    // Each press waits for its phase to change (the console ignores a press while one is on its way).
    const debrief = fac.getByRole('heading', { name: 'Debrief' });
    for (let i = 0; i < 10 && !(await debrief.isVisible()); i++) {
      const before = (await fac.locator('.game-head .phase').textContent()) ?? '';
      await fac.getByRole('button', { name: 'Advance phase' }).click();
      await fac.locator('.game-head .phase').filter({ hasNotText: before }).or(debrief).first().waitFor();
    }
    for (const p of [fac, us, china]) await p.getByRole('heading', { name: 'Debrief' }).waitFor();
    await screenshot(fac, '09-debrief');

    const download = fac.waitForEvent('download');
    await us.getByRole('button', { name: 'Download Markdown report' }).waitFor();
    await fac.getByRole('button', { name: 'Download Markdown report' }).click();
    const md = readFileSync(await (await download).path(), 'utf8');
    expect(md).toContain(code);
    expect(md).toContain('Test the other side before the crisis');
    expect(md).not.toContain('<script>');
    // The debrief shows the rationale as text too.
    await fac.getByText('Test the other side before the crisis <script>x</script>').first().waitFor();
  }, 240_000);

  test('a phone-sized screen can join and submit orders', async () => {
    const fac = await t.open();
    await fac.goto(t.app.url);
    await fac.getByLabel('US team played by').selectOption('adaptive');
    await fac.getByRole('button', { name: 'Create game' }).click();
    await fac.getByRole('heading', { name: 'Lobby' }).waitFor();
    const code = (await fac.locator('.room-code').textContent())?.trim() ?? '';

    const phone = await t.open({ viewport: { width: 390, height: 844 } });
    await join(phone, t.app.url, code, 'Mei', 'China team');
    await screenshot(phone, '10-phone-lobby');
    await fac.getByRole('button', { name: 'Start game' }).click();
    await phase(phone, /Briefing/);
    // One phase at a time: the console ignores a second press while the first is on its way (a
    // double click must not skip a phase), so pressing twice at once could leave the game here.
    await fac.getByRole('button', { name: 'Advance phase' }).click();
    await phase(phone, /Negotiation/);
    await fac.getByRole('button', { name: 'Advance phase' }).click();
    await phase(phone, /Orders/);
    expect(await boardRenderer(phone)).toBe('WebGL');
    const width = await phone.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    // The board's first line: round, phase and clock must not run into each other.
    await screenshot(phone, '10b-phone-board-top', false);
    await phone.getByRole('button', { name: /Add Fund safety research/ }).click();
    await phone.locator('.draft-order', { hasText: 'Fund safety research' }).first().waitFor();
    await screenshot(phone, '11-phone-board', false);
    await phone.getByRole('heading', { name: 'Orders', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(phone, '12-phone-orders', false);
    // A reason typed as one unbroken run (a pasted link, say) must wrap, not widen the page.
    const unbroken = `https://example.org/${'x'.repeat(250)}`;
    await phone.getByLabel(/Why/).first().fill(unbroken);
    await phone.getByLabel(/Why/).first().press('Tab');
    await expect.poll(() => phone.evaluate('document.activeElement?.tagName')).not.toBe('INPUT');
    // The US bot locked as the phase opened, so China's lock resolves the round at once.
    await phone.getByRole('button', { name: 'Lock orders' }).click();
    await phone.getByRole('heading', { name: 'Orders revealed' }).waitFor();
    await phone.getByText('Fund safety research').first().waitFor();
    await phone.getByText(unbroken, { exact: false }).first().waitFor();
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(phone, '13-phone-revealed', false);
  }, 180_000);
});
