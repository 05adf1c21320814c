/**
 * A light English stemmer: folds plurals, -ed and -ing and a final e, so that "prices", "priced",
 * "pricing" and "price" share one stem ("pric"), as do "shipped"/"shipping"/"ships" ("ship") and
 * "deliveries"/"delivery". Stems are only compared with each other, never shown, so they need not be
 * words. It does not touch -ly, -ness, -ful or -er: "friendly" and "friendliness" are two keywords.
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let w = word;

  // Plurals and third person: deliveries → delivery, boxes → box, prices → price; not address, status, analysis.
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:ches|shes|xes|zzes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

  // Past tense and participles: replied → reply, waited → wait, shipping → ship, billed → bill.
  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ed') && !w.endsWith('eed')) w = undouble(w, w.slice(0, -2));
  else if (w.endsWith('ing')) w = undouble(w, w.slice(0, -3));

  // A final e: price/priced/pricing all become "pric", charge/charged/charging "charg".
  if (w.length > 4 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

const VOWEL = /[aeiouy]/;
const CVC = /^[^aeiou][aeiou][^aeiouwxy]$/;

/** The stripped form when what is left is a plausible stem (3+ letters with a vowel), else the word. */
function undouble(word: string, rest: string): string {
  if (rest.length < 3 || !VOWEL.test(rest)) return word;
  const last = rest[rest.length - 1];
  // shipp → ship, stopp → stop; but bill, call, miss, buzz keep their double letter.
  if (last === rest[rest.length - 2] && !'lsz'.includes(last) && !VOWEL.test(last)) return rest.slice(0, -1);
  // A short consonant-vowel-consonant stem lost an e: caring → care (not car), rated → rate.
  if (rest.length === 3 && CVC.test(rest)) return `${rest}e`;
  return rest;
}
