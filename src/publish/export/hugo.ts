// `export hugo DIR`: a Hugo site that builds as it is (`hugo --source DIR`): a config, minimal
// layouts, and one content page per published article, newsletter and collection entity. Front
// matter is YAML with Hugo's own keys (title, date, description, slug) and the record's fields as
// params; topics become a Hugo taxonomy so each topic gets a list page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { Desk } from '../../jobs/desk.ts';
import { CollectionStore } from '../../store/collections.ts';
import { NewsletterStore } from '../../store/newsletter.ts';
import { entitySummary, entityTitle } from '../../collections/api.ts';
import { LEARNING_FOLDERS, KIND_LAYOUT } from '../../collections/types.ts';
import { personalize } from '../newsletter/render.ts';
import { publicBaseUrl } from '../base-url.ts';

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function page(front: Record<string, unknown>, body = ''): string {
  const clean = Object.fromEntries(Object.entries(front).filter(([, v]) => v !== undefined && v !== null));
  return `---\n${stringifyYaml(clean, { lineWidth: 0 })}---\n${body}`;
}

const LAYOUT_BASE = `<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem">
<header><a href="{{ .Site.BaseURL }}">{{ .Site.Title }}</a> · <a href="{{ "news/" | relURL }}">News</a> · <a href="{{ "newsletters/" | relURL }}">Newsletters</a> · <a href="{{ "companies/" | relURL }}">Companies</a> · <a href="{{ "people/" | relURL }}">People</a> · <a href="{{ "events/" | relURL }}">Events</a> · <a href="{{ "learning/" | relURL }}">Learning</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
`;

const LAYOUT_SINGLE = `{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.provider }}<p class="meta">{{ .name }}{{ end }}{{ with $.Date }} · <time datetime="{{ .Format "2006-01-02T15:04:05Z07:00" }}">{{ .Format "2006-01-02" }}</time>{{ end }}</p>
{{ with .Description }}<p class="excerpt">{{ . }}</p>{{ end }}
{{ with .Params.webUrl }}<p><a href="{{ . }}" rel="noopener">Read it at the source</a></p>{{ end }}
{{ with .Params.topics }}<p class="topics">{{ range . }}<a href="{{ (print "topics/" (. | urlize) "/") | relURL }}">{{ . }}</a> {{ end }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
`;

const LAYOUT_LIST = `{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }} — {{ . }}{{ end }}</li>
{{ end }}
</ul>
{{ end }}
`;

const LAYOUT_HOME = `{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ul>
{{ range first 50 (where .Site.RegularPages "Section" "news").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
`;

export async function exportHugo(desk: Desk, dir: string): Promise<{ pages: number }> {
  const config = [
    `baseURL = ${JSON.stringify(`${publicBaseUrl(desk)}/`)}`,
    `title = ${JSON.stringify(desk.config.siteName)}`,
    `languageCode = "en-us"`,
    `disableKinds = ["RSS", "sitemap", "robotsTXT"]`,
    `[taxonomies]`,
    `  topic = "topics"`,
    `[markup.goldmark.renderer]`,
    `  unsafe = true`,
    '',
  ].join('\n');
  write(join(dir, 'hugo.toml'), config);
  write(join(dir, 'config.toml'), config);
  write(join(dir, 'layouts', '_default', 'baseof.html'), LAYOUT_BASE);
  write(join(dir, 'layouts', '_default', 'single.html'), LAYOUT_SINGLE);
  write(join(dir, 'layouts', '_default', 'list.html'), LAYOUT_LIST);
  write(join(dir, 'layouts', '_default', 'taxonomy.html'), LAYOUT_LIST);
  write(join(dir, 'layouts', '_default', 'term.html'), LAYOUT_LIST);
  write(join(dir, 'layouts', 'index.html'), LAYOUT_HOME);

  let pages = 0;
  const sections: Record<string, string> = { news: 'News', newsletters: 'Newsletters' };
  for await (const article of desk.store.iterateArticles()) {
    // The site shows what the API lists: published articles and those not yet scored.
    if (article.published === false) continue;
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
        images: article.images.map((i) => ({ url: i.url, width: i.width, height: i.height })),
      }),
    );
    pages++;
  }

  const base = publicBaseUrl(desk);
  const newsletters = new NewsletterStore(desk.store);
  for (let n = 1; ; n++) {
    const { items, hasMore } = await newsletters.listIssues({ page: n, perPage: 100 });
    for (const issue of items) {
      // The e-mail's HTML is a full document; the page shows its body inside the site's layout.
      const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(issue.html)?.[1] ?? issue.html;
      write(join(dir, 'content', 'newsletters', `${issue.slug}.html`), page({ title: issue.title, date: issue.publishedAt, description: issue.excerpt, slug: issue.slug }, personalize(body, `${base}/newsletter/unsubscribe/`, true)));
      pages++;
    }
    if (!hasMore) break;
  }

  const collections = new CollectionStore(desk.store);
  for await (const entity of collections.iterateEntities()) {
    if (entity.kind === 'organization' || entity.kind === 'sponsorship') continue;
    const section = KIND_LAYOUT[entity.kind].api;
    sections[section] = KIND_LAYOUT[entity.kind].title;
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
    pages++;
  }
  for (const [section, title] of Object.entries(sections)) write(join(dir, 'content', section, '_index.md'), page({ title }));
  return { pages };
}
