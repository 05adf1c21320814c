import { parseBenchArgs } from '../bench/args';

/** The benchmark's command line (bench/args.ts): the supplementary --only run and its checks. */
describe('npm run bench arguments', () => {
  const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' };

  it('times every query by default', () => {
    expect(parseBenchArgs(['--responses', '1000'], env).only).toEqual([]);
  });

  it('--only keeps the lower-cased words of query names, comma-separated, blanks dropped', () => {
    expect(parseBenchArgs(['--responses', '1000', '--only', 'executiveSummary, Movers,,'], env).only).toEqual(['executivesummary', 'movers']);
  });

  it('refuses a remote database and bad numbers', () => {
    expect(() => parseBenchArgs(['--responses', '1000'], { DATABASE_URL: 'postgres://postgres@db.example.com/postgres' })).toThrow(/loopback/);
    expect(() => parseBenchArgs(['--responses', '10'], env)).toThrow(/--responses/);
  });
});
