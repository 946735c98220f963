// Plain-text helpers shared by normalize and publish: HTML to text, word-boundary truncation.

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', copy: '©', reg: '®', trade: '™', laquo: '«', raquo: '»',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? match;
  });
}

/** Strips tags (dropping script/style content), decodes entities and collapses whitespace. */
export function htmlToText(html: string): string {
  const withoutCode = html.replace(/<(script|style|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
  const withBreaks = withoutCode.replace(/<\/(p|div|li|h[1-6]|blockquote|tr)\s*>|<br\s*\/?>/gi, ' ');
  return decodeEntities(withBreaks.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/**
 * Cuts `text` to at most `max` characters at a word boundary. When it has to cut, it cuts before
 * the last partial word; by default it adds no ellipsis, so the result is a prefix of the words of
 * the text. With `ellipsis` (the extractor's excerpts use "...") the mark is appended after the
 * trailing punctuation is dropped, and the whole still fits in `max`.
 */
export function truncateAtWord(text: string, max = 250, opts: { ellipsis?: string } = {}): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const ellipsis = opts.ellipsis ?? '';
  const budget = max - ellipsis.length;
  const cut = clean.slice(0, budget + 1);
  const lastSpace = cut.lastIndexOf(' ');
  const head = lastSpace > budget * 0.5 ? cut.slice(0, lastSpace) : clean.slice(0, budget);
  return ellipsis ? `${head.replace(/[\s,;:.!?–—-]+$/u, '')}${ellipsis}` : head.replace(/[\s,;:–—-]+$/, '');
}

// A sentence ends with . ! ? or … and any closing quotes or brackets after it.
const SENTENCE_END = /[.!?…]["'”’»)\]]*$/u;
const SENTENCE_ENDS = /[.!?…]["'”’»)\]]*(?= )/gu;
/** Shorter than this, text that ends without a full stop is a phrase (a headline, a tagline), not a cut. */
const PHRASE_MAX = 60;
export const EXCERPT_ELLIPSIS = '…';

/**
 * The one rule for excerpts, wherever one is made (feed entries, extracted pages, summaries on
 * pages): plain text of at most `max` characters that ends where a sentence or a word ends. Text
 * that is too long, or that its source already cut mid-word ("These planned upda": text that
 * stops without ending a sentence), is cut back to the last sentence end when that keeps at least
 * half of it, else to the last whole word, and the cut is marked with an ellipsis.
 */
export function excerptOf(text: string, max = 250, ellipsis = EXCERPT_ELLIPSIS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const complete = SENTENCE_END.test(clean);
  if (clean.length <= max && (complete || clean.length < PHRASE_MAX)) return clean;
  // Cut by us: the words within the budget, and whether the cut falls between two of them.
  // Cut by the source: its last word may be a fragment, so it goes.
  const budget = max - ellipsis.length - 1;
  const window = clean.length <= max ? clean : clean.slice(0, budget + 1);
  const endsOnWord = clean.length > max && clean[budget + 1] === ' ';
  let sentenceEnd = -1;
  for (const m of `${window} `.matchAll(SENTENCE_ENDS)) if (m.index + m[0].length <= budget) sentenceEnd = m.index + m[0].length;
  if (sentenceEnd >= window.length * 0.5) return `${window.slice(0, sentenceEnd)} ${ellipsis}`;
  const lastSpace = window.lastIndexOf(' ');
  const words = endsOnWord ? window.slice(0, budget + 1) : lastSpace > 0 ? window.slice(0, lastSpace) : window.slice(0, budget);
  const head = words.slice(0, budget + 1);
  return SENTENCE_END.test(head) && head.length <= budget ? `${head} ${ellipsis}` : `${head.replace(/[\s,;:.!?–—-]+$/u, '')}${ellipsis}`;
}

/** The excerpt of the record: plain text from HTML or text, by the one excerpt rule (excerptOf). */
export function makeExcerpt(htmlOrText: string | null | undefined, max = 250): string {
  if (!htmlOrText) return '';
  return excerptOf(/<[a-z!\/][^>]*>/i.test(htmlOrText) ? htmlToText(htmlOrText) : decodeEntities(htmlOrText), max);
}
