import { parse } from 'csv-parse/sync';
import type { CsvError, InfoRecord } from 'csv-parse';
import { badRequest } from '../shared/errors';

/**
 * The largest upload, in bytes (20 MiB). The text is stored in ≤ 1 MiB pieces (import-file.service.ts), so the
 * limit is about memory and time, not MongoDB's document size: a 20 MiB Big5 file decodes to ~34 MB of text.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** More columns than this is not a member list (and would make the job's header and sample large). */
export const MAX_IMPORT_COLUMNS = 200;

/** The refusal of a file over MAX_IMPORT_BYTES, in the words the console shows. */
export const importTooLarge = () =>
  badRequest(
    'import_too_large',
    `檔案超過 ${MAX_IMPORT_BYTES / 1024 / 1024} MB，無法匯入。請把檔案分成幾個較小的檔案，再分批匯入。`,
    { maxBytes: MAX_IMPORT_BYTES },
  );

/**
 * Text of an uploaded CSV. Excel on a zh-TW Windows still saves "CSV" as Big5, so bytes that are not valid UTF-8
 * are read as Big5 rather than turned into replacement characters.
 */
export function decodeCsv(data: Buffer): { text: string; encoding: 'utf-8' | 'big5' } {
  if (data.length === 0) throw badRequest('import_empty', '檔案是空的。');
  if (data.length > MAX_IMPORT_BYTES) throw importTooLarge();
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

export interface CsvTable {
  headers: string[];
  rows: CsvRow[];
}

/** A column name longer than this is not a header (usually a data row, or a file without one). */
export const MAX_HEADER_LENGTH = 100;

/**
 * Parses CSV text (csv-parse: quotes, embedded commas and line breaks). The first row is the header; blank rows are
 * skipped; a row with a different number of cells is kept (reported later by field checks), not a parse failure.
 * A stray quote inside a cell (`5"2`) is read as a character, as Excel does. Quoting the parser cannot recover from
 * (a quote never closed, text right after a closing quote) refuses the whole file with the line to fix: after such
 * an error the rest of the file cannot be trusted, and nothing is better than the wrong half.
 */
export function readCsv(text: string): CsvTable {
  const records: Array<{ line: number; cells: string[] }> = [];
  let failure: string | null = null;
  // csv-parse counts each \r and \n inside a quoted cell as a line (a CRLF inside a cell counts twice), so its line
  // numbers drift after such a cell; `drift` takes that back out, so reported lines are the file's own.
  let drift = 0;
  let lastEnd = 0;
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      skip_records_with_error: true,
      on_record: (cells: string[], context: InfoRecord) => {
        const breaks = cells.reduce((n, c) => n + (c.match(/[\r\n]/g)?.length ?? 0), 0);
        const pairs = cells.reduce((n, c) => n + (c.match(/\r\n/g)?.length ?? 0), 0);
        records.push({ line: context.lines - breaks - drift, cells });
        drift += pairs;
        lastEnd = context.lines - drift;
        return null;
      },
      on_skip: (err: CsvError | undefined) => {
        failure ??= unreadableMessage(
          err?.code,
          err?.code === 'CSV_QUOTE_NOT_CLOSED'
            ? lastEnd + 1
            : ((err as { lines?: number } | undefined)?.lines ?? lastEnd + 1) - drift,
        );
        return undefined;
      },
    });
  } catch (err) {
    const e = err as { code?: string; lines?: number };
    failure ??= unreadableMessage(e.code, (e.lines ?? lastEnd + 1) - drift);
  }
  if (failure) throw badRequest('import_unreadable', failure);
  if (records.length === 0) throw badRequest('import_empty', '檔案是空的。');
  const headers = records[0].cells.map((h) => h.trim());
  if (headers.every((h) => !h)) throw badRequest('import_no_header', '第一列必須是欄位名稱。');
  if (headers.length > MAX_IMPORT_COLUMNS) {
    throw badRequest(
      'import_too_many_columns',
      `這個檔案有 ${headers.length} 個欄位，最多 ${MAX_IMPORT_COLUMNS} 個。請只保留要匯入的欄位後再上傳。`,
    );
  }
  if (headers.some((h) => h.length > MAX_HEADER_LENGTH)) {
    throw badRequest(
      'import_no_header',
      `第一列必須是欄位名稱（每個最多 ${MAX_HEADER_LENGTH} 個字）；這個檔案的第一列看起來是資料。`,
    );
  }
  const seen = new Set<string>();
  for (const h of headers) {
    if (h && seen.has(h)) throw badRequest('import_duplicate_header', `欄位名稱「${h}」重複出現，請修改後再上傳。`);
    seen.add(h);
  }
  if (records.length - 1 > MAX_IMPORT_ROWS)
    throw badRequest('import_too_many_rows', `一次最多匯入 ${MAX_IMPORT_ROWS.toLocaleString()} 筆，請分批匯入。`);
  const rows = records.slice(1).filter((r) => r.cells.some((c) => c !== ''));
  if (rows.length === 0) throw badRequest('import_no_rows', '檔案只有標題列，沒有會員資料。');
  return { headers, rows };
}

/** What went wrong in the file, in words a marketer can act on (csv-parse's own messages are English). */
function unreadableMessage(code: string | undefined, line: number): string {
  const at = line > 0 ? `第 ${line} 行` : '檔案中';
  if (code === 'CSV_QUOTE_NOT_CLOSED')
    return `無法讀取 CSV 檔：${at}的引號（"）沒有結束，之後的內容都無法讀取。請檢查這一行後再上傳。`;
  if (code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    return `無法讀取 CSV 檔：${at}的引號（"）後面緊接著其他文字。含逗號的內容請整格用引號包起來，內容中的引號請寫成兩個（""）。`;
  }
  return `無法讀取 CSV 檔：${at}附近的格式有誤，請用 Excel 或 Google 試算表重新匯出後再上傳。`;
}
