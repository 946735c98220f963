import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRobots, isAllowed, patternMatches, groupFor, RobotsCache, type RobotsFetchResult } from './robots.ts';

describe('patternMatches', () => {
  const table: Array<[string, string, boolean]> = [
    ['/', '/anything', true],
    ['/fish', '/fish', true],
    ['/fish', '/fish.html', true],
    ['/fish', '/fish/salmon.html', true],
    ['/fish', '/Fish.asp', false],
    ['/fish', '/catfish', false],
    ['/fish*', '/fishheads/yummy.html', true],
    ['/fish/', '/fish', false],
    ['/fish/', '/fish/?id=anything', true],
    ['/*.php', '/index.php', true],
    ['/*.php', '/folder/filename.php?parameters', true],
    ['/*.php', '/windows.PHP', false],
    ['/*.php$', '/filename.php', true],
    ['/*.php$', '/filename.php?parameters', false],
    ['/*.php$', '/filename.php5', false],
    ['/fish*.php', '/fishheads/catfish.php?parameters', true],
    ['/fish*.php', '/Fish.PHP', false],
    ['/$', '/', true],
    ['/$', '/page', false],
    ['*', '/x', true],
    ['/a*b*c', '/aXbYc', true],
    ['/a*b*c$', '/aXbYcZ', false],
    ['/a*b*c', '/aXcYb', false],
    ['/**a', '/xxa', true],
  ];
  for (const [pattern, path, expected] of table) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(patternMatches(pattern, path), expected);
    });
  }

  it('stays fast on a pattern built to backtrack', () => {
    const pattern = `/${'*a'.repeat(40)}b`;
    const path = `/${'a'.repeat(5000)}`;
    assert.equal(patternMatches(pattern, path), false);
  });
});

describe('parseRobots and isAllowed', () => {
  const robots = parseRobots(`
# comment line
User-agent: *
Disallow: /private
Allow: /private/public   # more specific allow
Disallow: /*.pdf$
Crawl-delay: 5

User-agent: Googlebot
User-agent: bingbot
Disallow: /

user-agent: NewsDesk/1.0
disallow: /no-newsdesk
allow: /page
disallow: /page

Sitemap: https://example.org/sitemap.xml
`);

  it('groups user-agent lines and collects sitemaps', () => {
    assert.equal(robots.groups.length, 3);
    assert.deepEqual(robots.groups[1].agents, ['Googlebot', 'bingbot']);
    assert.deepEqual(robots.sitemaps, ['https://example.org/sitemap.xml']);
    assert.equal(groupFor(robots, 'somebot')?.crawlDelaySeconds, 5);
  });

  const table: Array<[string, string, boolean]> = [
    ['somebot', '/', true],
    ['somebot', '/private', false],
    ['somebot', '/private/x', false],
    ['somebot', '/private/public/x', true],
    ['somebot', '/doc.pdf', false],
    ['somebot', '/doc.pdf?download=1', true],
    ['googlebot', '/anything', false],
    ['bingbot', '/anything', false],
    // newsdesk has its own group, which replaces the * group entirely
    ['newsdesk', '/private', true],
    ['newsdesk', '/no-newsdesk/x', false],
    // equal lengths: allow wins
    ['newsdesk', '/page', true],
    ['newsdesk', '/robots.txt', true],
  ];
  for (const [agent, path, expected] of table) {
    it(`${agent} ${expected ? 'may' : 'may not'} fetch ${path}`, () => {
      assert.equal(isAllowed(robots, agent, path), expected);
    });
  }

  it('allows everything when nothing applies', () => {
    assert.equal(isAllowed(parseRobots(''), 'newsdesk', '/x'), true);
    assert.equal(isAllowed(parseRobots('User-agent: otherbot\nDisallow: /\n'), 'newsdesk', '/x'), true);
    assert.equal(isAllowed(parseRobots('User-agent: *\nDisallow:\n'), 'newsdesk', '/x'), true);
    // rules before any user-agent line belong to no group
    assert.equal(isAllowed(parseRobots('Disallow: /\n'), 'newsdesk', '/x'), true);
  });

  it('merges repeated groups for the same agent', () => {
    const merged = parseRobots('User-agent: newsdesk\nDisallow: /a\n\nUser-agent: other\nDisallow: /\n\nUser-agent: newsdesk\nDisallow: /b\n');
    assert.equal(isAllowed(merged, 'newsdesk', '/a/1'), false);
    assert.equal(isAllowed(merged, 'newsdesk', '/b/1'), false);
    assert.equal(isAllowed(merged, 'newsdesk', '/c/1'), true);
  });

  it('compares percent-encoding case-insensitively and non-ASCII patterns encoded', () => {
    const encoded = parseRobots('User-agent: *\nDisallow: /caf%c3%a9\nDisallow: /naïve\n');
    assert.equal(isAllowed(encoded, 'newsdesk', new URL('https://x.org/café/menu').pathname), false);
    assert.equal(isAllowed(encoded, 'newsdesk', new URL('https://x.org/naïve').pathname), false);
    assert.equal(isAllowed(encoded, 'newsdesk', '/cafe'), true);
  });

  it('reads CR-only and CRLF line endings and common misspellings', () => {
    assert.equal(isAllowed(parseRobots('User-agent: *\r\nDisallow: /x\r\n'), 'newsdesk', '/x'), false);
    assert.equal(isAllowed(parseRobots('User-agent: *\rDisallow: /x\r'), 'newsdesk', '/x'), false);
    assert.equal(isAllowed(parseRobots('Useragent: *\nDissallow: /x\n'), 'newsdesk', '/x'), false);
  });
});

