// Imports records in the reference formats so that a user of the old system can move over: Jekyll
// content files (front matter), API JSON pages or items, `_data` YAML, and JSONL/YAML lists of any of
// these (the corpus JSONL lines are both kinds). Every record is classified by its path or its fields.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, extname, sep } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { NewArticle, Store } from '../store/index.ts';
import { CollectionStore } from '../store/collections.ts';
import { NewsletterStore, type NewsletterSection } from '../store/newsletter.ts';
import type { NewsRecord, ImageRef, ArticleType } from '../record.ts';
import type { TopicDef } from '../curate/types.ts';
import { toUtcSeconds } from '../normalize/entry.ts';
import { registrableDomain } from '../normalize/url.ts';
import { pathKey as makePathKey } from '../normalize/slug.ts';
import { classifyRecord, entityFromRecord, recordPath, type RecordKind } from './records.ts';
import type { EntityKind } from './types.ts';
import { renderNewsletter } from '../publish/newsletter/render.ts';

export interface ImportReport {
  /** Records stored (inserted or updated), by kind. */
  imported: Partial<Record<RecordKind, number>>;
  /** Records recognized but left alone (page envelopes, tags, news already stored), by kind. */
  skipped: Partial<Record<RecordKind | 'unknown', number>>;
  /** One line per record that could not be read. */
  errors: string[];
}

export interface ImportOptions {
  /** The kind of records whose path does not tell (a plain JSONL of companies, say). */
  kind?: EntityKind;
  siteName?: string;
  baseUrl?: string;
  /** Heat at or above which an imported, scored news record counts as published when it says nothing. */
  publishThreshold?: number;
  /** Called as files are read with how many are done of how many (a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

interface Located {
  record: Record<string, unknown>;
  fileHint?: string;
  /** Text after the front matter, for content files. */
  body?: string;
}

/** Splits `---\nyaml\n---\nbody` into its front matter and body; null when there is none. */
export function splitFrontMatter(text: string): { data: Record<string, unknown>; body: string } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) return null;
  // YAML 1.1 timestamps would become Date objects; the reference keeps them as text.
  const data = parseYaml(match[1]!, { version: '1.1', schema: 'yaml-1.1', customTags: [] }) as unknown;
  return data && typeof data === 'object' ? { data: stringifyDates(data) as Record<string, unknown>, body: match[2]! } : null;
}

function stringifyDates(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.map(stringifyDates);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringifyDates(v)]));
  return value;
}

/** Reads every record from a file: JSONL, JSON (an API page, an item, or a list), YAML, or a content file. */
export function readRecords(file: string, root?: string): Located[] {
  const text = readFileSync(file, 'utf8');
  const rel = root ? relative(root, file).split(sep).join('/') : undefined;
  const ext = extname(file).toLowerCase();
  const fromValue = (value: unknown): Located[] => {
    if (Array.isArray(value)) return value.filter(isObject).map((record) => ({ record }));
    if (!isObject(value)) return [];
    // An API page: its items carry their own paths.
    if (Array.isArray(value.value)) return value.value.filter(isObject).map((record) => ({ record }));
    return [{ record: value, fileHint: rel }];
  };
  if (ext === '.jsonl' || ext === '.ndjson') {
    return text
      .split('\n')
      .filter((line) => line.trim())
      .flatMap((line) => fromValue(JSON.parse(line)));
  }
  if (ext === '.json') return fromValue(JSON.parse(text));
  if (ext === '.md' || ext === '.markdown' || ext === '.html') {
    const split = splitFrontMatter(text);
    return split ? [{ record: split.data, fileHint: rel, body: split.body }] : [];
  }
  if (ext === '.yaml' || ext === '.yml') {
    return parseAllDocuments(text).flatMap((doc) => fromValue(stringifyDates(doc.toJS())));
  }
  return [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listFiles(path: string): { files: string[]; root: string } {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { files: [path], root: join(path, '..') };
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(jsonl|ndjson|json|ya?ml|md|markdown|html)$/i.test(name) && !/^readme\.md$/i.test(name)) files.push(full);
    }
  };
  walk(path);
  return { files, root: path };
}

/** News records stored a transaction at a time. */
const IMPORT_BATCH = 500;

const count = <K extends string>(map: Partial<Record<K, number>>, key: K) => {
  map[key] = (map[key] ?? 0) + 1;
};

