import { GraphQLError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { DomainError, ErrorCode } from '../../common/errors';
import type { Services } from '../../services';
import { systemContext } from '../../system-context';
import type { Viewer } from './viewer';

/**
 * Turns the Authorization header of an HTTP request into a viewer. Every request to /graphql needs
 * a valid key (`Authorization: Bearer <key>`); a missing, malformed, unknown or revoked one is
 * refused before anything runs, with HTTP 401 and extensions.code UNAUTHENTICATED. Apollo Server
 * takes the status and headers from extensions.http of an error thrown by the context function
 * and strips `http` before formatting.
 *
 * Operations run in-process (tests' executeOperation, seeding, the CLI) give their viewer directly
 * and do not come through here.
 */
export async function resolveViewer(services: Services, authorization: string | undefined): Promise<Viewer> {
  try {
    // The request has no context yet (this decides its viewer): the lookup runs as the server.
    return await services.apiKeys.authenticate(systemContext(services), authorization);
  } catch (e) {
    if (e instanceof DomainError && e.code === ErrorCode.UNAUTHENTICATED) {
      throw new GraphQLError(e.message, {
        extensions: {
          code: ErrorCode.UNAUTHENTICATED,
          http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer realm="nps-api"']]) },
        },
      });
    }
    throw e;
  }
}
