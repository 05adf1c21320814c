import { DocumentNode, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';

/** The field extension that marks a root query field whose answer the report cache may keep. */
export const REPORT_CACHE_EXTENSION = 'reportCache';

const verdicts = new WeakMap<OperationDefinitionNode, boolean>();

/**
 * Whether an operation may be answered from the report cache: a query whose every root field
 * (through fragments) is marked with the reportCache extension, or is __typename. Introspection,
 * mutations and fields showing operational data (responses, customers, keys, webhooks) are not.
 * Memoised per parsed operation: Apollo reuses the parsed document of a query text it has seen.
 */
export function isCacheableOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const known = verdicts.get(operation);
  if (known !== undefined) return known;
  const verdict = operation.operation === 'query' && rootFieldsCacheable(schema, document, operation.selectionSet, new Set());
  verdicts.set(operation, verdict);
  return verdict;
}

function rootFieldsCacheable(schema: GraphQLSchema, document: DocumentNode, set: SelectionSetNode, seen: Set<string>): boolean {
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value === '__typename') continue;
      if (fields[sel.name.value]?.extensions?.[REPORT_CACHE_EXTENSION] !== true) return false;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!rootFieldsCacheable(schema, document, sel.selectionSet, seen)) return false;
    } else {
      const name = sel.name.value;
      if (seen.has(name)) continue;
      seen.add(name);
      const frag = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name);
      if (!frag || frag.kind !== Kind.FRAGMENT_DEFINITION || !rootFieldsCacheable(schema, document, frag.selectionSet, seen)) return false;
    }
  }
  return true;
}
