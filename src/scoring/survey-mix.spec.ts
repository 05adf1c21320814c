import fc from 'fast-check';
import { surveyMix } from './survey-mix';
import type { NpsCounts } from './types';

const c = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });

describe('surveyMix: hand-checked', () => {
  // Previous: RELATIONSHIP P30 A10 D10 (n 50, NPS 40); TRANSACTIONAL P20 A10 D20 (n 50, NPS 0)
  //   total P50 A20 D30, n 100, NPS 20; shares 50 / 50.
  it('the whole drop is mix: each kind scores as before, transactional grew from 50% to 80%', () => {
    // Current: R P12 A4 D4 (n 20, NPS 40); T P32 A16 D32 (n 80, NPS 0); total P44 A20 D36, n 100, NPS 8.
    // raw change 8 - 20 = -12; shifts R 20 - 50 = -30, T 80 - 50 = +30 -> mix shifted (30 > 10)
    // mix-adjusted NPS = 0.5 x 40 + 0.5 x 0 = 20 -> mix-adjusted change 20 - 20 = 0
    const r = surveyMix([
      { kind: 'RELATIONSHIP', previous: c(30, 10, 10), current: c(12, 4, 4) },
      { kind: 'TRANSACTIONAL', previous: c(20, 10, 20), current: c(32, 16, 32) },
    ]);
    expect(r.kinds).toEqual([
      { kind: 'RELATIONSHIP', previousResponses: 50, currentResponses: 20, previousShare: 50, currentShare: 20, shift: -30, previousNps: 40, currentNps: 40 },
      { kind: 'TRANSACTIONAL', previousResponses: 50, currentResponses: 80, previousShare: 50, currentShare: 80, shift: 30, previousNps: 0, currentNps: 0 },
    ]);
    expect(r).toMatchObject({ maxShift: 30, mixShifted: true, previousNps: 20, currentNps: 8, rawChange: -12, mixAdjustedNps: 20, mixAdjustedChange: 0 });
  });

  it("Simpson's paradox: raw -12 while both kinds improved; mix-adjusted +7.5", () => {
    // Current: R P14 A4 D2 (n 20, NPS 100*12/20 = 60); T P28 A20 D32 (n 80, NPS 100*(-4)/80 = -5)
    // total P42 A24 D34, n 100, NPS 8; raw -12.
    // mix-adjusted = 0.5 x 60 + 0.5 x (-5) = 27.5; change = 27.5 - 20 = +7.5
    //   = 0.5 x (60 - 40) + 0.5 x (-5 - 0) = 10 - 2.5 (within-kind changes at the previous weights)
    const r = surveyMix([
      { kind: 'RELATIONSHIP', previous: c(30, 10, 10), current: c(14, 4, 2) },
      { kind: 'TRANSACTIONAL', previous: c(20, 10, 20), current: c(28, 20, 32) },
    ]);
    expect(r.rawChange).toBe(-12);
    expect(r.mixAdjustedNps).toBeCloseTo(27.5, 12);
    expect(r.mixAdjustedChange).toBeCloseTo(7.5, 12);
    expect(r.mixShifted).toBe(true);
  });

  it('the threshold is "more than 10 points": 10 exactly is not a shift, 11 is', () => {
    // previous 50 / 50 of 100; current 60 / 40 of 100 -> shift 10; 61 / 39 -> 11
    const at = (r: number) => surveyMix([
      { kind: 'R', previous: c(50, 0, 0), current: c(r, 0, 0) },
      { kind: 'T', previous: c(0, 0, 50), current: c(0, 0, 100 - r) },
    ]);
    expect(at(60)).toMatchObject({ maxShift: 10, mixShifted: false });
    expect(at(61)).toMatchObject({ maxShift: 11, mixShifted: true });
    expect(surveyMix([
      { kind: 'R', previous: c(50, 0, 0), current: c(60, 0, 0) },
      { kind: 'T', previous: c(0, 0, 50), current: c(0, 0, 40) },
    ], { shiftThreshold: 5 }).mixShifted).toBe(true);
  });

  it('a kind answered before but not now: no mix-adjusted figure (its current NPS is undefined)', () => {
    const r = surveyMix([
      { kind: 'R', previous: c(10, 0, 0), current: c(5, 0, 5) },
      { kind: 'T', previous: c(0, 0, 10), current: c(0, 0, 0) },
    ]);
    expect(r).toMatchObject({ maxShift: 50, mixShifted: true, rawChange: 0 - 0, mixAdjustedNps: null, mixAdjustedChange: null });
  });

  it('a kind new this period weighs 0 in the mix-adjusted NPS', () => {
    // previous only R (P10, NPS 100); current R P5 D5 (NPS 0), T P10 (NPS 100): adjusted = 1 x 0 = 0
    const r = surveyMix([
      { kind: 'R', previous: c(10, 0, 0), current: c(5, 0, 5) },
      { kind: 'T', previous: c(0, 0, 0), current: c(10, 0, 0) },
    ]);
    expect(r).toMatchObject({ mixAdjustedNps: 0, mixAdjustedChange: -100, previousNps: 100 });
  });

  it('a period without responses: shares, shifts and changes null, not shifted', () => {
    const r = surveyMix([{ kind: 'R', previous: c(0, 0, 0), current: c(3, 1, 1) }]);
    expect(r).toMatchObject({ maxShift: null, mixShifted: false, rawChange: null, mixAdjustedNps: null, previousNps: null, currentNps: 40 });
    expect(r.kinds[0]).toMatchObject({ previousShare: null, currentShare: 100, shift: null });
  });

  it('rejects a repeated kind and a negative threshold', () => {
    expect(() => surveyMix([{ kind: 'R', previous: c(1, 0, 0), current: c(1, 0, 0) }, { kind: 'R', previous: c(1, 0, 0), current: c(1, 0, 0) }])).toThrow(RangeError);
    expect(() => surveyMix([], { shiftThreshold: -1 })).toThrow(RangeError);
  });
});

