import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { BenchIds, QUERIES, TRIVIAL } from '../bench/queries';
import { openTestDatabase, TestDatabase } from './support/test-db';

/**
 * The benchmark's queries stay runnable without running the benchmark (PostgreSQL at scale): each
 * GraphQL document validates against the checked-in schema, and each hand-written SQL baseline
 * plans (EXPLAIN) on the migrated database.
 */
const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8'));
const uuid = '00000000-0000-4000-8000-000000000000';
const now = new Date('2026-11-01T00:00:00Z');
const ids: BenchIds = {
  cxId: uuid,
  supportId: uuid,
  segmentId: uuid,
  segmentPlans: ['Enterprise'],
  segmentRegions: ['EMEA'],
  tenureSegmentId: uuid,
  agentId: uuid,
  ceoId: uuid,
  now,
  lastQuarterFrom: new Date('2026-07-01T00:00:00Z'),
  lastQuarterTo: new Date('2026-10-01T00:00:00Z'),
  yearAgo: new Date('2025-11-01T00:00:00Z'),
};

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe.each(QUERIES.map((q) => [q.name, q] as const))('%s', (_name, q) => {
  it('validates against the schema', () => {
    expect(validate(schema, parse(q.query)).map((e) => e.message)).toEqual([]);
    expect(() => JSON.stringify(q.variables(ids))).not.toThrow();
  });

  it('has raw SQL that plans on the migrated database', async () => {
    for (const statement of q.raw(ids)) await db.dataSource.query(`EXPLAIN ${statement.text}`, statement.values ?? []);
  });
});

it('the trivial query of the throughput test validates too', () => {
  expect(validate(schema, parse(TRIVIAL)).map((e) => e.message)).toEqual([]);
});
