// Boilerplate removal around Readability.js. Two passes, both general (no site rules):
//  - before: elements whose role, tag or class/id names say they are not the story (share bars,
//    newsletter boxes, cookie and paywall notices, comment threads, related-link rails, captions);
//  - after: blocks of the chosen article that read as boilerplate: caption and credit lines, date and
//    byline lines, "Read more"/"Related" prompts, link lists, and runs of short link-heavy blocks at
//    the edges of the article (navigation above it, recommendations below it).
import { flatText } from './content-text.ts';
import { allDescendants, descendantsByTag, firstByTag, hasTag, tagOf, tagSet } from './dom-walk.ts';

const H1 = tagSet('h1');
const P = tagSet('p');
const A = tagSet('a');
const NOSCRIPT_OR_RUBY = tagSet('noscript', 'rt', 'rp');
const EMPTIABLE = tagSet('div', 'section', 'ul', 'ol', 'figure');
const MEDIA = tagSet('img', 'video', 'iframe', 'picture');

/** Tokens of class/id names that mark non-story blocks. Matched as whole tokens of a name split on - and _. */
const BOILERPLATE_TOKENS = new Set([
  'share', 'sharing', 'shares', 'social', 'socials', 'sharebar', 'sharetools', 'sociallinks', 'addthis', 'sharethis',
  'newsletter', 'newsletters', 'signup', 'subscribe', 'subscription', 'optin', 'nlsignup',
  'related', 'recommended', 'recommendations', 'recirculation', 'recirc', 'outbrain', 'taboola', 'morestories',
  'comments', 'comment', 'commentlist', 'disqus', 'respond', 'discussion',
  'cookie', 'cookies', 'consent', 'gdpr', 'paywall', 'regwall', 'meter', 'piano',
  'advert', 'advertisement', 'ads', 'ad', 'adslot', 'adunit', 'dfp', 'sponsored', 'promo', 'promotion',
  'breadcrumb', 'breadcrumbs', 'pagination', 'pager', 'tags', 'tagcloud', 'taglist', 'categories',
  'caption', 'captions', 'credit', 'credits', 'figcaption', 'copyright',
  'byline', 'bylines', 'dateline', 'timestamp', 'author', 'authors', 'bio', 'authorbio', 'about-author',
  'sidebar', 'popup', 'modal', 'overlay', 'toolbar', 'masthead', 'footer', 'skiplink',
  'toc', 'tableofcontents', 'postmetadata', 'calendar', 'placeholder',
]);

/** Names containing these are story containers even when another token matches ("article-body-share" is not). */
const STORY_TOKENS = /(?:^|[-_\s])(?:article|story|post|entry|content|body|text|main)(?:[-_\s]|$)/i;

const DROP_ROLES = new Set(['navigation', 'complementary', 'banner', 'contentinfo', 'dialog', 'alertdialog', 'search', 'menu', 'menubar']);
const DROP_TAGS = ['nav', 'aside', 'footer', 'figcaption', 'button', 'select', 'textarea', 'input', 'dialog'];

