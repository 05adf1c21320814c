import type { RequestContext, ServiceDeps } from '../../context';
import { badInput, conflict, notFound } from '../../common/errors';
import { afterCommit } from '../../common/request-cache';
import type { Services } from '../../services';
import { transaction } from '../../transaction';
import { THEME_LIMITS, ThemeDefinition, themeDefinitionProblems } from '../../text';
import { Permission } from '../auth/permissions';
import { retagResponses, TaggableResponse, tagNewResponses } from './tag-responses';
import { latestJob, queueRetagging } from './tagging-jobs';
import { ThemeSetCache } from './theme-set';
import { themeFromRow } from './theme-rows';
import { CreateThemeInput, UpdateThemeInput } from './theme.inputs';
import { Theme, ThemeTaggingJob } from './theme.types';

/** What tagging depends on: a change of any of these re-tags the stored responses. */
const TAGGING_FIELDS = ['keywords', 'phrases', 'exclusions', 'pattern', 'active'] as const;

/**
 * Themes: their definitions (ADMIN and EXECUTIVE keys write them, WRITE_THEMES), the tagging of
 * responses as they are stored, and the re-tagging that follows a change. Reading themes and the
 * re-tagging's progress needs READ_REPORTS: they exist for the drivers analysis, which INTEGRATION
 * keys do not read (docs/access-matrix.md).
 */
