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
 * the last partial word and adds no ellipsis, so the result is a prefix of the words of the text.
 */
export function truncateAtWord(text: string, max = 250): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const lastSpace = cut.lastIndexOf(' ');
  const head = lastSpace > max * 0.5 ? cut.slice(0, lastSpace) : clean.slice(0, max);
  return head.replace(/[\s,;:–—-]+$/, '');
}

/** The excerpt rule of the record: plain text, at most 250 characters, cut at a word boundary. */
export function makeExcerpt(htmlOrText: string | null | undefined, max = 250): string {
  if (!htmlOrText) return '';
  return truncateAtWord(/<[a-z!\/][^>]*>/i.test(htmlOrText) ? htmlToText(htmlOrText) : decodeEntities(htmlOrText), max);
}
