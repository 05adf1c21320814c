/**
 * The normal form that theme words, phrases and patterns are matched in: lower case, accents
 * removed (é → e), apostrophes inside words dropped (didn't → didnt, customer's → customers), and
 * every other run of characters that are neither letters nor digits a separator.
 */

/**
 * Only this many characters of a text are examined (the rest is ignored), so tagging costs at most
 * a fixed amount per text whatever is sent. A comment may hold 10,000 characters; a longer text
 * (several answers joined) is tagged on its beginning.
 */
export const MAX_EXAMINED_TEXT_LENGTH = 10_000;

const MARKS = /\p{M}+/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const INNER_APOSTROPHE = /([\p{L}\p{N}])'(?=[\p{L}\p{N}])/gu;

/** Lower case, no accents, no apostrophes inside words; length preserved only loosely. */
export function normalizeText(text: string): string {
  let examined = text.length > MAX_EXAMINED_TEXT_LENGTH ? text.slice(0, MAX_EXAMINED_TEXT_LENGTH) : text;
  // Do not leave half a surrogate pair at the cut.
  if (/[\ud800-\udbff]$/.test(examined)) examined = examined.slice(0, -1);
  return examined.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(APOSTROPHES, "'").replace(INNER_APOSTROPHE, '$1');
}

export interface Token {
  /** The word in normal form. */
  word: string;
  /** Sentence number: . ! ? ; and line breaks end a sentence. Patterns are tested one sentence at a time. */
  sentence: number;
  /** Stretch between punctuation marks: phrases do not run across punctuation. */
  segment: number;
  /** Clause: a segment also ends at "but", "however", "although"...; negation does not reach past it. */
  clause: number;
  /** Written joined to the next word by a hyphen (log-in, set-up, over-priced). */
  hyphenNext: boolean;
}

const CLAUSE_WORDS = new Set(['but', 'however', 'although', 'though', 'except', 'whereas', 'yet']);
/** Punctuation that separates phrases; other symbols are skipped like spaces. */
const SEGMENT_BREAKS = ',:()[]{}"\u201c\u201d\u00ab\u00bb\u2026/|\u2013\u2014-';
// A word | a sentence end | a hyphen joining two words | spaces holding a line break | anything else.
const PIECE = /([\p{L}\p{N}]+)|([.!?;]|\s*[\n\r]\s*)|(-(?=[\p{L}\p{N}]))|\s+|([^\p{L}\p{N}\s])/gu;

/** The words of a normalized text with where its sentences, segments and clauses break. */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  let sentence = 0;
  let segment = 0;
  let clause = 0;
  let previousEnd = -1;
  for (const m of normalized.matchAll(PIECE)) {
    const [piece, word, sentenceEnd, hyphen, symbol] = m;
    if (word !== undefined) {
      if (CLAUSE_WORDS.has(word)) clause++;
      tokens.push({ word, sentence, segment, clause, hyphenNext: false });
      previousEnd = m.index + piece.length;
    } else if (sentenceEnd !== undefined) {
      sentence++;
      segment++;
      clause++;
    } else if (hyphen !== undefined && previousEnd === m.index && tokens.length > 0) {
      tokens[tokens.length - 1].hyphenNext = true;
    } else if ((symbol ?? hyphen) !== undefined && SEGMENT_BREAKS.includes(symbol ?? hyphen)) {
      // Symbols (% $ & + ...) do not split "paying 30% more"; punctuation does.
      segment++;
      clause++;
    }
  }
  return tokens;
}
