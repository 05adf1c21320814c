export type OneEdit = 'substitution' | 'insertion' | 'deletion' | 'transposition';

/**
 * The single edit that turns a into b (a letter replaced, inserted or deleted, or two neighbouring
 * letters swapped), or null when they are equal or further apart.
 */
export function oneEdit(a: string, b: string): OneEdit | null {
  if (a === b || !withinOneEdit(a, b)) return null;
  if (a.length < b.length) return 'insertion';
  if (a.length > b.length) return 'deletion';
  let i = 0;
  while (a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) ? 'substitution' : 'transposition';
}

/**
 * True when a and b are equal or one edit apart: one letter inserted, deleted or replaced, or two
 * neighbouring letters swapped (optimal string alignment distance ≤ 1). Linear in the length.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // Replace at i, or swap i and i+1.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  // Insert or delete at i.
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * The strings one deletion away from a word, with the word itself: two words are within one edit
 * only if their sets share a member, so an index of these finds typo candidates without comparing
 * every word (symmetric deletion). Candidates still need withinOneEdit: sharing a deletion also
 * admits some pairs two edits apart.
 */
export function deletionNeighbours(word: string): string[] {
  const out = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}