describe('surveyMix: properties', () => {
  const n = fc.integer({ min: 0, max: 400 });
  const countsArb: fc.Arbitrary<NpsCounts> = fc.record({ promoters: n, passives: n, detractors: n });
  const kindsArb = fc.array(fc.record({ previous: countsArb, current: countsArb }), { minLength: 1, maxLength: 4 }).map((ks) => ks.map((k, i) => ({ kind: `K${i}`, ...k })));
  const runs = { numRuns: 500 };

  it('mix-adjusted change = sum of previous shares x within-kind changes; shifts sum to 0', () => {
    fc.assert(
      fc.property(kindsArb, (kinds) => {
        const r = surveyMix(kinds);
        if (r.mixAdjustedChange !== null) {
          const laspeyres = r.kinds.reduce((s, k) => (k.previousResponses === 0 ? s : s + (k.previousShare! / 100) * (k.currentNps! - k.previousNps!)), 0);
          expect(r.mixAdjustedChange).toBeCloseTo(laspeyres, 8);
        }
        if (r.maxShift !== null) expect(r.kinds.reduce((s, k) => s + k.shift!, 0)).toBeCloseTo(0, 9);
      }),
      runs,
    );
  });

  it('with the same responses per kind in both periods: no shift, and mix-adjusted equals raw', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(countsArb, fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 4 }), (pairs) => {
        // current has the previous kind's total, split differently
        const kinds = pairs.map(([previous, seed], i) => {
          const total = previous.promoters + previous.passives + previous.detractors;
          const promoters = seed % (total + 1);
          const detractors = (total - promoters) === 0 ? 0 : (seed * 7) % (total - promoters + 1);
          return { kind: `K${i}`, previous, current: c(promoters, total - promoters - detractors, detractors) };
        });
        const r = surveyMix(kinds);
        if (r.rawChange === null) return;
        expect(r.maxShift).toBeCloseTo(0, 9);
        expect(r.mixShifted).toBe(false);
        expect(r.mixAdjustedChange!).toBeCloseTo(r.rawChange, 8);
      }),
      runs,
    );
  });
});
