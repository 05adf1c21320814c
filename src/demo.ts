import type { AppDeps } from './context';
import { ensureDemoKeys, formatDemoKeys, DemoKey } from './modules/auth/demo-keys';
import { seedDemoIfEmpty, SeedOptions, SeedSummary } from '../seeds';

export interface DemoOutcome {
  seeded: boolean;
  /** Why it was or was not loaded, in words for the log. */
  reason: string;
  summary?: SeedSummary;
  /** API keys created for the fresh demo (null when keys existed already). */
  keys?: DemoKey[] | null;
}

/**
 * Whether to load the demo data at start, by SEED_DEMO:
 *   auto (default): only into the embedded database, and only when it is empty;
 *   true: into any database, when it is empty;
 *   false: never (`npm run seed` loads it on demand).
 * Empty means no departments and no responses; it is checked again under the seeding lock, so
 * several instances starting together load it once.
 */
export function demoDecision(mode: 'auto' | 'true' | 'false', embedded: boolean): { whenEmpty: boolean; reason: string } {
  if (mode === 'false') return { whenEmpty: false, reason: 'SEED_DEMO=false' };
  if (mode === 'auto' && !embedded) {
    return { whenEmpty: false, reason: 'SEED_DEMO=auto loads demo data into the embedded database only (DATABASE_URL is set); run `npm run seed` or set SEED_DEMO=true' };
  }
  return { whenEmpty: true, reason: `SEED_DEMO=${mode}${embedded ? ', embedded database' : ''}` };
}

/**
 * Loads the demo data when the decision says so and the database is empty; then creates one API
 * key per role if there are none and prints them to stdout (they are shown only once). The demo's
 * data end on config.demoAnchorDate (DEMO_ANCHOR_DATE), or today (UTC), unless opts.seed names an anchor.
 */
export async function prepareDemo(deps: AppDeps, opts: { embedded: boolean; seed?: SeedOptions }): Promise<DemoOutcome> {
  const { logger, config } = deps;
  const decision = demoDecision(config.seedDemo, opts.embedded);
  if (!decision.whenEmpty) {
    logger.info({ reason: decision.reason }, 'demo data not loaded');
    return { seeded: false, reason: decision.reason };
  }
  const started = Date.now();
  const summary = await seedDemoIfEmpty(deps.ds, { anchor: config.demoAnchorDate, ...opts.seed });
  if (!summary) {
    const reason = 'the database already holds data';
    logger.info({ reason }, 'demo data not loaded');
    return { seeded: false, reason };
  }
  logger.info({ ...summary, seconds: (Date.now() - started) / 1000 }, 'demo data loaded');
  const keys = await ensureDemoKeys(deps);
  if (keys?.length) console.log(`\n${formatDemoKeys(keys, `http://localhost:${config.port}/graphql`)}\n`);
  return { seeded: true, reason: decision.reason, summary, keys };
}
