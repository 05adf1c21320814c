import { CL_BIN_BOUNDS } from './closed-loop-counters';
import { monthPieces } from './closed-loop-read';

const p = (lo: string, hi: string, k = 0) => ({ k, lo, hi });

describe('monthPieces', () => {
  it('reads the whole UTC months of whole-day pieces from the month bins, the days at their edges from the day bins', () => {
    expect(monthPieces([p('2026-01-17T00:00:00.000Z', '2026-04-03T00:00:00.000Z')])).toEqual({
      month: [p('2026-02-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')],
      day: [p('2026-01-17T00:00:00.000Z', '2026-02-01T00:00:00.000Z'), p('2026-04-01T00:00:00.000Z', '2026-04-03T00:00:00.000Z')],
    });
  });

  it('keeps open bounds open and leaves pieces without a whole month as days', () => {
    expect(monthPieces([p('-infinity', '2026-03-15T00:00:00.000Z', 1), p('2026-03-02T00:00:00.000Z', '2026-03-31T00:00:00.000Z', 2), p('2026-05-01T00:00:00.000Z', 'infinity', 3)])).toEqual({
      month: [p('-infinity', '2026-03-01T00:00:00.000Z', 1), p('2026-05-01T00:00:00.000Z', 'infinity', 3)],
      day: [p('2026-03-01T00:00:00.000Z', '2026-03-15T00:00:00.000Z', 1), p('2026-03-02T00:00:00.000Z', '2026-03-31T00:00:00.000Z', 2)],
    });
  });
});

describe('CL_BIN_BOUNDS', () => {
  it('start at zero, increase, and hold each minute below 16 alone, then 8 bins per doubling', () => {
    expect(CL_BIN_BOUNDS.slice(0, 18)).toEqual([...Array.from({ length: 16 }, (_, i) => i), 16, 18]);
    expect(CL_BIN_BOUNDS.every((b, i) => i === 0 || b > CL_BIN_BOUNDS[i - 1])).toBe(true);
    expect(CL_BIN_BOUNDS.filter((b) => b >= 1024 && b < 2048)).toEqual([1024, 1152, 1280, 1408, 1536, 1664, 1792, 1920]);
  });
});
