import { MigrationInterface, QueryRunner } from 'typeorm';
import { searchIndexDdl, SEARCH_TEXT_FUNCTION_DDL } from '../db/text-search-index';

/**
 * Full-text search over verbatims (the `search` filter): response_search_text(comment,
 * follow_up_answers) joins a response's comment and follow-up answers into one text, and a GIN index
 * on its tsvector in the english configuration (TEXT_SEARCH_LANGUAGE's default) answers
 * websearch_to_tsquery. An expression index, not a column: nothing is added to the 10-million-row
 * table, and the server builds the index of another configuration when TEXT_SEARCH_LANGUAGE names one
 * (src/db/text-search-index.ts).
 */
export class ResponseSearch1764001420000 implements MigrationInterface {
  name = 'ResponseSearch1764001420000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(SEARCH_TEXT_FUNCTION_DDL);
    await q.query(searchIndexDdl('english'));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "responses_search_english_idx"`);
    await q.query(`DROP FUNCTION IF EXISTS response_search_text(text, jsonb)`);
  }
}
