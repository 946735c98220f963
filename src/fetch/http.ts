// The live HTTP transport: every URL newsdesk fetches (feeds, pages, images, robots.txt) goes through
// here, under the SSRF guard, size and time limits, per-host politeness and robots.txt.
import { Agent, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { newsdeskError, isNewsdeskError, NewsdeskError } from '../errors.ts';
import type { FetchPurpose, FetchRequest, FetchResponse, Transport } from './types.ts';
import { AddressPolicy, checkUrl, createGuardedConnector, systemResolver, type AllowList, type Resolver } from './guard.ts';
import { ACCEPT_ENCODING, abandon, readLimitedBody } from './body.ts';
import { InProcessHostLimiter, parseRetryAfter, type HostLimiter } from './politeness.ts';
import { RobotsCache, ROBOTS_MAX_BYTES } from './robots.ts';
import { detectBotWall } from './botwall.ts';

export const DEFAULT_USER_AGENT = 'newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)';
/** The product token newsdesk looks for in robots.txt user-agent lines. */
export const ROBOTS_AGENT = 'newsdesk';
export const DEFAULT_MAX_BODY_BYTES = 15 * 1024 * 1024;

export interface HttpFetchOptions {
  /** Non-public hosts and address ranges that may be fetched anyway (intranet sources, tests). */
  allow?: AllowList;
  /** Name resolution; every address it returns is checked. Default: the system resolver (all addresses). */
  lookup?: Resolver;
  /** Largest body accepted, counted after decompression. Default 15 MiB. */
  maxBodyBytes?: number;
  /** Time for name resolution and the TCP/TLS handshake. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time from sending the request to the end of the response headers. Default 15 s. */
  headersTimeoutMs?: number;
  /** Longest silence while the body streams. Default 15 s. */
  bodyIdleTimeoutMs?: number;
  /** Time for the whole body, however it trickles in. Default 60 s. */
  bodyDeadlineMs?: number;
  /** Redirects followed before giving up (each hop is checked by the guard). Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /** Concurrent requests per host, 1 or 2. Default 1. Ignored when `hostLimiter` is given. */
  perHostConcurrency?: number;
  /** Least time between request starts to one host. Default 1000 ms. Ignored when `hostLimiter` is given. */
  perHostDelayMs?: number;
  /** Random extra delay of up to this much per request to one host. Default 1000 ms. Ignored when `hostLimiter` is given. */
  perHostJitterMs?: number;
  /** Replaces the in-process per-host limiter, e.g. with a store-backed one shared by workers. */
  hostLimiter?: HostLimiter;
  /** Check robots.txt before page fetches. Default true. */
  respectRobots?: boolean;
  /** How long a robots.txt is cached per origin. Default 24 h. */
  robotsTtlMs?: number;
  /** Retry-After assumed for a 429 that gives none, in seconds. Default 60. */
  defaultRetryAfterSeconds?: number;
  /** PEM certificates trusted in addition to Node's bundled roots (a private CA for intranet sources). */
  extraTrustedCertificates?: string[];
}

const acceptByPurpose: Record<FetchPurpose, string> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.7',
  page: 'text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.5',
  image: 'image/avif, image/webp, image/png, image/jpeg, image/*;q=0.8, */*;q=0.5',
  icon: 'image/*, */*;q=0.5',
  robots: 'text/plain, */*;q=0.5',
};

// Misconfigured servers send feeds as text/html or octet-stream and images as octet-stream, and the
// parsers downstream sniff content anyway; what is refused is what cannot possibly be the thing asked for.
const acceptableType: Record<FetchPurpose, (mime: string) => boolean> = {
  feed: (m) => m === '' || m.startsWith('text/') || /xml|rss|atom|json|rdf/.test(m) || m === 'application/octet-stream',
  page: (m) => m === '' || m === 'text/html' || m === 'application/xhtml+xml' || m === 'text/plain',
  image: (m) => m === '' || m.startsWith('image/') || m === 'application/octet-stream',
  icon: (m) => m === '' || m.startsWith('image/') || m === 'application/octet-stream',
  robots: () => true,
};

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const BOT_WALL_SNIFF_BYTES = 32 * 1024;

interface Exchange {
  url: URL;
  status: number;
  headers: Record<string, string>;
  body: Dispatcher.ResponseData['body'];
  /** Gives back the per-host slot; called once the body is consumed or discarded. */
  release: () => void | Promise<void>;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function mimeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** The URL without its fragment: two hops that differ only there are the same resource. */
function redirectKey(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

async function discard(body: Exchange['body']): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024, signal: AbortSignal.timeout(1000) });
  } catch {
    abandon(body);
  }
}

/**
 * The page's own failure when its host's robots.txt could not be fetched at all (no such host, the
 * connection refused, a timeout): the page would fail the same way, and "robots.txt disallows" would
 * name the wrong cause.
 */
