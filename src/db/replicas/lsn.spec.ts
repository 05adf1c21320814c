import { formatLsn, fromSortableLsn, isLsn, parseLsn, sortableLsn } from './lsn';

describe('WAL positions', () => {
  it('parse, print and sort as PostgreSQL orders them', () => {
    expect(parseLsn('0/3000060')).toBe(0x3000060n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn('16/B374D848'))).toBe('16/B374D848');
    // "9/FFFFFFFF" < "A/0" as positions, though not as plain strings of their text.
    const a = parseLsn('9/FFFFFFFF');
    const b = parseLsn('A/0');
    expect(a < b).toBe(true);
    expect(sortableLsn(a) < sortableLsn(b)).toBe(true);
    expect(fromSortableLsn(sortableLsn(b))).toBe(b);
  });

  it('refuse what is not one', () => {
    for (const bad of ['', '0', '0/', '/1', 'G/1', '1/2/3', '123456789/0', '0/1; DROP TABLE x']) {
      expect(isLsn(bad)).toBe(false);
      expect(() => parseLsn(bad)).toThrow(RangeError);
    }
  });
});
