import { DEFAULT_PERSONA_SCRIPT } from '../../../domain/persona/default-script';
import {
  answerPersona,
  type EngineContext,
  freshPersonaState,
  type PersonaInput,
  type PersonaState,
  restartPersona,
  resumePersona,
  startPersona,
} from '../../../domain/persona/persona-engine';
import { type PersonaScriptInput, PersonaScriptSchema } from '../../../domain/persona/persona-script.schema';

/**
 * The engine's outcomes without any channel: which question comes next, why an answer is refused, what the
 * profile gets. How the chat words and shows them is tested in test/unit/bot/persona-chat.test.ts.
 */
const script = PersonaScriptSchema.parse(DEFAULT_PERSONA_SCRIPT);
const ctx: EngineContext = { script, today: '2025-03-10', now: new Date('2025-03-10T04:00:00Z') };
const text = (s: string): PersonaInput => ({ kind: 'text', text: s });
const button = (
  questionId: string,
  op: 'pick' | 'toggle' | 'done' | 'skip' | 'date',
  optionId?: string,
  date?: string,
): PersonaInput => ({ kind: 'button', questionId, op, optionId, date });
const run = (state: PersonaState, ...inputs: PersonaInput[]) =>
  inputs.reduce((s, input) => answerPersona(ctx, s, input).state, state);

describe('persona engine (channel-neutral)', () => {
  it('starts with the intro and the first question; restart and resume say why the question comes', () => {
    expect(startPersona(ctx, null).replies).toEqual([{ kind: 'intro' }, { kind: 'question', questionId: 'gender' }]);
    expect(restartPersona(ctx).replies).toEqual([{ kind: 'question', questionId: 'gender', lead: 'restarted' }]);
    const mid = run(freshPersonaState('gender'), button('gender', 'pick', 'male'));
    expect(resumePersona(ctx, mid).replies).toEqual([{ kind: 'question', questionId: 'birthday', lead: 'resume' }]);
    expect(startPersona(ctx, mid).state).toEqual(mid);
  });

  it('an answer moves to the next question with the profile update', () => {
    const s = answerPersona(ctx, freshPersonaState('gender'), text('女生'));
    expect(s.replies).toEqual([{ kind: 'question', questionId: 'birthday' }]);
    expect(s.updates).toEqual({ set: { gender: 'female' }, addTags: [], removeTags: [] });
    expect(s.answered).toEqual({ questionId: 'gender', title: '性別', label: '女性', skipped: false });
    expect(s.state.answers.gender).toEqual({ value: 'female', label: '女性', at: ctx.now.toISOString() });
  });

  it('a skipped question is reported without a label (the channel words it)', () => {
    const s = answerPersona(ctx, freshPersonaState('gender'), button('gender', 'skip'));
    expect(s.answered).toEqual({ questionId: 'gender', title: '性別', label: '', skipped: true });
    expect(s.state.skipped).toEqual(['gender']);
  });

  it('refusals carry a reason code and leave the answers unchanged', () => {
    const atBirthday = run(freshPersonaState('gender'), button('gender', 'skip'));
    const bad = answerPersona(ctx, atBirthday, button('birthday', 'date', undefined, '2099-01-01'));
    expect(bad.replies).toEqual([{ kind: 'reprompt', questionId: 'birthday', reason: 'invalid' }]);
    expect(bad.state).toEqual(atBirthday);
    expect(answerPersona(ctx, atBirthday, button('gender', 'pick', 'male')).replies).toEqual([
      { kind: 'question', questionId: 'birthday', lead: 'stale' },
    ]);
    expect(answerPersona(ctx, atBirthday, { kind: 'unknown_button' }).replies).toEqual([
      { kind: 'question', questionId: 'birthday', lead: 'stale' },
    ]);

    const atCity = run(atBirthday, button('birthday', 'skip'));
    const other = answerPersona(ctx, atCity, button('city', 'pick', 'other'));
    expect(other.replies).toEqual([{ kind: 'reprompt', questionId: 'city', reason: 'ask_other' }]);
    expect(other.state.awaitingText).toBe(true);
  });

  it('a county typed without 縣/市 is taken as its full name', () => {
    const atCity = run(freshPersonaState('city'));
    const asked = answerPersona(ctx, atCity, button('city', 'pick', 'other')).state;
    for (const [typed, stored] of [
      ['宜蘭', '宜蘭縣'],
      ['臺東', '臺東縣'],
      ['馬祖', '連江縣'],
      ['花蓮縣', '花蓮縣'],
    ]) {
      const s = answerPersona(ctx, asked, text(typed));
      expect(s.answered).toMatchObject({ questionId: 'city', label: stored });
    }
    expect(answerPersona(ctx, asked, text('嘉義')).replies).toEqual([
      { kind: 'reprompt', questionId: 'city', reason: 'ask_other' },
    ]);
  });

  it('multi choice reports progress codes until 完成', () => {
    const atInterests = run(freshPersonaState('interests'));
    const reason = (state: PersonaState, input: PersonaInput) => answerPersona(ctx, state, input).replies[0];
    expect(reason(atInterests, button('interests', 'done'))).toMatchObject({ reason: 'none_picked' });
    const one = answerPersona(ctx, atInterests, button('interests', 'toggle', 'pets'));
    expect(one.replies[0]).toMatchObject({ reason: 'picked' });
    expect(reason(one.state, button('interests', 'toggle', 'pets'))).toMatchObject({ reason: 'unpicked_all' });
    expect(reason(one.state, text('火箭'))).toMatchObject({ reason: 'invalid' });

    const interests = DEFAULT_PERSONA_SCRIPT.questions.find((q) => q.id === 'interests')!;
    const two = PersonaScriptSchema.parse({
      ...DEFAULT_PERSONA_SCRIPT,
      questions: [{ ...interests, maxSelections: 1 } as typeof interests],
    });
    const c: EngineContext = { ...ctx, script: two };
    const picked = answerPersona(c, freshPersonaState('interests'), text('3C')).state;
    expect(answerPersona(c, picked, text('美妝')).replies[0]).toMatchObject({ reason: 'max_reached' });
  });

  it('a required question refuses 略過', () => {
    const strict = PersonaScriptSchema.parse({
      ...DEFAULT_PERSONA_SCRIPT,
      questions: [{ ...DEFAULT_PERSONA_SCRIPT.questions[0], skippable: false }],
    } satisfies PersonaScriptInput);
    const s = answerPersona({ ...ctx, script: strict }, freshPersonaState('gender'), text('略過'));
    expect(s.replies).toEqual([{ kind: 'reprompt', questionId: 'gender', reason: 'cannot_skip' }]);
  });

  it('the last answer completes, once', () => {
    const atLast = freshPersonaState('phone');
    const done = answerPersona(ctx, atLast, text('0912 345 678'));
    expect(done).toMatchObject({
      completedNow: true,
      replies: [{ kind: 'completion' }],
      state: { status: 'completed', current: null },
    });
    expect(answerPersona(ctx, done.state, text('早上'))).toMatchObject({ completedNow: false, replies: [] });
  });
});

