import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachStore, postgresUnavailable } from '../../test/helpers/stores.ts';
import { importEveryday, splitFrontMatter } from './import.ts';
import { CollectionStore } from '../store/collections.ts';
import { NewsletterStore } from '../store/newsletter.ts';
import { toApiEntityItem } from './api.ts';

const CORPUS = new URL('../../../shared/corpus/everyday-ai', import.meta.url).pathname;
const corpusMissing = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS}`;
// Probe PostgreSQL before any suite runs: the SQLite half blocks the event loop long enough to
// time out a probe started alongside it.
await postgresUnavailable();
if (corpusMissing) process.stdout.write(`# skipping corpus import: ${corpusMissing}\n`);

test('front matter keeps timestamps as text and reads YAML 1.1 booleans', () => {
  const split = splitFrontMatter('---\ntitle: "A"\npublishedDateTime: 2020-06-11T14:51:00Z\npublished: yes\n---\nbody\n');
  assert.deepEqual(split, { data: { title: 'A', publishedDateTime: '2020-06-11T14:51:00Z', published: true }, body: 'body\n' });
  assert.equal(splitFrontMatter('no front matter'), null);
});

describeEachStore('import everyday', (fixture, kind) => {
  // The corpus pass runs on SQLite; the same statements run on PostgreSQL in the tree test below.
  test('every record type of the corpus imports', { skip: corpusMissing || (kind === 'postgres' ? 'the corpus pass runs on the SQLite half (same SQL as the tree test)' : false) }, async () => {
    const { store } = fixture();
    const report = await importEveryday(store, CORPUS);
    assert.deepEqual(report.errors, []);
    // 352 lines of which 20 are the same file seen twice (front matter and API item).
    assert.equal(report.imported.news, 332);
    assert.equal(report.skipped.news, 20);
    assert.equal(report.imported.company, 9);
    assert.equal(report.imported.person, 7);
    assert.equal(report.imported.event, 10);
    assert.equal(report.imported.learning, 8);
    assert.equal(report.imported.sponsorship, 1);
    assert.equal(report.imported.newsletter, 1);
    assert.equal(report.imported.organization, 1);
    assert.equal(report.imported.topic, 22);
    assert.equal(report.skipped.envelope, 2);
    assert.equal(report.skipped.tag, 1);

    const collections = new CollectionStore(store);
    const cisco = await collections.getEntity('company', 'cisco');
    assert.ok(cisco);
    assert.equal(cisco.heat, 248);
    assert.deepEqual(cisco.data.locations, ['San Jose, CA']);
    const seattle = await collections.getEntity('company', 'collections/ai-companies-in-seattle');
    assert.equal(seattle?.subtype, 'collection');
    assert.equal(seattle?.data.query, "item.locations contains 'Seattle, WA'");
    const video = await collections.getEntity('learning', 'tensorflow-basic-computer-vision-with-ml-ml-zero-to-hero-part-2');
    assert.equal(video?.subtype, 'video');
    assert.equal(video?.data.length, 'PT7M24S');
    const event = await collections.getEntity('event', '2021-06-15-gdtech-san-jose-2021');
    assert.equal(event?.startsAt, '2021-11-02T09:00:00Z');
    const spark = await collections.getEntity('event', '2020-06-22-spark-ai-summit-2020');
    assert.equal(spark?.endsAt, '2020-06-26T00:00:00Z');
    const org = await collections.getEntity('organization', 'forbes.com');
    assert.equal(org?.name, 'Forbes');
    const scale = await collections.getEntity('sponsorship', 'scale');
    assert.deepEqual(scale?.data.placements, ['TodayNewsPage', 'SplashScreen']);

    // The API item rebuilds the reference item's fields from the stored record.
    const item = toApiEntityItem(cisco, 'https://everyday-cc.github.io/ai');
    assert.equal(item.path, '_companies/cisco.md');
    assert.equal(item.title, 'Cisco');
    assert.equal(item.sourceUrl, 'https://everyday-cc.github.io/ai/api/companies/cisco/index.json');
    assert.deepEqual(Object.keys(item).slice(0, 7), ['path', 'title', 'excerpt', 'sourceUrl', 'webUrl', 'type', 'name']);

    const issue = await new NewsletterStore(store).issueByDate('2021-04-27');
    assert.equal(issue?.title, 'A.I. Every Day (2021-04-27)');
    assert.equal(issue?.slug, 'ai-every-day-2021-04-27');
    assert.deepEqual(issue?.sections.map((s) => s.items.length), [3, 2, 2, 2]);
    assert.match(issue!.html, /AWS DeepRacer device software now open source/);

    // Andrew Ng is both a front-matter file and an API item: one person with the fields of both.
    const ng = await collections.getEntity('person', 'andrew-ng');
    assert.ok(ng?.data.secured && ng.data.googleScholar);
    assert.equal((await collections.countByKind()).person, 6);
    const topics = await store.listTopics();
    assert.ok(topics.find((t) => t.id === 'meta-ai' && t.parent === 'ai'));

    // A front-matter news record keeps its file name, scores and secured payload.
    const article = await store.getArticleByPathKey('2020-06-11-tech-companies-reconsider-facial-recognition-software');
    if (article) {
      assert.equal(article.quality, 44);
      assert.equal(article.published, false);
    }
    // Importing again stores nothing new.
    const again = await importEveryday(store, CORPUS);
    assert.equal(again.imported.news ?? 0, 0);
    assert.equal((await collections.countByKind()).company, 9);
  });

  test('a Jekyll tree and a YAML list import by path and by --kind', async () => {
    const { store } = fixture();
    const dir = mkdtempSync(join(tmpdir(), 'nd-import-'));
    try {
      mkdirSync(join(dir, '_people'), { recursive: true });
      mkdirSync(join(dir, '_data', 'topics'), { recursive: true });
      writeFileSync(join(dir, '_data', 'topics', '21-ai-in-agriculture.yaml'), 'name: AI in Agriculture\nshortname: Agri\nparent: AI\nkeywords: [agriculture, farming]\n');
      writeFileSync(join(dir, '_people', 'ada-lovelace.md'), '---\nname: Ada Lovelace\nbio: "Wrote the first program."\ntype: profile\ntopics: [AI]\n---\n');
      writeFileSync(join(dir, 'companies.yaml'), '- name: Acme Robotics\n  overview: Robots.\n  website: https://www.acme-robotics.com/\n  locations: ["Seattle, WA"]\n  aliases: [Acme]\n');
      // An API page as the reference generated it: the items carry their paths.
      mkdirSync(join(dir, 'api', 'events', 'page', '1'), { recursive: true });
      writeFileSync(
        join(dir, 'api', 'events', 'page', '1', 'index.json'),
        JSON.stringify({ title: 'Events', path: '_events', page: 1, nextPage: null, value: [{ path: '_events/2031-01-10-ai-summit.md', title: 'AI Summit', excerpt: 'A summit.', name: 'AI Summit', type: 'conference', startDateTime: '2031-01-10T09:00:00-08:00', endDateTime: '2031-01-11T17:00:00-08:00', website: 'https://summit.example.org/', originalUrl: 'https://summit.example.org/', topics: ['AI'], content: '\r\n' }] }),
      );
      const report = await importEveryday(store, dir, { kind: 'company' });
      assert.deepEqual(report.errors, []);
      assert.equal(report.imported.person, 1);
      assert.equal(report.imported.company, 1);
      assert.equal(report.imported.event, 1);
      assert.equal(report.imported.topic, 1);
      const agriculture = (await store.listTopics()).find((t) => t.id === 'ai-in-agriculture');
      assert.deepEqual([agriculture?.name, agriculture?.shortName, agriculture?.keywords], ['AI in Agriculture', 'Agri', ['agriculture', 'farming']]);
      const summit = await new CollectionStore(store).getEntity('event', '2031-01-10-ai-summit');
      assert.equal(summit?.startsAt, '2031-01-10T17:00:00Z');
      assert.equal(summit?.data.content, undefined);
      const collections = new CollectionStore(store);
      assert.equal((await collections.getEntity('person', 'ada-lovelace'))?.data.bio, 'Wrote the first program.');
      const acme = await collections.getEntity('company', 'acme-robotics');
      assert.ok(acme);
      const terms = (await collections.terms()).filter((t) => t.entityId === acme.id).map((t) => `${t.termKind}:${t.term}`).sort();
      assert.deepEqual(terms, ['alias:acme', 'domain:acme-robotics.com', 'name:acme robotics']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
