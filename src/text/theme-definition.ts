import { normalizeText, tokenize } from './normalize';
import { patternProblem } from './safe-pattern';

/**
 * A theme: a topic customers talk about in verbatims (price, delivery, ...). A text mentions it when
 * it contains one of its keywords (single words, matched with inflections and one-letter typos),
 * one of its phrases (words in order, one extra word allowed between them), or a match of its
 * pattern; words inside one of its exclusions do not count ("can't wait" is not about waiting).
 */
export interface ThemeDefinition {
  /** Stable identifier: lower case letters, digits and underscores, starting with a letter. */
  code: string;
  name: string;
  keywords: readonly string[];
  phrases: readonly string[];
  /** A regular expression over one sentence in normal form (see normalize.ts), guarded by safe-pattern.ts. */
  pattern?: string;
  /** Phrases in which the theme's words mean something else; their words are not mentions of this theme. */
  exclusions?: readonly string[];
}

export const THEME_LIMITS = {
  codeLength: 40,
  nameLength: 80,
  /** keywords, phrases and exclusions each */
  terms: 300,
  termLength: 80,
  phraseWords: 6,
  themes: 100,
} as const;

const CODE = /^[a-z][a-z0-9_]*$/;

export interface ThemeProblem {
  /** The field at fault: "code", "keywords.3", "pattern"; prefixed with the theme's index in a set ("2.phrases.0"). */
  field: string;
  message: string;
}

/** Everything wrong with one definition; empty when it can be used. */
export function themeDefinitionProblems(definition: ThemeDefinition): ThemeProblem[] {
  const problems: ThemeProblem[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  const { code, name, keywords, phrases, pattern, exclusions } = definition;

  if (typeof code !== 'string' || !CODE.test(code) || code.length > THEME_LIMITS.codeLength) {
    add('code', `code must be lower case letters, digits and underscores, starting with a letter, at most ${THEME_LIMITS.codeLength} characters`);
  }
  if (typeof name !== 'string' || name.trim() === '' || name.length > THEME_LIMITS.nameLength) {
    add('name', `name must be non-blank, at most ${THEME_LIMITS.nameLength} characters`);
  }
  checkTerms('keywords', keywords, 1, 1, 'a keyword is one word; put several words in phrases');
  checkTerms('phrases', phrases, 2, THEME_LIMITS.phraseWords, 'a phrase has two words or more; put single words in keywords');
  checkTerms('exclusions', exclusions ?? [], 1, THEME_LIMITS.phraseWords, '');
  if (pattern !== undefined) {
    const problem = typeof pattern === 'string' ? patternProblem(pattern) : 'pattern must be text';
    if (problem) add('pattern', problem);
  }
  if (problems.length === 0 && keywords.length === 0 && phrases.length === 0 && pattern === undefined) {
    add('keywords', 'a theme needs at least one keyword, phrase or pattern');
  }
  return problems;

  function checkTerms(field: string, terms: readonly string[], minWords: number, maxWords: number, hint: string): void {
    if (!Array.isArray(terms)) {
      add(field, `${field} must be a list of text`);
      return;
    }
    if (terms.length > THEME_LIMITS.terms) {
      add(field, `at most ${THEME_LIMITS.terms} ${field}`);
      return;
    }
    terms.forEach((term, i) => {
      if (typeof term !== 'string' || term.length > THEME_LIMITS.termLength) {
        return add(`${field}.${i}`, `must be text of at most ${THEME_LIMITS.termLength} characters`);
      }
      const words = termWords(term);
      if (words.length === 0) return add(`${field}.${i}`, 'has no letters or digits');
      if (words.length < minWords || words.length > maxWords) {
        add(`${field}.${i}`, `"${term}" has ${words.length} words, ${minWords === maxWords ? `expected ${minWords}` : `expected ${minWords} to ${maxWords}`}${hint ? ` (${hint})` : ''}`);
      }
    });
  }
}

/** Problems of a whole set: each definition's (fields prefixed with its index) and repeated codes. */
export function themeSetProblems(definitions: readonly ThemeDefinition[]): ThemeProblem[] {
  if (definitions.length > THEME_LIMITS.themes) return [{ field: '', message: `at most ${THEME_LIMITS.themes} themes` }];
  const problems: ThemeProblem[] = [];
  const seen = new Map<string, number>();
  definitions.forEach((definition, i) => {
    for (const p of themeDefinitionProblems(definition)) problems.push({ field: `${i}.${p.field}`, message: p.message });
    const first = seen.get(definition.code);
    if (first !== undefined) problems.push({ field: `${i}.code`, message: `code "${definition.code}" is already used by theme ${first}` });
    else seen.set(definition.code, i);
  });
  return problems;
}

/** The words of a keyword, phrase or exclusion in normal form ("Log-in" → ["log", "in"]). */
export function termWords(term: string): string[] {
  return tokenize(normalizeText(term)).map((t) => t.word);
}
