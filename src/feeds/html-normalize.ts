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

function startTag(name: string, rest: string): string {
  const tag = name.toLowerCase();
  const attrs: [string, string][] = [];
  if (rest.trim() && rest.trim() !== '/') {
    const seen = new Set<string>();
    for (const m of rest.matchAll(attributePattern)) {
      const key = m[1]!.toLowerCase();
      if (key === '/' || seen.has(key)) continue;
      seen.add(key);
      const raw = m[2] ?? m[3] ?? m[4] ?? key;
      // Values are decoded of the XML five and escaped once.
      attrs.push([key, escapeAttribute(raw.replace(/&(amp|lt|gt|quot|apos);/g, (_w, n: string) => named[n]!))]);
    }
    attrs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  const written = attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
  return voidElements.has(tag) ? `<${tag}${written} />` : `<${tag}${written}>`;
}

/** Text between tags in XML mode: references decoded, then &, < and > escaped, so each character has one spelling. */
function xmlText(value: string): string {
  return value.includes('&') || value.includes('<') || value.includes('>') ? decodeReferences(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : value;
}

const token = /<!--[\s\S]*?-->|<!--[\s\S]*$|<!\[CDATA\[[\s\S]*?\]\]>|<![A-Za-z][^>]*>|<\?[^>]*>|<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*))?)*\s*\/?)>|<([A-Za-z][\w:.-]*)(\s[^>]*)>/g;

