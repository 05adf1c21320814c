import { buildSchema, OperationDefinitionNode, parse, validate } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { operationCost, pointsFor, QUERY_COST_WEIGHTS, rowsWritten } from './charge';

const schema = buildSchema(`
  type Score { nps: Float responses: Int }
  type Department { code: String score: Score children(first: Int): [Department!]! }
  input Row { ref: String }
  type Result { accepted: Int }
  type Query { viewer: String departments(first: Int): [Department!]! }
  type Mutation { submitResponses(responses: [Row!]!): Result bulkUpdateActionItems(updates: [Row!]!): Result other(rows: [Row!]): Result }
`);

const ops = (source: string) => {
  const document = parse(source);
  return { document, op: (i = 0) => document.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')[i] };
};

/** What graphql-armor's limit says a query costs: its refusal at maxCost 0 names the figure. */
function armorCost(source: string): number {
  let message = '';
  validate(schema, parse(source), [costLimitRule({ ...QUERY_COST_WEIGHTS, maxCost: 0, propagateOnRejection: false, onReject: [(_c, e) => (message = e.message)] })]);
  return Number(/found (\d+(?:\.\d+)?)/.exec(message)![1]);
}

describe('operationCost', () => {
  it("is the cost graphql-armor's limit computes", () => {
    for (const q of [
      '{ viewer }',
      '{ departments { code score { nps responses } } }',
      '{ departments(first: 20) { code children(first: 5) { code score { nps } } } }',
      'query Q { ...F } fragment F on Query { departments { code } }',
    ]) {
      const { document, op } = ops(q);
      expect(operationCost(schema, document, op())).toBe(armorCost(q));
    }
  });

  it('grows with what is asked: more fields, deeper, longer pages', () => {
    const cost = (q: string) => {
      const { document, op } = ops(q);
      return operationCost(schema, document, op());
    };
    expect(cost('{ viewer }')).toBe(1);
    expect(cost('{ departments { code } }')).toBeGreaterThan(cost('{ viewer }'));
    expect(cost('{ departments { code score { nps responses } } }')).toBeGreaterThan(cost('{ departments { code } }'));
    expect(cost('{ departments(first: 50) { code } }')).toBe(50 * cost('{ departments { code } }'));
  });

  it('counts the operation asked for, not the others of the document', () => {
    const { document, op } = ops('query Cheap { viewer } query Dear { departments(first: 10) { code score { nps } } }');
    expect(operationCost(schema, document, op(0))).toBe(1);
    expect(operationCost(schema, document, op(1))).toBe(armorCost('{ departments(first: 10) { code score { nps } } }'));
    expect(operationCost(schema, document, op(0))).toBe(1); // from the cache, still per operation
  });
});

describe('rowsWritten', () => {
  const rows = (q: string, variables?: Record<string, unknown>) => {
    const { document, op } = ops(q);
    return rowsWritten(document, op(), variables);
  };

  it('counts the rows of submitResponses and bulkUpdateActionItems, from variables or literals', () => {
    expect(rows('mutation($r: [Row!]!) { submitResponses(responses: $r) { accepted } }', { r: [{}, {}, {}] })).toBe(3);
    expect(rows('mutation { submitResponses(responses: [{ref: "a"}, {ref: "b"}]) { accepted } }')).toBe(2);
    expect(rows('mutation($u: [Row!]!) { bulkUpdateActionItems(updates: $u) { accepted } }', { u: Array(500).fill({}) })).toBe(500);
  });

  it('counts a single row given where a list is expected as one, and every alias', () => {
    expect(rows('mutation($r: [Row!]!) { submitResponses(responses: $r) { accepted } }', { r: {} })).toBe(1);
    expect(rows('mutation { submitResponses(responses: {ref: "a"}) { accepted } }')).toBe(1);
    expect(
      rows('mutation($a: [Row!]!, $b: [Row!]!) { a: submitResponses(responses: $a) { accepted } b: submitResponses(responses: $b) { accepted } }', {
        a: [{}, {}],
        b: [{}],
      }),
    ).toBe(3);
    expect(rows('mutation($r: [Row!]!) { ...F } fragment F on Mutation { submitResponses(responses: $r) { accepted } }', { r: [{}, {}] })).toBe(2);
  });

  it('counts nothing for queries and other mutations', () => {
    expect(rows('{ viewer }')).toBe(0);
    expect(rows('mutation($r: [Row!]) { other(rows: $r) { accepted } }', { r: [{}, {}] })).toBe(0);
  });
});

describe('pointsFor', () => {
  it('charges the cost rounded up plus one point per row, at least 1', () => {
    expect(pointsFor(4.5, 0, 1000)).toBe(5);
    expect(pointsFor(30, 1000, 60_000)).toBe(1030);
    expect(pointsFor(0, 0, 1000)).toBe(1);
  });

  it('never charges more than the whole budget, so an allowed query can always run on a full one', () => {
    expect(pointsFor(100_000, 0, 60_000)).toBe(60_000);
    expect(pointsFor(30, 1000, 500)).toBe(500);
  });
});
