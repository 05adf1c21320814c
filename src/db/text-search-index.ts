import type { Queryable } from '../context';
import type { Logger } from '../common/logging';

/**
 * Full-text search over verbatims: one text per response (its comment and its follow-up answers),
 * its tsvector in a text search configuration (TEXT_SEARCH_LANGUAGE), and a GIN index on that
 * expression. The `search` filter writes the same expression with the configuration as a literal,
 * so PostgreSQL matches it with the index (a parameter would not be).
 */
export const SEARCH_TEXT_FUNCTION_DDL = `CREATE OR REPLACE FUNCTION response_search_text(comment text, answers jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT concat_ws(' ', comment, (SELECT string_agg(a->>'answer', ' ')
                                    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(answers) = 'array' THEN answers ELSE '[]'::jsonb END) a))
  $fn$`;

const CONFIG_NAME = /^[a-z_]{1,63}$/;

function checked(language: string): string {
  if (!CONFIG_NAME.test(language)) throw new Error(`not a text search configuration name: ${JSON.stringify(language)}`);
  return language;
}

/** The tsvector of a response (alias `a`) in a configuration; the index is on exactly this expression. */
export const searchVectorSql = (a: string, language: string) =>
  `to_tsvector('${checked(language)}'::regconfig, response_search_text(${a}.comment, ${a}.follow_up_answers))`;

/** A condition: the response matches web-search syntax (`late delivery`, `"on hold"`, `refund -invoice`, `price or cost`) bound as `v`. */
export const searchMatchSql = (a: string, v: string, language: string) =>
  `${searchVectorSql(a, language)} @@ websearch_to_tsquery('${checked(language)}'::regconfig, ${v}::text)`;

export const searchIndexName = (language: string) => `responses_search_${checked(language)}_idx`;

export const searchIndexDdl = (language: string, concurrently = false) =>
  `CREATE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS "${searchIndexName(language)}" ON responses USING gin (${searchVectorSql('responses', language).replace(/responses\./g, '')})`;

/**
 * At start: the configuration must exist (else an Error the server refuses to start with), and its
 * index is built when missing (the migration builds english's). On PostgreSQL it is built
 * CONCURRENTLY, so writers go on meanwhile; on a large table that takes minutes.
 */
export async function ensureSearchIndex(db: Queryable, language: string, opts: { concurrently: boolean; logger?: Logger }): Promise<'exists' | 'built'> {
  const [config] = await db.query('SELECT 1 FROM pg_ts_config WHERE cfgname = $1', [checked(language)]);
  if (!config) throw new Error(`TEXT_SEARCH_LANGUAGE=${language}: the database has no text search configuration of that name (see pg_ts_config)`);
  const [index] = await db.query(`SELECT 1 FROM pg_indexes WHERE tablename = 'responses' AND indexname = $1`, [searchIndexName(language)]);
  if (index) return 'exists';
  opts.logger?.info({ language }, 'building the full-text search index of this TEXT_SEARCH_LANGUAGE');
  await db.query(searchIndexDdl(language, opts.concurrently));
  return 'built';
}
