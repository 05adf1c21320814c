/**
 * A theme's optional pattern is a JavaScript regular expression run by a backtracking engine, so a
 * careless one ("(a+)+$", "(a|a)*", "a?a?a?…aaa…", ".*.*.*x") can take seconds or years on one
 * text. Before a pattern is accepted it is parsed here and the number of ways it can try to match
 * from one position of a sentence is bounded:
 *
 * - a sequence multiplies the ways of its parts; an alternation adds its alternatives' ways (or,
 *   when every alternative is a plain word, counts how many of them can match at one place: at
 *   most the longest chain of alternatives that are prefixes of each other);
 * - a repetition of something with p ways and at most m repeats has 1 + p + p² + … + p^m ways,
 *   with an unbounded repeat (*, +, {n,}) counted as the longest sentence examined.
 *
 * Nested repetition ("(a+)+"), repeated alternatives ("(a|b)*") and long runs of optional parts then
 * come out astronomically large and are refused, as are two unbounded repeats in a row; bounded
 * ones (".{0,40}") are cheap. Backreferences, lookarounds and named groups, which the count cannot
 * describe, are refused outright, as are patterns that match an empty text (they would tag
 * everything).
 */

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 1000;
/** Patterns are tested one sentence at a time; a longer sentence is cut into pieces of at most this many characters. */
export const PATTERN_SEGMENT_LENGTH = 300;
/** Most ways a pattern may have to try a match from one position (see above). */
export const MAX_PATTERN_WAYS = 20_000;

/** Why this pattern is refused ("nested repetition: ..."), or null when it is safe to run. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'pattern is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern);
  } catch (e) {
    return `pattern is not a valid regular expression: ${(e as Error).message}`;
  }
  let ways: number;
  try {
    ways = new Parser(pattern).parse().ways;
  } catch (e) {
    if (e instanceof PatternRefused) return `pattern ${e.message}`;
    throw e;
  }
  if (ways > MAX_PATTERN_WAYS) {
    return `pattern may backtrack too much (nested or adjacent unbounded repetition, or many optional parts): up to ${formatWays(ways)} ways to try a match from one position, at most ${MAX_PATTERN_WAYS} allowed; use bounded repeats such as .{0,40}`;
  }
  if (compiled.test('')) return 'pattern matches an empty text, so it would tag every response';
  return null;
}

/** The bound described above, for a pattern patternProblem accepts (for tests and docs). */
export function patternWays(pattern: string): number {
  return new Parser(pattern).parse().ways;
}

function formatWays(ways: number): string {
  return Number.isFinite(ways) && ways < 1e15 ? String(Math.round(ways)) : 'astronomically many';
}

class PatternRefused extends Error {}

interface Parsed {
  /** Upper bound on the ways to try a match from one position. */
  ways: number;
  /** The plain text it matches when it is only literal characters, else null. */
  literal: string | null;
  /** Zero-width (an anchor or \b): nothing to repeat. */
  assertion?: boolean;
}

const CLASS_ESCAPES = 'dDwWsS';
const CONTROL_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };

