import { applyPersonaInput } from '../../../domain/persona/persona-session';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { createPlainMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The persona step use case without any channel: the engine's outcome comes back (the chat renders it as LINE
 * messages), answers are stored with a compare-and-set, and a redelivered event never applies an answer twice.
 */
describe('applyPersonaInput', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetDb());

  const ctx = () => ({ now: env.deps.clock(), timeZone: env.config.timeZone });
  const pickGender = (optionId: string) => ({
    kind: 'answer' as const,
    input: { kind: 'button' as const, questionId: 'gender', op: 'pick' as const, optionId },
  });

  it('starts, stores an answer with its timeline entry, and re-asks instead of applying a redelivered event twice', async () => {
    const m = await createPlainMember();
    const base = { memberId: m._id, eventId: 'e1', channel: 'line' as const, skippedLabel: '略過' };

    const started = await applyPersonaInput(ctx(), { ...base, command: { kind: 'start' } });
    expect(started.step.replies.map((r) => r.kind)).toEqual(expect.arrayContaining(['intro', 'question']));
    expect(started).toMatchObject({ completed: false, reward: null });
    expect((await Member.findById(m._id).lean())!.persona?.startedAt).toBeTruthy();

    const answered = await applyPersonaInput(ctx(), { ...base, eventId: 'e2', command: pickGender('female') });
    expect(answered.step.answered).toMatchObject({ questionId: 'gender', label: '女性', skipped: false });
    expect((await Member.findById(m._id).lean())!.gender).toBe('female');

    const again = await applyPersonaInput(ctx(), { ...base, eventId: 'e2', command: pickGender('male') });
    expect(again.completed).toBe(false);
    expect((await Member.findById(m._id).lean())!.gender).toBe('female');
    const entries = await Interaction.find({ memberId: m._id, type: 'persona_answer' }).lean();
    expect(entries.map((e) => [e.key, e.summary])).toEqual([['persona:e2', '性別：女性']]);
  });
});
