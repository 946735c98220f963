// Turns fetched bytes into text. The order follows what readers that get encodings right do:
// a byte-order mark wins, then the HTTP charset, then the document's own declaration (XML
// declaration or HTML meta), then UTF-8 if the bytes are valid UTF-8, else windows-1252 (what
// browsers assume for undeclared legacy pages). TextDecoder covers every WHATWG encoding;
// UTF-32 is not among them, so it is decoded here.

import { isAscii } from 'node:buffer';

export type CharsetSource = 'bom' | 'http' | 'xml-declaration' | 'html-meta' | 'json' | 'utf8-valid' | 'fallback' | 'sniffed';

export interface DecodedText {
  text: string;
  /** Canonical lower-case name of the charset used to decode, e.g. `utf-8`, `windows-1251`, `utf-32le`. */
  charset: string;
  source: CharsetSource;
  /**
   * Set when the declared charset could not be honoured (unknown label, or bytes invalid in it),
   * so the text was decoded another way.
   */
  problem?: string;
  /** The text is ASCII only: ASCII bytes, in a charset that maps them to themselves. */
  ascii: boolean;
}

export interface DecodeOptions {
  contentType?: string | null;
  kind: 'xml' | 'html' | 'json';
}

// Labels that WHATWG folds into a superset but that a user reads more easily under the name
// the document used. Decoding goes through the superset; the name reported is this one.
const canonicalNames: Record<string, string> = {
  'utf8': 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'ascii': 'us-ascii',
  'us-ascii': 'us-ascii',
  'ansi_x3.4-1968': 'us-ascii',
  'iso646-us': 'us-ascii',
  'latin1': 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  'l1': 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso-8859-1': 'iso-8859-1',
  'cp1252': 'windows-1252',
  'x-cp1252': 'windows-1252',
  'gb2312': 'gb18030',
  'gbk': 'gb18030',
  'x-gbk': 'gb18030',
  'cp936': 'gb18030',
  'euc-cn': 'gb18030',
  'gb18030': 'gb18030',
  'sjis': 'shift_jis',
  'shift-jis': 'shift_jis',
  'x-sjis': 'shift_jis',
  'ms_kanji': 'shift_jis',
  'cp932': 'shift_jis',
  'windows-31j': 'shift_jis',
  'big5-hkscs': 'big5',
  'cn-big5': 'big5',
  'x-x-big5': 'big5',
  'eucjp': 'euc-jp',
  'x-euc-jp': 'euc-jp',
  'euckr': 'euc-kr',
  'ks_c_5601-1987': 'euc-kr',
  'cp949': 'euc-kr',
  'windows-949': 'euc-kr',
  'koi8r': 'koi8-r',
  'koi8': 'koi8-r',
  'koi8u': 'koi8-u',
  'tis-620': 'windows-874',
  'iso-8859-11': 'windows-874',
  'utf-16': 'utf-16',
  'utf16': 'utf-16',
  'ucs-2': 'utf-16',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'utf-32': 'utf-32',
  'utf32': 'utf-32',
  'ucs-4': 'utf-32',
  'utf-32le': 'utf-32le',
  'utf-32be': 'utf-32be',
};

