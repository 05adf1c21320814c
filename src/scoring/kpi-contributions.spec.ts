import fc from 'fast-check';
import { evaluateKpi, KpiMetric } from './kpi';
import { kpiContributions } from './kpi-contributions';

const c = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });
//            P   A   D    n    NPS   promoter share  detractor share
//  Sales    60  20  20   100    40        60               20
//  Support  30  30  40   100   -10        30               40
//  Ops      40   5   5    50    70        80               10
//  all     130  55  65   250    26        52               26        weights 40% / 40% / 20%
const children = [
  { id: 'Sales', counts: c(60, 20, 20) },
  { id: 'Support', counts: c(30, 30, 40) },
  { id: 'Ops', counts: c(40, 5, 5) },
];
const contributions = (r: ReturnType<typeof kpiContributions>) => r.children.map((x) => x.contribution);

describe('kpiContributions: hand-checked', () => {
  it('NPS, target 40: actual 26, gap -14 = 0 (Sales, on target) - 20 (Support) + 6 (Ops)', () => {
    // Sales 0.4 x (40 - 40) = 0; Support 0.4 x (-10 - 40) = -20; Ops 0.2 x (70 - 40) = +6; sum -14 = 26 - 40
    const r = kpiContributions({ metric: 'NPS', target: 40, children });
    expect(r.actual).toBe(26);
    expect(r.gap).toBe(-14);
    expect(contributions(r)).toEqual([0, -20, 6]);
    expect(r.children.map((x) => x.weight)).toEqual([40, 40, 20]);
    expect(r.children.map((x) => x.differenceFromTarget)).toEqual([0, -50, 30]);
    expect(r.children.map((x) => x.base)).toEqual([100, 100, 50]);
  });

  it('PROMOTER_SHARE, target 50: actual 52, gap +2 = 4 - 8 + 6', () => {
    // 0.4 x (60 - 50) = 4; 0.4 x (30 - 50) = -8; 0.2 x (80 - 50) = 6
    const r = kpiContributions({ metric: 'PROMOTER_SHARE', target: 50, children });
    expect(r.actual).toBe(52);
    expect(r.gap).toBe(2);
    expect(contributions(r)).toEqual([4, -8, 6]);
  });

  it('DETRACTOR_SHARE (lower is better), target 20: actual 26, gap as evaluateKpi = 20 - 26 = -6 = 0 - 8 + 2', () => {
    // -(0.4 x (20 - 20)) = 0; -(0.4 x (40 - 20)) = -8; -(0.2 x (10 - 20)) = +2: positive helps, as the gap
    const r = kpiContributions({ metric: 'DETRACTOR_SHARE', target: 20, children });
    expect(r.actual).toBe(26);
    expect(r.gap).toBe(-6);
    expect(r.gap).toBe(evaluateKpi({ metric: 'DETRACTOR_SHARE', target: 20, actual: 26 }).gap);
    expect(contributions(r)).toEqual([0, -8, 2]); // 0, not -0
    expect(r.children.map((x) => x.differenceFromTarget)).toEqual([0, 20, -10]);
  });

  it('FOLLOW_UP_RATE, target 80, weighted by detractors to follow up: 51/65 = 78.4615, gap -1.5385', () => {
    // Sales 18/20 (90%), Support 28/40 (70%), Ops 5/5 (100%)
    // (100 x 18 - 80 x 20)/65 = 200/65 = 3.0769; (2800 - 3200)/65 = -6.1538; (500 - 400)/65 = 1.5385; sum -100/65 = -1.5385
    const r = kpiContributions({
      metric: 'FOLLOW_UP_RATE',
      target: 80,
      children: [
        { id: 'Sales', numerator: 18, denominator: 20 },
        { id: 'Support', numerator: 28, denominator: 40 },
        { id: 'Ops', numerator: 5, denominator: 5 },
      ],
    });
    expect(r.actual).toBeCloseTo(78.461538, 6);
    expect(r.gap).toBeCloseTo(-1.538462, 6);
    expect(r.children[0].contribution).toBeCloseTo(3.076923, 6);
    expect(r.children[1].contribution).toBeCloseTo(-6.153846, 6);
    expect(r.children[2].contribution).toBeCloseTo(1.538462, 6);
  });

  it('a child without responses weighs 0 and contributes 0; no responses at all: no actual, gap or contributions', () => {
    const r = kpiContributions({ metric: 'NPS', target: 40, children: [...children, { id: 'New', counts: c(0, 0, 0) }] });
    expect(r.children[3]).toEqual({ id: 'New', base: 0, weight: 0, actual: null, differenceFromTarget: null, contribution: 0 });
    expect(r.gap).toBe(-14);
    const empty = kpiContributions({ metric: 'NPS', target: 40, children: [{ id: 'New', counts: c(0, 0, 0) }] });
    expect(empty).toMatchObject({ actual: null, gap: null, children: [{ weight: null, contribution: null }] });
  });

  it('refuses RESPONSE_COUNT (a sum, not a mean), a child of the wrong shape, a non-finite target', () => {
    expect(() => kpiContributions({ metric: 'RESPONSE_COUNT', target: 100, children })).toThrow(RangeError);
    expect(() => kpiContributions({ metric: 'FOLLOW_UP_RATE', target: 80, children })).toThrow(RangeError);
    expect(() => kpiContributions({ metric: 'NPS', target: 80, children: [{ id: 'x', numerator: 1, denominator: 2 }] })).toThrow(RangeError);
    expect(() => kpiContributions({ metric: 'CLOSED_WITHIN_SLA_RATE', target: 80, children: [{ id: 'x', numerator: 3, denominator: 2 }] })).toThrow(RangeError);
    expect(() => kpiContributions({ metric: 'NPS', target: NaN, children })).toThrow(RangeError);
  });
});

