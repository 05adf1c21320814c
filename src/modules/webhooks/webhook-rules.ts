import { badInput } from '../../common/errors';
import { EVENT_TYPES, EventType } from './outbox-event.entity';
import { WebhookFormat } from './webhook-endpoint.entity';
import { secretProblem } from './signature';
import { Role } from '../auth/viewer';

/** Event types a SLACK endpoint can render: detractor alerts and significant-shift alerts. */
export const SLACK_EVENT_TYPES: readonly EventType[] = ['response.detractor', 'nps.shift_detected'];

/** An absolute http(s) URL without credentials or fragment, normalised; BAD_USER_INPUT otherwise. */
export function checkUrl(raw: string, field = 'url'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badInput(`${field} is not a valid absolute URL`, field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`${field} must use http or https, not ${url.protocol.replace(/:$/, '')}`, field);
  if (url.username || url.password) throw badInput(`${field} must not contain a user name or password; use the signing secret`, field);
  if (url.hash) throw badInput(`${field} must not contain a #fragment`, field);
  return url.toString();
}

/** Known event types, deduplicated in the canonical order; BAD_USER_INPUT naming the unknown ones. */
export function checkEventTypes(types: readonly string[], field = 'eventTypes'): EventType[] {
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) {
    throw badInput(`${field} has unknown event types ${unknown.map((t) => JSON.stringify(t)).join(', ')}; known: ${EVENT_TYPES.join(', ')}`, field);
  }
  if (!types.length) throw badInput(`${field} must name at least one event type`, field);
  return EVENT_TYPES.filter((t) => types.includes(t));
}

/** A SLACK endpoint only renders detractor and shift alerts. */
export function checkFormatAllows(format: WebhookFormat, types: readonly string[]): void {
  if (format !== WebhookFormat.SLACK) return;
  const other = types.filter((t) => !SLACK_EVENT_TYPES.includes(t as EventType));
  if (other.length) {
    throw badInput(`A SLACK endpoint receives only ${SLACK_EVENT_TYPES.join(', ')}; remove ${other.join(', ')} or use the STANDARD format`, 'eventTypes');
  }
}

export function checkSecret(secret: string, field = 'secret'): string {
  const problem = secretProblem(secret);
  if (problem) throw badInput(problem, field);
  return secret;
}

/** The roles an endpoint may have: not MANAGER, whose reach is a department subtree an endpoint does not have. */
export const WEBHOOK_ROLES: readonly Role[] = [Role.ADMIN, Role.EXECUTIVE, Role.INTEGRATION];

export function checkRole(role: Role, field = 'role'): Role {
  if (!WEBHOOK_ROLES.includes(role)) {
    throw badInput(`${field} must be one of ${WEBHOOK_ROLES.join(', ')}: an endpoint has no department subtree for a MANAGER's reach`, field);
  }
  return role;
}
