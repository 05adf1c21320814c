import fc from 'fast-check';
import { movers, MoverGroupInput } from './movers';
import type { NpsCounts } from './types';

const c = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });

describe('movers: hand-checked', () => {
  //        previous            current
  //  A  P50 A30 D20 n100 NPS30   P70 A20 D10 n100 NPS60
  //  B  P40 A40 D20 n100 NPS20   P20 A20 D20 n60  NPS0
  //  C  P5  A3  D2  n10  NPS30   P10 A2  D8  n20  NPS10
  //  total P95 A73 D42 n210 NPS 100*53/210 = 25.238095; P100 A42 D38 n180 NPS 100*62/180 = 34.444444
  //  total change = 9.206349
  // contribution = 100 (P - D) / N_cur - 100 (P' - D') / N_prev:
  //  A: 100*60/180 - 100*30/210 = 33.333333 - 14.285714 = 19.047619
  //  B: 100*0/180  - 100*20/210 =  0        -  9.523810 = -9.523810
  //  C: 100*2/180  - 100*3/210  =  1.111111 -  1.428571 = -0.317460
  //  sum = 19.047619 - 9.523810 - 0.317460 = 9.206349 = the total's change
  // Each group's change (adjusted Wald, as compare.spec.ts):
  //  A: prev centre 100*30/103 = 29.1262, V' = 71.5/103 - (30/103)^2 = 0.609341, SE' = 100*sqrt(0.609341/103) = 7.69151
  //     cur  centre 100*60/103 = 58.2524, V' = 81.5/103 - (60/103)^2 = 0.451928, SE' = 6.62393
  //     z = 29.1262/sqrt(59.1593 + 43.8764) = 29.1262/10.15065 = 2.86939, p = 0.004113 -> SIGNIFICANT_UP
  //  B: prev centre 19.4175, V' = 61.5/103 - (20/103)^2 = 0.559383, SE' = 7.36946
  //     cur (n' 63) centre 0, V' = 41.5/63 = 0.658730, SE' = 100*sqrt(0.658730/63) = 10.22546
  //     z = -19.4175/sqrt(54.3089 + 104.5600) = -19.4175/12.60432 = -1.54054, p = 0.12343 -> no significant change
  //  C: prev centre 23.0769, SE' 21.4940 (score.spec.ts); cur (n' 23) centre 8.69565, V' = 19.5/23 - (2/23)^2 = 0.840265, SE' = 19.11368
  //     z = -14.3813/sqrt(461.992 + 365.333) = -14.3813/28.7633 = -0.49999, p = 0.61708
  //  Benjamini-Hochberg, m = 3: A 3*0.004113/1 = 0.012338; B 3*0.12343/2 = 0.185144; C 0.61708 -> only A is a discovery
  //  total: prev centre 100*53/213 = 24.8826, V' = 138.5/213 - (53/213)^2 = 0.588320, SE' = 5.25554
  //         cur centre 100*62/183 = 33.8798, V' = 139.5/183 - (62/183)^2 = 0.647511, SE' = 5.94837
  //         z = 8.9972/sqrt(27.6207 + 35.3831) = 8.9972/7.93749 = 1.13351 -> not significant, though A's rise is
  const groups: MoverGroupInput[] = [
    { id: 'C', previous: c(5, 3, 2), current: c(10, 2, 8) },
    { id: 'B', previous: c(40, 40, 20), current: c(20, 20, 20) },
    { id: 'A', previous: c(50, 30, 20), current: c(70, 20, 10) },
  ];
  const r = movers(groups);

  it('contributions add up to the total change, ranked by |contribution|', () => {
    expect(r.total.previous.nps).toBeCloseTo(25.238095, 6);
    expect(r.total.current.nps).toBeCloseTo(34.444444, 6);
    expect(r.total.change.delta).toBeCloseTo(9.206349, 6);
    expect(r.groups.map((g) => [g.id, g.rank])).toEqual([['A', 1], ['B', 2], ['C', 3]]);
    const [a, b, cc] = r.groups;
    expect(a.contribution).toBeCloseTo(19.047619, 6);
    expect(b.contribution).toBeCloseTo(-9.52381, 6);
    expect(cc.contribution).toBeCloseTo(-0.31746, 6);
    expect(a.contribution! + b.contribution! + cc.contribution!).toBeCloseTo(r.total.change.delta!, 12);
  });

  it("each group's own change, verdict, low sample and FDR", () => {
    const [a, b, cc] = r.groups;
    expect(a.change.zScore).toBeCloseTo(2.86939, 4);
    expect(a.change.verdict).toBe('SIGNIFICANT_UP');
    expect(b.change.zScore).toBeCloseTo(-1.54054, 4);
    expect(b.change.verdict).toBe('NO_SIGNIFICANT_CHANGE');
    expect(cc.change.zScore).toBeCloseTo(-0.49999, 4);
    expect([a.lowSample, b.lowSample, cc.lowSample]).toEqual([false, false, true]); // C: 10 and 20 responses < 30
    expect(a.adjustedPValue).toBeCloseTo(0.012338, 5);
    expect(b.adjustedPValue).toBeCloseTo(0.185144, 5);
    expect(cc.adjustedPValue).toBeCloseTo(0.61708, 5);
    expect([a.discovery, b.discovery, cc.discovery]).toEqual([true, false, false]);
    expect(r.total.change.zScore).toBeCloseTo(1.13351, 4);
    expect(r.total.change.verdict).toBe('NO_SIGNIFICANT_CHANGE');
  });

  it('response shares: A 100/210 = 47.619% then 100/180 = 55.556%', () => {
    expect(r.groups[0].previousResponseShare).toBeCloseTo(47.619048, 6);
    expect(r.groups[0].currentResponseShare).toBeCloseTo(55.555556, 6);
    expect(r.groups[0].mix).toBeNull();
    expect(r.total.mix).toBeNull();
  });

  it('a stricter low-sample threshold (70) also flags B (60 current responses)', () => {
    expect(movers(groups, { lowSampleThreshold: 70 }).groups.map((g) => g.lowSample)).toEqual([false, true, true]);
  });

  it('a group with an unchanged NPS contributes through its share', () => {
    // X: P10 A10 D0 (n 20, NPS 50) -> P30 A30 D0 (n 60, NPS 50); Y: P20 A40 D20 (n 80, NPS 0) -> P10 A20 D10 (n 40, NPS 0)
    // totals: P30 A50 D20 (n 100, NPS 10) -> P40 A50 D10 (n 100, NPS 30): +20, though neither group's NPS moved
    // X: 100*30/100 - 100*10/100 = 20 (its share went from 20% to 60% at NPS 50); Y: 0 - 0 = 0
    const m = movers([
      { id: 'X', previous: c(10, 10, 0), current: c(30, 30, 0) },
      { id: 'Y', previous: c(20, 40, 20), current: c(10, 20, 10) },
    ]);
    expect(m.groups.map((g) => [g.id, g.contribution, g.change.delta])).toEqual([['X', 20, 0], ['Y', 0, 0]]);
  });

  it('a group without responses in one period: NOT_COMPARABLE, no adjusted p, still a contribution', () => {
    // N: new this period, P6 D2 of a current total of 10 + 8 = 18: 100*4/18 = 22.222; previous 0.
    const m = movers([
      { id: 'O', previous: c(5, 0, 5), current: c(5, 0, 5) },
      { id: 'N', previous: c(0, 0, 0), current: c(6, 0, 2) },
    ]);
    const n = m.groups.find((g) => g.id === 'N')!;
    expect(n.change.verdict).toBe('NOT_COMPARABLE');
    expect(n.adjustedPValue).toBeNull();
    expect(n.contribution).toBeCloseTo(22.222222, 6);
    expect(n.lowSample).toBe(true);
  });

  it('a total without responses in a period: no contributions, no ranks', () => {
    const m = movers([{ id: 'A', previous: c(0, 0, 0), current: c(1, 0, 0) }]);
    expect(m.groups[0]).toMatchObject({ contribution: null, rank: null });
    expect(movers([]).groups).toEqual([]);
  });

  it('survey mix per group and for the total (kinds summed over groups)', () => {
    // G1 is the surveyMix.spec example (raw -12, mix-adjusted 0); G2 has only transactional responses
    // total previous: R P30 A10 D10 (n 50), T P20+10 A10+0 D20+0 = P30 A10 D20 (n 60) -> n 110
    // total current:  R P12 A4 D4 (n 20),  T P32+10 A16 D32 = P42 A16 D32 (n 90)     -> n 110
    // shares R 50/110 = 45.45% -> 20/110 = 18.18%: shift -27.27 -> shifted
    // mix-adjusted = (50/110) x 40 + (60/110) x (100*10/90) = 18.1818 + 6.0606 = 24.2424;
    // previous NPS = 100*(60-30)/110 = 27.2727 -> mix-adjusted change = -3.0303; raw = 100*(54-36)/110 - 27.2727 = 16.3636 - 27.2727 = -10.9091
    const m = movers([
      {
        id: 'G1',
        previous: c(50, 20, 30),
        current: c(44, 20, 36),
        byKind: [
          { kind: 'RELATIONSHIP', previous: c(30, 10, 10), current: c(12, 4, 4) },
          { kind: 'TRANSACTIONAL', previous: c(20, 10, 20), current: c(32, 16, 32) },
        ],
      },
      { id: 'G2', previous: c(10, 0, 0), current: c(10, 0, 0), byKind: [{ kind: 'TRANSACTIONAL', previous: c(10, 0, 0), current: c(10, 0, 0) }] },
    ]);
    const g1 = m.groups.find((g) => g.id === 'G1')!;
    expect(g1.mix).toMatchObject({ mixShifted: true, rawChange: -12, mixAdjustedChange: 0 });
    expect(m.total.mix!.kinds[0].shift).toBeCloseTo(-27.272727, 6);
    expect(m.total.mix!.mixShifted).toBe(true);
    expect(m.total.mix!.mixAdjustedNps).toBeCloseTo(24.242424, 6);
    expect(m.total.mix!.mixAdjustedChange).toBeCloseTo(-3.030303, 6);
    expect(m.total.mix!.rawChange).toBeCloseTo(-10.909091, 6);
  });

  it('rejects kind counts that do not add up and repeated ids', () => {
    expect(() =>
      movers([{ id: 'A', previous: c(1, 0, 0), current: c(1, 0, 0), byKind: [{ kind: 'R', previous: c(1, 0, 0), current: c(0, 1, 0) }] }]),
    ).toThrow(RangeError);
    expect(() => movers([{ id: 'A', previous: c(1, 0, 0), current: c(1, 0, 0) }, { id: 'A', previous: c(1, 0, 0), current: c(1, 0, 0) }])).toThrow(RangeError);
  });
});

