import { parse } from 'csv-parse/sync';
import { badRequest } from '../shared/errors';

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;

/**
 * Text of an uploaded CSV. Excel on a zh-TW Windows still saves "CSV" as Big5, so bytes that are not valid UTF-8
 * are read as Big5 rather than turned into replacement characters.
 */
export function decodeCsv(data: Buffer): { text: string; encoding: 'utf-8' | 'big5' } {
  if (data.length === 0) throw badRequest('import_empty', '檔案是空的。');
  if (data.length > MAX_IMPORT_BYTES) throw badRequest('import_too_large', '檔案超過 10 MB，請分批匯入。');
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('big5').decode(data), encoding: 'big5' };
  }
}

export interface CsvRow {
  /** Line where the row starts in the file (the header is line 1; equals the spreadsheet row without multi-line cells). */
  line: number;
  cells: string[];
}

export interface CsvTable { headers: string[]; rows: CsvRow[] }

/**
 * Parses CSV text (csv-parse: quotes, embedded commas and line breaks). The first row is the header; blank rows are
 * skipped; a row with a different number of cells is kept (reported later by field checks), not a parse failure.
 */
export function readCsv(text: string): CsvTable {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info: true` each record comes back as { record, info } (the typings do not model that option).
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw badRequest('import_unreadable', `無法讀取 CSV 檔：${detail}`);
  }
  if (records.length === 0) throw badRequest('import_empty', '檔案是空的。');
  const headers = records[0].record.map((h) => h.trim());
  if (headers.every((h) => !h)) throw badRequest('import_no_header', '第一列必須是欄位名稱。');
  const seen = new Set<string>();
  for (const h of headers) {
    if (h && seen.has(h)) throw badRequest('import_duplicate_header', `欄位名稱「${h}」重複出現，請修改後再上傳。`);
    seen.add(h);
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) throw badRequest('import_too_many_rows', `一次最多匯入 ${MAX_IMPORT_ROWS.toLocaleString()} 筆，請分批匯入。`);
  const rows = records.slice(1)
    .filter((r) => r.record.some((c) => c !== ''))
    .map((r) => ({ line: r.info.lines - newlinesIn(r.record), cells: r.record }));
  return { headers, rows };
}

function newlinesIn(cells: string[]): number {
  return cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
}
