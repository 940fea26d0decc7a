import { answerLabelOf, openPersonaQuestions } from '../../../domain/persona/persona-answers';
import { defaultPersonaScript } from '../../../domain/persona/persona-script.service';
import { PersonaScriptSchema } from '../../../domain/persona/persona-script.schema';

/** What counts as answered: the member's fields and persona tags first, the Q&A state's answers as a fallback. */
describe('persona answers', () => {
  const script = defaultPersonaScript();
  const q = (id: string) => script.questions.find((x) => x.id === id)!;
  const tag = (t: string, source = 'persona') => ({ tag: t, source });
  const full = {
    gender: 'female',
    birthday: '1990-05-20',
    city: '宜蘭縣',
    tags: [tag('興趣:3C')],
    preferences: { priceSensitivity: 'low', promotionType: 'bogo', contactTime: 'any' },
    phone: '0912345678',
  };

  it('reads fields as option labels, typed values as they are, multi choice from persona tags only', () => {
    expect(answerLabelOf(q('gender'), full, null)).toBe('女性');
    expect(answerLabelOf(q('city'), full, null)).toBe('宜蘭縣');
    expect(answerLabelOf(q('birthday'), full, null)).toBe('1990/05/20');
    expect(answerLabelOf(q('price'), full, null)).toBe('品質優先');
    expect(answerLabelOf(q('interests'), full, null)).toBe('3C');
    // Summaries are read by staff too: the phone masked; one waiting for a merge decision counts as answered.
    expect(answerLabelOf(q('phone'), full, null)).toBe('0912***678');
    expect(answerLabelOf(q('phone'), { phoneClaim: { phone: '0987654321' } } as object, null)).toBe('0987***321');
    expect(answerLabelOf(q('interests'), { tags: [tag('興趣:3C', 'staff')] }, null)).toBeNull();
    // A field emptied since (by staff or the card) is unanswered, whatever the chat once heard.
    expect(
      answerLabelOf(q('city'), {}, { answers: { city: { value: '台北市', label: '台北市', at: '' } } }),
    ).toBeNull();
  });

  it('nothing is open when every question is answered on the member or skipped in the chat', () => {
    expect(openPersonaQuestions(script, full, null)).toEqual([]);
    const { birthday: _b, ...noBirthday } = full;
    expect(openPersonaQuestions(script, noBirthday, null).map((x) => x.id)).toEqual(['birthday']);
    expect(openPersonaQuestions(script, noBirthday, { answers: {}, skipped: ['birthday'] })).toEqual([]);
    expect(openPersonaQuestions(script, {}, null)).toHaveLength(script.questions.length);
  });

  it('questions that fill no field (a number) count only when answered in the chat', () => {
    const s = PersonaScriptSchema.parse({
      intro: '開始',
      completion: '完成',
      questions: [{ id: 'household', type: 'number', prompt: '家裡有幾個人？', min: 1, max: 20 }],
    });
    expect(openPersonaQuestions(s, full, null).map((x) => x.id)).toEqual(['household']);
    expect(
      openPersonaQuestions(s, full, { answers: { household: { value: 3, label: '3', at: '' } }, skipped: [] }),
    ).toEqual([]);
  });
});
