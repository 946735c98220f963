// Static files (CSS, JS, icon) served by newsdesk itself under content-hashed names, so pages can
// cache them for a year and a strict CSP can allow 'self' and nothing else.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const here = new URL('./static/', import.meta.url);

export interface Asset {
  path: string;
  type: string;
  body: Buffer;
  etag: string;
}

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#b3261e"/><text x="32" y="44" font-family="Georgia,serif" font-size="38" font-weight="700" text-anchor="middle" fill="#fff">n</text></svg>`;

function asset(name: string, ext: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/static/${name}.${hash}.${ext}`, type, body, etag: `"${hash}"` };
}

export const assets = {
  css: asset('site', 'css', 'text/css; charset=utf-8', readFileSync(new URL('site.css', here))),
  js: asset('site', 'js', 'text/javascript; charset=utf-8', readFileSync(new URL('site.js', here))),
  icon: asset('icon', 'svg', 'image/svg+xml', Buffer.from(ICON)),
};

export function registerAssets(app: FastifyInstance): void {
  for (const a of Object.values(assets)) {
    app.get(a.path, (_req, reply) => {
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', a.etag).type(a.type).send(a.body);
    });
  }
  app.get('/favicon.ico', (_req, reply) => {
    reply.header('cache-control', 'public, max-age=86400').type(assets.icon.type).send(assets.icon.body);
  });
}