describe('the optional phone question (#16.6)', () => {
  const atPhone = freshPersonaState('phone');

  it('takes a Taiwan mobile in the forms people write it and stores it as 09XXXXXXXX', () => {
    for (const typed of [
      '0912345678',
      '0912-345-678',
      '0912 345 678',
      '+886 912 345 678',
      '+886912345678',
      '０９１２３４５６７８',
    ])
      expect(answerPersona(ctx, atPhone, text(typed)).updates.set).toEqual({ phone: '0912345678' });
  });

  it("re-asks an invalid number with the script's friendly message and changes nothing", () => {
    for (const bad of ['0212345678', '091234567', '09123456789', '我不知道', '+1 912 345 678']) {
      const s = answerPersona(ctx, atPhone, text(bad));
      expect(s.replies).toEqual([{ kind: 'reprompt', questionId: 'phone', reason: 'invalid' }]);
      expect(s.updates).toEqual({ set: {}, addTags: [], removeTags: [] });
      expect(s.state).toEqual(atPhone);
    }
  });

  it('略過 skips it and completes without a phone', () => {
    const s = answerPersona(ctx, atPhone, text('略過'));
    expect(s).toMatchObject({ completedNow: true, updates: { set: {} } });
    expect(s.state.skipped).toEqual(['phone']);
  });

  it('the phone field only takes a text question with the phone validator', () => {
    const bad = PersonaScriptSchema.safeParse({
      intro: '嗨',
      completion: '謝謝',
      questions: [{ id: 'tel', type: 'text', field: 'phone', prompt: '手機？' }],
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('手機欄位必須是手機驗證的文字題');
  });
});
