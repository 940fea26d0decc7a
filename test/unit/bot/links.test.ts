import { cardUrl, lineShareUrl } from '../../../bot/messages/links';

describe('card links', () => {
  const line = { mode: 'line', liffId: '2001234567-AbCdEfGh' } as never;
  const emulator = { mode: 'emulator', liffId: 'local-liff-id' } as never;
  it('open the LIFF URL on real LINE, with the card deep link appended', () => {
    expect(cardUrl({ line, publicBaseUrl: 'https://m.example.com' })).toBe('https://liff.line.me/2001234567-AbCdEfGh');
    expect(cardUrl({ line, publicBaseUrl: 'https://m.example.com' }, 'coupons/abc')).toBe('https://liff.line.me/2001234567-AbCdEfGh/coupons/abc');
  });
  it('open this server\'s /liff/ page with the emulator', () => {
    expect(cardUrl({ line: emulator, publicBaseUrl: 'http://localhost:3000' })).toBe('http://localhost:3000/liff/');
    expect(cardUrl({ line: emulator, publicBaseUrl: 'http://localhost:3000' }, '/points')).toBe('http://localhost:3000/liff/points');
  });
  it('share links carry the text', () => {
    expect(lineShareUrl('推薦碼 AB12CD')).toBe(`https://line.me/R/share?text=${encodeURIComponent('推薦碼 AB12CD')}`);
  });
});
