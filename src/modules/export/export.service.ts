import type { RequestContext } from '../../context';
import { SqlParams } from '../../common/sql-params';
import { categorize } from '../../scoring';
import { Permission } from '../auth/permissions';
import type { ResponseFilter } from '../reporting/filter/response-filter.input';
import { exportColumns, ExportRow } from './export-format';

/** Rows per statement: each chunk is one short query, so the connection is free between chunks. */
export const EXPORT_CHUNK_ROWS = 2_000;

/** A prepared export: its columns and the chunks of rows, newest first. */
export interface ResponseExport {
  columns: readonly string[];
  /** The rows, one chunk (at most EXPORT_CHUNK_ROWS) at a time; the next chunk is read when the caller asks for it. */
  chunks(): AsyncGenerator<ExportRow[]>;
}

/**
 * The streamed export of responses matching a ResponseFilter. Checks (permission, filter, scope)
 * run when it is prepared, before the first byte is sent, so a refused export is a plain error.
 * The rows are read in keyset-paginated chunks (respondedAt desc, id desc), each one statement on
 * the request's manager: nothing holds the connection (the only one, on the embedded database)
 * between chunks, and memory holds one chunk whatever the size. Chunks are not one snapshot: a
 * response stored during the export appears in it or not depending on where the export was.
 */
export class ExportService {
  async responses(ctx: RequestContext, filter: ResponseFilter | null | undefined): Promise<ResponseExport> {
    // Individual rows for analysis: a report reader's export. Verbatims (comment, follow-up
    // answers) only for keys that may read them; INTEGRATION (neither) is refused.
    ctx.services.access.require(ctx, Permission.READ_REPORTS);
    const verbatims = ctx.services.access.can(ctx, Permission.READ_RESPONSES);
    const params = new SqlParams();
    const where = await ctx.services.filters.compile(ctx, filter, params, 'r');
    const base = params.values;
    const columns = exportColumns(verbatims);
    const select = `SELECT r.id, r.external_ref, r.responded_at, r.responded_at::text AS k_at, r.received_at, r.score, r.channel, r.touchpoint,
                           r.region, r.plan, r.product, r.signup_channel, s.code AS survey_code, d.code AS department_code,
                           p.email AS agent_email, c.external_ref AS customer_ref${verbatims ? ', r.comment, r.follow_up_answers' : ''}
                    FROM responses r
                    JOIN surveys s ON s.id = r.survey_id
                    LEFT JOIN departments d ON d.id = r.department_id
                    LEFT JOIN people p ON p.id = r.agent_id
                    LEFT JOIN customers c ON c.id = r.customer_id
                    WHERE ${where}`;
    return {
      columns,
      async *chunks() {
        let after: { at: string; id: string } | null = null;
        for (;;) {
          const values = [...base];
          const keyset = after ? ` AND (r.responded_at, r.id) < ($${values.push(after.at)}::timestamptz, $${values.push(after.id)}::uuid)` : '';
          const rows: Record<string, any>[] = await ctx.em.query(
            `${select}${keyset} ORDER BY r.responded_at DESC, r.id DESC LIMIT $${values.push(EXPORT_CHUNK_ROWS)}`,
            values,
          );
          if (!rows.length) return;
          const last = rows[rows.length - 1];
          after = { at: last.k_at, id: last.id };
          yield rows.map((r) => toExportRow(r, verbatims));
          if (rows.length < EXPORT_CHUNK_ROWS) return;
        }
      },
    };
  }
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

function toExportRow(r: Record<string, any>, verbatims: boolean): ExportRow {
  const row: ExportRow = {
    id: r.id,
    externalRef: r.external_ref,
    respondedAt: iso(r.responded_at),
    receivedAt: iso(r.received_at),
    score: r.score,
    category: categorize(r.score),
    surveyCode: r.survey_code,
    departmentCode: r.department_code,
    channel: r.channel,
    touchpoint: r.touchpoint,
    agentEmail: r.agent_email,
    customerExternalRef: r.customer_ref,
    region: r.region,
    plan: r.plan,
    product: r.product,
    signupChannel: r.signup_channel,
  };
  if (verbatims) {
    row.comment = r.comment;
    row.followUpAnswers = JSON.stringify(r.follow_up_answers ?? []);
  }
  return row;
}