describe('movers: properties', () => {
  const n = fc.integer({ min: 0, max: 2000 });
  const countsArb: fc.Arbitrary<NpsCounts> = fc.record({ promoters: n, passives: n, detractors: n });
  const groupsArb = fc
    .array(fc.record({ previous: countsArb, current: countsArb }), { maxLength: 10 })
    .map((gs) => gs.map((g, i) => ({ id: `g${i}`, ...g })));
  const runs = { numRuns: 500 };

  it('when the groups partition the total, the contributions add up exactly to its NPS change', () => {
    fc.assert(
      fc.property(groupsArb, (groups) => {
        const m = movers(groups);
        const { previous, current } = m.total;
        if (previous.nps === null || current.nps === null) {
          expect(m.groups.every((g) => g.contribution === null)).toBe(true);
          return;
        }
        const sum = m.groups.reduce((s, g) => s + g.contribution!, 0);
        expect(sum).toBeCloseTo(current.nps - previous.nps, 9);
      }),
      runs,
    );
  });

  it('ranked by |contribution|; lowSample is either side below 30', () => {
    fc.assert(
      fc.property(groupsArb, (groups) => {
        const m = movers(groups);
        for (let i = 1; i < m.groups.length; i++) {
          const [a, b] = [m.groups[i - 1].contribution, m.groups[i].contribution];
          if (a !== null && b !== null) expect(Math.abs(a)).toBeGreaterThanOrEqual(Math.abs(b));
        }
        for (const g of m.groups) expect(g.lowSample).toBe(g.previous.responses < 30 || g.current.responses < 30);
        expect(new Set(m.groups.map((g) => g.id)).size).toBe(groups.length);
      }),
      runs,
    );
  });
});
