import type { CsvTable } from './csv-reader';
import {
  FIELD_BY_KEY,
  IDENTIFIER_FIELDS,
  IMPORT_FIELD_KEYS,
  type ImportFieldKey,
  type ParsedValue,
} from './import-fields';

export interface RowError {
  line: number;
  field: string;
  value?: string;
  reason: string;
}
export type RowValues = Partial<Record<ImportFieldKey, ParsedValue>>;
export interface ParsedRow {
  line: number;
  values: RowValues;
  /** Optional fields whose value was dropped (the member is still imported without them), #17.6. */
  warnings?: RowError[];
}

export type ImportMapping = Record<string, ImportFieldKey | ''>;

/** Problems with a mapping as a whole (zh-TW), or an empty list. */
export function mappingProblems(headers: string[], mapping: ImportMapping): string[] {
  const problems: string[] = [];
  const used = new Map<string, string>();
  for (const [header, key] of Object.entries(mapping)) {
    if (!key) continue;
    if (!headers.includes(header)) problems.push(`檔案中沒有「${header}」這個欄位。`);
    if (!IMPORT_FIELD_KEYS.includes(key)) problems.push(`「${header}」對應到未知的欄位。`);
    const label = FIELD_BY_KEY.get(key)?.label ?? key;
    if (used.has(key)) problems.push(`「${used.get(key)}」和「${header}」都對應到「${label}」，每個欄位只能對應一次。`);
    used.set(key, header);
  }
  if (!IDENTIFIER_FIELDS.some((k) => used.has(k))) {
    problems.push('請至少對應一個識別欄位：會員編號、手機或 LINE userId（用來比對既有會員）。');
  }
  return problems;
}

/**
 * Reads every row through the mapping: field checks, at least one identifier per row, and no identifier used by
 * two rows of the same file. A bad identifier refuses the row; a bad optional field (a malformed email, a future
 * birthday) is dropped with a warning and the row is kept, so a typo never loses the member. Pure; the database
 * checks come after (see member-upsert.ts).
 */
export function parseRows(
  table: CsvTable,
  mapping: ImportMapping,
): { rows: ParsedRow[]; errors: RowError[]; warnings: RowError[] } {
  // Own keys only: a column named "constructor" or "toString" must not pick up Object.prototype's members.
  const columns = table.headers
    .map((header, index) => ({ index, key: Object.hasOwn(mapping, header) ? mapping[header] : '' }))
    .filter((c): c is { index: number; key: ImportFieldKey } => IMPORT_FIELD_KEYS.includes(c.key as ImportFieldKey));
  const rows: ParsedRow[] = [];
  const errors: RowError[] = [];
  const warnings: RowError[] = [];
  const firstSeen = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const values: RowValues = {};
    const rowErrors: RowError[] = [];
    const rowWarnings: RowError[] = [];
    if (cells.length > table.headers.length) {
      // More cells than headers usually means an unquoted comma shifted the columns: no cell can be trusted.
      errors.push({
        line,
        field: '整列',
        reason: `有 ${cells.length} 個欄位，但標題列只有 ${table.headers.length} 個（可能有未加引號的逗號）`,
      });
      continue;
    }
    for (const { index, key } of columns) {
      // A leading apostrophe is how our export (and Excel users) keep a value from being read as a formula.
      // `="0912345678"` is how our export keeps a phone's leading 0 in Excel (member-export.service.ts excelText).
      const raw = (cells[index] ?? '')
        .trim()
        .replace(/^'(?=[=+\-@])/, '')
        .replace(/^="(\d+)"$/, '$1');
      if (!raw) continue; // an empty cell changes nothing
      const field = FIELD_BY_KEY.get(key)!;
      const parsed = field.parse(raw);
      if (parsed.ok) values[key] = parsed.value;
      else {
        const problem = { line, field: field.label, value: raw.slice(0, 100), reason: parsed.reason };
        if (IDENTIFIER_FIELDS.includes(key)) rowErrors.push(problem);
        else rowWarnings.push({ ...problem, reason: `${parsed.reason}，此欄位不匯入` });
      }
    }
    if (
      !rowErrors.some((e) => IDENTIFIER_FIELDS.some((k) => FIELD_BY_KEY.get(k)!.label === e.field)) &&
      !IDENTIFIER_FIELDS.some((k) => values[k])
    ) {
      rowErrors.push({ line, field: '識別欄位', reason: '缺少會員編號、手機或 LINE userId，無法比對會員' });
    }
    for (const key of IDENTIFIER_FIELDS) {
      const v = values[key];
      if (typeof v !== 'string') continue;
      const earlier = firstSeen.get(`${key}:${v}`);
      if (earlier !== undefined)
        rowErrors.push({ line, field: FIELD_BY_KEY.get(key)!.label, value: v, reason: `與第 ${earlier} 行重複` });
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    for (const key of IDENTIFIER_FIELDS)
      if (typeof values[key] === 'string') firstSeen.set(`${key}:${values[key]}`, line);
    warnings.push(...rowWarnings);
    rows.push(rowWarnings.length ? { line, values, warnings: rowWarnings } : { line, values });
  }
  return { rows, errors, warnings };
}