// What follows a `&` that HTML mode keeps as written: a reference (`&#X` is re-written `&#x`).
// keptReferenceAt, sticky, is the whole reference, for the fast path below (alreadyCanonical),
// which matches it where a `&` is found.
const keptReferenceRest = /(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/;
const keptReferenceAt = new RegExp(`&${keptReferenceRest.source}`, 'y');
// A tag HTML mode returns untouched when its name is not void: lower-case, at most one
// double-quoted attribute. Group 1 is an end tag's name, group 2 a start tag's. Sticky, for the
// fast path, which matches it where a `<` is found.
const canonicalTagAt = /<(?:\/([a-z][a-z0-9]*)|([a-z][a-z0-9]*)(?: [a-z][a-z0-9-]*="[^"<>&]*")?)>/y;

// The pieces HTML mode rewrites: tags, plus the text characters that need escaping (a bare `&`,
// `&#X`, a `<` that opens no tag). Already-canonical tags (lower-case, at most one double-quoted
// attribute, not void) are returned untouched, which is the common case.
const ampPieces = `&#X(?=[0-9a-fA-F]+;)|&(?!${keptReferenceRest.source})`;
/** What HTML mode reads, as one global pattern: the specification eachToken follows, in linear time. */
export const htmlTokenPattern = new RegExp(`${token.source}|${ampPieces}|<`, 'g');
/** What XML mode reads: the markup only (its text is escaped between the pieces). */
export const xmlTokenPattern = token;
const tokenAt = new RegExp(token.source, 'y');
const ampAt = new RegExp(ampPieces, 'y');

export type TokenVisitor = (at: number, whole: string, end?: string, name?: string, attrs?: string, looseName?: string, looseAttrs?: string) => void;

/**
 * Visits what a global match of `token` (and, in HTML mode, of a bare `&` or `<`) would find, in
 * order, in linear time. The pattern alone is quadratic on hostile text: from every `<` it reads
 * ahead for a `>` or `]]>` that never comes (`&lt;a href=` repeated 40,000 times took 54 s). Every
 * tag alternative ends in `>`, so no tag starts after the last `>`, and a CDATA section opens only
 * before the last `]]>`; elsewhere the pattern is not tried.
 */
export function eachToken(html: string, htmlMode: boolean, visit: TokenVisitor): void {
  const lastGt = html.lastIndexOf('>');
  const lastCdataEnd = html.lastIndexOf(']]>');
  const candidates = htmlMode ? /[<&]/g : /</g;
  for (let c = candidates.exec(html); c !== null; c = candidates.exec(html)) {
    const at = c.index;
    if (html.charCodeAt(at) === 0x26 /* & */) {
      ampAt.lastIndex = at;
      const amp = ampAt.exec(html);
      if (amp) {
        visit(at, amp[0]);
        candidates.lastIndex = at + amp[0].length;
      }
      continue;
    }
    let m: RegExpExecArray | null = null;
    if (at < lastGt && !(lastCdataEnd < at + 9 && html.startsWith('<![CDATA[', at))) {
      tokenAt.lastIndex = at;
      m = tokenAt.exec(html);
    }
    if (m) {
      visit(at, m[0], m[1], m[2], m[3], m[4], m[5]);
      candidates.lastIndex = at + m[0].length;
    } else if (at > lastGt && html.startsWith('<!--', at)) {
      // A comment left open after the last `>` runs to the end, as the pattern's `<!--[\s\S]*$` reads it.
      visit(at, html.slice(at));
      return;
    } else if (htmlMode) {
      visit(at, '<');
    }
  }
}

const canonicalTag = new RegExp(`^(?:${canonicalTagAt.source})$`);

function htmlPiece(whole: string, end?: string, name?: string, attrs?: string, looseName?: string, looseAttrs?: string): string {
  if (whole === '&') return '&amp;';
  if (whole === '&#X') return '&#x';
  if (whole === '<') return '&lt;';
  if (canonicalTag.test(whole) && !(name && voidElements.has(name)) && !(end && voidElements.has(end))) return whole;
  // A comment left open runs to the end of the fragment (as in a browser): it shows nothing.
  if (whole.startsWith('<!--') && !whole.endsWith('-->')) return '';
  if (end !== undefined) return voidElements.has(end.toLowerCase()) ? '' : `</${end.toLowerCase()}>`;
  if (name !== undefined) return startTag(name, attrs ?? '');
  if (looseName !== undefined) return startTag(looseName, looseAttrs ?? '');
  return whole;
}

// Inline XHTML may hold other XML vocabularies under prefixes declared outside the fragment
// (`<svg:svg>` with xmlns:svg on the entry). The fragment is made self-contained: a known
// prefix becomes the default namespace of the element that enters it, `xlink:` attributes get
// their declaration where they are used, and names keep their case (XML is case-sensitive).
const knownNamespaces: Record<string, string> = {
  svg: 'http://www.w3.org/2000/svg',
  math: 'http://www.w3.org/1998/Math/MathML',
  mathml: 'http://www.w3.org/1998/Math/MathML',
  xhtml: 'http://www.w3.org/1999/xhtml',
  html: 'http://www.w3.org/1999/xhtml',
};
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

interface XmlScope {
  name: string;
  ns: string;
  xlink: boolean;
}

/** The open elements, with where each name was last opened, so an end tag finds its element without a walk of the stack. */
class XmlStack {
  private readonly scopes: XmlScope[] = [];
  private readonly depthsByName = new Map<string, number[]>();

  top(): XmlScope | undefined {
    return this.scopes[this.scopes.length - 1];
  }

  push(scope: XmlScope): void {
    let depths = this.depthsByName.get(scope.name);
    if (!depths) this.depthsByName.set(scope.name, (depths = []));
    depths.push(this.scopes.length);
    this.scopes.push(scope);
  }

  /** Closes the innermost open `name` and every element inside it; an end tag of nothing open is ignored. */
  close(name: string): void {
    const depths = this.depthsByName.get(name);
    if (!depths?.length) return;
    const depth = depths[depths.length - 1]!;
    while (this.scopes.length > depth) this.depthsByName.get(this.scopes.pop()!.name)!.pop();
  }
}

function xmlStartTag(name: string, rest: string, stack: XmlStack): string {
  const parent = stack.top();
  const colon = name.indexOf(':');
  const prefix = colon > 0 ? name.slice(0, colon) : '';
  const known = prefix ? knownNamespaces[prefix.toLowerCase()] : undefined;
  const local = known ? name.slice(colon + 1) : name;
  const attrs: [string, string][] = [];
  let ns = parent?.ns ?? XHTML_NS;
  let usesXlink = false;
  const seen = new Set<string>();
  for (const m of rest.matchAll(attributePattern)) {
    const key = m[1]!;
    if (key === '/' || seen.has(key)) continue;
    const value = decodeReferences(m[2] ?? m[3] ?? m[4] ?? key);
    if (key === 'xmlns') {
      ns = value;
      continue;
    }
    if (key.startsWith('xmlns:')) continue;
    if (key.startsWith('xlink:')) usesXlink = true;
    seen.add(key);
    attrs.push([key, escapeAttribute(value)]);
  }
  if (known) ns = known;
  if (ns !== (parent?.ns ?? XHTML_NS)) attrs.push(['xmlns', ns]);
  const xlinkDeclared = parent?.xlink ?? false;
  if (usesXlink && !xlinkDeclared) attrs.push(['xmlns:xlink', XLINK_NS]);
  attrs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const written = attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
  if (/\/\s*$/.test(rest)) return ns === XHTML_NS && voidElements.has(local.toLowerCase()) ? `<${local}${written} />` : `<${local}${written}></${local}>`;
  stack.push({ name, ns, xlink: xlinkDeclared || usesXlink });
  return `<${local}${written}>`;
}

function xmlEndTag(name: string, stack: XmlStack): string {
  stack.close(name);
  const colon = name.indexOf(':');
  return `</${colon > 0 && knownNamespaces[name.slice(0, colon).toLowerCase()] ? name.slice(colon + 1) : name}>`;
}

/**
 * Most feed HTML is already in canonical form (feeds are written by software): when every tag
 * is canonical and not void, and every `&` starts a reference, the HTML-mode pass would return
 * each piece as it is. That is checked here with one match per `<` and `&` instead of the full
 * tokenizer; the result is the fragment, with `rewriteMarkup` applied to its start tags, or null
 * when it is not canonical.
 */
function alreadyCanonical(html: string, rewriteMarkup?: (markup: string) => string): string | null {
  for (let at = html.indexOf('&'); at !== -1; at = html.indexOf('&', at + 1)) {
    keptReferenceAt.lastIndex = at;
    if (!keptReferenceAt.test(html)) return null;
  }
  let out = '';
  let written = 0;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', canonicalTagAt.lastIndex)) {
    canonicalTagAt.lastIndex = at;
    const m = canonicalTagAt.exec(html);
    if (!m || voidElements.has(m[1] ?? m[2]!)) return null;
    if (rewriteMarkup && m[2] !== undefined) {
      const rewritten = rewriteMarkup(m[0]);
      if (rewritten !== m[0]) {
        out += html.slice(written, at) + rewritten;
        written = canonicalTagAt.lastIndex;
      }
    }
  }
  return written === 0 ? html : out + html.slice(written);
}

/**
 * The canonical form of an HTML fragment (see above); `xml` when it came from inline XHTML.
 * `rewriteMarkup`, in HTML mode, is applied to each piece of markup as it is written out (start
 * tags, and comments and the like kept as written), so that a caller rewriting attributes, as
 * URL resolution does, needs no second pass over the fragment. Text is never passed to it:
 * every `<` in text comes out escaped.
 */
export function normalizeHtml(html: string, xml = false, rewriteMarkup?: (markup: string) => string): string {
  if (!html.includes('<') && !html.includes('&')) return html;
  if (!xml) {
    const canonical = alreadyCanonical(html, rewriteMarkup);
    if (canonical !== null) return canonical;
  }
  let out = '';
  let last = 0;
  if (!xml) {
    eachToken(html, true, (at, whole, end, name, attrs, looseName, looseAttrs) => {
      let piece = htmlPiece(whole, end, name, attrs, looseName, looseAttrs);
      if (rewriteMarkup && piece.charCodeAt(0) === 0x3c /* < */ && piece.charCodeAt(1) !== 0x2f /* / */) piece = rewriteMarkup(piece);
      out += html.slice(last, at) + piece;
      last = at + whole.length;
    });
    return out + html.slice(last);
  }
  const stack = new XmlStack();
  eachToken(html, false, (at, whole, end, name, attrs, looseName, looseAttrs) => {
    out += xmlText(html.slice(last, at));
    last = at + whole.length;
    if (end !== undefined) out += xmlEndTag(end, stack);
    else if (name !== undefined) out += xmlStartTag(name, attrs ?? '', stack);
    else if (looseName !== undefined) out += xmlStartTag(looseName, looseAttrs ?? '', stack);
    else out += whole;
  });
  return out + xmlText(html.slice(last));
}
