import { h, tableHead } from '../dom.ts';
import {
  type ChartSeries,
  type ChartSpec,
  DASH_ARRAYS,
  describeChart,
  formatNumber,
  formatTick,
  linearScale,
  type MarkerShape,
  niceDomain,
  refValue,
  xValues,
} from '../model/chart-scale.ts';
import './line-chart.css';

/**
 * A small SVG line chart: no chart library, to keep the bundle small. Series differ by dash
 * pattern and marker shape as well as colour; the SVG is one image with a sentence for screen
 * readers, and the numbers are also in a table under "Show as table".
 */
const NS = 'http://www.w3.org/2000/svg';
const W = 520;
const H = 290;
const M = { top: 16, right: 16, bottom: 48, left: 60 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | null>,
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

function marker(shape: MarkerShape, x: number, y: number, r = 4.5): SVGElement {
  switch (shape) {
    case 'circle':
      return svg('circle', { cx: x, cy: y, r });
    case 'square':
      return svg('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r });
    case 'triangle':
      return svg('path', {
        d: `M${x} ${y - r * 1.2}L${x + r * 1.1} ${y + r * 0.8}L${x - r * 1.1} ${y + r * 0.8}Z`,
      });
    case 'diamond':
      return svg('path', { d: `M${x} ${y - r * 1.3}L${x + r} ${y}L${x} ${y + r * 1.3}L${x - r} ${y}Z` });
  }
}

function seriesGroup(s: ChartSeries, sx: (v: number) => number, sy: (v: number) => number): SVGElement {
  const colour = `var(--${s.colour})`;
  const g = svg('g', { class: 'chart-series', stroke: colour, fill: colour });
  if (s.points.length > 1) {
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)} ${sy(p.y).toFixed(1)}`).join('');
    g.append(svg('path', { d, fill: 'none', 'stroke-width': 2.5, 'stroke-dasharray': DASH_ARRAYS[s.dash] }));
  }
  for (const p of s.points) g.append(marker(s.marker, sx(p.x), sy(p.y)));
  return g;
}

function chartSvg(spec: ChartSpec): SVGSVGElement {
  const xs = xValues(spec.series);
  const ys = [...spec.series.flatMap((s) => s.points.map((p) => p.y)), ...spec.refLines.map((r) => r.y)];
  const y = niceDomain(ys, { includeZero: spec.includeZero });
  const x0 = xs[0] ?? 1;
  const x1 = xs[xs.length - 1] ?? 1;
  // Half a step of padding keeps the first and last markers off the axes.
  const sx = linearScale([x0 - 0.5, x1 + 0.5], [M.left, W - M.right]);
  const sy = linearScale(y.domain, [H - M.bottom, M.top]);
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'line-chart',
    role: 'img',
    'aria-label': describeChart(spec),
    preserveAspectRatio: 'xMidYMid meet',
  });
  const grid = svg('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (const t of y.ticks) {
    const py = sy(t);
    grid.append(
      svg('line', { x1: M.left, x2: W - M.right, y1: py, y2: py }),
      svg(
        'text',
        { x: M.left - 8, y: py, 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        formatTick(t, y.step),
      ),
    );
  }
  // With many rounds every other label keeps the axis readable on a phone.
  const every = xs.length > 12 ? 2 : 1;
  xs.forEach((v, i) => {
    if (i % every) return;
    grid.append(svg('text', { x: sx(v), y: H - M.bottom + 18, 'text-anchor': 'middle' }, String(v)));
  });
  grid.append(
    svg('line', { class: 'chart-axis', x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom }),
    svg('line', { class: 'chart-axis', x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }),
    svg(
      'text',
      { class: 'chart-axis-label', x: (M.left + W - M.right) / 2, y: H - 8, 'text-anchor': 'middle' },
      spec.xLabel,
    ),
    svg(
      'text',
      {
        class: 'chart-axis-label',
        transform: `translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)`,
        'text-anchor': 'middle',
      },
      spec.yLabel,
    ),
  );
  root.append(grid);
  const refs = svg('g', { class: 'chart-ref', 'aria-hidden': 'true' });
  for (const r of spec.refLines) {
    const py = sy(r.y);
    refs.append(
      svg('line', { x1: M.left, x2: W - M.right, y1: py, y2: py, 'stroke-dasharray': '3 3' }),
      svg(
        'text',
        { x: W - M.right - 4, y: py - 5, 'text-anchor': 'end' },
        `${r.label} (${refValue(r, spec.digits)})`,
      ),
    );
  }
  root.append(refs);
  for (const s of spec.series) root.append(seriesGroup(s, sx, sy));
  return root;
}

function legendSample(s: ChartSeries): SVGSVGElement {
  const colour = `var(--${s.colour})`;
  return svg(
    'svg',
    { viewBox: '0 0 36 12', width: 36, height: 12, 'aria-hidden': 'true', focusable: 'false' },
    svg('line', {
      x1: 1,
      x2: 35,
      y1: 6,
      y2: 6,
      stroke: colour,
      'stroke-width': 2.5,
      'stroke-dasharray': DASH_ARRAYS[s.dash],
    }),
    svg('g', { fill: colour }, marker(s.marker, 18, 6, 3.5)),
  );
}

function refSample(): SVGSVGElement {
  return svg(
    'svg',
    {
      viewBox: '0 0 36 12',
      width: 36,
      height: 12,
      'aria-hidden': 'true',
      focusable: 'false',
      class: 'chart-ref',
    },
    svg('line', { x1: 1, x2: 35, y1: 6, y2: 6, 'stroke-dasharray': '3 3' }),
  );
}

function legend(spec: ChartSpec): HTMLElement {
  return h(
    'ul',
    { class: 'chart-legend', 'aria-label': `Legend: ${spec.title}` },
    spec.series.map((s) => h('li', null, legendSample(s), ` ${s.name}`)),
    spec.refLines.map((r) =>
      h('li', { class: 'chart-legend-ref' }, refSample(), ` ${r.label}: ${refValue(r, spec.digits)}`),
    ),
  );
}

/** The same numbers as a table, for anyone who would rather read them than see them. */
export function chartTable(spec: ChartSpec): HTMLTableElement {
  const xs = xValues(spec.series);
  return h(
    'table',
    { class: 'chart-table' },
    h('caption', null, `${spec.title} (${spec.yLabel}) by ${spec.xLabel.toLowerCase()}`),
    tableHead(spec.xLabel, ...spec.series.map((s) => s.name)),
    h(
      'tbody',
      null,
      xs.map((x) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, String(x)),
          spec.series.map((s) => {
            const p = s.points.find((q) => q.x === x);
            return h('td', null, p ? formatNumber(p.y, spec.digits) : '—');
          }),
        ),
      ),
    ),
  );
}

/**
 * A figure with a heading, the chart, its legend and a "Show as table" disclosure (left out with
 * `table: false` when the page shows the numbers anyway). `headingLevel` fits the chart into the
 * page's outline.
 */
export function lineChart(
  spec: ChartSpec,
  opts: { headingLevel?: 'h2' | 'h3' | 'h4'; table?: boolean } = {},
): HTMLElement {
  const headingLevel = opts.headingLevel ?? 'h3';
  const headingId = `chart-${spec.id}-title`;
  return h(
    'figure',
    { class: 'chart', 'aria-labelledby': headingId },
    h(headingLevel, { id: headingId, class: 'chart-title' }, spec.title),
    chartSvg(spec),
    legend(spec),
    opts.table === false
      ? null
      : h(
          'details',
          { class: 'chart-details' },
          h('summary', null, 'Show as table'),
          // A wide table scrolls on its own on a phone; focusable so a keyboard can scroll it too.
          h(
            'div',
            { class: 'chart-table-wrap', role: 'region', tabindex: 0, 'aria-label': `${spec.title}: table` },
            chartTable(spec),
          ),
        ),
  );
}
