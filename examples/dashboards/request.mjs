#!/usr/bin/env node
// Prints the JSON body of one example dashboard request, {"query", "variables"}, with the
// variables file's period moved to a demo loaded for another day (default: today, UTC).
//
//   node examples/dashboards/request.mjs leadership [YYYY-MM-DD] > body.json
//   curl -s localhost:4000/graphql -H 'content-type: application/json' \
//     -H "authorization: Bearer $KEY" -d @body.json
//
// The variables files give the dates of a demo loaded for 2026-11-01 (their `to`): the period
// ends at the demo's anchor (00:00 UTC of the day it was loaded). Both `from` and `to` move by
// the days between that anchor and the one given, so the period keeps its length and still ends
// where the demo's data end.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const [name, day] = process.argv.slice(2);
if (!['leadership', 'team'].includes(name) || (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day))) {
  console.error('usage: node examples/dashboards/request.mjs leadership|team [YYYY-MM-DD]');
  process.exit(2);
}
const query = fs.readFileSync(path.join(DIR, `${name}.graphql`), 'utf8');
const variables = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.variables.json`), 'utf8'));
const anchor = day ? Date.parse(`${day}T00:00:00Z`) : new Date().setUTCHours(0, 0, 0, 0);
const shift = anchor - Date.parse(variables.to);
for (const key of ['from', 'to']) variables[key] = new Date(Date.parse(variables[key]) + shift).toISOString();
process.stdout.write(`${JSON.stringify({ query, variables })}\n`);
