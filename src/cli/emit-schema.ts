import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildAppSchema, printSortedSchema, SCHEMA_FILE } from '../schema';

/** Writes schema/schema.graphql from the code (npm run schema). */
buildAppSchema()
  .then((schema) => {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, printSortedSchema(schema));
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
