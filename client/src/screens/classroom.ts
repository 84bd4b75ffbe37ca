import { focusQuietly, h } from '../dom.ts';
import type { ClassTable } from '../model/class-model.ts';
import { saveClass, savedClass } from '../net/saved-seats.ts';
import { createClassCommands } from '../panels/class-commands.ts';
import { createClassComparison } from '../panels/class-comparison.ts';
import { ClassTablePanel } from '../panels/class-table.ts';
import './classroom.css';

/**
 * The teacher's page for a class of several tables: every table's state at a glance, what needs
 * attention, commands for all tables at once, and how the tables' games diverged. Each table is
 * its own game, reached through its facilitator seat: this page holds one connection per table
 * and shows what each table's server sends, like that table's console does.
 */
export function showClassroom(root: HTMLElement, tokens: string[], compare = false): () => void {
  document.title = compare ? `Hotline: a game and its fork` : `Hotline: class of ${tokens.length} tables`;
  // A comparison holds the original game first, then its forks.
  const labelOf = (i: number) => (!compare ? `Table ${i + 1}` : i === 0 ? 'Original' : `Fork ${i}`);
  const tables = tokens.map((token, i) => new ClassTablePanel(token, labelOf(i)));
  const classTables = (): ClassTable[] => tables.map((t) => ({ label: t.label, view: t.session.view }));
  const seed = savedClass(tokens)?.seed;
  const comparison = createClassComparison(
    classTables,
    compare
      ? 'A fork starts where the original stood when its round began: the same history, the same hidden values and the same dice. Where the games part after that, the choices did it.'
      : seed !== undefined
        ? 'The tables were created with one seed: the dice start the same everywhere, so where the tables part, their choices did it.'
        : null,
  );
  root.append(
    h(
      'main',
      { class: 'classroom', 'aria-labelledby': 'class-title' },
      h(
        'h1',
        { id: 'class-title' },
        compare ? 'Side by side: a game and its fork' : `Class: ${tokens.length} tables`,
      ),
      h(
        'p',
        { class: 'muted' },
        compare
          ? 'The fork is a game of its own: give its code to the people who play it (the same teams trying another course, or new ones). ' +
              'Keep this page’s address private: it opens the console of both games.'
          : 'Each table is a game of its own. Give each group its table’s code (or its QR code); open a table’s ' +
              'console to run it closely. Keep this page’s address private: it opens the console of every table.',
      ),
      createClassCommands(tables),
      h(
        'section',
        { 'aria-labelledby': 'tables-title' },
        h('h2', { id: 'tables-title' }, 'Tables'),
        h(
          'div',
          { class: 'class-tables' },
          tables.map((t) => t.el),
        ),
      ),
      comparison.el,
    ),
  );

  let due = 0;
  const schedule = () => {
    if (!due) due = requestAnimationFrame(render);
  };
  let saved = false;
  function render(): void {
    due = 0;
    const now = Date.now();
    for (const t of tables) t.update(now);
    const current = classTables();
    // Remembered with its codes once every table has answered, for the start page's list.
    if (!saved && current.every((t) => t.view)) {
      saved = true;
      saveClass({
        tokens,
        codes: current.map((t) => t.view?.code ?? ''),
        ...(seed !== undefined ? { seed } : {}),
        ...(compare ? { compare } : {}),
        savedAt: Date.now(),
      });
    }
    comparison.update(current);
  }

  for (const t of tables) t.session.subscribe(schedule);
  // Clocks count down between updates; whole minutes are enough here, as on the board.
  const tick = setInterval(schedule, 5_000);
  render();
  // Arriving from "Create N games", focus would otherwise stay on the page's body.
  focusQuietly(root.querySelector<HTMLElement>('h1') ?? root);
  return () => {
    clearInterval(tick);
    if (due) cancelAnimationFrame(due);
    for (const t of tables) t.close();
  };
}
