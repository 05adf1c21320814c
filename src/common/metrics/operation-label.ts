import { GraphQLSchema, Kind, OperationDefinitionNode } from 'graphql';

/** The label of requests whose operation is not known (unparsable, invalid, refused before it was resolved). */
export const OTHER = 'other';
/** The label of operations selecting several root fields (a dashboard view asks for several reports at once). */
export const MULTIPLE = 'multiple';

/**
 * The metrics' `operation` label: bounded by the schema, never by what a client sends. An
 * operation selecting one root field (aliases and repetitions included) is labelled by that
 * field's name (npsTrend, submitResponses...), one selecting several is `multiple`, anything else
 * (no operation, introspection, a fragment spread at the root) is `other`. The client's own
 * operation name is not used: it is free text.
 */
export function operationLabeller(schema: GraphQLSchema): (operation: OperationDefinitionNode | undefined | null) => string {
  const known = new Set<string>();
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    for (const name of Object.keys(type?.getFields() ?? {})) known.add(name);
  }
  return (operation) => {
    if (!operation) return OTHER;
    const names = new Set<string>();
    for (const sel of operation.selectionSet.selections) {
      if (sel.kind !== Kind.FIELD) return OTHER;
      if (sel.name.value === '__typename') continue;
      if (!known.has(sel.name.value)) return OTHER;
      names.add(sel.name.value);
    }
    if (names.size === 1) return [...names][0];
    return names.size ? MULTIPLE : OTHER;
  };
}
