// Named things without a model: capitalized word sequences (people, organizations, places), numbers,
// money, percentages and short quoted names. Two reports of the same event name the same people and
// figures even when their wording differs; two look-alike events (two celebrities entering rehab) differ
// exactly there. Output strings are normalized and prefixed by kind: `name:`, `num:`, `money:`, `pct:`,
// `quote:`.
import { STOPWORDS } from './text.ts';

const CONNECTORS = new Set(['of', 'de', 'del', 'della', 'da', 'di', 'van', 'von', 'der', 'den', 'la', 'le', 'du', 'al', 'bin', '&']);

/** Capitalized words that start sentences or head lines without naming anything. */
const NOT_NAMES = new Set([
  ...STOPWORDS,
  ...'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
  ...'breaking update exclusive watch video photos live analysis opinion editorial advertisement related share'.split(' '),
  ...'here there meanwhile earlier later instead despite although after before while during now then today former'.split(' '),
]);

const SCALE: Record<string, string> = {
  thousand: 'k', k: 'k', million: 'm', mn: 'm', m: 'm', billion: 'b', bn: 'b', b: 'b', trillion: 't', tn: 't',
};

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'gen', 'gov', 'sen', 'rep', 'inc', 'corp', 'co', 'ltd', 'jr', 'sr', 'vs', 'no']);

interface Token {
  text: string;
  start: number;
  sentenceStart: boolean;
}

