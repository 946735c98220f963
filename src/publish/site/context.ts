// What the site and the desk share per desk: the site store, the page cache, topic lookups.
import type { Desk } from '../../jobs/desk.ts';
import { SiteStore } from '../../store/site.ts';
import { PageCache } from './cache.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';
import type { TopicLinks } from './components.ts';
import type { TopicDef } from '../../curate/types.ts';

export interface SiteContext {
  desk: Desk;
  site: SiteStore;
  cache: PageCache;
  topicLinks(): TopicLinks;
  topics(): TopicDef[];
}

const contexts = new WeakMap<Desk, SiteContext>();

/** Seconds a rendered public page may be served again; NEWSDESK_PAGE_CACHE_MS=0 turns it off. */
const pageCacheMs = () => Number(process.env.NEWSDESK_PAGE_CACHE_MS ?? 2000);

export function siteContext(desk: Desk): SiteContext {
  let ctx = contexts.get(desk);
  if (!ctx) {
    ctx = {
      desk,
      site: new SiteStore(desk.store),
      cache: new PageCache(pageCacheMs()),
      topics: () => allTopics(desk.taxonomy),
      topicLinks: () => ({ root: desk.taxonomy.root.name, idByName: new Map(allTopics(desk.taxonomy).map((t) => [t.name, t.id])) }),
    };
    contexts.set(desk, ctx);
  }
  return ctx;
}
