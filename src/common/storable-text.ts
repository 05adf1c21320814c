/**
 * Text that PostgreSQL cannot store. A `text` or `jsonb` value may not contain NUL (U+0000): the
 * statement fails (22P05 "unsupported Unicode escape sequence", or 22021 as a parameter). A
 * JavaScript string may also hold an unpaired UTF-16 surrogate, which is not Unicode at all: it
 * reaches the database as an invalid \ud800 escape or is silently replaced by U+FFFD. Bulk writes
 * check every string of a row with these functions first, so such a row is rejected on its own
 * with its field named instead of failing the whole statement.
 */

const NUL = '\u0000';
// Without the `u` flag a regular expression sees UTF-16 code units: a high surrogate not followed
// by a low one, or a low surrogate not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why this string cannot be stored ("contains a NUL character ..."), or null when it can. */
export function unstorableTextProblem(s: string): string | null {
  const nul = s.indexOf(NUL);
  if (nul >= 0) return `contains a NUL character (U+0000) at position ${nul}, which cannot be stored`;
  const bad = UNPAIRED_SURROGATE.exec(s);
  if (bad) return `contains invalid Unicode (an unpaired UTF-16 surrogate) at position ${bad.index}`;
  return null;
}

/**
 * The first string of a JSON value (object keys included, depth first in key order) that cannot be
 * stored, as a message about `field`: "customer.attributes.notes.0 contains a NUL character ...",
 * "followUpAnswers has a key that contains ...". Null when every string can be stored.
 */
export function unstorableJsonProblem(value: unknown, field: string): string | null {
  if (typeof value === 'string') {
    const problem = unstorableTextProblem(value);
    return problem ? `${field} ${problem}` : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableJsonProblem(value[i], `${field}.${i}`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const keyProblem = unstorableTextProblem(key);
    if (keyProblem) return `${field} has a key that ${keyProblem}`;
    const found = unstorableJsonProblem(child, `${field}.${key}`);
    if (found) return found;
  }
  return null;
}
