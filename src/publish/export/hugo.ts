// `export hugo DIR`: a Hugo site that builds as it is (`hugo --source DIR`): hugo.toml, the newsdesk
// theme (themes/newsdesk: layouts for news, stories, topics, newsletters and collections, and a style
// sheet), and one content page per published article, reader-visible story, newsletter issue and
// collection entity. Front matter is YAML with Hugo's own keys (title, date, description, slug) and the
// record's fields as params; topics are a Hugo taxonomy, so each topic gets a list page. The menu is
// written into hugo.toml with only the sections that have pages, so no menu entry leads nowhere.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as stringifyYaml } from 'yaml';
import type { Desk } from '../../jobs/desk.ts';
import type { StoredArticle } from '../../store/index.ts';
import { CollectionStore } from '../../store/collections.ts';
import { NewsletterStore } from '../../store/newsletter.ts';
import { SiteStore } from '../../store/site.ts';
import { entitySummary, entityTitle } from '../../collections/api.ts';
import { LEARNING_FOLDERS, KIND_LAYOUT } from '../../collections/types.ts';
import { personalize } from '../newsletter/render.ts';
import { publicBaseUrl } from '../base-url.ts';
import { readerTimeline } from '../site/routes.ts';

/** The theme's files, shipped next to this module (scripts/build.mjs copies them into dist/ too). */
export const HUGO_THEME_DIR = fileURLToPath(new URL('./hugo-theme/', import.meta.url));
const THEME = 'newsdesk';
const PER_PAGE = 30;

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function page(front: Record<string, unknown>, body = ''): string {
  const clean = Object.fromEntries(Object.entries(front).filter(([, v]) => v !== undefined && v !== null));
  return `---\n${stringifyYaml(clean, { lineWidth: 0 })}---\n${body}`;
}

const toml = (value: string | number | boolean) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * The folder Hugo gives a taxonomy term (its `urlize`) for names of letters, digits, spaces and hyphens;
 * null for other names, whose term pages Hugo then makes on its own (a guessed folder that missed would
 * add a second, empty page for the topic).
 */
function termFolder(name: string): string | null {
  if (!/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u.test(name)) return null;
  return name.trim().toLowerCase().replace(/\s+/g, '-');
}

export interface HugoExportReport {
  pages: number;
  news: number;
  stories: number;
  newsletters: number;
  topics: number;
  entities: number;
}

