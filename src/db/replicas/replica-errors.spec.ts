import { QueryFailedError } from 'typeorm';
import { replicaFailure } from './replica-errors';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const typeorm = (code: string, message: string) => new QueryFailedError('SELECT 1', [], pgError(code, message));

describe('replicaFailure', () => {
  it('names the standby cancellation, whether raw or wrapped by TypeORM', () => {
    const msg = 'canceling statement due to conflict with recovery';
    expect(replicaFailure(pgError('40001', msg))).toBe('recovery-conflict');
    expect(replicaFailure(typeorm('40001', msg))).toBe('recovery-conflict');
    expect(replicaFailure(typeorm('40P01', msg))).toBe('recovery-conflict');
  });

  it('names an unreachable or vanished replica', () => {
    expect(replicaFailure(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:55433'))).toBe('unavailable');
    expect(replicaFailure(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(replicaFailure(typeorm('57P01', 'terminating connection due to administrator command'))).toBe('unavailable');
    expect(replicaFailure(typeorm('08006', 'connection failure'))).toBe('unavailable');
  });

  it('names a write refused by the standby', () => {
    expect(replicaFailure(typeorm('25006', 'cannot execute INSERT in a read-only transaction'))).toBe('read-only');
  });

  it('leaves the statement’s own errors alone: they would fail on the primary too', () => {
    expect(replicaFailure(typeorm('40001', 'could not serialize access due to concurrent update'))).toBeNull();
    expect(replicaFailure(typeorm('57014', 'canceling statement due to statement timeout'))).toBeNull();
    expect(replicaFailure(typeorm('22P02', 'invalid input syntax for type uuid'))).toBeNull();
    expect(replicaFailure(typeorm('42P01', 'relation "x" does not exist'))).toBeNull();
    expect(replicaFailure(null)).toBeNull();
  });
});
