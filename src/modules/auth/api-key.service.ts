import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext, ServiceDeps } from '../../context';
import { MAX_RATE_LIMIT } from '../../common/config';
import { badInput, conflict, notFound, unauthenticated } from '../../common/errors';
import { isId, parseId } from '../../common/ids';
import type { Services } from '../../services';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyInput, CreatedApiKey, KEY_NAME_PATTERN, ViewerInfo } from './api-key.types';
import { Permission, ROLE_PERMISSIONS } from './permissions';
import { Role, Viewer } from './viewer';

/**
 * Key format: "nps_" + 32 random bytes in base64url (43 characters). The prefix makes keys easy
 * to recognise (and to find with secret scanners); 256 random bits make them unguessable.
 */
export const KEY_PREFIX = 'nps_';
const KEY_PATTERN = /^nps_[A-Za-z0-9_-]{43}$/;
/** How much of the key is kept in clear, to recognise it in lists ("nps_" + 8 characters). */
export const SHOWN_PREFIX_LENGTH = 12;

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Keys are stored only as their SHA-256. A slow, salted password hash (bcrypt, scrypt) protects
 * low-entropy secrets chosen by people; these keys carry 256 random bits, so even a fast hash of a
 * leaked table cannot be reversed or brute-forced. An unsalted hash also lets authentication be
 * one lookup through the unique index on key_hash instead of trying every stored hash, and a
 * lookup by hash reveals nothing useful through timing (an attacker would have to know the hash's
 * preimage to steer it).
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const ROLES = new Set<string>(Object.values(Role));

/** A key's own rate-limit budget as given (null: the role's default); throws BAD_USER_INPUT when out of range. */
function checkRateLimit(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RATE_LIMIT) {
    throw badInput(`rateLimit must be a whole number of points from 1 to ${MAX_RATE_LIMIT}, or null for the role's default`, 'rateLimit');
  }
  return value;
}

/** Stores a new key whose fields are already checked (through ctx.em); returns the metadata and the plaintext. */
export async function insertApiKey(
  ctx: RequestContext,
  fields: { name: string; role: Role; departmentId: string | null; rateLimit?: number | null },
): Promise<CreatedApiKey> {
  const key = generateKey();
  const repo = ctx.em.getRepository(ApiKey);
  const apiKey = await repo.save(
    repo.create({ rateLimit: null, ...fields, keyHash: hashKey(key), prefix: key.slice(0, SHOWN_PREFIX_LENGTH), lastUsedAt: null, revokedAt: null }),
  );
  return { apiKey, key };
}

/** Whether any key exists at all, revoked or not (the demo creates its keys only on a fresh database). */
export async function anyApiKeyExists(ctx: RequestContext): Promise<boolean> {
  const [row] = await ctx.em.query('SELECT EXISTS (SELECT 1 FROM api_keys) AS any');
  return row.any === true;
}

