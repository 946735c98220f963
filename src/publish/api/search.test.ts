// Search over everything stored: an outlet shown under a story is found by its own headline, published
// articles rank first, blocked stories stay hidden; HTML marks matches escaped, JSON gives offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { smallDeskOnFirstUse } from '../testing.ts';
import { markedRanges } from './search.ts';
import { MARK_START, MARK_END } from '../../store/site.ts';
import { marked, plural } from '../site/components.ts';

interface Result {
  id: number;
  title: { text: string; matches: Array<{ start: number; end: number }>; html: string };
  snippet: { text: string; matches: Array<{ start: number; end: number }>; html: string };
  published: boolean | null;
  storyUrl: string | null;
  url: string;
}

test('marked text becomes offsets and escaped <mark> HTML, stray markers included', () => {
  const text = `a ${MARK_START}GPU${MARK_END} & <b>${MARK_START}chips${MARK_END}`;
  const ranges = markedRanges(text);
  assert.equal(ranges.text, 'a GPU & <b>chips');
  assert.deepEqual(ranges.matches.map((m) => ranges.text.slice(m.start, m.end)), ['GPU', 'chips']);
  assert.equal(marked(text).value, 'a <mark>GPU</mark> &amp; &lt;b&gt;<mark>chips</mark>');
  assert.equal(marked(`x${MARK_START}open`).value, 'x<mark>open</mark>', 'an unclosed marker is closed');
  assert.equal(marked(`x${MARK_END}y`).value, 'xy', 'a stray end marker is dropped');
  assert.equal(plural(1, 'result'), '1 result');
  assert.equal(plural(2, 'result'), '2 results');
  assert.equal(plural(0, 'result'), '0 results');
});

describeEachStore('search', (fixture) => {
  const open = smallDeskOnFirstUse(() => fixture().store);
  const api = async (query: string) => {
    const { app } = await open();
    const response = await app.inject({ method: 'GET', url: `/api/search?${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return JSON.parse(response.body) as { query: string; page: number; nextPage: number | null; results: Result[] };
  };

  test("a story's non-lead outlet is found by its own headline, with a link to the story", async () => {
    const { results } = await api(`q=${encodeURIComponent('Nvidia shows its next AI chip')}`);
    const outlet = results.find((r) => r.title.text === 'Nvidia shows its next AI chip');
    assert.ok(outlet, JSON.stringify(results.map((r) => r.title.text)));
    assert.equal(outlet.published, false);
    assert.match(outlet.storyUrl ?? '', /^https:\/\/news\.example\.org\/story\/\d+$/);
    const { app } = await open();
    const page = await app.inject({ method: 'GET', url: `${new URL(outlet.storyUrl!).pathname}` });
    assert.equal(page.statusCode, 200, 'the story page the result links to exists');
    assert.match(page.body, /Nvidia shows its next AI chip/);
  });

  test('published articles rank first; the feed of a search keeps to published ones', async () => {
    const { results } = await api('q=nvidia');
    assert.deepEqual(results.map((r) => [r.title.text, r.published]), [['NVIDIA unveils a new GPU for training large models', true], ['Nvidia shows its next AI chip', false]]);
    for (const r of results) assert.deepEqual(r.title.matches.map((m) => r.title.text.slice(m.start, m.end).toLowerCase()), ['nvidia'], r.title.text);
    const { app } = await open();
    const feed = JSON.parse((await app.inject({ method: 'GET', url: '/feeds/search.json?q=nvidia' })).body) as { items: Array<{ title: string }> };
    assert.deepEqual(feed.items.map((i) => i.title), ['NVIDIA unveils a new GPU for training large models']);
  });

  test('the HTML results mark matches, escaped, and count in words that agree', async () => {
    const { app } = await open();
    const one = await app.inject({ method: 'GET', url: '/search?q=cisco' });
    assert.match(one.body, /1 result for “cisco”/);
    assert.match(one.body, /<mark>Cisco<\/mark>/);
    const two = await app.inject({ method: 'GET', url: '/search?q=nvidia' });
    assert.match(two.body, /2 results for “nvidia”/);
    assert.match(two.body, /not on the front page/);
    // (PostgreSQL's parser reads "<today>" as a markup tag and does not index it, so the word searched is another.)
    const escaped = await app.inject({ method: 'GET', url: '/search?q=changes' });
    assert.match(escaped.body, /Self driving cars &amp; the law: what <mark>changes<\/mark> &lt;today&gt;/);
    assert.doesNotMatch(escaped.body, /<today>/);
    const none = await app.inject({ method: 'GET', url: '/search?q=zeppelin' });
    assert.match(none.body, /No results for “zeppelin”/);
  });

  test('paged JSON, with the query checked by its schema', async () => {
    const first = await api('q=roundup');
    assert.equal(first.results.length, 20);
    assert.equal(first.nextPage, 2);
    const second = await api('q=roundup&page=2');
    assert.equal(second.results.length, 14);
    assert.equal(second.nextPage, null);
    assert.deepEqual(second.results.filter((r) => first.results.some((f) => f.id === r.id)), [], 'pages do not overlap');
    const { app } = await open();
    for (const url of ['/api/search', '/api/search?q=', '/api/search?q=a&page=0', '/api/search?q=a&from=2024-02-30']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.equal(JSON.parse(response.body).error.code, 'ND_BAD_REQUEST', url);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/search?q=a&topic=no-such-topic' })).statusCode, 404);
  });

  test('a story an editor blocked is not found', async () => {
    const { desk } = await open();
    const before = await api('q=nvidia');
    const storyId = Number(new URL(before.results[1]!.storyUrl!).pathname.split('/').pop());
    await desk.store.setStoryOverride(storyId, 'block');
    try {
      assert.deepEqual((await api('q=nvidia')).results, []);
    } finally {
      await desk.store.setStoryOverride(storyId, null);
    }
  });
});
