// Builds demo/archive.jsonl.gz from the reference system's public records in
// ../shared/corpus/everyday-ai/news.jsonl: one RSS 2.0 feed per provider, holding that provider's
// real titles, excerpts, links, dates and images (related coverage included), recorded as HTTP
// responses for the replay transport. Run: npx tsx demo/build.ts [CORPUS_DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeArchive, type RecordedResponse } from '../src/fetch/replay.ts';

interface CorpusImage { url: string; width?: number; height?: number }
interface CorpusItem {
  title: string;
  excerpt?: string;
  publishedDateTime?: string;
  webUrl: string;
  originalUrl?: string;
  provider: { name: string; domain: string };
  images?: CorpusImage[] | null;
  related?: CorpusItem[];
}

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = process.argv[2] ?? join(here, '..', '..', 'shared', 'corpus', 'everyday-ai');
const lines = readFileSync(join(corpusDir, 'news.jsonl'), 'utf8').trim().split('\n');

const byDomain = new Map<string, { name: string; items: Map<string, CorpusItem> }>();
function add(item: CorpusItem): void {
  const domain = item.provider.domain;
  const group = byDomain.get(domain) ?? { name: item.provider.name, items: new Map() };
  byDomain.set(domain, group);
  if (!group.items.has(item.webUrl)) group.items.set(item.webUrl, item);
}
for (const line of lines) {
  const record = JSON.parse(line) as CorpusItem;
  add(record);
  for (const related of record.related ?? []) add(related);
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const rfc822 = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');

const records: RecordedResponse[] = [];
const sources: Array<{ url: string; name: string }> = [];
for (const [domain, group] of [...byDomain.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  const feedUrl = `https://${domain}/newsdesk-demo/feed.xml`;
  const items = [...group.items.values()].sort((a, b) => (b.publishedDateTime ?? '').localeCompare(a.publishedDateTime ?? ''));
  const newest = items.find((i) => i.publishedDateTime)?.publishedDateTime;
  const xmlItems = items.map((item) => {
    const image = item.images?.[0];
    const media = image
      ? `\n      <media:content url="${escapeXml(image.url)}" medium="image"${image.width ? ` width="${image.width}"` : ''}${image.height ? ` height="${image.height}"` : ''}/>`
      : '';
    return `    <item>
      <title>${escapeXml(item.title)}</title>
      <link>${escapeXml(item.originalUrl ?? item.webUrl)}</link>
      <guid isPermaLink="true">${escapeXml(item.webUrl)}</guid>
      <description>${escapeXml(item.excerpt ?? '')}</description>${item.publishedDateTime ? `\n      <pubDate>${rfc822(item.publishedDateTime)}</pubDate>` : ''}${media}
    </item>`;
  });
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>${escapeXml(group.name)}</title>
    <link>https://${domain}/</link>
    <description>${escapeXml(group.name)} (newsdesk demo feed rebuilt from public records)</description>
    <language>en-us</language>
${xmlItems.join('\n')}
  </channel>
</rss>
`;
  records.push({
    url: feedUrl,
    status: 200,
    headers: {
      'content-type': 'application/rss+xml; charset=utf-8',
      etag: `"demo-${domain}-${items.length}"`,
      ...(newest ? { 'last-modified': new Date(newest).toUTCString() } : {}),
    },
    body: xml,
  });
  sources.push({ url: feedUrl, name: group.name });
}

const archive = writeArchive(
  {
    created: new Date().toISOString().slice(0, 10),
    description: `Demo feeds rebuilt from ${lines.length} public records of the reference system (everyday-cc/ai): ${sources.length} providers.`,
  },
  records,
);
writeFileSync(join(here, 'archive.jsonl.gz'), archive);
writeFileSync(join(here, 'sources.json'), JSON.stringify(sources, null, 1) + '\n');
console.log(`demo archive: ${records.length} feeds, ${[...byDomain.values()].reduce((n, g) => n + g.items.size, 0)} items, ${archive.length} bytes`);
