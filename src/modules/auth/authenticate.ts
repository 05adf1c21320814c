import type { Services } from '../../services';
import { SYSTEM_VIEWER, Viewer } from './viewer';

/**
 * Turns the Authorization header into a viewer. Until API keys exist every caller is the
 * system administrator; the API-key check replaces this body.
 */
export async function resolveViewer(_services: Services, _authorization: string | undefined): Promise<Viewer> {
  return SYSTEM_VIEWER;
}
