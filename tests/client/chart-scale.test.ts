import { describe, expect, it } from 'vitest';
import {
  type ChartSpec,
  describeChart,
  formatNumber,
  formatTick,
  linearScale,
  niceDomain,
  niceStep,
  xValues,
} from '../../client/src/model/chart-scale.ts';

describe('linearScale', () => {
  it('maps the ends of the domain to the ends of the range, inverted ranges included', () => {
    const s = linearScale([0, 100], [250, 10]);
    expect(s(0)).toBe(250);
    expect(s(100)).toBe(10);
    expect(s(50)).toBe(130);
  });

  it('puts every value of an empty domain in the middle instead of dividing by zero', () => {
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });
});

describe('niceStep and niceDomain', () => {
  it('picks 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(7, 5)).toBe(2);
    expect(niceStep(0.9, 5)).toBe(0.2);
    expect(niceStep(23, 5)).toBe(5);
  });

  it('covers the data, starts and ends on a tick, and spaces ticks by the step', () => {
    const d = niceDomain([13.2, 21.8, 98.5]);
    expect(d.domain[0]).toBeLessThanOrEqual(13.2);
    expect(d.domain[1]).toBeGreaterThanOrEqual(98.5);
    expect(d.ticks[0]).toBe(d.domain[0]);
    expect(d.ticks[d.ticks.length - 1]).toBe(d.domain[1]);
    for (let i = 1; i < d.ticks.length; i++)
      expect((d.ticks[i] as number) - (d.ticks[i - 1] as number)).toBeCloseTo(d.step);
  });

  it('keeps zero when asked and leaves no floating-point dust in ticks', () => {
    const d = niceDomain([0.35, 0.72], { includeZero: true });
    expect(d.domain[0]).toBe(0);
    expect(d.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });

  it('widens a flat series so the line is not drawn on an edge', () => {
    const d = niceDomain([12, 12, 12]);
    expect(d.domain[0]).toBeLessThan(12);
    expect(d.domain[1]).toBeGreaterThan(12);
  });

  it('handles negative values (a US lead that turned into a deficit)', () => {
    const d = niceDomain([-3.4, 8.1], { includeZero: true });
    expect(d.domain[0]).toBeLessThanOrEqual(-3.4);
    expect(d.ticks).toContain(0);
  });
});

describe('formatting', () => {
  it('gives tick labels the decimals the step needs', () => {
    expect(formatTick(20, 10)).toBe('20');
    expect(formatTick(0.4, 0.2)).toBe('0.4');
    expect(formatTick(0.05, 0.05)).toBe('0.05');
  });

  it('writes a true minus sign and never "−0"', () => {
    expect(formatNumber(-2.5, 1)).toBe('−2.5');
    expect(formatNumber(-0.001, 1)).toBe('0.0');
  });
});

describe('describeChart', () => {
  const spec: ChartSpec = {
    id: 'risk',
    title: 'Global AI risk',
    xLabel: 'Round',
    yLabel: 'Risk',
    digits: 1,
    includeZero: true,
    refLines: [{ label: 'Catastrophe limit', y: 100 }],
    series: [
      {
        name: 'Risk',
        dash: 'solid',
        marker: 'circle',
        colour: 'risk',
        points: [
          { x: 1, y: 20 },
          { x: 2, y: 35 },
          { x: 3, y: 30 },
        ],
      },
    ],
  };

  it('says the range of rounds, the first and last values, the extremes and the reference lines', () => {
    const text = describeChart(spec);
    expect(text).toContain('rounds 1 to 3');
    expect(text).toContain('Risk from 20.0 to 30.0');
    expect(text).toContain('highest 35.0 in round 2');
    expect(text).toContain('lowest 20.0 in round 1');
    expect(text).toContain('Catastrophe limit at 100.');
  });

  it('says so when there is nothing to show', () => {
    expect(describeChart({ ...spec, series: [] })).toBe('Global AI risk: no data yet.');
  });

  it('lists the x values of all series once, in order', () => {
    const base = spec.series[0];
    if (!base) throw new Error('the spec has a series');
    expect(
      xValues([
        {
          ...base,
          points: [
            { x: 3, y: 1 },
            { x: 1, y: 1 },
          ],
        },
        {
          ...base,
          points: [
            { x: 2, y: 1 },
            { x: 3, y: 1 },
          ],
        },
      ]),
    ).toEqual([1, 2, 3]);
  });
});