function nameTokens(element: Element): string[] {
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`.toLowerCase();
  if (!names.trim()) return [];
  return names.split(/[\s_-]+/).filter(Boolean);
}

function looksLikeBoilerplateContainer(element: Element, tokens: string[]): boolean {
  if (tokens.length === 0) return false;
  // Names split inside a word count too: "news-letter", "share-bar", "table-of-contents".
  const named = tokens.some((token, i) => BOILERPLATE_TOKENS.has(token)
    || (i + 1 < tokens.length && (BOILERPLATE_TOKENS.has(token + tokens[i + 1]) || (i + 2 < tokens.length && BOILERPLATE_TOKENS.has(token + tokens[i + 1] + tokens[i + 2])))));
  if (!named) return false;
  // A container that names itself as the story and carries a lot of text is kept: its boilerplate
  // children are removed on their own.
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  if (STORY_TOKENS.test(names) && flatText(element).length > 1500) return false;
  return true;
}

/**
 * Removes non-story elements from the page before Readability scores it. `protect` elements (the
 * byline Readability should still find) are detached only after Readability read them, so they are
 * returned instead of removed.
 */
export function removeBoilerplateElements(document: Document, knownPageLength?: number): void {
  const body = document.body;
  if (!body) return;
  const pageLength = knownPageLength ?? flatText(body).length;
  // One walk sorts the page's elements into the passes below; each pass still sees only elements
  // that earlier passes left attached, as a fresh query per pass would.
  const elements = allDescendants(body);
  const byDropTag = new Map<string, Element[]>(DROP_TAGS.map((tag) => [tag, []]));
  const forms: Element[] = [];
  const withRole: Element[] = [];
  const dialogs: Element[] = [];
  const hidden: Element[] = [];
  const named: Element[] = [];
  for (const el of elements) {
    const tag = tagOf(el);
    byDropTag.get(tag)?.push(el);
    if (tag === 'form') forms.push(el);
    // The remaining passes select by attribute, but for <dialog>.
    if (!el.hasAttributes()) {
      if (tag === 'dialog') dialogs.push(el);
      continue;
    }
    const role = el.getAttribute('role');
    if (role !== null) withRole.push(el);
    if (isDialog(el, tag, role)) dialogs.push(el);
    const style = el.getAttribute('style');
    if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true' || (style !== null && (style.includes('display:none') || style.includes('display: none')))) hidden.push(el);
    if (el.hasAttribute('class') || el.hasAttribute('id')) named.push(el);
  }
  // Whatever holds a large share of the page's text is a layout wrapper (ASP.NET pages wrap the
  // whole page in a <form>, some themes name their main column "sidebar-layout"), never boilerplate.
  const protectedElements = bylineAndAncestors(body, elements);
  // The element holding the page's <h1> is the story's wrapper whatever its class names say
  // ("post-wrap has-sidebar-right").
  const paragraphLength = (paragraphs: Element[]) => {
    let total = 0;
    for (const p of paragraphs) {
      const length = flatText(p).length;
      if (length > 80) total += length;
    }
    return total;
  };
  const pageParagraphs = paragraphLength(elements.filter((el) => tagOf(el) === 'p'));
  const removable = (el: Element) =>
    !protectedElements.has(el) && flatText(el).length < Math.max(600, pageLength * 0.3) && !firstByTag(el, H1) &&
    (pageParagraphs === 0 || paragraphLength(descendantsByTag(el, P)) < pageParagraphs * 0.5);
  // Story containers on some platforms carry widget-ish names ("widget Blog"); several paragraphs of
  // prose say story, except in comment threads, which are prose too.
  const holdsProse = (el: Element) => {
    let long = 0;
    for (const p of descendantsByTag(el, P)) if (flatText(p).length > 200 && ++long >= 3) return true;
    return false;
  };
  const isCommentThread = (el: Element) => nameTokens(el).some((t) => t.startsWith('comment') || t === 'disqus' || t === 'respond' || t === 'discussion');
  for (const tag of DROP_TAGS) for (const el of byDropTag.get(tag) ?? []) {
    if (el.isConnected && removable(el)) el.remove();
  }
  // Forms are sign-up, log-in and search boxes, except where a CMS wraps the whole content in one.
  for (const el of forms) {
    if (el.isConnected && removable(el) && (flatText(el).length < 300 || el.querySelector('input[type="email"], input[type="password"], input[type="search"]'))) el.remove();
  }
  for (const el of withRole) {
    if (el.isConnected && DROP_ROLES.has((el.getAttribute('role') ?? '').toLowerCase()) && removable(el)) el.remove();
  }
  // A dialog is a pop-up over the page whatever it holds (a second article opened on click, a
  // sign-up form); only one holding the page's headline is taken for the page itself.
  for (const el of dialogs) {
    if (el.isConnected && !protectedElements.has(el) && !firstByTag(el, H1)) el.remove();
  }
  for (const el of hidden) {
    if (el.isConnected && removable(el)) el.remove();
  }
  for (const el of named) {
    if (!el.isConnected) continue;
    // Author elements carry the byline that Readability reports; they are dropped from the text later.
    const tokens = nameTokens(el);
    if (isAuthorBio(el, tokens) && removable(el)) {
      el.remove();
      continue;
    }
    if (tokens.some((t) => t === 'byline' || t === 'author' || t === 'authors' || t === 'bylines')) continue;
    if (looksLikeBoilerplateContainer(el, tokens) && removable(el) && (isCommentThread(el) || !holdsProse(el))) el.remove();
  }
}

/**
 * The part of the pre-pass that holds even where the story container carries a boilerplate-like
 * name (the second reading of a page): about-the-author boxes and dialogs are never the story.
 */
export function removeAuthorBoxesAndDialogs(document: Document): void {
  const body = document.body;
  if (!body) return;
  const elements = allDescendants(body);
  // Dialogs go first, all of them: a bio box is measured without the pop-ups inside it.
  for (const el of elements) {
    if (el.isConnected && isDialog(el, tagOf(el), el.getAttribute('role')) && !firstByTag(el, H1)) el.remove();
  }
  for (const el of elements) {
    if (el.isConnected && (el.hasAttribute('class') || el.hasAttribute('id')) && isAuthorBio(el, nameTokens(el))) el.remove();
  }
}

/** A pop-up over the page: `<dialog>`, a dialog role, or `aria-modal`. */
function isDialog(el: Element, tag: string, role: string | null): boolean {
  return tag === 'dialog' || role === 'dialog' || role === 'alertdialog' || el.getAttribute('aria-modal') === 'true';
}

const AUTHOR_TOKENS = new Set(['author', 'authors', 'autor', 'autoren', 'auteur', 'writer']);
const BIO_TOKENS = new Set(['bio', 'biography', 'box', 'info', 'description', 'desc', 'about', 'profile', 'card', 'details']);

/**
 * An "about the author" box: named for the author and for a bio/box/profile, longer than a byline
 * (which is kept for Readability to report) and short of an article. Joined names count too
 * ("authorbio", "author-box-wrap").
 */
function isAuthorBio(el: Element, tokens: string[]): boolean {
  const joined = tokens.join('');
  const namesAuthor = tokens.some((t) => AUTHOR_TOKENS.has(t)) || /(?:author|autor)(?:bio|box|info|desc|profile)/.test(joined);
  if (!namesAuthor) return false;
  if (!tokens.some((t) => BIO_TOKENS.has(t)) && !/(?:author|autor)(?:bio|box|info|desc|profile)|(?:about|bio)(?:the)?(?:author|autor)/.test(joined)) return false;
  const length = flatText(el).length;
  if (length < 80 || length > 1500) return false;
  return !firstByTag(el, H1) && descendantsByTag(el, P).length <= 4;
}

/**
 * Pages rendered by script often carry the story a second time inside <noscript> for clients
 * without it; Readability drops every <noscript>, and with it the only copy of the text in the DOM.
 * A <noscript> holding prose becomes an ordinary block.
 */
function unwrapNoscripts(document: Document, noscripts: Element[]): void {
  for (const el of noscripts) {
    if (flatText(el).length < 300 || descendantsByTag(el, P).length < 2) continue;
    const block = document.createElement('div');
    while (el.firstChild) block.appendChild(el.firstChild);
    el.replaceWith(block);
  }
}

/**
 * Prose-holding <noscript> blocks unwrapped (`unwrapNoscripts`) and ruby annotations dropped, from
 * one walk of the page. Ruby annotations (<rt> readings and <rp> fallback parentheses over East Asian
 * text) are glosses rendered above the line, not part of the running text: kept, they split every annotated word. Returns how many
 * annotations were dropped (unwrapping keeps the page text as it is; dropping changes it).
 */
export function unwrapNoscriptAndDropRuby(document: Document): number {
  if (!document.body) return 0;
  const noscripts: Element[] = [];
  const annotations: Element[] = [];
  for (const el of descendantsByTag(document.body, NOSCRIPT_OR_RUBY)) (tagOf(el) === 'noscript' ? noscripts : annotations).push(el);
  // Unwrapping moves the annotations inside a <noscript> along with it; they are removed all the same.
  unwrapNoscripts(document, noscripts);
  for (const el of annotations) el.remove();
  return annotations.length;
}

/**
 * The first element that states the byline (as Readability.js recognises one: rel=author,
 * itemprop=author, or an author/byline class), with its ancestors: the byline must survive the
 * pre-pass so that it can be reported, even when its wrapper looks like page furniture.
 */
function bylineAndAncestors(body: Element, elements: Element[]): Set<Element> {
  const kept = new Set<Element>();
  for (const el of elements) {
    if (!el.hasAttributes()) continue;
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    const itemprop = el.getAttribute('itemprop') ?? '';
    if (el.getAttribute('rel') !== 'author' && !itemprop.includes('author') && !/byline|author|dateline|writtenby|p-author/i.test(names)) continue;
    const length = (el.textContent ?? '').trim().length;
    if (length === 0 || length >= 100) continue;
    for (let node: Element | null = el; node && node !== body; node = node.parentElement) kept.add(node);
    break;
  }
  return kept;
}

const PROMPT_LINE = new RegExp(
  '^(?:' + [
    'read (?:more|next|also|the full)', 'see (?:more|also)', 'also (?:read|see)', 'more(?: stories| news| from| on)?\\s*:', 'related(?: articles| stories| coverage| content)?\\s*:?',
    "don't miss", 'do not miss', 'recommended(?: for you| stories| articles| reading)?\\s*:?$', 'continue reading', 'advertisement', 'sponsored', 'click here', 'sign up', 'subscribe',
    'follow (?:us|@|\\w+ on)', 'share (?:this|on|via)', 'image (?:copyright|caption|source)', 'photo(?:graph)?s?\\s*:', 'credit\\s*:', 'source\\s*:',
    'pictured\\s*:', 'caption\\s*:?$', 'close$', 'image \\d+ of', 'next article', 'previous article', '(?:top stories|latest news|trending(?: now)?)\\s*:?$',
    'download (?:the|our) (?:app|free)', 'watch:', 'video:',
    'copyright\\b', '©', '\\(c\\) ?\\d{4}', 'all rights reserved', 'alle rechte vorbehalten', 'tous droits réservés', 'impressum', 'datenschutz', 'privacy policy', 'terms of (?:use|service)',
    'tags?\\s*:', 'schlagwörter', 'kategorien?\\s*:', 'categories\\s*:', 'filed under', '(?:teilen|drucken|print|e-?mail)(?: this)?(?: article| story| page| artikel)?\\s*:?$', '(?:\\d+ )?(?:kommentare?|comments?)\\s*(?:\\(\\d+\\)|:)?$', 'leave a (?:comment|reply)',
    '(?:das |dies |diese )?(?:thema |themen |artikel )?(?:könnte|dürfte|könnten|dürften) (?:dich|sie|euch) auch interessieren', 'this entry was posted', 'bookmark the permalink',
    'dieser (?:eintrag|beitrag|artikel) wurde (?:am \\S+ )?(?:veröffentlicht|geschrieben|erstellt)',
    '(?:show|view|read) (?:more|less|all)$', '\\S+ (?:anzeigen|ausblenden|einblenden|aufklappen|zuklappen)$', '(?:afficher|voir) (?:plus|moins)$', '(?:ver|mostrar) (?:más|menos)$', 'weitere (?:beiträge|artikel|themen|nachrichten|tipps|tourentipps)',
    'entdecke(?:n sie)? (?:weitere|jetzt|mehr)', 'zum weiterlesen', 'vorschau auf den nächsten artikel', 'war (?:der|dieser) (?:artikel|beitrag) (?:hilfreich|nützlich)',
    'möchten sie (?:den|diesen) (?:artikel|beitrag) teilen', 'sie sind (?:aktuell |derzeit )?nicht (?:eingeloggt|angemeldet)', 'keine kommentare', 'kommentieren$',
    'you (?:may|might) also like', 'we want to hear what you think', 'veja também', 'valora esta noticia', 'vous aimerez aussi', 'sur le même sujet',
    'weiterlesen', 'mehr zum thema', 'lesen sie (?:auch|mehr)', 'auch interessant', 'anzeige', 'werbung', 'lire aussi', 'à lire aussi', 'leer más', 'lee también', 'leia (?:mais|também)',
    'quelle\\s*:', 'quellen(?:angaben)?\\s*:?$', 'alle angaben ohne gewähr', 'fuente\\s*:', 'mire\\s*:', 'lea (?:también|además)', 'te (?:puede|podría) interesar',
  ].join('|') + ')',
  'i',
);

/** A caption or picture credit: ends (or starts) with an agency/credit marker. */
const CAPTION_LINE = /(?:\((?:image|photo|picture|pic|credit|foto|bild)s?\s*:[^)]*\)\s*$)|(?:^(?:photo(?:graph)?|image|picture|illustration)s? (?:by|courtesy)\b)|(?:^abbildung\s*\d*\s*:)|(?:\b(?:photo|foto|bild|image)\s*:\s*[\p{L}\p{N} .,'&\/-]{0,60}$)|(?:\/\s*(?:getty images|reuters|afp|ap|epa|dpa|imago(?: images)?|shutterstock|istock(?:photo)?)\s*\)?$)|(?:^(?:file )?photo\s*:)|(?:\b(?:reuters|afp|getty images|ap photo|epa|shutterstock|istock)\s*\/\s*[\w .'-]+\)?\s*$)|(?:\((?:ap|afp|reuters|getty)(?: photo)?\/[^)]*\)\s*$)|(?:^\(?(?:image|photo|bild|foto)\s*(?:credit)?\s*:?\s*©)|(?:^credit\s*:)|(?:\bcredit\s*:\s*[\w .,'&/-]+$)/iu;

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre)';
const DATE_PATTERN = new RegExp(`(?:\\b\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}\\b)|(?:\\b\\d{4}-\\d{2}-\\d{2}\\b)|(?:\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})|(?:\\b\\d{1,2}\\.?\\s+${MONTH}\\.?,?\\s+\\d{4})|(?:\\b\\d{1,2}:\\d{2}\\s*(?:am|pm)?\\b)|(?:\\b\\d+ (?:minutes?|hours?|days?) ago\\b)`, 'i');

/** Subscription walls and reprint notices inside the article element. */
const NOTICE_LINE = /\b(?:to (?:view|read) the (?:full|whole|rest of the) (?:story|article)|(?:must|need to) (?:be )?(?:log(?:ged)? ?in|sign(?:ed)? ?in|register(?:ed)?) to (?:comment|post|reply|join)|(?:einloggen|angemeldet sein|eingeloggt sein),? um|kommentieren zu können|already (?:a )?(?:subscriber|member)|subscribe (?:now |today )?to (?:continue|keep|read|unlock)|log in for (?:immediate )?access|copyrighted property of|written permission (?:must|is required)|may not be (?:re)?published|reproduction (?:in whole or in part )?(?:is )?(?:strictly )?prohibited)\b/i;

/** A paragraph addressed to the reader on the publisher's behalf: subscribe, join, follow, advertise, support. */
const CALL_TO_ACTION = new RegExp([
  '\\b(?:subscribe (?:to|now|today|here)|sign up (?:for|to|now|here)|join (?:now|us|our|the)|become a (?:member|subscriber|supporter)|support (?:us|our (?:work|journalism))|advertise with|subscribers (?:also |will )?(?:get|receive)|our (?:free )?newsletter|follow us on|(?:telegram|whatsapp|youtube) channel)\\b',
  '\\b(?:abonnieren sie|jetzt (?:abonnieren|anmelden|registrieren)|unser(?:en)? newsletter|folgen sie uns|unterstützen sie uns)\\b',
  '(?:suscr[ií]b(?:e|ete|irse|ase)|únete|apóyanos|síguenos|nuestr[oa] (?:canal|newsletter|boletín)|canal de (?:telegram|whatsapp|youtube))',
  '(?:abonnez-vous|inscrivez-vous|suivez-nous|soutenez-nous|notre newsletter)',
  '(?:assine (?:a|o|já)|inscreva-se|siga-nos)',
  '(?:zapraszamy (?:też |także )?do (?:subskrypcji|prenumeraty)|subskrybuj)',
].join('|'), 'iu');

const BYLINE_LINE = /^(?:by|von|par|por|di|door|text|written by|words by|story by|reporting by)\b[\s:]+\S/i;

export interface BlockFacts {
  text: string;
  words: number;
  linkDensity: number;
}

function countWords(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

function facts(element: Element): BlockFacts {
  const text = flatText(element);
  let linkChars = 0;
  for (const a of descendantsByTag(element, A)) linkChars += flatText(a).length;
  if (element.tagName === 'A') linkChars = text.length;
  return { text, words: countWords(text), linkDensity: text.length ? Math.min(1, linkChars / text.length) : 0 };
}

/** Whether a short block reads as page furniture rather than story text. */
export function isBoilerplateLine(text: string, words: number, context: { title: string | null; byline: string | null }): boolean {
  if (!text) return true;
  if (/^[\p{P}\p{S}\s]+$/u.test(text)) return true;
  if (words <= 25 && PROMPT_LINE.test(text)) return true;
  if (words <= 60 && CAPTION_LINE.test(text)) return true;
  if (words <= 40 && NOTICE_LINE.test(text)) return true;
  // "Published 14 March 2024", "Updated 3:27 am", "Posted by admin": a label and a date or a name.
  if (/^(?:published|updated|posted|last (?:updated|modified)|veröffentlicht|aktualisiert|publié|mis à jour)\b/i.test(text) && (words <= 6 || (words <= 14 && DATE_PATTERN.test(text)))) return true;
  if (words <= 14 && DATE_PATTERN.test(text)) {
    // A date line is mostly date: strip the date and the usual labels and little must remain.
    const rest = text.replace(DATE_PATTERN, ' ').replace(new RegExp(MONTH, 'gi'), ' ').replace(/\b(?:published|updated|posted|last|modified|on|at|am|pm|[a-z]{2,4}t|utc|gmt|\d+|mon|tue|wed|thu|fri|sat|sun)\w*\b/gi, ' ');
    if (countWords(rest) <= 4) return true;
  }
  if (words <= 12 && BYLINE_LINE.test(text)) return true;
  if (context.byline && words <= 15 && text.replace(/\s+/g, ' ').includes(context.byline)) return true;
  if (context.title && words <= 40 && normalizeForCompare(text) === normalizeForCompare(context.title)) return true;
  if (words <= 3 && /^https?:\/\/\S+$/.test(text)) return true;
  return false;
}

function normalizeForCompare(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const LEAF_BLOCKS = tagSet('p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'figure', 'table', 'dd', 'dt');
const CONTAINER_BLOCKS = tagSet('div', 'section', 'article', 'ul', 'ol', 'dl', 'header', 'main');

/** The innermost block elements of the article, in document order; their text partitions the article. */
function leafBlocks(root: Element): Element[] {
  const out: Element[] = [];
  const visit = (el: Element) => {
    const children = Array.from(el.children);
    const hasBlockChild = children.some((c) => hasTag(c, LEAF_BLOCKS) || hasTag(c, CONTAINER_BLOCKS));
    const tag = el.tagName;
    if ((tag === 'UL' || tag === 'OL') && children.length > 0) {
      out.push(el);
      return;
    }
    if (tag === 'TABLE' || tag === 'PRE' || tag === 'FIGURE' || tag === 'BLOCKQUOTE') {
      out.push(el);
      return;
    }
    if (!hasBlockChild) {
      if (el !== root) out.push(el);
      return;
    }
    // Text sitting directly in a container next to block children is a block of its own.
    for (const child of children) visit(child);
  };
  visit(root);
  return out;
}

/** A paragraph of prose: long enough, or a full sentence, and not mostly links. */
function isProse(b: BlockFacts): boolean {
  if (b.linkDensity >= 0.35) return false;
  if (b.words >= 20) return true;
  return (b.words >= 7 && /[.!?…"”»'’)]$/u.test(b.text)) || (b.words >= 5 && /:$/.test(b.text));
}

/** Lines shorter than this before the story's first paragraph are taken for page furniture. */
const LEADING_SHORT_WORDS = 8;

export interface CleanContext {
  title: string | null;
  byline: string | null;
}

/** Removes boilerplate blocks from Readability's article element, in place. */
export function cleanArticleElement(article: Element, context: CleanContext): void {
  const blocks = leafBlocks(article);
  const info = blocks.map((el) => ({ el, ...facts(el) }));
  const isList = (el: Element) => el.tagName === 'UL' || el.tagName === 'OL';

  // Good blocks anchor the story: a real paragraph of prose.
  const good = info.map((b) => isProse(b) && !isList(b.el) && !isBoilerplateLine(b.text, b.words, context));
  const trailing = new Set<number>();
  // The closing paragraphs that address the reader (subscribe, join our channel, advertise with
  // us) are the publisher's call to action, not the story.
  for (let i = info.length - 1; i >= 0; i--) {
    const b = info[i];
    if (!b.text || /^H[1-6]$/.test(b.el.tagName) || isBoilerplateLine(b.text, b.words, context)) continue;
    if (b.words > 80 || !CALL_TO_ACTION.test(b.text)) break;
    good[i] = false;
    trailing.add(i);
  }
  const first = good.indexOf(true);
  const last = good.lastIndexOf(true);
  if (first < 0) return;

  const isHeading = (el: Element) => /^H[1-6]$/.test(el.tagName);
  const drop = info.map((b, i) => {
    const el = b.el;
    if (trailing.has(i)) return true;
    if (good[i] || isHeading(el)) return false;
    if (isBoilerplateLine(b.text, b.words, context)) return true;
    if (isList(el) && b.linkDensity > 0.5) return true;
    if (b.linkDensity > 0.6 && b.words < 40) return true;
    // Before the first paragraph of prose: navigation, kickers, date and share lines.
    if (i < first && b.words < LEADING_SHORT_WORDS) return true;
    // After the last one: "More stories", author boxes, tag lists.
    if (i > last && b.words < 20 && !isProse(b)) return true;
    return false;
  });
  // A heading is furniture when boilerplate or when nothing it introduces is kept ("Related posts").
  info.forEach((b, i) => {
    if (!isHeading(b.el)) return;
    if (isBoilerplateLine(b.text, b.words, { ...context, title: null })) drop[i] = true;
    else if (i > last) {
      let next = i + 1;
      while (next < info.length && isHeading(info[next].el)) next++;
      drop[i] = next >= info.length || drop[next];
    }
  });
  info.forEach((b, i) => { if (drop[i]) b.el.remove(); });

  // Containers emptied by the removals would leave stray whitespace blocks.
  for (const el of descendantsByTag(article, EMPTIABLE)) {
    if (!flatText(el) && !firstByTag(el, MEDIA)) el.remove();
  }
}
