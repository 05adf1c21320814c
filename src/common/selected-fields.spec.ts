import { buildSchema, execute, GraphQLResolveInfo, parse } from 'graphql';
import { selectsAny } from './selected-fields';

const schema = buildSchema(`
  type Metrics { count: Int median: Float }
  type Row { id: ID metrics: Metrics }
  type Query { metrics: Metrics rows: [Row] }
`);

/** The answer of selectsAny for the root field of `query`. */
function seen(query: string, names: string[], path: string[] = []): boolean {
  let out: boolean | undefined;
  // A function on the root value is called with (args, context, info).
  const capture = (_: unknown, __: unknown, info: GraphQLResolveInfo) => {
    out = selectsAny(info, names, path);
    return null;
  };
  execute({ schema, document: parse(query), rootValue: { metrics: capture, rows: capture } });
  if (out === undefined) throw new Error('not resolved');
  return out;
}

describe('selectsAny', () => {
  it('sees a field selected directly, and not one left out', () => {
    expect(seen('{ metrics { count median } }', ['median'])).toBe(true);
    expect(seen('{ metrics { count } }', ['median'])).toBe(false);
  });

  it('sees through named and inline fragments, nested and aliased', () => {
    expect(seen('query { metrics { ...A } } fragment A on Metrics { ...B } fragment B on Metrics { m: median }', ['median'])).toBe(true);
    expect(seen('query { metrics { ... on Metrics { median } } }', ['median'])).toBe(true);
    expect(seen('query { metrics { ...A } } fragment A on Metrics { count }', ['median'])).toBe(false);
  });

  it('counts a field under @skip or @include as selected', () => {
    expect(seen('{ metrics { count median @skip(if: true) } }', ['median'])).toBe(true);
  });

  it('looks below a path of child fields', () => {
    expect(seen('{ rows { id metrics { median } } }', ['median'], ['metrics'])).toBe(true);
    expect(seen('{ rows { id metrics { count } } }', ['median'], ['metrics'])).toBe(false);
    expect(seen('{ rows { id } }', ['median'], ['metrics'])).toBe(false);
  });
});
