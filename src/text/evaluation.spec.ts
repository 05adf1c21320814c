import { evaluateTagging, formatEvaluation } from './evaluation';

describe('evaluateTagging', () => {
  const items = [
    { id: 1, text: 'a', themes: ['x'] },
    { id: 2, text: 'b', themes: ['x', 'y'] },
    { id: 3, text: 'c', themes: [] },
    { id: 4, text: 'd', themes: ['y', 'unknown'] },
  ];
  const predictions: Record<string, string[]> = { a: ['x'], b: ['x'], c: ['y', 'x'], d: ['y', 'y'] };
  const e = evaluateTagging(items, ['x', 'y', 'z'], (t) => predictions[t]);

  it('counts per theme', () => {
    expect(e.themes.map(({ code, support, truePositives, falsePositives, falseNegatives }) => [code, support, truePositives, falsePositives, falseNegatives])).toEqual([
      ['x', 2, 2, 1, 0],
      ['y', 2, 1, 1, 1],
      ['z', 0, 0, 0, 0],
    ]);
    const [x, y, z] = e.themes;
    expect(x.precision).toBeCloseTo(2 / 3, 12);
    expect(x.recall).toBe(1);
    expect(x.f1).toBeCloseTo(0.8, 12);
    expect([y.precision, y.recall, y.f1]).toEqual([0.5, 0.5, 0.5]);
    expect([z.precision, z.recall, z.f1]).toEqual([null, null, null]);
  });

  it('pools counts for micro figures and averages defined ones for macro', () => {
    expect(e.micro).toMatchObject({ support: 4, truePositives: 3, falsePositives: 2, falseNegatives: 1, precision: 0.6, recall: 0.75 });
    expect(e.micro.f1).toBeCloseTo((2 * 0.6 * 0.75) / 1.35, 12);
    expect(e.macro.precision).toBeCloseTo((2 / 3 + 0.5) / 2, 12);
    expect(e.macro.recall).toBeCloseTo(0.75, 12);
  });

  it('lists the texts that disagree', () => {
    expect(e.errors).toEqual([
      { id: 2, text: 'b', missed: ['y'], extra: [] },
      { id: 3, text: 'c', missed: [], extra: ['x', 'y'] },
    ]);
  });

  it('formats a markdown table', () => {
    const table = formatEvaluation(e, new Map([['x', 'Ex']]));
    expect(table.split('\n')).toHaveLength(2 + 3 + 2);
    expect(table).toContain('| Ex (`x`) | 2 | 2 | 1 | 0 | 66.7 | 100.0 | 80.0 |');
    expect(table).toContain('| `z` | 0 | 0 | 0 | 0 | – | – | – |');
  });

  it('has zero F1, not null, when a theme is tagged and labelled but never both', () => {
    const none = evaluateTagging([{ id: 1, text: 'a', themes: ['x'] }, { id: 2, text: 'b', themes: [] }], ['x'], (t) => (t === 'b' ? ['x'] : []));
    expect(none.themes[0]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});
