// The page shell shared by the reader site and the desk: landmarks, skip link, feed links,
// static CSS and JS (no inline script or style, so the CSP can forbid both).
import { html, type SafeHtml } from './html.ts';
import { assets } from './assets.ts';

export interface FeedLink {
  title: string;
  href: string;
  type: 'application/json' | 'application/atom+xml' | 'application/rss+xml' | 'application/feed+json';
}

/** The site-wide feeds (served by src/publish/feeds-out and the top-stories feed of the site). */
export function siteFeeds(siteName: string): FeedLink[] {
  return [
    { title: `${siteName}: all news (RSS)`, href: '/feeds/news.rss', type: 'application/rss+xml' },
    { title: `${siteName}: all news (Atom)`, href: '/feeds/news.atom', type: 'application/atom+xml' },
    { title: `${siteName}: all news (JSON Feed)`, href: '/feeds/news.json', type: 'application/feed+json' },
    { title: `${siteName}: top stories (Atom)`, href: '/feed.atom', type: 'application/atom+xml' },
  ];
}

/** The feeds of one slice of the site: a topic, a provider or a search. */
export function sliceFeeds(siteName: string, label: string, base: string, query = ''): FeedLink[] {
  return [
    { title: `${siteName}: ${label} (RSS)`, href: `${base}.rss${query}`, type: 'application/rss+xml' },
    { title: `${siteName}: ${label} (Atom)`, href: `${base}.atom${query}`, type: 'application/atom+xml' },
    { title: `${siteName}: ${label} (JSON Feed)`, href: `${base}.json${query}`, type: 'application/feed+json' },
  ];
}

export interface PageOptions {
  siteName: string;
  title: string;
  description?: string;
  /** Which nav entry is current: '/', '/topics', '/archive', '/providers', '/search', '/desk'. */
  current?: string;
  feeds?: FeedLink[];
  body: SafeHtml;
  demo?: boolean;
  /** Desk pages: a second nav and the editor's name. */
  desk?: { editor: string | null; csrf: string | null; current: string };
  noindex?: boolean;
}

const readerNav: Array<[string, string]> = [
  ['/', 'Top stories'],
  ['/latest', 'Latest'],
  ['/topics', 'Topics'],
  ['/providers', 'Sources'],
  ['/archive', 'Archive'],
];

const deskNav: Array<[string, string]> = [
  ['/desk', 'Review'],
  ['/desk/sources', 'Sources'],
  ['/desk/taxonomy', 'Taxonomy'],
  ['/desk/organizations', 'Organizations'],
  ['/desk/activity', 'Activity'],
];

function nav(entries: Array<[string, string]>, current: string | undefined, label: string): SafeHtml {
  return html`<nav class="site-nav" aria-label="${label}">${entries.map(
    ([href, text]) => html`<a href="${href}"${current === href ? html` aria-current="page"` : ''}>${text}</a>`,
  )}</nav>`;
}

export function renderPage(options: PageOptions): string {
  const feeds = options.feeds ?? siteFeeds(options.siteName);
  const title = options.title === options.siteName ? options.siteName : `${options.title} · ${options.siteName}`;
  const desk = options.desk;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ''}
${options.noindex ? html`<meta name="robots" content="noindex">` : ''}
<meta name="color-scheme" content="light dark">
<link rel="icon" href="${assets.icon.path}" type="image/svg+xml">
<link rel="stylesheet" href="${assets.css.path}">
${feeds.map((f) => html`<link rel="alternate" type="${f.type}" title="${f.title}" href="${f.href}">\n`)}
<link rel="outline" type="text/x-opml" title="${options.siteName}: every feed (OPML)" href="/feeds.opml">
<script src="${assets.js.path}" defer></script>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="masthead" role="banner">
<div class="wrap">
<div class="brand-row"><a class="brand" href="${desk ? '/desk' : '/'}">${options.siteName}${desk ? html`<span> desk</span>` : ''}</a><button class="theme-toggle" type="button" hidden>Dark theme</button></div>
${desk ? nav(deskNav, desk.current, 'Desk') : nav(readerNav, options.current, 'Sections')}
${
  desk
    ? desk.editor
      ? html`<form method="post" action="/desk/logout"><input type="hidden" name="csrf" value="${desk.csrf ?? ''}"><span class="count">${desk.editor}</span> <a href="/">Site</a> <button class="secondary" type="submit">Log out</button></form>`
      : ''
    : html`<form role="search" method="get" action="/search"><label class="visually-hidden" for="q-top">Search news</label><input id="q-top" type="search" name="q" placeholder="Search news" autocomplete="off"><button type="submit" class="secondary">Search</button></form>`
}
</div>
</header>
<main id="content" class="wrap" tabindex="-1">
${options.demo && !desk ? html`<p class="notice" role="note">Demo mode: sources are replayed from the offline archive in <code>demo/</code>, not fetched from the web.</p>` : ''}
${options.body}
</main>
<footer class="site-footer" role="contentinfo">
<div class="wrap">
<span>${options.siteName}, curated by newsdesk</span>
<a href="/api/news/">JSON API</a>
<a href="/feeds/news.rss">RSS</a>
<a href="/feeds/news.atom">Atom</a>
<a href="/feed.atom">Top stories feed</a>
<a href="/search">Search</a>
<a href="/desk">Editor's desk</a>
<span class="keys">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous story, <kbd>o</kbd> open, <kbd>/</kbd> search</span>
</div>
</footer>
</body>
</html>
`.value;
}
