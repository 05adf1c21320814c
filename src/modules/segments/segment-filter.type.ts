import { Field, ObjectType } from 'type-graphql';
import { FILTER_FIELDS, FilterFieldValue, SEGMENT_FILTER_FIELDS, SegmentFieldName } from '../reporting/filter/fields';
import type { NormalizedFilter } from '../reporting/filter/normalize-filter';

/** What a SegmentFilter holds: every field a segment may store, null when not set. */
export type SegmentFilter = { [K in SegmentFieldName]: FilterFieldValue<K> | null };

/**
 * Builds the SegmentFilter object type from the table of filter fields (fields.ts): the fields a
 * segment may store, each with its GraphQL type and its SegmentFilter description, nullable.
 */
function segmentFilterObjectType() {
  @ObjectType('SegmentFilter', {
    description: "A segment's saved filter, field by field (null: not restricted). Same meaning as the ResponseFilter fields of the same name.",
  })
  class SegmentFilterObject {
    /** A normalized filter as a SegmentFilter: every segment field, absent ones null. */
    static from(f: NormalizedFilter): SegmentFilter {
      const out = new SegmentFilterObject() as Record<string, unknown>;
      for (const name of SEGMENT_FILTER_FIELDS) out[name] = f[name] ?? null;
      return out as SegmentFilter;
    }
  }
  for (const name of SEGMENT_FILTER_FIELDS) {
    const field = FILTER_FIELDS[name];
    Field(field.kind.graphql, { nullable: true, description: field.segment as string })(SegmentFilterObject.prototype, name);
  }
  return SegmentFilterObject;
}

/** A segment's saved filter as a readable object: the fields of ResponseFilter it holds (null when not set). */
export const SegmentFilter = segmentFilterObjectType();
