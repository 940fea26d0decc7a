import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { checkLineMessage } from '../../../domain/messaging/line-rules/line-message-rules';
import { ChatUser, consentedUser } from './chat-driver';

/**
 * #14.1 the brand's colours on the cards the bot sends (welcome, 會員卡, 點數 …), through the LINE emulator (which
 * refuses any flex LINE would refuse): what the admin sets in 「品牌」 is what the next reply wears, and a light
 * brand colour still gives a readable button.
 */
let env: TestEnv;
let admin: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(async () => {
  await env.resetDb();
  env.deps.replies.invalidate();
  admin = await loginAs(env, 'admin');
});

const setBrand = (brand: object) =>
  admin.agent.put('/api/console/settings/program').set('X-CSRF-Token', admin.csrf).send({ brand }).expect(200);
const buttonOf = (m: any) => m.contents.footer.contents[0];

describe('#14.1 bot cards in the brand colours', () => {
  it('the welcome card and the member card wear the brand colour set in the console', async () => {
    await setBrand({ primaryColor: '#1d4ed8', accentColor: '#e11d48' });
    const u = await ChatUser.create(env, '小藍');
    const welcome = (await u.follow()).messages[0];
    expect(welcome.type).toBe('flex');
    expect(buttonOf(welcome)).toMatchObject({ style: 'primary', color: '#1d4ed8' });

    await u.tap('consent:accept');
    const card = (await u.say('會員卡')).messages.find((m: any) => m.type === 'flex');
    expect(buttonOf(card)).toMatchObject({ style: 'primary', color: '#1d4ed8' });
    expect(checkLineMessage(card)).toEqual([]);
  });

  it('a light brand colour gets LINE’s dark-text button style, and LINE accepts the card', async () => {
    await setBrand({ primaryColor: '#fde68a' });
    const u = await consentedUser(env, '小黃');
    const card = (await u.say('會員卡')).messages.find((m: any) => m.type === 'flex');
    // The emulator delivered it: LINE's rules passed. The button is filled in the brand colour with dark text.
    expect(buttonOf(card)).toMatchObject({ style: 'secondary', color: '#fde68a' });
  });

  it('a colour change applies to the next reply without a restart', async () => {
    const u = await consentedUser(env, '阿綠');
    const before = (await u.say('會員卡')).messages.find((m: any) => m.type === 'flex');
    expect(buttonOf(before).color).toBe('#0f766e'); // the demo brand's teal (settings default)
    await setBrand({ primaryColor: '#7c3aed' });
    const after = (await u.say('會員卡')).messages.find((m: any) => m.type === 'flex');
    expect(buttonOf(after).color).toBe('#7c3aed');
  });
});
