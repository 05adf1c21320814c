/**
 * Reserved theme ids in response_themes and the per-theme rollup: not themes, but two counts every
 * drivers question needs beside the themes, counted by the same rollup. Never ids of a theme row
 * (gen_random_uuid() makes version-4 ids; these are not).
 *
 * - HAS_VERBATIM: the response has a comment or a follow-up answer that is not blank;
 * - HAS_THEME: it mentions at least one (active) theme.
 *
 * Responses with a verbatim but no theme ("untagged") are HAS_VERBATIM minus HAS_THEME.
 */
export const HAS_VERBATIM = '00000000-0000-0000-0000-000000000001';
export const HAS_THEME = '00000000-0000-0000-0000-000000000002';

export const MARKERS: readonly string[] = [HAS_VERBATIM, HAS_THEME];
