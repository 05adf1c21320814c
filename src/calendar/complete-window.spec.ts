import { lastCompleteWindow } from './complete-window';

const iso = (w: { from: Date; to: Date }) => [w.from.toISOString(), w.to.toISOString()];

describe('lastCompleteWindow', () => {
  it('WEEK: the ISO week before the current one, local Mondays', () => {
    // Wednesday 2 Dec 2026, UTC: the current week starts Monday 30 Nov; the complete one is 23-30 Nov.
    expect(iso(lastCompleteWindow(new Date('2026-12-02T10:00:00Z'), 'WEEK', 'UTC'))).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    // Exactly at Monday 00:00 the week just ended is complete.
    expect(iso(lastCompleteWindow(new Date('2026-11-30T00:00:00Z'), 'WEEK', 'UTC'))).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
    // In Tokyo (UTC+9) Monday 30 Nov starts at 15:00 UTC on the 29th.
    expect(iso(lastCompleteWindow(new Date('2026-11-29T16:00:00Z'), 'WEEK', 'Asia/Tokyo'))).toEqual(['2026-11-22T15:00:00.000Z', '2026-11-29T15:00:00.000Z']);
  });

  it('MONTH: the calendar month before, across a DST change in the zone', () => {
    expect(iso(lastCompleteWindow(new Date('2026-12-02T10:00:00Z'), 'MONTH', 'UTC'))).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    // Paris: October 2026 begins at UTC+2 and ends at UTC+1 (DST ends 25 Oct): 31 days and one hour.
    expect(iso(lastCompleteWindow(new Date('2026-11-10T00:00:00Z'), 'MONTH', 'Europe/Paris'))).toEqual(['2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z']);
    // January from February, across the year end.
    expect(iso(lastCompleteWindow(new Date('2027-01-15T00:00:00Z'), 'MONTH', 'UTC'))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('throws RangeError on an unknown zone', () => {
    expect(() => lastCompleteWindow(new Date(), 'WEEK', 'Mars/Olympus')).toThrow(RangeError);
  });
});
