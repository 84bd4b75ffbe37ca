import { OUTCOMES } from '../../shared/rules/ids.ts';
import type { MatrixResult } from '../../shared/sim/matrix.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number, d = 1) => x.toFixed(d);

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Text forms of a matrix run; every form is a pure function of the result, so output is reproducible. */
export function formatMatrix(m: MatrixResult, format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(m, null, 2)}\n`;
  if (format === 'csv') {
    const head = [
      'us',
      'china',
      'games',
      ...OUTCOMES.flatMap((o) => [o, `${o}_ci_low`, `${o}_ci_high`]),
      'mean_final_lead_months',
      'mean_final_risk',
      'mean_us_score',
      'mean_china_score',
    ];
    const rows = m.results.map((r) =>
      [
        r.us,
        r.china,
        r.games,
        ...OUTCOMES.flatMap((o) => [r.outcomes[o], r.outcomeCi95[o].low, r.outcomeCi95[o].high]),
        r.meanFinalLeadMonths,
        r.meanFinalRisk,
        r.meanUsScore,
        r.meanChinaScore,
      ]
        .map(csvCell)
        .join(','),
    );
    return `${[head.join(','), ...rows].join('\n')}\n`;
  }
  return markdownTable(m);
}

/** The table format is Markdown, so it pastes into docs/MODEL.md and reads in a terminal. */
export function markdownTable(m: MatrixResult): string {
  const head = [
    'US bot',
    'China bot',
    'games',
    ...OUTCOMES.map((o) => `${o} (95% CI)`),
    'lead (mo)',
    'risk',
    'US score',
    'China score',
  ];
  const lines = [
    `scenario ${m.scenario}, ${m.games} games per pair, seed ${m.seed}`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  for (const r of m.results) {
    const cells = [
      r.us,
      r.china,
      String(r.games),
      ...OUTCOMES.map(
        (o) => `${pct(r.outcomes[o])} [${pct(r.outcomeCi95[o].low)}–${pct(r.outcomeCi95[o].high)}]`,
      ),
      num(r.meanFinalLeadMonths),
      num(r.meanFinalRisk),
      num(r.meanUsScore),
      num(r.meanChinaScore),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