describe('kpiContributions: properties', () => {
  const n = fc.integer({ min: 0, max: 5000 });
  const countsChildren = fc.array(fc.record({ promoters: n, passives: n, detractors: n }), { minLength: 1, maxLength: 12 }).map((cs) => cs.map((counts, i) => ({ id: `c${i}`, counts })));
  const rateChildren = fc
    .array(fc.tuple(n, n), { minLength: 1, maxLength: 12 })
    .map((ps) => ps.map(([a, b], i) => ({ id: `c${i}`, numerator: Math.min(a, b), denominator: Math.max(a, b) })));
  const target = fc.double({ min: -100, max: 100, noNaN: true });
  const runs = { numRuns: 500 };

  it.each<KpiMetric>(['NPS', 'PROMOTER_SHARE', 'DETRACTOR_SHARE'])('%s: contributions add up to the gap, which is evaluateKpi\'s gap', (metric) => {
    fc.assert(
      fc.property(countsChildren, target, (kids, t) => {
        const r = kpiContributions({ metric, target: t, children: kids });
        if (r.actual === null) return;
        const sum = r.children.reduce((s, x) => s + x.contribution!, 0);
        expect(sum).toBeCloseTo(r.gap!, 9);
        expect(r.gap).toBeCloseTo(evaluateKpi({ metric, target: t, actual: r.actual }).gap!, 12);
        expect(r.children.reduce((s, x) => s + x.weight!, 0)).toBeCloseTo(100, 9);
      }),
      runs,
    );
  });

  it.each<KpiMetric>(['FOLLOW_UP_RATE', 'CLOSED_WITHIN_SLA_RATE'])('%s: contributions add up to the gap', (metric) => {
    fc.assert(
      fc.property(rateChildren, target, (kids, t) => {
        const r = kpiContributions({ metric, target: t, children: kids });
        if (r.actual === null) return;
        expect(r.children.reduce((s, x) => s + x.contribution!, 0)).toBeCloseTo(r.gap!, 9);
      }),
      runs,
    );
  });
});
