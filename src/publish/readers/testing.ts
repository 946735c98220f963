// Test support for the reader-app protocols: the offline demo ingested into a store, a real server on
// 127.0.0.1 and a reader account, opened once per suite and closed after it.
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { openDemoDesk } from '../../collections/testing.ts';
import { buildServer } from '../server.ts';
import { ReaderAccounts } from './accounts.ts';
import type { Desk } from '../../jobs/desk.ts';
import type { Store } from '../../store/index.ts';

export interface DemoServer {
  desk: Desk;
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  base: string;
  /** Stories with a published member, counted by SQL of its own. */
  publishedStories: number;
}

export const READER = { name: 'reader1', password: 'reader one password' };

export async function countPublishedStories(store: Store): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`select count(distinct story_id) as n from articles where published = 1 and listed = 1 and story_id is not null`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

/** `config` is merged into the demo desk's (e.g. a lower publish threshold for more published stories). */
export function demoServerOnFirstUse(store: () => Store, config: Record<string, unknown> = {}): () => Promise<DemoServer> {
  let opening: Promise<DemoServer> | null = null;
  after(async () => {
    const opened = await opening?.catch(() => null);
    await opened?.app.close();
    await opened?.desk.close();
  });
  return () =>
    (opening ??= (async () => {
      const desk = await openDemoDesk(store(), config);
      await new ReaderAccounts(desk.store).add(READER.name, 'reader', READER.password);
      const app = await buildServer(desk);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      return { desk, app, base: `http://127.0.0.1:${port}`, publishedStories: await countPublishedStories(desk.store) };
    })());
}
