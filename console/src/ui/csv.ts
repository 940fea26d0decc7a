/**
 * Any console table as a CSV file: zh-TW headers, UTF-8 with a BOM and CRLF line ends so Excel on Windows opens
 * it as is. Cells that Excel would read as a formula (=, +, -, @ followed by text) get a leading apostrophe;
 * numbers stay numbers.
 */
export type CsvCell = string | number | null | undefined;

const BOM = '\uFEFF';

function cell(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(headers: string[], rows: CsvCell[][]): string {
  return BOM + [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves the table as `<name>.csv` through a temporary link (no server round trip). */
export function downloadCsv(name: string, headers: string[], rows: CsvCell[][]): void {
  const blob = new Blob([toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