/** Creates, lists and revokes API keys, and turns a presented key into a viewer. */
export class ApiKeyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /** Creates a key; the plaintext is in the result and nowhere else, ever. */
  async create(ctx: RequestContext, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    this.services.access.require(ctx, Permission.ADMIN_KEYS);
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length < 1 || name.length > 100) throw badInput('name must be 1 to 100 characters', 'name');
    if (!KEY_NAME_PATTERN.test(name)) throw badInput('name must not contain control characters', 'name');
    if (!ROLES.has(input.role)) throw badInput(`role must be one of ${[...ROLES].join(', ')}`, 'role');
    const code = input.departmentCode ?? null;
    if (input.role === Role.MANAGER && !code) throw badInput('A MANAGER key needs departmentCode: the root of the subtree it may see', 'departmentCode');
    if (input.role !== Role.MANAGER && code) throw badInput(`Only MANAGER keys are confined to a department; a ${input.role} key sees the whole organisation`, 'departmentCode');
    const rateLimit = checkRateLimit(input.rateLimit);

    let departmentId: string | null = null;
    if (code) {
      departmentId = (await this.services.departments.idsByCode(ctx, [code])).get(code) ?? null;
      if (!departmentId) throw notFound('Department with code', code, 'departmentCode');
      await this.services.access.assertDepartmentInScope(ctx, departmentId);
    }
    const [taken] = await ctx.em.query('SELECT 1 FROM api_keys WHERE name = $1 AND revoked_at IS NULL', [name]);
    if (taken) throw this.nameTaken(name);
    try {
      return await insertApiKey(ctx, { name, role: input.role, departmentId, rateLimit });
    } catch (e) {
      // Two creations with the same name at once: the partial unique index decides.
      if ((e as { driverError?: { code?: string } }).driverError?.code === '23505') throw this.nameTaken(name);
      throw e;
    }
  }

  /** Newest first. Revoked keys only when asked. */
  async list(ctx: RequestContext, includeRevoked = false): Promise<ApiKey[]> {
    this.services.access.require(ctx, Permission.ADMIN_KEYS);
    const qb = ctx.em.getRepository(ApiKey).createQueryBuilder('k').orderBy('k.created_at', 'DESC').addOrderBy('k.id', 'DESC');
    if (!includeRevoked) qb.where('k.revoked_at IS NULL');
    return qb.getMany();
  }

  /** Revokes a key at once (idempotent: revoking a revoked key returns it unchanged). */
  async revoke(ctx: RequestContext, id: string): Promise<ApiKey> {
    this.services.access.require(ctx, Permission.ADMIN_KEYS);
    const repo = ctx.em.getRepository(ApiKey);
    await repo.createQueryBuilder().update().set({ revokedAt: ctx.now() }).where('id = :id AND revoked_at IS NULL', { id }).execute();
    const key = await repo.findOneBy({ id });
    if (!key) throw notFound('API key', id, 'id');
    return key;
  }

  /**
   * Gives a key its own rate-limit budget (points per window), or back its role's default (null).
   * Takes effect with the key's next request; a revoked key can be changed but stays revoked.
   */
  async setRateLimit(ctx: RequestContext, id: string, rateLimit: number | null): Promise<ApiKey> {
    this.services.access.require(ctx, Permission.ADMIN_KEYS);
    const value = checkRateLimit(rateLimit);
    const repo = ctx.em.getRepository(ApiKey);
    await repo.update({ id }, { rateLimit: value });
    const key = await repo.findOneBy({ id });
    if (!key) throw notFound('API key', id, 'id');
    return key;
  }

  /**
   * Finds the one key meant by a reference typed by a person (the CLI): its id, its prefix as
   * listed, the whole key, or the name of a key not revoked. Ambiguity is an error, not a guess.
   */
  async find(ctx: RequestContext, ref: string): Promise<ApiKey> {
    this.services.access.require(ctx, Permission.ADMIN_KEYS);
    const repo = ctx.em.getRepository(ApiKey);
    const r = ref.trim();
    let matches: ApiKey[];
    if (isId(r)) matches = await repo.findBy({ id: parseId(r, 'id') });
    else if (KEY_PATTERN.test(r)) matches = await repo.findBy({ keyHash: hashKey(r) });
    else if (r.startsWith(KEY_PREFIX)) matches = await repo.createQueryBuilder('k').where('starts_with(k.prefix, :r) OR starts_with(:r, k.prefix)', { r }).getMany();
    else matches = await repo.createQueryBuilder('k').where('k.name = :r AND k.revoked_at IS NULL', { r }).getMany();
    if (matches.length === 0) throw notFound('API key', r);
    if (matches.length > 1) {
      throw badInput(`${JSON.stringify(r)} matches ${matches.length} keys (${matches.map((k) => k.id).join(', ')}); give the id`);
    }
    return matches[0];
  }

  /** Who the caller is and what the key allows. Any valid key may ask: no permission needed. */
  async viewer(ctx: RequestContext): Promise<ViewerInfo> {
    const v = ctx.viewer;
    const granted = ROLE_PERMISSIONS[v.role];
    return {
      keyId: v.keyId,
      name: v.name,
      role: v.role,
      department: v.departmentId ? await ctx.loaders.department.load(v.departmentId) : null,
      permissions: Object.values(Permission).filter((p) => granted.has(p)),
    };
  }

  /**
   * The viewer a presented key stands for. Called before the request's context exists (it decides
   * that context's viewer), so `ctx` is the server's own (systemContext). One statement through the unique index on key_hash, on every
   * request, with no cache: a revoked key fails on the very next request. The same statement
   * refreshes last_used_at, but writes only when the stored value is over a minute old.
   * Throws UNAUTHENTICATED (a DomainError) for a missing, malformed, unknown or revoked key.
   */
  async authenticate(ctx: RequestContext, authorization: string | undefined): Promise<Viewer> {
    if (authorization === undefined || authorization.trim() === '') {
      throw unauthenticated('An API key is required: send the header "Authorization: Bearer <key>"');
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('Malformed Authorization header: expected "Bearer <key>"');
    const key = match[1];
    if (!KEY_PATTERN.test(key)) throw unauthenticated('Unknown API key');
    const rows: { id: string; name: string; role: Role; department_id: string | null; rate_limit: number | null; revoked: boolean }[] = await ctx.em.query(
      `WITH k AS (SELECT id, name, role, department_id, rate_limit, revoked_at FROM api_keys WHERE key_hash = $1),
            touch AS (UPDATE api_keys a SET last_used_at = now() FROM k
                       WHERE a.id = k.id AND k.revoked_at IS NULL
                         AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute'))
       SELECT id, name, role, department_id, rate_limit, revoked_at IS NOT NULL AS revoked FROM k`,
      [hashKey(key)],
    );
    const row = rows[0];
    if (!row) throw unauthenticated('Unknown API key');
    if (row.revoked) throw unauthenticated('This API key has been revoked');
    return Object.freeze({ keyId: row.id, name: row.name, role: row.role, departmentId: row.department_id, rateLimit: row.rate_limit });
  }

  private nameTaken(name: string) {
    return conflict(`An API key named ${JSON.stringify(name)} already exists; revoke it first or choose another name`, { field: 'name' });
  }
}
