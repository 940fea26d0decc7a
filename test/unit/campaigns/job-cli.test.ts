import { instantFor, parseJobArgs } from '../../../scripts/job';

describe('npm run job arguments', () => {
  it('parses a job name and an optional date', () => {
    expect(parseJobArgs(['birthday'])).toEqual({ name: 'birthday', force: false, list: false });
    expect(parseJobArgs(['birthday', '--date', '2025-05-20'])).toMatchObject({ name: 'birthday', date: '2025-05-20' });
    expect(parseJobArgs(['rfm', '--date=2025-05-20T03:30', '--force'])).toMatchObject({
      date: '2025-05-20T03:30',
      force: true,
    });
    expect(parseJobArgs(['--list']).list).toBe(true);
  });

  it('refuses what it does not understand', () => {
    expect(() => parseJobArgs([])).toThrow('which job');
    expect(() => parseJobArgs(['rfm', '--date', '20/05/2025'])).toThrow('--date');
    expect(() => parseJobArgs(['rfm', '--nope'])).toThrow('unexpected');
  });

  it('reads dates in the brand time zone (noon when no time is given)', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    expect(instantFor(undefined, 'Asia/Taipei', now)).toBe(now);
    expect(instantFor('2025-05-20', 'Asia/Taipei', now)).toEqual(new Date('2025-05-20T04:00:00Z'));
    expect(instantFor('2025-05-20T10:00', 'Asia/Taipei', now)).toEqual(new Date('2025-05-20T02:00:00Z'));
  });
});
