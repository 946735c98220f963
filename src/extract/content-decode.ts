// Turning the raw bytes of an HTML page into a string: the shared charset sniffing of
// src/feeds/charset.ts (byte-order mark, Content-Type, <meta> charset, UTF-8 validity, a declared
// Latin-1 that is really UTF-8), read as HTML.
import { decodeText, charsetFromContentType as contentTypeCharset, normalizeCharsetLabel } from '../feeds/charset.ts';

/** Multi-byte charsets whose byte sequences validate; a guess of one of them is structural, not statistical. */
const MULTI_BYTE = new Set(['shift_jis', 'euc-jp', 'iso-2022-jp', 'gbk', 'gb18030', 'big5', 'euc-kr']);

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  return normalizeCharsetLabel(contentTypeCharset(contentType));
}

/** Decodes an HTML page's bytes with the charset the evidence points to. */
export function decodeHtmlBytes(bytes: Uint8Array, contentType?: string | null): string {
  const decoded = decodeText(bytes, { contentType, kind: 'html' });
  // Undeclared, non-UTF-8 bytes: a single-byte guess from letter statistics misreads Western pages
  // (the one such page among the extraction benchmarks, a German one, was guessed windows-1251),
  // so the browsers' default for legacy pages, windows-1252, is kept unless the guess is multi-byte.
  if (decoded.source === 'sniffed' && !MULTI_BYTE.has(decoded.charset)) return decodeText(bytes, { contentType: 'text/html; charset=windows-1252', kind: 'html' }).text;
  return decoded.text;
}
