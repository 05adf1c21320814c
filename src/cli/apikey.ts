import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppConfig, ConfigError, loadConfig } from '../common/config';
import { createLogger } from '../common/logging';
import { DomainError } from '../common/errors';
import { Database, openDatabase } from '../db/database';
import { DataDirLockedError } from '../db/embedded';
import { Services } from '../services';
import { systemContext } from '../system-context';
import type { ApiKey } from '../modules/auth/api-key.entity';
import { Role, Viewer } from '../modules/auth/viewer';

const USAGE = `Manages API keys directly in the database (DATABASE_URL, or the embedded one in DATA_DIR).

  npm run apikey -- create --name NAME --role ROLE [--department CODE] [--rate-limit POINTS]
      Creates a key and prints it as the last line of output. It is shown this once.
      ROLE is one of ${Object.values(Role).join(', ')}; MANAGER needs --department (the code of
      the root of the subtree the key may see). --rate-limit gives the key its own budget in
      points per window instead of its role's default (README, Rate limits), e.g. for an import.
  npm run apikey -- set-rate-limit <id|prefix|name> <POINTS|default>
      Changes a key's own rate-limit budget; "default" gives it back its role's default.
  npm run apikey -- list [--all]
      Lists keys (not the keys themselves: only their first characters). --all includes revoked ones.
  npm run apikey -- revoke <id|prefix|name>
      Revokes a key; it stops working with the next request.

With the embedded database, stop the server first (PGlite allows one process per data folder),
or use the createApiKey / revokeApiKey mutations with an ADMIN key instead.`;

/** What the CLI acts as: an administrator without a key. */
const CLI_VIEWER: Viewer = Object.freeze({ keyId: null, name: 'cli', role: Role.ADMIN, departmentId: null });

export class UsageError extends Error {}

/** A --rate-limit / set-rate-limit value: a whole number of points (range checked by the service), or "default" (null). */
function parseRateLimit(value: string, allowDefault: boolean): number | null {
  if (allowDefault && value.toLowerCase() === 'default') return null;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`The rate limit must be a whole number of points${allowDefault ? ' or "default"' : ''}, not ${JSON.stringify(value)}`);
  return Number(value);
}

function describe(k: ApiKey, departmentCode: string | null): string {
  const scope = departmentCode ? ` department=${departmentCode}` : '';
  const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
  const used = k.lastUsedAt ? k.lastUsedAt.toISOString() : 'never';
  const limit = k.rateLimit !== null ? `  rate-limit=${k.rateLimit}` : '';
  return `${k.id}  ${k.prefix}…  ${k.role}${scope}  name=${JSON.stringify(k.name)}${limit}  created=${k.createdAt.toISOString()}  last-used=${used}  ${state}`;
}

export interface CliIo {
  out?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Opens the database (tests hand in theirs); default: DATABASE_URL, else the embedded DATA_DIR. */
  open?: (config: AppConfig) => Promise<Pick<Database, 'dataSource' | 'close'>>;
}

const openConfigured = (config: AppConfig) => openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 1 });

export async function run(argv: string[], io: CliIo = {}): Promise<void> {
  const out = io.out ?? console.log;
  const [command, ...rest] = argv;
  if (!command) throw new UsageError('No command given');
  if (command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { name: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, all: { type: 'boolean' }, 'rate-limit': { type: 'string' } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (command === 'create') {
    if (!values.name) throw new UsageError('create needs --name NAME');
    const role = values.role?.toUpperCase();
    if (!role || !(Object.values(Role) as string[]).includes(role)) {
      throw new UsageError(`create needs --role, one of ${Object.values(Role).join(', ')}`);
    }
    if (role === Role.MANAGER && !values.department) throw new UsageError('A MANAGER key needs --department CODE (the root of the subtree it may see)');
    if (positionals.length) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
  } else if (command === 'revoke') {
    if (positionals.length !== 1) throw new UsageError('revoke needs exactly one <id|prefix|name>');
  } else if (command === 'set-rate-limit') {
    if (positionals.length !== 2) throw new UsageError('set-rate-limit needs <id|prefix|name> and <POINTS|default>');
  } else if (command !== 'list') {
    throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }

  if (command !== 'create' && values['rate-limit'] !== undefined) throw new UsageError('--rate-limit goes with create; use set-rate-limit to change a key');
  const rateLimit =
    command === 'create' ? (values['rate-limit'] !== undefined ? parseRateLimit(values['rate-limit'], false) : null) : command === 'set-rate-limit' ? parseRateLimit(positionals[1], true) : null;

  const config = loadConfig(io.env ?? process.env);
  const logger = createLogger('warn');
  const db = await (io.open ?? openConfigured)(config);
  try {
    const services = new Services({ ds: db.dataSource, config, logger });
    const ctx = systemContext(services, { viewer: CLI_VIEWER, logger });
    const codeOf = async (id: string | null) => (id ? ((await ctx.loaders.department.load(id))?.code ?? null) : null);
    if (command === 'create') {
      const { apiKey, key } = await services.apiKeys.create(ctx, {
        name: values.name!,
        role: values.role!.toUpperCase() as Role,
        departmentCode: values.department ?? null,
        rateLimit,
      });
      out(`Created: ${describe(apiKey, await codeOf(apiKey.departmentId))}`);
      out('The key follows. Store it now: only its hash is kept, so it cannot be shown again.');
      out(key);
    } else if (command === 'list') {
      const keys = await services.apiKeys.list(ctx, values.all ?? false);
      if (!keys.length) out(values.all ? 'No API keys.' : 'No active API keys (--all shows revoked ones).');
      for (const k of keys) out(describe(k, await codeOf(k.departmentId)));
    } else if (command === 'set-rate-limit') {
      const found = await services.apiKeys.find(ctx, positionals[0]);
      const k = await services.apiKeys.setRateLimit(ctx, found.id, rateLimit);
      out(`${rateLimit === null ? "Rate limit back to the role's default" : `Rate limit set to ${rateLimit} points per window`}: ${describe(k, await codeOf(k.departmentId))}`);
    } else {
      const found = await services.apiKeys.find(ctx, positionals[0]);
      const wasRevoked = !!found.revokedAt;
      const k = await services.apiKeys.revoke(ctx, found.id);
      out(`${wasRevoked ? 'Already revoked' : 'Revoked'}: ${describe(k, await codeOf(k.departmentId))}`);
    }
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: unknown) => {
      if (e instanceof UsageError) console.error(`${e.message}\n\n${USAGE}`);
      else if (e instanceof DataDirLockedError || e instanceof ConfigError) console.error(e.message);
      else if (e instanceof DomainError) console.error(`${e.code}: ${e.message}`);
      else console.error('Failed:', e instanceof Error ? e.message : e);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
