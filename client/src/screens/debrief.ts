import type { ClientView } from '../../../shared/protocol/room.ts';
import { scenarioTitle } from '../../../shared/scenarios/titles.ts';
import { lineChart } from '../charts/line-chart.ts';
import { h, replaceChildren, tableHead } from '../dom.ts';
import { formatNumber } from '../model/chart-scale.ts';
import {
  agreementLines,
  beliefRows,
  chartSeries,
  type OutcomeSummary,
  outcomeSummary,
  type TimelineRound,
  timeline,
} from '../model/debrief-model.ts';
import { downloadExport } from '../net/api.ts';
import { createForkForm } from '../panels/fork-form.ts';
import type { Panel, PanelContext } from '../panels/panel.ts';
import { forecastsSection } from './debrief-forecasts.ts';
import './debrief.css';

/**
 * The debrief, for every seat once the game has ended (each then holds the truth): the outcome
 * and objectives, charts of the game, what each side believed against the truth, the whole
 * timeline with both sides' secret orders, and the exports.
 */

function outcomeSection(o: OutcomeSummary | null): HTMLElement {
  if (!o)
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'debrief-outcome' },
      h('h2', { id: 'debrief-outcome' }, 'Outcome'),
      h('p', null, 'The game ended without a recorded outcome.'),
    );
  return h(
    'section',
    { class: 'card debrief-outcome', 'aria-labelledby': 'debrief-outcome' },
    h('h2', { id: 'debrief-outcome' }, `Outcome: ${o.name}`),
    h('p', null, o.meaning),
    h('p', null, `Decided in ${o.when}: ${o.reason}.`),
    h(
      'div',
      { class: 'debrief-sides' },
      o.sides.map((s) =>
        h(
          'section',
          { class: `debrief-side side-${s.side}`, 'aria-labelledby': `debrief-side-${s.side}` },
          h('h3', { id: `debrief-side-${s.side}` }, `${s.label}: score ${formatNumber(s.score, 1)}`),
          h(
            'ul',
            { class: 'debrief-objectives' },
            s.objectives.map((x) =>
              h(
                'li',
                { class: x.met ? 'met' : 'not-met' },
                h('span', { class: 'objective-symbol', 'aria-hidden': 'true' }, x.symbol),
                h('strong', null, `${x.status}: `),
                x.label,
                h('span', { class: 'muted' }, ` — ${x.detail}`),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function downloads(v: ClientView, token: string): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert' });
  const button = (format: 'json' | 'md' | 'csv', text: string, file: string) => {
    const b = h('button', { type: 'button', class: 'debrief-download' }, text);
    b.addEventListener('click', async () => {
      b.disabled = true;
      const why = await downloadExport(v.code, token, format, file);
      b.disabled = false;
      error.textContent = why ? `${text}: ${why}` : '';
    });
    return b;
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'debrief-downloads' },
    h('h2', { id: 'debrief-downloads' }, 'Downloads'),
    h(
      'ul',
      { class: 'debrief-download-list' },
      h('li', null, button('md', 'Download Markdown report', `hotline-${v.code}-report.md`)),
      h('li', null, button('csv', 'Download CSV metrics', `hotline-${v.code}-metrics.csv`)),
      h('li', null, button('json', 'Download JSON log', `hotline-${v.code}-log.json`)),
    ),
    error,
  );
}

function chartsSection(v: ClientView): HTMLElement {
  const c = chartSeries(v);
  return h(
    'section',
    { 'aria-labelledby': 'debrief-charts' },
    h('h2', { id: 'debrief-charts' }, 'How the game went'),
    h(
      'div',
      { class: 'debrief-chart-grid' },
      lineChart(c.lead),
      lineChart(c.risk),
      lineChart(c.trust),
      lineChart(c.flows),
    ),
  );
}

function signedMiss(x: number): string {
  return x >= 0 ? `+${formatNumber(x, 1)}` : formatNumber(x, 1);
}

function beliefsSection(v: ClientView): HTMLElement {
  const rows = beliefRows(v);
  return h(
    'section',
    { 'aria-labelledby': 'debrief-beliefs' },
    h('h2', { id: 'debrief-beliefs' }, 'What each side believed'),
    h(
      'p',
      { class: 'muted' },
      'Each side saw only estimates of the other’s capability. A positive gap means it rated the other side higher than it was.',
    ),
    lineChart(chartSeries(v).beliefs, { table: false }),
    h(
      'div',
      {
        class: 'chart-table-wrap',
        role: 'region',
        tabindex: 0,
        'aria-label': 'Beliefs against the truth: table',
      },
      h(
        'table',
        { class: 'chart-table debrief-beliefs-table' },
        h('caption', null, 'Capability in months: the truth beside the other side’s estimate'),
        tableHead(
          'Round',
          'China (true)',
          'US estimate of China',
          'Gap',
          'US (true)',
          'China estimate of US',
          'Gap',
        ),
        h(
          'tbody',
          null,
          rows.map((r) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, String(r.round)),
              h('td', null, formatNumber(r.chinaTrue, 1)),
              h('td', null, formatNumber(r.usBelief, 1)),
              h('td', null, signedMiss(r.usMiss)),
              h('td', null, formatNumber(r.usTrue, 1)),
              h('td', null, formatNumber(r.chinaBelief, 1)),
              h('td', null, signedMiss(r.chinaMiss)),
            ),
          ),
        ),
      ),
    ),
  );
}

function list(items: readonly string[], empty: string): HTMLElement {
  return items.length
    ? h(
        'ul',
        null,
        items.map((x) => h('li', null, x)),
      )
    : h('p', { class: 'muted' }, empty);
}

function roundDetails(r: TimelineRound, open: boolean): HTMLDetailsElement {
  const id = `debrief-round-${r.round}`;
  return h(
    'details',
    { class: 'debrief-round', open, 'data-round': r.round },
    h(
      'summary',
      null,
      h('span', { class: 'round-title' }, `Round ${r.round}`),
      r.event ? ` — ${r.event.title}` : '',
    ),
    h(
      'div',
      { class: 'debrief-round-body' },
      h(
        'div',
        { class: 'debrief-orders' },
        r.orders.map((s) =>
          h(
            'section',
            { class: `side-${s.side}-orders`, 'aria-labelledby': `${id}-${s.side}` },
            h('h3', { id: `${id}-${s.side}` }, `${s.label} orders`),
            s.orders.length
              ? h(
                  'ul',
                  null,
                  s.orders.map((o) =>
                    h(
                      'li',
                      { class: o.covert ? 'covert' : null },
                      o.text,
                      o.covert ? h('span', { class: 'badge' }, 'secret during play') : null,
                      o.rationale ? h('q', { class: 'rationale' }, o.rationale) : null,
                    ),
                  ),
                )
              : h('p', { class: 'muted' }, 'No orders.'),
          ),
        ),
      ),
      h('h3', null, 'Event'),
      r.event
        ? h('p', null, h('strong', null, `${r.event.title}. `), r.event.summary)
        : h('p', { class: 'muted' }, 'No crisis event this round.'),
      h('h3', null, 'What happened'),
      list(r.notes, 'Nothing beyond the changes below.'),
      h('h3', null, 'Every change, and why'),
      r.changes.length
        ? h(
            'ul',
            { class: 'debrief-changes' },
            r.changes.map((c) =>
              h(
                'li',
                null,
                c.text,
                c.seenBy === 'everyone' ? null : h('span', { class: 'muted' }, ` (seen by ${c.seenBy})`),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No changes.'),
      r.adjustments.length ? [h('h3', null, 'Facilitator'), list(r.adjustments, '')] : null,
    ),
  );
}

function timelineSection(v: ClientView): HTMLElement {
  const rounds = timeline(v);
  const items = rounds.map((r, i) => roundDetails(r, i === 0 || i === rounds.length - 1));
  const toggle = h('button', { type: 'button', 'aria-controls': 'debrief-rounds' }, 'Expand all');
  const sync = () => {
    toggle.textContent = items.every((d) => d.open) ? 'Collapse all' : 'Expand all';
  };
  toggle.addEventListener('click', () => {
    const open = !items.every((d) => d.open);
    for (const d of items) d.open = open;
    sync();
  });
  for (const d of items) d.addEventListener('toggle', sync);
  sync();
  const ag = agreementLines(v);
  return h(
    'section',
    { 'aria-labelledby': 'debrief-timeline' },
    h(
      'div',
      { class: 'debrief-timeline-head' },
      h('h2', { id: 'debrief-timeline' }, 'Round by round'),
      toggle,
    ),
    h(
      'p',
      { class: 'muted' },
      'Both sides’ full orders, including the secret ones, with their stated reasons, and every change with its cause.',
    ),
    h('div', { id: 'debrief-rounds' }, items),
    h('h3', null, 'Agreements'),
    list(ag.agreements, 'No agreement was proposed.'),
    ag.hiddenViolations.length ? [h('h3', null, 'Broken in secret'), list(ag.hiddenViolations, '')] : null,
  );
}

/** For the facilitator: a new game from the start of one of this game's rounds. */
function forkSection(v: ClientView, token: string): HTMLElement | null {
  if (v.you.role !== 'facilitator') return null;
  const form = createForkForm(token);
  form.update(v);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'debrief-fork' },
    h('h2', { id: 'debrief-fork' }, 'Replay from a round'),
    form.el,
  );
}

function content(v: ClientView, token: string): (HTMLElement | null)[] {
  if (!v.game.truth)
    return [h('p', { role: 'status' }, 'The game has ended. Waiting for the final results from the server…')];
  return [
    h('p', { class: 'muted' }, `Game ${v.code}, scenario “${scenarioTitle(v.settings.scenarioId)}”.`),
    outcomeSection(outcomeSummary(v)),
    downloads(v, token),
    forkSection(v, token),
    chartsSection(v),
    beliefsSection(v),
    forecastsSection(v),
    timelineSection(v),
  ];
}

/** What the debrief depends on; the view changes after the end only for chat, which it does not show. */
function versionOf(v: ClientView): string {
  const t = v.game.truth;
  return [
    v.code,
    t ? 'truth' : 'none',
    t?.history.metrics.length ?? 0,
    v.game.log.public.length,
    v.game.public.outcome?.id ?? '',
    v.game.adjustments.length,
    v.forecasts.length,
  ].join(':');
}

export function createDebrief(ctx: PanelContext): Panel {
  const body = h('div', { class: 'debrief-body' });
  const el = h(
    'section',
    { class: 'debrief', 'aria-labelledby': 'debrief-title' },
    h('h1', { id: 'debrief-title', tabindex: -1 }, 'Debrief'),
    body,
  );
  let shown = '';
  const update = (v: ClientView) => {
    const version = versionOf(v);
    if (version === shown) return;
    shown = version;
    replaceChildren(body, content(v, ctx.session.token));
  };
  if (ctx.session.view) update(ctx.session.view);
  return {
    el,
    update,
    destroy() {
      el.remove();
    },
  };
}
