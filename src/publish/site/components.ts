// Pieces of reader pages: story cards, bylines, topic chips, dates, highlighted snippets.
import { html, escapeHtml, SafeHtml } from './html.ts';
import type { SiteArticle, FrontStory } from '../../store/site.ts';
import { MARK_START, MARK_END } from '../../store/site.ts';
import { articleImageUrl, badgeColor, initials, localImageUrl } from './images.ts';

export interface TopicLinks {
  root: string;
  idByName: Map<string, string>;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!));
  return `${weekdays[date.getUTCDay()]} ${d} ${months[m! - 1]} ${y}`;
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return 'date unknown';
  const [day, time] = iso.split('T');
  const [y, m, d] = day!.split('-').map(Number);
  return `${d} ${months[m! - 1]} ${y}${time ? `, ${time.slice(0, 5)} UTC` : ''}`;
}

export function timeTag(iso: string | null): SafeHtml {
  if (!iso) return html`<span>date unknown</span>`;
  return html`<time datetime="${iso}" data-local>${formatDateTime(iso)}</time>`;
}

/** "1 result", "2 results": the count with the word in the number it needs. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Escaped text with search matches (between the store's markers) as <mark>. Markers are paired
 * here, whatever the text held, so a stray one never leaves a <mark> open.
 */
export function marked(text: string): SafeHtml {
  let open = false;
  let out = '';
  for (const part of text.split(/([\uE000\uE001])/u)) {
    if (part === MARK_START) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === MARK_END) {
      if (open) out += '</mark>';
      open = false;
    } else out += escapeHtml(part);
  }
  return new SafeHtml(open ? `${out}</mark>` : out);
}

export function providerBadge(article: Pick<SiteArticle, 'providerName' | 'providerDomain' | 'providerImages'>): SafeHtml {
  const logo = article.providerImages.map((i) => localImageUrl(i.url)).find((u) => u !== null);
  if (logo) return html`<span class="logo"><img src="${logo}" alt="" width="22" height="22"></span>`;
  // The colour is an SVG presentation attribute: the CSP forbids inline style attributes.
  return html`<span class="logo" aria-hidden="true"><svg width="22" height="22" viewBox="0 0 22 22"><rect width="22" height="22" rx="5" fill="${badgeColor(article.providerDomain)}"/><text x="11" y="15" font-size="9" font-weight="700" text-anchor="middle" fill="#fff" font-family="system-ui,sans-serif">${initials(article.providerName)}</text></svg></span>`;
}

export function topicChips(topics: string[], links: TopicLinks): SafeHtml {
  const shown = topics.filter((t) => t !== links.root && links.idByName.has(t));
  if (!shown.length) return html``;
  return html`<ul class="chips" aria-label="Topics">${shown.map((t) => html`<li><a href="/topic/${links.idByName.get(t)!}">${t}</a></li>`)}</ul>`;
}

export function byline(article: SiteArticle, extra?: SafeHtml): SafeHtml {
  return html`<p class="byline">${providerBadge(article)}<a href="/provider/${encodeURIComponent(article.providerDomain)}">${article.providerName}</a><span aria-hidden="true">·</span>${timeTag(article.publishedAt)}${extra ?? ''}</p>`;
}

function thumb(article: SiteArticle, eager: boolean): SafeHtml {
  // The picture illustrates the headline next to it: its own title when the publisher gave one,
  // else empty alt text so screen readers do not read the headline twice.
  const title = article.images[0]?.title ?? '';
  return html`<figure class="thumb"><img src="${articleImageUrl(article)}" alt="${title}" width="320" height="200"${eager ? '' : html` loading="lazy"`} decoding="async"></figure>`;
}

/** One story in a list: headline to the original, excerpt, byline, topics, other outlets folded. */
export function storyCard(story: FrontStory, links: TopicLinks, options: { lead?: boolean; index: number }): SafeHtml {
  const a = story.lead;
  const id = `s${a.id}`;
  const others = story.others;
  const storyLink = a.storyId !== null && others.length ? `/story/${a.storyId}` : null;
  return html`<article class="story${options.lead ? ' lead-story' : ''}" aria-labelledby="${id}">
<div class="body">
<h3 id="${id}"><a href="${a.webUrl}" rel="noopener noreferrer">${a.title}</a></h3>
${byline(a, html`${story.override === 'pin' ? html`<span aria-hidden="true">·</span><span class="pinned">Editor's pick</span>` : ''}${storyLink ? html`<span aria-hidden="true">·</span><a href="${storyLink}">Full coverage (${others.length + 1} outlets)</a>` : ''}`)}
<p class="excerpt">${a.excerpt}</p>
${topicChips(a.topics, links)}
${
  others.length
    ? html`<details class="more"><summary>${others.length} more from ${others.length === 1 ? 'another outlet' : 'other outlets'}</summary><ul>${others.map(
        (o) => html`<li><a href="${o.webUrl}" rel="noopener noreferrer">${o.title}</a> <span class="coverage-provider">${o.providerName}</span></li>`,
      )}</ul></details>`
    : ''
}
</div>
${thumb(a, options.index < 3)}
</article>`;
}

/** One article in a list; `storyPage` says whether its story has a page to link to (search finds outlets of stories readers cannot open). */
export function articleCard(article: SiteArticle, links: TopicLinks, index: number, snippet?: SafeHtml, title?: SafeHtml, storyPage = article.storyId !== null): SafeHtml {
  const id = `a${article.id}`;
  return html`<article class="story" aria-labelledby="${id}">
<div class="body">
<h3 id="${id}"><a href="${article.webUrl}" rel="noopener noreferrer">${title ?? article.title}</a></h3>
${byline(article, html`${storyPage && article.storyId !== null ? html`<span aria-hidden="true">·</span><a href="/story/${article.storyId}">Coverage</a>` : ''}${article.published === false ? html`<span aria-hidden="true">·</span><span class="count">not on the front page</span>` : ''}`)}
<p class="excerpt">${snippet ?? article.excerpt}</p>
${topicChips(article.topics, links)}
</div>
${thumb(article, index < 3)}
</article>`;
}

export function pager(base: string, page: number, hasMore: boolean, extraQuery = ''): SafeHtml {
  if (page <= 1 && !hasMore) return html``;
  const href = (p: number) => `${base}?${extraQuery ? `${extraQuery}&` : ''}page=${p}`;
  return html`<nav class="pager" aria-label="Pages">${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">← Newer</a>` : html`<span></span>`}${hasMore ? html`<a href="${href(page + 1)}" rel="next">Older →</a>` : ''}</nav>`;
}
