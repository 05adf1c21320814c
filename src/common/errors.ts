import { GraphQLError, GraphQLFormattedError } from 'graphql';

/** The only error codes a client sees besides Apollo's own request-level codes. */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** A report ran past REPORT_STATEMENT_TIMEOUT_MS and was cancelled; answered with HTTP 503. */
  REPORT_TIMEOUT = 'REPORT_TIMEOUT',
  /** The API key spent its rate-limit budget for the window; answered with HTTP 429 and Retry-After. */
  RATE_LIMITED = 'RATE_LIMITED',
}

/** A rule of the domain was broken; the message is safe to show to clients. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, field?: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, field, details);
export const notFound = (what: string, id: string, field?: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `${what} ${JSON.stringify(id)} does not exist`, field);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.CONFLICT, message, undefined, details);
export const forbidden = (message = 'You are not allowed to do this') =>
  new DomainError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'A valid API key is required') =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);

/** A reporting aggregate was cancelled at its deadline (see src/db/report-runner.ts). */
export const reportTimeout = (timeoutMs: number, why: 'statement' | 'queued' = 'statement') =>
  new DomainError(
    ErrorCode.REPORT_TIMEOUT,
    why === 'queued'
      ? `No reporting connection became free within ${timeoutMs} ms (too many reports at once); retry later`
      : `The report took longer than ${timeoutMs} ms and was cancelled; narrow the filter (a shorter date range, fewer departments) or retry later`,
    undefined,
    { timeoutMs },
  );

/**
 * A request refused by the rate limits (src/common/rate-limit): the key has fewer points left in the
 * window than the request costs. retryAfterSeconds: when the window ends and the budget is whole again.
 */
export const rateLimited = (d: { points: number; limit: number; remaining: number; windowSeconds: number; retryAfterSeconds: number }) =>
  new DomainError(
    ErrorCode.RATE_LIMITED,
    `Rate limit exceeded: this request costs ${d.points} points and the API key has ${d.remaining} of its ${d.limit} points per ${d.windowSeconds} s left; retry in ${d.retryAfterSeconds} s`,
    undefined,
    { retryAfterSeconds: d.retryAfterSeconds, cost: d.points, limit: d.limit, remaining: d.remaining, windowSeconds: d.windowSeconds },
  );

/** PostgreSQL's query_canceled (57014): what statement_timeout raises. */
export const PG_QUERY_CANCELED = '57014';

/** Whether err (a pg error, or TypeORM's QueryFailedError around one) is PostgreSQL's query_canceled. */
export function isQueryCanceled(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.driverError?.code === PG_QUERY_CANCELED || e?.code === PG_QUERY_CANCELED;
}

/** PostgreSQL error codes that mean the client sent something the database refused. */
const PG_CODES: Record<string, { code: ErrorCode; message: string }> = {
  '23505': { code: ErrorCode.CONFLICT, message: 'A record with the same unique key already exists' },
  '23503': { code: ErrorCode.BAD_USER_INPUT, message: 'A referenced record does not exist' },
  '23514': { code: ErrorCode.BAD_USER_INPUT, message: 'A value is outside its allowed range' },
  '22P02': { code: ErrorCode.BAD_USER_INPUT, message: 'A value has the wrong format' },
  '22P05': { code: ErrorCode.BAD_USER_INPUT, message: 'A text value contains a character that cannot be stored (such as NUL, \\u0000)' },
  '22021': { code: ErrorCode.BAD_USER_INPUT, message: 'A text value contains a character that cannot be stored (invalid Unicode)' },
  '54000': { code: ErrorCode.BAD_USER_INPUT, message: 'A value is too large to store' },
  '22007': { code: ErrorCode.BAD_USER_INPUT, message: 'A date has the wrong format' },
  '22008': { code: ErrorCode.BAD_USER_INPUT, message: 'A date is out of range' },
  '40001': { code: ErrorCode.CONFLICT, message: 'A concurrent change interfered; retry the request' },
  '40P01': { code: ErrorCode.CONFLICT, message: 'A concurrent change interfered; retry the request' },
};

interface ValidationLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationLike[];
}

