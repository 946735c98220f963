// Text normalization for same-story clustering: word tokens, a light English stemmer and shingles.
// Deliberately simple and deterministic: two outlets' wordings of one event should meet on the same
// stems ("checks", "checked", "checking" -> "check"), and nothing here depends on the order in which
// articles arrive.

/** Function words that say nothing about which event an article reports. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below ' +
    'between both but by can cannot could couldn did didn do does doesn doing don down during each either else ' +
    'ever every few for from further had hadn has hasn have haven having he her here hers herself him himself his ' +
    'how however i if in into is isn it its itself just let like ll made make many may me might more most much ' +
    'must my myself neither no nor not now of off on once one only or other others our ours ourselves out over ' +
    'own per put re said same say says she should shouldn since so some still such than that the their theirs ' +
    'them themselves then there these they this those though through to too under until up upon us ve very was ' +
    'wasn we were weren what when where whether which while who whom whose why will with within without won ' +
    'would wouldn yet you your yours yourself yourselves s t d m told tell according new news year years time ' +
    'week day days today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday mr mrs ms ' +
    'last first two three get got go going went come came take took back well way even use used including ' +
    'report reported reports reuters ap afp bbc cnn via image photo copyright rights reserved read click'
  ).split(' '),
);

/**
 * Lower-cased letter/digit runs; apostrophe suffixes ("Reid's") are dropped, hyphens split words. A
 * name glued to its number ("GauGAN2", "COVID19") also gives its letters alone, so that it meets the
 * same name written apart ("GauGAN 2", "COVID-19").
 */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  const re = /[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu;
  const lowered = text.normalize('NFKC').toLowerCase().replace(/['’]s\b/g, '');
  for (const m of lowered.matchAll(re)) {
    out.push(m[0]);
    const letters = /^(\p{L}{3,})\p{N}+$/u.exec(m[0]);
    if (letters) out.push(letters[1]!);
  }
  return out;
}

/**
 * British spellings folded to American ones before stemming ("leukaemia"/"leukemia",
 * "programme"/"program", "organisation"/"organization", "colour"/"color", "centre"/"center"), so
 * that outlets on either side of the Atlantic meet on the same stems. Applied to every text alike, a
 * fold that hits a word with no other spelling changes nothing.
 */
export function americanSpelling(word: string): string {
  if (word.length < 5) return word;
  let w = word;
  if (/[^aeiou]ae[^aeiou]/.test(w)) w = w.replace(/([^aeiou])ae(?=[^aeiou])/g, '$1e');
  if (w.endsWith('mme')) w = w.slice(0, -2);
  else if (w.endsWith('tre')) w = `${w.slice(0, -2)}er`;
  else if (/[^aeiou]our$/.test(w)) w = `${w.slice(0, -2)}r`;
  w = w.replace(/isation$/, 'ization').replace(/(?<=[a-z]{3})is(e|ed|es|ing)$/, 'iz$1').replace(/yse$/, 'yze');
  return w;
}

/**
 * A small suffix-stripping stemmer (not Porter's; enough to fold plurals and the common verb forms).
 * Words shorter than four letters and numbers are left alone.
 */
export function stem(word: string): string {
  if (word.length < 4 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is|ys)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) w = undouble(w.slice(0, -2));
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  // "stopped" -> "stopp" -> "stop"; keeps "ll"/"ss" words ("called" -> "call")
  return /([^aeiouls])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Content terms: tokens without stopwords or one-character tokens, stemmed. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of wordTokens(text)) {
    if (token.length < 2 || STOPWORDS.has(token)) continue;
    out.push(stem(americanSpelling(token)));
  }
  return out;
}

/** Word k-shingles over content terms, for near-duplicate detection (MinHash). */
export function shingles(terms: readonly string[], size = 3): string[] {
  if (terms.length === 0) return [];
  if (terms.length < size) return [terms.join(' ')];
  const out = new Set<string>();
  for (let i = 0; i + size <= terms.length; i++) out.add(terms.slice(i, i + size).join(' '));
  return [...out];
}

/** Term counts of a term list. */
export function termCounts(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
