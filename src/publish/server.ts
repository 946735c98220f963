// The HTTP server: API, site, and errors mapped to HTTP once, here at the edge.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Desk } from '../jobs/desk.ts';
import { registerApiRoutes } from './api/routes.ts';
import { registerCollectionApiRoutes } from './api/collections.ts';
import { registerFeedRoutes } from './feeds-out/routes.ts';
import { registerNewsletterRoutes } from './newsletter/routes.ts';
import { registerCollectionSiteRoutes } from './collections-site/routes.ts';
import { registerSiteRoutes } from './site/routes.ts';
import { registerSecurityHeaders } from './site/security.ts';
import { registerDeskRoutes } from './desk/routes.ts';
import { NewsdeskError } from '../errors.ts';

export async function buildServer(desk: Desk): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 400 } });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof NewsdeskError) {
      reply.status(err.status).send({ error: { code: err.code, message: err.message } });
      return;
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) desk.log.error({ err }, 'request failed');
    reply.status(status).send({ error: { code: status >= 500 ? 'ND_INTERNAL' : 'ND_BAD_REQUEST', message: status >= 500 ? 'internal error' : (err as Error).message } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'ND_NOT_FOUND', message: `${req.url} not found` } });
  });
  registerApiRoutes(app, desk);
  registerCollectionApiRoutes(app, desk);
  registerFeedRoutes(app, desk);
  registerNewsletterRoutes(app, desk);
  registerCollectionSiteRoutes(app, desk);
  registerSecurityHeaders(app);
  registerSiteRoutes(app, desk);
  await registerDeskRoutes(app, desk);
  return app;
}
