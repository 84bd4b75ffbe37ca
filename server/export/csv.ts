/**
 * One CSV cell. Spreadsheets run cells that begin with = + - @ (or a tab or carriage return) as
 * formulas, so those are prefixed with an apostrophe; quotes, commas and newlines are quoted.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1e4) / 1e4) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: (string | number | null)[]): string {
  return cells.map(csvCell).join(',');
}
