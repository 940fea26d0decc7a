import { cronMatches, cronProblem, minuteKey, nextCronTime } from '../../../domain/scheduling/cron';
import { inQuietHours, quietHoursEnd } from '../../../domain/campaigns/dispatch.service';
import {
  extractUrls,
  rewriteLinks,
  signMemberToken,
  verifyMemberToken,
} from '../../../domain/campaigns/tracked-links.service';

const TZ = 'Asia/Taipei';
const tp = (s: string) => new Date(`${s}+08:00`);

describe('cron in Taipei time', () => {
  it('finds the next matching minute', () => {
    expect(nextCronTime('0 10 * * 1', tp('2025-05-01T12:00:00'), TZ)).toEqual(tp('2025-05-05T10:00:00'));
    expect(nextCronTime('0 10 * * 1', tp('2025-05-05T10:00:00'), TZ)).toEqual(tp('2025-05-12T10:00:00'));
    expect(nextCronTime('*/15 9-10 * * *', tp('2025-05-01T10:50:00'), TZ)).toEqual(tp('2025-05-02T09:00:00'));
    expect(nextCronTime('0 0 L * *', tp('2025-02-10T00:00:00'), TZ)).toEqual(tp('2025-02-28T00:00:00'));
    expect(nextCronTime('0 9 1 * 1', tp('2025-09-01T09:00:00'), TZ)).toEqual(tp('2025-09-08T09:00:00')); // Vixie OR
    expect(nextCronTime('0 0 31 2 *', tp('2025-01-01T00:00:00'), TZ)).toBeNull();
  });

  it('matches minutes and validates expressions in zh-TW', () => {
    expect(cronMatches('30 3 * * *', tp('2025-05-01T03:30:00'), TZ)).toBe(true);
    expect(cronMatches('30 3 * * *', new Date('2025-05-01T03:30:00Z'), TZ)).toBe(false);
    expect(cronProblem('0 10 * * MON')).toBeNull();
    expect(cronProblem('61 * * * *')).toContain('cron 排程格式不正確');
    expect(cronProblem('* *')).toContain('5 個欄位');
    expect(minuteKey(new Date('2025-05-01T02:05:00Z'), TZ)).toBe('2025-05-01T10:05');
  });
});

describe('quiet hours', () => {
  const q = { enabled: true, start: '21:00', end: '09:00' };
  it('wraps midnight and ends at the next end time', () => {
    expect(inQuietHours(tp('2025-05-01T21:00:00'), TZ, q)).toBe(true);
    expect(inQuietHours(tp('2025-05-01T08:59:00'), TZ, q)).toBe(true);
    expect(inQuietHours(tp('2025-05-01T09:00:00'), TZ, q)).toBe(false);
    expect(inQuietHours(tp('2025-05-01T23:00:00'), TZ, { ...q, enabled: false })).toBe(false);
    expect(quietHoursEnd(tp('2025-05-01T23:00:00'), TZ, q)).toEqual(tp('2025-05-02T09:00:00'));
    expect(quietHoursEnd(tp('2025-05-02T01:00:00'), TZ, q)).toEqual(tp('2025-05-02T09:00:00'));
    expect(inQuietHours(tp('2025-05-01T13:00:00'), TZ, { enabled: true, start: '12:00', end: '14:00' })).toBe(true);
  });
});

describe('tracked links', () => {
  it('rewrites text and flex action URIs but not images', () => {
    const messages = [
      { type: 'text' as const, text: '看這裡 https://a.example.com/x?y=1 和 https://b.example.com' },
      {
        type: 'flex' as const,
        altText: 'x',
        contents: {
          type: 'bubble' as const,
          hero: { type: 'image', url: 'https://img.example.com/a.png' },
          footer: {
            type: 'box',
            contents: [{ type: 'button', action: { type: 'uri', uri: 'https://a.example.com/x?y=1' } }],
          },
        },
      },
    ];
    expect(extractUrls(messages)).toEqual(['https://a.example.com/x?y=1', 'https://b.example.com']);
    const out = rewriteLinks(
      messages,
      [
        { id: 'L1', url: 'https://a.example.com/x?y=1' },
        { id: 'L2', url: 'https://b.example.com' },
      ],
      'https://m.example.com',
    );
    expect(out[0]).toEqual({ type: 'text', text: '看這裡 https://m.example.com/r/L1 和 https://m.example.com/r/L2' });
    expect(JSON.stringify(out[1])).toContain('"uri":"https://m.example.com/r/L1"');
    expect(JSON.stringify(out[1])).toContain('"url":"https://img.example.com/a.png"');
    expect(JSON.stringify(messages[1])).not.toContain('/r/L1'); // the original is untouched
  });

  it('signs member tokens that cannot be forged', () => {
    const id = '65f0c0ffee0000000000abcd';
    const token = signMemberToken(id, 'secret');
    expect(verifyMemberToken(token, 'secret')).toBe(id);
    expect(verifyMemberToken(token, 'other-secret')).toBeNull();
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyMemberToken(tampered, 'secret')).toBeNull();
    expect(verifyMemberToken('garbage', 'secret')).toBeNull();
  });
});
