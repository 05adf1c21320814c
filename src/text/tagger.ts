import { deletionNeighbours } from './edit-distance';
import { normalizeText, Token, tokenize } from './normalize';
import { PATTERN_SEGMENT_LENGTH } from './safe-pattern';
import { stem } from './stem';
import { ThemeDefinition, ThemeProblem, termWords, themeSetProblems } from './theme-definition';
import { isLikelyTypo, MIN_TYPO_LENGTH } from './typos';

/** Words a phrase may skip between two of its words: "value for (the) money", "on (the) hold". */
export const MAX_PHRASE_GAP = 1;
/** A mention is negated when one of these comes at most this many words before it in the same clause. */
export const NEGATION_WINDOW = 3;

const NEGATIONS = new Set([
  'no', 'not', 'never', 'nothing', 'none', 'nobody', 'noone', 'neither', 'nor', 'without', 'hardly', 'barely',
  'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'werent', 'arent', 'cant', 'cannot', 'couldnt', 'wouldnt',
  'shouldnt', 'wont', 'havent', 'hasnt', 'hadnt', 'aint',
]);

export interface ThemeMention {
  code: string;
  /** How it was found: the keyword or phrase as defined, or the text the pattern matched. */
  term: string;
  kind: 'keyword' | 'phrase' | 'pattern';
  /** The words of the text that matched, in normal form. */
  matched: string;
  /** A word was matched through a one-letter typo. */
  typo: boolean;
  /**
   * A negation comes just before ("not expensive", "never had an issue with billing"). The mention
   * still counts: a theme is a topic, praise or complaint alike (docs/themes.md).
   */
  negated: boolean;
}