function unreachableHost(url: URL, failure: unknown): Error {
  const reason = isNewsdeskError(failure) ? String(failure.params.reason ?? failure.message) : failure instanceof Error ? failure.message : String(failure);
  const code = isNewsdeskError(failure, 'ND_FETCH_TIMEOUT') ? 'ND_FETCH_TIMEOUT' : 'ND_FETCH_FAILED';
  return newsdeskError(code, { url: url.href, reason: `${reason} (while fetching ${url.origin}/robots.txt)` }, failure);
}

class HttpTransport implements Transport {
  private readonly agent: Agent;
  private readonly policy: AddressPolicy;
  private readonly limiter: HostLimiter;
  private readonly robots: RobotsCache;
  private readonly settings: Required<Omit<HttpFetchOptions, 'allow' | 'lookup' | 'hostLimiter' | 'extraTrustedCertificates' | 'robotsTtlMs' | 'perHostConcurrency' | 'perHostDelayMs' | 'perHostJitterMs'>>;

  constructor(options: HttpFetchOptions) {
    this.settings = {
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      headersTimeoutMs: options.headersTimeoutMs ?? 15_000,
      bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? 15_000,
      bodyDeadlineMs: options.bodyDeadlineMs ?? 60_000,
      maxRedirects: options.maxRedirects ?? 5,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      respectRobots: options.respectRobots ?? true,
      defaultRetryAfterSeconds: options.defaultRetryAfterSeconds ?? 60,
    };
    this.policy = new AddressPolicy(options.allow);
    this.agent = new Agent({
      connect: createGuardedConnector({
        policy: this.policy,
        resolver: options.lookup ?? systemResolver,
        connectTimeoutMs: this.settings.connectTimeoutMs,
        extraTrustedCertificates: options.extraTrustedCertificates,
      }),
      headersTimeout: this.settings.headersTimeoutMs,
      bodyTimeout: this.settings.bodyIdleTimeoutMs,
    });
    this.limiter =
      options.hostLimiter ??
      new InProcessHostLimiter({
        concurrency: options.perHostConcurrency,
        minGapMs: options.perHostDelayMs,
        jitterMs: options.perHostJitterMs,
      });
    this.robots = new RobotsCache({
      agent: ROBOTS_AGENT,
      ttlMs: options.robotsTtlMs,
      fetchRobots: (robotsUrl) => this.fetchRobotsFile(robotsUrl),
      // A robots.txt on a refused address means the page is refused for that reason, not for robots.
      rethrow: (err) => isNewsdeskError(err, 'ND_FETCH_PRIVATE_ADDRESS'),
    });
  }

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    const exchange = await this.follow(request, { checkRobots: request.purpose === 'page' && this.settings.respectRobots });
    try {
      return await this.complete(request, exchange);
    } finally {
      await exchange.release();
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Follows redirects hop by hop, each hop checked by the guard and, for pages, robots.txt. */
  private async follow(request: FetchRequest, { checkRobots }: { checkRobots: boolean }): Promise<Exchange> {
    let url = checkUrl(request.url, this.policy);
    const visited = new Set([redirectKey(url)]);
    for (let redirects = 0; ; redirects++) {
      if (checkRobots) {
        const verdict = await this.robots.check(url);
        if (!verdict.allowed) throw verdict.failure !== undefined ? unreachableHost(url, verdict.failure) : newsdeskError('ND_FETCH_ROBOTS', { url: url.href, reason: verdict.reason });
      }
      const exchange = await this.send(url, request);
      const location = exchange.headers['location'];
      if (!redirectStatuses.has(exchange.status) || !location) return exchange;
      await discard(exchange.body);
      await exchange.release();
      if (redirects >= this.settings.maxRedirects) {
        throw newsdeskError('ND_FETCH_TOO_MANY_REDIRECTS', { url: request.url, reason: `more than ${this.settings.maxRedirects} redirects (last to ${location})` });
      }
      const next = checkUrl(location, this.policy, url);
      const key = redirectKey(next);
      if (visited.has(key)) {
        throw newsdeskError('ND_FETCH_TOO_MANY_REDIRECTS', { url: request.url, reason: `redirect loop back to ${next.href}` });
      }
      visited.add(key);
      url = next;
    }
  }

  /** One request to one URL. The per-host slot it takes is held until the caller releases the exchange. */
  private async send(url: URL, request: FetchRequest): Promise<Exchange> {
    const headers: Record<string, string> = {
      'user-agent': this.settings.userAgent,
      accept: acceptByPurpose[request.purpose],
      'accept-encoding': ACCEPT_ENCODING,
      ...request.headers,
    };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    const lease = await this.limiter.acquire(url.hostname, request.signal);
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers,
        signal: request.signal,
        headersTimeout: this.settings.headersTimeoutMs,
        bodyTimeout: this.settings.bodyIdleTimeoutMs,
      });
      return { url, status: response.statusCode, headers: flattenHeaders(response.headers), body: response.body, release: () => lease.release() };
    } catch (err) {
      await lease.release();
      if (request.signal?.aborted) throw request.signal.reason;
      throw this.explain(err, url);
    }
  }

  /** Turns undici's and the connector's errors into coded errors that name the URL. */
  private explain(err: unknown, url: URL): NewsdeskError {
    if (err instanceof NewsdeskError) {
      // The connector only knows the origin; the caller wants the URL.
      return err.params.url === url.href ? err : newsdeskError(err.code, { ...err.params, url: url.href }, err);
    }
    const code = (err as { code?: string }).code ?? '';
    const message = err instanceof Error ? err.message : String(err);
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return newsdeskError('ND_FETCH_TIMEOUT', { url: url.href, reason: `no connection within ${this.settings.connectTimeoutMs} ms` }, err);
      case 'UND_ERR_HEADERS_TIMEOUT':
        return newsdeskError('ND_FETCH_TIMEOUT', { url: url.href, reason: `no response headers within ${this.settings.headersTimeoutMs} ms` }, err);
      case 'UND_ERR_BODY_TIMEOUT':
        return newsdeskError('ND_FETCH_TIMEOUT', { url: url.href, reason: `body stalled for ${this.settings.bodyIdleTimeoutMs} ms` }, err);
      default:
        return newsdeskError('ND_FETCH_FAILED', { url: url.href, reason: code ? `${code}: ${message}` : message }, err);
    }
  }

  private async complete(request: FetchRequest, exchange: Exchange): Promise<FetchResponse> {
    const { url, status, headers, body } = exchange;
    const base = { requestedUrl: request.url, url: url.href, status, headers };
    if (status === 304) {
      await discard(body);
      return { ...base, body: new Uint8Array(0), notModified: true };
    }
    if (status < 200 || status >= 300) {
      let bodyStart = '';
      if (status >= 400) {
        try {
          const sniff = await readLimitedBody(body, headers['content-encoding'], url.href, { maxBytes: BOT_WALL_SNIFF_BYTES, deadlineMs: 2000, truncate: true }, request.signal);
          bodyStart = new TextDecoder('utf-8').decode(sniff);
        } catch {
          // The status alone is still worth reporting when the error page cannot be read.
        }
      } else {
        await discard(body);
      }
      const wall = detectBotWall(status, headers, bodyStart);
      if (wall) throw newsdeskError('ND_FETCH_BOT_WALL', { url: url.href, vendor: wall.vendor, reason: `${wall.vendor} (${wall.evidence})`, httpStatus: status });
      const retryAfter = parseRetryAfter(headers['retry-after']);
      if (status === 429 || (status === 503 && retryAfter !== undefined)) {
        throw newsdeskError('ND_FETCH_RATE_LIMITED', {
          url: url.href,
          httpStatus: status,
          retryAfter: retryAfter ?? this.settings.defaultRetryAfterSeconds,
          retryAfterSource: retryAfter === undefined ? 'default' : 'header',
        });
      }
      throw newsdeskError('ND_FETCH_HTTP_STATUS', { url: url.href, httpStatus: status });
    }
    const wall = detectBotWall(status, headers, '');
    if (wall) {
      abandon(body);
      throw newsdeskError('ND_FETCH_BOT_WALL', { url: url.href, vendor: wall.vendor, reason: `${wall.vendor} (${wall.evidence})`, httpStatus: status });
    }
    const mime = mimeOf(headers['content-type']);
    if (!acceptableType[request.purpose](mime)) {
      abandon(body);
      throw newsdeskError('ND_FETCH_CONTENT_TYPE', { url: url.href, contentType: mime, purpose: request.purpose });
    }
    const declaredLength = Number(headers['content-length']);
    if (!headers['content-encoding'] && Number.isFinite(declaredLength) && declaredLength > this.settings.maxBodyBytes) {
      abandon(body);
      throw newsdeskError('ND_FETCH_TOO_LARGE', { url: url.href, limit: this.settings.maxBodyBytes });
    }
    const bytes = await readLimitedBody(body, headers['content-encoding'], url.href, {
      maxBytes: this.settings.maxBodyBytes,
      deadlineMs: this.settings.bodyDeadlineMs,
    }, request.signal);
    return { ...base, body: bytes, notModified: false };
  }

  /** robots.txt with its status, whatever it is: the robots cache decides what 4xx and 5xx mean. */
  private async fetchRobotsFile(robotsUrl: string): Promise<{ status: number; body: Uint8Array }> {
    const exchange = await this.follow({ url: robotsUrl, purpose: 'robots' }, { checkRobots: false });
    try {
      if (exchange.status < 200 || exchange.status >= 300) {
        await discard(exchange.body);
        return { status: exchange.status, body: new Uint8Array(0) };
      }
      const body = await readLimitedBody(exchange.body, exchange.headers['content-encoding'], exchange.url.href, {
        maxBytes: ROBOTS_MAX_BYTES,
        deadlineMs: this.settings.bodyDeadlineMs,
        truncate: true,
      });
      return { status: exchange.status, body };
    } finally {
      await exchange.release();
    }
  }
}

/**
 * The guarded HTTP client. Works with no options (public internet only, defaults above); tests and
 * intranet deployments allowlist what they need through `allow`.
 */
export function createHttpTransport(options: HttpFetchOptions = {}): Transport {
  return new HttpTransport(options);
}
