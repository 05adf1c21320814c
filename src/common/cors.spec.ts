import { parseCorsOrigins } from './cors';

describe('parseCorsOrigins', () => {
  it('is empty when unset or blank: no origin allowed', () => {
    expect(parseCorsOrigins(undefined)).toEqual({ origins: [], problems: [] });
    expect(parseCorsOrigins(' , ')).toEqual({ origins: [], problems: [] });
  });

  it('reads exact origins, comma-separated, in their canonical form (host lower case, default port dropped), once each', () => {
    expect(parseCorsOrigins(' https://dash.example.com ,http://localhost:5173,HTTPS://Dash.Example.com:443,').origins).toEqual([
      'https://dash.example.com',
      'http://localhost:5173',
    ]);
  });

  it('accepts * alone, and refuses it beside other entries', () => {
    expect(parseCorsOrigins('*')).toEqual({ origins: ['*'], problems: [] });
    expect(parseCorsOrigins('*, https://a.example.com').problems).toEqual([expect.stringMatching(/only entry/)]);
  });

  it('names every entry that is not an origin', () => {
    const bad = ['https://a.example.com/', 'https://a.example.com/app', 'https://a.example.com?x=1', 'https://a.example.com#x', 'https://*.example.com', 'a.example.com', 'ftp://a.example.com', 'null', 'https://user@a.example.com', 'file:///tmp'];
    const { origins, problems } = parseCorsOrigins(['https://ok.example.com', ...bad].join(','));
    expect(origins).toEqual(['https://ok.example.com']);
    expect(problems).toHaveLength(bad.length);
    bad.forEach((entry, i) => expect(problems[i]).toContain(JSON.stringify(entry)));
  });
});
