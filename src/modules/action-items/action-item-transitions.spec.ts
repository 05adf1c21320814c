import { ActionItemStatus } from './action-item.entity';
import { allowedTransitions, assertTransition, canTransition, isClosed, TRANSITIONS } from './action-item-transitions';
import { DomainError } from '../../common/errors';

const S = ActionItemStatus;
const ALL = Object.values(ActionItemStatus);

describe('action item transitions', () => {
  it('has an entry for every status and never lists a status as a move to itself', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL].sort());
    for (const from of ALL) expect(allowedTransitions(from)).not.toContain(from);
  });

  it('lets every closed item be reopened and every open item be closed as WONT_DO', () => {
    for (const closed of [S.DONE, S.WONT_DO]) {
      expect(canTransition(closed, S.OPEN)).toBe(true);
      expect(canTransition(closed, S.IN_PROGRESS)).toBe(true);
    }
    for (const open of [S.OPEN, S.IN_PROGRESS, S.BLOCKED]) expect(canTransition(open, S.WONT_DO)).toBe(true);
  });

  it('rejects nonsense moves with BAD_USER_INPUT naming the allowed ones', () => {
    let err: unknown;
    try {
      assertTransition(S.DONE, S.BLOCKED);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    const d = err as DomainError;
    expect(d.code).toBe('BAD_USER_INPUT');
    expect(d.field).toBe('status');
    expect(d.message).toContain('from DONE it can move to OPEN, IN_PROGRESS');
    expect(d.details).toEqual({ from: 'DONE', to: 'BLOCKED', allowed: ['OPEN', 'IN_PROGRESS'] });
  });

  it('classifies DONE and WONT_DO as closed', () => {
    expect(ALL.filter(isClosed)).toEqual([S.DONE, S.WONT_DO]);
  });
});
