import { moverList } from './mover-list';
import { movers, MoverGroupInput } from './movers';

const c = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });

// Five departments, previous -> current (the data set of tests/movers.test.ts):
//   A1 P40 A30 D30 (NPS 10)            -> P60 A25 D15 (NPS 45)
//   A2 P50 A30 D20 (NPS 30)            -> P61 A29 D10 (NPS 51)
//   B  P44 A40 D16 (NPS 28)            -> P26 A40 D34 (NPS -8)
//   C  D10 (NPS -100)                  -> P10 (NPS 100)
//   D  P40 A40 D20 (NPS 20)            -> P42 A38 D20 (NPS 22)
//   total P174 A140 D96 n410 NPS 100*78/410 = 19.024390 -> P199 A132 D79 n410 NPS 100*120/410 = 29.268293; change 10.243902
// Contributions 100 (P - D) / 410 - 100 (P' - D') / 410:
//   A1 (45 - 10)/4.1 = 8.536585; A2 (51 - 30)/4.1 = 5.121951; B (-8 - 28)/4.1 = -8.780488; C (10 + 10)/4.1 = 4.878049; D 2/4.1 = 0.487805
//   sum 10.243902 = the total's change. By |contribution|: B, A1, A2, C, D.
// Changes (adjusted Wald, n' = n + 3): A2 prev centre 29.1262, SE' 7.69151; cur p' = 61.75/103, d' = 10.75/103, centre 49.5146,
//   V' = 72.5/103 - (51/103)^2 = 0.458714, SE' = 6.67347; z = 20.3884 / sqrt(59.1593 + 44.5352) = 2.00218, p = 0.045265: significant alone.
//   A1 z 3.10125 p 0.0019271; B z -3.36042 p 0.00077823; C z 7.24743 p 4.2475e-13; D z 0.18536 p 0.85295.
// Benjamini-Hochberg over m = 5 (sorted C, B, A1, A2, D): thresholds i q / m = .01 .02 .03 .04 .05;
//   A2 (i = 4): 0.045265 > 0.04, D (i = 5): 0.85295 > 0.05, A1 (i = 3): 0.0019271 <= 0.03 -> k = 3: C, B, A1 are discoveries.
//   Adjusted: A2 min(5/4 x 0.045265, 0.85295) = 0.056581 > 0.05.
const departments: MoverGroupInput[] = [
  { id: 'A1', previous: c(40, 30, 30), current: c(60, 25, 15) },
  { id: 'A2', previous: c(50, 30, 20), current: c(61, 29, 10) },
  { id: 'B', previous: c(44, 40, 16), current: c(26, 40, 34) },
  { id: 'C', previous: c(0, 0, 10), current: c(10, 0, 0) },
  { id: 'D', previous: c(40, 40, 20), current: c(42, 38, 20) },
];
const total = { previous: c(174, 140, 96), current: c(199, 132, 79) };

