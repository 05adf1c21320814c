import fs from 'node:fs';
import path from 'node:path';
import { buildSchema as buildSdl, findBreakingChanges } from 'graphql';
import { buildAppSchema, printSortedSchema, SCHEMA_FILE } from '../src/schema';
import { projectRoot } from '../src/common/paths';

const SHARED_CONTRACT = path.join(projectRoot(), '..', 'shared', 'contract.graphql');
const VENDORED_CONTRACT = path.join(projectRoot(), 'schema', 'contract.graphql');

describe('schema', () => {
  it('matches the checked-in schema/schema.graphql (run `npm run schema` after changing the API)', async () => {
    const schema = await buildAppSchema();
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSortedSchema(schema));
  });

  it('has no breaking change against the public contract', async () => {
    const contract = buildSdl(fs.readFileSync(VENDORED_CONTRACT, 'utf8'));
    const breaking = findBreakingChanges(contract, await buildAppSchema());
    expect(breaking.map((b) => `${b.type}: ${b.description}`)).toEqual([]);
  });

  it('keeps the vendored contract copy equal to ../shared/contract.graphql when that is present', () => {
    if (!fs.existsSync(SHARED_CONTRACT)) return;
    expect(fs.readFileSync(VENDORED_CONTRACT, 'utf8')).toBe(fs.readFileSync(SHARED_CONTRACT, 'utf8'));
  });
});
