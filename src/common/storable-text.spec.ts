import { unstorableJsonProblem, unstorableTextProblem } from './storable-text';

describe('unstorableTextProblem', () => {
  it('accepts ordinary text, including astral characters written as surrogate pairs', () => {
    for (const s of ['', 'plain', 'héllo wörld', '日本語', 'emoji 😀 ok', '\ud83d\ude00', 'tab\tnewline\n', '\uFFFD', '\u0001 control']) {
      expect(unstorableTextProblem(s)).toBeNull();
    }
  });

  it('names a NUL character and where it is', () => {
    expect(unstorableTextProblem('ab\u0000c')).toBe('contains a NUL character (U+0000) at position 2, which cannot be stored');
    expect(unstorableTextProblem('\u0000')).toMatch(/NUL character .* position 0/);
  });

  it.each([
    ['a\ud800b', 1],
    ['a\udc00b', 1],
    ['\ud800', 0],
    ['end\udbff', 3],
    ['\ud800\ud800\udc00', 0],
    ['\ud83d\ude00\ude00', 2],
    ['x\udfff\ud800', 1],
  ])('names an unpaired surrogate in %j at position %d', (s, at) => {
    expect(unstorableTextProblem(s)).toBe(`contains invalid Unicode (an unpaired UTF-16 surrogate) at position ${at}`);
  });
});

describe('unstorableJsonProblem', () => {
  it('accepts JSON whose every key and string is storable', () => {
    expect(unstorableJsonProblem({ a: 1, b: [true, null, 'x', { c: 'ü' }], d: 2.5 }, 'attributes')).toBeNull();
    expect(unstorableJsonProblem(null, 'attributes')).toBeNull();
    expect(unstorableJsonProblem(42, 'attributes')).toBeNull();
  });

  it('finds a bad string value at any depth and gives its path', () => {
    expect(unstorableJsonProblem('a\u0000', 'comment')).toBe('comment contains a NUL character (U+0000) at position 1, which cannot be stored');
    expect(unstorableJsonProblem({ ok: 'x', notes: ['fine', { text: 'bad\ud800' }] }, 'customer.attributes')).toBe(
      'customer.attributes.notes.1.text contains invalid Unicode (an unpaired UTF-16 surrogate) at position 3',
    );
  });

  it('finds a bad key, at the top or nested', () => {
    expect(unstorableJsonProblem({ 'k\u0000': 1 }, 'attributes')).toBe('attributes has a key that contains a NUL character (U+0000) at position 1, which cannot be stored');
    expect(unstorableJsonProblem({ a: [{ '\udc00': 'v' }] }, 'attributes')).toBe(
      'attributes.a.0 has a key that contains invalid Unicode (an unpaired UTF-16 surrogate) at position 0',
    );
  });

  it('reports the first problem in key order', () => {
    expect(unstorableJsonProblem({ a: 'fine', b: '\u0000', c: '\ud800' }, 'x')).toMatch(/^x\.b contains a NUL/);
  });
});
