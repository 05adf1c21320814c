import { Extensions } from 'type-graphql';
import { REPORT_CACHE_EXTENSION } from './cacheable';

/**
 * Marks a root query field whose answer the report cache may keep: everything it shows is read
 * from tables that notify data_changed (migration 1764001200000), and depends on nothing but the
 * viewer's key, the arguments and the clock.
 */
export const ReportCached = () => Extensions({ [REPORT_CACHE_EXTENSION]: true });