/** Imports a file or a directory tree of reference records into the store. */
export async function importEveryday(store: Store, path: string, options: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { imported: {}, skipped: {}, errors: [] };
  const collections = new CollectionStore(store);
  const newsletters = new NewsletterStore(store);
  const { files, root } = listFiles(path);
  const topics: Array<Record<string, unknown>> = [];
  let filesDone = 0;
  const news: Array<{ article: NewArticle; label: string }> = [];
  const storeNews = async () => {
    const batch = news.splice(0);
    let outcomes;
    try {
      outcomes = await store.insertArticles(batch.map((n) => n.article));
    } catch {
      // One bad row fails the batch's transaction: store them one by one to say which.
      outcomes = [];
      for (const { article, label } of batch) {
        try {
          outcomes.push((await store.insertArticles([article]))[0]!);
        } catch (err) {
          report.errors.push(`${label}: ${(err as Error).message.split('\n')[0]}`);
          outcomes.push(null);
        }
      }
    }
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome === null) continue;
      if (outcome.pathTaken) report.errors.push(`${batch[i]!.label}: path ${batch[i]!.article.pathKey} is taken`);
      else count(outcome.inserted ? report.imported : report.skipped, 'news');
    }
  };
  for (const file of files) {
    options.onProgress?.(filesDone++, files.length);
    let located: Located[];
    try {
      located = readRecords(file, root);
    } catch (err) {
      report.errors.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const { record, fileHint, body } of located) {
      const kind = classifyRecord(record, fileHint, options.kind);
      try {
        if (kind === null) count(report.skipped, 'unknown');
        else if (kind === 'envelope' || kind === 'tag') count(report.skipped, kind);
        else if (kind === 'topic') {
          // A topic file names its id only in its file name: `_data/topics/01-machine-learning.yaml`.
          const file = typeof record.file === 'string' ? record.file : fileHint;
          const idFromFile = file ? /(?:^|\/)\d+-([a-z0-9-]+)\.ya?ml$/.exec(file)?.[1] : undefined;
          topics.push(idFromFile && record._id === undefined && record.id === undefined ? { ...record, _id: idFromFile } : record);
          count(report.imported, kind);
        } else if (kind === 'news') {
          news.push({ article: newsArticle(record, fileHint, options.publishThreshold ?? 70), label: recordPath(record, fileHint) ?? file });
          if (news.length >= IMPORT_BATCH) await storeNews();
        } else if (kind === 'newsletter') {
          const stored = await importNewsletter(newsletters, record, fileHint, body, options);
          count(stored ? report.imported : report.skipped, kind);
        } else {
          const input = entityFromRecord(kind, record, fileHint);
          if (!input) {
            report.errors.push(`${fileHint ?? file}: a ${kind} record without a name`);
            continue;
          }
          // The same entity seen twice (a front-matter file and an API item): fields of both are kept,
          // the later record's values winning.
          const existing = await collections.getEntity(input.kind, input.slug);
          if (existing) input.data = { ...existing.data, ...input.data };
          await collections.upsertEntity(input);
          count(report.imported, kind);
        }
      } catch (err) {
        report.errors.push(`${recordPath(record, fileHint) ?? file}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  await storeNews();
  options.onProgress?.(files.length, files.length);
  if (topics.length) await mergeTopics(store, topics);
  return report;
}

/** Topic files of the reference (`_data/topics/NN-id.yaml`) merged into the stored taxonomy by id. */
async function mergeTopics(store: Store, records: Array<Record<string, unknown>>): Promise<void> {
  const existing = await store.listTopics();
  const byId = new Map(existing.map((t) => [t.id, t]));
  const byName = new Map(existing.map((t) => [t.name, t]));
  for (const r of records) {
    const id = typeof r._id === 'string' ? r._id : typeof r.id === 'string' ? r.id : null;
    const name = typeof r.name === 'string' ? r.name : null;
    if (!id || !name) continue;
    const parentName = typeof r.parent === 'string' ? r.parent : null;
    const parent = parentName ? (byName.get(parentName)?.id ?? parentName.toLowerCase().replace(/[^a-z0-9]+/g, '-')) : null;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
    const previous = byId.get(id);
    const topic: TopicDef = {
      id,
      name,
      ...(typeof r.shortname === 'string' ? { shortName: r.shortname } : previous?.shortName ? { shortName: previous.shortName } : {}),
      parent: id === 'ai' && !parentName ? null : parent ?? previous?.parent ?? null,
      ...(typeof r.description === 'string' ? { description: r.description } : previous?.description ? { description: previous.description } : {}),
      keywords: strings(r.keywords) ?? previous?.keywords ?? [],
      hashtags: strings(r.hashtags) ?? previous?.hashtags ?? [],
    };
    byId.set(id, topic);
    byName.set(name, topic);
  }
  await store.replaceTopics([...byId.values()]);
}

function images(value: unknown): ImageRef[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).filter((i) => typeof i.url === 'string').map((i) => ({
    url: i.url as string,
    width: typeof i.width === 'number' ? i.width : null,
    height: typeof i.height === 'number' ? i.height : null,
    ...(typeof i.isCached === 'boolean' ? { isCached: i.isCached } : {}),
    ...(typeof i.title === 'string' ? { title: i.title } : {}),
    ...(typeof i.attribution === 'string' ? { attribution: i.attribution } : {}),
  }));
}

/** A reference news record (front matter or API item) as an article to store, with the curation it carries. */
function newsArticle(r: Record<string, unknown>, fileHint: string | undefined, threshold: number): NewArticle {
  const webUrl = typeof r.webUrl === 'string' ? r.webUrl : null;
  const title = typeof r.title === 'string' ? r.title : null;
  if (!webUrl || !title) throw new Error('a news record needs title and webUrl');
  const provider = isObject(r.provider) ? r.provider : {};
  const domain = typeof provider.domain === 'string' ? provider.domain : registrableDomain(webUrl);
  const providerImages = images(provider.images);
  const publishedDateTime = toUtcSeconds(typeof r.publishedDateTime === 'string' ? r.publishedDateTime : null);
  const record: NewsRecord = {
    title,
    excerpt: typeof r.excerpt === 'string' ? r.excerpt : '',
    publishedDateTime,
    updatedDateTime: toUtcSeconds(typeof r.updatedDateTime === 'string' ? r.updatedDateTime : null),
    originalUrl: typeof r.originalUrl === 'string' ? r.originalUrl : webUrl,
    webUrl,
    ampWebUrl: typeof r.ampWebUrl === 'string' ? r.ampWebUrl : null,
    cdnAmpWebUrl: typeof r.cdnAmpWebUrl === 'string' ? r.cdnAmpWebUrl : null,
    type: (typeof r.type === 'string' ? r.type : 'article') as ArticleType,
    provider: { name: typeof provider.name === 'string' ? provider.name : domain, domain, ...(providerImages.length ? { images: providerImages } : {}) },
    topics: Array.isArray(r.topics) ? r.topics.filter((t): t is string => typeof t === 'string') : [],
    images: images(r.images),
    locale: typeof r.locale === 'string' ? r.locale : null,
    authors: [],
    text: '',
    html: null,
    extraction: { status: 'feed', reason: 'imported from the reference format' },
  };
  const path = recordPath(r, fileHint);
  const fileKey = path ? /_news\/([^/]+)\.md$/.exec(path)?.[1] : undefined;
  const key = fileKey ?? makePathKey(title, publishedDateTime);
  const quality = typeof r.quality === 'number' ? r.quality : null;
  const heat = typeof r.heat === 'number' ? r.heat : null;
  // API items list only published or unscored items, and carry no `published` of their own.
  const published = typeof r.published === 'boolean' ? r.published : heat !== null ? heat >= threshold || r._record === 'api-item' || 'path' in r : null;
  return {
    record,
    sourceId: null,
    pathKey: key,
    secured: typeof r.secured === 'string' ? r.secured : null,
    curated: { quality, heat, published, reason: 'imported from the reference format' },
  };
}

/** A reference newsletter: a parsed issue (front matter + sections) or a `_newsletters/<slug>.html` file. */
async function importNewsletter(newsletters: NewsletterStore, r: Record<string, unknown>, fileHint: string | undefined, body: string | undefined, options: ImportOptions): Promise<boolean> {
  const front = isObject(r.frontMatter) ? r.frontMatter : r;
  const title = typeof front.title === 'string' ? front.title : null;
  const date = title ? /\((\d{4}-\d{2}-\d{2})\)/.exec(title)?.[1] : undefined;
  if (!title || !date) return false;
  const path = recordPath(r, fileHint);
  const slug = (path ? /_newsletters\/([^/]+)\.html?$/.exec(path)?.[1] : undefined) ?? `${title.replace(/\s*\(.*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${date}`;
  const sections: NewsletterSection[] = Array.isArray(r.sections)
    ? (r.sections as Array<Record<string, unknown>>).map((s) => ({
        heading: String(s.heading ?? ''),
        items: (Array.isArray(s.items) ? (s.items as Array<Record<string, unknown>>) : []).map((i) => ({
          title: String(i.title ?? ''),
          url: String(i.url ?? ''),
          image: typeof i.image === 'string' ? i.image : null,
          summary: String(i.summary ?? ''),
          sourceLabel: String(i.sourceLabel ?? ''),
        })),
      }))
    : [];
  const publishedAt = toUtcSeconds(typeof front.publishedDateTime === 'string' ? front.publishedDateTime : null) ?? `${date}T00:00:00Z`;
  const siteName = title.replace(/\s*\(\d{4}-\d{2}-\d{2}\)\s*$/, '') || options.siteName || 'newsdesk';
  const excerpt = typeof front.excerpt === 'string' ? front.excerpt : '';
  const rendered = sections.length
    ? renderNewsletter({ siteName, baseUrl: options.baseUrl ?? 'http://localhost:8080', date, title, sections, webUrl: typeof front.webUrl === 'string' ? front.webUrl : null })
    : { html: body ?? '', text: '' };
  await newsletters.saveIssue({ slug, date, title, excerpt, publishedAt, sections, html: rendered.html, text: rendered.text });
  return true;
}
