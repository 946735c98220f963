// The site's SQL on both stores: search (index kept in step by triggers), filters, the front page's
// order, the review queue, sessions, login limits and topic corrections.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore } from '../../test/helpers/stores.ts';
import { SiteStore, MARK_START, MARK_END, fts5Query, searchBlocks } from './site.ts';
import { test } from 'node:test';
import type { Store } from './index.ts';
import type { NewsRecord } from '../record.ts';

function record(n: number, fields: Partial<NewsRecord> & { title: string }): NewsRecord {
  return {
    excerpt: '',
    publishedDateTime: '2024-05-02T10:00:00Z',
    updatedDateTime: null,
    originalUrl: `https://example${n}.com/a/${n}`,
    webUrl: `https://example${n}.com/a/${n}`,
    ampWebUrl: null,
    cdnAmpWebUrl: null,
    type: 'article',
    provider: { name: `Example ${n}`, domain: `example${n}.com` },
    topics: ['AI'],
    images: [],
    locale: 'en-us',
    authors: [],
    text: '',
    html: null,
    extraction: { status: 'feed' },
    ...fields,
  };
}

async function addScored(store: Store, n: number, fields: Partial<NewsRecord> & { title: string }, scores: { quality: number; heat: number; published: boolean }, storyId?: number): Promise<{ id: number; storyId: number }> {
  const { id } = await store.insertArticle(record(n, fields), { sourceId: null, pathKey: `k-${n}` });
  await store.setTopics(id, fields.topics ?? ['AI']);
  await store.setScores(id, scores, 'test');
  const story = storyId ?? (await store.createStory());
  await store.assignStory(id, story);
  return { id, storyId: story };
}

