// robots.txt as RFC 9309 describes it: groups of user-agent lines with their allow/disallow rules,
// the most specific matching group (merged when it appears more than once, `*` otherwise), the
// longest matching rule winning and allow winning a tie, `*` wildcards and a `$` end anchor.

export interface RobotsRule {
  allow: boolean;
  pattern: string;
}

export interface RobotsGroup {
  agents: string[];
  rules: RobotsRule[];
  crawlDelaySeconds?: number;
}

export interface RobotsTxt {
  groups: RobotsGroup[];
  sitemaps: string[];
}

// RFC 9309 asks parsers to read at least 500 KiB; anything after that is ignored.
export const ROBOTS_MAX_BYTES = 512 * 1024;

const userAgentKeys = new Set(['user-agent', 'useragent', 'user agent']);
const disallowKeys = new Set(['disallow', 'dissallow', 'dissalow', 'disalow', 'diasllow', 'disallaw']);

export function parseRobots(text: string): RobotsTxt {
  const groups: RobotsGroup[] = [];
  const sitemaps: string[] = [];
  let current: RobotsGroup | null = null;
  let currentHasRules = false;
  for (const rawLine of text.slice(0, ROBOTS_MAX_BYTES).split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (userAgentKeys.has(key)) {
      if (!current || currentHasRules) {
        current = { agents: [], rules: [] };
        groups.push(current);
        currentHasRules = false;
      }
      if (value) current.agents.push(value);
    } else if (key === 'allow' || disallowKeys.has(key)) {
      if (!current) continue;
      currentHasRules = true;
      // An empty pattern matches nothing: `Disallow:` means everything is allowed.
      if (value) current.rules.push({ allow: key === 'allow', pattern: normalizeEncoding(value) });
    } else if (key === 'crawl-delay') {
      if (!current) continue;
      currentHasRules = true;
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelaySeconds = seconds;
    } else if (key === 'sitemap') {
      if (value) sitemaps.push(value);
    }
  }
  return { groups, sitemaps };
}

/** Upper-case hex in escapes and percent-encode non-ASCII, so patterns and paths compare alike. */
function normalizeEncoding(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code > 0x7e || code < 0x21) {
      for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += char;
    }
  }
  return out.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase());
}

/** The product token of a user-agent line: `Googlebot/2.1 (+...)` names `googlebot`. */
function productToken(agent: string): string {
  return (/^[a-z_-]+/i.exec(agent)?.[0] ?? agent).toLowerCase();
}

/** The group that applies to a crawler whose product token is `agent`, or null when none does. */
export function groupFor(robots: RobotsTxt, agent: string): RobotsGroup | null {
  const token = agent.toLowerCase();
  const pick = (predicate: (name: string) => boolean): RobotsGroup | null => {
    const matching = robots.groups.filter((g) => g.agents.some(predicate));
    if (matching.length === 0) return null;
    return {
      agents: matching.flatMap((g) => g.agents),
      rules: matching.flatMap((g) => g.rules),
      crawlDelaySeconds: matching.find((g) => g.crawlDelaySeconds !== undefined)?.crawlDelaySeconds,
    };
  };
  return pick((name) => name !== '*' && productToken(name) === token) ?? pick((name) => name.trim() === '*');
}

/**
 * Whether `pattern` matches the start of `path` (the whole path when the pattern ends in `$`).
 * A two-pointer glob match, linear in practice and never exponential, because a robots.txt is input
 * from the site being crawled.
 */
export function patternMatches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  const glob = anchored ? pattern.slice(0, -1) : `${pattern}*`;
  let p = 0;
  let s = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (s < path.length) {
    if (p < glob.length && glob[p] !== '*' && glob[p] === path[s]) {
      p++;
      s++;
    } else if (p < glob.length && glob[p] === '*') {
      starAt = p++;
      resumeAt = s;
    } else if (starAt >= 0) {
      p = starAt + 1;
      s = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < glob.length && glob[p] === '*') p++;
  return p === glob.length;
}

/** The rule that decides `path` (longest pattern wins, allow wins ties), or null when none matches. */
export function decidingRule(rules: RobotsRule[], path: string): RobotsRule | null {
  let best: RobotsRule | null = null;
  for (const rule of rules) {
    if (!patternMatches(rule.pattern, path)) continue;
    if (!best || rule.pattern.length > best.pattern.length || (rule.pattern.length === best.pattern.length && rule.allow && !best.allow)) {
      best = rule;
    }
  }
  return best;
}

