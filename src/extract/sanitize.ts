// Allowlist sanitizer for article and feed HTML that newsdesk shows to readers.
// Everything not listed is dropped: scripts, styles sheets, frames, objects, forms that post
// elsewhere, event handlers, and URLs whose scheme is not http(s), mailto, ftp or tel (so no
// javascript:, vbscript: or data:). Inline `style` keeps only a small set of presentational CSS.
// Links get rel="nofollow noopener"; relative URLs are made absolute against the page's URL.
import sanitize from 'sanitize-html';

const ALLOWED_TAGS = [
  // text and structure
  'a', 'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br',
  'center', 'cite', 'code', 'dd', 'del', 'details', 'dfn', 'dir', 'div', 'dl', 'dt', 'em', 'figcaption',
  'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'ins', 'kbd', 'li',
  'm', 'main', 'mark', 'menu', 'multicol', 'nav', 'nextid', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's',
  'samp', 'section', 'small', 'spacer', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'time', 'tt',
  'u', 'ul', 'var', 'wbr', 'dialog', 'datagrid', 'event-source', 'command',
  // tables
  'caption', 'col', 'colgroup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr',
  // media (sources are scheme-checked like links)
  'audio', 'canvas', 'img', 'map', 'area', 'picture', 'source', 'sound', 'track', 'video',
  // inert controls; <form>, <input> and <keygen> are left out: a form posting to another site
  // inside an article is a phishing vector, and nothing in an article needs one
  'button', 'datalist', 'fieldset', 'label', 'legend', 'meter', 'optgroup', 'option', 'output', 'progress',
  'select', 'textarea',
];

// Attributes allowed on every element. Presentational and descriptive ones only: no event
// handlers, no `srcdoc`, no `formaction`, no `xlink:href`.
const ALLOWED_ATTRIBUTES = [
  'abbr', 'accept', 'accept-charset', 'accesskey', 'action', 'align', 'alt', 'autocomplete', 'autofocus',
  'axis', 'background', 'balance', 'bgcolor', 'bgproperties', 'border', 'bordercolor', 'bordercolordark',
  'bordercolorlight', 'bottompadding', 'cellpadding', 'cellspacing', 'ch', 'challenge', 'char', 'charoff',
  'charset', 'checked', 'choff', 'cite', 'class', 'clear', 'color', 'cols', 'colspan', 'compact',
  'contenteditable', 'controls', 'coords', 'data', 'datafld', 'datapagesize', 'datasrc', 'datetime',
  'default', 'delay', 'dir', 'disabled', 'draggable', 'dynsrc', 'enctype', 'end', 'face', 'for', 'form',
  'frame', 'galleryimg', 'gutter', 'headers', 'height', 'hidden', 'hidefocus', 'high', 'href', 'hreflang',
  'hspace', 'icon', 'id', 'inputmode', 'ismap', 'keytype', 'label', 'lang', 'leftspacing', 'list',
  'longdesc', 'loop', 'loopcount', 'loopend', 'loopstart', 'low', 'lowsrc', 'max', 'maxlength', 'media',
  'method', 'min', 'multiple', 'name', 'nohref', 'noshade', 'nowrap', 'open', 'optimum', 'pattern', 'ping',
  'point-size', 'poster', 'pqg', 'preload', 'prompt', 'radiogroup', 'readonly', 'rel', 'rev',
  'repeat-max', 'repeat-min', 'replace', 'required', 'rightspacing', 'rows', 'rowspan', 'rules', 'scope',
  'selected', 'shape', 'size', 'sizes', 'span', 'src', 'srcset', 'start', 'step', 'style', 'summary',
  'suppress', 'tabindex', 'target', 'template', 'title', 'toppadding', 'type', 'unselectable', 'urn',
  'usemap', 'valign', 'value', 'variable', 'volume', 'vrml', 'vspace', 'width', 'wrap', 'xml:lang',
];

/** Attributes holding one URL: made absolute, then scheme-checked by sanitize-html. */
const URL_ATTRIBUTES = ['href', 'src', 'cite', 'action', 'background', 'dynsrc', 'lowsrc', 'longdesc',
  'poster', 'usemap', 'ping', 'data'];

const ALLOWED_SCHEMES = ['http', 'https', 'mailto', 'ftp', 'tel'];