describe('RobotsCache', () => {
  const encoder = new TextEncoder();
  function cacheWith(responses: Record<string, RobotsFetchResult | Error>, now = () => 0) {
    const fetched: string[] = [];
    const cache = new RobotsCache({
      agent: 'newsdesk',
      now,
      fetchRobots: async (url) => {
        fetched.push(url);
        const answer = responses[url];
        if (answer instanceof Error) throw answer;
        return answer ?? { status: 404, body: new Uint8Array(0) };
      },
    });
    return { cache, fetched };
  }

  it('follows RFC 9309: 4xx allows all, 5xx and network errors disallow all', async () => {
    const { cache } = cacheWith({
      'https://ok.test/robots.txt': { status: 200, body: encoder.encode('User-agent: *\nDisallow: /x') },
      'https://gone.test/robots.txt': { status: 404, body: new Uint8Array(0) },
      'https://broken.test/robots.txt': { status: 503, body: new Uint8Array(0) },
      'https://busy.test/robots.txt': { status: 429, body: new Uint8Array(0) },
      'https://down.test/robots.txt': new Error('ECONNREFUSED'),
    });
    assert.equal((await cache.check(new URL('https://ok.test/x'))).allowed, false);
    assert.equal((await cache.check(new URL('https://ok.test/y'))).allowed, true);
    assert.equal((await cache.check(new URL('https://gone.test/x'))).allowed, true);
    assert.equal((await cache.check(new URL('https://broken.test/x'))).allowed, false);
    assert.equal((await cache.check(new URL('https://busy.test/x'))).allowed, false);
    const down = await cache.check(new URL('https://down.test/x'));
    assert.equal(down.allowed, false);
    assert.match(down.reason, /unreachable \(ECONNREFUSED\)/);
  });

  it('fetches once per origin, shares concurrent loads, and refetches after the TTL', async () => {
    let clock = 0;
    const { cache, fetched } = cacheWith({ 'https://a.test/robots.txt': { status: 200, body: encoder.encode('') } }, () => clock);
    await Promise.all([cache.check(new URL('https://a.test/1')), cache.check(new URL('https://a.test/2'))]);
    await cache.check(new URL('https://a.test/3'));
    assert.equal(fetched.length, 1);
    clock += 25 * 3600_000;
    await cache.check(new URL('https://a.test/4'));
    assert.equal(fetched.length, 2);
  });
});
