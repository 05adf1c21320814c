import { Initial1764000000000 } from './1764000000000-Initial';

/** Every migration, oldest first. New migrations are appended here. */
export const migrations = [Initial1764000000000];
