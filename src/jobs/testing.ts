// Shared by the job tests and the benchmarks: a demo store limited to some sources, the articles
// those sources should yield, and the checks that an ingest lost and duplicated nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../config/load.ts';
import { openDesk, type Desk } from './desk.ts';
import { seedSources } from '../cli/context.ts';
import { parseFeed } from '../feeds/parse.ts';
import { normalizeEntry } from '../normalize/entry.ts';
import type { Store } from '../store/index.ts';
import { silentLogger } from '../log.ts';

/** A demo desk on `store` whose sources beyond the first `keep` are paused. */
export async function demoDesk(store: Store, keep = Infinity): Promise<Desk> {
  const config = validateConfig({ demo: true, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-jobs-')) });
  const desk = await openDesk(config, { store, log: silentLogger });
  await seedSources(desk);
  const sources = await store.listSources();
  for (const [i, source] of sources.entries()) {
    const paused = i >= keep;
    if (paused !== (source.status === 'paused')) await store.setSourcePaused(source.id, paused);
  }
  return desk;
}

/** The canonical URLs the desk's unpaused sources hold, read straight from their feeds. */
export async function expectedUrls(desk: Desk): Promise<Set<string>> {
  const urls = new Set<string>();
  for (const source of await desk.store.listSources()) {
    if (source.status === 'paused') continue;
    const response = await desk.transport.fetch({ url: source.url, purpose: 'feed' });
    const feed = parseFeed(response.body, { url: response.url, contentType: response.headers['content-type'] ?? null });
    for (const entry of feed.entries) {
      const record = normalizeEntry(entry, feed, { sourceName: source.name, lookupOrganization: desk.lookupOrganization });
      if (record) urls.add(record.webUrl);
    }
  }
  return urls;
}

export { auditIngest, type IngestAudit } from '../store/jobs.ts';
