// /api/openapi.json: the JSON API described from its routes' schemas (@fastify/swagger reads them as
// routes are added, so it is registered before any). The reader protocols (Google Reader, Fever)
// follow their own published specs and are left out, as are the HTML site, the feeds and the desk.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { publicBaseUrl } from '../base-url.ts';
import type { Desk } from '../../jobs/desk.ts';

const DOCUMENTED = /^\/api\/(?!greader|fever|openapi\.json)/;

export async function registerOpenApi(app: FastifyInstance, desk: Desk): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: `${desk.config.siteName} JSON API`, version: '1', description: 'The reference API of newsdesk (news, stories, sources, collections, newsletters) and its health.' },
      // Without a configured baseUrl the port is only known once listening: a relative server URL is right for any.
      servers: [{ url: desk.config.baseUrlConfigured ? publicBaseUrl(desk) : '/' }],
    },
    transform: ({ schema, url }) => ({ schema: { ...(schema ?? {}), hide: !DOCUMENTED.test(url) || url.endsWith('index.json') || (schema as { hide?: boolean } | undefined)?.hide === true } as typeof schema, url }),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
