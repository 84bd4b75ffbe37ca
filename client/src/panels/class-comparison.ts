import { lineChart } from '../charts/line-chart.ts';
import { h, replaceChildren, tableHead } from '../dom.ts';
import {
  type ClassTable,
  COMPARISON_COLUMNS,
  type ComparisonRow,
  comparisonCells,
  comparisonCharts,
  comparisonCsv,
  comparisonRows,
  divergenceSummary,
  type TurningPoint,
  turningPoints,
} from '../model/class-model.ts';
import { partingNotes } from '../model/fork-model.ts';

/**
 * "How the tables compare": a sentence on how they diverged, the tables side by side, risk and
 * lead charts with a line per table, a CSV download, and what happened at each table. Each part
 * is rebuilt only when what it shows changed, so an open "Show as table" stays open while clocks
 * tick and people come and go, and focus in the table's region stays there.
 */
export function createClassComparison(
  current: () => ClassTable[],
  /** What the tables share, when they share their dice (the seed itself is shown nowhere). */
  shared: string | null,
): {
  el: HTMLElement;
  update(tables: ClassTable[]): void;
} {
  const summary = h('p', { class: 'class-summary' });
  // On a game-and-fork page: where each fork's orders first differed from the original's.
  const parting = h('ul', { class: 'class-parting' });
  const rowsEl = h('div', { class: 'class-comparison' });
  const chartsEl = h('div', { class: 'class-charts' });
  const momentsEl = h('div', { class: 'class-moments' });
  const csvButton = h('button', { type: 'button' }, 'Download the comparison (CSV)');
  csvButton.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([comparisonCsv(current())], { type: 'text/csv' }));
    const a = h('a', { href: url, download: 'hotline-class-comparison.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'compare-title' },
    h('h2', { id: 'compare-title' }, 'How the tables compare'),
    summary,
    shared ? h('p', { class: 'muted' }, shared) : null,
    parting,
    rowsEl,
    chartsEl,
    csvButton,
    h('h3', { class: 'class-moments-title' }, 'What happened at each table'),
    momentsEl,
  );
  const shown = { rows: '', charts: '', moments: '' };

  function renderRows(rows: ComparisonRow[]): void {
    replaceChildren(
      rowsEl,
      h(
        'div',
        {
          class: 'class-table-wrap',
          role: 'region',
          tabindex: 0,
          'aria-labelledby': 'compare-caption',
          'data-key': 'compare-region',
        },
        h(
          'table',
          { class: 'class-compare' },
          h('caption', { id: 'compare-caption' }, 'The tables side by side'),
          tableHead(...COMPARISON_COLUMNS),
          h(
            'tbody',
            null,
            rows.map((r) =>
              h(
                'tr',
                null,
                comparisonCells(r).map((x, i) => (i === 0 ? h('th', { scope: 'row' }, x) : h('td', null, x))),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function renderMoments(tables: ClassTable[], moments: (TurningPoint[] | null)[]): void {
    replaceChildren(
      momentsEl,
      tables.map((t, i) => {
        const list = moments[i];
        const empty = t.view?.game.public.outcome
          ? 'No event, agreement or breach in this game.'
          : 'Nothing yet: no event, agreement or breach so far.';
        return h(
          'details',
          { class: 'table-moments', open: true, 'data-key': `moments-${i}` },
          h('summary', null, t.view ? `${t.label} (${t.view.code})` : t.label),
          !list
            ? h('p', { class: 'muted' }, 'Not connected yet.')
            : list.length === 0
              ? h('p', { class: 'muted' }, empty)
              : h(
                  'ol',
                  null,
                  list.map((m) => h('li', null, h('strong', null, `Round ${m.round}: `), m.text)),
                ),
        );
      }),
    );
  }

  function renderCharts(tables: ClassTable[]): void {
    const played = tables.some((t) => (t.view?.game.truth?.history.metrics.length ?? 0) > 0);
    const charts = comparisonCharts(tables);
    replaceChildren(
      chartsEl,
      played
        ? [lineChart(charts.risk), lineChart(charts.lead)]
        : h('p', { class: 'muted' }, 'The charts appear once a table has played its first round.'),
    );
  }

  return {
    el,
    update(tables) {
      summary.textContent = divergenceSummary(tables);
      const notes = partingNotes(tables);
      if (notes.join('\n') !== [...parting.children].map((li) => li.textContent).join('\n'))
        replaceChildren(
          parting,
          notes.map((n) => h('li', null, n)),
        );
      parting.hidden = notes.length === 0;
      const rows = comparisonRows(tables);
      const rowsKey = JSON.stringify(rows);
      if (rowsKey !== shown.rows) {
        shown.rows = rowsKey;
        renderRows(rows);
      }
      const moments = tables.map((t) => (t.view ? turningPoints(t.view) : null));
      const momentsKey = JSON.stringify(moments);
      if (momentsKey !== shown.moments) {
        shown.moments = momentsKey;
        renderMoments(tables, moments);
      }
      const chartsKey = tables.map((t) => t.view?.game.truth?.history.metrics.length ?? -1).join('|');
      if (chartsKey !== shown.charts) {
        shown.charts = chartsKey;
        renderCharts(tables);
      }
    },
  };
}
