import { readCsv } from '../../../domain/imports/csv-reader';
import { parseBirthday, suggestMapping } from '../../../domain/imports/import-fields';
import { mappingProblems, parseRows } from '../../../domain/imports/import-rows';
import { maskPhone, normalizeTaiwanMobile } from '../../../domain/shared/phone';
import { excelText, neutralizeFormula } from '../../../domain/imports/member-export.service';

describe('Taiwan mobile numbers', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['0912-345-678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['+886 912 345 678', '0912345678'],
    ['886912345678', '0912345678'],
    ['912345678', '0912345678'],
    ['(09)12345678', '0912345678'],
  ])('%s → %s', (raw, phone) => expect(normalizeTaiwanMobile(raw)).toBe(phone));

  it.each(['12345', '0212345678', '091234567', '09123456789', 'abc', ''])('refuses %s', (raw) =>
    expect(normalizeTaiwanMobile(raw)).toBeNull(),
  );

  it('masks for display', () => expect(maskPhone('0912345678')).toBe('0912***678'));
});

describe('birthdays as people write them', () => {
  const today = new Date('2025-06-01T00:00:00Z');
  it.each([
    ['1990-03-12', '1990-03-12'],
    ['1990/3/2', '1990-03-02'],
    ['19900312', '1990-03-12'],
    ['79/3/12', '1990-03-12'],
    ['079/03/12', '1990-03-12'],
    ['民國79年3月12日', '1990-03-12'],
    ['2000.2.29', '2000-02-29'],
  ])('%s → %s', (raw, date) => expect(parseBirthday(raw, today)).toBe(date));

  it.each(['1990-02-30', '1990-13-01', '2030-01-01', '1899-12-31', 'next week', '1990-3'])('refuses %s', (raw) =>
    expect(parseBirthday(raw, today)).toBeNull(),
  );
});

describe('column mapping', () => {
  it('suggests fields from Chinese and English headers, each field once', () => {
    expect(
      suggestMapping([
        '會員編號',
        '姓名',
        '行動電話',
        'E-mail',
        '出生日期',
        '縣市',
        'Tags',
        '行銷同意',
        '電話',
        '備註',
      ]),
    ).toEqual({
      會員編號: 'memberCode',
      姓名: 'name',
      行動電話: 'phone',
      'E-mail': 'email',
      出生日期: 'birthday',
      縣市: 'city',
      Tags: 'tags',
      行銷同意: 'marketingConsent',
    });
  });

  it('needs an identifier and refuses a field mapped twice or an unknown header', () => {
    expect(mappingProblems(['姓名'], { 姓名: 'name' })).toEqual([expect.stringContaining('識別欄位')]);
    expect(mappingProblems(['a', 'b'], { a: 'phone', b: 'phone' })).toEqual([expect.stringContaining('只能對應一次')]);
    expect(mappingProblems(['a'], { a: 'phone', z: 'name' })).toEqual([expect.stringContaining('沒有「z」')]);
  });
});

describe('row parsing', () => {
  const table = readCsv(
    [
      '手機,姓名,性別,標籤,同意',
      '0912345678,王小美,女,"咖啡, 甜點、咖啡",是',
      '0912345678,重複,,,',
      ',沒有手機,,,',
      "0922333444,'=SUM(A1),男,,N",
      '0933444555,多一欄,,,,多的',
      '0944555666,性別錯,貓,,也許',
    ].join('\n'),
  );
  const { rows, errors, warnings } = parseRows(table, {
    手機: 'phone',
    姓名: 'name',
    性別: 'gender',
    標籤: 'tags',
    同意: 'marketingConsent',
  });

  it('reads good rows into typed values (tags split and de-duplicated, formula guard removed)', () => {
    expect(rows).toEqual([
      {
        line: 2,
        values: {
          phone: '0912345678',
          name: '王小美',
          gender: 'female',
          tags: ['咖啡', '甜點'],
          marketingConsent: true,
        },
      },
      { line: 5, values: { phone: '0922333444', name: '=SUM(A1)', gender: 'male', marketingConsent: false } },
      // Bad optional fields are dropped with a warning; the member is kept (#17.6).
      { line: 7, values: { phone: '0944555666', name: '性別錯' }, warnings },
    ]);
  });

  it('reports every problem with line, field and reason: identifiers refuse the row, optional fields warn', () => {
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [3, '手機'],
      [4, '識別欄位'],
      [6, '整列'],
    ]);
    expect(errors[0].reason).toBe('與第 2 行重複');
    expect(warnings.map((e) => [e.line, e.field, e.value])).toEqual([
      [7, '性別', '貓'],
      [7, '同意行銷訊息', '也許'],
    ]);
    expect(warnings[0].reason).toBe('性別請填 男、女、其他 或 不透露，此欄位不匯入');
  });

  it('a future birthday is reported as such, not as "not a date"', () => {
    const r = parseRows(readCsv('手機,生日\n0912345678,2999-01-01\n0912345679,1990-02-30'), {
      手機: 'phone',
      生日: 'birthday',
    });
    expect(r.rows.map((x) => x.values)).toEqual([{ phone: '0912345678' }, { phone: '0912345679' }]);
    expect(r.warnings.map((w) => w.reason)).toEqual([
      '生日晚於今天（請確認年份，民國年請寫 79/3/12），此欄位不匯入',
      '生日不是有效的日期（例：1990-03-12 或 79/3/12），此欄位不匯入',
    ]);
  });

  it('reads back the ="0912345678" form the export writes so Excel keeps the leading 0', () => {
    const r = parseRows(readCsv('手機\n"=""0912345678"""'), { 手機: 'phone' });
    expect(excelText('0912345678')).toBe('="0912345678"');
    expect(r.rows).toEqual([{ line: 2, values: { phone: '0912345678' } }]);
  });

  it('neutralizes formulas on export in the form the importer strips', () => {
    expect(neutralizeFormula('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutralizeFormula('王小美')).toBe('王小美');
  });
});

describe('CSV reading', () => {
  it('keeps quoted commas and line breaks, skips blank lines, and numbers rows by their first line', () => {
    const t = readCsv('\uFEFF姓名,備註\n"王, 小美","第一行\n第二行"\n\n林大明,x\n');
    expect(t.headers).toEqual(['姓名', '備註']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['王, 小美', '第一行\n第二行'] },
      { line: 5, cells: ['林大明', 'x'] },
    ]);
  });

  it('refuses duplicate headers and unreadable files', () => {
    expect(() => readCsv('手機,手機\n1,2')).toThrow(/重複/);
    expect(() => readCsv('a,b\n"1,2\n')).toThrow(/無法讀取/);
  });
});
