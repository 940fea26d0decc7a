import { duePoints, expiryFor, remainingLots, soonestExpiring } from '../../../domain/points/points-lots';

const d = (iso: string) => new Date(iso);
const TZ = 'Asia/Taipei';

describe('FIFO points lots', () => {
  it('spends consume the lots that expire soonest first', () => {
    const lots = remainingLots([
      { delta: 100, at: d('2025-03-01T00:00:00Z'), expiresAt: d('2026-12-31T15:59:59.999Z') },
      { delta: 50, at: d('2025-04-01T00:00:00Z'), expiresAt: d('2026-06-30T15:59:59.999Z') },
      { delta: -70, at: d('2025-05-01T00:00:00Z') },
    ]);
    expect(lots).toEqual([{ remaining: 80, expiresAt: d('2026-12-31T15:59:59.999Z') }]);
  });

  it('never-expiring points are consumed last', () => {
    const lots = remainingLots([
      { delta: 30, at: d('2025-01-01T00:00:00Z'), expiresAt: null },
      { delta: 20, at: d('2025-02-01T00:00:00Z'), expiresAt: d('2026-12-31T15:59:59.999Z') },
      { delta: -25, at: d('2025-03-01T00:00:00Z') },
    ]);
    expect(lots).toEqual([{ remaining: 25, expiresAt: null }]);
  });

  it('remaining lots always add up to the ledger sum', () => {
    const entries = [
      { delta: 10, at: d('2025-01-01T00:00:00Z'), expiresAt: d('2026-12-31T00:00:00Z') },
      { delta: 25, at: d('2025-06-01T00:00:00Z'), expiresAt: d('2026-12-31T00:00:00Z') },
      { delta: -12, at: d('2025-07-01T00:00:00Z') },
      { delta: 40, at: d('2026-02-01T00:00:00Z'), expiresAt: d('2027-12-31T00:00:00Z') },
      { delta: -30, at: d('2026-03-01T00:00:00Z') },
    ];
    const sum = entries.reduce((s, e) => s + e.delta, 0);
    expect(remainingLots(entries).reduce((s, l) => s + l.remaining, 0)).toBe(sum);
  });

  it('due points are what remains of lots expired by now; soonest is the next batch', () => {
    const lots = remainingLots([
      { delta: 100, at: d('2024-05-01T00:00:00Z'), expiresAt: d('2025-12-31T15:59:59.999Z') },
      { delta: 60, at: d('2025-05-01T00:00:00Z'), expiresAt: d('2026-12-31T15:59:59.999Z') },
      { delta: -40, at: d('2025-06-01T00:00:00Z') },
    ]);
    const now = d('2026-01-01T00:10:00Z');
    expect(duePoints(lots, now)).toEqual({ points: 60, latestExpiry: d('2025-12-31T15:59:59.999Z') });
    expect(soonestExpiring(lots, now)).toEqual({ points: 60, expiresAt: d('2026-12-31T15:59:59.999Z') });
    expect(soonestExpiring(lots, d('2027-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('expiry horizon', () => {
  it('end_of_next_year: the last instant of 31 December of the following year, Taipei time', () => {
    const at = expiryFor(d('2025-03-15T04:00:00Z'), { mode: 'end_of_next_year', months: 12, warnDaysBefore: 30 }, TZ);
    expect(at!.toISOString()).toBe('2026-12-31T15:59:59.999Z');
  });

  it('uses the local calendar year: 31 Dec 2025 17:00 UTC is already 2026 in Taipei', () => {
    const at = expiryFor(d('2025-12-31T17:00:00Z'), { mode: 'end_of_next_year', months: 12, warnDaysBefore: 30 }, TZ);
    expect(at!.toISOString()).toBe('2027-12-31T15:59:59.999Z');
  });

  it('months: end of the same day N months later, clamped to the month end', () => {
    const at = expiryFor(d('2025-08-31T04:00:00Z'), { mode: 'months', months: 6, warnDaysBefore: 30 }, TZ);
    expect(at!.toISOString()).toBe('2026-02-28T15:59:59.999Z');
  });

  it('never: null', () => {
    expect(expiryFor(d('2025-01-01T00:00:00Z'), { mode: 'never', months: 12, warnDaysBefore: 30 }, TZ)).toBeNull();
  });
});

describe('#12.5 refund debt in the lots', () => {
  it('a take-back beyond the lots left is a debt that the next earnings repay before they become lots', () => {
    const entries = [
      { delta: 50, at: d('2025-01-01T00:00:00Z'), expiresAt: d('2026-12-31T00:00:00Z') },
      { delta: -40, at: d('2025-01-02T00:00:00Z') },
      { delta: -50, at: d('2025-01-03T00:00:00Z') },
      { delta: 30, at: d('2025-02-01T00:00:00Z'), expiresAt: d('2026-12-31T00:00:00Z') },
    ];
    expect(remainingLots(entries)).toEqual([]);
    const repaid = remainingLots([
      ...entries,
      { delta: 25, at: d('2025-03-01T00:00:00Z'), expiresAt: d('2026-12-31T00:00:00Z') },
    ]);
    expect(repaid).toEqual([{ remaining: 15, expiresAt: d('2026-12-31T00:00:00Z') }]);
    expect(duePoints(repaid, d('2027-01-01T00:00:00Z')).points).toBe(15);
  });
});
