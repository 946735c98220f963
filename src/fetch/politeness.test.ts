import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessHostLimiter, backoffDelay, nextPollInterval, parseRetryAfter } from './politeness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('InProcessHostLimiter', () => {
  it('clamps concurrency to 1..2', () => {
    assert.equal(new InProcessHostLimiter({ concurrency: 0 }).concurrency, 1);
    assert.equal(new InProcessHostLimiter({ concurrency: 2 }).concurrency, 2);
    assert.equal(new InProcessHostLimiter({ concurrency: 10 }).concurrency, 2);
    assert.equal(new InProcessHostLimiter().concurrency, 1);
  });

  it('holds a second request to the same host until the first releases', async () => {
    const limiter = new InProcessHostLimiter({ minGapMs: 0, jitterMs: 0 });
    const first = await limiter.acquire('example.org');
    let secondGranted = false;
    const second = limiter.acquire('EXAMPLE.org').then((lease) => {
      secondGranted = true;
      return lease;
    });
    const otherHost = await limiter.acquire('other.org');
    await sleep(20);
    assert.equal(secondGranted, false, 'same host waits');
    first.release();
    first.release(); // a double release must not free a second slot
    (await second).release();
    otherHost.release();
    assert.equal(secondGranted, true);
  });

  it('allows two at once with concurrency 2, never three', async () => {
    const limiter = new InProcessHostLimiter({ concurrency: 2, minGapMs: 0, jitterMs: 0 });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const lease = await limiter.acquire('a.test');
        active++;
        peak = Math.max(peak, active);
        await sleep(10);
        active--;
        lease.release();
      }),
    );
    assert.equal(peak, 2);
  });

  it('spaces request starts by the gap plus jitter', async () => {
    const draws = [0, 1, 0.5];
    const limiter = new InProcessHostLimiter({ minGapMs: 40, jitterMs: 40, random: () => draws.shift() ?? 0 });
    const starts: number[] = [];
    await Promise.all(
      [0, 1, 2].map(async () => {
        const lease = await limiter.acquire('a.test');
        starts.push(Date.now());
        lease.release();
      }),
    );
    // gaps drawn: 40 + 0*40 after the first start, 40 + 1*40 after the second. Timers run on a
    // monotonic clock and Date.now() on the wall clock, so a timer may appear to fire a few ms early.
    assert.ok(starts[1] - starts[0] >= 34, `first gap ${starts[1] - starts[0]}`);
    assert.ok(starts[2] - starts[1] >= 74, `second gap ${starts[2] - starts[1]}`);
  });

  it('drops a waiter whose signal aborts, and forgets idle hosts', async () => {
    const limiter = new InProcessHostLimiter({ minGapMs: 0, jitterMs: 0 });
    const held = await limiter.acquire('a.test');
    const controller = new AbortController();
    const waiting = limiter.acquire('a.test', controller.signal);
    controller.abort(new Error('caller gave up'));
    await assert.rejects(waiting, /caller gave up/);
    held.release();
    const next = await limiter.acquire('a.test');
    next.release();
    assert.equal(limiter.trackedHosts, 0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const table: Array<[string | undefined, number | undefined]> = [
    ['120', 120],
    ['0', 0],
    [' 30 ', 30],
    ['Sun, 01 Jun 2025 12:01:30 GMT', 90],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0],
    ['-5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(parseRetryAfter(value, now), expected));
  }
});

describe('backoffDelay', () => {
  const fixed = { random: () => 0.5, baseMs: MINUTE, capMs: HOUR };
  it('doubles per attempt up to the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 100].map((attempt) => backoffDelay({ ...fixed, attempt })), [
      MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE, 32 * MINUTE, HOUR, HOUR, HOUR,
    ]);
  });
  it('spreads by the jitter fraction without passing the cap', () => {
    assert.equal(backoffDelay({ ...fixed, attempt: 1, random: () => 0 }), 0.9 * MINUTE);
    assert.equal(backoffDelay({ ...fixed, attempt: 1, random: () => 1 }), 1.1 * MINUTE);
    assert.equal(backoffDelay({ ...fixed, attempt: 20, random: () => 1 }), HOUR);
  });
  it('never retries before Retry-After, even past the cap, within the hard maximum', () => {
    assert.equal(backoffDelay({ ...fixed, attempt: 1, retryAfterSeconds: 300 }), 300_000);
    assert.equal(backoffDelay({ ...fixed, attempt: 6, retryAfterSeconds: 10 }), 32 * MINUTE);
    assert.equal(backoffDelay({ ...fixed, attempt: 1, retryAfterSeconds: 3 * 3600 }), 3 * HOUR);
    assert.equal(backoffDelay({ ...fixed, attempt: 1, retryAfterSeconds: 30 * 24 * 3600 }), 7 * 24 * HOUR);
  });
});

describe('nextPollInterval', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const bounds = { min: 5 * MINUTE, max: 24 * HOUR, now };
  const everyHours = (hours: number, count: number) => Array.from({ length: count }, (_, i) => now - i * hours * HOUR);

  it('polls a source that publishes hourly about every half hour', () => {
    const interval = nextPollInterval(everyHours(1, 48), bounds);
    assert.ok(interval >= 25 * MINUTE && interval <= 35 * MINUTE, `${interval / MINUTE} min`);
  });

  it('polls a daily source about twice a day, and a weekly one at the maximum', () => {
    const daily = nextPollInterval(everyHours(24, 20), bounds);
    assert.ok(daily >= 11 * HOUR && daily <= 13 * HOUR, `${daily / HOUR} h`);
    assert.equal(nextPollInterval(everyHours(24 * 7, 4), bounds), bounds.max);
  });

  it('clamps a very busy source to the minimum', () => {
    const busy = Array.from({ length: 500 }, (_, i) => now - i * MINUTE);
    assert.equal(nextPollInterval(busy, bounds), bounds.min);
  });

  it('slows down a source that has gone quiet', () => {
    const active = nextPollInterval(everyHours(1, 48), bounds);
    const quiet = nextPollInterval(everyHours(1, 48).map((t) => t - 12 * HOUR), bounds);
    assert.ok(quiet > active * 2, `${quiet} vs ${active}`);
  });

  it('uses the maximum with too little history, and ignores future and stale dates', () => {
    assert.equal(nextPollInterval([], bounds), bounds.max);
    assert.equal(nextPollInterval([now - HOUR], bounds), bounds.max);
    assert.equal(nextPollInterval([now + 10 * HOUR, now + 20 * HOUR, now - 400 * 24 * HOUR], bounds), bounds.max);
    const withFuture = nextPollInterval([...everyHours(1, 48), now + 5 * HOUR], bounds);
    assert.equal(withFuture, nextPollInterval(everyHours(1, 48), bounds));
  });

  it('accepts Dates and ISO strings as well as epoch milliseconds', () => {
    const ms = everyHours(2, 30);
    const expected = nextPollInterval(ms, bounds);
    assert.equal(nextPollInterval(ms.map((t) => new Date(t)), bounds), expected);
    assert.equal(nextPollInterval(ms.map((t) => new Date(t).toISOString()), bounds), expected);
  });
});
