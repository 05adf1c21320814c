/**
 * Pure analysis of verbatims: theme definitions and their checks, the default themes, the tagger
 * and how to measure it against hand labels. Imports nothing from GraphQL, TypeORM or I/O.
 */
export type { ThemeDefinition, ThemeProblem } from './theme-definition';
export { THEME_LIMITS, themeDefinitionProblems, themeSetProblems } from './theme-definition';
export { MAX_PATTERN_LENGTH, patternProblem } from './safe-pattern';
export { MAX_EXAMINED_TEXT_LENGTH } from './normalize';
export { DEFAULT_THEMES } from './default-themes';
export type { ThemeMention } from './tagger';
export { CompiledThemes, ThemeDefinitionError, compileThemes, findThemeMentions, tagText } from './tagger';
export type { LabelledText, TaggingEvaluation, ThemeScore } from './evaluation';
export { evaluateTagging, formatEvaluation } from './evaluation';
