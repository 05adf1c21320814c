import type { Queryable } from '../../context';
import { CompiledThemes, compileThemes, ThemeDefinition, themeDefinitionProblems } from '../../text';

/** The active themes of one version of the theme set, compiled for tagging. */
export interface ThemeSet {
  /** theme_set.version when these were read. */
  version: number;
  compiled: CompiledThemes;
  /** Theme id by code, for the themes compiled. */
  idByCode: ReadonlyMap<string, string>;
  /** Stored themes left out because their definition no longer passes the checks (written around the API). */
  skipped: string[];
}

/**
 * The version of the theme set, read FOR SHARE when `lock`: inside a writer's transaction, a theme
 * change (which updates that row) then waits for the writer, and the writer for it, so what it tags
 * with is the newest committed set until it commits.
 */
export async function themeSetVersion(db: Queryable, lock: boolean): Promise<number> {
  const [row] = await db.query(`SELECT version FROM theme_set WHERE id = 1${lock ? ' FOR SHARE' : ''}`);
  return Number(row?.version ?? 0);
}

/** Reads and compiles the active themes (an invalid stored definition is left out, not fatal). */
export async function loadThemeSet(db: Queryable, version: number): Promise<ThemeSet> {
  const rows: Record<string, any>[] = await db.query(
    `SELECT id, code, name, keywords, phrases, exclusions, pattern FROM themes WHERE active ORDER BY code`,
  );
  const definitions: ThemeDefinition[] = [];
  const idByCode = new Map<string, string>();
  const skipped: string[] = [];
  for (const r of rows) {
    const d: ThemeDefinition = { code: r.code, name: r.name, keywords: r.keywords, phrases: r.phrases, exclusions: r.exclusions, ...(r.pattern === null ? {} : { pattern: r.pattern }) };
    if (themeDefinitionProblems(d).length) {
      skipped.push(r.code);
      continue;
    }
    definitions.push(d);
    idByCode.set(r.code, r.id);
  }
  return { version, compiled: compileThemes(definitions), idByCode, skipped };
}

/**
 * One process's compiled theme set, compiled again only when theme_set.version moved: a writer
 * pays one small statement per call, not a compilation.
 */
export class ThemeSetCache {
  private current: Promise<ThemeSet> | null = null;
  private currentVersion = -1;

  /** The set to tag with inside a writer's transaction (the version row read FOR SHARE). */
  async forWriting(db: Queryable): Promise<ThemeSet> {
    return this.at(db, await themeSetVersion(db, true));
  }

  async at(db: Queryable, version: number): Promise<ThemeSet> {
    if (!this.current || this.currentVersion !== version) {
      const loading = loadThemeSet(db, version);
      this.current = loading;
      this.currentVersion = version;
      // A failed read is not kept: the next writer reads again.
      loading.catch(() => {
        if (this.current === loading) this.current = null;
      });
    }
    return this.current;
  }
}
