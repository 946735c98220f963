// The reader-facing site: front page, latest, topics, story, provider, archive, search, Atom feeds.
// Server-rendered HTML that works without JavaScript; site.js only enhances.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { html, escapeHtml, type SafeHtml } from './html.ts';
import { renderPage, sliceFeeds } from './layout.ts';
import { articleCard, byline, formatDay, marked, pager, plural, storyCard, timeTag, topicChips, type TopicLinks } from './components.ts';
import { siteContext, type SiteContext } from './context.ts';
import { registerAssets } from './assets.ts';
import { registerImageRoutes, articleImageUrl } from './images.ts';
import { topicById } from '../../curate/topics/taxonomy.ts';
import type { FrontStory, SiteArticle } from '../../store/site.ts';
import { resolveStory } from '../../store/stories.ts';
import { idOf, pageNumber, parseDay } from '../params.ts';
import { publicBaseUrl } from '../base-url.ts';

const PER_PAGE = 20;
// Query and path parameters were checked at the edge (../params.ts); these parse them.
const pageParam = pageNumber;

// Browsers revalidate every time, so an editor's decision shows on the next load; a shared cache
// in front may keep a page for `sharedSeconds`.
function sendHtml(reply: FastifyReply, body: string, status = 200, sharedSeconds = 30): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', status === 200 ? `public, max-age=0, must-revalidate, s-maxage=${sharedSeconds}` : 'no-store')
    .type('text/html; charset=utf-8')
    .send(body);
}

/** The reader site's 404 page, for its own routes and for any address a browser asks that names nothing. */
export function notFoundPage(desk: Desk, reply: FastifyReply, what: string): FastifyReply {
  const body = html`<h1 class="page-title">Not found</h1><p class="page-intro">${what} could not be found.</p><p><a href="/">Back to the top stories</a> · <a href="/search">Search</a></p>`;
  return sendHtml(reply, renderPage({ siteName: desk.config.siteName, title: 'Not found', body, noindex: true }), 404);
}

function notFound(ctx: SiteContext, reply: FastifyReply, what: string): FastifyReply {
  return notFoundPage(ctx.desk, reply, what);
}

/**
 * The story's first topic above its headline. Only topics of the taxonomy: records imported from
 * elsewhere carry free-form tags (often the author's name), which are no topic and have no page.
 */
function kicker(topics: string[], links: TopicLinks): SafeHtml {
  const topic = topics.find((t) => t !== links.root && links.idByName.has(t));
  return topic ? html`<p class="kicker"><a href="/topic/${links.idByName.get(topic)!}">${topic}</a></p>` : html``;
}

/** "1 result for “q”", "20+ results", "results 21–27" on later pages. */
function resultCount(onPage: number, page: number, hasMore: boolean, q: string): string {
  if (onPage === 0) return page > 1 ? `No more results for “${q}”.` : `No results for “${q}”.`;
  if (page > 1) {
    const first = (page - 1) * PER_PAGE + 1;
    return `Results ${first}–${first + onPage - 1}${hasMore ? '' : ' (the last)'} for “${q}”`;
  }
  return `${plural(onPage, 'result').replace(/^(\d+)/, hasMore ? '$1+' : '$1')} for “${q}”`;
}

function articleList(ctx: SiteContext, items: SiteArticle[]): SafeHtml {
  const links = ctx.topicLinks();
  return items.length ? html`<div class="stories">${items.map((a, i) => articleCard(a, links, i))}</div>` : html`<p class="empty">Nothing here yet.</p>`;
}

