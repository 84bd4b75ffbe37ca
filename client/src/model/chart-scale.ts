/**
 * The arithmetic of the debrief's line charts, kept apart from the SVG so tests can reach it:
 * linear scales, "nice" tick values, and the words that describe a chart to a screen reader.
 */

/** Dash patterns and markers tell the series apart without colour. */
export type DashStyle = 'solid' | 'dash' | 'dot' | 'dash-dot';
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';
export type SeriesColour = 'us' | 'china' | 'risk' | 'trust' | 'sky' | 'purple' | 'ink';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  dash: DashStyle;
  marker: MarkerShape;
  colour: SeriesColour;
}

/** A horizontal line across the chart, such as the risk limit. */
export interface ReferenceLine {
  label: string;
  y: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  refLines: ReferenceLine[];
  /** Decimal places for values in the table and the summary. */
  digits: number;
  /** Keep zero on the value axis (for amounts; not for values far from zero like capability). */
  includeZero: boolean;
}

export const DASH_ARRAYS: Record<DashStyle, string | null> = {
  solid: null,
  dash: '8 4',
  dot: '2 4',
  'dash-dot': '8 4 2 4',
};

export type Scale = (v: number) => number;

/** Maps [d0, d1] onto [r0, r1]; an empty domain maps everything to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A round step near `span / count`: 1, 2 or 5 times a power of ten. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || count < 1) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** Rounds away the floating-point dust that steps like 0.1 leave behind. */
function clean(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(digits, 12)));
}

/**
 * A domain that covers `values` (and the extra values, such as a limit line) and starts and ends
 * on a tick, with its ticks; about `count` of them.
 */
export function niceDomain(
  values: readonly number[],
  opts: { includeZero?: boolean; count?: number } = {},
): { domain: [number, number]; ticks: number[]; step: number } {
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (opts.includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, opts.count ?? 5);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; start + i * step <= end + step / 2; i++) ticks.push(clean(start + i * step, step));
  return { domain: [clean(start, step), clean(end, step)], ticks, step };
}

/** Tick labels with as many decimals as the step needs, and a true minus sign. */
export function formatTick(v: number, step: number): string {
  const digits = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
  return formatNumber(v, digits);
}

export function formatNumber(v: number, digits: number): string {
  const s = v.toFixed(digits);
  // "-0" reads as a value below zero; a rounded zero is just zero.
  if (Number(s) === 0) return (0).toFixed(digits);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** A reference value as people state it: a limit of 100 is "100", not "100.0". */
export function refValue(r: ReferenceLine, digits: number): string {
  return formatNumber(r.y, Number.isInteger(r.y) ? 0 : digits);
}

/** The x values of a chart in order, for its table and its axis. */
export function xValues(series: readonly ChartSeries[]): number[] {
  return [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
}

/**
 * What a sighted reader gets from the shape of the lines, in one sentence per series: where it
 * started, where it ended, and its extremes. Used as the chart's accessible name.
 */
export function describeChart(spec: ChartSpec): string {
  const xs = xValues(spec.series);
  if (xs.length === 0) return `${spec.title}: no data yet.`;
  const f = (v: number) => formatNumber(v, spec.digits);
  const span = xs.length === 1 ? `round ${xs[0]}` : `rounds ${xs[0]} to ${xs[xs.length - 1]}`;
  const parts = spec.series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const first = s.points[0] as ChartPoint;
      const last = s.points[s.points.length - 1] as ChartPoint;
      if (s.points.length === 1) return `${s.name} ${f(first.y)}`;
      const max = s.points.reduce((a, p) => (p.y > a.y ? p : a));
      const min = s.points.reduce((a, p) => (p.y < a.y ? p : a));
      return `${s.name} from ${f(first.y)} to ${f(last.y)} (highest ${f(max.y)} in round ${max.x}, lowest ${f(min.y)} in round ${min.x})`;
    });
  const refs = spec.refLines.map((r) => `${r.label} at ${refValue(r, spec.digits)}`);
  return `${spec.title}, ${span}. ${[...parts, ...refs].join('; ')}.`;
}
