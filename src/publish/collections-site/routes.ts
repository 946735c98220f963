// Reader pages of the collections, in the site's page shell:
//   /companies/  /company/<slug>/  /company/collections/<slug>/
//   /people/     /people/<slug>/   /people/collections/<slug>/
//   /events/     /event/<slug>/
//   /learning/   /learning/<videos|articles|books|courses|answers|collections>/<slug>/
// Lists take ?topic=<topic-id> and ?page=N. A company's or person's page lists the published news
// that mention it. While the server runs, a background job links new articles to the entities they
// name and refreshes entity heat every few minutes.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { CollectionStore } from '../../store/collections.ts';
import { html, type SafeHtml } from '../site/html.ts';
import { renderPage } from '../site/layout.ts';
import { pager } from '../site/components.ts';
import { topicById } from '../../curate/topics/taxonomy.ts';
import { newsdeskError } from '../../errors.ts';
import { pageNumber } from '../params.ts';
import { entitySiteRoute, entitySummary, entityTitle, entityApiRoute } from '../../collections/api.ts';
import { membersOf } from '../../collections/query.ts';
import { computeMentions } from '../../collections/mentions.ts';
import { recomputeEntityHeat } from '../../collections/heat.ts';
import { KIND_LAYOUT, LEARNING_FOLDERS, learningTypeOfFolder, type Entity, type EntityKind, type JsonValue } from '../../collections/types.ts';
import { excerptOf } from '../../normalize/text.ts';

const PER_PAGE = 30;

function str(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function obj(value: JsonValue | undefined): Record<string, JsonValue> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JsonValue>) : null;
}

function safeUrl(url: string | null): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

function card(entity: Entity): SafeHtml {
  const summary = entitySummary(entity);
  return html`<article class="card">
<h2 class="card-title"><a href="${entitySiteRoute(entity)}">${entityTitle(entity)}</a></h2>
<p class="meta">${entity.subtype === 'collection' ? 'Collection' : entity.kind === 'event' && entity.startsAt ? entity.startsAt.slice(0, 10) : entity.kind === 'learning' ? entity.subtype : ''}${entity.heat !== null ? html` · heat ${entity.heat}` : ''}${entity.topics.length ? html` · ${entity.topics.join(', ')}` : ''}</p>
${summary ? html`<p>${excerptOf(summary, 280)}</p>` : ''}
</article>`;
}

