import type { EntityManager } from 'typeorm';
import type { AppDeps, RequestContext } from '../../context';
import type { Services } from '../../services';

/** A response just stored by ingest, as the follow-up logic needs it. */
export interface StoredResponseRow {
  id: string;
  externalRef: string;
  score: number;
  surveyId: string;
  departmentId: string | null;
  customerId: string | null;
  respondedAt: Date;
}

/**
 * Automatic follow-up: opens an action item for every detractor response stored, in the same
 * transaction as the insert. Called by ingest for the rows it actually inserted.
 * (Body to be written by the action-items work.)
 */
export class FollowUpService {
  constructor(
    private readonly deps: AppDeps,
    private readonly services: Services,
  ) {}

  async openForResponses(_ctx: RequestContext, _em: EntityManager, _rows: readonly StoredResponseRow[]): Promise<void> {}
}
