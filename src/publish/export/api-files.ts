// The static API: every route the server answers, written as `api/<route>/index.json` with the bytes
// the server sends (the same functions build both; fastify sends JSON.stringify of the body).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Desk } from '../../jobs/desk.ts';
import { newsPage, toApiNewsItem, isPublicItem, NEWS_PER_PAGE } from '../api/news.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';
import { collectionApiFiles } from '../api/collections.ts';
import { publicBaseUrl } from '../base-url.ts';

/** News routes: `/api/news/`, `/api/news/page/N/`, `/api/news/<topic-id>/page/N/`, `/api/news/item/<key>/` (of the items the server answers for). */
export async function* newsApiFiles(desk: Desk): AsyncGenerator<{ route: string; body: unknown }> {
  const baseUrl = publicBaseUrl(desk);
  const lists: Array<{ prefix: string; topic?: string }> = [{ prefix: '/api/news' }, ...allTopics(desk.taxonomy).map((t) => ({ prefix: `/api/news/${t.id}`, topic: t.name }))];
  for (const list of lists) {
    for (let page = 1; ; page++) {
      const { items, hasMore } = await desk.store.listStream({ page, perPage: NEWS_PER_PAGE, topic: list.topic });
      const body = newsPage(items, page, hasMore, baseUrl);
      if (page === 1) yield { route: `${list.prefix}/`, body };
      yield { route: `${list.prefix}/page/${page}/`, body };
      if (!hasMore) break;
    }
  }
  for await (const article of desk.store.iterateArticles()) {
    if (!isPublicItem(desk.config, article)) continue;
    yield { route: `/api/news/item/${article.pathKey}/`, body: toApiNewsItem(article, baseUrl) };
  }
}

/** Every API route of the publication: news, collections and newsletters. */
export async function* apiFiles(desk: Desk): AsyncGenerator<{ route: string; body: unknown }> {
  yield* newsApiFiles(desk);
  yield* collectionApiFiles(desk);
}

/** Writes `dir/api/.../index.json` for every route (routes start with /api/); returns the routes written. */
export async function writeApiFiles(desk: Desk, dir: string): Promise<string[]> {
  const routes: string[] = [];
  for await (const { route, body } of apiFiles(desk)) {
    const folder = join(dir, ...route.split('/').filter(Boolean));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.json'), JSON.stringify(body));
    routes.push(route);
  }
  return routes;
}