async function frontPageHtml(ctx: SiteContext): Promise<string> {
  const { desk, site } = ctx;
  const days = await site.frontPage(desk.now(), 30);
  const links = ctx.topicLinks();
  const today = desk.now().toISOString().slice(0, 10);
  let index = 0;
  const sections = days.map(
    (d, di) => html`<section class="day" aria-labelledby="day-${d.day}">
<h2 id="day-${d.day}">${d.day === today ? 'Today' : formatDay(d.day)}</h2>
<div class="stories">${d.stories.map((s) => storyCard(s, links, { lead: di === 0 && s === d.stories[0], index: index++ }))}</div>
</section>`,
  );
  const counts = await site.topicCounts();
  const topics = ctx
    .topics()
    .filter((t) => t.id !== desk.taxonomy.root.id && (counts.get(t.name) ?? 0) > 0)
    .sort((a, b) => (counts.get(b.name) ?? 0) - (counts.get(a.name) ?? 0))
    .slice(0, 12);
  const body = html`<h1 class="visually-hidden">Top stories</h1>
<div class="front">
<div class="front-main">
${sections.length ? sections : html`<p class="empty">Nothing published yet. Stories appear here once sources are fetched and scored.</p>`}
<p><a href="/latest">All the latest news →</a></p>
</div>
<aside class="front-aside" aria-labelledby="aside-topics">
<section class="panel">
<h2 id="aside-topics">Topics</h2>
<ul class="topic-list">${topics.map((t) => html`<li><a href="/topic/${t.id}">${t.name}</a> <span class="count">${counts.get(t.name) ?? 0}</span></li>`)}</ul>
<p><a href="/topics">All topics →</a></p>
</section>
<section class="panel">
<h2>How stories are picked</h2>
<p class="count">Articles about the same event are grouped into one story. A story's heat grows with the quality of its best report and with every other outlet covering it; the hottest lead each day, and an editor can pin or hold back any story.</p>
<p class="count">Follow along: <a href="/feeds/news.rss">RSS</a> · <a href="/feeds/news.atom">Atom</a> · <a href="/feeds/news.json">JSON Feed</a></p>
</section>
</aside>
</div>`;
  return renderPage({ siteName: desk.config.siteName, title: desk.config.siteName, description: `Top stories of the day, curated by ${desk.config.siteName}.`, current: '/', body, demo: desk.config.useDemo });
}

