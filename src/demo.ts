import type { AppDeps } from './context';

/**
 * Loads the demo data when asked (SEED_DEMO=true) or, in the embedded mode with SEED_DEMO=auto,
 * when the database is empty. Replaced by the seeding module.
 */
export async function prepareDemo(_deps: AppDeps, _opts: { embedded: boolean }): Promise<void> {}
