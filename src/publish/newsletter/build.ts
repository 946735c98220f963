// Builds the daily issue "<site name> (YYYY-MM-DD)" with the reference's sections:
//   News of the day (3): the day's published articles, hottest first, one per story;
//   Learning of the day (2), Companies of the day (2), Influencers of the day (2): rotating picks.
// Picks rotate: an entity featured in one of the last `rotationIssues` issues is passed over while
// others remain; among the rest the hottest go first. Entities that fail the quality bar are never
// picked (see `qualityProblem`).
import type { Desk } from '../../jobs/desk.ts';
import type { StoredArticle } from '../../store/index.ts';
import { CollectionStore } from '../../store/collections.ts';
import { NewsletterStore, type NewsletterIssue, type NewsletterItem, type NewsletterSection } from '../../store/newsletter.ts';
import { entitySiteRoute, entitySummary, entityTitle } from '../../collections/api.ts';
import type { Entity, EntityKind } from '../../collections/types.ts';
import { slugify } from '../../normalize/slug.ts';
import { newsdeskError } from '../../errors.ts';
import { renderNewsletter } from './render.ts';
import { publicBaseUrl } from '../base-url.ts';

export const SECTION_HEADINGS = {
  news: 'News of the day',
  learning: 'Learning of the day',
  companies: 'Companies of the day',
  people: 'Influencers of the day',
} as const;

const MIN_SUMMARY = 40;

/**
 * Why an entity is not fit for the newsletter, or null when it is. The bar: a summary of at least
 * 40 characters that says more than the name; for people, a name without digits (account handles
 * and student ids are not influencers); a page to link to (a website, a profile or the item's URL)
 * or an image; and a heat that is not below the resting 50.
 */
export function qualityProblem(entity: Entity): string | null {
  const summary = entitySummary(entity).trim();
  if (summary.length < MIN_SUMMARY) return `summary shorter than ${MIN_SUMMARY} characters`;
  if (summary.toLowerCase() === entity.name.toLowerCase()) return 'summary repeats the name';
  if (entity.kind === 'person' && /\d/.test(entity.name)) return 'name contains digits';
  const hasLink = ['website', 'webUrl', 'originalUrl'].some((k) => typeof entity.data[k] === 'string') || ['twitter', 'linkedin', 'wikipedia'].some((k) => entity.data[k] && typeof entity.data[k] === 'object');
  const hasImage = Array.isArray(entity.data.images) && entity.data.images.length > 0;
  if (!hasLink && !hasImage) return 'no link and no image';
  if (entity.heat !== null && entity.heat < 50) return 'heat below 50';
  return null;
}

