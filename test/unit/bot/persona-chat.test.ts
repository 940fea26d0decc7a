import {
  answerPersona,
  type EngineContext,
  type PersonaChatInput as PersonaInput,
  type PersonaChatStep as PersonaStep,
  type PersonaState,
  restartPersona,
  resumePersona,
  startPersona,
} from '../../../bot/persona/persona-chat';
import { personaData } from '../../../bot/persona/prompt';
import { DEFAULT_PERSONA_SCRIPT } from '../../../domain/persona/default-script';
import { type PersonaScriptInput, PersonaScriptSchema } from '../../../domain/persona/persona-script.schema';

const script = PersonaScriptSchema.parse(DEFAULT_PERSONA_SCRIPT);
const ctx: EngineContext = { script, today: '2025-03-10', now: new Date('2025-03-10T04:00:00Z') };
const text = (s: string): PersonaInput => ({ kind: 'text', text: s });
const tap = (
  q: string,
  op: 'pick' | 'toggle' | 'done' | 'skip' | 'date',
  opt?: string,
  params?: Record<string, unknown>,
): PersonaInput => ({ kind: 'postback', data: personaData(q, op, opt), params });
const textsOf = (s: PersonaStep) => s.messages.map((m) => (m.type === 'text' ? m.text : m.type));
const buttonsOf = (s: PersonaStep) => {
  const last = s.messages[s.messages.length - 1] as { quickReply?: { items: Array<{ action: { label: string } }> } };
  return last.quickReply?.items.map((i) => i.action.label) ?? [];
};

function run(state: PersonaState, ...inputs: PersonaInput[]): PersonaStep {
  let s: PersonaStep = {
    state,
    messages: [],
    updates: { set: {}, addTags: [], removeTags: [] },
    answered: null,
    completedNow: false,
  };
  for (const input of inputs) s = answerPersona(ctx, s.state, input);
  return s;
}