/** Normalizes a charset label (`UTF8`, `'us-ascii'`, `ISO_8859-1`, `x-sjis`) to the name newsdesk reports, or null if unknown. */
export function normalizeCharsetLabel(label: string | null | undefined): string | null {
  if (!label) return null;
  const cleaned = label.trim().replace(/^["']+|["']+$/g, '').trim().toLowerCase();
  if (!cleaned) return null;
  const mapped = canonicalNames[cleaned];
  if (mapped) return mapped;
  if (/^(windows|cp|ms)-?125\d$/.test(cleaned)) return `windows-${cleaned.slice(-4)}`;
  const iso = /^iso[-_ ]?8859[-_ ]?(\d{1,2})$/.exec(cleaned);
  if (iso) return `iso-8859-${iso[1]}`;
  try {
    return new TextDecoder(cleaned).encoding === 'utf-8' ? 'utf-8' : cleaned;
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type header, or null. Tolerates quotes and spaces around `=`. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*("([^"]*)"|'([^']*)'|([^;\s]*))/i.exec(contentType);
  if (!match) return null;
  const value = match[2] ?? match[3] ?? match[4] ?? '';
  return value.trim() || null;
}

function hasPrefix(bytes: Uint8Array, prefix: number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

function bomCharset(bytes: Uint8Array): { charset: string; length: number } | null {
  if (hasPrefix(bytes, [0xff, 0xfe, 0x00, 0x00])) return { charset: 'utf-32le', length: 4 };
  if (hasPrefix(bytes, [0x00, 0x00, 0xfe, 0xff])) return { charset: 'utf-32be', length: 4 };
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return { charset: 'utf-8', length: 3 };
  if (hasPrefix(bytes, [0xff, 0xfe])) return { charset: 'utf-16le', length: 2 };
  if (hasPrefix(bytes, [0xfe, 0xff])) return { charset: 'utf-16be', length: 2 };
  return null;
}

// Without a BOM, an XML document in a multi-byte encoding still starts with `<` (or whitespace),
// and where its zero bytes fall tells the encoding apart (XML 1.0, appendix F).
function sniffWideXml(bytes: Uint8Array): string | null {
  if (bytes.length < 4) return null;
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (a === 0 && b === 0 && c === 0 && d !== 0) return 'utf-32be';
  if (a !== 0 && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b !== 0 && c === 0 && d !== 0) return 'utf-16be';
  if (a !== 0 && b === 0 && c !== 0 && d === 0) return 'utf-16le';
  return null;
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): { text: string; invalid: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  let invalid = bytes.length % 4 !== 0;
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
    let codePoint = view.getUint32(offset, littleEndian);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      codePoint = 0xfffd;
      invalid = true;
    }
    chunk.push(codePoint);
    if (chunk.length >= 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  if (chunk.length) parts.push(String.fromCodePoint(...chunk));
  return { text: parts.join(''), invalid };
}

// windows-1252's 0x80-0x9F block (0 = unassigned, kept as the C1 control like browsers do).
const windows1252High = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/**
 * Numeric character references to 128-159 are C1 controls in Unicode, but in feeds they are always
 * windows-1252 characters written by tools that confused the two (`&#146;` for an apostrophe);
 * rewrites them to the character meant, as browsers do.
 */
export function fixC1References(text: string): string {
  if (!/&#(?:1[2-5]\d|x[89][0-9a-f]);/i.test(text)) return text;
  return text.replace(/&#(?:(1[2-5]\d)|x([89][0-9a-f]));/gi, (whole, dec?: string, hex?: string) => {
    const code = dec ? Number(dec) : parseInt(hex!, 16);
    if (code < 0x80 || code > 0x9f) return whole;
    const mapped = windows1252High[code - 0x80];
    return mapped ? `&#x${mapped.toString(16)};` : whole;
  });
}

/** C1 control characters in text are windows-1252 characters that went through a latin-1 conversion (`don\u0092t`). */
export function fixC1Characters(text: string): string {
  if (!/[\u0080-\u009f]/.test(text)) return text;
  return text.replace(/[\u0080-\u009f]/g, (ch) => {
    const mapped = windows1252High[ch.charCodeAt(0) - 0x80];
    return mapped ? String.fromCharCode(mapped) : ch;
  });
}

const windows1252Byte = new Map<number, number>();
for (let b = 0; b < 256; b++) windows1252Byte.set(b >= 0x80 && b <= 0x9f && windows1252High[b - 0x80] ? windows1252High[b - 0x80]! : b, b);

// A UTF-8 lead byte read as windows-1252 (Â-ô) followed by continuation bytes read the same way.
const doubleEncodedRun = /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}/g;

/**
 * Repairs text that was UTF-8, read as windows-1252 and encoded to UTF-8 again (`â€¦` for `…`):
 * each suspicious run is turned back into bytes and kept only if those bytes are valid UTF-8.
 */
export function repairDoubleEncoding(text: string): string {
  if (!/[\u00c2-\u00f4]/.test(text)) return text;
  return text.replace(doubleEncodedRun, (run) => {
    const bytes: number[] = [];
    for (const ch of run) {
      const b = windows1252Byte.get(ch.codePointAt(0)!);
      if (b === undefined) return run;
      bytes.push(b);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      return run;
    }
  });
}

// Node 20's TextDecoder decodes windows-1252 (and its aliases latin1, iso-8859-1, us-ascii) as
// ISO-8859-1, losing curly quotes, dashes and the euro sign; this is the WHATWG mapping.
function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = bytes.subarray(start, start + 8192);
    const codes = new Array<number>(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      codes[i] = b >= 0x80 && b <= 0x9f ? windows1252High[b - 0x80] || b : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Decodes with a canonical charset name; `invalid` tells whether replacement characters had to be used. */
function decodeWith(bytes: Uint8Array, charset: string): { text: string; invalid: boolean } {
  if (charset === 'utf-32le' || charset === 'utf-32be' || charset === 'utf-32') {
    const littleEndian = charset === 'utf-32le' || (charset === 'utf-32' && bytes[0] !== 0);
    return decodeUtf32(bytes, littleEndian);
  }
  if (charset === 'us-ascii') {
    // Bytes above 0x7f are not ASCII; windows-1252 is what such documents nearly always meant.
    return { text: decodeWindows1252(bytes), invalid: bytes.some((b) => b > 0x7f) };
  }
  if (charset === 'windows-1252' || charset === 'iso-8859-1') return { text: decodeWindows1252(bytes), invalid: false };
  const label = charset === 'utf-16' ? (bytes[0] === 0 ? 'utf-16be' : 'utf-16le') : charset;
  try {
    return { text: new TextDecoder(label, { fatal: true }).decode(bytes), invalid: false };
  } catch {
    return { text: new TextDecoder(label).decode(bytes), invalid: true };
  }
}

function isSupported(charset: string): boolean {
  if (charset.startsWith('utf-32') || charset === 'us-ascii' || charset === 'utf-16') return true;
  try {
    const encoding = new TextDecoder(charset).encoding;
    // WHATWG maps some dangerous or obsolete labels (iso-2022-kr, hz-gb-2312...) to `replacement`.
    return (encoding as string) !== 'replacement';
  } catch {
    return false;
  }
}

function asciiHead(bytes: Uint8Array, limit: number): string {
  let out = '';
  const end = Math.min(bytes.length, limit);
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b !== 0) out += b < 0x80 ? String.fromCharCode(b) : '\ufffd';
  }
  return out;
}

/** The encoding named in an `<?xml ... encoding="..."?>` declaration at the start of the text. */
export function xmlDeclaredCharset(head: string): string | null {
  const decl = /^\s*(?:<!--[\s\S]*?-->\s*)*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  return decl ? decl[1]! : null;
}

/** The charset named by `<meta charset>` or `<meta http-equiv="content-type" content="...">`. */
export function htmlMetaCharset(head: string): string | null {
  const metaTags = head.match(/<meta\b[^>]*>/gi) ?? [];
  for (const tag of metaTags) {
    const direct = /\bcharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(tag);
    if (direct && !/http-equiv/i.test(tag)) return direct[1]!;
    if (/http-equiv\s*=\s*["']?content-type/i.test(tag)) {
      const content = /\bcontent\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag);
      const value = content ? (content[2] ?? content[3] ?? '') : '';
      const charset = charsetFromContentType(value.includes(';') ? value : `x;${value}`);
      if (charset) return charset;
    }
  }
  return null;
}

// For bytes that are not UTF-8 and declare nothing: which legacy charset makes them read as text.
// Each candidate that decodes without error is scored by how much of the non-ASCII text lands in
// its script's letters, per byte, so one-byte and two-byte charsets compare fairly. Cyrillic
// lowercase outscores uppercase, which is what tells windows-1251 from KOI8-R (their cases are
// swapped) in running text.
type Scorer = (codePoint: number) => number;
const inRange = (cp: number, from: number, to: number): boolean => cp >= from && cp <= to;
// Japanese text always has kana; ideographs alone score below Chinese so that Chinese is not read as Japanese.
const kanaOrIdeograph: Scorer = (cp) => (inRange(cp, 0x3040, 0x30ff) ? 2.3 : inRange(cp, 0x4e00, 0x9fff) ? 1.9 : inRange(cp, 0x3000, 0x303f) || inRange(cp, 0xff01, 0xff5e) ? 1.5 : 0);
const ideograph: Scorer = (cp) => (inRange(cp, 0x4e00, 0x9fff) ? 2.2 : inRange(cp, 0x3000, 0x303f) || inRange(cp, 0xff01, 0xff5e) ? 1.5 : 0);
// Russian's most frequent letters; text whose "Cyrillic" is mostly the rare ones (ъ, щ, й...) is
// another script read through the wrong table.
const commonCyrillic = new Set([...'оеаинтсрвлкмдпуяыьгзбчй'].map((c) => c.codePointAt(0)!));
const cyrillic: Scorer = (cp) => (commonCyrillic.has(cp) ? 1.2 : inRange(cp, 0x0430, 0x044f) ? 0.4 : inRange(cp, 0x0410, 0x042f) ? 0.3 : 0);
// Order breaks ties: where two tables score alike, the earlier is the likelier reading.
const guessCandidates: [string, Scorer][] = [
  ['euc-kr', (cp) => (inRange(cp, 0xac00, 0xd7a3) ? 2.4 : inRange(cp, 0x4e00, 0x9fff) ? 1 : 0)],
  ['shift_jis', kanaOrIdeograph],
  ['euc-jp', kanaOrIdeograph],
  ['big5', ideograph],
  ['gb18030', (cp) => (inRange(cp, 0x4e00, 0x9fa5) ? 2.15 : inRange(cp, 0x3000, 0x303f) || inRange(cp, 0xff01, 0xff5e) ? 1.5 : 0)],
  ['windows-1251', cyrillic],
  ['koi8-r', cyrillic],
  ['windows-1255', (cp) => (inRange(cp, 0x05d0, 0x05ea) ? 1 : 0)],
  ['windows-1256', (cp) => (inRange(cp, 0x0621, 0x064a) ? 1 : 0)],
  ['windows-1253', (cp) => (inRange(cp, 0x03ac, 0x03ce) ? 0.9 : inRange(cp, 0x0386, 0x03ab) ? 0.3 : 0)],
  ['windows-874', (cp) => (inRange(cp, 0x0e01, 0x0e5b) ? 0.9 : 0)],
  ['windows-1250', (cp) => (inRange(cp, 0x0100, 0x017f) ? 0.9 : inRange(cp, 0x00c0, 0x00ff) ? 0.6 : 0)],
  ['windows-1252', (cp) => (inRange(cp, 0x00c0, 0x00ff) && cp !== 0xd7 && cp !== 0xf7 ? 0.8 : 0)],
];

/** The legacy charset that best explains non-UTF-8 bytes, or null if none reads as text. */
export function guessLegacyCharset(bytes: Uint8Array): string | null {
  let highBytes = 0;
  for (const b of bytes) if (b > 0x7f) highBytes++;
  if (highBytes === 0) return null;
  // GB2312 keeps both bytes of a character at 0xA1 or above; Big5 puts many trail bytes in 0x40-0x7E.
  let lowTrail = false;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i]! >= 0x81) {
      const trail = bytes[i + 1]!;
      if (trail >= 0x40 && trail <= 0x7e) lowTrail = true;
      i++;
    }
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const [charset, baseScore] of guessCandidates) {
    const score: Scorer = charset === 'gb18030' ? (cp) => baseScore(cp) * (lowTrail ? 0.9 : 1.1) : baseScore;
    let text: string;
    try {
      text = charset === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(charset, { fatal: true }).decode(bytes);
    } catch {
      continue;
    }
    let total = 0;
    let cyrillicLetters = 0;
    let cyrillicMarkers = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp > 0x7f) total += score(cp);
      if (cp >= 0x0410 && cp <= 0x044f) {
        cyrillicLetters++;
        // Capitals and ы ь э ю я: frequent in any Russian, Ukrainian or Bulgarian text.
        if (cp <= 0x042f || cp >= 0x044b) cyrillicMarkers++;
      }
    }
    // Without a single capital or ы/ь/э/ю/я, a long run of "Cyrillic" is another script's bytes
    // (Hebrew in windows-1255 falls exactly on а..ъ of windows-1251).
    if (baseScore === cyrillic && cyrillicLetters >= 20 && cyrillicMarkers === 0) total /= 2;
    const perByte = total / highBytes;
    if (perByte > bestScore) {
      best = charset;
      bestScore = perByte;
    }
  }
  return bestScore >= 0.5 ? best : null;
}

