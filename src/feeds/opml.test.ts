import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOpml, writeOpml, type OpmlSource } from './opml.ts';

const sample = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="Loose &amp; Top" type="rss" xmlUrl="https://top.example.org/feed" htmlUrl="https://top.example.org/"/>
  <outline text="Tech">
    <outline text="AI">
      <outline title="Lab blog" text="ignored when title exists" type="rss" xmlurl="https://lab.example.org/rss.xml"/>
      <!-- <outline text="commented" xmlUrl="https://nope.example.org/"/> -->
    </outline>
    <outline text="Dev" type="rss" XMLURL="https://dev.example.org/atom.xml" htmlUrl="https://dev.example.org"></outline>
  </outline>
  <outline text="Tagged" xmlUrl="https://tagged.example.org/feed" category="/News/World,/Other"/>
</body></opml>`;

test('parseOpml reads nested outlines, folder paths become categories', () => {
  assert.deepEqual(parseOpml(sample), [
    { title: 'Loose & Top', xmlUrl: 'https://top.example.org/feed', htmlUrl: 'https://top.example.org/', category: null },
    { title: 'Lab blog', xmlUrl: 'https://lab.example.org/rss.xml', htmlUrl: null, category: 'Tech/AI' },
    { title: 'Dev', xmlUrl: 'https://dev.example.org/atom.xml', htmlUrl: 'https://dev.example.org', category: 'Tech' },
    { title: 'Tagged', xmlUrl: 'https://tagged.example.org/feed', htmlUrl: null, category: 'News/World' },
  ]);
});

test('writeOpml then parseOpml gives the same sources back', () => {
  const sources: OpmlSource[] = [
    { title: 'A "quoted" <feed> & co', xmlUrl: 'https://a.example.org/feed?x=1&y=2', htmlUrl: 'https://a.example.org/', category: null },
    { title: 'B', xmlUrl: 'https://b.example.org/rss', htmlUrl: null, category: 'Tech/AI' },
    { title: 'C', xmlUrl: 'https://c.example.org/rss', htmlUrl: null, category: 'Tech' },
    { title: 'D', xmlUrl: 'https://d.example.org/rss', htmlUrl: null, category: 'Tech/AI' },
  ];
  const back = parseOpml(writeOpml(sources));
  const key = (s: OpmlSource): string => s.xmlUrl;
  assert.deepEqual([...back].sort((a, b) => key(a).localeCompare(key(b))), [...sources].sort((a, b) => key(a).localeCompare(key(b))));
});

test('writeOpml produces a well-formed OPML 2.0 document', () => {
  const xml = writeOpml([{ title: null, xmlUrl: 'https://x.example.org/f', htmlUrl: null, category: 'Deep/er/est' }], 'Export');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
  assert.match(xml, /<title>Export<\/title>/);
  assert.equal((xml.match(/<outline\b[^>]*[^/]>/g) ?? []).length, (xml.match(/<\/outline>/g) ?? []).length);
  assert.deepEqual(parseOpml(xml)[0], { title: 'https://x.example.org/f', xmlUrl: 'https://x.example.org/f', htmlUrl: null, category: 'Deep/er/est' });
});
