import { badInput } from '../../../common/errors';
import { assertRangeOrder } from '../../../common/range-order';

/**
 * A rule between a filter field and another, checked once every field is normalised (BAD_USER_INPUT
 * naming the field that carries the rule). `self` and `other` are field names; `name` turns one into
 * the name an error shows (e.g. "filter.to").
 */
export type FieldRule = (self: string, filter: Readonly<Record<string, unknown>>, name: (field: string) => string) => void;

const both = (filter: Readonly<Record<string, unknown>>, a: string, b: string) => filter[a] !== undefined && filter[b] !== undefined;

/** An exclusive upper bound: strictly after the field `lower` (dates or numbers). */
export const after =
  (lower: string): FieldRule =>
  (self, filter, name) => {
    if (!both(filter, lower, self)) return;
    assertRangeOrder({ field: name(lower), value: filter[lower] as number | Date }, { field: name(self), value: filter[self] as number | Date });
  };

/** An upper bound that may equal the field `lower`, not fall below it. */
export const notBelow =
  (lower: string): FieldRule =>
  (self, filter, name) => {
    if (!both(filter, lower, self)) return;
    assertRangeOrder({ field: name(lower), value: filter[lower] as number }, { field: name(self), value: filter[self] as number }, { inclusive: true });
  };

/** Not together with the field `other` (`why` says what to do instead). */
export const notWith =
  (other: string, why: string): FieldRule =>
  (self, filter, name) => {
    if (both(filter, other, self)) throw badInput(`${name(self)} cannot be combined with ${name(other)}: ${why}`, name(self));
  };
