// What the API shows beyond the reference's publication is a setting, off by default: items and
// explanations of unpublished articles, and the last error of each source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachStore, postgresUnavailable } from '../../../test/helpers/stores.ts';
import { smallDeskOnFirstUse } from '../testing.ts';
import { buildServer } from '../server.ts';
import { openDesk } from '../../jobs/desk.ts';
import { validateConfig } from '../../config/load.ts';
import { silentLogger } from '../../log.ts';

await postgresUnavailable();

describeEachStore('API exposure settings', (fixture) => {
  const open = smallDeskOnFirstUse(() => fixture().store, async (desk) => {
    const source = await desk.store.addSource({ url: 'https://feeds.example.org/broken.xml', name: 'Broken' });
    await desk.store.recordFetchFailure(source.id, { url: source.url, code: 'ND_FETCH_PRIVATE_ADDRESS', message: 'refused to connect to 10.0.0.7 for https://feeds.example.org/broken.xml', httpStatus: null, nextFetchAt: '2030-01-01T00:00:00Z', durationMs: 5, at: '2024-03-05T00:00:00Z' });
  });

  test('unpublished items, their explanations and source errors are hidden by default, and shown when chosen', async () => {
    const { desk, app } = await open();
    const all = await Promise.all(Array.from({ length: 60 }, (_, i) => desk.store.getArticle(i + 1)));
    const unpublished = all.find((a) => a && a.published === false && a.storyId !== null)!;
    const lead = all.find((a) => a && a.published === true && a.storyId === unpublished.storyId)!;
    assert.ok(unpublished && lead, 'the fixture has a story with a published and a held-back member');
    const get = async (server: typeof app, url: string) => {
      const response = await server.inject({ method: 'GET', url });
      return { status: response.statusCode, body: JSON.parse(response.body) };
    };

    assert.equal((await get(app, `/api/news/item/${unpublished.pathKey}/`)).status, 404);
    assert.equal((await get(app, `/api/news/item/${unpublished.pathKey}/explain/`)).body.error.code, 'ND_NOT_FOUND');
    const explained = await get(app, `/api/news/item/${lead.pathKey}/explain/`);
    assert.equal(explained.status, 200);
    assert.deepEqual(explained.body.story.members.map((m: { title: string }) => m.title), [lead.title], 'the held-back member is not named');
    const sources = (await get(app, '/api/sources/')).body.value as Array<Record<string, unknown>>;
    const broken = sources.find((s) => s.name === 'Broken')!;
    assert.equal(broken.status, 'error');
    assert.ok(!('lastError' in broken) && !('lastErrorCode' in broken), 'no error text by default');

    const dataDir = mkdtempSync(join(tmpdir(), 'nd-exposure-'));
    const exposedDesk = await openDesk(validateConfig({ demo: true, dataDir, topics: { classifier: 'keywords' }, api: { unpublishedItems: true, sourceErrors: true } }), { store: desk.store, log: silentLogger });
    const exposed = await buildServer(exposedDesk);
    try {
      assert.equal((await get(exposed, `/api/news/item/${unpublished.pathKey}/`)).status, 200);
      const full = await get(exposed, `/api/news/item/${unpublished.pathKey}/explain/`);
      assert.equal(full.body.published, false);
      assert.equal(full.body.story.members.length, 2);
      const withErrors = (await get(exposed, '/api/sources/')).body.value as Array<Record<string, unknown>>;
      assert.equal(withErrors.find((s) => s.name === 'Broken')!.lastErrorCode, 'ND_FETCH_PRIVATE_ADDRESS');
    } finally {
      await exposed.close();
      await exposedDesk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
