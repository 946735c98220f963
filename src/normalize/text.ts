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

/** The excerpt rule of the record: plain text, at most 250 characters, cut at a word boundary. */
export function makeExcerpt(htmlOrText: string | null | undefined, max = 250): string {
  if (!htmlOrText) return '';
  return truncateAtWord(/<[a-z!\/][^>]*>/i.test(htmlOrText) ? htmlToText(htmlOrText) : decodeEntities(htmlOrText), max);
}