function tokensWithSentences(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /[\p{L}\p{N}][\p{L}\p{N}'’.\-]*[\p{L}\p{N}]|[\p{L}\p{N}]|&|[.!?;:]+|["“”`']+|\n/gu;
  let atStart = true;
  for (const m of text.matchAll(re)) {
    const t = m[0];
    if (/^[.!?;:\n]+$/.test(t) || t === '\n') {
      // "U.S. Department", "Dr. Smith": a period after an initialism or title does not end a sentence.
      const previous = tokens[tokens.length - 1]?.text ?? '';
      if (t === '.' && !atStart && (/^(?:\p{Lu}\.)*\p{Lu}$/u.test(previous) || ABBREVIATIONS.has(previous.toLowerCase()))) continue;
      atStart = true;
      continue;
    }
    if (/^["“”`']+$/.test(t)) {
      // A quotation opens a new sentence-like span: its first word may be capitalized for grammar alone.
      atStart = true;
      continue;
    }
    // Abbreviations like "U.S." end with a period that the token keeps; "Dr." splits off above.
    tokens.push({ text: t.replace(/['’]s$/, ''), start: m.index ?? 0, sentenceStart: atStart });
    atStart = false;
  }
  return tokens;
}

function isCapitalized(word: string): boolean {
  return /^\p{Lu}/u.test(word) && /\p{L}/u.test(word);
}

function normalizeName(words: string[]): string {
  return words
    .join(' ')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’]/g, "'")
    .replace(/\.(?=\s|$)/g, '')
    .replace(/\./g, '');
}

/** True when (nearly) every longer word of a line is capitalized: headline style, where capitals mean nothing. */
export function isTitleCase(line: string): boolean {
  const words = line.split(/\s+/).filter((w) => /^\p{L}{4,}/u.test(w));
  if (words.length < 3) return false;
  const lowercase = words.filter((w) => !isCapitalized(w)).length;
  return lowercase / words.length < 0.2;
}

/**
 * Capitalized multi-word sequences and capitalized words not at a sentence start. A sentence-initial
 * word counts only when it is not a common word and the document never uses it lower-cased.
 */
export function extractNames(text: string, lowercaseWords?: ReadonlySet<string>): string[] {
  const tokens = tokensWithSentences(text);
  const lowered = lowercaseWords ?? new Set(tokens.filter((t) => /^\p{Ll}/u.test(t.text)).map((t) => t.text));
  // Words seen capitalized inside a sentence: only they may stand alone as a name at a sentence start.
  const capitalizedInside = new Set(tokens.filter((t) => !t.sentenceStart && isCapitalized(t.text)).map((t) => t.text));
  const names: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!isCapitalized(tokens[i]!.text)) {
      i++;
      continue;
    }
    const run: Token[] = [tokens[i]!];
    let j = i + 1;
    while (j < tokens.length) {
      const t = tokens[j]!;
      if (t.sentenceStart) break;
      if (isCapitalized(t.text)) {
        run.push(t);
        j++;
      } else if (CONNECTORS.has(t.text) && j + 1 < tokens.length && isCapitalized(tokens[j + 1]!.text) && !tokens[j + 1]!.sentenceStart) {
        run.push(t, tokens[j + 1]!);
        j += 2;
      } else break;
    }
    i = j;
    // Drop leading words that are capitalized only by position or are function words ("The", "In").
    while (run.length > 0) {
      const first = run[0]!;
      const lower = first.text.toLowerCase();
      const positional = first.sentenceStart && (NOT_NAMES.has(lower) || lowered.has(lower));
      if (positional || NOT_NAMES.has(lower) || CONNECTORS.has(lower)) run.shift();
      else break;
    }
    while (run.length > 0 && (CONNECTORS.has(run[run.length - 1]!.text.toLowerCase()) || NOT_NAMES.has(run[run.length - 1]!.text.toLowerCase()))) run.pop();
    if (run.length === 0) continue;
    const words = run.map((t) => t.text);
    if (words.length === 1 && words[0]!.length < 2) continue;
    if (words.length === 1 && run[0]!.sentenceStart && !capitalizedInside.has(words[0]!)) continue;
    if (/^\p{N}/u.test(words[0]!)) continue;
    names.push('name:' + normalizeName(words));
    // "Superior Court Judge James Bodiford", "Fulton County District Attorney Paul Howard": long runs
    // fuse a role or place with a name, so their two-word ends are named things of their own.
    if (words.length >= 3) {
      const head = words.slice(0, 2);
      const tail = words.slice(-2);
      if (!CONNECTORS.has(head[1]!.toLowerCase())) names.push('name:' + normalizeName(head));
      if (!CONNECTORS.has(tail[0]!.toLowerCase())) names.push('name:' + normalizeName(tail));
    }
  }
  return names;
}

function normalizeNumber(raw: string): string {
  const cleaned = raw.replace(/,(?=\d{3}\b)/g, '').replace(/\s+/g, '');
  const value = Number(cleaned);
  return Number.isFinite(value) ? String(value) : cleaned;
}

/** Money amounts, percentages and other numbers (two digits or more, or with decimals). */
export function extractFigures(text: string): string[] {
  const out: string[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  const money = /(?:US\s?\$|[$€£¥])\s?(\d[\d,]*(?:\s?\.\s?\d+)?)(?:\s?(thousand|million|billion|trillion|mn|bn|tn|[mbk])\b)?/giu;
  for (const m of text.matchAll(money)) {
    const currency = /€/.test(m[0]) ? '€' : /£/.test(m[0]) ? '£' : /¥/.test(m[0]) ? '¥' : '$';
    const scale = m[2] ? SCALE[m[2].toLowerCase()] ?? '' : '';
    out.push(`money:${currency}${normalizeNumber(m[1]!.replace(/\s/g, ''))}${scale}`);
    taken.push([m.index!, m.index! + m[0].length]);
  }
  const percent = /(\d+(?:\s?\.\s?\d+)?)\s?(?:%|percent\b|per cent\b)/giu;
  for (const m of text.matchAll(percent)) {
    if (overlaps(m.index!, m.index! + m[0].length)) continue;
    out.push(`pct:${normalizeNumber(m[1]!.replace(/\s/g, ''))}`);
    taken.push([m.index!, m.index! + m[0].length]);
  }
  const number = /(?<![\p{L}\p{N}.,])(\d[\d,]*(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|bn|mn)\b)?(?![\p{N}])/giu;
  for (const m of text.matchAll(number)) {
    if (overlaps(m.index!, m.index! + m[0].length)) continue;
    const digits = m[1]!.replace(/[,.]$/, '');
    if (digits.replace(/\D/g, '').length < 2 && !/\./.test(digits) && !m[2]) continue;
    const scale = m[2] ? SCALE[m[2].toLowerCase()] ?? '' : '';
    out.push(`num:${normalizeNumber(digits)}${scale}`);
  }
  return out;
}

/** Short quoted names ("American Pie", “Project Maven”): one to five words, the first capitalized. */
export function extractQuotedNames(text: string): string[] {
  const out: string[] = [];
  const quoted = /(?:``|"|“|‘)\s?([^"“”‘’`]{2,60}?)\s?(?:''|"|”|’)/gu;
  for (const m of text.matchAll(quoted)) {
    const inner = m[1]!.trim().replace(/[.,!?]+$/, '');
    const words = inner.split(/\s+/);
    if (words.length === 0 || words.length > 5 || !isCapitalized(words[0]!)) continue;
    out.push('quote:' + normalizeName(words));
  }
  return out;
}

/** Every named thing of an article, each once, in order of first appearance (title first). */
export function extractEntities(title: string, text: string): string[] {
  const body = text;
  const lowercaseWords = new Set<string>();
  for (const m of `${title}\n${body}`.matchAll(/(?<![\p{L}])\p{Ll}[\p{L}'’-]*/gu)) lowercaseWords.add(m[0]);
  const titleNames = isTitleCase(title) ? [] : extractNames(title, lowercaseWords);
  const all = [
    ...titleNames,
    ...extractNames(body, lowercaseWords),
    ...extractFigures(`${title}\n${body}`),
    ...extractQuotedNames(`${title}\n${body}`),
  ];
  return [...new Set(all)];
}
