// The reader-facing pages. For now a front page of the published stream; the full site grows here.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { html, type SafeHtml } from './html.ts';
import type { StoredArticle } from '../../store/index.ts';

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="alternate" type="application/json" href="/api/news/">
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}
header p{color:#555}.notice{background:#fff4ce;padding:.5rem .75rem;border-radius:4px}
article{border-top:1px solid #ddd;padding:.75rem 0}article h2{font-size:1.15rem;margin:0 0 .25rem}
.meta{color:#555;font-size:.875rem}a{color:#0b57d0}
@media (prefers-color-scheme: dark){body{background:#121212;color:#e8e8e8}.meta,header p{color:#aaa}a{color:#8ab4f8}.notice{background:#3a3000}}
</style>
</head>
<body>${body}</body>
</html>
`.value;
}

function story(article: StoredArticle): SafeHtml {
  const date = article.publishedDateTime ? article.publishedDateTime.slice(0, 10) : '';
  return html`<article>
<h2><a href="${article.webUrl}" rel="noopener">${article.title}</a></h2>
<p class="meta">${article.provider.name} · <time datetime="${article.publishedDateTime ?? ''}">${date}</time>${article.heat !== null ? html` · heat ${article.heat}` : ''}${article.topics.length ? html` · ${article.topics.join(', ')}` : ''}</p>
<p>${article.excerpt}</p>
</article>`;
}

export function registerSiteRoutes(app: FastifyInstance, desk: Desk): void {
  app.get('/', async (_req, reply) => {
    const { items } = await desk.store.listStream({ page: 1, perPage: 50 });
    const counts = await desk.store.counts();
    const body = html`<header>
<h1>${desk.config.siteName}</h1>
<p>${counts.published} published of ${counts.articles} articles from ${counts.sources} sources.</p>
${desk.config.useDemo ? html`<p class="notice" role="note">Demo mode: sources are replayed from the offline archive in <code>demo/</code>, not fetched from the web.</p>` : ''}
</header>
<main>
${items.length ? items.map(story) : html`<p>Nothing published yet.</p>`}
</main>`;
    reply.type('text/html; charset=utf-8').send(page(desk.config.siteName, body));
  });
}
