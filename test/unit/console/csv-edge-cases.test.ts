import { readCsv } from '../../../domain/imports/csv-reader';
import { parseRows } from '../../../domain/imports/import-rows';
import type { AppError } from '../../../domain/shared/errors';

/** What a marketer's CSV really looks like: Excel's BOM and CRLF, cells with line breaks, stray quotes, mistakes. */

function refusal(text: string): AppError {
  try {
    readCsv(text);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the file to be refused');
}

const HAN = /\p{Script=Han}/u;

describe('reading CSV files', () => {
  it('reads a UTF-8 BOM and CRLF line ends (Excel on Windows)', () => {
    const table = readCsv('\uFEFF姓名,手機\r\n王小美,0912345678\r\n林大明,0922222222\r\n');
    expect(table.headers).toEqual(['姓名', '手機']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['王小美', '0912345678'] },
      { line: 3, cells: ['林大明', '0922222222'] },
    ]);
  });

  it('reports the line where each row starts after a cell with line breaks (LF file)', () => {
    const table = readCsv('姓名,備註,手機\n王小美,"第一行\n第二行",0912345678\n林大明,,0922222222\n');
    expect(table.rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('reports the right lines after a cell with CRLF line breaks (CRLF file)', () => {
    const table = readCsv(
      '姓名,備註,手機\r\n王小美,"第一行\r\n第二行\r\n第三行",0912345678\r\n林大明,,0922222222\r\n陳阿寶,"a\r\nb",0933333333\r\n',
    );
    // Line 2-4: 王小美 (a three-line cell), line 5: 林大明, line 6-7: 陳阿寶.
    expect(table.rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [2, '王小美'],
      [5, '林大明'],
      [6, '陳阿寶'],
    ]);
    expect(table.rows[0].cells[1]).toBe('第一行\r\n第二行\r\n第三行');
  });

  it('reads a stray quote inside a cell as a character, as Excel does', () => {
    const table = readCsv('姓名,身高,手機\n王小美,5"2,0912345678\n林大明,160,0922222222\n');
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['王小美', '5"2', '0912345678'],
      ['林大明', '160', '0922222222'],
    ]);
  });

  it('refuses a quote that is never closed, in zh-TW, naming the line where it opened', () => {
    const err = refusal('姓名,手機\r\n"多行\r\n備註",0912345678\r\n"王小美,0912345678\r\n林大明,0922222222\r\n');
    expect(err.code).toBe('import_unreadable');
    expect(err.userMessage).toMatch(HAN);
    expect(err.userMessage).toContain('第 4 行');
    expect(err.userMessage).not.toMatch(/Quote|parsing|line \d/);
  });

  it('refuses text right after a closing quote, in zh-TW, naming the line', () => {
    const err = refusal('姓名,手機\n"王"小美,0912345678\n林大明,0922222222\n');
    expect(err.code).toBe('import_unreadable');
    expect(err.userMessage).toContain('第 2 行');
    expect(err.userMessage).not.toMatch(/Invalid|Closing|byte/);
  });

  it('refuses an empty file, a file of blank lines and a BOM-only file', () => {
    for (const text of ['', '\n\n', '\uFEFF']) expect(refusal(text).code).toBe('import_empty');
  });

  it('refuses a header-only file (nothing to import) instead of running an empty import', () => {
    expect(refusal('姓名,手機\r\n').code).toBe('import_no_rows');
    expect(refusal('姓名,手機\n,\n').code).toBe('import_no_rows');
  });

  it('refuses a "header" that is really data (extremely long first-row cells)', () => {
    const err = refusal(`${'很長的說明'.repeat(50)},手機\nx,0912345678\n`);
    expect(err.code).toBe('import_no_header');
    expect(err.userMessage).toMatch(HAN);
  });
});

describe('reading rows through a mapping', () => {
  it('reports the second row with the same phone (in another spelling) as a duplicate of the first', () => {
    const table = readCsv('姓名,手機\n王小美,0912-345-678\n王小美,+886 912 345 678\n林大明,0922222222\n');
    const { rows, errors } = parseRows(table, { 姓名: 'name', 手機: 'phone' });
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(errors).toEqual([{ line: 3, field: '手機', value: '0912345678', reason: '與第 2 行重複' }]);
  });

  it('ignores columns named like Object members ("constructor", "toString") that are not mapped', () => {
    const table = readCsv('constructor,toString,手機\nx,y,0912345678\n');
    const { rows, errors } = parseRows(table, { 手機: 'phone' });
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ line: 2, values: { phone: '0912345678' } }]);
  });

  it('keeps extremely long cells out of the report (the value is cut) and does not import them', () => {
    const long = '名'.repeat(100_000);
    const { rows, errors, warnings } = parseRows(readCsv(`姓名,手機\n${long},0912345678\n`), {
      姓名: 'name',
      手機: 'phone',
    });
    // The name is optional: the member is kept without it (#17.6), the warning carries a cut value.
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.values)).toEqual([{ phone: '0912345678' }]);
    expect(warnings).toEqual([
      expect.objectContaining({ line: 2, field: '姓名', reason: '姓名最多 50 個字，此欄位不匯入' }),
    ]);
    expect(warnings[0].value!.length).toBeLessThanOrEqual(100);
  });
});
