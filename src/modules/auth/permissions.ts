import { Role } from './viewer';

/**
 * What each role may do. MANAGER permissions apply within their department subtree only; the
 * scoping itself happens in AccessService and the filter compiler.
 */
export enum Permission {
  /** Departments, people, surveys, segments (names and structure), industry benchmarks and internal standards. */
  READ_ORG = 'read:org',
  /** Aggregates: summary, trend, department and segment scores, KPI actuals, closed-loop metrics. */
  READ_REPORTS = 'read:reports',
  /**
   * Individual responses with verbatims and customer details, and everything derived from the
   * verbatims: the themes a response mentions, drivers, the themes and search filters.
   */
  READ_RESPONSES = 'read:responses',
  READ_TARGETS = 'read:targets',
  READ_ACTION_ITEMS = 'read:action_items',
  WRITE_ORG = 'write:org',
  WRITE_RESPONSES = 'write:responses',
  WRITE_SEGMENTS = 'write:segments',
  WRITE_TARGETS = 'write:targets',
  /** Industry benchmarks and internal NPS standards. */
  WRITE_BENCHMARKS = 'write:benchmarks',
  WRITE_ACTION_ITEMS = 'write:action_items',
  /** Themes (what verbatims are tagged with): create, change, delete, re-tag. */
  WRITE_THEMES = 'write:themes',
  ADMIN_KEYS = 'admin:keys',
  ADMIN_WEBHOOKS = 'admin:webhooks',
}

const P = Permission;

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  [Role.ADMIN]: new Set(Object.values(Permission)),
  [Role.EXECUTIVE]: new Set([P.READ_ORG, P.READ_REPORTS, P.READ_RESPONSES, P.READ_TARGETS, P.READ_ACTION_ITEMS, P.WRITE_SEGMENTS, P.WRITE_TARGETS, P.WRITE_BENCHMARKS, P.WRITE_THEMES]),
  [Role.MANAGER]: new Set([P.READ_ORG, P.READ_REPORTS, P.READ_RESPONSES, P.READ_TARGETS, P.READ_ACTION_ITEMS, P.WRITE_ACTION_ITEMS]),
  [Role.INTEGRATION]: new Set([P.READ_ORG, P.READ_ACTION_ITEMS, P.WRITE_RESPONSES, P.WRITE_ACTION_ITEMS]),
};
