import { readProfileAnswers } from '../../../domain/persona/profile-form';
import { defaultPersonaScript } from '../../../domain/persona/persona-script.service';

/** The card's profile form is judged by the chat's persona engine: same parsing, same tags. */
describe('readProfileAnswers', () => {
  const script = defaultPersonaScript();
  const now = new Date('2025-06-15T04:00:00Z');
  const read = (answers: Record<string, string>) => readProfileAnswers(script, answers, '2025-06-15', now);

  it('reads dates the way the chat does (民國 years, slashes) and derives the birth month', () => {
    const { edits, errors } = read({ birthday: '79/5/20' });
    expect(errors).toEqual([]);
    expect(edits[0]).toMatchObject({
      questionId: 'birthday',
      value: '1990-05-20',
      set: { birthday: '1990-05-20', birthMonth: 5 },
    });
  });

  it('refuses impossible and future dates', () => {
    expect(read({ birthday: '1990-02-30' }).errors[0].path).toBe('answers.birthday');
    expect(read({ birthday: '2025-06-16' }).errors).toHaveLength(1);
    expect(read({ birthday: '2025-06-15' }).errors).toEqual([]);
  });

  it('maps aliases and typed "other" answers like the chat', () => {
    expect(read({ city: '臺中' }).edits[0]).toMatchObject({ value: '台中市', set: { city: '台中市' } });
    expect(read({ city: '宜蘭縣' }).edits[0]).toMatchObject({ value: '宜蘭縣' });
    expect(read({ city: '略過' }).errors).toHaveLength(1);
  });

  it("turns choices into fields and tags, replacing the question's other tags", () => {
    const { edits } = read({ price: 'quality', interests: 'pets,3c' });
    const price = edits.find((e) => e.questionId === 'price')!;
    expect(price).toMatchObject({
      set: { 'preferences.priceSensitivity': 'low' },
      addTags: ['重視品質'],
      removeTags: ['價格敏感'],
    });
    const interests = edits.find((e) => e.questionId === 'interests')!;
    expect(interests.addTags.sort()).toEqual(['興趣:3C', '興趣:寵物']);
    expect(interests.label).toBe('3C、寵物');
  });

  it('clears an answer when the field is emptied', () => {
    const { edits } = read({ birthday: '', interests: '' });
    expect(edits.find((e) => e.questionId === 'birthday')).toMatchObject({
      value: null,
      unset: ['birthday', 'birthMonth'],
    });
    expect(edits.find((e) => e.questionId === 'interests')!.removeTags).toContain('興趣:美妝');
  });

  it('reports every bad field at once', () => {
    const { edits, errors } = read({ gender: 'robot', interests: 'beauty,nope', unknown: 'x', birthday: '1990-01-01' });
    expect(errors.map((e) => e.path).sort()).toEqual(['answers.gender', 'answers.interests', 'answers.unknown']);
    expect(edits.map((e) => e.questionId)).toEqual(['birthday']);
  });
});
