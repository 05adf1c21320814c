import { shiftFamily, ShiftInput } from './shift-family';
import type { NpsCounts } from './types';

/** mulberry32: a small seeded PRNG, so the simulation repeats exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** n respondents drawn with promoter and detractor probabilities pp, pd. */
function drawNps(rnd: () => number, n: number, pp: number, pd: number): NpsCounts {
  const c = { promoters: 0, passives: 0, detractors: 0 };
  for (let i = 0; i < n; i++) {
    const u = rnd();
    if (u < pp) c.promoters++;
    else if (u < pp + pd) c.detractors++;
    else c.passives++;
  }
  return c;
}

describe('shiftFamily: hand-built family', () => {
  it('tests NPS by adjusted-Wald and shares by Agresti-Caffo, leaves low samples out, and applies BH over the rest', () => {
    const inputs: ShiftInput<string>[] = [
      // NPS 20 -> -20 on 200 each: z from the adjusted-Wald centres, clearly significant.
      { id: 'nps', metric: 'NPS', previous: { promoters: 80, passives: 80, detractors: 40 }, current: { promoters: 40, passives: 80, detractors: 80 }, minSample: 30 },
      // 10 of 100 -> 20 of 100: p = 0.0520 (see agresti-caffo.spec), not a shift.
      { id: 'share', metric: 'DETRACTOR_SHARE', previous: { part: 10, whole: 100 }, current: { part: 20, whole: 100 }, minSample: 30 },
      // 20 detractors on one side, minimum 30: not tested.
      { id: 'low', metric: 'FOLLOW_UP_RATE', previous: { part: 20, whole: 20 }, current: { part: 0, whole: 40 }, minSample: 30 },
    ];
    const r = shiftFamily(inputs);
    expect(r.tests).toBe(2);
    const [nps, share, low] = r.results;
    expect(nps).toMatchObject({ discovery: true, direction: 'DOWN', previousValue: 20, currentValue: -20, delta: -40, previousSample: 200, currentSample: 200, skipped: null });
    // m = 2: the smaller p-value is adjusted by 2/1, the larger by 2/2.
    expect(nps.adjustedPValue).toBeCloseTo(Math.min(2 * nps.pValue!, share.pValue!), 15);
    expect(share).toMatchObject({ discovery: false, direction: null, delta: 10 });
    expect(share.adjustedPValue).toBeCloseTo(share.pValue!, 15);
    expect(low).toMatchObject({ skipped: 'LOW_SAMPLE', pValue: null, adjustedPValue: null, discovery: false, previousSample: 20, currentSample: 40, previousValue: 100, currentValue: 0 });
  });

  it('an empty window is never tested, even with minSample 0', () => {
    const r = shiftFamily([{ id: 1, metric: 'NPS', previous: { promoters: 0, passives: 0, detractors: 0 }, current: { promoters: 5, passives: 0, detractors: 0 }, minSample: 0 }]);
    expect(r.tests).toBe(0);
    expect(r.results[0]).toMatchObject({ skipped: 'LOW_SAMPLE', previousValue: null, currentValue: 100, delta: null });
  });
});

describe('shiftFamily: seeded simulation of the false-discovery share', () => {
  const q = 0.05;

  it('many stable scopes (no true shift): the share of families with any alert stays within q', () => {
    // 1,000 windows x 40 stable scopes; each scope has its own size (30..400 responses, the rules'
    // default minimum sample of 30) and NPS mix,
    // the same in both windows. With every null true, FDR = P(at least one alert), which BH bounds by q.
    const rnd = mulberry32(20261202);
    const families = 1000;
    let withFalseAlert = 0;
    let alerts = 0;
    for (let f = 0; f < families; f++) {
      const inputs: ShiftInput<number>[] = [];
      for (let s = 0; s < 40; s++) {
        const n = 30 + Math.floor(rnd() * 370);
        const pp = 0.3 + rnd() * 0.4;
        const pd = (1 - pp) * (0.2 + rnd() * 0.5);
        const metric = s % 3 === 0 ? 'NPS' : s % 3 === 1 ? 'DETRACTOR_SHARE' : 'FOLLOW_UP_RATE';
        const a = drawNps(rnd, n, pp, pd);
        const b = drawNps(rnd, n, pp, pd);
        if (metric === 'NPS') inputs.push({ id: s, metric, previous: a, current: b, minSample: 30 });
        else if (metric === 'DETRACTOR_SHARE') {
          inputs.push({ id: s, metric, previous: { part: a.detractors, whole: n }, current: { part: b.detractors, whole: n }, minSample: 30 });
        } else {
          // follow-up of detractors at a stable 60%
          const followed = (d: number) => Array.from({ length: d }, () => rnd() < 0.6).filter(Boolean).length;
          inputs.push({ id: s, metric, previous: { part: followed(a.detractors), whole: a.detractors }, current: { part: followed(b.detractors), whole: b.detractors }, minSample: 30 });
        }
      }
      const r = shiftFamily(inputs, { q });
      alerts += r.discoveries;
      if (r.discoveries > 0) withFalseAlert++;
    }
    const fdr = withFalseAlert / families;
    // Declared level q = 0.05. The estimate is itself a binomial proportion (SE sqrt(q (1 - q) / 1000)
    // = 0.0069): "within the level" means not above q by more than two of its SEs. Measured with
    // 5,000 windows: 0.051 here; with windows of 20..200 and a minimum of 20, 0.057: the normal
    // approximations' far tails (BH's first threshold is q/m = 0.00125) run a little heavy below 30.
    const tolerance = 2 * Math.sqrt((q * (1 - q)) / families);
    expect(fdr).toBeLessThanOrEqual(q + tolerance);
    // Sanity: the tests are not simply silent (some false alerts do happen, as they should at 5%).
    expect(alerts).toBeGreaterThan(0);
  }, 300_000);

  it('40 scopes of which 8 truly shift: the mean false-discovery proportion stays within q, and the true shifts are found', () => {
    const rnd = mulberry32(7);
    const families = 200;
    let fdpSum = 0;
    let trueFound = 0;
    for (let f = 0; f < families; f++) {
      const inputs: ShiftInput<number>[] = [];
      const shifted = new Set<number>();
      for (let s = 0; s < 40; s++) {
        const n = 150 + Math.floor(rnd() * 250);
        const pp = 0.45;
        const pd = 0.2;
        const shift = s < 8;
        if (shift) shifted.add(s);
        // a shift: 12 points of promoters move to detractors (NPS -24)
        inputs.push({ id: s, metric: 'NPS', previous: drawNps(rnd, n, pp, pd), current: drawNps(rnd, n, shift ? pp - 0.12 : pp, shift ? pd + 0.12 : pd), minSample: 30 });
      }
      const r = shiftFamily(inputs, { q });
      const found = r.results.filter((x) => x.discovery);
      const falseOnes = found.filter((x) => !shifted.has(x.id)).length;
      fdpSum += found.length ? falseOnes / found.length : 0;
      trueFound += found.length - falseOnes;
    }
    // BH bounds the FDR by q m0 / m = 0.05 * 32/40 = 0.04.
    expect(fdpSum / families).toBeLessThanOrEqual(q);
    // Power: a 24-point NPS fall on 150-400 responses a window is found in most windows.
    expect(trueFound / (families * 8)).toBeGreaterThan(0.7);
  }, 300_000);
});
