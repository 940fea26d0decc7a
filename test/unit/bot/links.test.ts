import { lineShareUrl } from '../../../bot/messages/links';

describe('chat share links', () => {
  it('carry the text', () => {
    expect(lineShareUrl('推薦碼 AB12CD')).toBe(`https://line.me/R/share?text=${encodeURIComponent('推薦碼 AB12CD')}`);
  });
});
