// Reader apps' routes: the Google Reader API (/api/greader) and the Fever API (/api/fever), sharing
// one set of accounts and login limits. The OPML list of every outgoing feed (/feeds.opml) is served
// with the feeds (src/publish/feeds-out).
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { ReaderAccounts } from './accounts.ts';
import { registerGoogleReaderRoutes } from './greader.ts';
import { registerFeverRoutes } from './fever.ts';

export async function registerReaderRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const accounts = new ReaderAccounts(desk.store);
  await registerGoogleReaderRoutes(app, desk, accounts);
  await registerFeverRoutes(app, desk, accounts);
}
