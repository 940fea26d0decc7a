import { textMessage } from '../../../bot/messages/quick-reply';
import { validateMessages } from '../../../local/line-emulator/validate';

describe('#11.1 bot text messages stay within LINE’s 5,000 UTF-16 units', () => {
  it('cuts a long emoji-rich text at 5,000 code units, which LINE accepts', () => {
    const msg = textMessage('🎉'.repeat(3000)) as { text: string };
    expect(msg.text.length).toBe(5000);
    expect(validateMessages([msg])).toEqual([]);
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    const msg = textMessage(`a${'🎉'.repeat(3000)}`) as { text: string };
    expect(msg.text.length).toBe(4999);
    expect(msg.text.endsWith('🎉')).toBe(true);
  });

  it('leaves texts within the limit alone', () => {
    expect((textMessage('歡迎加入會員 🎉') as { text: string }).text).toBe('歡迎加入會員 🎉');
  });
});
