import { parse, validate } from 'graphql';
import { buildAppSchema } from '../src/schema';
import { QUERIES, TRIVIAL } from '../bench/queries';

/** The benchmark's queries (bench/queries.ts) are valid against the schema: a rename would otherwise only show in a 45-minute run. */
describe('bench queries', () => {
  it('validate against the schema', async () => {
    const schema = await buildAppSchema();
    const problems = [...QUERIES.map((q) => [q.name, q.query]), ['trivial', TRIVIAL]].flatMap(([name, query]) =>
      validate(schema, parse(query)).map((e) => `${name}: ${e.message}`),
    );
    expect(problems).toEqual([]);
    expect(QUERIES.map((q) => q.name)).toEqual(expect.arrayContaining(['drivers last quarter vs the one before', 'drivers MANAGER team (CX-SUP) last quarter']));
  });
});