describe('persona in chat (default script)', () => {
  it('starts with the intro and the first question with its buttons', () => {
    const s = startPersona(ctx, null);
    expect(s.state).toMatchObject({ status: 'active', current: 'gender' });
    expect(textsOf(s)[0]).toBe(script.intro);
    expect(textsOf(s)[1]).toContain('（1/8）請問您的性別是？');
    expect(buttonsOf(s)).toEqual(['女性', '男性', '其他', '不透露', '略過']);
  });

  it('a full run fills fields and tags and completes once', () => {
    const start = startPersona(ctx, null).state;
    const steps: PersonaStep[] = [];
    let state = start;
    const inputs = [
      tap('gender', 'pick', 'female'),
      tap('birthday', 'date', undefined, { date: '1990-05-20' }),
      text('臺北'),
      tap('interests', 'toggle', '3c'),
      text('美妝、運動'),
      tap('interests', 'done'),
      tap('price', 'pick', 'value'),
      text('免運'),
      tap('contact-time', 'pick', 'evening'),
      text('+886 912-345-678'),
    ];
    for (const input of inputs) {
      const s = answerPersona(ctx, state, input);
      steps.push(s);
      state = s.state;
    }
    const set = Object.assign({}, ...steps.map((s) => s.updates.set));
    expect(set).toEqual({
      gender: 'female',
      birthday: '1990-05-20',
      birthMonth: 5,
      city: '台北市',
      'preferences.priceSensitivity': 'high',
      'preferences.promotionType': 'free_shipping',
      'preferences.contactTime': 'evening',
      phone: '0912345678',
    });
    expect(steps.flatMap((s) => s.updates.addTags)).toEqual([
      '興趣:3C',
      '興趣:美妝',
      '興趣:運動',
      '價格敏感',
      '偏好優惠:免運',
    ]);
    expect(steps.filter((s) => s.completedNow)).toHaveLength(1);
    expect(steps[steps.length - 1].completedNow).toBe(true);
    expect(textsOf(steps[steps.length - 1])).toEqual([script.completion]);
    expect(state).toMatchObject({ status: 'completed', current: null });
    expect(state.answers.interests).toMatchObject({ value: ['3c', 'beauty', 'sports'], label: '3C、美妝、運動' });
    expect(steps.map((s) => s.answered?.title).filter(Boolean)).toEqual([
      '性別',
      '生日',
      '居住縣市',
      '興趣',
      '價格偏好',
      '偏好優惠',
      '方便聯絡時段',
      '手機',
    ]);
    // The timeline (read by staff) carries the masked number only.
    expect(steps[steps.length - 1].answered).toMatchObject({ label: '0912***678' });
  });

  it('an invalid birthday re-prompts and changes nothing', () => {
    const atBirthday = run(startPersona(ctx, null).state, tap('gender', 'skip')).state;
    for (const bad of [
      text('2030-01-01'),
      text('明天'),
      text('1990-02-30'),
      tap('birthday', 'date', undefined, { date: '2099-01-01' }),
      text('1899-12-31'),
    ]) {
      const s = answerPersona(ctx, atBirthday, bad);
      expect(s.state).toEqual(atBirthday);
      expect(s.updates).toEqual({ set: {}, addTags: [], removeTags: [] });
      expect(s.answered).toBeNull();
      expect(textsOf(s)[0]).toContain('日期好像不太對');
      expect(buttonsOf(s)).toContain('選擇日期');
    }
  });

  it('reads 民國 and compact birthdays', () => {
    const atBirthday = run(startPersona(ctx, null).state, tap('gender', 'skip')).state;
    expect(answerPersona(ctx, atBirthday, text('民國79年5月20日')).updates.set).toEqual({
      birthday: '1990-05-20',
      birthMonth: 5,
    });
    expect(answerPersona(ctx, atBirthday, text('19851231')).updates.set).toEqual({
      birthday: '1985-12-31',
      birthMonth: 12,
    });
  });

  it('略過 skips a skippable question; a required one re-prompts', () => {
    const s = run(startPersona(ctx, null).state, text('略過'));
    expect(s.state.current).toBe('birthday');
    expect(s.state.skipped).toEqual(['gender']);
    expect(s.answered).toMatchObject({ questionId: 'gender', skipped: true });

    const strict = PersonaScriptSchema.parse({
      ...DEFAULT_PERSONA_SCRIPT,
      questions: [{ ...DEFAULT_PERSONA_SCRIPT.questions[0], skippable: false }],
    } satisfies PersonaScriptInput);
    const c: EngineContext = { ...ctx, script: strict };
    const first = startPersona(c, null);
    expect(buttonsOf(first)).not.toContain('略過');
    const again = answerPersona(c, first.state, text('略過'));
    expect(again.state).toEqual(first.state);
    expect(textsOf(again)[0]).toContain('需要回答');
  });

  it('resumes where the member stopped, and restart goes back to the first question', () => {
    const mid = run(startPersona(ctx, null).state, tap('gender', 'pick', 'male'), text('1988/1/2')).state;
    const resumed = startPersona(ctx, mid);
    expect(resumed.state).toEqual(mid);
    expect(textsOf(resumed)[0]).toContain('上次停下的地方');
    expect(textsOf(resumed)[0]).toContain('（3/8）');
    expect(resumePersona(ctx, mid).state.current).toBe('city');

    const restarted = restartPersona(ctx);
    expect(restarted.state).toMatchObject({ status: 'active', current: 'gender', answers: {} });
    expect(textsOf(restarted)[0]).toContain('重新開始');
  });

  it('a stale button from an earlier question re-prompts the current one', () => {
    const atBirthday = run(startPersona(ctx, null).state, tap('gender', 'pick', 'male')).state;
    const s = answerPersona(ctx, atBirthday, tap('gender', 'pick', 'female'));
    expect(s.state).toEqual(atBirthday);
    expect(s.updates.set).toEqual({});
    expect(textsOf(s)[0]).toContain('已經回答過');
  });

  it('其他 asks for a typed county and validates it', () => {
    const atCity = run(startPersona(ctx, null).state, tap('gender', 'skip'), tap('birthday', 'skip')).state;
    const asked = answerPersona(ctx, atCity, tap('city', 'pick', 'other'));
    expect(asked.state.awaitingText).toBe(true);
    expect(textsOf(asked)[0]).toContain('請輸入您所在的縣市');
    const bad = answerPersona(ctx, asked.state, text('不知道'));
    expect(bad.state).toEqual(asked.state);
    const good = answerPersona(ctx, asked.state, text('宜蘭縣'));
    expect(good.updates.set).toEqual({ city: '宜蘭縣' });
    expect(good.state.current).toBe('interests');
    // Typed directly without pressing 其他, a county name is accepted too.
    expect(answerPersona(ctx, atCity, text('花蓮縣')).updates.set).toEqual({ city: '花蓮縣' });
  });

  it('multi choice: toggles, rejects 完成 with nothing picked, typed options add', () => {
    const atInterests = run(
      startPersona(ctx, null).state,
      tap('gender', 'skip'),
      tap('birthday', 'skip'),
      tap('city', 'skip'),
    ).state;
    const none = answerPersona(ctx, atInterests, text('完成'));
    expect(none.state).toEqual(atInterests);
    expect(textsOf(none)[0]).toContain('至少選一項');
    const on = answerPersona(ctx, atInterests, tap('interests', 'toggle', 'pets'));
    expect(on.state.picked).toEqual(['pets']);
    expect(buttonsOf(on)).toContain('✓ 寵物');
    const off = answerPersona(ctx, on.state, tap('interests', 'toggle', 'pets'));
    expect(off.state.picked).toEqual([]);
    const typed = answerPersona(ctx, off.state, text('3C 旅行'));
    expect(typed.state.picked).toEqual(['3c', 'travel']);
    const done = answerPersona(ctx, typed.state, tap('interests', 'done'));
    expect(done.updates.addTags).toEqual(['興趣:3C', '興趣:旅遊']);
    expect(done.updates.removeTags).toContain('興趣:寵物');
    expect(done.updates.removeTags).not.toContain('興趣:3C');
  });

  it('unrecognised text at a choice question re-prompts with the same buttons', () => {
    const s = startPersona(ctx, null);
    const r = answerPersona(ctx, s.state, text('我想問營業時間'));
    expect(r.state).toEqual(s.state);
    expect(textsOf(r)[0]).toContain('請從下方按鈕選一個');
    expect(buttonsOf(r)).toEqual(buttonsOf(s));
  });

  it('skips a waiting question the member answered meanwhile on the card, and completes when nothing is left', () => {
    const atBirthday = run(startPersona(ctx, null).state, tap('gender', 'pick', 'male')).state;
    const fromCard = {
      ...atBirthday,
      answers: { ...atBirthday.answers, birthday: { value: '1990-01-02', label: '1990-01-02', at: '' } },
    };
    const resumed = startPersona(ctx, fromCard);
    expect(textsOf(resumed)[0]).toContain('（3/8）您住在哪個縣市');
    const answered = answerPersona(ctx, fromCard, text('高雄'));
    expect(answered.updates.set).toEqual({ city: '高雄市' });
    expect(answered.state.current).toBe('interests');
    const all = Object.fromEntries(script.questions.map((q) => [q.id, { value: 'x', label: 'x', at: '' }]));
    const done = resumePersona(ctx, { ...atBirthday, answers: all });
    expect(done).toMatchObject({ completedNow: true, state: { status: 'completed' } });
  });

  it('a completed state ignores further input', () => {
    const done = {
      status: 'completed',
      current: null,
      picked: [],
      awaitingText: false,
      answers: {},
      skipped: [],
    } as PersonaState;
    expect(answerPersona(ctx, done, text('女')).messages).toEqual([]);
  });
});

