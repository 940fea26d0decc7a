import { toCsv } from '../../../console/src/ui/csv';
import { legendValue } from '../../../console/src/ui/chart-legend';
import { readCsv } from '../../../domain/imports/csv-reader';

describe('#17.3 dashboard tables export as CSV', () => {
  it('starts with a UTF-8 BOM, keeps zh-TW headers and CRLF rows, and reads back cell for cell', () => {
    const text = toCsv(
      ['月份', '門市', '會員營收'],
      [
        ['2025-12', '台北101店', 1800],
        ['2026-01', null, 300],
      ],
    );
    expect(text.startsWith('\uFEFF月份,門市,會員營收\r\n')).toBe(true);
    expect(text).toBe('\uFEFF月份,門市,會員營收\r\n2025-12,台北101店,1800\r\n2026-01,,300\r\n');
    const back = readCsv(text);
    expect(back.headers).toEqual(['月份', '門市', '會員營收']);
    expect(back.rows.map((r) => r.cells)).toEqual([
      ['2025-12', '台北101店', '1800'],
      ['2026-01', '', '300'],
    ]);
  });

  it('quotes commas, quotes and line breaks, and defuses cells Excel would run as a formula', () => {
    const text = toCsv(
      ['活動名稱', '數字'],
      [
        ['週年慶, "限定"\n第二行', -5],
        ['=HYPERLINK("x")', '-12'],
      ],
    );
    const back = readCsv(text);
    expect(back.rows.map((r) => r.cells)).toEqual([
      ['週年慶, "限定"\n第二行', '-5'],
      [`'=HYPERLINK("x")`, '-12'],
    ]);
  });
});

describe('#17.3 chart legends read figures, not "—"', () => {
  it('shows the value under the cursor, and the latest value when the cursor is off the chart', () => {
    expect(legendValue([3, 1200, 45], 1200)).toBe('1,200');
    expect(legendValue([3, 1200, 4500], null)).toBe('4,500');
    expect(legendValue([], null)).toBe('—');
  });
});
