// Turning the raw bytes of an HTML page into a string. Pages arrive in their original charset; the
// order of evidence follows the HTML standard's sniffing: byte-order mark, then the transport's
// Content-Type, then a <meta> charset in the first bytes, then a UTF-8 validity check with
// windows-1252 (what browsers assume for legacy Western pages) as the last resort.

const SNIFF_BYTES = 4096;

/** Charset labels that browsers treat as aliases of another decoder. */
const LABEL_ALIASES: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'x-sjis': 'shift_jis',
  gb2312: 'gbk',
  'utf8': 'utf-8',
};

function normalizeLabel(label: string): string | null {
  const lower = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (!lower) return null;
  const candidate = LABEL_ALIASES[lower] ?? lower;
  try {
    new TextDecoder(candidate);
    return candidate;
  } catch {
    return null;
  }
}

function charsetFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType);
  return match ? normalizeLabel(match[1]) : null;
}

function charsetFromMeta(bytes: Uint8Array): string | null {
  // ASCII-compatible view of the head is enough to read a <meta> declaration.
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, SNIFF_BYTES));
  const direct = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  if (direct) {
    const label = normalizeLabel(direct[1]);
    // A page that was served as UTF-16 cannot declare itself in ASCII; the standard says use UTF-8.
    if (label && label.startsWith('utf-16')) return 'utf-8';
    if (label) return label;
  }
  return null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Decodes an HTML page's bytes with the charset the evidence points to. */
export function decodeHtmlBytes(bytes: Uint8Array, contentType?: string | null): string {
  const fromBom = charsetFromBom(bytes);
  if (fromBom) return new TextDecoder(fromBom).decode(bytes);
  const declared = charsetFromContentType(contentType) ?? charsetFromMeta(bytes);
  if (declared && declared !== 'utf-8') {
    // A page declared as a legacy charset but that is valid, non-ASCII UTF-8 was almost always
    // re-encoded by a CMS without updating its <meta>; decoding it as declared would garble it.
    if (declared === 'windows-1252' && hasNonAscii(bytes) && isValidUtf8(bytes)) {
      return new TextDecoder('utf-8').decode(bytes);
    }
    return decodeAs(declared, bytes);
  }
  if (declared === 'utf-8' || isValidUtf8(bytes)) return new TextDecoder('utf-8').decode(bytes);
  return decodeWindows1252(bytes);
}

/** windows-1252's printable characters in 0x80–0x9F, where ISO-8859-1 has control codes. */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder decodes "windows-1252" as ISO-8859-1 (quotes and dashes in 0x80–0x9F come
 * out as control characters), so the difference is mapped here.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = new TextDecoder('windows-1252').decode(bytes);
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

function decodeAs(charset: string, bytes: Uint8Array): string {
  return charset === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(charset).decode(bytes);
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return true;
  return false;
}
