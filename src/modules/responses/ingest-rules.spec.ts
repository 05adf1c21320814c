import { checkRow, CLOCK_SKEW_MS, toResponseInput } from './ingest-rules';
import { EARLIEST_RESPONDED_AT, ResponseInput } from './response.inputs';

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
    [{ externalRef: ' r-1' }, 'externalRef'],
    [{ externalRef: 'r-1\n' }, 'externalRef'],
    [{ externalRef: 'r\u0000' }, 'externalRef'],
    [{ respondedAt: new Date('1999-12-31T23:59:59.999Z') }, 'respondedAt'],
    [{ respondedAt: new Date('1900-01-01T00:00:00Z') }, 'respondedAt'],
    [{ comment: 'a\u0000b' }, 'comment'],
    [{ comment: 'a\ud800b' }, 'comment'],
    [{ channel: '\u0000' }, 'channel'],
    [{ touchpoint: 'x\udc00' }, 'touchpoint'],
    [{ agentEmail: 'a\u0000@example.com' }, 'agentEmail'],
    [{ followUpAnswers: [{ question: 'q\u0000', answer: 'a' }] }, 'followUpAnswers.0.question'],
    [{ followUpAnswers: [{ question: 'q', answer: 'a' }, { question: 'q', answer: '\ud83d' }] }, 'followUpAnswers.1.answer'],
    [{ customer: { externalRef: 'c ' } }, 'customer.externalRef'],
    [{ customer: { externalRef: 'c', plan: 'p\u0000' } }, 'customer.plan'],
    [{ customer: { externalRef: 'c', attributes: { deep: [{ v: '\u0000' }] } } }, 'customer.attributes'],
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

  it('accepts respondedAt from 2000-01-01T00:00:00Z and says why an earlier one is refused', () => {
    expect(checkRow(row({ respondedAt: new Date(EARLIEST_RESPONDED_AT) }), NOW)).toBeNull();
    expect(checkRow(row({ respondedAt: new Date('1900-01-01T00:00:00Z') }), NOW)?.message).toBe(
      'respondedAt 1900-01-01T00:00:00.000Z is before 2000-01-01T00:00:00Z, the earliest date accepted',
    );
  });

  it('names what cannot be stored and refuses outer whitespace in refs without trimming', () => {
    expect(checkRow(row({ comment: 'ok\u0000' }), NOW)?.message).toBe('comment contains a NUL character (U+0000) at position 2, which cannot be stored');
    expect(checkRow(row({ customer: { externalRef: 'c', attributes: { a: { b: 'x\ud800' } } } }), NOW)?.message).toBe(
      'customer.attributes.a.b contains invalid Unicode (an unpaired UTF-16 surrogate) at position 1',
    );
    expect(checkRow(row({ externalRef: '  ref  ' }), NOW)?.message).toBe('externalRef must not start or end with whitespace');
    expect(checkRow(row({ externalRef: 'a ref with spaces', comment: 'emoji 😀', customer: { externalRef: 'c 1' } }), NOW)).toBeNull();
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