describeEachStore('site store', (fixture) => {
  let site: SiteStore;
  let store: Store;
  const ids: Record<string, { id: number; storyId: number }> = {};

  before(async () => {
    store = fixture().store;
    site = new SiteStore(store);
    ids.vision = await addScored(store, 1, { title: 'Regulators weigh limits on facial recognition', excerpt: 'A city council votes on police cameras.', text: 'The ordinance restricts biometric surveillance by police departments.', topics: ['AI', 'Computer Vision'] }, { quality: 80, heat: 120, published: true });
    ids.visionFollow = await addScored(store, 2, { title: 'Council passes camera rules', excerpt: 'Second report on the vote.', publishedDateTime: '2024-05-02T12:00:00Z' }, { quality: 60, heat: -1, published: false }, ids.vision.storyId);
    ids.chips = await addScored(store, 3, { title: 'A new accelerator chip for training', excerpt: 'Hardware news.', text: 'The gpu maker ships a chip.', topics: ['AI', 'AI Hardware'], publishedDateTime: '2024-05-02T08:00:00Z' }, { quality: 90, heat: 90, published: true });
    ids.held = await addScored(store, 4, { title: 'Quiet facial recognition update nobody published', excerpt: 'Held back.', publishedDateTime: '2024-05-02T09:00:00Z' }, { quality: 50, heat: 50, published: false });
    ids.older = await addScored(store, 5, { title: 'Robots learn to fold laundry', excerpt: 'Older news.', publishedDateTime: '2024-04-28T09:00:00Z', topics: ['AI', 'AI in Robotics'] }, { quality: 70, heat: 70, published: true });
    await store.updateStory(ids.vision.storyId, { leadArticleId: ids.vision.id, memberCount: 2, heat: 120 });
  });

  it('finds stored articles by words in title, excerpt or text, published first, with matches marked', async () => {
    const { hits } = await site.search({ query: 'facial recognition' });
    assert.deepEqual(hits.map((h) => h.article.id), [ids.vision!.id, ids.held!.id], 'the held-back article is found, after the published one');
    assert.deepEqual(hits.map((h) => h.storyVisible), [true, false], 'the held-back article has no story page readers may open');
    assert.deepEqual((await site.search({ query: 'facial recognition', publishedOnly: true })).hits.map((h) => h.article.id), [ids.vision!.id], 'published only: as the feeds promise');
    assert.deepEqual((await site.search({ query: 'camera rules' })).hits.map((h) => [h.article.id, h.storyVisible]), [[ids.visionFollow!.id, true]], "a story's held-back outlet is found by its own headline");
    assert.ok(hits[0]!.titleMarked.includes(`${MARK_START}facial${MARK_END}`) || hits[0]!.titleMarked.includes(`${MARK_START}facial recognition${MARK_END}`), hits[0]!.titleMarked);
    const byText = await site.search({ query: 'biometric surveillance' });
    assert.deepEqual(byText.hits.map((h) => h.article.id), [ids.vision!.id]);
    assert.ok(byText.hits[0]!.snippetMarked.includes(MARK_START), 'the snippet marks the match');
  });

  it('applies topic, provider and date filters', async () => {
    assert.equal((await site.search({ query: 'chip', topic: 'AI Hardware' })).hits.length, 1);
    assert.equal((await site.search({ query: 'chip', topic: 'Computer Vision' })).hits.length, 0);
    assert.equal((await site.search({ query: 'chip', provider: 'example3.com' })).hits.length, 1);
    assert.equal((await site.search({ query: 'chip', provider: 'example1.com' })).hits.length, 0);
    assert.equal((await site.search({ query: 'laundry', from: '2024-04-28', to: '2024-04-28' })).hits.length, 1);
    assert.equal((await site.search({ query: 'laundry', from: '2024-04-29' })).hits.length, 0);
  });

  it('keeps the index in step when an article text changes', async () => {
    assert.equal((await site.search({ query: 'photonics' })).hits.length, 0);
    await store.updateArticleFields(ids.chips!.id, { text: 'Extracted page text about photonics interconnects.' });
    assert.deepEqual((await site.search({ query: 'photonics' })).hits.map((h) => h.article.id), [ids.chips!.id]);
    assert.equal((await site.search({ query: 'gpu maker' })).hits.length, 0, 'the old text is gone from the index');
  });

  it('treats search operators and punctuation as plain words', async () => {
    assert.equal(fts5Query('"; DROP TABLE articles; --'), '"DROP" "TABLE" "articles"');
    const result = await site.search({ query: 'facial OR NOT "recognition" (' });
    assert.ok(Array.isArray(result.hits), 'operators do not break the query');
  });

  it('orders the front page by heat within each day, one entry per story, other outlets folded', async () => {
    const days = await site.frontPage(new Date('2024-05-03T00:00:00Z'));
    assert.deepEqual(days.map((d) => d.day), ['2024-05-02', '2024-04-28']);
    const first = days[0]!.stories;
    assert.deepEqual(first.map((s) => s.lead.id), [ids.vision!.id, ids.chips!.id]);
    assert.deepEqual(first[0]!.others.map((o) => o.id), [ids.visionFollow!.id]);
    await store.setStoryOverride(ids.chips!.storyId, 'pin');
    const pinned = await site.frontPage(new Date('2024-05-03T00:00:00Z'));
    assert.equal(pinned[0]!.stories[0]!.lead.id, ids.chips!.id, 'a pinned story leads its day');
    assert.equal(pinned[0]!.stories[0]!.override, 'pin');
    await store.setStoryOverride(ids.chips!.storyId, null);
  });

  it('lists the review queue by view', async () => {
    const held = await site.reviewQueue('unpublished', 70, 1);
    assert.deepEqual(held.items.map((i) => i.id), [ids.held!.id], 'story members that are not leads stay out');
    const borderline = await site.reviewQueue('borderline', 70, 1);
    assert.deepEqual(borderline.items.map((i) => i.id), [ids.older!.id], 'heat 70 is borderline; 50, 90 and 120 are not');
  });

  it('lists archive days, providers and topic counts of public articles', async () => {
    assert.deepEqual(await site.archiveDays(), [
      { day: '2024-05-02', count: 2 },
      { day: '2024-04-28', count: 1 },
    ]);
    const topics = await site.topicCounts();
    assert.equal(topics.get('AI Hardware'), 1);
    assert.equal(topics.get('Computer Vision'), 1);
    const providerPage = await site.listed({ provider: 'example5.com' }, 1, 10);
    assert.deepEqual(providerPage.items.map((a) => a.id), [ids.older!.id]);
  });

  it('keeps sessions until they expire', async () => {
    const editorId = await site.createEditor('ed', 'scrypt$x');
    await site.createSession('hash-1', editorId, 'csrf-1', '2100-01-01T00:00:00Z');
    assert.deepEqual(await site.session('hash-1', new Date()), { editorId, username: 'ed', csrfToken: 'csrf-1' });
    assert.equal(await site.session('hash-1', new Date('2100-01-02T00:00:00Z')), null);
    await site.deleteSession('hash-1');
    assert.equal(await site.session('hash-1', new Date()), null);
  });

  it('updates login-limit states one caller at a time and forgets old ones', async () => {
    const bump = () =>
      site.updateLoginLimits(['address:a', 'user:u'], (states) => {
        const save = new Map();
        for (const [key, state] of states) save.set(key, { failures: (state?.failures ?? 0) + 1, windowStart: 1, blockedUntil: null, strikes: 0, lastAt: 1000 });
        return { save, result: states.get('address:a')?.failures ?? 0 };
      });
    const seen = await Promise.all(Array.from({ length: 40 }, bump));
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i), 'every caller read the state the one before it wrote');
    const final = await site.updateLoginLimits(['address:a', 'user:u', 'user:none'], (states) => ({ save: new Map(), result: states }));
    assert.equal(final.get('user:u')?.failures, 40);
    assert.equal(final.get('user:none'), null);
    await site.updateLoginLimits([], () => ({ save: new Map(), result: null }), 2000);
    assert.equal((await site.updateLoginLimits(['address:a'], (states) => ({ save: new Map(), result: states }))).get('address:a'), null, 'states last seen before the horizon are dropped');
  });

  it('keeps topic corrections, the latest per article, as training examples', async () => {
    await site.addTopicCorrection(ids.vision!.id, ['AI', 'AI Ethics'], ['AI', 'Computer Vision'], 'ed');
    await site.addTopicCorrection(ids.vision!.id, ['AI', 'AI Ethics', 'Computer Vision'], ['AI', 'AI Ethics'], 'ed');
    const examples = await site.topicCorrections();
    assert.equal(examples.length, 1);
    assert.deepEqual(examples[0]!.topics, ['AI', 'AI Ethics', 'Computer Vision']);
    assert.equal(examples[0]!.title, 'Regulators weigh limits on facial recognition');
  });
});