/** Whether `agent` may fetch `pathAndQuery` (e.g. `/news/a?id=1`) under these rules. */
export function isAllowed(robots: RobotsTxt, agent: string, pathAndQuery: string): boolean {
  const path = normalizeEncoding(pathAndQuery || '/');
  if (path === '/robots.txt') return true;
  const group = groupFor(robots, agent);
  if (!group) return true;
  return decidingRule(group.rules, path)?.allow ?? true;
}

export const ALLOW_ALL: RobotsTxt = { groups: [], sitemaps: [] };
export const DISALLOW_ALL: RobotsTxt = { groups: [{ agents: ['*'], rules: [{ allow: false, pattern: '/' }] }], sitemaps: [] };

export interface RobotsFetchResult {
  status: number;
  body: Uint8Array;
}

export interface RobotsCacheOptions {
  /** Fetches `origin/robots.txt`, following redirects; throws on network failure. */
  fetchRobots: (robotsUrl: string) => Promise<RobotsFetchResult>;
  agent: string;
  /** How long a fetched robots.txt is trusted (RFC 9309: no more than a day). */
  ttlMs?: number;
  /** How long an unreachable robots.txt (5xx, network error) blocks the host before trying again. */
  unreachableTtlMs?: number;
  /** Errors with these codes are not "unreachable" but the caller's business, and are rethrown. */
  rethrow?: (err: unknown) => boolean;
  maxHosts?: number;
  now?: () => number;
}

export interface RobotsVerdict {
  allowed: boolean;
  reason: string;
  /** Why robots.txt could not be fetched at all (a network error): the host's pages fail the same way. */
  failure?: unknown;
}

/** robots.txt per origin, fetched once and cached; concurrent checks of one origin share one fetch. */
export class RobotsCache {
  private readonly entries = new Map<string, { robots: RobotsTxt; note: string; failure?: unknown; expires: number }>();
  private readonly inFlight = new Map<string, Promise<{ robots: RobotsTxt; note: string; failure?: unknown }>>();
  private readonly options: Required<Omit<RobotsCacheOptions, 'rethrow'>> & Pick<RobotsCacheOptions, 'rethrow'>;

  constructor(options: RobotsCacheOptions) {
    this.options = {
      ...options,
      ttlMs: options.ttlMs ?? 24 * 3600_000,
      unreachableTtlMs: options.unreachableTtlMs ?? 10 * 60_000,
      maxHosts: options.maxHosts ?? 2000,
      now: options.now ?? Date.now,
    };
  }

  async check(url: URL): Promise<RobotsVerdict> {
    const { robots, note, failure } = await this.rulesFor(url.origin);
    const allowed = isAllowed(robots, this.options.agent, url.pathname + url.search);
    return { allowed, reason: allowed ? note : `${note} disallows ${url.pathname}${url.search}`, ...(failure !== undefined && !allowed ? { failure } : {}) };
  }

  private async rulesFor(origin: string): Promise<{ robots: RobotsTxt; note: string; failure?: unknown }> {
    const cached = this.entries.get(origin);
    if (cached && cached.expires > this.options.now()) return cached;
    let pending = this.inFlight.get(origin);
    if (!pending) {
      pending = this.load(origin).finally(() => this.inFlight.delete(origin));
      this.inFlight.set(origin, pending);
    }
    return pending;
  }

  private async load(origin: string): Promise<{ robots: RobotsTxt; note: string; failure?: unknown }> {
    let result: { robots: RobotsTxt; note: string; ttl: number; failure?: unknown };
    try {
      const { status, body } = await this.options.fetchRobots(`${origin}/robots.txt`);
      if (status >= 200 && status < 300) {
        const text = new TextDecoder('utf-8').decode(body.subarray(0, ROBOTS_MAX_BYTES));
        result = { robots: parseRobots(text), note: 'robots.txt', ttl: this.options.ttlMs };
      } else if (status >= 400 && status < 500 && status !== 429) {
        result = { robots: ALLOW_ALL, note: `robots.txt (HTTP ${status}: none)`, ttl: this.options.ttlMs };
      } else {
        result = { robots: DISALLOW_ALL, note: `robots.txt unreachable (HTTP ${status})`, ttl: this.options.unreachableTtlMs };
      }
    } catch (err) {
      if (this.options.rethrow?.(err)) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      result = { robots: DISALLOW_ALL, note: `robots.txt unreachable (${reason})`, ttl: this.options.unreachableTtlMs, failure: err };
    }
    if (this.entries.size >= this.options.maxHosts) {
      // Maps iterate in insertion order, so the first key is the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.delete(origin);
    this.entries.set(origin, { robots: result.robots, note: result.note, failure: result.failure, expires: this.options.now() + result.ttl });
    return { robots: result.robots, note: result.note, failure: result.failure };
  }
}
