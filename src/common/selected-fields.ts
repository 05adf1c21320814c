import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects any of `names` directly in its selection set (through
 * fragment spreads and inline fragments too), or, with `path`, in the selection set of that child
 * field (e.g. ['metrics'] for a list of rows holding their metrics). A field under a @skip or
 * @include directive counts as selected: a cheaper answer is only chosen when nothing could ask
 * for the costly part.
 */
export function selectsAny(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, names: readonly string[], path: readonly string[] = []): boolean {
  const wanted = new Set(names);
  const fieldsOf = (set: SelectionSetNode | undefined, seen: Set<string>): FieldNode[] => {
    if (!set) return [];
    return set.selections.flatMap((s) => {
      if (s.kind === Kind.FIELD) return [s];
      if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, seen);
      if (seen.has(s.name.value)) return [];
      const fragment = info.fragments[s.name.value];
      return fragment ? fieldsOf(fragment.selectionSet, new Set([...seen, s.name.value])) : [];
    });
  };
  let level: FieldNode[] = [...info.fieldNodes];
  for (const step of path) level = level.flatMap((f) => fieldsOf(f.selectionSet, new Set())).filter((f) => f.name.value === step);
  return level.some((f) => fieldsOf(f.selectionSet, new Set()).some((child) => wanted.has(child.name.value)));
}
