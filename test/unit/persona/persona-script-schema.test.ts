import { DEFAULT_PERSONA_SCRIPT } from '../../../domain/persona/default-script';
import { type PersonaScriptInput, PersonaScriptSchema } from '../../../domain/persona/persona-script.schema';

const base = (questions: unknown[]): unknown => ({ intro: '開始', completion: '謝謝', questions });
const issues = (input: unknown) => {
  const r = PersonaScriptSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const single = (over: Record<string, unknown> = {}) => ({
  id: 'q',
  type: 'single',
  prompt: '?',
  options: [
    { id: 'a', label: 'A' },
    { id: 'b', label: 'B' },
  ],
  ...over,
});

describe('persona script schema', () => {
  it('accepts the default script, with the types and fields the issue asks for', () => {
    const script = PersonaScriptSchema.parse(DEFAULT_PERSONA_SCRIPT);
    expect(script.questions.map((q) => `${q.id}:${q.type}`)).toEqual([
      'gender:single',
      'birthday:date',
      'city:single',
      'interests:multi',
      'price:single',
      'promotion:single',
      'contact-time:single',
      'phone:text',
    ]);
    expect(script.questions.every((q) => q.skippable)).toBe(true);
    const city = script.questions.find((q) => q.id === 'city');
    expect(city && 'options' in city ? city.options.map((o) => o.label) : []).toEqual([
      '台北市',
      '新北市',
      '桃園市',
      '台中市',
      '台南市',
      '高雄市',
      '新竹',
      '其他',
    ]);
  });

  it('refuses duplicate ids, too many buttons and long labels', () => {
    expect(issues(base([single(), single()]))).toEqual([expect.stringContaining('題目代號「q」重複')]);
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, label: `選項${i}` }));
    expect(issues(base([single({ options: options(12) })]))).toEqual([]);
    expect(issues(base([single({ options: options(13) })])).length).toBe(1);
    expect(issues(base([{ id: 'm', type: 'multi', prompt: '?', options: options(12) }])).length).toBe(1);
    expect(
      issues(
        base([
          single({
            options: [
              { id: 'a', label: '這是一個超過二十個字的選項標籤文字內容太長了' },
              { id: 'b', label: 'B' },
            ],
          }),
        ]),
      ).length,
    ).toBe(1);
    expect(
      issues(
        base([
          single({
            options: [
              { id: 'a', label: 'A' },
              { id: 'a', label: 'B' },
            ],
          }),
        ]),
      ),
    ).toEqual([expect.stringContaining('選項代號「a」重複')]);
  });

  it('ties fields to fitting question types', () => {
    expect(issues(base([single({ field: 'birthday' })]))).toEqual([expect.stringContaining('生日欄位必須使用日期題')]);
    expect(issues(base([single({ field: 'gender' })]))).toEqual([expect.stringContaining('性別選項的值必須是')]);
    expect(issues(base([{ id: 'd', type: 'date', prompt: '?', field: 'city' }]))).toEqual([
      expect.stringContaining('日期題只能填寫生日欄位'),
    ]);
    expect(issues(base([single({ field: 'city' }), single({ id: 'q2', field: 'city' })]))).toEqual([
      expect.stringContaining('已由其他題目填寫'),
    ]);
    expect(issues(base([{ id: 'e', type: 'text', prompt: '?', field: 'email' }]))).toEqual([
      expect.stringContaining('Email 欄位'),
    ]);
    expect(issues(base([{ id: 'x', type: 'text', prompt: '?', field: 'passwordHash' }])).length).toBe(1);
  });

  it('refuses bad ids, bad regexes and unknown types', () => {
    expect(issues(base([single({ id: 'Has Space' })])).length).toBe(1);
    expect(
      issues(base([{ id: 't', type: 'text', prompt: '?', validator: { kind: 'pattern', pattern: '([' } }])).length,
    ).toBe(1);
    expect(issues(base([{ id: 'v', type: 'video', prompt: '?' }])).length).toBe(1);
    expect(issues(base([])).length).toBe(1);
    expect(issues({ questions: [single()] }).length).toBe(2);
  });

  it('fills defaults (skippable, validator, date bounds)', () => {
    const s = PersonaScriptSchema.parse(
      base([
        { id: 'd', type: 'date', prompt: '?' },
        { id: 't', type: 'text', prompt: '?' },
      ]) as PersonaScriptInput,
    );
    expect(s.questions[0]).toMatchObject({
      skippable: true,
      notFuture: true,
      minDate: '1900-01-01',
      initial: '1990-01-01',
    });
    expect(s.questions[1]).toMatchObject({ validator: { kind: 'any', minLength: 1, maxLength: 50 } });
  });
});
