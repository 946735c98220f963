// The reference API's shapes for collections, as pure functions of stored entities, so the server and
// the static export produce the same bytes. An item is the stored record with the API's own keys
// first (path, title, excerpt, sourceUrl, webUrl) and `content` last, as in corpus/everyday-ai.
import { KIND_LAYOUT, LEARNING_FOLDERS, type Entity, type EntityKind, type JsonValue, type LearningType } from './types.ts';

export const ENTITIES_PER_PAGE = 30;

export interface EntityPage {
  title: string;
  path: string;
  page: number;
  value: Array<Record<string, JsonValue>>;
  nextPage: number | null;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The entity's file in the reference layout: `_companies/cisco.md`, `_learning/videos/<slug>.md`. */
export function entityPath(entity: Pick<Entity, 'kind' | 'subtype' | 'slug'>): string {
  const layout = KIND_LAYOUT[entity.kind];
  if (entity.kind === 'learning') return `${layout.folder}/${LEARNING_FOLDERS[entity.subtype as LearningType] ?? 'articles'}/${entity.slug}.md`;
  if (entity.kind === 'event') return `${layout.folder}/${entity.slug}.md`;
  return `${layout.folder}/${entity.slug}.md`;
}

/** The API route of one entity, without the base: `/api/companies/cisco/`. */
export function entityApiRoute(entity: Pick<Entity, 'kind' | 'subtype' | 'slug'>): string {
  const layout = KIND_LAYOUT[entity.kind];
  if (entity.kind === 'learning') return `/api/learning/${LEARNING_FOLDERS[entity.subtype as LearningType] ?? 'articles'}/${entity.slug}/`;
  return `/api/${layout.api}/${entity.slug}/`;
}

/** The site page of one entity, without the base: `/company/cisco/`, `/learning/videos/<slug>/`. */
export function entitySiteRoute(entity: Pick<Entity, 'kind' | 'subtype' | 'slug'>): string {
  const layout = KIND_LAYOUT[entity.kind];
  if (entity.kind === 'learning') return `/learning/${LEARNING_FOLDERS[entity.subtype as LearningType] ?? 'articles'}/${entity.slug}/`;
  return `/${layout.sitePath}/${entity.slug}/`;
}

/** The summary line of an entity: a company's overview, a person's bio, an event's or resource's excerpt. */
export function entitySummary(entity: Pick<Entity, 'kind' | 'data'>): string {
  const d = entity.data;
  const pick = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  if (entity.kind === 'company') return pick('overview');
  if (entity.kind === 'person') return pick('bio');
  return pick('excerpt') || pick('description') || pick('overview');
}

export function entityTitle(entity: Pick<Entity, 'kind' | 'name' | 'data'>): string {
  return typeof entity.data.title === 'string' && entity.kind === 'learning' ? entity.data.title : entity.name;
}

/** A member of a collection as the reference's `topItems` list shows it. */
function topItem(entity: Entity): Record<string, JsonValue> {
  const summaryKey = entity.kind === 'company' ? 'overview' : 'bio';
  return {
    path: entityPath(entity),
    title: entityTitle(entity),
    excerpt: entitySummary(entity),
    type: entity.subtype,
    name: entity.name,
    [summaryKey]: entitySummary(entity),
    topics: entity.topics,
    heat: entity.heat,
    ...(Array.isArray(entity.data.images) ? { images: entity.data.images } : {}),
  };
}

/**
 * One entity in the reference API's item shape. A collection with a query lists its hottest members
 * (`topItems`, at most 10) and their number (`size`), computed by `membersOf` in query.ts.
 */
export function toApiEntityItem(entity: Entity, baseUrl: string, members?: Entity[]): Record<string, JsonValue> {
  const base = trimSlash(baseUrl);
  const item: Record<string, JsonValue> = {
    path: entityPath(entity),
    title: entityTitle(entity),
    excerpt: entitySummary(entity),
    sourceUrl: `${base}${entityApiRoute(entity)}index.json`,
    webUrl: typeof entity.data.webUrl === 'string' ? entity.data.webUrl : `${base}${entitySiteRoute(entity)}`,
  };
  if (entity.kind === 'event' && typeof entity.data.website === 'string' && entity.data.originalUrl === undefined) item.originalUrl = entity.data.website;
  let heatWritten = false;
  for (const [key, value] of Object.entries(entity.data)) {
    if (key === 'title' || key === 'excerpt' || key === 'webUrl' || key === 'secured') continue;
    if (key === 'heat') {
      item.heat = entity.heat;
      heatWritten = true;
      continue;
    }
    item[key] = value;
  }
  if (!heatWritten && entity.kind !== 'organization' && entity.kind !== 'sponsorship') item.heat = entity.heat;
  if (members && entity.subtype === 'collection') {
    item.topItems = members.slice(0, 10).map(topItem);
    item.size = members.length;
  }
  item.content = '\r\n';
  return item;
}

export function entityPage(kind: EntityKind, items: Entity[], page: number, hasMore: boolean, baseUrl: string, members: Map<number, Entity[]> = new Map()): EntityPage {
  const layout = KIND_LAYOUT[kind];
  return { title: layout.title, path: layout.folder, page, value: items.map((e) => toApiEntityItem(e, baseUrl, members.get(e.id))), nextPage: hasMore ? page + 1 : null };
}
