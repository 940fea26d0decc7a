import { resetPersonaScript, savePersonaScript } from '../../../domain/persona/persona-script.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser } from './chat-driver';

/** #13.4: a yes/no persona question takes the natural yes/no words in the chat, over the emulator. */
describe('persona yes/no question in the chat', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(async () => {
    await resetPersonaScript();
    await env.close();
  });

  it('「好喔」 answers a 要/不要 question and the Q&A moves on', async () => {
    await savePersonaScript({
      intro: '兩個問題就好！',
      completion: '謝謝！',
      questions: [
        {
          id: 'news',
          title: '優惠通知',
          type: 'single',
          prompt: '要不要收到新品優惠？',
          options: [
            { id: 'want', label: '要', tags: ['想收優惠'] },
            { id: 'nowant', label: '不要' },
          ],
        },
        {
          id: 'pet',
          title: '寵物',
          type: 'single',
          prompt: '家裡有養寵物嗎？',
          options: [
            { id: 'has', label: '有', tags: ['有寵物'] },
            { id: 'none', label: '沒有', tags: ['沒寵物'] },
          ],
        },
      ],
    });
    const u = await consentedUser(env);
    expect((await u.member())!.persona!.state).toMatchObject({ current: 'news' });
    const second = await u.say('好喔');
    expect(second.texts.join('\n')).toContain('家裡有養寵物嗎？');
    expect((await u.member())!.persona!.state).toMatchObject({ current: 'pet' });
  });
});
