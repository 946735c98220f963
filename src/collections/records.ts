// Reference records (front matter or API items, see corpus/everyday-ai) to the desk's entities.
// Both kinds of record carry the same fields; API items add `path`, `title`, `excerpt`, `sourceUrl`,
// `webUrl` and `content`, which the API derives again, so they are dropped here.
import { slugify } from '../normalize/slug.ts';
import { toUtcSeconds } from '../normalize/entry.ts';
import { KIND_LAYOUT, LEARNING_FOLDERS, learningTypeOfFolder, type EntityData, type EntityInput, type EntityKind, type JsonValue } from './types.ts';

export type RecordKind = EntityKind | 'news' | 'newsletter' | 'topic' | 'tag' | 'envelope';

/** The repository path a record came from: its API `path`, the path in `_source`, or a file hint. */
export function recordPath(record: Record<string, unknown>, fileHint?: string): string | null {
  if (typeof record.path === 'string' && record.path.startsWith('_')) return record.path;
  if (typeof record._source === 'string') {
    const match = /^[^:]+:([^@]+)/.exec(record._source);
    if (match && !match[1]!.startsWith('api/')) return match[1]!;
  }
  return fileHint ?? null;
}

/** What a reference record is, from its path and its own fields. */
export function classifyRecord(record: Record<string, unknown>, fileHint?: string, kindHint?: EntityKind): RecordKind | null {
  if (record.frontMatter && Array.isArray(record.sections)) return 'newsletter';
  if (record._record === 'api-page-envelope' || (typeof record.page === 'number' && 'path' in record && !('name' in record) && !('excerpt' in record))) return 'envelope';
  if (record.taxonomy === 'organization') return 'organization';
  if (record.taxonomy === 'tag') return 'tag';
  const path = recordPath(record, fileHint) ?? '';
  const rel = path.replace(/^_archive\//, '');
  if (rel.startsWith('_data/organizations/')) return 'organization';
  if (rel.startsWith('_data/tags/')) return 'tag';
  if (rel.startsWith('_data/topics/') || (typeof record.file === 'string' && /^\d\d-.+\.ya?ml$/.test(record.file))) return 'topic';
  if (rel.startsWith('_news/') || record.category === 'news') return 'news';
  if (rel.startsWith('_newsletters/') || record.category === 'newsletter') return 'newsletter';
  if (rel.startsWith('_companies/')) return 'company';
  if (rel.startsWith('_people/')) return 'person';
  if (rel.startsWith('_events/')) return 'event';
  if (rel.startsWith('_learning/')) return 'learning';
  if (rel.startsWith('_sponsorships/')) return 'sponsorship';
  if (kindHint) return kindHint;
  if (record.sponsor && record.placements) return 'sponsorship';
  return null;
}

/** `_companies/collections/ai-companies-in-seattle.md` → `collections/ai-companies-in-seattle`. */
function slugFromPath(path: string, folder: string): string | null {
  const rel = path.replace(/^_archive\//, '');
  if (!rel.startsWith(`${folder}/`)) return null;
  return rel.slice(folder.length + 1).replace(/\.(md|markdown|html)$/, '') || null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function utc(value: unknown): string | null {
  return typeof value === 'string' ? toUtcSeconds(value) : null;
}

/** Keys the API adds or derives; they are not part of the stored record. */
const API_KEYS = new Set(['path', 'sourceUrl', 'content', '_source', '_record', '_alsoIn', '_note', '_body']);

/**
 * A company, person, event, learning resource, organization or sponsorship record in the reference
 * format, as the desk's entity. Returns null for a record without a usable name.
 */
export function entityFromRecord(kind: EntityKind, record: Record<string, unknown>, fileHint?: string): EntityInput | null {
  const path = recordPath(record, fileHint);
  const data: EntityData = {};
  for (const [key, value] of Object.entries(record)) {
    if (API_KEYS.has(key) || value === undefined) continue;
    data[key] = value as JsonValue;
  }
  const topics = Array.isArray(record.topics) ? record.topics.filter((t): t is string => typeof t === 'string') : [];
  const heat = typeof record.heat === 'number' ? Math.round(record.heat) : null;

  if (kind === 'organization') {
    const domain = text(record.domain) ?? (typeof record._id === 'string' ? record._id : null);
    const name = text(record.name) ?? domain;
    if (!domain || !name) return null;
    delete data.taxonomy;
    delete data._id;
    return { kind, subtype: 'organization', slug: domain, name, data: { domain, name, ...data }, topics, heat };
  }
  if (kind === 'sponsorship') {
    const sponsor = record.sponsor as { name?: string } | undefined;
    const name = text(sponsor?.name) ?? text(record.name);
    if (!name) return null;
    const slug = (path && slugFromPath(path, '_sponsorships')) || slugify(name);
    const schedules = Array.isArray(record.schedules) ? (record.schedules as string[]).filter((s) => typeof s === 'string').sort() : [];
    return { kind, subtype: 'sponsorship', slug, name, data, topics, heat, startsAt: schedules[0] ?? null, endsAt: schedules[schedules.length - 1] ?? null };
  }

  const layout = KIND_LAYOUT[kind];
  const name = text(record.name) ?? text(record.title);
  if (!name) return null;
  let slug = path ? slugFromPath(path, layout.folder) : null;
  let subtype = text(record.type) ?? (kind === 'event' ? 'conference' : 'profile');

  if (kind === 'learning') {
    // Learning items live in a folder per type: `_learning/videos/<slug>.md`.
    if (slug && slug.includes('/')) {
      const [folder, ...rest] = slug.split('/');
      subtype = text(record.type) ?? learningTypeOfFolder(folder!) ?? 'article';
      slug = rest.join('/');
    }
    if (!(subtype in LEARNING_FOLDERS)) subtype = 'article';
    // The title is the learning record's own field; the site's own webUrl is derived again.
    if (typeof data.webUrl === 'string' && /\/learning\/[a-z]+\/[^/]+\/?$/.test(data.webUrl)) delete data.webUrl;
  } else {
    // Companies, people and events are named; their title and excerpt are the API's copies.
    delete data.title;
    if (kind !== 'event') delete data.excerpt;
    delete data.webUrl;
    if (kind === 'event' && data.originalUrl === data.website) delete data.originalUrl;
  }
  slug ||= kind === 'event' ? `${(utc(record.startDateTime) ?? '').slice(0, 10)}-${slugify(name)}`.replace(/^-/, '') : slugify(name);
  const aliases = Array.isArray(record.aliases) ? record.aliases.filter((a): a is string => typeof a === 'string') : [];
  return {
    kind,
    subtype,
    slug,
    name,
    data,
    topics,
    heat,
    startsAt: kind === 'event' ? utc(record.startDateTime) : null,
    endsAt: kind === 'event' ? utc(record.endDateTime) : null,
    aliases,
  };
}