/**
 * An HTML page declared as Latin-1/windows-1252 whose bytes are valid, non-ASCII UTF-8 was almost
 * always re-encoded by a CMS that left its declaration alone; decoding it as declared would garble it.
 */
function reencodedAsUtf8(charset: string, bytes: Uint8Array): boolean {
  if (charset !== 'windows-1252' && charset !== 'iso-8859-1' && charset !== 'us-ascii') return false;
  return bytes.some((b) => b > 0x7f) && isValidUtf8(bytes);
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** application/xml, text/xml, the +xml types and XML external parsed entities. */
export function isXmlMediaType(mediaType: string): boolean {
  return /^(?:application|text)\/(?:[\w.-]+\+)?xml(?:-external-parsed-entity|-dtd)?$/.test(mediaType) || /\+xml$/.test(mediaType);
}

function isTextXmlMediaType(mediaType: string): boolean {
  return mediaType.startsWith('text/') && isXmlMediaType(mediaType);
}

// Charsets in which bytes below 0x80 are those ASCII characters, so ASCII bytes decode to ASCII text.
const ASCII_COMPATIBLE = new Set(['utf-8', 'us-ascii', 'windows-1252', 'iso-8859-1']);

export function decodeText(bytes: Uint8Array, opts: DecodeOptions): DecodedText {
  const problems: string[] = [];
  const finish = (charset: string, source: CharsetSource, body: Uint8Array): DecodedText => {
    const { text, invalid } = decodeWith(body, charset);
    if (invalid) problems.push(`bytes invalid in ${charset}`);
    const result: DecodedText = { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, charset, source, ascii: ASCII_COMPATIBLE.has(charset) && isAscii(body) };
    if (problems.length) result.problem = problems.join('; ');
    return result;
  };

  const mediaType = opts.contentType ? opts.contentType.split(';')[0]!.trim().toLowerCase() : '';
  // A feed served under a media type that is not XML (text/plain, text/html) is a server defect
  // worth reporting, though the bytes are still read as XML.
  if (opts.kind === 'xml' && mediaType && !isXmlMediaType(mediaType)) problems.push(`served as ${mediaType}, not an XML media type`);

  const bom = bomCharset(bytes);
  if (bom) return finish(bom.charset, 'bom', bytes.subarray(bom.length));

  const httpLabel = charsetFromContentType(opts.contentType);
  // RFC 3023 3.1: text/xml (and text/*+xml) without a charset parameter is us-ascii, whatever the
  // XML declaration says. Only taken when the bytes are ASCII: otherwise the server is wrong and
  // the usual detection below reads them.
  if (opts.kind === 'xml' && !httpLabel && isTextXmlMediaType(mediaType) && !sniffWideXml(bytes) && bytes.every((b) => b < 0x80)) {
    return finish('us-ascii', 'http', bytes);
  }
  if (httpLabel) {
    const charset = normalizeCharsetLabel(httpLabel);
    if (charset && isSupported(charset)) {
      if (opts.kind === 'html' && reencodedAsUtf8(charset, bytes)) return finish('utf-8', 'utf8-valid', bytes);
      const wide = opts.kind === 'xml' ? sniffWideXml(bytes) : null;
      // A document visibly in UTF-16/32 cannot be in the single-byte charset the server claims.
      if (!wide || charset.startsWith(wide.slice(0, 6))) return finish(charset, 'http', bytes);
      problems.push(`HTTP charset ${httpLabel} contradicts the document's ${wide} bytes`);
    } else {
      problems.push(`unknown HTTP charset ${httpLabel}`);
    }
  }

  if (opts.kind === 'json') {
    const wide = sniffWideXml(bytes);
    return finish(wide ?? 'utf-8', wide ? 'sniffed' : 'json', bytes);
  }

  if (opts.kind === 'xml') {
    const wide = sniffWideXml(bytes);
    if (wide) {
      const head = decodeWith(bytes.subarray(0, 512), wide).text;
      const declared = normalizeCharsetLabel(xmlDeclaredCharset(head));
      // A declaration of utf-16/utf-32 only narrows what the zero bytes already told.
      const charset = declared && declared.startsWith(wide.slice(0, 6)) && declared.length > 6 ? declared : wide;
      return finish(charset, 'sniffed', bytes);
    }
    const label = xmlDeclaredCharset(asciiHead(bytes, 1024));
    if (label) {
      const charset = normalizeCharsetLabel(label);
      if (charset && isSupported(charset) && !charset.startsWith('utf-16') && !charset.startsWith('utf-32')) {
        return finish(charset, 'xml-declaration', bytes);
      }
      problems.push(charset ? `declared ${label} but the bytes are not ${label}` : `unknown declared charset ${label}`);
    }
  }

  if (opts.kind === 'html') {
    const label = htmlMetaCharset(asciiHead(bytes, 4096));
    if (label) {
      const charset = normalizeCharsetLabel(label);
      if (charset && reencodedAsUtf8(charset, bytes)) return finish('utf-8', 'utf8-valid', bytes);
      // A page saying utf-16 in an ASCII-compatible meta tag is not utf-16 (HTML spec rule).
      if (charset && isSupported(charset)) {
        return finish(charset.startsWith('utf-16') || charset.startsWith('utf-32') ? 'utf-8' : charset, 'html-meta', bytes);
      }
      problems.push(`unknown meta charset ${label}`);
    }
  }

  if (isValidUtf8(bytes)) return finish('utf-8', 'utf8-valid', bytes);
  const guessed = guessLegacyCharset(bytes);
  // XML without a declaration must be UTF-8 (XML 1.0, 4.3.3), so a guess is also a defect to report.
  if (opts.kind === 'xml') problems.push(`bytes are not UTF-8 and no charset is declared; read as ${guessed ?? 'windows-1252'}`);
  if (guessed) return finish(guessed, 'sniffed', bytes);
  return finish('windows-1252', 'fallback', bytes);
}
