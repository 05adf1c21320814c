import { isLockConflict } from './tagging-jobs';

describe('isLockConflict', () => {
  it('recognises a lock timeout and a lost deadlock, from pg or wrapped by TypeORM', () => {
    expect(isLockConflict({ code: '55P03' })).toBe(true);
    expect(isLockConflict({ driverError: { code: '40P01' } })).toBe(true);
    expect(isLockConflict({ code: '23505' })).toBe(false);
    expect(isLockConflict(new Error('boom'))).toBe(false);
    expect(isLockConflict(null)).toBe(false);
  });
});
