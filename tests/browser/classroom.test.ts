import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { facilitatorSocket } from './app-server.ts';
import { AUDITED, audit } from './axe.ts';
import { HAVE_CHROMIUM, screenshot } from './chromium.ts';
import { useBrowser } from './session.ts';

/**
 * A teacher with a class: creates one game per group from the start page, follows every table on
 * one page, pauses and resumes them all at once, and compares how the tables' games diverged.
 */
// Skipped only where no Chromium is installed (chromium.ts says how to install it; under CI it fails instead).
describe.skipIf(!HAVE_CHROMIUM)('a class of several tables', () => {
  const t = useBrowser('classroom');

  test('the teacher creates two tables, runs them together and compares them', async () => {
    const teacher = await t.open(AUDITED);
    await teacher.goto(`${t.app.url}/#/`);
    await teacher.getByLabel('Rounds').fill('2');
    await teacher.getByLabel('US team played by').selectOption('adaptive');
    await teacher.getByLabel('China team played by').selectOption('adaptive');
    await teacher.getByLabel('Tables').fill('9');
    await teacher.getByRole('button', { name: 'Create game' }).click();
    // Nine is one too many: the form says so and keeps focus on the field.
    await teacher.getByText('Tables must be a whole number from 1 to 8.').waitFor();
    expect(await teacher.evaluate<string>("document.activeElement?.id ?? ''")).toBe('create-tables');
    await teacher.getByLabel('Tables').fill('2');
    await teacher.getByRole('button', { name: 'Create 2 games' }).click();

    await teacher.getByRole('heading', { name: 'Class: 2 tables' }).waitFor();
    // Focus starts at the page's heading, not lost on the page's body after the form went.
    expect(await teacher.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe(
      'Class: 2 tables',
    );
    const table = (n: number) => teacher.getByRole('article', { name: `Table ${n}` });
    for (const n of [1, 2]) await table(n).getByText('Lobby', { exact: true }).waitFor();
    const tokens = decodeURIComponent(new URL(teacher.url()).hash).replace('#/class/', '').split('.');
    expect(tokens).toHaveLength(2);
    // The tables share one seed, drawn by the page (this file's only test made these rooms).
    const seeds = [...t.app.server.registry.rooms.values()].map((r) => r.state.seed);
    expect(seeds).toHaveLength(2);
    expect(seeds[0]).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(seeds[1]).toBe(seeds[0]);
    // The skip link moves focus to the page's content; it must not be read as a route.
    const here = teacher.url();
    await teacher.getByRole('link', { name: 'Skip to content' }).focus();
    await teacher.keyboard.press('Enter');
    expect(teacher.url()).toBe(here);
    expect(await teacher.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe(
      'Class: 2 tables',
    );
    await screenshot(teacher, '46-class-lobby');
    expect((await audit(teacher, 'class page, tables in their lobbies')).map((v) => v.id)).toEqual([]);

    // Everything at once: start, then pause both tables in the middle of the lesson.
    const status = teacher.locator('.class-status');
    await teacher.getByRole('button', { name: 'Start every table' }).click();
    await status.getByText('Started 2 tables.').waitFor();
    for (const n of [1, 2]) await table(n).getByText('Round 1 of 2 · Briefing').waitFor();
    await teacher.getByRole('button', { name: 'Pause every table' }).click();
    await status.getByText('Paused 2 tables.').waitFor();
    for (const n of [1, 2]) await table(n).getByText('Round 1 of 2 · Briefing · Paused').waitFor();
    await teacher.getByRole('button', { name: 'Pause every table' }).click();
    // A second press before the views catch up does not replace the report of the first.
    expect(await status.textContent()).toBe('Paused 2 tables.');
    // One table on its own.
    // One table on its own, by keyboard: the result is said beside the button, which keeps focus.
    await teacher.getByRole('button', { name: 'Resume Table 1' }).focus();
    await teacher.keyboard.press('Enter');
    await table(1).getByText('Table 1 resumed.').waitFor();
    await table(2).getByRole('button', { name: 'Resume Table 2' }).waitFor();
    expect(await teacher.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe('Pause Table 1');
    expect(await table(1).getByText('Paused').count()).toBe(0);

    // Table 1 plays to its end; table 2 is ended by its facilitator after one round.
    const [one, two] = await Promise.all(tokens.map((tok) => facilitatorSocket(t.app.url, tok)));
    if (!one || !two) throw new Error('no facilitator sockets');
    const playToEnd = async (fac: typeof one, maxAdvances: number) => {
      for (let i = 0; i < maxAdvances; i++) {
        try {
          await fac.send('fac:advance');
        } catch {
          return; // the game has ended: nothing left to advance
        }
      }
    };
    // The same shock at both tables, to compare how each group answers it.
    await teacher.getByLabel('The same event at every table').selectOption('taiwan-strait-shock');
    await teacher.getByRole('button', { name: 'Inject at every table' }).click();
    await status.getByText(/^Supply-chain shock in the Taiwan Strait will happen at 2 tables/).waitFor();
    await table(1).getByText('Queued event: Supply-chain shock in the Taiwan Strait').waitFor();

    // A word to every table from the White Cell.
    await teacher.getByRole('button', { name: 'Send to every table' }).click();
    await status.getByText('Write the message first.').waitFor();
    await teacher.getByLabel('Message to every table, from the White Cell').fill('Ten minutes to the bell.');
    await teacher.getByRole('button', { name: 'Send to every table' }).click();
    await status.getByText('Sent to 2 tables.').waitFor();
    expect(await teacher.getByLabel('Message to every table, from the White Cell').inputValue()).toBe('');

    await playToEnd(one, 40);
    await two.send('fac:resume');
    await playToEnd(two, 4);
    await table(1).getByText('Game over').waitFor();
    // The bell: the teacher ends what is still running, after a second press.
    await teacher.getByRole('button', { name: 'End every table' }).click();
    expect(await teacher.evaluate<string>("document.activeElement?.textContent ?? ''")).toBe(
      'Yes, end every table',
    );
    await teacher.getByRole('button', { name: 'Keep playing' }).click();
    expect(await table(2).getByText('Game over').count()).toBe(0);
    await teacher.getByRole('button', { name: 'End every table' }).click();
    await teacher.getByRole('button', { name: 'Yes, end every table' }).click();
    await status.getByText('Ended 1 table.').waitFor();
    await table(1).getByText('Game over').waitFor();
    await table(2).getByText('Game over').waitFor();

    const compare = teacher.getByRole('table', { name: 'The tables side by side' });
    await expect.poll(() => compare.getByRole('row').count()).toBe(3);
    const summary = teacher.locator('.class-summary');
    await summary.getByText('2 of 2 tables have finished', { exact: false }).waitFor();
    expect(await summary.textContent()).toMatch(
      /Risk: (from .* \(Table \d\) to .* \(Table \d\)|.* at every table)/,
    );
    // Tables made together share one seed, drawn for the class.
    await teacher.getByText(/^The tables were created with one seed/).waitFor();
    const row1 = await compare.getByRole('row', { name: /Table 1/ }).textContent();
    expect(row1).toContain('2 of 2');
    await teacher.getByRole('figure', { name: 'Global AI risk at each table' }).waitFor();
    await teacher.getByRole('figure', { name: 'US lead over China at each table' }).waitFor();
    await teacher.getByRole('heading', { name: 'What happened at each table' }).waitFor();
    for (const n of [1, 2])
      await teacher
        .locator('.table-moments', { hasText: `Table ${n} (` })
        .getByText('Supply-chain shock in the Taiwan Strait.')
        // The injected shock; the dice may draw it again in the second round.
        .first()
        .waitFor();
    expect(await teacher.locator('.table-moments summary').allTextContents()).toEqual([
      expect.stringMatching(/^Table 1 \([A-Z0-9]{6}\)$/),
      expect.stringMatching(/^Table 2 \([A-Z0-9]{6}\)$/),
    ]);
    await screenshot(teacher, '47-class-compared');
    const [csv] = await Promise.all([
      teacher.waitForEvent('download'),
      teacher.getByRole('button', { name: 'Download the comparison (CSV)' }).click(),
    ]);
    const csvText = await readFile((await csv.path()) ?? '', 'utf8');
    expect(csvText.split('\n')[0]).toBe(
      '\uFEFF' +
        'table,code,outcome,rounds_played,us_lead_months,risk,trust,agreements,us_score,china_score,us_forecast_score,china_forecast_score',
    );
    expect(csvText).toMatch(/\nTable 2,[A-Z0-9]{6},/);
    const [report] = await Promise.all([
      teacher.waitForEvent('download'),
      table(2).getByRole('button', { name: 'Download the report of Table 2' }).click(),
    ]);
    expect(report.suggestedFilename()).toMatch(/^hotline-[A-Z0-9]{6}-report\.md$/);
    const reportText = await readFile((await report.path()) ?? '', 'utf8');
    expect(reportText).toMatch(/^# /);
    expect(reportText).toContain('Ten minutes to the bell');
    expect((await audit(teacher, 'class page, games compared')).map((v) => v.id)).toEqual([]);

    // On a phone the page fits its width: the wide comparison scrolls inside its own region.
    const phone = await t.open({ viewport: { width: 390, height: 844 } });
    await phone.goto(teacher.url());
    await phone.getByRole('table', { name: 'The tables side by side' }).waitFor();
    await phone.getByText('Game over').first().waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(phone, '48-class-phone');

    // The start page offers the class again, by its codes.
    await teacher.goto(`${t.app.url}/#/`);
    await teacher
      .getByRole('link', { name: /^Return to the class of 2 tables \([A-Z0-9]{6}, [A-Z0-9]{6}\)$/ })
      .click();
    await teacher.getByRole('heading', { name: 'Class: 2 tables' }).waitFor();
    one.close();
    two.close();
  }, 180_000);
});
