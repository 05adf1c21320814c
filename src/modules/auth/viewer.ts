import { registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'ADMIN',
  EXECUTIVE = 'EXECUTIVE',
  MANAGER = 'MANAGER',
  INTEGRATION = 'INTEGRATION',
}
registerEnumType(Role, {
  name: 'Role',
  description:
    'ADMIN: everything. EXECUTIVE: read everything, manage segments, targets, benchmarks and themes. MANAGER: read and act within one department subtree. INTEGRATION: submit responses and manage action items.',
});

/** Who is calling. Every service call receives it through the request context. */
export interface Viewer {
  /** The API key's id; null for the server itself (seeding, CLI). */
  keyId: string | null;
  name: string;
  role: Role;
  /** For MANAGER: the root of the department subtree they may see. */
  departmentId: string | null;
  /** The key's own rate-limit budget (points per window); absent or null: its role's default. */
  rateLimit?: number | null;
}

export const SYSTEM_VIEWER: Viewer = Object.freeze({ keyId: null, name: 'system', role: Role.ADMIN, departmentId: null });
