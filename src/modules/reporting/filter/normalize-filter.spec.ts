import { DomainError } from '../../../common/errors';
import { normalizeFilter, toStoredFilter } from './normalize-filter';

/** The error normalizeFilter throws for `input`, as code, field and message. */
function refusal(input: Record<string, unknown>, prefix?: string) {
  try {
    normalizeFilter(input, prefix);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { code: e.code, field: e.field, message: e.message };
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

const ID = '0f6e4a3c-1d2b-4c5d-8e9f-a0b1c2d3e4f5';

describe('normalizeFilter: one error per field kind, naming the field', () => {
  it.each([
    // dateTime
    [{ from: 'yesterday' }, 'filter.from', 'filter.from is not a valid date-time'],
    [{ to: 42 }, 'filter.to', 'filter.to is not a valid date-time'],
    // id
    [{ segmentId: 'nope' }, 'filter.segmentId', 'filter.segmentId is not a valid ID: "nope"'],
    [{ segmentId: '' }, 'filter.segmentId', 'filter.segmentId is not a valid ID: ""'],
    // idList
    [{ departmentIds: ['42'] }, 'filter.departmentIds', 'filter.departmentIds is not a valid ID: "42"'],
    [{ surveyIds: [ID, 7] }, 'filter.surveyIds', 'filter.surveyIds must be a list of strings'],
    [{ agentIds: ID }, 'filter.agentIds', 'filter.agentIds must be a list of strings'],
    // stringList
    [{ channels: 'email' }, 'filter.channels', 'filter.channels must be a list of strings'],
    [{ regions: [null] }, 'filter.regions', 'filter.regions must be a list of strings'],
    // enumValue
    [{ surveyKind: 'WEEKLY' }, 'filter.surveyKind', 'filter.surveyKind must be one of RELATIONSHIP, TRANSACTIONAL'],
    // enumList
    [{ categories: ['PROMOTER', 'FAN'] }, 'filter.categories', 'filter.categories must be one of DETRACTOR, PASSIVE, PROMOTER'],
    // wholeNumber
    [{ tenureMinDays: -1 }, 'filter.tenureMinDays', 'filter.tenureMinDays must be a whole number from 0'],
    [{ tenureMaxDays: 1.5 }, 'filter.tenureMaxDays', 'filter.tenureMaxDays must be a whole number from 0'],
    [{ minScore: 11 }, 'filter.minScore', 'filter.minScore must be a whole number from 0 to 10'],
    [{ maxScore: '9' }, 'filter.maxScore', 'filter.maxScore must be a whole number from 0 to 10'],
    // amount
    [{ spendMin: -1 }, 'filter.spendMin', 'filter.spendMin must be a number of at least 0'],
    [{ spendMax: Infinity }, 'filter.spendMax', 'filter.spendMax must be a number of at least 0'],
    // flag
    [{ hasComment: 'yes' }, 'filter.hasComment', 'filter.hasComment must be a boolean'],
  ])('%j', (input, field, message) => {
    expect(refusal(input)).toEqual({ code: 'BAD_USER_INPUT', field, message });
  });

  it.each([
    [{ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'filter.to', 'filter.to must be after filter.from'],
    [{ from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'filter.to', 'filter.to must be after filter.from'],
    [{ tenureMinDays: 10, tenureMaxDays: 5 }, 'filter.tenureMaxDays', 'filter.tenureMaxDays must not be below filter.tenureMinDays'],
    [{ spendMin: 100, spendMax: 5 }, 'filter.spendMax', 'filter.spendMax must not be below filter.spendMin'],
    [{ minScore: 9, maxScore: 2 }, 'filter.maxScore', 'filter.maxScore must not be below filter.minScore'],
    [
      { departmentIds: [ID], departmentCodes: ['CX'] },
      'filter.departmentCodes',
      'filter.departmentCodes cannot be combined with filter.departmentIds: name the departments by id or by code, not both',
    ],
  ])('rule between fields: %j', (input, field, message) => {
    expect(refusal(input)).toEqual({ code: 'BAD_USER_INPUT', field, message });
  });

  it('names the field with the prefix it is given', () => {
    expect(refusal({ channels: 'email' }, 'segment filter').field).toBe('segment filter.channels');
  });
});

describe('normalizeFilter: values', () => {
  it('keeps only what restricts: null and empty lists are left out, lists de-duplicated, ids lower-cased, dates parsed', () => {
    const f = normalizeFilter({
      from: '2025-01-01T00:00:00Z',
      to: null,
      departmentIds: [ID.toUpperCase(), ID],
      channels: [],
      regions: ['EU', 'EU', 'US'],
      categories: ['DETRACTOR', 'DETRACTOR'],
      hasComment: false,
      minScore: 0,
      segmentId: ID.toUpperCase(),
    });
    expect(f).toEqual({
      from: new Date('2025-01-01T00:00:00Z'),
      departmentIds: [ID],
      regions: ['EU', 'US'],
      categories: ['DETRACTOR'],
      hasComment: false,
      minScore: 0,
      segmentId: ID,
    });
    expect(Object.keys(normalizeFilter({ to: undefined, spendMax: null, products: [] }))).toEqual([]);
    expect(normalizeFilter(null)).toEqual({});
  });

  it('stores the segment fields only, dates as ISO strings', () => {
    const stored = toStoredFilter(normalizeFilter({ from: '2025-01-01T00:00:00Z', plans: ['pro'], segmentId: ID }));
    expect(stored).toEqual({ from: '2025-01-01T00:00:00.000Z', plans: ['pro'] });
  });
});
