import type { AppDeps } from '../../context';
import { systemContext } from '../../system-context';
import { transaction } from '../../transaction';
import { anyApiKeyExists, insertApiKey } from './api-key.service';
import { Role } from './viewer';

export interface DemoKey {
  role: Role;
  name: string;
  key: string;
  /** For the MANAGER key: the code of the department subtree it sees. */
  departmentCode?: string;
}

/** Serialises two first starts racing on the same database. */
const DEMO_KEYS_LOCK = 7_340_200;

/**
 * On a database without any API key (a fresh demo), creates one key per role and returns them so
 * the caller can print them; returns null when keys exist already (they are never shown again).
 * The MANAGER key is confined to the first department (by code) that has a parent, so the demo
 * shows scoping; with no such department it falls back to the first root, and with no department
 * at all there is no MANAGER key. Call it after the demo data is loaded.
 */
export async function ensureDemoKeys(deps: AppDeps): Promise<DemoKey[] | null> {
  // Outside any request: the keys are written directly, as the server itself (no viewer).
  return transaction(systemContext(deps), async (ctx) => {
    await ctx.em.query('SELECT pg_advisory_xact_lock($1)', [DEMO_KEYS_LOCK]);
    if (await anyApiKeyExists(ctx)) return null;
    const [dept]: { id: string; code: string }[] = await ctx.em.query(
      'SELECT id, code FROM departments ORDER BY (parent_id IS NULL), code LIMIT 1',
    );
    const plan: { role: Role; name: string; departmentId: string | null; departmentCode?: string }[] = [
      { role: Role.ADMIN, name: 'demo-admin', departmentId: null },
      { role: Role.EXECUTIVE, name: 'demo-executive', departmentId: null },
      ...(dept ? [{ role: Role.MANAGER, name: `demo-manager-${dept.code}`, departmentId: dept.id, departmentCode: dept.code }] : []),
      { role: Role.INTEGRATION, name: 'demo-integration', departmentId: null },
    ];
    const created: DemoKey[] = [];
    for (const p of plan) {
      const { key } = await insertApiKey(ctx, { name: p.name, role: p.role, departmentId: p.departmentId });
      created.push({ role: p.role, name: p.name, key, ...(p.departmentCode ? { departmentCode: p.departmentCode } : {}) });
    }
    return created;
  });
}

/** The lines to print at start-up, one key per line, with a curl example. */
export function formatDemoKeys(keys: readonly DemoKey[], url = 'http://localhost:4000/graphql'): string {
  const width = Math.max(...keys.map((k) => k.role.length));
  const lines = keys.map((k) => `  ${k.role.padEnd(width)}  ${k.key}  (${k.name}${k.departmentCode ? `, sees ${k.departmentCode} and below` : ''})`);
  const admin = keys.find((k) => k.role === Role.ADMIN) ?? keys[0];
  return [
    'Demo API keys (shown once; only their hashes are stored):',
    ...lines,
    'Try:',
    `  curl -s ${url} -H 'content-type: application/json' -H 'authorization: Bearer ${admin?.key ?? '<key>'}' \\`,
    `    -d '{"query":"{ viewer { name role } npsSummary { responses nps marginOfError } }"}'`,
  ].join('\n');
}
