import path from 'node:path';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from './resolvers';
import { projectRoot } from './common/paths';

export const SCHEMA_FILE = path.join(projectRoot(), 'schema', 'schema.graphql');

let cached: Promise<GraphQLSchema> | undefined;

/** Builds the executable schema from the decorated classes (once per process). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
  });
  return cached;
}

/** The SDL as checked in: sorted, so diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
