import 'reflect-metadata';
import { validate } from 'class-validator';
import { getMetadataStorage } from 'type-graphql';
import { ROLLUPS } from '../facts/rollup-defs';
import { FILTER_FIELD_LIST, FILTER_FIELDS, SEGMENT_FILTER_FIELDS } from './fields';
import { LIST_MAX } from './field-kinds';
import { ResponseFilter } from './response-filter.input';

const fieldsOf = (target: Function) => getMetadataStorage().fields.filter((f) => f.target === target);

describe('the table of filter fields', () => {
  it('generates ResponseFilter with every field of the table, nullable, with its description', () => {
    const fields = fieldsOf(ResponseFilter);
    expect(fields.map((f) => f.name)).toEqual(FILTER_FIELD_LIST.map(([name]) => name));
    for (const f of fields) {
      expect([f.name, f.typeOptions.nullable, f.description]).toEqual([f.name, true, FILTER_FIELDS[f.name as keyof typeof FILTER_FIELDS].description]);
    }
  });

  it('carries the kinds’ input checks on the generated class (a list longer than the limit is refused)', async () => {
    const ok = Object.assign(new ResponseFilter(), { channels: ['email'], minScore: 3 });
    expect(await validate(ok)).toEqual([]);
    const tooLong = Object.assign(new ResponseFilter(), { channels: Array.from({ length: LIST_MAX + 1 }, (_, i) => `c${i}`), minScore: 11 });
    expect((await validate(tooLong)).map((e) => e.property).sort()).toEqual(['channels', 'minScore']);
  });

  it('lets a segment store every field but segmentId and customerRefs (a segment names no customer: erasure could not find it there)', () => {
    expect(SEGMENT_FILTER_FIELDS).toEqual(FILTER_FIELD_LIST.map(([name]) => name).filter((n) => n !== 'segmentId' && n !== 'customerRefs'));
  });

  it('reads, for each condition, a dimension some rollup holds (or the raw rows)', () => {
    const held = new Set(ROLLUPS.flatMap((r) => r.dims));
    for (const [name, f] of FILTER_FIELD_LIST) {
      if (f.condition && f.condition.reads !== 'raw') expect([name, held.has(f.condition.reads)]).toEqual([name, true]);
    }
  });

});
