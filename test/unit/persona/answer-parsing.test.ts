import {
  isDateInRange,
  isValidText,
  matchOption,
  matchOptions,
  matchSingleAnswer,
  matchYesNoOption,
  normalizeText,
  parseDateAnswer,
  parseNumberAnswer,
} from '../../../domain/persona/answer-parsing';
import { PersonaOptionSchema } from '../../../domain/persona/persona-script.schema';

const opt = (o: Record<string, unknown>) => PersonaOptionSchema.parse(o);
const cities = [
  opt({ id: 'taipei', label: '台北市', aliases: ['臺北', '台北'] }),
  opt({ id: 'kaohsiung', label: '高雄市', aliases: ['高雄'] }),
];
const interests = [
  opt({ id: '3c', label: '3C' }),
  opt({ id: 'beauty', label: '美妝', aliases: ['保養'] }),
  opt({ id: 'sports', label: '運動' }),
];

describe('typed answers', () => {
  it('normalises width, 臺/台, spaces, case and trailing punctuation', () => {
    expect(normalizeText(' 臺北市！ ')).toBe('台北市');
    expect(normalizeText('ＡＢＣ　３Ｃ')).toBe('abc3c');
  });

  it('matches an option by label, id, value or alias', () => {
    expect(matchOption(cities, '臺北市')?.id).toBe('taipei');
    expect(matchOption(cities, '台北')?.id).toBe('taipei');
    expect(matchOption(cities, 'KAOHSIUNG')?.id).toBe('kaohsiung');
    expect(matchOption(cities, '台中')).toBeNull();
    expect(matchOption(cities, '')).toBeNull();
  });

  it('reads several options from one multi-choice answer, or none if any part is unknown', () => {
    expect(matchOptions(interests, '3c、保養 運動')?.map((o) => o.id)).toEqual(['3c', 'beauty', 'sports']);
    expect(matchOptions(interests, '３Ｃ,３Ｃ')?.map((o) => o.id)).toEqual(['3c']);
    expect(matchOptions(interests, '3C 和美妝')).toBeNull();
  });

  it.each([
    ['1990-05-20', '1990-05-20'],
    ['1990/5/2', '1990-05-02'],
    ['1990.05.20', '1990-05-20'],
    ['19900520', '1990-05-20'],
    ['1990年5月20日', '1990-05-20'],
    ['民國79年5月20日', '1990-05-20'],
    ['79/5/20', '1990-05-20'],
    ['079.05.20', '1990-05-20'],
    ['１９９０－０５－２０', '1990-05-20'],
    ['2000-02-29', '2000-02-29'],
  ])('reads the date %s', (input, expected) => {
    expect(parseDateAnswer(input)).toBe(expected);
  });

  it.each(['1990-02-30', '1900-02-29', '1990-13-01', '明天', '5/20', '1990-5', '', '12345678901'])(
    'refuses %s',
    (input) => {
      expect(parseDateAnswer(input)).toBeNull();
    },
  );

  it('checks date ranges inclusively', () => {
    expect(isDateInRange('2025-03-10', '1900-01-01', '2025-03-10')).toBe(true);
    expect(isDateInRange('2025-03-11', '1900-01-01', '2025-03-10')).toBe(false);
    expect(isDateInRange('1899-12-31', '1900-01-01', null)).toBe(false);
    expect(isDateInRange('2025-02-29', '1900-01-01', null)).toBe(false);
  });

  it('reads numbers with full-width digits, separators and units', () => {
    expect(parseNumberAnswer('４')).toBe(4);
    expect(parseNumberAnswer('1,200元')).toBe(1200);
    expect(parseNumberAnswer('35歲')).toBe(35);
    expect(parseNumberAnswer('2.5')).toBe(2.5);
    expect(parseNumberAnswer('三')).toBeNull();
  });

  it('validates free text: length, links, email, pattern', () => {
    const any = { kind: 'any' as const, minLength: 1, maxLength: 5 };
    expect(isValidText('小美', any)).toBe(true);
    expect(isValidText('這句話太長了啦', any)).toBe(false);
    expect(isValidText('www.x', { ...any, maxLength: 50 })).toBe(false);
    expect(isValidText('a@b.tw', { kind: 'email', minLength: 1, maxLength: 50 })).toBe(true);
    expect(isValidText('a@b', { kind: 'email', minLength: 1, maxLength: 50 })).toBe(false);
    expect(isValidText('宜蘭縣', { kind: 'pattern', pattern: '^.{1,4}[縣市]$', minLength: 1, maxLength: 20 })).toBe(
      true,
    );
    expect(isValidText('不知道', { kind: 'pattern', pattern: '^.{1,4}[縣市]$', minLength: 1, maxLength: 20 })).toBe(
      false,
    );
  });
});

describe('#13 natural yes/no on a yes/no persona question', () => {
  const pairs = [
    [opt({ id: 'yes', label: '是' }), opt({ id: 'no', label: '否' })],
    [opt({ id: 'has', label: '有' }), opt({ id: 'none', label: '沒有' })],
    [opt({ id: 'want', label: '要' }), opt({ id: 'nowant', label: '不要' })],
    [opt({ id: 'ok', label: '好' }), opt({ id: 'skip', label: '不用' })],
  ];
  const yes = ['好', '好喔', '可以', 'OK', 'ok', '嗯', '對', '要', '沒問題'];
  const no = ['不要', '先不用', '不用了', '不了', '沒有'];

  it.each(pairs.flatMap((p) => yes.map((t) => [p[0].label, p[1].label, t, p[0].id] as const)))(
    '%s/%s: 「%s」 picks the yes option',
    (_y, _n, text, want) => {
      const p = pairs.find((x) => x[0].id === want)!;
      expect(matchSingleAnswer(p, text)?.id).toBe(want);
    },
  );

  it.each(pairs.flatMap((p) => no.map((t) => [p[0].label, p[1].label, t, p[1].id] as const)))(
    '%s/%s: 「%s」 picks the no option',
    (_y, _n, text, want) => {
      const p = pairs.find((x) => x[1].id === want)!;
      expect(matchSingleAnswer(p, text)?.id).toBe(want);
    },
  );

  it('a question whose options are not a yes/no pair takes no yes/no word', () => {
    expect(matchSingleAnswer(cities, '好')).toBeNull();
    expect(matchSingleAnswer([opt({ id: 'm', label: '男' }), opt({ id: 'f', label: '女' })], '不要')).toBeNull();
    expect(matchYesNoOption([...pairs[0], opt({ id: 'x', label: '不確定' })], '好')).toBeNull();
  });

  it('an unclear reply picks nothing', () => {
    expect(matchSingleAnswer(pairs[0], '不用了謝謝')).toBeNull();
    expect(matchSingleAnswer(pairs[0], '營業時間')).toBeNull();
  });
});