describe('moverList', () => {
  it('one partition family: contributions add up, ranked by |contribution|, BH drops the borderline A2', () => {
    const r = moverList({ total, families: [{ id: 'DEPARTMENT', groups: departments, partition: true }] });
    expect(r.total.change.delta).toBeCloseTo(10.243902, 6);
    expect(r.groups.map((g) => [g.id, g.rank, g.family])).toEqual([
      ['B', 1, 'DEPARTMENT'],
      ['A1', 2, 'DEPARTMENT'],
      ['A2', 3, 'DEPARTMENT'],
      ['C', 4, 'DEPARTMENT'],
      ['D', 5, 'DEPARTMENT'],
    ]);
    const by = Object.fromEntries(r.groups.map((g) => [g.id, g]));
    expect(by.B.contribution).toBeCloseTo(-8.780488, 6);
    expect(by.A1.contribution).toBeCloseTo(8.536585, 6);
    expect(by.A2.contribution).toBeCloseTo(5.121951, 6);
    expect(by.C.contribution).toBeCloseTo(4.878049, 6);
    expect(by.D.contribution).toBeCloseTo(0.487805, 6);
    expect(r.groups.reduce((s, g) => s + g.contribution!, 0)).toBeCloseTo(r.total.change.delta!, 12);
    expect(by.A2.change.zScore).toBeCloseTo(2.00218, 4);
    expect(by.A2.change.pValue).toBeCloseTo(0.045265, 5);
    expect(by.A2.change).toMatchObject({ significant: true, verdict: 'SIGNIFICANT_UP' });
    expect(by.A2.adjustedPValue).toBeCloseTo(0.056581, 5);
    expect(r.groups.map((g) => [g.id, g.discovery])).toEqual([['B', true], ['A1', true], ['A2', false], ['C', true], ['D', false]]);
    expect({ q: r.q, tests: r.tests, discoveries: r.discoveries }).toEqual({ q: 0.05, tests: 5, discoveries: 3 });
    expect(by.C.lowSample).toBe(true);
    expect(by.B.previousResponseShare).toBeCloseTo(100 / 4.1, 9);
  });

  it('BH runs over every family at once: a sixth test raises the adjusted p-values', () => {
    // S (a segment: A2 and D together) P90 A70 D40 -> P103 A67 D30: z 1.52511, p 0.127232; contribution (73 - 50)/4.1 = 5.609756.
    // m = 6 (sorted C, B, A1, A2, S, D): A1 adjusted 6/3 x 0.0019271 = 0.0038542 (0.0032118 with m = 5); A2 min(6/4 x 0.045265, 6/5 x 0.127232, 0.85295) = 0.067898.
    const segment = { id: 'S', previous: c(90, 70, 40), current: c(103, 67, 30) };
    const r = moverList({
      total,
      families: [
        { id: 'DEPARTMENT', groups: departments, partition: true },
        { id: 'SEGMENT', groups: [segment], partition: false },
      ],
    });
    expect(r.tests).toBe(6);
    const by = Object.fromEntries(r.groups.map((g) => [`${g.family}:${g.id}`, g]));
    expect(by['DEPARTMENT:A1'].adjustedPValue).toBeCloseTo(0.0038542, 6);
    expect(by['DEPARTMENT:A2'].adjustedPValue).toBeCloseTo(0.067898, 5);
    expect(by['SEGMENT:S'].adjustedPValue).toBeCloseTo(0.152679, 5);
    expect(by['SEGMENT:S'].contribution).toBeCloseTo(5.609756, 6);
    expect(by['SEGMENT:S'].currentResponseShare).toBeCloseTo(200 / 4.1, 9);
    // Ranked across families: B 8.78, A1 8.54, S 5.61, A2 5.12, C 4.88, D 0.49.
    expect(r.groups.map((g) => g.id)).toEqual(['B', 'A1', 'S', 'A2', 'C', 'D']);
    expect(r.discoveries).toBe(3);
  });

  it('refuses a partition family that does not add up to the total', () => {
    expect(() => moverList({ total, families: [{ id: 'DEPARTMENT', groups: departments.slice(1), partition: true }] })).toThrow(RangeError);
    // The same groups as a non-partition family are fine.
    expect(moverList({ total, families: [{ id: 'SEGMENT', groups: departments.slice(1), partition: false }] }).tests).toBe(4);
  });

  it('leaves out a group equal to the total in both periods (a family with one value), and so its family', () => {
    const all = { id: 'NONE', previous: total.previous, current: total.current };
    const r = moverList({
      total,
      families: [
        { id: 'REGION', groups: [all], partition: true },
        { id: 'DEPARTMENT', groups: departments, partition: true },
      ],
    });
    expect(r.tests).toBe(5);
    expect(r.groups.map((g) => g.family)).not.toContain('REGION');
  });

  it('no families: the total alone, nothing tested', () => {
    const r = moverList({ total, families: [] });
    expect(r).toMatchObject({ tests: 0, discoveries: 0, groups: [] });
    expect(r.total.current.nps).toBeCloseTo(29.268293, 6);
  });
});

describe('movers with an explicit total', () => {
  it('measures shares and contributions against it, with its own mix', () => {
    const m = movers([{ id: 'S', previous: c(10, 0, 0), current: c(0, 0, 10) }], {
      total: {
        previous: c(30, 10, 10),
        current: c(10, 10, 30),
        byKind: [
          { kind: 'RELATIONSHIP', previous: c(30, 10, 10), current: c(0, 0, 0) },
          { kind: 'TRANSACTIONAL', previous: c(0, 0, 0), current: c(10, 10, 30) },
        ],
      },
    });
    // S: 100 (0 - 10) / 50 - 100 (10 - 0) / 50 = -40; shares 10/50 = 20% both.
    expect(m.groups[0]).toMatchObject({ contribution: -40, previousResponseShare: 20, currentResponseShare: 20 });
    expect(m.total.current.nps).toBe(-40);
    expect(m.total.mix).toMatchObject({ maxShift: 100, mixShifted: true, mixAdjustedNps: null });
  });

  it('refuses a group larger than the total', () => {
    expect(() => movers([{ id: 'S', previous: c(2, 0, 0), current: c(0, 0, 0) }], { total: { previous: c(1, 5, 5), current: c(0, 0, 0) } })).toThrow(RangeError);
  });
});
