import { openTestDatabase, TestDatabase } from './support/test-db';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('migrations', () => {
  it('leave nothing for the entities to change (code and migrations agree)', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('have all been applied', async () => {
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it('enforce the score range with a check constraint', async () => {
    const [survey] = await db.dataSource.query(`INSERT INTO surveys (code, name, kind) VALUES ('m', 'M', 'RELATIONSHIP') RETURNING id`);
    await expect(
      db.dataSource.query(`INSERT INTO responses (external_ref, survey_id, score, responded_at) VALUES ('x', $1, 11, now())`, [survey.id]),
    ).rejects.toThrow(/responses_score_range/);
    await expect(
      db.dataSource.query(`INSERT INTO responses (external_ref, survey_id, score, responded_at) VALUES ('y', $1, -1, now())`, [survey.id]),
    ).rejects.toThrow(/responses_score_range/);
  });
});