// ---------------------------------------------------------------------------------------------
// Inline CSS: a property allowlist, plus the box shorthands whose every word is a plain keyword,
// colour or length. Anything that can load a resource or run code (url(), expression(), escapes,
// bindings) removes the declaration.

const CSS_PROPERTIES = new Set([
  'azimuth', 'background-color', 'border-bottom-color', 'border-collapse', 'border-color',
  'border-left-color', 'border-right-color', 'border-top-color', 'clear', 'color', 'cursor', 'direction',
  'display', 'elevation', 'float', 'font', 'font-family', 'font-size', 'font-style', 'font-variant',
  'font-weight', 'height', 'letter-spacing', 'line-height', 'overflow', 'pause', 'pause-after',
  'pause-before', 'pitch', 'pitch-range', 'richness', 'speak', 'speak-header', 'speak-numeral',
  'speak-punctuation', 'speech-rate', 'stress', 'text-align', 'text-decoration', 'text-indent',
  'unicode-bidi', 'vertical-align', 'voice-family', 'volume', 'white-space', 'width',
]);
const CSS_SHORTHAND_FAMILIES = new Set(['background', 'border', 'margin', 'padding']);
const CSS_KEYWORDS = new Set([
  'auto', 'aqua', 'black', 'block', 'blue', 'bold', 'both', 'bottom', 'brown', 'center', 'collapse', 'dashed',
  'dotted', 'fuchsia', 'gray', 'green', '!important', 'italic', 'left', 'lime', 'maroon', 'medium', 'none',
  'navy', 'normal', 'nowrap', 'olive', 'pointer', 'purple', 'red', 'right', 'solid', 'silver', 'teal', 'top',
  'transparent', 'underline', 'white', 'yellow',
]);
const CSS_VALUE_WORD = /^(#[0-9a-f]{3}|#[0-9a-f]{6}|rgb\(\s*\d+%?\s*,\s*\d+%?\s*,\s*\d+%?\s*\)|-?(\d{0,4}\.)?\d{1,4}(cm|em|ex|in|mm|pc|pt|px|%)?)$/i;
const CSS_DANGER = /url\s*\(|expression\s*\(|\\|javascript:|vbscript:|@import|behaviou?r\s*:|-moz-binding|<|>/i;
// A declaration whose value is ordinary words, numbers, colours and punctuation (no code).
const CSS_SAFE_VALUE = /^[\s\w#%.,'"!()\-+/]*$/;

/** Filters an inline style attribute; returns '' when nothing acceptable is left. */
export function filterStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon <= 0) continue;
    const property = declaration.slice(0, colon).trim();
    // The value is kept as written (trailing space included), so a clean style round-trips unchanged.
    const value = declaration.slice(colon + 1).replace(/^\s+/, '');
    if (!property || !value.trim() || !/^[a-z-]+$/i.test(property)) continue;
    if (CSS_DANGER.test(value) || !CSS_SAFE_VALUE.test(value)) continue;
    const name = property.toLowerCase();
    if (CSS_PROPERTIES.has(name)) {
      kept.push(`${property}: ${value};`);
      continue;
    }
    if (!CSS_SHORTHAND_FAMILIES.has(name.split('-')[0]!)) continue;
    const words = value.trim().split(/\s+(?![^(]*\))/);
    if (words.every((word) => CSS_KEYWORDS.has(word.toLowerCase()) || CSS_VALUE_WORD.test(word))) {
      kept.push(`${property}: ${value};`);
    }
  }
  return kept.join(' ');
}

/** Prefix of every id and name that comes from sanitized markup. */
export const FRAGMENT_PREFIX = 'nd-';

function prefixFragment(value: string): string {
  return value.startsWith(FRAGMENT_PREFIX) ? value : `${FRAGMENT_PREFIX}${value}`;
}

function absolutize(value: string, baseUrl: string | undefined): string {
  const trimmed = value.trim();
  if (!baseUrl || trimmed === '' || trimmed.startsWith('#')) return trimmed;
  try {
    return new URL(trimmed, baseUrl).href;
  } catch {
    return trimmed;
  }
}

function safeUrl(value: string): boolean {
  // The WHATWG parser drops tabs and newlines, so `java\tscript:` is seen as it would be by a browser.
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  return scheme === undefined || ALLOWED_SCHEMES.includes(scheme);
}

/** Reads srcset the way browsers do: a URL is a run of non-space characters, descriptors follow. */
function filterSrcset(value: string, baseUrl: string | undefined): string {
  const kept: string[] = [];
  let at = 0;
  while (at < value.length) {
    while (at < value.length && /[\s,]/.test(value[at]!)) at++;
    let end = at;
    while (end < value.length && !/\s/.test(value[end]!)) end++;
    if (end === at) break;
    let url = value.slice(at, end);
    let descriptor = '';
    at = end;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const comma = value.indexOf(',', at);
      const stop = comma === -1 ? value.length : comma;
      descriptor = value.slice(at, stop).trim();
      at = stop + 1;
    }
    const absolute = absolutize(url, baseUrl);
    if (safeUrl(absolute)) kept.push(descriptor ? `${absolute} ${descriptor}` : absolute);
  }
  return kept.join(', ');
}