/** A definition's words are invalid; `problems` says which, by field. */
export class ThemeDefinitionError extends Error {
  constructor(readonly problems: ThemeProblem[]) {
    super(`invalid theme definitions: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'ThemeDefinitionError';
  }
}

interface Term {
  theme: number;
  kind: 'keyword' | 'phrase';
  text: string;
  stems: string[];
}

/** Theme definitions checked and indexed for tagging; build once with compileThemes and reuse. */
export class CompiledThemes {
  /** @internal keywords and phrases by the stem of their first word */
  readonly termsByFirstStem = new Map<string, Term[]>();
  /** @internal typo candidates: a deletion neighbour of a vocabulary word or stem → the stems it stands for */
  readonly typoIndex = new Map<string, Set<string>>();
  /** @internal the stem of every word of every keyword and phrase */
  readonly vocabularyStems = new Set<string>();
  /** @internal length of the longest typo target */
  longestTypoTarget = 0;
  /** @internal vocabulary words and stems long enough for typos, each with its stem */
  readonly typoTargets = new Map<string, string>();
  /** @internal exclusions of every theme as stem sequences, by the stem of their first word */
  readonly exclusionsByFirstStem = new Map<string, { theme: number; stems: string[] }[]>();
  /** @internal the stems each word of a text stands for (see tokenStems), kept across texts */
  readonly wordStems = new Map<string, Map<string, boolean>>();
  /** @internal per theme */
  readonly patterns: (RegExp | null)[];

  /** @internal use compileThemes */
  constructor(readonly definitions: readonly ThemeDefinition[]) {
    definitions.forEach((d, theme) => {
      for (const text of d.keywords) this.addTerm({ theme, kind: 'keyword', text, stems: termWords(text).map(stem) }, termWords(text));
      for (const text of d.phrases) this.addTerm({ theme, kind: 'phrase', text, stems: termWords(text).map(stem) }, termWords(text));
    });
    definitions.forEach((d, theme) => {
      for (const e of d.exclusions ?? []) {
        const stems = termWords(e).map(stem);
        this.exclusionsByFirstStem.set(stems[0], [...(this.exclusionsByFirstStem.get(stems[0]) ?? []), { theme, stems }]);
      }
    });
    this.patterns = definitions.map((d) => (d.pattern === undefined ? null : new RegExp(d.pattern)));
  }

  private addTerm(term: Term, words: string[]): void {
    const first = term.stems[0];
    const list = this.termsByFirstStem.get(first);
    if (list) list.push(term);
    else this.termsByFirstStem.set(first, [term]);
    words.forEach((word, i) => {
      this.vocabularyStems.add(term.stems[i]);
      for (const form of [word, term.stems[i]]) {
        if (form.length < MIN_TYPO_LENGTH || this.typoTargets.has(form)) continue;
        this.typoTargets.set(form, term.stems[i]);
        this.longestTypoTarget = Math.max(this.longestTypoTarget, form.length);
        for (const n of deletionNeighbours(form)) {
          const set = this.typoIndex.get(n);
          if (set) set.add(form);
          else this.typoIndex.set(n, new Set([form]));
        }
      }
    });
  }
}

/** Checks and indexes definitions; throws ThemeDefinitionError listing every problem. */
export function compileThemes(definitions: readonly ThemeDefinition[]): CompiledThemes {
  const problems = themeSetProblems(definitions);
  if (problems.length > 0) throw new ThemeDefinitionError(problems);
  return new CompiledThemes([...definitions]);
}

const compiledCache = new WeakMap<readonly ThemeDefinition[], CompiledThemes>();

function compiled(themes: CompiledThemes | readonly ThemeDefinition[]): CompiledThemes {
  if (themes instanceof CompiledThemes) return themes;
  let found = compiledCache.get(themes);
  if (!found) {
    found = compileThemes(themes);
    compiledCache.set(themes, found);
  }
  return found;
}

/**
 * The codes of the themes a text mentions, in definition order; [] for none. Given definitions
 * rather than compileThemes' result, they are compiled once per array (keep the array unchanged).
 */
export function tagText(text: string, themes: CompiledThemes | readonly ThemeDefinition[]): string[] {
  const c = compiled(themes);
  const found = new Set(findThemeMentions(text, c).map((m) => m.code));
  return c.definitions.map((d) => d.code).filter((code) => found.has(code));
}

/** Every mention of every theme in a text (its first MAX_EXAMINED_TEXT_LENGTH characters), in text order per kind. */
export function findThemeMentions(text: string, themes: CompiledThemes | readonly ThemeDefinition[]): ThemeMention[] {
  const c = compiled(themes);
  const tokens = tokenize(normalizeText(text));
  if (tokens.length === 0) return [];
  const stemsAt = tokens.map((t) => wordStems(c, t.word));
  const blocked = blockedPositions(c, tokens, stemsAt);
  const mentions: ThemeMention[] = [];
  const add = (theme: number, term: string, kind: ThemeMention['kind'], start: number, end: number, typo: boolean) => {
    const themeBlocked = blocked.get(theme);
    if (themeBlocked) for (let p = start; p <= end; p++) if (themeBlocked.has(p)) return;
    const matched = tokens.slice(start, end + 1).map((t) => t.word).join(' ');
    mentions.push({ code: c.definitions[theme].code, term, kind, matched, typo, negated: negatedAt(tokens, start) });
  };

  for (let i = 0; i < tokens.length; i++) {
    for (const [first, firstTypo] of stemsAt[i]) {
      for (const term of c.termsByFirstStem.get(first) ?? []) {
        const end = phraseEnd(tokens, stemsAt, i, term.stems);
        if (end.at >= 0) add(term.theme, term.text, term.kind, i, end.at, firstTypo || end.typo);
      }
    }
    // Words joined by a hyphen also count as one word: log-in, set-up, over-priced.
    if (tokens[i].hyphenNext && i + 1 < tokens.length) {
      for (const [joined, typo] of wordStems(c, tokens[i].word + tokens[i + 1].word)) {
        for (const term of c.termsByFirstStem.get(joined) ?? []) {
          if (term.stems.length === 1) add(term.theme, term.text, term.kind, i, i + 1, typo);
        }
      }
    }
  }

  const pieces = c.patterns.some((p) => p !== null) ? [...patternPieces(tokens)] : [];
  c.patterns.forEach((pattern, theme) => {
    if (!pattern) return;
    for (const piece of pieces) {
      const m = pattern.exec(piece.text);
      if (!m) continue;
      const start = piece.first + countSpaces(piece.text, m.index);
      mentions.push({
        code: c.definitions[theme].code,
        term: m[0],
        kind: 'pattern',
        matched: m[0],
        typo: false,
        negated: negatedAt(tokens, start),
      });
    }
  });
  return mentions;
}

/** Words remembered per compiled theme set before the memory is cleared. */
const WORD_CACHE_SIZE = 50_000;

/** tokenStems, remembered: the words of verbatims repeat a lot. */
function wordStems(c: CompiledThemes, word: string): Map<string, boolean> {
  let stems = c.wordStems.get(word);
  if (!stems) {
    if (c.wordStems.size >= WORD_CACHE_SIZE) c.wordStems.clear();
    stems = tokenStems(c, word);
    if (word.length <= 40) c.wordStems.set(word, stems);
  }
  return stems;
}

/** The stems a word stands for: its own (false), and those of vocabulary words one typo away (true). */
function tokenStems(c: CompiledThemes, word: string): Map<string, boolean> {
  const own = stem(word);
  const stems = new Map<string, boolean>([[own, false]]);
  // A word of the themes' own vocabulary is spelt right: "broken" is not a typo for "broke". A word
  // longer than every vocabulary word by two letters or more cannot be one edit from any (and a
  // 10,000-letter "word" must not cost 10,000 deletion neighbours).
  if (word.length < MIN_TYPO_LENGTH || word.length > c.longestTypoTarget + 1 || c.vocabularyStems.has(own) || /^\d+$/.test(word)) {
    return stems;
  }
  for (const form of own === word ? [word] : [word, own]) {
    for (const n of deletionNeighbours(form)) {
      for (const target of c.typoIndex.get(n) ?? []) {
        const targetStem = c.typoTargets.get(target)!;
        if (!stems.has(targetStem) && isLikelyTypo(form, target)) stems.set(targetStem, true);
      }
    }
  }
  return stems;
}

/**
 * Where a keyword or phrase that starts at i ends (-1 if it does not match there), and whether a
 * later word needed a typo; `typos` false matches words by their own stem only.
 */
function phraseEnd(tokens: Token[], stemsAt: Map<string, boolean>[], i: number, stems: string[], typos = true): { at: number; typo: boolean } {
  let at = i;
  let typo = false;
  for (let k = 1; k < stems.length; k++) {
    let next = -1;
    for (let j = at + 1; j <= at + 1 + MAX_PHRASE_GAP && j < tokens.length && tokens[j].segment === tokens[i].segment; j++) {
      const viaTypo = stemsAt[j].get(stems[k]);
      if (viaTypo !== undefined && (typos || !viaTypo)) {
        next = j;
        typo ||= viaTypo;
        break;
      }
    }
    if (next < 0) return { at: -1, typo: false };
    at = next;
  }
  return { at, typo };
}

/** Per theme, the token positions covered by one of its exclusions (spelt exactly, inflections allowed). */
function blockedPositions(c: CompiledThemes, tokens: Token[], stemsAt: Map<string, boolean>[]): Map<number, Set<number>> {
  const blocked = new Map<number, Set<number>>();
  if (c.exclusionsByFirstStem.size === 0) return blocked;
  for (let i = 0; i < tokens.length; i++) {
    for (const [own, typo] of stemsAt[i]) {
      if (typo) continue;
      for (const { theme, stems } of c.exclusionsByFirstStem.get(own) ?? []) {
        const end = phraseEnd(tokens, stemsAt, i, stems, false);
        if (end.at < 0) continue;
        let set = blocked.get(theme);
        if (!set) blocked.set(theme, (set = new Set()));
        for (let p = i; p <= end.at; p++) set.add(p);
      }
    }
  }
  return blocked;
}

function negatedAt(tokens: Token[], start: number): boolean {
  for (let p = start - 1; p >= 0 && p >= start - NEGATION_WINDOW; p--) {
    if (tokens[p].clause !== tokens[start].clause) return false;
    if (NEGATIONS.has(tokens[p].word)) return true;
  }
  return false;
}

/** Each sentence as its words joined by single spaces, cut into pieces of at most PATTERN_SEGMENT_LENGTH characters. */
function* patternPieces(tokens: Token[]): Generator<{ text: string; first: number }> {
  let first = 0;
  let text = '';
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i].word.slice(0, PATTERN_SEGMENT_LENGTH);
    const newSentence = i > first && tokens[i].sentence !== tokens[i - 1].sentence;
    if (newSentence || (text.length > 0 && text.length + 1 + word.length > PATTERN_SEGMENT_LENGTH)) {
      yield { text, first };
      first = i;
      text = '';
    }
    text = text.length === 0 ? word : `${text} ${word}`;
  }
  if (text.length > 0) yield { text, first };
}

function countSpaces(text: string, upTo: number): number {
  let n = 0;
  for (let i = 0; i < upTo && i < text.length; i++) if (text.charCodeAt(i) === 32) n++;
  return n;
}
