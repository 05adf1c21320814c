import { DAY_MS, HOUR_MS, splitRange, TimeSegment } from './time-segments';

const t = (iso: string) => Date.parse(iso);
const show = (segs: TimeSegment[]) => segs.map((s) => `${s.source} ${Number.isFinite(s.lo) ? new Date(s.lo).toISOString() : s.lo}..${Number.isFinite(s.hi) ? new Date(s.hi).toISOString() : s.hi}`);

describe('splitRange', () => {
  it('answers whole days from the day rollup, whole hours from the hour rollup, the rest from raw rows', () => {
    expect(show(splitRange(t('2026-03-01T22:30:00Z'), t('2026-03-04T05:15:00Z'), true, true))).toEqual([
      'raw 2026-03-01T22:30:00.000Z..2026-03-01T23:00:00.000Z',
      'hour 2026-03-01T23:00:00.000Z..2026-03-02T00:00:00.000Z',
      'day 2026-03-02T00:00:00.000Z..2026-03-04T00:00:00.000Z',
      'hour 2026-03-04T00:00:00.000Z..2026-03-04T05:00:00.000Z',
      'raw 2026-03-04T05:00:00.000Z..2026-03-04T05:15:00.000Z',
    ]);
  });

  it('covers the range exactly, without overlap, for random bounds and sources', () => {
    for (let i = 0; i < 2000; i++) {
      const lo = t('2025-01-01T00:00:00Z') + Math.floor(Math.random() * 400 * DAY_MS);
      const hi = lo + Math.floor(Math.random() * (i % 3 === 0 ? 3 * HOUR_MS : 60 * DAY_MS));
      const segs = splitRange(lo, hi, i % 2 === 0, i % 4 < 2);
      if (lo >= hi) {
        expect(segs).toEqual([]);
        continue;
      }
      expect(segs[0].lo).toBe(lo);
      expect(segs[segs.length - 1].hi).toBe(hi);
      segs.forEach((s, j) => {
        expect(s.lo).toBeLessThan(s.hi);
        if (j) expect(s.lo).toBe(segs[j - 1].hi);
        if (s.source === 'day') expect([s.lo % DAY_MS, s.hi % DAY_MS]).toEqual([0, 0]);
        if (s.source === 'hour') expect([s.lo % HOUR_MS, s.hi % HOUR_MS]).toEqual([0, 0]);
      });
    }
  });

  it('handles unbounded ends and falls back to raw rows when no rollup covers the question', () => {
    expect(show(splitRange(-Infinity, t('2026-03-04T05:15:00Z'), true, true))).toEqual([
      'day -Infinity..2026-03-04T00:00:00.000Z',
      'hour 2026-03-04T00:00:00.000Z..2026-03-04T05:00:00.000Z',
      'raw 2026-03-04T05:00:00.000Z..2026-03-04T05:15:00.000Z',
    ]);
    expect(show(splitRange(-Infinity, Infinity, true, true))).toEqual(['day -Infinity..Infinity']);
    expect(show(splitRange(-Infinity, Infinity, false, false))).toEqual(['raw -Infinity..Infinity']);
    expect(show(splitRange(t('2026-03-01T00:00:00Z'), t('2026-03-03T00:00:00Z'), false, true))).toEqual(['hour 2026-03-01T00:00:00.000Z..2026-03-03T00:00:00.000Z']);
    expect(splitRange(5, 5, true, true)).toEqual([]);
  });
});
