// Reader apps' routes: the Google Reader API (/api/greader), the Fever API (/api/fever) and the
// OPML list of every outgoing feed (/feeds.opml), sharing one set of accounts and login limits.
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { ReaderAccounts } from './accounts.ts';
import { registerGoogleReaderRoutes } from './greader.ts';

export async function registerReaderRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const accounts = new ReaderAccounts(desk.store);
  await registerGoogleReaderRoutes(app, desk, accounts);
}
