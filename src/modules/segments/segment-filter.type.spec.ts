import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { SEGMENT_FILTER_FIELDS } from '../reporting/filter/response-filter.input';
import { SegmentFilter } from './segment-filter.type';

describe('SegmentFilter', () => {
  it('shows every field a segment may store (add the field here when the filter gains a dimension)', () => {
    const shown = Object.keys(SegmentFilter.from({})).sort();
    expect(shown).toEqual([...SEGMENT_FILTER_FIELDS].sort());
    const graphqlFields = getMetadataStorage()
      .fields.filter((f) => f.target === SegmentFilter)
      .map((f) => f.name)
      .sort();
    expect(graphqlFields).toEqual([...SEGMENT_FILTER_FIELDS].sort());
  });

  it('maps a normalized filter, leaving absent fields null', () => {
    const from = new Date('2025-01-01T00:00:00Z');
    const f = SegmentFilter.from({ from, channels: ['email'], minScore: 0, hasComment: false });
    expect(f).toMatchObject({ from, channels: ['email'], minScore: 0, hasComment: false, to: null, regions: null, spendMin: null });
  });
});
