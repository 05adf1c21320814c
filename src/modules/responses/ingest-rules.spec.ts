import { checkRow, CLOCK_SKEW_MS, toResponseInput } from './ingest-rules';
import { ResponseInput } from './response.inputs';

const NOW = new Date('2026-06-15T12:00:00Z');
const row = (extra: Partial<ResponseInput> = {}): ResponseInput =>
  ({ externalRef: 'r-1', surveyCode: 'TX', score: 7, respondedAt: new Date('2026-06-01T00:00:00Z'), ...extra }) as ResponseInput;
const fieldOf = (extra: Partial<ResponseInput> | Record<string, unknown>) => checkRow(row(extra as Partial<ResponseInput>), NOW)?.field ?? null;

describe('checkRow', () => {
  it('accepts a minimal valid row and every score from 0 to 10', () => {
    for (let score = 0; score <= 10; score++) expect(checkRow(row({ score }), NOW)).toBeNull();
  });

  it.each([
    [{ score: 11 }, 'score'],
    [{ score: -1 }, 'score'],
    [{ score: 7.5 }, 'score'],
    [{ score: Number.NaN }, 'score'],
    [{ externalRef: '' }, 'externalRef'],
    [{ externalRef: ' \t ' }, 'externalRef'],
    [{ externalRef: 'x'.repeat(201) }, 'externalRef'],
    [{ surveyCode: 'has space' }, 'surveyCode'],
    [{ respondedAt: new Date('nope') }, 'respondedAt'],
    [{ comment: 'x'.repeat(10_001) }, 'comment'],
    [{ channel: '' }, 'channel'],
    [{ touchpoint: 'x'.repeat(101) }, 'touchpoint'],
    [{ departmentCode: 'a b' }, 'departmentCode'],
    [{ agentEmail: 'not-an-email' }, 'agentEmail'],
    [{ followUpAnswers: Array.from({ length: 21 }, () => ({ question: 'q', answer: 'a' })) }, 'followUpAnswers'],
    [{ followUpAnswers: [{ question: 'q', answer: 'a' }, { question: ' ', answer: 'a' }] }, 'followUpAnswers.1.question'],
    [{ followUpAnswers: [{ question: 'q', answer: 'x'.repeat(10_001) }] }, 'followUpAnswers.0.answer'],
    [{ customer: { externalRef: '' } }, 'customer.externalRef'],
    [{ customer: { externalRef: 'c', spend: -5 } }, 'customer.spend'],
    [{ customer: { externalRef: 'c', attributes: ['a'] } }, 'customer.attributes'],
  ])('rejects %j on field %s', (extra, field) => {
    expect(fieldOf(extra)).toBe(field);
  });

  it('accepts boundary lengths', () => {
    expect(checkRow(row({ externalRef: 'x'.repeat(200), comment: 'x'.repeat(10_000), channel: 'x'.repeat(100) }), NOW)).toBeNull();
  });

  it('allows five minutes of clock skew into the future, not more', () => {
    expect(checkRow(row({ respondedAt: new Date(NOW.getTime() + CLOCK_SKEW_MS) }), NOW)).toBeNull();
    const err = checkRow(row({ respondedAt: new Date(NOW.getTime() + CLOCK_SKEW_MS + 1) }), NOW);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', field: 'respondedAt' });
    expect(err!.message).toMatch(/future/);
  });

  it('reports the first problem in field order', () => {
    expect(fieldOf({ externalRef: '', score: 99 })).toBe('externalRef');
  });

  it('turns a string respondedAt from code into a Date', () => {
    const r = toResponseInput({ ...row(), respondedAt: '2026-01-01T00:00:00Z' as unknown as Date });
    expect(r.respondedAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(checkRow(r, NOW)).toBeNull();
  });
});
