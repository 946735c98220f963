import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMatcher } from './mentions.ts';
import { compileQuery, matchesQuery } from './query.ts';
import { entityHeat, audience } from './heat.ts';
import { entityTerms } from '../store/collections.ts';
import type { Entity } from './types.ts';
import { describeEachStore, postgresUnavailable } from '../../test/helpers/stores.ts';
import { openSmallDesk } from './testing.ts';
import { CollectionStore } from '../store/collections.ts';

await postgresUnavailable();

function entity(id: number, name: string, data: Entity['data'] = {}, kind: Entity['kind'] = 'company'): Entity {
  return { id, kind, subtype: 'profile', slug: name.toLowerCase(), name, data: { name, ...data }, topics: ['AI'], heat: null, startsAt: null, endsAt: null, createdAt: '', updatedAt: '' };
}

const matcherFor = (entities: Entity[]) =>
  buildMatcher(entities.flatMap((e) => entityTerms({ name: e.name, data: e.data, aliases: [] }).map((t) => ({ entityId: e.id, termKind: t.termKind, term: t.term }))));

test('mentions match names, aliases and domains as whole, capitalized words', () => {
  const matcher = matcherFor([
    entity(1, 'Intel', { website: 'https://www.intel.ai/' }),
    entity(2, 'Ada Health', { aliases: ['Ada'], website: 'https://ada.com/' }),
    entity(3, 'NVIDIA', { website: 'https://www.nvidia.com' }),
    entity(4, 'Scale', { website: 'https://scale.com/' }),
    entity(5, 'Andrew Ng', {}, 'person'),
  ]);
  const find = (title: string, excerpt = '', providerDomain = 'example.com') => matcher.match({ id: 1, title, excerpt, text: '', providerDomain }).map((m) => `${m.entityId}:${m.field}`).sort();
  assert.deepEqual(find('Artificial intelligence in Canada'), [], 'no match inside words');
  assert.deepEqual(find('Intel ships a new chip'), ['1:title']);
  assert.deepEqual(find("NVIDIA's results beat estimates; Nvidia stock rises"), ['3:title']);
  assert.deepEqual(find('How to scale machine learning'), [], 'a lower-case common word is not the company');
  assert.deepEqual(find('Ada raises money', 'Andrew Ng joins the board.'), ['2:title', '5:excerpt']);
  assert.deepEqual(find('A new GPU', '', 'nvidia.com'), ['3:provider']);
  assert.deepEqual(find('Read more at intel.ai today'), ['1:title']);
  assert.deepEqual(find('andrew ng in lower case'), []);
});

test('collection queries: contains on lists and text, comparisons, and/or', () => {
  const seattle = entity(1, 'Algorithmia', { locations: ['Seattle, WA'], yearFounded: 2014, funding: { status: 'Early Stage Venture' } });
  const intel = entity(2, 'Intel', { locations: ['Santa Clara, CA'], yearFounded: 1968 });
  const q = (text: string) => [seattle, intel].filter((e) => matchesQuery(e, compileQuery(text))).map((e) => e.name);
  assert.deepEqual(q("item.locations contains 'Seattle, WA'"), ['Algorithmia']);
  assert.deepEqual(q("item.locations contains 'seattle'"), ['Algorithmia']);
  assert.deepEqual(q('item.yearFounded < 2000'), ['Intel']);
  assert.deepEqual(q("item.funding.status = 'early stage venture'"), ['Algorithmia']);
  assert.deepEqual(q("item.locations contains 'Seattle' or item.yearFounded <= 1968"), ['Algorithmia', 'Intel']);
  assert.deepEqual(q("item.locations contains 'Seattle' and item.yearFounded > 2020"), []);
  assert.throws(() => compileQuery('locations has Seattle'), /collection query/);
});

test('entity heat: base, mentions and reach, as documented', () => {
  assert.equal(entityHeat(entity(1, 'A'), 0), 50);
  assert.equal(entityHeat(entity(1, 'A'), 3), 80);
  assert.equal(audience(entity(1, 'A', { twitter: { followers: 999 }, linkedin: { followers: 5000 } })), 5000);
  assert.equal(entityHeat(entity(1, 'A', { twitter: { followers: 999_999 } }), 1), 50 + 10 + 60);
});

describeEachStore('collections in the store', (fixture) => {
  test('mentions are stored per article and count into heat; lists page by topic and time', async () => {
    const desk = await openSmallDesk(fixture().store);
    try {
      const collections = new CollectionStore(desk.store);
      const nvidia = (await collections.getEntity('company', 'nvidia'))!;
      const mentioning = await desk.store.getArticles(await collections.articlesMentioning(nvidia.id));
      // "Nvidia shows its next AI chip" mentions it too, but is not listed (not the lead of its story).
      assert.deepEqual(mentioning.map((a) => a.title), ['NVIDIA unveils a new GPU for training large models']);
      const article = mentioning.find((a) => a.title.startsWith('NVIDIA unveils'))!;
      assert.deepEqual((await collections.mentionsOfArticle(article.id)).map((m) => m.entity.name), ['NVIDIA']);
      const intelCisco = (await desk.store.getArticleByPathKey('2024-03-05-intel-and-cisco-team-up-on-edge-ai'))!;
      assert.deepEqual((await collections.mentionsOfArticle(intelCisco.id)).map((m) => m.entity.name).sort(), ['Cisco', 'Intel']);
      // One published mention in the window: 50 + 10 + reach.
      assert.equal((await collections.getEntity('company', 'nvidia'))!.heat, entityHeat(nvidia, 1));
      const hardware = await collections.listEntities({ kind: 'company', topic: 'AI Hardware', page: 1, perPage: 2 });
      assert.equal(hardware.items.length, 2);
      assert.equal(hardware.hasMore, true);
      assert.ok((hardware.items[0]!.heat ?? 0) >= (hardware.items[1]!.heat ?? 0));
      const future = await collections.listEntities({ kind: 'event', when: 'future', now: '2025-01-01T00:00:00Z', page: 1, perPage: 10 });
      assert.deepEqual(future.items.map((e) => e.name), ['Future AI Conference']);
      const past = await collections.listEntities({ kind: 'event', when: 'past', now: '2025-01-01T00:00:00Z', page: 1, perPage: 10 });
      assert.equal(past.items.length, 2);
      assert.equal(await collections.deleteEntity('person', 'mherubahsan-161-15-726'), true);
      assert.equal(await collections.getEntity('person', 'mherubahsan-161-15-726'), null);
    } finally {
      await desk.close();
    }
  });
});
