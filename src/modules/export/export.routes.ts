import type { Request, Response as HttpResponse } from 'express';
import { GraphQLError } from 'graphql';
import { createContext } from '../../context';
import { DomainError, ErrorCode } from '../../common/errors';
import type { Logger } from '../../common/logging';
import type { Services } from '../../services';
import { resolveViewer } from '../auth/authenticate';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { csvLine, jsonLine } from './export-format';

export type ExportFormat = 'csv' | 'jsonl';

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
};

function parseFilter(raw: unknown): ResponseFilter | null {
  if (raw === undefined || raw === '') return null;
  let parsed: unknown;
  try {
    if (typeof raw !== 'string') throw new Error('not a string');
    parsed = JSON.parse(raw);
  } catch {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'filter must be a ResponseFilter as JSON, e.g. {"from":"2026-01-01T00:00:00Z"}', 'filter');
  }
  if (parsed === null) return null;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'filter must be a JSON object', 'filter');
  return parsed as ResponseFilter;
}

/** Waits until the socket takes more (backpressure): memory holds one chunk, whatever the client's speed. */
function drained(res: HttpResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', done);
      reject(new Error('client went away'));
    };
    res.once('drain', done);
    res.once('close', closed);
  });
}

/**
 * GET /export/responses.csv|.jsonl?filter=<ResponseFilter as JSON>, with the API key as for
 * /graphql (Authorization: Bearer <key>). Refusals come before the first byte, as JSON in the
 * GraphQL error shape with the matching HTTP status; a failure after that aborts the transfer (the
 * client sees an incomplete chunked body, never a silently short file).
 */
export function exportResponsesHandler(services: Services, logger: Logger, format: ExportFormat) {
  return async (req: Request, res: HttpResponse): Promise<void> => {
    let started = false;
    try {
      const viewer = await resolveViewer(services, req.headers.authorization);
      const ctx = createContext(services, viewer, { requestId: req.header('x-request-id') ?? undefined });
      const filter = parseFilter(req.query.filter);
      const exp = await services.exports.responses(ctx, filter);
      res.status(200);
      res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="responses.${format}"`);
      res.setHeader('cache-control', 'no-store');
      started = true;
      if (format === 'csv') res.write(csvLine(exp.columns));
      let rows = 0;
      for await (const chunk of exp.chunks()) {
        if (res.destroyed) return; // the client went away: stop reading
        let text = '';
        for (const row of chunk) text += format === 'csv' ? csvLine(exp.columns.map((c) => row[c])) : jsonLine(exp.columns, row);
        rows += chunk.length;
        if (!res.write(text)) await drained(res);
      }
      res.end();
      ctx.logger.info({ format, rows }, 'responses exported');
    } catch (e) {
      if (started) {
        logger.error({ err: e }, 'export failed after it started');
        res.destroy();
        return;
      }
      const code = e instanceof DomainError ? e.code : e instanceof GraphQLError ? (e.extensions?.code as string) : undefined;
      const status = code ? STATUS[code] : undefined;
      if (!status) {
        logger.error({ err: e }, 'export failed');
        res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        return;
      }
      if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="nps-api"');
      const field = e instanceof DomainError ? e.field : undefined;
      const details = e instanceof DomainError ? e.details : undefined;
      res.status(status).json({ errors: [{ message: (e as Error).message, extensions: { code, ...(field ? { field } : {}), ...(details ?? {}) } }] });
    }
  };
}
