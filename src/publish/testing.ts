// Test support for the publication tests: the small sample desk and its server, opened once per suite.
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openSmallDesk } from '../collections/testing.ts';
import { buildServer } from './server.ts';
import type { Desk } from '../jobs/desk.ts';
import type { Store } from '../store/index.ts';

export interface OpenedDesk {
  desk: Desk;
  app: FastifyInstance;
}

/**
 * Returns an opener that builds the small desk and its server on first call and closes both after the
 * suite. Opening is deferred because a store fixture's store exists only once its own hook has run.
 * `prepare` runs on the desk before the server is built.
 */
export function smallDeskOnFirstUse(store: () => Store, prepare?: (desk: Desk) => Promise<unknown>): () => Promise<OpenedDesk> {
  let opening: Promise<OpenedDesk> | null = null;
  after(async () => {
    // A failed opening has already failed its test; there is nothing to close.
    const opened = await opening?.catch(() => null);
    await opened?.app.close();
    await opened?.desk.close();
  });
  return () =>
    (opening ??= (async () => {
      const desk = await openSmallDesk(store());
      await prepare?.(desk);
      return { desk, app: await buildServer(desk) };
    })());
}
