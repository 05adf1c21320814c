import { oneEdit } from './edit-distance';
import { stem } from './stem';

/** Words this long or longer may match a theme word one typo away; shorter ones must be spelt right. */
export const MIN_TYPO_LENGTH = 5;
/** A replaced letter is only read as a typo in words this long: in shorter ones it mostly makes another word (price/pride). */
export const MIN_SUBSTITUTION_LENGTH = 7;

/**
 * Ordinary words one edit away from a default theme word, which customers write meaning themselves:
 * "shopping" is not a typo for shipping, nor "changed" for charged. Found by comparing the default
 * vocabulary with an English word list and keeping the words likely in feedback. Compared by stem,
 * so "studies"/"studied" are covered by "study".
 */
const ORDINARY_WORDS = [
  'altitude', 'aptitude', 'batter', 'bounded', 'broker', 'budge', 'changed', 'charger', 'charmed', 'charted', 'cheater',
  'clause', 'contract', 'cracker', 'detective', 'drive', 'expansive', 'extensive', 'factory', 'fault', 'kindle', 'leading',
  'leaning', 'lodging', 'longing', 'melting', 'messing', 'noting', 'paced', 'patent', 'portable', 'prince', 'produce',
  'qualify', 'renewable', 'replay', 'revolution', 'revolve', 'seating', 'settling', 'shopped', 'shopping', 'singing',
  'sitting', 'skipping', 'slipping', 'stable', 'staple', 'stated', 'stomped', 'study', 'thorough', 'though', 'tracing',
  'trail', 'trailing', 'transmit', 'trucking', 'vouched', 'waiving', 'wanting', 'warrant', 'wording', 'worthy',
  'wrapper', 'writing',
];
const ORDINARY_STEMS = new Set(ORDINARY_WORDS.map(stem));

/**
 * Whether `written` (a word or stem from a text) should be read as a misspelling of `target` (a
 * theme word or its stem): one edit apart, same first letter (typos rarely hit it), a replaced
 * letter only in long words, and not an ordinary word of its own.
 */
export function isLikelyTypo(written: string, target: string): boolean {
  if (written.length < MIN_TYPO_LENGTH || target.length < MIN_TYPO_LENGTH || written[0] !== target[0]) return false;
  const edit = oneEdit(written, target);
  if (edit === null) return false;
  if (edit === 'substitution' && target.length < MIN_SUBSTITUTION_LENGTH) return false;
  return !ORDINARY_STEMS.has(stem(written));
}
