import { GraphQLError } from 'graphql';
import { badInput, classifyError, coercionPosition, conflict, httpStatusForCodes, isQueryCanceled, makeFormatError, rateLimited, reportTimeout } from './errors';

const format = makeFormatError({ exposeInternals: false });
const located = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ['q'] });

describe('error formatting', () => {
  it('keeps domain errors with their code and field', () => {
    const out = format({ message: 'x', path: ['q'] }, located(badInput('score must be 0-10', 'score')));
    expect(out).toEqual({ message: 'score must be 0-10', path: ['q'], locations: undefined, extensions: { code: 'BAD_USER_INPUT', field: 'score' } });
    expect(format({ message: 'x' }, located(conflict('stale', { currentVersion: 3 }))).extensions).toEqual({ code: 'CONFLICT', currentVersion: 3 });
  });

  it('hides internal errors: no message, stack or SQL reaches the client', () => {
    const err = Object.assign(new Error('relation "secret_table" does not exist'), { stack: 'at db.ts:1' });
    const out = format({ message: err.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at db.ts:1'] } }, located(err));
    expect(out.message).toBe('Internal server error');
    expect(JSON.stringify(out)).not.toMatch(/secret_table|db\.ts/);
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('maps database refusals to client codes without the SQL text', () => {
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "x"'), { name: 'QueryFailedError', driverError: { code: '23505' } });
    expect(classifyError(unique)).toEqual({ code: 'CONFLICT', message: 'A record with the same unique key already exists' });
    const check = Object.assign(new Error('violates check'), { name: 'QueryFailedError', driverError: { code: '23514' } });
    expect(classifyError(check)?.code).toBe('BAD_USER_INPUT');
  });

  it('turns class-validator failures into BAD_USER_INPUT naming the fields', () => {
    const validation = new GraphQLError('Argument Validation Error', {
      extensions: { code: 'BAD_USER_INPUT', validationErrors: [{ property: 'input', children: [{ property: 'code', constraints: { matches: 'code must match' } }] }] },
    });
    const out = format({ message: 'Argument Validation Error' }, located(validation));
    expect(out.extensions?.code).toBe('BAD_USER_INPUT');
    expect(out.message).toContain('input.code: code must match');
    expect(out.extensions?.field).toBe('input.code');
    expect(out.extensions?.problems).toEqual([{ field: 'input.code', message: 'code must match' }]);
  });

  it('strips stack traces from GraphQL validation errors', () => {
    const out = format({ message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['x'] } }, new GraphQLError('Cannot query field'));
    expect(out.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('answers a report timeout as REPORT_TIMEOUT with its deadline, and no SQL', () => {
    const out = format({ message: 'x', path: ['npsSummary'] }, located(reportTimeout(1500)));
    expect(out.extensions).toEqual({ code: 'REPORT_TIMEOUT', timeoutMs: 1500 });
    expect(out.message).toMatch(/longer than 1500 ms/);
    expect(out.message).toMatch(/narrow the filter|retry later/);
  });

  it('recognises query_canceled (57014) from pg and from TypeORM, and nothing else', () => {
    expect(isQueryCanceled(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toBe(true);
    expect(isQueryCanceled(Object.assign(new Error('q'), { name: 'QueryFailedError', driverError: { code: '57014' } }))).toBe(true);
    expect(isQueryCanceled(Object.assign(new Error('q'), { driverError: { code: '23505' } }))).toBe(false);
    expect(isQueryCanceled(null)).toBe(false);
  });

  it('makes the HTTP status 503 only when every error is REPORT_TIMEOUT', () => {
    expect(httpStatusForCodes(['REPORT_TIMEOUT'])).toBe(503);
    expect(httpStatusForCodes(['REPORT_TIMEOUT', 'REPORT_TIMEOUT'])).toBe(503);
    expect(httpStatusForCodes(['REPORT_TIMEOUT', 'INTERNAL_SERVER_ERROR'])).toBeUndefined();
    expect(httpStatusForCodes(['FORBIDDEN'])).toBeUndefined();
    expect(httpStatusForCodes([])).toBeUndefined();
  });

  it('answers a refusal of the rate limits as RATE_LIMITED with when to retry, and HTTP 429', () => {
    const err = rateLimited({ points: 487, limit: 60_000, remaining: 120, windowSeconds: 60, retryAfterSeconds: 17 });
    const out = makeFormatError({ exposeInternals: false })({ message: 'x' }, new GraphQLError('x', { originalError: err }));
    expect(out.message).toBe('Rate limit exceeded: this request costs 487 points and the API key has 120 of its 60000 points per 60 s left; retry in 17 s');
    expect(out.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 17, cost: 487, limit: 60_000, remaining: 120, windowSeconds: 60 });
    expect(httpStatusForCodes(['RATE_LIMITED'])).toBe(429);
    expect(httpStatusForCodes(['RATE_LIMITED', 'REPORT_TIMEOUT'])).toBeUndefined();
  });

  it('names the row index and field of a bulk list that failed variable coercion', () => {
    expect(coercionPosition('Variable "$rows" got invalid value "7" at "rows[3].score"; Int cannot represent non-integer value: "7"')).toEqual({
      variable: 'rows',
      index: 3,
      field: 'score',
    });
    expect(coercionPosition('Variable "$rows" got invalid value { a: 1 } at "rows[0]"; Field "score" of required type "Int!" was not provided.')).toEqual({
      variable: 'rows',
      index: 0,
      field: 'score',
    });
    expect(coercionPosition('Variable "$rows" got invalid value {} at "rows[12]"; Field "colour" is not defined by type "ResponseInput".')).toEqual({
      variable: 'rows',
      index: 12,
      field: 'colour',
    });
    expect(coercionPosition('Variable "$r" got invalid value 1 at "r[2].followUpAnswers[1].answer"; String cannot represent a non string value: 1')).toEqual({
      variable: 'r',
      index: 2,
      field: 'followUpAnswers.1.answer',
    });
    expect(coercionPosition('Variable "$input" got invalid value 1 at "input.name"; String cannot represent a non string value: 1')).toEqual({ variable: 'input', field: 'name' });
    expect(coercionPosition('Something else')).toBeNull();
    const out = format({ message: 'Variable "$rows" got invalid value "7" at "rows[3].score"; Int cannot', extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError('x'));
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', variable: 'rows', index: 3, field: 'score' });
  });
});
