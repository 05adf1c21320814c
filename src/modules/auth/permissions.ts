import { Role } from './viewer';

/**
 * What each role may do. MANAGER permissions apply within their department subtree only; the
 * scoping itself happens in AccessService and the filter compiler. Values are the names of the
 * schema's Permission enum (READ_RESPONSES), so messages, extensions.permission, docs and
 * `viewer { permissions }` spell a permission one way.
 */
export enum Permission {
  /** Departments, people, surveys, segments (names and structure), industry benchmarks and internal standards. */
  READ_ORG = 'READ_ORG',
  /** Aggregates: summary, trend, department and segment scores, KPI actuals, closed-loop metrics. */
  READ_REPORTS = 'READ_REPORTS',
  /**
   * Individual responses with verbatims and customer details, and everything derived from the
   * verbatims: the themes a response mentions, drivers, the themes and search filters.
   */
  READ_RESPONSES = 'READ_RESPONSES',
  READ_TARGETS = 'READ_TARGETS',
  READ_ACTION_ITEMS = 'READ_ACTION_ITEMS',
  WRITE_ORG = 'WRITE_ORG',
  WRITE_RESPONSES = 'WRITE_RESPONSES',
  WRITE_SEGMENTS = 'WRITE_SEGMENTS',
  WRITE_TARGETS = 'WRITE_TARGETS',
  /** Industry benchmarks and internal NPS standards. */
  WRITE_BENCHMARKS = 'WRITE_BENCHMARKS',
  WRITE_ACTION_ITEMS = 'WRITE_ACTION_ITEMS',
  /** Themes (what verbatims are tagged with): create, change, delete, re-tag. */
  WRITE_THEMES = 'WRITE_THEMES',
  /** Initiatives (action plans): create them and link their action items. */
  WRITE_INITIATIVES = 'WRITE_INITIATIVES',
  /** Significant-shift alert rules (create, change, delete) and alerts (acknowledge, snooze, resolve); a MANAGER within its subtree. */
  WRITE_ALERTS = 'WRITE_ALERTS',
  ADMIN_KEYS = 'ADMIN_KEYS',
  ADMIN_WEBHOOKS = 'ADMIN_WEBHOOKS',
  /** eraseCustomer: remove a customer's personal data everywhere (ADMIN only). */
  ERASE_PERSONAL_DATA = 'ERASE_PERSONAL_DATA',
}

const P = Permission;

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  [Role.ADMIN]: new Set(Object.values(Permission)),
  [Role.EXECUTIVE]: new Set([P.READ_ORG, P.READ_REPORTS, P.READ_RESPONSES, P.READ_TARGETS, P.READ_ACTION_ITEMS, P.WRITE_SEGMENTS, P.WRITE_TARGETS, P.WRITE_BENCHMARKS, P.WRITE_THEMES, P.WRITE_INITIATIVES, P.WRITE_ALERTS]),
  [Role.MANAGER]: new Set([P.READ_ORG, P.READ_REPORTS, P.READ_RESPONSES, P.READ_TARGETS, P.READ_ACTION_ITEMS, P.WRITE_ACTION_ITEMS, P.WRITE_INITIATIVES, P.WRITE_ALERTS]),
  [Role.INTEGRATION]: new Set([P.READ_ORG, P.READ_ACTION_ITEMS, P.WRITE_RESPONSES, P.WRITE_ACTION_ITEMS]),
};