export function issueSlug(siteName: string, date: string): string {
  return `${slugify(siteName).replace(/^-+|-+$/g, '') || 'newsletter'}-${date}`;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The day's top stories: published articles of the day by heat, at most one per story. */
export function topStories(articles: StoredArticle[], count: number): StoredArticle[] {
  const seen = new Set<number>();
  const picked: StoredArticle[] = [];
  for (const article of articles) {
    if (article.storyId !== null) {
      if (seen.has(article.storyId)) continue;
      seen.add(article.storyId);
    }
    picked.push(article);
    if (picked.length === count) break;
  }
  return picked;
}

function image(entity: Entity): string | null {
  const images = entity.data.images;
  if (!Array.isArray(images)) return null;
  const first = images.find((i) => i && typeof i === 'object' && !Array.isArray(i) && typeof (i as { url?: unknown }).url === 'string') as { url: string } | undefined;
  return first && /^https?:/.test(first.url) ? first.url : null;
}

async function pick(collections: CollectionStore, kind: EntityKind, count: number, recent: Map<number, number>): Promise<Entity[]> {
  const fit: Entity[] = [];
  for await (const entity of collections.iterateEntities(kind)) {
    if (entity.subtype === 'collection') continue;
    if (qualityProblem(entity) === null) fit.push(entity);
  }
  // Not featured recently first, hottest first; then the least recently featured.
  fit.sort((a, b) => {
    const ra = recent.get(a.id) ?? Infinity;
    const rb = recent.get(b.id) ?? Infinity;
    if (ra !== rb) return rb - ra;
    return (b.heat ?? 0) - (a.heat ?? 0) || a.name.localeCompare(b.name);
  });
  return fit.slice(0, count);
}

function entityItem(entity: Entity, base: string): NewsletterItem {
  const external = entity.kind === 'learning' && typeof entity.data.webUrl === 'string' ? entity.data.webUrl : null;
  const provider = entity.data.provider && typeof entity.data.provider === 'object' && !Array.isArray(entity.data.provider) ? (entity.data.provider as { name?: unknown }).name : null;
  return {
    title: entityTitle(entity),
    url: external ?? `${base}${entitySiteRoute(entity)}`,
    image: image(entity),
    summary: entitySummary(entity),
    sourceLabel: entity.kind === 'company' ? 'View Company' : entity.kind === 'person' ? 'View Profile' : typeof provider === 'string' ? provider : 'View',
    ref: { kind: 'entity', id: entity.id },
  };
}

/** Builds (or rebuilds) and stores the issue of `date` (YYYY-MM-DD, a UTC day). */
export async function buildNewsletter(desk: Desk, date: string): Promise<NewsletterIssue> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw newsdeskError('ND_BAD_REQUEST', { reason: `date must be YYYY-MM-DD, not ${date}` });
  const newsletters = new NewsletterStore(desk.store);
  const collections = new CollectionStore(desk.store);
  const base = publicBaseUrl(desk);
  const siteName = desk.config.siteName;

  const day = await newsletters.publishedBetween(`${date}T00:00:00Z`, `${nextDay(date)}T00:00:00Z`, 100);
  // An issue without news is no issue: nothing is built, stored or listed in the archive.
  if (!topStories(day, 1).length) throw newsdeskError('ND_NEWSLETTER_EMPTY', { date });
  const news = topStories(day, 3).map<NewsletterItem>((a) => ({
    title: a.title,
    url: a.webUrl,
    image: a.images[0]?.url ?? null,
    summary: a.excerpt,
    sourceLabel: a.provider.name,
    ref: { kind: 'article', id: a.id },
  }));

  // How many issues ago each entity was featured (1 = the previous issue).
  const recent = new Map<number, number>();
  (await newsletters.issuesBefore(date, desk.config.newsletter.rotationIssues)).forEach((issue, index) => {
    for (const section of issue.sections) for (const item of section.items) if (item.ref?.kind === 'entity' && !recent.has(item.ref.id)) recent.set(item.ref.id, index + 1);
  });
  const sections: NewsletterSection[] = [
    { heading: SECTION_HEADINGS.news, items: news },
    { heading: SECTION_HEADINGS.learning, items: (await pick(collections, 'learning', 2, recent)).map((e) => entityItem(e, base)) },
    { heading: SECTION_HEADINGS.companies, items: (await pick(collections, 'company', 2, recent)).map((e) => entityItem(e, base)) },
    { heading: SECTION_HEADINGS.people, items: (await pick(collections, 'person', 2, recent)).map((e) => entityItem(e, base)) },
  ];
  const slug = issueSlug(siteName, date);
  const title = `${siteName} (${date})`;
  const webUrl = `${base}/newsletter/${slug}/`;
  const { html, text } = renderNewsletter({ siteName, baseUrl: base, date, title, sections, webUrl });
  const now = desk.now();
  const publishedAt = now.toISOString().slice(0, 10) === date ? now.toISOString().replace(/\.\d{3}Z$/, 'Z') : `${date}T00:00:00Z`;
  return newsletters.saveIssue({ slug, date, title, excerpt: news.map((n) => n.title).join(' / '), publishedAt, sections, html, text });
}