function atomFeed(ctx: SiteContext, title: string, selfPath: string, articles: SiteArticle[]): string {
  const base = publicBaseUrl(ctx.desk);
  const updated = articles.map((a) => a.publishedAt ?? '').sort().pop() || new Date(0).toISOString();
  const entries = articles.map(
    (a) => `<entry>
<title>${escapeHtml(a.title)}</title>
<link rel="alternate" href="${escapeHtml(a.webUrl)}"/>
<id>${escapeHtml(a.webUrl)}</id>
<updated>${escapeHtml(a.publishedAt ?? updated)}</updated>
<author><name>${escapeHtml(a.providerName)}</name></author>
<summary>${escapeHtml(a.excerpt)}</summary>
${a.topics.map((t) => `<category term="${escapeHtml(t)}"/>`).join('')}
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>${escapeHtml(title)}</title>
<id>${escapeHtml(base + selfPath)}</id>
<link rel="self" href="${escapeHtml(base + selfPath)}"/>
<link rel="alternate" href="${escapeHtml(base)}/"/>
<updated>${escapeHtml(updated)}</updated>
${entries.join('\n')}
</feed>
`;
}

/** What an editor's decision means to a reader; decisions readers need not hear of are left out. */
const READER_DECISIONS: Record<string, string> = {
  'pinned and published': "Editor's pick: the editors put this story on the front page",
  'returned to the automatic gate': 'No longer an editor\'s pick',
  merged: 'Coverage found to be about the same event was added to this story',
  split: 'Reports about another event were moved to a story of their own',
  'corrected topics': "The editors corrected a report's topics",
};

/**
 * The story's timeline as readers see it: each outlet's report in time order, when the story first
 * made the front page, and the editors' picks. The gate's reasons ("heat 80 >= threshold 70") are
 * the desk's business: its story page shows the score history.
 */
export function readerTimeline(members: SiteArticle[], history: Awaited<ReturnType<SiteContext['site']['histories']>>, audit: Array<{ editor: string; action: string; detail: string | null; at: string }>): Array<{ at: string; text: SafeHtml }> {
  const byId = new Map(members.map((m) => [m.id, m]));
  const events: Array<{ at: string; text: SafeHtml }> = [];
  for (const m of members) if (m.publishedAt) events.push({ at: m.publishedAt, text: html`<strong>${m.providerName}</strong> reported: <a href="${m.webUrl}" rel="noopener noreferrer">${m.title}</a>` });
  const firstPublished = history.filter((h) => h.field === 'published' && h.newValue === 'true' && byId.has(h.articleId)).sort((a, b) => (a.at < b.at ? -1 : 1))[0];
  if (firstPublished) events.push({ at: firstPublished.at, text: html`On the front page, led by ${byId.get(firstPublished.articleId)!.providerName}'s report` });
  for (const a of audit) {
    const said = READER_DECISIONS[a.action];
    if (said) events.push({ at: a.at, text: a.action === 'pinned and published' ? html`<span class="pick">${said}</span>` : html`${said}` });
  }
  return events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

export function registerSiteRoutes(app: FastifyInstance, desk: Desk): void {
  const ctx = siteContext(desk);
  const { site, cache } = ctx;
  const siteName = () => desk.config.siteName;
  registerAssets(app);
  registerImageRoutes(app, site, desk);

  app.get('/', async (_req, reply) => sendHtml(reply, await cache.get('/', () => frontPageHtml(ctx)), 200, 30));

  app.get('/latest', async (req, reply) => {
    const page = pageParam((req.query as Record<string, unknown>).page);
    const { items, hasMore } = await site.listed({}, page, PER_PAGE);
    const body = html`<h1 class="page-title">Latest</h1><p class="page-intro">Every published story, newest first.</p>${articleList(ctx, items)}${pager('/latest', page, hasMore)}`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: 'Latest', current: '/latest', body, demo: desk.config.useDemo }));
  });

  app.get('/topics', async (_req, reply) => {
    const counts = await site.topicCounts();
    const topics = ctx.topics();
    const body = html`<h1 class="page-title">Topics</h1><p class="page-intro">Stories by subject.</p>
<ul class="index-list">${topics.map((t) => html`<li><a href="/topic/${t.id}">${t.name}</a> <span class="count">${counts.get(t.name) ?? 0}</span>${t.description ? html`<br><span class="count">${t.description}</span>` : ''}</li>`)}</ul>`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: 'Topics', current: '/topics', body }));
  });

  // A topic's page answers at /topic/<id> (the site's links) and /topics/<id>/ (feeds' home links, the API's layout).
  const topicPage = async (req: FastifyRequest<{ Params: { topic: string } }>, reply: FastifyReply) => {
    const topic = topicById(desk.taxonomy, req.params.topic);
    if (!topic) return notFound(ctx, reply, `The topic “${req.params.topic}”`);
    const page = pageParam((req.query as Record<string, unknown>).page);
    const { items, hasMore } = await site.listed({ topic: topic.name }, page, PER_PAGE);
    const body = html`<h1 class="page-title">${topic.name}</h1>${topic.description ? html`<p class="page-intro">${topic.description}</p>` : ''}${articleList(ctx, items)}${pager(`/topic/${topic.id}`, page, hasMore)}`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: topic.name, description: topic.description, current: '/topics', body, feeds: [...sliceFeeds(siteName(), topic.name, `/feeds/topics/${topic.id}`), { title: `${siteName()}: ${topic.name} (API)`, href: `/api/news/${topic.id}/`, type: 'application/json' }] }));
  };
  app.get('/topic/:topic', topicPage);
  app.get('/topics/:topic', topicPage);

  app.get('/providers', async (_req, reply) => {
    const providers = await site.providers();
    const body = html`<h1 class="page-title">Sources</h1><p class="page-intro">The outlets whose stories appear here.</p>
<ul class="index-list">${providers.map((p) => html`<li><a href="/provider/${encodeURIComponent(p.domain)}">${p.name}</a> <span class="count">${p.count}</span></li>`)}</ul>`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: 'Sources', current: '/providers', body }));
  });

  const providerPage = async (req: FastifyRequest<{ Params: { domain: string } }>, reply: FastifyReply) => {
    const domain = req.params.domain.toLowerCase();
    const name = await site.providerName(domain);
    if (!name) return notFound(ctx, reply, `The source “${domain}”`);
    const page = pageParam((req.query as Record<string, unknown>).page);
    const { items, hasMore } = await site.listed({ provider: domain }, page, PER_PAGE);
    const body = html`<h1 class="page-title">${name}</h1><p class="page-intro">${domain}</p>${articleList(ctx, items)}${pager(`/provider/${encodeURIComponent(domain)}`, page, hasMore)}`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: name, current: '/providers', body, feeds: sliceFeeds(siteName(), name, `/feeds/providers/${encodeURIComponent(domain)}`) }));
  };
  app.get('/provider/:domain', providerPage);
  app.get('/providers/:domain', providerPage);

  app.get('/archive', async (_req, reply) => {
    const days = await site.archiveDays();
    const byMonth = new Map<string, Array<{ day: string; count: number }>>();
    for (const d of days) byMonth.set(d.day.slice(0, 7), [...(byMonth.get(d.day.slice(0, 7)) ?? []), d]);
    const body = html`<h1 class="page-title">Archive</h1><p class="page-intro">Every day with published news.</p>
${[...byMonth].map(([month, list]) => html`<section><h2>${formatDay(`${month}-01`).replace(/^\w+ 1 /, '')}</h2><ul class="index-list">${list.map((d) => html`<li><a href="/archive/${d.day}">${formatDay(d.day)}</a> <span class="count">${d.count}</span></li>`)}</ul></section>`)}`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: 'Archive', current: '/archive', body }));
  });

  app.get<{ Params: { day: string } }>('/archive/:day', async (req, reply) => {
    const day = req.params.day;
    if (parseDay(day) === null) return notFound(ctx, reply, `The day “${day}”`);
    const page = pageParam((req.query as Record<string, unknown>).page);
    const { items, hasMore } = await site.listed({ day }, page, PER_PAGE);
    const body = html`<h1 class="page-title">${formatDay(day)}</h1><p class="page-intro">The day's stories, hottest first.</p>${articleList(ctx, items)}${pager(`/archive/${day}`, page, hasMore)}`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: formatDay(day), current: '/archive', body }));
  });

  app.get('/search', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const q = (query.q ?? '').trim().slice(0, 200);
    const topicId = query.topic || '';
    const topic = topicId ? topicById(desk.taxonomy, topicId) : undefined;
    const provider = (query.provider ?? '').trim().toLowerCase();
    const from = query.from && parseDay(query.from) ? query.from : '';
    const to = query.to && parseDay(query.to) ? query.to : '';
    const page = pageParam(query.page);
    const result = q ? await site.search({ query: q, topic: topic?.name ?? null, provider: provider || null, from: from || null, to: to || null, page, perPage: PER_PAGE }) : null;
    const links = ctx.topicLinks();
    const params = new URLSearchParams({ q, ...(topicId ? { topic: topicId } : {}), ...(provider ? { provider } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
    const body = html`<h1 class="page-title">Search</h1>
<form class="search-form" method="get" action="/search" role="search">
<label for="q">Words to find<input id="q" type="search" name="q" value="${q}" autocomplete="off"></label>
<button type="submit">Search</button>
<div class="filters">
<label for="topic">Topic<select id="topic" name="topic"><option value="">Any topic</option>${ctx.topics().map((t) => html`<option value="${t.id}"${t.id === topicId ? ' selected' : ''}>${t.name}</option>`)}</select></label>
<label for="provider">Source domain<input id="provider" type="text" name="provider" value="${provider}" placeholder="e.g. geekwire.com"></label>
<label for="from">From<input id="from" type="date" name="from" value="${from}"></label>
<label for="to">To<input id="to" type="date" name="to" value="${to}"></label>
</div>
</form>
${
  result
    ? html`<p class="page-intro" role="status">${resultCount(result.hits.length, page, result.hasMore, q)}</p>
<div class="stories results">${result.hits.map((h, i) => articleCard(h.article, links, i, marked(h.snippetMarked), marked(h.titleMarked), h.storyVisible))}</div>${pager('/search', page, result.hasMore, params)}`
    : ''
}`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: q ? `Search: ${q}` : 'Search', current: '/search', body, noindex: true, ...(q ? { feeds: sliceFeeds(siteName(), `search “${q}”`, '/feeds/search', `?q=${encodeURIComponent(q)}`) } : {}) }), 200, 0);
  });

  app.get<{ Params: { id: string } }>('/story/:id', async (req, reply) => {
    const storyId = idOf(req.params.id) ?? 0;
    const current = storyId ? await resolveStory(desk.store, storyId) : null;
    // A story merged into another lives on under the other's address.
    if (current !== null && current !== storyId) return reply.redirect(`/story/${current}`, 301);
    const story = current !== null ? await desk.store.getStory(storyId) : null;
    if (!story) return notFound(ctx, reply, 'This story');
    const members = (await site.storyMembers([storyId])).get(storyId) ?? [];
    const lead = members.find((m) => m.id === story.leadArticleId) ?? members[0];
    // A story nobody may see yet (blocked, or not published) is not shown to readers.
    if (!lead || story.override === 'block' || !members.some((m) => m.published !== false)) return notFound(ctx, reply, 'This story');
    const [history, audit] = await Promise.all([site.histories(members.map((m) => m.id)), site.storyAudit(storyId)]);
    const others = members.filter((m) => m.id !== lead.id);
    const links = ctx.topicLinks();
    const timeline = readerTimeline(members, history, audit);
    const body = html`<div class="story-page">
<article class="lead" aria-labelledby="lead-title">
${kicker(lead.topics, links)}
<h1 id="lead-title">${lead.title}</h1>
${byline(lead)}
<figure class="thumb"><img src="${articleImageUrl(lead)}" alt="" width="640" height="320"></figure>
<p class="excerpt">${lead.excerpt}</p>
<p><a class="button" href="${lead.webUrl}" rel="noopener noreferrer">Read at ${lead.providerName}</a></p>
${topicChips(lead.topics, links)}
<section aria-labelledby="outlets-title">
<h2 id="outlets-title">Every outlet (${members.length})</h2>
<ul class="outlets">${[lead, ...others].map(
      (m) => html`<li><article class="story-member" aria-labelledby="m${m.id}"><h3 id="m${m.id}"><a href="${m.webUrl}" rel="noopener noreferrer">${m.title}</a></h3>${byline(m)}<p class="excerpt">${m.excerpt}</p></article></li>`,
    )}</ul>
</section>
</article>
<aside aria-labelledby="timeline-title">
<section>
<h2 id="timeline-title">Timeline</h2>
<ol class="timeline">${timeline.map((e) => html`<li>${timeTag(e.at)}${e.text}</li>`)}</ol>
</section>
</aside>
</div>`;
    return sendHtml(reply, renderPage({ siteName: siteName(), title: lead.title, description: lead.excerpt, body }));
  });

  const topStoriesFeed = async () => {
    const days = await site.frontPage(desk.now(), 50);
    return days.flatMap((d) => d.stories.map((s: FrontStory) => s.lead));
  };
  app.get('/feed.atom', async (_req, reply) => {
    const body = await cache.get('/feed.atom', async () => atomFeed(ctx, `${siteName()}: top stories`, '/feed.atom', await topStoriesFeed()));
    return reply.header('cache-control', 'public, max-age=300').type('application/atom+xml; charset=utf-8').send(body);
  });
}