describe('persona in chat: text and number questions', () => {
  const custom = PersonaScriptSchema.parse({
    intro: '開始',
    completion: '完成了',
    questions: [
      { id: 'email', type: 'text', field: 'email', prompt: 'Email？', validator: { kind: 'email' } },
      {
        id: 'nickname',
        type: 'text',
        field: 'name',
        prompt: '怎麼稱呼您？',
        validator: { kind: 'any', maxLength: 10 },
      },
      { id: 'household', title: '家庭人數', type: 'number', prompt: '家裡有幾個人？', min: 1, max: 20, unit: '人' },
    ],
  } satisfies PersonaScriptInput);
  const c: EngineContext = { ...ctx, script: custom };

  it('validates email, free text and numbers', () => {
    let s = startPersona(c, null);
    expect(answerPersona(c, s.state, text('not-an-email')).state).toEqual(s.state);
    s = answerPersona(c, s.state, text('Amy@Example.com'));
    expect(s.updates.set).toEqual({ email: 'amy@example.com' });
    expect(answerPersona(c, s.state, text('這個名字真的太長了超過十個字')).state).toEqual(s.state);
    expect(answerPersona(c, s.state, text('看 https://x.y')).state).toEqual(s.state);
    s = answerPersona(c, s.state, text('小美'));
    expect(s.updates.set).toEqual({ name: '小美' });
    expect(textsOf(answerPersona(c, s.state, text('0')))[0]).toContain('請輸入 1 到 20');
    expect(answerPersona(c, s.state, text('2.5')).state).toEqual(s.state);
    s = answerPersona(c, s.state, text('４人'));
    expect(s.completedNow).toBe(true);
    expect(s.state.answers.household).toMatchObject({ value: 4, label: '4人' });
  });
});
