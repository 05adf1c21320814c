import { DocumentNode, FragmentDefinitionNode, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode, validate } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';

/**
 * The weights of a query's cost: graphql-armor's cost limit (QUERY_MAX_COST, src/server.ts) and the
 * rate limits both use these, so a query is charged the cost the limit judged it by. They are
 * graphql-armor's defaults written out: 1 per scalar field, 2 per object field, each level down
 * weighing 1.5 times more, a list's selection multiplied by a literal `first`/`last`.
 */
export const QUERY_COST_WEIGHTS = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 } as const;

/**
 * Points one row of a bulk write spends, beside the operation's cost: storing a response (a 1,000-row
 * batch takes about 250 ms of the server's time) costs about what a query of 1 to 2 points does.
 */
export const POINTS_PER_ROW = 1;

/** Mutations that write a list of rows, and the argument holding the rows. */
export const ROW_ARGUMENTS: Readonly<Record<string, string>> = { submitResponses: 'responses', bulkUpdateActionItems: 'updates' };

const costs = new WeakMap<DocumentNode, Map<OperationDefinitionNode, number>>();

/**
 * The cost graphql-armor's limit computes for `operation` (with the document's fragments), through
 * armor's own rule. Kept per parsed document: Apollo reuses the parsed document of a query it has
 * seen, and skips validation for it (so the limit's own figure cannot be picked up there).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): number {
  let perOperation = costs.get(document);
  const known = perOperation?.get(operation);
  if (known !== undefined) return known;
  let cost = 0;
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const rule = costLimitRule({ ...QUERY_COST_WEIGHTS, maxCost: Number.MAX_SAFE_INTEGER, onAccept: [(_ctx, { n }) => (cost = n)] });
  validate(schema, { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }, [rule]);
  if (!perOperation) costs.set(document, (perOperation = new Map()));
  perOperation.set(operation, cost);
  return cost;
}

/**
 * How many rows the operation's bulk writes carry (ROW_ARGUMENTS), from the literal list or the
 * variable it names; a single value where a list is expected counts as one row (GraphQL takes it
 * as a list of one). Root fields in fragments count too; aliases each count.
 */
export function rowsWritten(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): number {
  if (operation.operation !== 'mutation') return 0;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const seen = new Set<string>();
  const count = (set: SelectionSetNode): number => {
    let rows = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) rows += count(s.selectionSet);
      else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) {
          seen.add(f.name.value);
          rows += count(f.selectionSet);
        }
      } else {
        const argName = ROW_ARGUMENTS[s.name.value];
        const arg = argName ? s.arguments?.find((a) => a.name.value === argName) : undefined;
        if (!arg) continue;
        const v = arg.value;
        if (v.kind === Kind.LIST) rows += v.values.length;
        else if (v.kind === Kind.VARIABLE) {
          const given = variables?.[v.name.value];
          rows += Array.isArray(given) ? given.length : given == null ? 0 : 1;
        } else if (v.kind !== Kind.NULL) rows += 1;
      }
    }
    return rows;
  };
  return count(operation.selectionSet);
}

/**
 * Points a request spends: its cost rounded up, plus POINTS_PER_ROW per row written, and never
 * more than the whole budget (a query the cost limit allows but that costs more than a key's budget
 * still runs, on a full budget, and empties it).
 */
export function pointsFor(cost: number, rows: number, budget: number): number {
  return Math.max(1, Math.min(budget, Math.ceil(cost) + rows * POINTS_PER_ROW));
}
