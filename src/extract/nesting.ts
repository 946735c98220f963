// The HTML parser's stack of open elements costs time per open element at every tag (htmlparser2
// keeps it with unshift and indexOf), so 100,000 unclosed <span> took 14 s to parse, before any
// reader ran. Start tags that would open past MAX_PARSE_DEPTH are dropped from the markup here, in
// one linear scan that follows the parser's rules closely enough (raw-text elements, comments, void
// elements, tags a start tag implicitly closes): their text stays, in place.

/** Far past any real page (the deepest of the 2,240 benchmark pages nests 51 elements). */
export const MAX_PARSE_DEPTH = 1024;

const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
// What opening an element closes when it is the current one, as the parser does.
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t): [string, ReadonlySet<string>] => [t, FORM]),
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((t): [string, ReadonlySet<string>] => [t, P]),
]);

const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** `html` with the start tags that would nest deeper than `maxDepth` removed; the same string when none would. */
export function limitNesting(html: string, maxDepth = MAX_PARSE_DEPTH): string {
  const open: string[] = [];
  // How many of each name are open, so an end tag of nothing open is ignored without a search.
  const openCount = new Map<string, number>();
  const pop = () => {
    const name = open.pop()!;
    openCount.set(name, openCount.get(name)! - 1);
  };
  const cuts: number[] = [];
  let nextGt = -1;
  for (let lt = html.indexOf('<'); lt !== -1; ) {
    const c = html.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */ || c === 0x3f /* ? */) {
      const end = html.startsWith('<!--', lt) ? html.indexOf('-->', lt + 4) : html.indexOf('>', lt + 2);
      if (end === -1) break;
      lt = html.indexOf('<', end + 1);
      continue;
    }
    const closing = c === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isLetter(html.charCodeAt(nameStart))) {
      lt = html.indexOf('<', lt + 1);
      continue;
    }
    let nameEnd = nameStart + 1;
    while (isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    if (nextGt < nameEnd) nextGt = html.indexOf('>', nameEnd);
    if (nextGt === -1) break;
    const tagEnd = nextGt + 1;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    if (closing) {
      if ((openCount.get(name) ?? 0) > 0) {
        while (open[open.length - 1] !== name) pop();
        pop();
      }
    } else if (!VOID.has(name)) {
      const closes = IMPLIES_CLOSE.get(name);
      if (closes) while (open.length && closes.has(open[open.length - 1]!)) pop();
      if (RAW_TEXT.has(name)) {
        const close = indexOfEndTag(html, name, tagEnd);
        lt = close === -1 ? -1 : html.indexOf('<', close + 2);
        continue;
      }
      if (open.length >= maxDepth) {
        cuts.push(lt, tagEnd);
      } else {
        open.push(name);
        openCount.set(name, (openCount.get(name) ?? 0) + 1);
      }
    }
    lt = html.indexOf('<', tagEnd);
  }
  if (cuts.length === 0) return html;
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    parts.push(html.slice(from, cuts[k]));
    from = cuts[k + 1]!;
  }
  parts.push(html.slice(from));
  return parts.join('');
}

/** Where `</name` ends the raw text that starts at `from`, case-insensitively, or -1. */
function indexOfEndTag(html: string, name: string, from: number): number {
  const pattern = new RegExp(`</${name}(?=[\\s/>])`, 'gi');
  pattern.lastIndex = from;
  return pattern.exec(html)?.index ?? -1;
}
