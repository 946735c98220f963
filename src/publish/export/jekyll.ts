// `export jekyll DIR`: the reference layout. News are one `_news/<YYYY-MM-DD-slug>.md` file per
// article, front matter only; collections, newsletters, `_data` and the `api/` files follow.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { Store, StoredArticle } from '../../store/index.ts';
import type { Desk } from '../../jobs/desk.ts';
import { newsFrontMatter, relatedList, renderFrontMatter, Timestamp } from './frontmatter.ts';
import { CollectionStore } from '../../store/collections.ts';
import { NewsletterStore } from '../../store/newsletter.ts';
import { entityPath } from '../../collections/api.ts';
import type { Entity, EntityKind } from '../../collections/types.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';
import { loadOrganizations } from '../../extract/organizations.ts';
import { personalize } from '../newsletter/render.ts';
import { writeApiFiles } from './api-files.ts';
import { buildFeed, type FeedScope } from '../feeds-out/routes.ts';
import { publicBaseUrl } from '../base-url.ts';

export async function exportNews(store: Store, dir: string, onArticle?: (written: number) => void): Promise<number> {
  const newsDir = join(dir, '_news');
  mkdirSync(newsDir, { recursive: true });
  const storyCache = new Map<number, StoredArticle[]>();
  let count = 0;
  for await (const article of store.iterateArticles()) {
    let members: StoredArticle[] = [];
    if (article.storyId !== null) {
      members = storyCache.get(article.storyId) ?? (await store.storyMembers(article.storyId));
      storyCache.set(article.storyId, members);
    }
    const file = join(newsDir, `${article.pathKey}.md`);
    writeFileSync(file, renderFrontMatter(newsFrontMatter(article, relatedList(article, members))));
    count++;
    onArticle?.(count);
  }
  return count;
}

/** What `exportJekyll` wrote, by folder. */
export interface JekyllExportReport {
  news: number;
  newsletters: number;
  entities: Partial<Record<EntityKind, number>>;
  topics: number;
  organizations: number;
  apiFiles: number;
  feeds: number;
}

/** `feeds/news.<ext>` and `feeds/topics/<id>.<ext>` in the three formats, as the server serves them. */
export async function writeFeedFiles(desk: Desk, dir: string): Promise<number> {
  let written = 0;
  const scopes: Array<{ path: string; scope: FeedScope }> = [{ path: 'feeds/news', scope: { kind: 'news' } }, ...allTopics(desk.taxonomy).map((t) => ({ path: `feeds/topics/${t.id}`, scope: { kind: 'topic' as const, id: t.id } }))];
  for (const { path, scope } of scopes) {
    for (const format of ['rss', 'atom', 'json'] as const) {
      write(join(dir, `${path}.${format}`), (await buildFeed(desk, scope, format)).body);
      written++;
    }
  }
  return written;
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** An entity's Jekyll front matter: its stored record with the current heat in place. */
export function entityFrontMatter(entity: Entity): Record<string, unknown> {
  const data: Record<string, unknown> = { ...entity.data };
  if ('heat' in data || entity.kind === 'company' || entity.kind === 'person' || entity.kind === 'learning') data.heat = entity.heat;
  if (entity.kind === 'learning' && data.type === undefined) data.type = entity.subtype;
  return data;
}

/**
 * The whole reference layout: `_news/`, `_newsletters/`, `_companies/`, `_people/`, `_events/`,
 * `_learning/<type>/`, `_sponsorships/`, `_data/topics/NN-<id>.yaml`, `_data/organizations/<domain>.md`
 * and the `api/` JSON files under the reference paths (byte-identical to the server's answers), and
 * the stream's and each topic's feeds under `feeds/`.
 */
export async function exportJekyll(desk: Desk, dir: string, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<JekyllExportReport> {
  const report: JekyllExportReport = { news: 0, newsletters: 0, entities: {}, topics: 0, organizations: 0, apiFiles: 0, feeds: 0 };
  const total = options.onProgress ? (await desk.store.counts()).articles : 0;
  report.news = await exportNews(desk.store, dir, options.onProgress ? (written) => options.onProgress!(written, total) : undefined);

  const newsletters = new NewsletterStore(desk.store);
  const base = publicBaseUrl(desk);
  for (let page = 1; ; page++) {
    const { items, hasMore } = await newsletters.listIssues({ page, perPage: 100 });
    for (const issue of items) {
      const front = {
        title: issue.title,
        excerpt: issue.excerpt,
        publishedDateTime: new Timestamp(issue.publishedAt),
        webUrl: `${base}/newsletter/${issue.slug}/`,
        type: 'article',
        topics: [desk.taxonomy.root.name],
      };
      write(join(dir, '_newsletters', `${issue.slug}.html`), renderFrontMatter(front, personalize(issue.html, `${base}/newsletter/unsubscribe/`, true)));
      report.newsletters++;
    }
    if (!hasMore) break;
  }

  const collections = new CollectionStore(desk.store);
  const organizationDomains = new Set<string>();
  for await (const entity of collections.iterateEntities()) {
    if (entity.kind === 'organization') {
      organizationDomains.add(entity.slug);
      write(join(dir, '_data', 'organizations', `${entity.slug}.md`), renderFrontMatter(entity.data as never));
      report.organizations++;
    } else {
      write(join(dir, entityPath(entity)), renderFrontMatter(entityFrontMatter(entity) as never));
    }
    report.entities[entity.kind] = (report.entities[entity.kind] ?? 0) + 1;
  }
  // Known publishers from the configuration carry the logos that `provider.images` point to.
  for (const org of loadOrganizations(desk.config.organizationsFile).values()) {
    if (organizationDomains.has(org.domain) || org.domain.includes('/')) continue;
    write(join(dir, '_data', 'organizations', `${org.domain}.md`), renderFrontMatter({ name: org.name, domain: org.domain, images: (org.logos ?? []).map((l) => ({ url: l.url, width: l.width, height: l.height })) } as never));
    report.organizations++;
  }

  const topics = allTopics(desk.taxonomy);
  topics.forEach((topic, index) => {
    const parent = topic.parent ? topics.find((t) => t.id === topic.parent)?.name ?? topic.parent : undefined;
    const doc = {
      name: topic.name,
      ...(topic.shortName ? { shortname: topic.shortName } : {}),
      ...(parent ? { parent } : {}),
      ...(topic.description ? { description: topic.description } : {}),
      keywords: topic.keywords,
      hashtags: topic.hashtags ?? [],
    };
    write(join(dir, '_data', 'topics', `${String(index).padStart(2, '0')}-${topic.id}.yaml`), stringifyYaml(doc));
    report.topics++;
  });

  report.apiFiles = (await writeApiFiles(desk, dir)).length;
  report.feeds = await writeFeedFiles(desk, dir);
  return report;
}
