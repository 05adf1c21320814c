import { rankByNps } from './rank-departments';

describe('rankByNps', () => {
  const row = (id: string, nps: number | null, responses: number) => ({ id, score: { nps, responses } });

  it('ranks best NPS first, ties by more responses, rows without responses last in the order given', () => {
    const rows = [row('a', null, 0), row('b', 20, 10), row('c', 55, 4), row('d', 20, 30), row('e', null, 0), row('f', -30, 50)];
    expect(rankByNps(rows).map((r) => r.id)).toEqual(['c', 'd', 'b', 'f', 'a', 'e']);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
