import { Theme, ThemeTaggingJob, ThemeTaggingStatus } from './theme.types';

type Row = Record<string, any>;

/** A `themes` row (snake_case, as pg returns it) as the GraphQL type. */
export function themeFromRow(row: Row): Theme {
  return Object.assign(new Theme(), {
    id: row.id,
    code: row.code,
    name: row.name,
    keywords: row.keywords ?? [],
    phrases: row.phrases ?? [],
    exclusions: row.exclusions ?? [],
    pattern: row.pattern ?? null,
    active: row.active,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}

/** A `theme_tagging_jobs` row as the GraphQL type, with its progress. */
export function jobFromRow(row: Row): ThemeTaggingJob {
  const total = row.total === null || row.total === undefined ? null : Number(row.total);
  const processed = Number(row.processed);
  const status = row.status as ThemeTaggingStatus;
  const progress =
    status === ThemeTaggingStatus.DONE ? 100 : total === null ? null : total === 0 ? 100 : Math.min(100, (100 * processed) / total);
  return Object.assign(new ThemeTaggingJob(), {
    id: row.id,
    status,
    reason: row.reason,
    total,
    processed,
    changed: Number(row.changed),
    progress,
    createdAt: new Date(row.created_at),
    startedAt: row.started_at ? new Date(row.started_at) : null,
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  });
}