export class ThemeService {
  /** The compiled active themes, per process, compiled again when theme_set.version moves. */
  readonly cache = new ThemeSetCache();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: Services,
  ) {}

  /** Every theme (inactive ones too), by code. */
  async list(ctx: RequestContext, active?: boolean | null): Promise<Theme[]> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const rows = await ctx.em.query(`SELECT * FROM themes WHERE ($1::boolean IS NULL OR active = $1) ORDER BY code`, [active ?? null]);
    return rows.map(themeFromRow);
  }

  async byId(ctx: RequestContext, id: string): Promise<Theme> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    const theme = await ctx.loaders.theme.load(id);
    if (!theme) throw notFound('Theme', id, 'id');
    return theme;
  }

  async create(ctx: RequestContext, input: CreateThemeInput): Promise<Theme> {
    this.services.access.require(ctx, Permission.WRITE_THEMES);
    const definition = checked({
      code: input.code,
      name: trimmed(input.name),
      keywords: input.keywords ?? [],
      phrases: input.phrases ?? [],
      exclusions: input.exclusions ?? [],
      ...(input.pattern === null || input.pattern === undefined ? {} : { pattern: input.pattern }),
    });
    const active = input.active ?? true;
    const theme = await transaction(ctx, async (ctx) => {
      // First: the version row (serialises with writers of responses and other theme changes).
      if (active) await queueRetagging(ctx, `theme ${definition.code} created`);
      await this.assertCodeFree(ctx, definition.code, null);
      if (active) await this.assertRoomForOneMore(ctx);
      const [row] = await ctx.em.query(
        `INSERT INTO themes (code, name, keywords, phrases, exclusions, pattern, active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [definition.code, definition.name, definition.keywords, definition.phrases, definition.exclusions, definition.pattern ?? null, active],
      );
      return themeFromRow(row);
    }).then(afterCommit(ctx));
    if (active) this.queued();
    ctx.loaders.theme.clear(theme.id).prime(theme.id, theme);
    return theme;
  }

  async update(ctx: RequestContext, id: string, input: UpdateThemeInput): Promise<Theme> {
    this.services.access.require(ctx, Permission.WRITE_THEMES);
    for (const f of ['code', 'name', 'keywords', 'phrases', 'exclusions', 'active'] as const) {
      if (input[f] === null) throw badInput(`${f} cannot be null (leave it out to keep it)`, f);
    }
    let retag = false;
    const theme = await transaction(ctx, async (ctx) => {
      const [current] = await ctx.em.query('SELECT * FROM themes WHERE id = $1 FOR UPDATE', [id]);
      if (!current) throw notFound('Theme', id, 'id');
      const before = themeFromRow(current);
      const next = {
        code: input.code ?? before.code,
        name: input.name === undefined || input.name === null ? before.name : trimmed(input.name),
        keywords: input.keywords ?? before.keywords,
        phrases: input.phrases ?? before.phrases,
        exclusions: input.exclusions ?? before.exclusions,
        pattern: input.pattern === undefined ? before.pattern : input.pattern,
        active: input.active ?? before.active,
      };
      const definition = checked({ ...next, pattern: next.pattern ?? undefined });
      retag = TAGGING_FIELDS.some((f) => JSON.stringify(next[f]) !== JSON.stringify(before[f]));
      if (retag) await queueRetagging(ctx, `theme ${definition.code} changed`);
      await this.assertCodeFree(ctx, definition.code, id);
      if (next.active && !before.active) await this.assertRoomForOneMore(ctx);
      const [row] = await ctx.em.query(
        `WITH u AS (UPDATE themes SET code = $2, name = $3, keywords = $4, phrases = $5, exclusions = $6, pattern = $7, active = $8, updated_at = now()
         WHERE id = $1 RETURNING *) SELECT * FROM u`,
        [id, definition.code, definition.name, definition.keywords, definition.phrases, definition.exclusions, next.pattern, next.active],
      );
      return themeFromRow(row);
    }).then(afterCommit(ctx));
    if (retag) this.queued();
    ctx.loaders.theme.clear(id).prime(id, theme);
    return theme;
  }

  /** Deletes a theme; its mentions are removed by the re-tagging this starts (until then no report shows them). Returns its id. */
  async delete(ctx: RequestContext, id: string): Promise<string> {
    this.services.access.require(ctx, Permission.WRITE_THEMES);
    await transaction(ctx, async (ctx) => {
      const [row] = await ctx.em.query('SELECT code FROM themes WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw notFound('Theme', id, 'id');
      await queueRetagging(ctx, `theme ${row.code} deleted`);
      await ctx.em.query('DELETE FROM themes WHERE id = $1', [id]);
    }).then(afterCommit(ctx));
    this.queued();
    ctx.loaders.theme.clear(id);
    return id;
  }

  /** Queues a re-tagging of every stored response with the current themes (after responses were written around the API). */
  async retag(ctx: RequestContext, reason?: string | null): Promise<ThemeTaggingJob> {
    this.services.access.require(ctx, Permission.WRITE_THEMES);
    const job = await transaction(ctx, (ctx) => queueRetagging(ctx, reason?.trim() || 're-tagging asked for')).then(afterCommit(ctx));
    this.queued();
    return job;
  }

  /** The newest re-tagging (running or finished); null before any. */
  async tagging(ctx: RequestContext): Promise<ThemeTaggingJob | null> {
    this.services.access.require(ctx, Permission.READ_REPORTS);
    return latestJob(ctx);
  }

  /**
   * Inside a writer's transaction (ctx is its context): tags responses it has just stored with the
   * current themes (compiled once per version of the theme set and process). Returns the mentions written.
   */
  async tagNew(ctx: RequestContext, responses: readonly TaggableResponse[]): Promise<number> {
    if (!responses.length) return 0;
    const set = await this.cache.forWriting(ctx.em);
    return tagNewResponses(ctx.em, set, responses);
  }

  /** Re-tags responses whose verbatims were corrected, in the caller's transaction (only the difference is written). */
  async retagCorrected(ctx: RequestContext, responses: readonly TaggableResponse[]): Promise<number> {
    if (!responses.length) return 0;
    const set = await this.cache.forWriting(ctx.em);
    return retagResponses(ctx.em, set, responses);
  }

  /** The re-tagging worker listens here for jobs this process queues (no wait for its next poll). */
  onQueued(listener: () => void): void {
    this.listeners.add(listener);
  }

  offQueued(listener: () => void): void {
    this.listeners.delete(listener);
  }

  private queued(): void {
    for (const l of this.listeners) l();
  }

  private async assertCodeFree(ctx: RequestContext, code: string, id: string | null): Promise<void> {
    const [clash] = await ctx.em.query('SELECT id FROM themes WHERE code = $1 AND id IS DISTINCT FROM $2::uuid', [code, id]);
    if (clash) throw conflict(`A theme with the code ${JSON.stringify(code)} already exists`, { themeId: clash.id });
  }

  private async assertRoomForOneMore(ctx: RequestContext): Promise<void> {
    const [{ n }] = await ctx.em.query('SELECT count(*)::int AS n FROM themes WHERE active');
    if (n >= THEME_LIMITS.themes) throw badInput(`At most ${THEME_LIMITS.themes} active themes; deactivate or delete one first`, 'active');
  }
}

const trimmed = (name: unknown) => (typeof name === 'string' ? name.trim() : name) as string;

/** The definition, or BAD_USER_INPUT naming the first field at fault (every problem in extensions.problems). */
function checked<T extends ThemeDefinition>(definition: T): T {
  const problems = themeDefinitionProblems(definition);
  if (problems.length) {
    const [first] = problems;
    throw badInput(`${first.field}: ${first.message}`, first.field, { problems });
  }
  return definition;
}
