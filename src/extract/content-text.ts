// Plain text from a DOM subtree: block elements become paragraphs separated by a blank line, <br>
// becomes a line break, runs of whitespace collapse. textContent alone would glue the last word of
// one paragraph to the first word of the next ("end.Start"), which breaks word counts and shingles.

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'CENTER', 'DD', 'DETAILS', 'DIALOG', 'DIR', 'DIV', 'DL', 'DT',
  'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP', 'HR',
  'LI', 'MAIN', 'MENU', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD',
  'TR', 'UL', 'HTML',
]);

const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'HEAD', 'TITLE', 'BUTTON', 'SELECT', 'TEXTAREA']);

/** Cell separators keep table rows readable instead of merging neighbouring cells into one word. */
const INLINE_SEPARATED_TAGS = new Set(['TD', 'TH']);

interface NodeLike {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<NodeLike>;
}

export function blockText(root: NodeLike): string {
  const parts: string[] = [];
  let line = '';
  const flushParagraph = () => {
    const trimmed = line.replace(/[ \t\f\v\u00a0]+/g, ' ').replace(/ *\n */g, '\n').trim();
    if (trimmed) parts.push(trimmed);
    line = '';
  };
  const walk = (node: NodeLike) => {
    if (node.nodeType === 3) {
      line += (node.textContent ?? '').replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeName.toUpperCase();
    if (SKIPPED_TAGS.has(tag)) return;
    if (tag === 'BR') {
      line += '\n';
      return;
    }
    if (tag === 'PRE') {
      flushParagraph();
      const pre = (node.textContent ?? '').replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
      if (pre) parts.push(pre);
      return;
    }
    const isBlock = BLOCK_TAGS.has(tag);
    if (isBlock && !INLINE_SEPARATED_TAGS.has(tag)) flushParagraph();
    else if (INLINE_SEPARATED_TAGS.has(tag)) line += ' ';
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) walk(children[i]);
    if (isBlock && !INLINE_SEPARATED_TAGS.has(tag)) flushParagraph();
    else if (INLINE_SEPARATED_TAGS.has(tag)) line += ' ';
  };
  walk(root);
  flushParagraph();
  return parts.join('\n\n');
}

/** Whitespace-collapsed text of a subtree, for measuring lengths. */
export function flatText(node: { textContent: string | null }): string {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}
