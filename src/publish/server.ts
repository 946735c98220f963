// The HTTP server: API, site, and errors mapped to HTTP once, here at the edge.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Desk } from '../jobs/desk.ts';
import { registerApiRoutes } from './api/routes.ts';
import { registerCollectionApiRoutes } from './api/collections.ts';
import { registerSearchApiRoutes } from './api/search.ts';
import { registerFeedRoutes } from './feeds-out/routes.ts';
import { registerNewsletterRoutes } from './newsletter/routes.ts';
import { registerCollectionSiteRoutes } from './collections-site/routes.ts';
import { registerSiteRoutes } from './site/routes.ts';
import { registerSecurityHeaders } from './site/security.ts';
import { registerDeskRoutes } from './desk/routes.ts';
import { requestError } from '../errors.ts';
import { registerParameterChecks } from './params.ts';
import { registerReaderRoutes } from './readers/routes.ts';
import { registerOpenApi } from './ops/openapi.ts';
import { registerHttpMetrics, registerMetricsRoute } from './ops/metrics.ts';
import { registerHealthRoutes, type Readiness } from './ops/health.ts';
import { trackListeningAddress } from './base-url.ts';
import { notFoundPage } from './site/routes.ts';

/** A browser asking for a page (Accept names text/html before any JSON) gets pages, not JSON errors. */
function wantsHtml(req: FastifyRequest): boolean {
  const accept = String(req.headers.accept ?? '');
  const htmlAt = accept.indexOf('text/html');
  if (htmlAt < 0) return false;
  const jsonAt = accept.search(/application\/(?:[\w.+-]*\+)?json/);
  return jsonAt < 0 || htmlAt < jsonAt;
}

export interface ServerOptions {
  /** What `/api/health/ready` requires. Default: no worker required, nothing loading (tests, embedding). */
  readiness?: Readiness;
}

export async function buildServer(desk: Desk, options: ServerOptions = {}): Promise<FastifyInstance> {
  const answer = (err: Error, req: FastifyRequest, reply: FastifyReply) => {
    const coded = requestError(err, req.headers['content-type']);
    if (coded?.status === 404 && wantsHtml(req)) {
      notFoundPage(desk, reply, 'This page');
      return;
    }
    if (coded) {
      reply.status(coded.status).send({ error: { code: coded.code, message: coded.message } });
      return;
    }
    desk.log.error({ err }, 'request failed');
    reply.status(500).send({ error: { code: 'ND_INTERNAL', message: 'internal error' } });
  };
  // frameworkErrors: what fails before routing (a URL that is not valid percent-encoding) is coded too.
  const app = Fastify({ logger: false, frameworkErrors: answer, routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 400 } });
  app.setErrorHandler(answer);
  // Response schemas document the API (/api/openapi.json); the bytes stay JSON.stringify's, as
  // before routes had schemas (fast-json-stringify would drop keys a schema does not list).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await registerOpenApi(app, desk);
  registerHttpMetrics(app);
  app.setNotFoundHandler((req, reply) => {
    if (wantsHtml(req)) return notFoundPage(desk, reply, 'This page');
    reply.status(404).send({ error: { code: 'ND_NOT_FOUND', message: `${req.url} not found` } });
  });
  trackListeningAddress(app, desk);
  registerParameterChecks(app);
  registerHealthRoutes(app, desk, options.readiness ?? { requireWorker: false, loading: false });
  registerMetricsRoute(app, desk);
  registerApiRoutes(app, desk);
  registerCollectionApiRoutes(app, desk);
  registerSearchApiRoutes(app, desk);
  registerFeedRoutes(app, desk);
  registerNewsletterRoutes(app, desk);
  registerCollectionSiteRoutes(app, desk);
  registerSecurityHeaders(app, { https: desk.config.baseUrl.startsWith('https:') });
  registerSiteRoutes(app, desk);
  await registerDeskRoutes(app, desk);
  await registerReaderRoutes(app, desk);
  return app;
}