/** Recursive descent over the JavaScript regular expression syntax this guard allows. */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Parsed {
    const result = this.alternation();
    if (this.i < this.src.length) throw new PatternRefused(`has an unmatched ")" at ${this.i}`);
    return result;
  }

  private alternation(): Parsed {
    const alternatives = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      alternatives.push(this.sequence());
    }
    if (alternatives.length === 1) return alternatives[0];
    const literals = alternatives.map((a) => a.literal);
    if (literals.every((l): l is string => l !== null)) {
      // Plain words: at one position only those that are prefixes of one another can all match.
      const chain = Math.max(...literals.map((l) => literals.filter((o) => l.startsWith(o)).length));
      return { ways: chain, literal: null };
    }
    return { ways: alternatives.reduce((sum, a) => sum + a.ways, 0), literal: null };
  }

  private sequence(): Parsed {
    let ways = 1;
    let literal: string | null = '';
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      let item = this.atom();
      const repeat = this.quantifier();
      if (repeat) {
        if (item.assertion) throw new PatternRefused(`repeats an anchor or word boundary at ${this.i}`);
        item = { ways: repeatedWays(item.ways, repeat.min, repeat.max), literal: null };
      }
      ways *= item.ways;
      literal = literal !== null && item.literal !== null ? literal + item.literal : null;
    }
    return { ways, literal };
  }

  private quantifier(): { min: number; max: number } | null {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new PatternRefused(`has a "{" that is not a repeat count at ${this.i} (write \\{ for the character)`);
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else {
      return null;
    }
    if (this.peek() === '?') this.i++; // lazy: same ways, other order
    return { min, max };
  }

  private atom(): Parsed {
    const c = this.src[this.i];
    switch (c) {
      case '(':
        return this.group();
      case '[':
        this.characterClass();
        return { ways: 1, literal: null };
      case '\\':
        return this.escape();
      case '^':
      case '$':
        this.i++;
        return { ways: 1, literal: null, assertion: true };
      case '.':
        this.i++;
        return { ways: 1, literal: null };
      case '*':
      case '+':
      case '?':
      case '{':
        throw new PatternRefused(`has nothing to repeat at ${this.i}`);
      default:
        this.i++;
        return { ways: 1, literal: c };
    }
  }

  private group(): Parsed {
    const start = this.i;
    this.i++;
    if (this.src.startsWith('?', this.i)) {
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (/^\?<?[=!]/.test(this.src.slice(this.i))) throw new PatternRefused(`uses a lookahead or lookbehind at ${start}, which is not allowed`);
      else throw new PatternRefused(`uses a named or modified group at ${start}, which is not allowed (use (…) or (?:…))`);
    }
    const inner = this.alternation();
    if (this.peek() !== ')') throw new PatternRefused(`has an unclosed "(" at ${start}`);
    this.i++;
    return inner;
  }

  private escape(): Parsed {
    const at = this.i;
    const c = this.src[this.i + 1];
    this.i += 2;
    if (c === undefined) throw new PatternRefused('ends with a lone backslash');
    if (c === 'b' || c === 'B') return { ways: 1, literal: null, assertion: true };
    if (CLASS_ESCAPES.includes(c)) return { ways: 1, literal: null };
    if (c in CONTROL_ESCAPES) return { ways: 1, literal: CONTROL_ESCAPES[c] };
    if (/[1-9]/.test(c) || c === 'k') throw new PatternRefused(`uses a backreference at ${at}, which is not allowed`);
    if (/[\p{L}\p{N}]/u.test(c)) throw new PatternRefused(`uses the escape \\${c} at ${at}, which is not supported`);
    return { ways: 1, literal: c };
  }

  private characterClass(): void {
    const start = this.i;
    this.i++;
    if (this.peek() === '^') this.i++;
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      if (this.src[this.i] === '\\') {
        const c = this.src[this.i + 1];
        if (c === undefined) break;
        if (/[1-9]/.test(c) || (/[\p{L}\p{N}]/u.test(c) && !CLASS_ESCAPES.includes(c) && !(c in CONTROL_ESCAPES) && c !== 'b')) {
          throw new PatternRefused(`uses the escape \\${c} at ${this.i}, which is not supported`);
        }
        this.i += 2;
      } else {
        this.i++;
      }
    }
    if (this.peek() !== ']') throw new PatternRefused(`has an unclosed "[" at ${start}`);
    this.i++;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }
}

/** 1 + p + … + p^m (from p^min), with an unbounded repeat counted as the longest examined sentence. */
function repeatedWays(p: number, min: number, max: number): number {
  const top = Math.min(max, PATTERN_SEGMENT_LENGTH);
  if (min > top) return 1;
  if (p <= 1) return top - min + 1;
  let total = 0;
  for (let k = min; k <= top && total < Number.MAX_VALUE; k++) total += p ** k;
  return total;
}