// sanitize-html 2.17 reads options its type definitions (2.16) do not list yet.
type Options = sanitize.IOptions & { allowedEmptyAttributes: string[]; nonBooleanAttributes: string[] };

function buildOptions(baseUrl: string | undefined): Options {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { '*': ALLOWED_ATTRIBUTES },
    // Keep `<span title="">` as written; only event handlers and unknown attributes go.
    allowedEmptyAttributes: ALLOWED_ATTRIBUTES.filter((a) => a !== 'style' && a !== 'srcset'),
    nonBooleanAttributes: [],
    selfClosing: ['img', 'br', 'hr', 'area', 'col', 'command', 'keygen', 'source', 'track', 'wbr', 'input'],
    allowedSchemes: ALLOWED_SCHEMES,
    allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
    allowProtocolRelative: true,
    disallowedTagsMode: 'discard',
    // Their content is code or chrome, never article text. (The fallback content of a dropped
    // <object> or <iframe> is kept: it is ordinary markup and is sanitized like the rest.)
    nonTextTags: ['script', 'style', 'noscript', 'template', 'title', 'xmp', 'svg', 'math', 'head'],
    parseStyleAttributes: false,
    transformTags: {
      '*': (tagName, attribs) => {
        const out: Record<string, string> = {};
        for (const [name, raw] of Object.entries(attribs)) {
          const key = name.toLowerCase();
          if (key.startsWith('on')) continue;
          let value = raw;
          if (key === 'style') {
            value = filterStyle(raw);
            if (!value) continue;
          } else if ((key === 'id' || key === 'name') && raw.trim() !== '') {
            // Prefixed so that article markup cannot clobber the names the hosting page's scripts use
            // (an element with id="config" becomes window.config); in-page links are rewritten to match.
            value = prefixFragment(raw.trim());
          } else if ((key === 'href' || key === 'usemap') && /^#./.test(raw.trim())) {
            value = `#${prefixFragment(raw.trim().slice(1))}`;
          } else if (key === 'srcset') {
            value = filterSrcset(raw, baseUrl);
            if (!value) continue;
          } else if (URL_ATTRIBUTES.includes(key) && raw.trim() !== '') {
            value = absolutize(raw, baseUrl);
            if (!safeUrl(value)) {
              // A link keeps its text and becomes a link to nowhere; other URLs are dropped.
              if (key === 'href') out[name] = '';
              continue;
            }
          }
          out[name] = value;
        }
        if (tagName === 'a' && out.href) {
          out.rel = 'nofollow noopener';
          if (out.target && out.target !== '_blank') delete out.target;
        }
        return { tagName, attribs: out };
      },
    },
  };
}

const optionsByBase = new Map<string, Options>();

/** Sanitizes HTML through the allowlist; relative URLs are resolved against `baseUrl` when given. */
export function sanitizeHtml(html: string, baseUrl?: string): string {
  const key = baseUrl ?? '';
  let options = optionsByBase.get(key);
  if (!options) {
    options = buildOptions(baseUrl);
    // Bounded: one entry per page being processed at a time is all that is ever needed.
    if (optionsByBase.size > 64) optionsByBase.clear();
    optionsByBase.set(key, options);
  }
  return sanitize(html, options);
}