function flattenValidation(errors: ValidationLike[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/** Classifies any thrown value into a client-safe code and message, or null when it is internal. */
export function classifyError(err: unknown): { code: string; message: string; extensions?: Record<string, unknown> } | null {
  if (err instanceof DomainError) {
    const extensions: Record<string, unknown> = {};
    if (err.field) extensions.field = err.field;
    if (err.details) Object.assign(extensions, err.details);
    return { code: err.code, message: err.message, extensions };
  }
  const e = err as { name?: string; code?: string; extensions?: { validationErrors?: ValidationLike[] }; driverError?: { code?: string } };
  const validationErrors = e?.extensions?.validationErrors;
  if (Array.isArray(validationErrors)) {
    const problems = flattenValidation(validationErrors);
    const message = problems.length
      ? `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`
      : 'Invalid input';
    // `field` as on every other BAD_USER_INPUT (the first problem's), `problems` for all of them.
    return { code: ErrorCode.BAD_USER_INPUT, message, extensions: { ...(problems[0] ? { field: problems[0].field } : {}), problems } };
  }
  const pgCode = e?.driverError?.code ?? (e?.name === 'QueryFailedError' || e?.name === 'error' ? e.code : undefined);
  if (pgCode && PG_CODES[pgCode]) return PG_CODES[pgCode];
  return null;
}

/**
 * Apollo Server's own request-level codes that reach clients unchanged. Not
 * PERSISTED_QUERY_NOT_SUPPORTED: automatic persisted queries are on (Apollo's default), so it is
 * never sent. graphql-armor's limits (depth, aliases, cost, directives) and the NoSubscriptions
 * rule answer GRAPHQL_VALIDATION_FAILED.
 */
export const APOLLO_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
] as const;

/** Codes of answers the HTTP layer writes itself (src/server.ts), outside GraphQL. */
export const HTTP_LAYER_CODES = { PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE', BAD_REQUEST: 'BAD_REQUEST', INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR' } as const;

/**
 * Every extensions.code a client can receive. The README's table of error codes lists exactly
 * these (tests/error-consistency.test.ts): a new code is documented or that test fails.
 */
export const CLIENT_ERROR_CODES: readonly string[] = [...new Set<string>([...Object.values(ErrorCode), ...APOLLO_CODES, ...Object.values(HTTP_LAYER_CODES)])];

/**
 * Where a variable's coercion failed, from graphql-js's message ('Variable "$rows" got invalid value
 * "7" at "rows[3].score"; Int cannot represent ...'): the first list index on the path (the row of
 * a bulk list) as `index`, and the dotted field below it as `field` (a missing or unknown field named
 * by the message is appended). Null when the message is not such an error.
 */
export function coercionPosition(message: string): { variable: string; index?: number; field?: string } | null {
  const m = /^Variable "\$([^"]+)" got invalid value .*? at "([^"]+)"; ([\s\S]*)$/.exec(message);
  if (!m) return null;
  const [, variable, at, reason] = m;
  const named = /^Field "([^"]+)" (?:of required type "[^"]+" was not provided|is not defined by type)/.exec(reason)?.[1];
  const steps = at.replace(/^[^.[]+/, '').match(/\[\d+\]|[^.[\]]+/g) ?? [];
  const first = steps.findIndex((s) => s.startsWith('['));
  const below = (first < 0 ? steps : steps.slice(first + 1)).map((s) => (s.startsWith('[') ? s.slice(1, -1) : s));
  const field = [...below, ...(named ? [named] : [])].join('.');
  return { variable, ...(first >= 0 ? { index: Number(steps[first].slice(1, -1)) } : {}), ...(field ? { field } : {}) };
}

/** Codes formatError lets through as they are (every other one is internal). */
const PASSTHROUGH = new Set<string>([...APOLLO_CODES, ...Object.values(ErrorCode)]);

/**
 * The one place where errors become what clients see. Domain errors keep their code and
 * message; database refusals get a generic message; everything else is logged and hidden.
 */
export function makeFormatError(opts: { exposeInternals: boolean; onInternal?: (err: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const classified = classifyError(original);
    if (classified) {
      return {
        message: classified.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: classified.code, ...(classified.extensions ?? {}) },
      };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code && PASSTHROUGH.has(code) && !(original instanceof Error && !(original instanceof GraphQLError) && code === HTTP_LAYER_CODES.INTERNAL_SERVER_ERROR)) {
      const { stacktrace: _s, ...ext } = (formatted.extensions ?? {}) as Record<string, unknown>;
      // A bulk list that failed coercion names the row and field (submitResponses' rows).
      const position = code === 'BAD_USER_INPUT' ? coercionPosition(formatted.message) : null;
      return { ...formatted, extensions: { ...(opts.exposeInternals ? formatted.extensions : ext), ...(position ?? {}) } };
    }
    opts.onInternal?.(original);
    if (opts.exposeInternals) return formatted;
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: HTTP_LAYER_CODES.INTERNAL_SERVER_ERROR },
    };
  };
}

/** Seconds a client is told to wait (Retry-After) before retrying a report that timed out. */
export const REPORT_RETRY_AFTER_SECONDS = 30;

/**
 * The HTTP status of a response from the codes of its formatted errors, where the code decides
 * it: 503 when every error is REPORT_TIMEOUT (the server is overloaded for that report, not
 * broken; partial data of other fields may come with it); 429 for RATE_LIMITED (the request was
 * refused before it ran; its extensions.retryAfterSeconds becomes Retry-After). Undefined leaves
 * Apollo's own status.
 */
export function httpStatusForCodes(codes: readonly (string | undefined)[]): number | undefined {
  if (codes.length && codes.every((c) => c === ErrorCode.REPORT_TIMEOUT)) return 503;
  if (codes.length && codes.every((c) => c === ErrorCode.RATE_LIMITED)) return 429;
  return undefined;
}
