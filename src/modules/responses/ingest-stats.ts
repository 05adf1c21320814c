import { SubmitStatus } from './submit.types';

/**
 * Process-wide counts of the rows submitResponses answered, by status (ACCEPTED, DUPLICATE,
 * CONFLICT, REJECTED), read through ingestStats() by the metrics. Counters only grow.
 */
const rows: Record<SubmitStatus, number> = { [SubmitStatus.ACCEPTED]: 0, [SubmitStatus.DUPLICATE]: 0, [SubmitStatus.CONFLICT]: 0, [SubmitStatus.REJECTED]: 0 };

export const ingestStats = (): Readonly<Record<SubmitStatus, number>> => ({ ...rows });

export function countIngestedRows(accepted: number, duplicates: number, rejected: number, conflicts = 0): void {
  rows[SubmitStatus.ACCEPTED] += accepted;
  rows[SubmitStatus.DUPLICATE] += duplicates;
  rows[SubmitStatus.REJECTED] += rejected;
  rows[SubmitStatus.CONFLICT] += conflicts;
}