// Its own store: the articles it adds would change what the suite above counts.
describeEachStore('site search bound', (fixture) => {
  it('ranks the best matches among the newest ones, so a common word costs the same in a large store', async () => {
    // Five articles on one word: the two oldest say it in the title (the best rank), the rest in the text.
    const quarry: number[] = [];
    for (let n = 0; n < 5; n++) {
      const inTitle = n < 2;
      const { id } = await addScored(
        fixture().store,
        60 + n,
        { title: inTitle ? `Quarrying robots number ${n}` : `Mining report number ${n}`, text: inTitle ? 'Nothing else.' : 'A note on quarrying machines.', publishedDateTime: `2024-05-0${n + 1}T10:00:00Z` },
        { quality: 80, heat: 80, published: true },
      );
      quarry.push(id);
    }
    const all = await new SiteStore(fixture().store).search({ query: 'quarrying' });
    assert.deepEqual(all.hits.map((h) => h.article.id).slice(0, 2).sort(), quarry.slice(0, 2).sort(), 'title matches rank first');
    assert.equal(all.hits.length, 5);
    const newest = await new SiteStore(fixture().store).search({ query: 'quarrying', recentMatches: 3 });
    assert.deepEqual(newest.hits.map((h) => h.article.id).sort(), quarry.slice(2).sort(), 'only the three newest matches are ranked');
    assert.ok(newest.hits.every((h) => h.snippetMarked.includes(MARK_START)), 'each hit still has its snippet');
    const paged = await new SiteStore(fixture().store).search({ query: 'quarrying', perPage: 2, page: 2 });
    assert.equal(paged.hits.length, 2);
    assert.equal(paged.hasMore, true);
  });
});

describeEachStore('site search over many blocks of ids', (fixture) => {
  // More articles than several search blocks (PostgreSQL looks for the newest matches block by
  // block): words of every frequency must find exactly the newest matches, and a rare old one too.
  const matching = { common: [] as number[], middling: [] as number[], rare: [] as number[] };
  before(async () => {
    const rows = Array.from({ length: 5200 }, (_, i) => {
      const words = ['filler'];
      if (i % 2 === 0) words.push('copper');
      if (i % 37 === 0) words.push('zinc');
      if (i === 10 || i === 700 || i === 1500) words.push('iridium');
      return { record: record(10_000 + i, { title: `Report ${i} on ${words.join(' ')}` }), sourceId: null, pathKey: `blocks-${i}` };
    });
    const outcomes = await fixture().store.insertArticles(rows);
    for (const [i, o] of outcomes.entries()) {
      if (i % 2 === 0) matching.common.push(o.id);
      if (i % 37 === 0) matching.middling.push(o.id);
      if (i === 10 || i === 700 || i === 1500) matching.rare.push(o.id);
    }
  });

  it('finds the newest matches of a common, a middling and a rare word', async () => {
    const site = new SiteStore(fixture().store);
    const newest = (ids: number[], n: number) => [...ids].sort((a, b) => b - a).slice(0, n);
    for (const [word, ids] of [['copper', matching.common], ['zinc', matching.middling], ['iridium', matching.rare]] as const) {
      const found = await site.search({ query: word, recentMatches: 100, perPage: 100 });
      assert.deepEqual(found.hits.map((h) => h.article.id).sort((a, b) => b - a), newest(ids, 100), word);
    }
  });
});

test('a window of search blocks asks for whole coarse blocks by one lexeme and the edges block by block', () => {
  const lexemes = searchBlocks(13, 50).split(' | ');
  assert.deepEqual(lexemes, ["'r 13'", "'r 14'", "'r 15'", "'rr 1'", "'rr 2'", "'r 48'", "'r 49'", "'r 50'"]);
  assert.deepEqual(searchBlocks(-3, 1).split(' | '), ["'r 0'", "'r 1'"]);
  // Up to the newest block: its coarse block holds no later article, so one lexeme asks for it.
  assert.deepEqual(searchBlocks(16, 40, true).split(' | '), ["'rr 1'", "'rr 2'"]);
});
