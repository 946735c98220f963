// HTML carried in a feed (escaped or CDATA `description`, Atom `html`/`xhtml` text) is re-written
// in one canonical, well-formed form before it is stored: tag and attribute names lower-case,
// attributes sorted and double-quoted with `& < > "` escaped, void elements closed as `<br />`,
// a bare `&` or `<` in text escaped, hexadecimal character references written `&#x..;`. Inline
// XHTML was parsed as XML, so there every character reference stands for its character and is
// re-escaped only where markup needs it. Universal Feed Parser normalizes the same way, so feeds
// read by either look alike.

const voidElements = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[ref] ?? whole;
  });
}

const escapeAttribute = (value: string): string => value.replace(/&(?!(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const attributePattern = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]*)))?/g;

function startTag(name: string, rest: string, xml: boolean): string {
  const tag = name.toLowerCase();
  const attrs: [string, string][] = [];
  if (rest.trim() && rest.trim() !== '/') {
    for (const m of rest.matchAll(attributePattern)) {
      const key = m[1]!.toLowerCase();
      if (key === '/' || attrs.some(([k]) => k === key)) continue;
      const raw = m[2] ?? m[3] ?? m[4] ?? key;
      // Values are decoded (XML: every reference; HTML: the XML five) and escaped once.
      attrs.push([key, escapeAttribute(xml ? decodeReferences(raw) : raw.replace(/&(amp|lt|gt|quot|apos);/g, (_w, n: string) => named[n]!))]);
    }
    attrs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  const written = attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
  return voidElements.has(tag) ? `<${tag}${written} />` : `<${tag}${written}>`;
}

function text(value: string, xml: boolean): string {
  if (xml) return value.includes('&') || value.includes('<') || value.includes('>') ? decodeReferences(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : value;
  if (!value.includes('&') && !value.includes('<')) return value;
  return value
    .replace(/&(?!(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)/g, '&amp;')
    .replace(/&#X([0-9a-fA-F]+);/g, '&#x$1;')
    .replace(/</g, '&lt;');
}

const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![A-Za-z][^>]*>|<\?[^>]*>|<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*))?)*\s*\/?)>|<([A-Za-z][\w:.-]*)(\s[^>]*)>/g;

// HTML mode in one native pass: tags, plus the text characters that need escaping (a bare `&`,
// `&#X`, a `<` that opens no tag). Already-canonical tags (lower-case, at most one double-quoted
// attribute, not void) are returned untouched, which is the common case.
const htmlToken = new RegExp(`${token.source}|&#X(?=[0-9a-fA-F]+;)|&(?!(?:#\\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)|<`, 'g');
const canonicalTag = /^<(?:\/[a-z][a-z0-9]*|[a-z][a-z0-9]*(?: [a-z][a-z0-9-]*="[^"<>&]*")?)>$/;

function htmlPiece(whole: string, end?: string, name?: string, attrs?: string, looseName?: string, looseAttrs?: string): string {
  if (whole === '&') return '&amp;';
  if (whole === '&#X') return '&#x';
  if (whole === '<') return '&lt;';
  if (canonicalTag.test(whole) && !(name && voidElements.has(name))) return whole;
  if (end !== undefined) return `</${end.toLowerCase()}>`;
  if (name !== undefined) return startTag(name, attrs ?? '', false);
  if (looseName !== undefined) return startTag(looseName, looseAttrs ?? '', false);
  return whole;
}

/** The canonical form of an HTML fragment (see above); `xml` when it came from inline XHTML. */
export function normalizeHtml(html: string, xml = false): string {
  if (!html.includes('<') && !html.includes('&')) return html;
  if (!xml) return html.replace(htmlToken, htmlPiece);
  let out = '';
  let last = 0;
  for (const m of html.matchAll(token)) {
    out += text(html.slice(last, m.index), xml);
    last = m.index! + m[0].length;
    if (m[1] !== undefined) out += `</${m[1].toLowerCase()}>`;
    else if (m[2] !== undefined) out += startTag(m[2], m[3] ?? '', xml);
    else if (m[4] !== undefined) out += startTag(m[4], m[5] ?? '', xml);
    else out += m[0];
  }
  return out + text(html.slice(last), xml);
}
