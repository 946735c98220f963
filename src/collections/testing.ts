// For tests of the publications area: a desk over a given store with the offline demo ingested and
// the small collections fixture imported, mentions and entity heat computed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../config/load.ts';
import { openDesk as openDeskWithConfig, type Desk, type DeskOverrides } from '../jobs/desk.ts';
import type { LoadedConfig } from '../config/load.ts';

/** Opens a desk whose data dir is removed again when the desk closes. */
async function openDesk(config: LoadedConfig, overrides: DeskOverrides): Promise<Desk> {
  const desk = await openDeskWithConfig(config, overrides);
  const close = desk.close.bind(desk);
  desk.close = async () => {
    await close();
    rmSync(config.dataDir, { recursive: true, force: true });
  };
  return desk;
}
import { seedSources } from '../cli/context.ts';
import { runDueSources } from '../jobs/ingest.ts';
import type { Store } from '../store/index.ts';
import { importEveryday } from './import.ts';
import { computeMentions } from './mentions.ts';
import { recomputeEntityHeat } from './heat.ts';
import { silentLogger } from '../log.ts';

export const COLLECTIONS_FIXTURE = new URL('./testdata/collections.jsonl', import.meta.url).pathname;

export async function openDemoDesk(store: Store, config: Record<string, unknown> = {}): Promise<Desk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nd-pub-'));
  const desk = await openDesk(validateConfig({ demo: true, dataDir, siteName: 'A.I. Every Day', baseUrl: 'https://news.example.org', topics: { classifier: 'keywords' }, ...config }), { store, log: silentLogger });
  await seedSources(desk);
  await runDueSources(desk);
  await importEveryday(store, COLLECTIONS_FIXTURE);
  await computeMentions(store);
  await recomputeEntityHeat(store, { now: new Date('2030-01-01T00:00:00Z'), windowDays: 36500 });
  return desk;
}

export interface SmallArticle {
  title: string;
  excerpt?: string;
  publishedDateTime: string;
  domain: string;
  heat: number | null;
  topics?: string[];
  /** Articles with the same story key share a story. */
  story?: string;
}

/** Three days of made-up news naming the fixture's companies and people, with stories and scores. */
export const SMALL_NEWS: SmallArticle[] = [
  { title: 'NVIDIA unveils a new GPU for training large models', publishedDateTime: '2024-03-05T09:00:00Z', domain: 'theverge.com', heat: 214, topics: ['AI', 'AI Hardware'], story: 'gpu' },
  { title: 'Nvidia shows its next AI chip', publishedDateTime: '2024-03-05T10:00:00Z', domain: 'cnbc.com', heat: -1, topics: ['AI', 'AI Hardware'], story: 'gpu' },
  { title: 'Elon Musk says Tesla is an AI company', publishedDateTime: '2024-03-05T11:00:00Z', domain: 'electrek.co', heat: 150, topics: ['AI', 'AI in Autos'] },
  { title: 'Intel and Cisco team up on edge AI', excerpt: 'The two companies will ship servers with Intel accelerators.', publishedDateTime: '2024-03-05T12:00:00Z', domain: 'zdnet.com', heat: 120, topics: ['AI', 'AI Hardware'] },
  { title: 'A study of neural networks for weather forecasts', publishedDateTime: '2024-03-05T13:00:00Z', domain: 'nature.com', heat: 90, topics: ['AI', 'Machine Learning'] },
  { title: 'Unscored note on machine learning tools', publishedDateTime: '2024-03-05T14:00:00Z', domain: 'example.com', heat: null, topics: ['AI', 'Machine Learning'] },
  { title: 'A small blog post about artificial intelligence', publishedDateTime: '2024-03-05T15:00:00Z', domain: 'blog.example.net', heat: 40, topics: ['AI'] },
  { title: 'IBM Watson adds new language models', publishedDateTime: '2024-03-04T09:00:00Z', domain: 'ibm.com', heat: 95, topics: ['AI', 'IBM AI'] },
  { title: 'Andrew Ng launches a course on generative AI', publishedDateTime: '2024-03-04T10:00:00Z', domain: 'techcrunch.com', heat: 100, topics: ['AI', 'Machine Learning'] },
  { title: 'Self driving cars & the law: what changes <today>', publishedDateTime: '2024-03-04T11:00:00Z', domain: 'theverge.com', heat: 80, topics: ['AI', 'AI in Autos'] },
  ...Array.from({ length: 34 }, (_, i) => ({
    title: `Machine learning roundup number ${i + 1}`,
    publishedDateTime: `2024-03-0${1 + (i % 3)}T${String(8 + (i % 12)).padStart(2, '0')}:30:00Z`,
    domain: i % 2 ? 'venturebeat.com' : 'wired.com',
    heat: 70 + i,
    topics: ['AI', 'Machine Learning'],
  })),
];

/** A desk over `store` with SMALL_NEWS stored and scored, the collections fixture imported, mentions and heat computed. */
export async function openSmallDesk(store: Store, config: Record<string, unknown> = {}): Promise<Desk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nd-pub-'));
  const desk = await openDesk(validateConfig({ demo: true, dataDir, siteName: 'A.I. Every Day', baseUrl: 'https://news.example.org', topics: { classifier: 'keywords' }, ...config }), { store, log: silentLogger });
  const stories = new Map<string, number>();
  for (const item of SMALL_NEWS) {
    const webUrl = `https://www.${item.domain}/${item.publishedDateTime.slice(0, 10)}/${item.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const { id } = await store.insertArticle(
      {
        title: item.title,
        excerpt: item.excerpt ?? `${item.title}: the details, in a sentence of excerpt.`,
        publishedDateTime: item.publishedDateTime,
        updatedDateTime: null,
        originalUrl: webUrl,
        webUrl,
        ampWebUrl: null,
        cdnAmpWebUrl: null,
        type: 'article',
        provider: { name: item.domain.split('.')[0]!, domain: item.domain },
        topics: item.topics ?? ['AI'],
        images: [{ url: `https://www.${item.domain}/image.jpg`, width: 800, height: 450 }],
        locale: 'en',
        authors: [],
        text: '',
        html: null,
        extraction: { status: 'feed' },
      },
      { sourceId: null, pathKey: `${item.publishedDateTime.slice(0, 10)}-${item.title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/[ -]+/g, '-')}` },
    );
    await store.setTopics(id, item.topics ?? ['AI']);
    if (item.heat !== null) await store.setScores(id, { quality: Math.max(item.heat, 40), heat: item.heat, published: item.heat >= 70 }, 'test fixture');
    if (item.story) {
      let storyId = stories.get(item.story);
      if (storyId === undefined) {
        storyId = await store.createStory();
        stories.set(item.story, storyId);
      }
      await store.assignStory(id, storyId);
    }
  }
  await importEveryday(store, COLLECTIONS_FIXTURE);
  await computeMentions(store);
  await recomputeEntityHeat(store, { now: new Date('2024-03-06T00:00:00Z') });
  return desk;
}
