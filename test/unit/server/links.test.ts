import { loadConfig } from '../../../server/config';
import { createLinks } from '../../../server/links';

/** The one card-URL rule, in each setup the configuration allows (local/production × emulator/real LINE). */
describe('createLinks', () => {
  const liffId = '2001234567-AbCdEfGh';
  const config = (env: Record<string, string>) => loadConfig({ PORT: '3000', ...env }, { dotenv: false });
  const realLine = {
    LINE_CHANNEL_SECRET: 's',
    LINE_CHANNEL_ACCESS_TOKEN: 't',
    LIFF_ID: liffId,
    LINE_BOT_BASIC_ID: '@brand',
  };

  it("local DB with the emulator: the card is this server's /liff/ page and add friend is the dev chat", () => {
    const links = createLinks(config({}), { devChat: true });
    expect(links.card()).toBe('http://localhost:3000/liff/');
    expect(links.card('/points')).toBe('http://localhost:3000/liff/points');
    expect(links.addFriend()).toBe('http://localhost:3000/dev/chat');
  });

  it("real LINE with a local DB: the card is the LIFF URL (a phone in LINE cannot open localhost) and add friend is LINE's", () => {
    const links = createLinks(config({ ...realLine, PUBLIC_BASE_URL: 'https://dev.example.com' }));
    expect(links.card()).toBe(`https://liff.line.me/${liffId}`);
    expect(links.card('coupons/abc')).toBe(`https://liff.line.me/${liffId}/coupons/abc`);
    expect(links.addFriend()).toBe('https://line.me/R/ti/p/%40brand');
    expect(links.server('/r/x1')).toBe('https://dev.example.com/r/x1');
  });

  it("an external emulator (LINE_API_BASE_URL, no dev chat served here): the local card, LINE's add-friend link", () => {
    const links = createLinks(config({ LINE_API_BASE_URL: 'http://127.0.0.1:4000' }));
    expect(links.card('referral')).toBe('http://localhost:3000/liff/referral');
    expect(links.addFriend()).toBe('https://line.me/R/ti/p/%40huigo');
  });

  it("production: the LIFF URL, LINE's add-friend link, and the public origin for tracked links", () => {
    const links = createLinks(
      config({
        NODE_ENV: 'production',
        ...realLine,
        MONGODB_URI: 'mongodb://db/huigo',
        LINE_LOGIN_CHANNEL_ID: '42',
        PUBLIC_BASE_URL: 'https://m.example.com/',
        SESSION_SECRET: 'x'.repeat(32),
        ERASURE_HMAC_SECRET: 'e'.repeat(32),
      }),
    );
    expect(links.card('/points')).toBe(`https://liff.line.me/${liffId}/points`);
    expect(links.addFriend()).toBe('https://line.me/R/ti/p/%40brand');
    expect(links.server('')).toBe('https://m.example.com');
    expect(links.server('/r/x1')).toBe('https://m.example.com/r/x1');
  });

  it('share and official-account chat links carry the text', () => {
    const links = createLinks(config(realLine));
    expect(links.share('推薦碼 AB12CD')).toBe(`https://line.me/R/share?text=${encodeURIComponent('推薦碼 AB12CD')}`);
    expect(links.oaMessage('推薦碼 AB12CD')).toBe(
      `https://line.me/R/oaMessage/%40brand/?${encodeURIComponent('推薦碼 AB12CD')}`,
    );
  });
});
