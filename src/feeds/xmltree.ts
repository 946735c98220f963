// A small namespace-aware element tree, built leniently from feed text. feedsmith maps the common
// vocabularies to objects but drops what it has no field for (Atom 0.3's `mode` and `copyright`,
// iTunes flags); the normalizer reads those few from this tree instead. It keeps each element's
// raw inner markup so inline XHTML can be returned as written.

export interface XmlElement {
  /** Qualified name as written (`itunes:block`). */
  name: string;
  local: string;
  /** Namespace URI, or null when none is in scope. */
  ns: string | null;
  /** Attributes by qualified name, entity-decoded. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Decoded character data directly inside the element (text and CDATA, not descendants'). */
  text: string;
  /** The markup between the start and end tags, as written. */
  inner: string;
}

const xmlEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(value: string, declared: Record<string, string> = {}): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z_][\w.-]*);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return xmlEntities[ref] ?? declared[ref] ?? whole;
  });
}

const token = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)|<!DOCTYPE(?:[^>[]|\[[\s\S]*?\])*>|<(\/?)([A-Za-z_][\w:.-]*)((?:"[^"]*"|'[^']*'|[^'">])*?)(\/?)>|[^<]+|</;
const attributePattern = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Open {
  element: XmlElement;
  namespaces: Map<string, string>;
  innerStart: number;
}

/** The document element, or null if there is none. Never throws; unbalanced markup is closed where it ends. */
export function buildTree(text: string): XmlElement | null {
  const declared: Record<string, string> = {};
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/.exec(text);
  if (doctype) for (const m of doctype[1]!.matchAll(/<!ENTITY\s+([\w.-]+)\s+(?:"([^"]*)"|'([^']*)')/g)) declared[m[1]!] = m[2] ?? m[3] ?? '';

  let root: XmlElement | null = null;
  const stack: Open[] = [];
  const pattern = new RegExp(token.source, 'g');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const top = stack[stack.length - 1];
    const whole = m[0];
    if (m[3]) {
      const closing = m[2] === '/';
      const name = m[3];
      if (closing) {
        const at = stack.map((o) => o.element.name).lastIndexOf(name);
        if (at === -1) continue;
        for (let i = stack.length - 1; i >= at; i--) stack[i]!.element.inner = text.slice(stack[i]!.innerStart, m.index);
        stack.length = at;
        continue;
      }
      const attrs: Record<string, string> = {};
      const namespaces = new Map(top?.namespaces ?? []);
      for (const a of (m[4] ?? '').matchAll(attributePattern)) {
        const value = decodeXmlText(a[2] ?? a[3] ?? '', declared);
        attrs[a[1]!] = value;
        if (a[1] === 'xmlns') namespaces.set('', value);
        else if (a[1]!.startsWith('xmlns:')) namespaces.set(a[1]!.slice(6), value);
      }
      const colon = name.indexOf(':');
      const prefix = colon > 0 ? name.slice(0, colon) : '';
      const element: XmlElement = {
        name,
        local: colon > 0 ? name.slice(colon + 1) : name,
        ns: namespaces.get(prefix) ?? null,
        attrs,
        children: [],
        text: '',
        inner: '',
      };
      if (top) top.element.children.push(element);
      else if (!root) root = element;
      else continue;
      if (!m[5]) stack.push({ element, namespaces, innerStart: m.index + whole.length });
    } else if (top && m[1] !== undefined) {
      top.element.text += m[1];
    } else if (top && whole[0] !== '<') {
      top.element.text += decodeXmlText(whole, declared);
    }
  }
  for (const open of stack) open.element.inner = text.slice(open.innerStart);
  return root;
}

/** Child elements with this local name, optionally in one of the given namespaces. */
export function childrenNamed(element: XmlElement | null | undefined, local: string, namespaces?: string[]): XmlElement[] {
  if (!element) return [];
  const lower = local.toLowerCase();
  return element.children.filter((c) => c.local.toLowerCase() === lower && (!namespaces || (c.ns !== null && namespaces.includes(c.ns.toLowerCase()))));
}

export function childNamed(element: XmlElement | null | undefined, local: string, namespaces?: string[]): XmlElement | undefined {
  return childrenNamed(element, local, namespaces)[0];
}