function facts(entity: Entity): SafeHtml {
  const d = entity.data;
  const rows: Array<[string, SafeHtml | string]> = [];
  const link = (url: string | null, label: string) => (safeUrl(url) ? html`<a href="${safeUrl(url)!}" rel="noopener">${label}</a>` : label);
  if (str(d.website)) rows.push(['Website', link(str(d.website), str(d.website)!)]);
  if (Array.isArray(d.locations) && d.locations.length) rows.push(['Locations', d.locations.filter((l) => typeof l === 'string').join(' · ')]);
  if (str(d.location)) rows.push(['Location', str(d.location)!]);
  if (str(d.size)) rows.push(['Size', str(d.size)!]);
  if (typeof d.yearFounded === 'number') rows.push(['Founded', String(d.yearFounded)]);
  if (str(obj(d.funding)?.status)) rows.push(['Funding', str(obj(d.funding)!.status)!]);
  if (obj(d.affiliation) && str(obj(d.affiliation)!.name)) rows.push(['Affiliation', str(obj(d.affiliation)!.name)!]);
  for (const [key, label, count] of [['twitter', 'Twitter', 'followers'], ['linkedin', 'LinkedIn', 'followers'], ['googleScholar', 'Google Scholar', 'citations'], ['wikipedia', 'Wikipedia', ''], ['crunchbase', 'Crunchbase', '']] as const) {
    const profile = obj(d[key]);
    if (!profile) continue;
    const n = count ? profile[count] : undefined;
    rows.push([label, html`${link(str(profile.url), label)}${typeof n === 'number' ? ` · ${n.toLocaleString('en-US')} ${count}` : ''}`]);
  }
  if (entity.kind === 'event') {
    if (entity.startsAt) rows.push(['Starts', entity.startsAt.replace('T', ' ').replace('Z', ' UTC')]);
    if (entity.endsAt) rows.push(['Ends', entity.endsAt.replace('T', ' ').replace('Z', ' UTC')]);
    if (str(d.price)) rows.push(['Price', str(d.price)!]);
  }
  if (entity.kind === 'learning') {
    const provider = obj(d.provider);
    if (provider && str(provider.name)) rows.push(['Provider', str(provider.name)!]);
    if (str(d.length)) rows.push(['Length', str(d.length)!]);
    if (Array.isArray(d.levels) && d.levels.length) rows.push(['Level', d.levels.join(', ')]);
    if (str(d.price)) rows.push(['Price', str(d.price)!]);
    const ratings = obj(d.ratings);
    if (ratings && typeof ratings.average === 'number') rows.push(['Rating', `${ratings.average} (${String(ratings.count ?? 0)} ratings)`]);
    const url = safeUrl(str(d.originalUrl) ?? str(d.webUrl));
    if (url) rows.push(['Link', link(url, url)]);
  }
  if (rows.length === 0) return html``;
  return html`<dl class="facts">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export function registerCollectionSiteRoutes(app: FastifyInstance, desk: Desk): void {
  const collections = new CollectionStore(desk.store);
  const siteName = desk.config.siteName;
  const send = (reply: { type(t: string): unknown; send(b: string): unknown }, title: string, body: SafeHtml, current?: string) => {
    reply.type('text/html; charset=utf-8');
    return reply.send(renderPage({ siteName, title, body, current, demo: desk.config.useDemo }));
  };

  const list = async (kind: EntityKind, query: { topic?: string; page?: string }, extra?: { when?: 'future' | 'past'; subtype?: string }) => {
    const page = pageNumber(query.page);
    const topic = query.topic ? topicById(desk.taxonomy, query.topic) : undefined;
    if (query.topic && !topic) throw newsdeskError('ND_NOT_FOUND', { what: `topic ${query.topic}` });
    const now = desk.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { page, topic, ...(await collections.listEntities({ kind, topic: topic?.name, page, perPage: PER_PAGE, now, ...extra })) };
  };

  for (const kind of ['company', 'person'] as const) {
    const layout = KIND_LAYOUT[kind];
    app.get<{ Querystring: { topic?: string; page?: string } }>(`/${layout.api}/`, async (req, reply) => {
      const { page, topic, items, hasMore } = await list(kind, req.query);
      const title = topic ? `${layout.title}: ${topic.name}` : layout.title;
      return send(reply, title, html`<h1>${title}</h1><p class="meta">Hottest first. JSON: <a href="/api/${layout.api}/${topic?.id ?? desk.taxonomy.root.id}/page/1/">/api/${layout.api}/…</a></p>
${items.length ? items.map(card) : html`<p>Nothing here yet.</p>`}
${pager(`/${layout.api}/`, page, hasMore, topic ? `topic=${topic.id}` : '')}`);
    });
    const item = async (slug: string, reply: Parameters<typeof send>[0]) => {
      const entity = await collections.getEntity(kind, slug);
      if (!entity) throw newsdeskError('ND_NOT_FOUND', { what: `${kind} ${slug}` });
      if (entity.subtype === 'collection') {
        const members = await membersOf(collections, entity);
        return send(reply, entity.name, html`<h1>${entity.name}</h1><p>${entitySummary(entity)}</p>
${typeof entity.data.query === 'string' ? html`<p class="meta">Query: <code>${entity.data.query}</code> · ${members.length} ${members.length === 1 ? 'member' : 'members'}</p>` : ''}
${members.map(card)}`);
      }
      const articles = await desk.store.getArticles(await collections.articlesMentioning(entity.id, 20));
      articles.sort((a, b) => (b.publishedDateTime ?? '').localeCompare(a.publishedDateTime ?? ''));
      return send(reply, entity.name, html`<article class="profile"><h1>${entity.name}</h1>
<p>${entitySummary(entity)}</p>
${facts(entity)}
<p class="meta">${entity.heat !== null ? `Heat ${entity.heat} · ` : ''}${entity.topics.join(', ')} · <a href="${entityApiRoute(entity)}">JSON</a></p>
</article>
<section><h2>In the news</h2>${articles.length ? html`<ul>${articles.map((a) => html`<li><a href="${a.webUrl}" rel="noopener">${a.title}</a> <span class="meta">${a.provider.name}${a.publishedDateTime ? ` · ${a.publishedDateTime.slice(0, 10)}` : ''}</span></li>`)}</ul>` : html`<p>No published story names ${entity.name} yet.</p>`}</section>`);
    };
    app.get<{ Params: { slug: string } }>(`/${layout.sitePath}/collections/:slug/`, async (req, reply) => item(`collections/${req.params.slug}`, reply));
    app.get<{ Params: { slug: string } }>(`/${layout.sitePath}/:slug/`, async (req, reply) => item(req.params.slug, reply));
  }

  app.get<{ Querystring: { page?: string; topic?: string } }>('/events/', async (req, reply) => {
    const future = await list('event', req.query, { when: 'future' });
    const past = await list('event', { ...req.query, page: '1' }, { when: 'past' });
    return send(reply, 'Events', html`<h1>Events</h1><h2>Coming up</h2>${future.items.length ? future.items.map(card) : html`<p>No upcoming event.</p>`}
${pager('/events/', future.page, future.hasMore)}
<h2>Past</h2>${past.items.slice(0, 10).map(card)}`);
  });
  app.get<{ Params: { slug: string } }>('/event/:slug/', async (req, reply) => {
    const entity = await collections.getEntity('event', req.params.slug);
    if (!entity) throw newsdeskError('ND_NOT_FOUND', { what: `event ${req.params.slug}` });
    return send(reply, entity.name, html`<article class="profile"><h1>${entity.name}</h1><p>${entitySummary(entity)}</p>${facts(entity)}<p class="meta"><a href="${entityApiRoute(entity)}">JSON</a></p></article>`);
  });

  app.get<{ Querystring: { page?: string; topic?: string; type?: string } }>('/learning/', async (req, reply) => {
    const subtype = req.query.type && req.query.type in LEARNING_FOLDERS ? req.query.type : undefined;
    const { page, topic, items, hasMore } = await list('learning', req.query, { subtype });
    const title = topic ? `Learning: ${topic.name}` : 'Learning';
    return send(reply, title, html`<h1>${title}</h1><p class="meta">${Object.keys(LEARNING_FOLDERS).map((t) => html`<a href="/learning/?type=${t}">${t}s</a> `)}</p>
${items.length ? items.map(card) : html`<p>Nothing here yet.</p>`}
${pager('/learning/', page, hasMore, [topic ? `topic=${topic.id}` : '', subtype ? `type=${subtype}` : ''].filter(Boolean).join('&'))}`);
  });
  app.get<{ Params: { folder: string; slug: string } }>('/learning/:folder/:slug/', async (req, reply) => {
    const type = learningTypeOfFolder(req.params.folder);
    const entity = type ? await collections.getEntity('learning', req.params.slug) : null;
    if (!entity || entity.subtype !== type) throw newsdeskError('ND_NOT_FOUND', { what: `learning ${req.params.folder}/${req.params.slug}` });
    return send(reply, entityTitle(entity), html`<article class="profile"><h1>${entityTitle(entity)}</h1><p>${entitySummary(entity)}</p>${facts(entity)}<p class="meta"><a href="${entityApiRoute(entity)}">JSON</a></p></article>`);
  });

  // Mentions of newly stored articles and entity heat, kept current while the server runs.
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const refresh = async () => {
    if (running) return;
    running = true;
    try {
      const { articles } = await computeMentions(desk.store);
      if (articles > 0) await recomputeEntityHeat(desk.store, { now: desk.now() });
    } catch (err) {
      desk.log.error({ err }, 'mentions job failed');
    } finally {
      running = false;
    }
  };
  app.addHook('onReady', async () => {
    timer = setInterval(() => void refresh(), 3 * 60_000);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