export async function exportHugo(desk: Desk, dir: string): Promise<HugoExportReport> {
  cpSync(HUGO_THEME_DIR, join(dir, 'themes', THEME), { recursive: true });
  const report: HugoExportReport = { pages: 0, news: 0, stories: 0, newsletters: 0, topics: 0, entities: 0 };
  const sections = new Map<string, { title: string; weight: number }>();
  const usedTopics = new Set<string>();

  // The site shows what the API lists: published articles and those not yet scored; a story is shown
  // when one of those is among its members, as on the reader site.
  const news: StoredArticle[] = [];
  const storyIds = new Set<number>();
  for await (const article of desk.store.iterateArticles()) {
    if (article.published === false) continue;
    news.push(article);
    if (article.storyId !== null) storyIds.add(article.storyId);
  }

  const site = new SiteStore(desk.store);
  const storyOf = new Map<number, number>();
  const exported = new Set(news.map((n) => n.id));
  const ids = [...storyIds].sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += 200) {
    const batch = ids.slice(i, i + 200);
    const membersByStory = await site.storyMembers(batch);
    for (const id of batch) {
      const story = await desk.store.getStory(id);
      const members = membersByStory.get(id) ?? [];
      const lead = members.find((m) => m.id === story?.leadArticleId) ?? members[0];
      if (!story || !lead || story.override === 'block') continue;
      const [history, audit] = await Promise.all([site.histories(members.map((m) => m.id)), site.storyAudit(id)]);
      const outlets = [lead, ...members.filter((m) => m !== lead)];
      write(
        join(dir, 'content', 'stories', `${id}.md`),
        page({
          title: lead.title,
          date: lead.publishedAt ?? undefined,
          description: lead.excerpt,
          slug: String(id),
          heat: story.heat,
          override: story.override ?? undefined,
          lead: { title: lead.title, provider: lead.providerName, url: lead.webUrl, date: lead.publishedAt ?? undefined },
          // Not `topics`: a story would then be listed on each topic page beside its own lead article.
          leadtopics: lead.topics,
          outlets: outlets.map((m) => ({
            title: m.title,
            provider: m.providerName,
            url: m.webUrl,
            date: m.publishedAt ?? undefined,
            excerpt: m.excerpt || undefined,
            page: exported.has(m.id) ? `/news/${m.pathKey}` : undefined,
          })),
          timeline: readerTimeline(members, history, audit).map((e) => ({ at: e.at, html: String(e.text) })),
        }),
      );
      for (const m of members) storyOf.set(m.id, id);
      report.stories++;
    }
  }

  for (const article of news) {
    for (const t of article.topics) usedTopics.add(t);
    write(
      join(dir, 'content', 'news', `${article.pathKey}.md`),
      page({
        title: article.title,
        date: article.publishedDateTime ?? article.createdAt,
        description: article.excerpt,
        slug: article.pathKey,
        webUrl: article.webUrl,
        provider: { name: article.provider.name, domain: article.provider.domain },
        topics: article.topics,
        heat: article.heat,
        story: storyOf.get(article.id),
        images: article.images.map((i) => ({ url: i.url, width: i.width, height: i.height })),
      }),
    );
    report.news++;
  }
  if (report.news) sections.set('news', { title: 'News', weight: 10 });
  if (report.stories) sections.set('stories', { title: 'Stories', weight: 20 });

  const base = publicBaseUrl(desk);
  const newsletters = new NewsletterStore(desk.store);
  for (let n = 1; ; n++) {
    const { items, hasMore } = await newsletters.listIssues({ page: n, perPage: 100 });
    for (const issue of items) {
      // The e-mail's HTML is a full document; the page shows its body inside the site's layout.
      const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(issue.html)?.[1] ?? issue.html;
      write(join(dir, 'content', 'newsletters', `${issue.slug}.html`), page({ title: issue.title, date: issue.publishedAt, description: issue.excerpt, slug: issue.slug }, personalize(body, `${base}/newsletter/unsubscribe/`, true)));
      report.newsletters++;
    }
    if (!hasMore) break;
  }
  if (report.newsletters) sections.set('newsletters', { title: 'Newsletters', weight: 40 });

  const collections = new CollectionStore(desk.store);
  for await (const entity of collections.iterateEntities()) {
    if (entity.kind === 'organization' || entity.kind === 'sponsorship') continue;
    const section = KIND_LAYOUT[entity.kind].api;
    if (!sections.has(section)) sections.set(section, { title: KIND_LAYOUT[entity.kind].title, weight: 50 + sections.size });
    for (const t of entity.topics) usedTopics.add(t);
    const folder = entity.kind === 'learning' ? join(section, LEARNING_FOLDERS[entity.subtype as keyof typeof LEARNING_FOLDERS] ?? 'articles') : section;
    write(
      join(dir, 'content', folder, `${entity.slug}.md`),
      page({
        title: entityTitle(entity),
        date: entity.startsAt ?? (typeof entity.data.publishedDateTime === 'string' ? entity.data.publishedDateTime : entity.createdAt),
        description: entitySummary(entity),
        topics: entity.topics,
        heat: entity.heat,
        webUrl: typeof entity.data.website === 'string' ? entity.data.website : typeof entity.data.webUrl === 'string' ? entity.data.webUrl : undefined,
        collection: entity.kind,
        record: entity.data,
      }),
    );
    report.entities++;
  }

  // Topic term pages carry the taxonomy's names, descriptions and order (the root first).
  if (usedTopics.size) {
    sections.set('topics', { title: 'Topics', weight: 30 });
    const ordered = [desk.taxonomy.root, ...desk.taxonomy.topics];
    ordered.forEach((topic, i) => {
      const folder = usedTopics.has(topic.name) ? termFolder(topic.name) : null;
      if (!folder) return;
      write(join(dir, 'content', 'topics', folder, '_index.md'), page({ title: topic.name, description: topic.description, weight: i + 1 }));
      report.topics++;
    });
  }
  const intros: Record<string, string> = { news: 'Every published article, newest first.', topics: 'Articles by subject.', newsletters: 'Every issue of the newsletter.' };
  for (const [section, { title }] of sections) write(join(dir, 'content', section, '_index.md'), page({ title, description: intros[section] }));

  const menu = [...sections].sort(([, a], [, b]) => a.weight - b.weight);
  const config = [
    `baseURL = ${toml(`${base}/`)}`,
    `title = ${toml(desk.config.siteName)}`,
    `languageCode = ${toml(desk.config.language === 'en' ? 'en-us' : desk.config.language)}`,
    `theme = ${toml(THEME)}`,
    `paginate = ${PER_PAGE}`,
    // Events ahead and articles dated a little ahead of the clock are content too, not drafts.
    'buildFuture = true',
    `disableKinds = ["RSS", "sitemap", "robotsTXT"]`,
    '',
    '[taxonomies]',
    '  topic = "topics"',
    '',
    // Newsletter issues are the e-mail's own HTML.
    '[markup.goldmark.renderer]',
    '  unsafe = true',
    '',
    ...menu.flatMap(([section, { title, weight }]) => ['[[menu.main]]', `  identifier = ${toml(section)}`, `  name = ${toml(title)}`, `  pageRef = ${toml(`/${section}`)}`, `  weight = ${weight}`, '']),
  ].join('\n');
  write(join(dir, 'hugo.toml'), config);
  report.pages = report.news + report.stories + report.newsletters + report.entities;
  return report;
}
