// Response headers for every page: a strict Content-Security-Policy (scripts, styles and images
// from newsdesk only; no inline script or style), no framing, no sniffing, a lean referrer, and
// HSTS when the public address is https.
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "manifest-src 'self'",
].join('; ');

/** A year, subdomains included: what a site served only over https asks browsers to remember. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** `https`: the site's public address is https, so browsers are told to use nothing else (HSTS). */
export function registerSecurityHeaders(app: FastifyInstance, options: { https?: boolean } = {}): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (options.https) reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    return payload;
  });
}
