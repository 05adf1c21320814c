import { IsOptional } from 'class-validator';
import { ClassType, Field, InputType } from 'type-graphql';
import { FILTER_FIELD_LIST, FilterFieldName, FilterFieldValue } from './fields';

export { SEGMENT_FILTER_FIELDS } from './fields';

/** What a ResponseFilter holds: every field of the table, optional and nullable. */
export type ResponseFilter = { [K in FilterFieldName]?: FilterFieldValue<K> | null };

/**
 * Builds the ResponseFilter input type from the table of filter fields (fields.ts), the way
 * pagination.ts builds connection types: each field with its GraphQL type and description,
 * nullable, with the kind's class-validator checks.
 */
function responseFilterInputType(): ClassType<ResponseFilter> {
  @InputType('ResponseFilter', { description: 'Which responses a question covers. Fields combine with AND; values within a list with OR.' })
  class ResponseFilterInput {}
  for (const [name, field] of FILTER_FIELD_LIST) {
    Field(field.kind.graphql, { nullable: true, description: field.description })(ResponseFilterInput.prototype, name);
    for (const check of [IsOptional(), ...field.kind.validators()]) check(ResponseFilterInput.prototype, name);
  }
  return ResponseFilterInput;
}

/**
 * What a question is about. Every query that takes it goes through the one filter compiler
 * (filter-compiler.ts), so every screen agrees on what a filter means. All fields combine with AND;
 * the values of one list field combine with OR.
 */
export const ResponseFilter = responseFilterInputType();
