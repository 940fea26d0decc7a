import { zonedDate, zonedParts } from '../../../domain/shared/clock';

describe('#18.5 zonedParts formatter cache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('builds one Intl.DateTimeFormat per time zone, not one per call, and reads the same parts', () => {
    const built = jest.spyOn(Intl, 'DateTimeFormat');
    const at = new Date('2026-03-01T16:30:00Z');
    for (let i = 0; i < 200; i++) zonedParts(new Date(at.getTime() + i * 60_000), 'Pacific/Chatham');
    expect(built).toHaveBeenCalledTimes(1);
    // Chatham is UTC+13:45 in March (daylight time): 16:30Z is 06:15 the next day, a Monday.
    expect(zonedParts(at, 'Pacific/Chatham')).toEqual({
      year: 2026,
      month: 3,
      day: 2,
      hour: 6,
      minute: 15,
      weekday: 1,
    });
    expect(zonedDate(at, 'Asia/Taipei')).toBe('2026-03-02');
    expect(zonedParts(at, 'Asia/Taipei')).toMatchObject({ day: 2, hour: 0, minute: 30 });
    expect(built).toHaveBeenCalledTimes(2);
  });
});
