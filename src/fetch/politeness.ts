// Being a good guest on other people's servers: a per-host concurrency limit with jittered spacing,
// Retry-After parsing and backoff, and a polling interval that follows how often a source publishes.

export interface HostLease {
  /** Gives the slot back. Safe to call more than once. */
  release(): void | Promise<void>;
}

/**
 * Grants at most N concurrent requests per host. The in-process limiter below is the default; a
 * store-backed implementation (leases in a shared table with an expiry) can satisfy the same
 * interface when several workers fetch at once.
 */
export interface HostLimiter {
  acquire(host: string, signal?: AbortSignal): Promise<HostLease>;
}

export interface HostLimiterOptions {
  /** Concurrent requests per host, 1 or 2 (values outside are clamped). Default 1. */
  concurrency?: number;
  /** Least time between the starts of two requests to one host. Default 1000 ms. */
  minGapMs?: number;
  /** A random extra of up to this much is added to each gap, so requests do not fall in lockstep. Default 1000 ms. */
  jitterMs?: number;
  random?: () => number;
  now?: () => number;
}

interface Waiter {
  grant: (lease: HostLease) => void;
  fail: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface HostState {
  active: number;
  queue: Waiter[];
  nextStartAt: number;
  timer: NodeJS.Timeout | null;
}

export class InProcessHostLimiter implements HostLimiter {
  readonly concurrency: number;
  private readonly minGapMs: number;
  private readonly jitterMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly hosts = new Map<string, HostState>();

  constructor(options: HostLimiterOptions = {}) {
    this.concurrency = Math.min(2, Math.max(1, Math.floor(options.concurrency ?? 1)));
    this.minGapMs = Math.max(0, options.minGapMs ?? 1000);
    this.jitterMs = Math.max(0, options.jitterMs ?? 1000);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  acquire(host: string, signal?: AbortSignal): Promise<HostLease> {
    const key = host.toLowerCase();
    if (signal?.aborted) return Promise.reject(signal.reason);
    let state = this.hosts.get(key);
    if (!state) {
      state = { active: 0, queue: [], nextStartAt: 0, timer: null };
      this.hosts.set(key, state);
    }
    const hostState = state;
    return new Promise<HostLease>((grant, fail) => {
      const waiter: Waiter = { grant, fail, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = hostState.queue.indexOf(waiter);
          if (index >= 0) hostState.queue.splice(index, 1);
          fail(signal.reason);
          this.pump(key);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      hostState.queue.push(waiter);
      // Any pending timer is re-derived from nextStartAt by pump; replacing it also swaps an unref'd
      // clean-up timer for a ref'd one, so a process waiting on this lease does not exit early.
      if (hostState.timer) {
        clearTimeout(hostState.timer);
        hostState.timer = null;
      }
      this.pump(key);
    });
  }

  /** Hosts with state held (active, queued, or still inside their spacing gap). */
  get trackedHosts(): number {
    return this.hosts.size;
  }

  private pump(key: string): void {
    const state = this.hosts.get(key);
    if (!state || state.timer) return;
    while (state.queue.length > 0 && state.active < this.concurrency) {
      const wait = state.nextStartAt - this.now();
      if (wait > 0) {
        state.timer = setTimeout(() => {
          state.timer = null;
          this.pump(key);
        }, wait);
        return;
      }
      const waiter = state.queue.shift()!;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      state.active++;
      state.nextStartAt = this.now() + this.minGapMs + this.random() * this.jitterMs;
      let released = false;
      waiter.grant({
        release: () => {
          if (released) return;
          released = true;
          state.active--;
          this.pump(key);
        },
      });
    }
    if (state.active === 0 && state.queue.length === 0) {
      // Keep the host only while its spacing gap still matters.
      const wait = state.nextStartAt - this.now();
      if (wait <= 0) this.hosts.delete(key);
      else {
        state.timer = setTimeout(() => {
          state.timer = null;
          if (state.active === 0 && state.queue.length === 0) this.hosts.delete(key);
          else this.pump(key);
        }, wait);
        state.timer.unref();
      }
    }
  }
}

/**
 * Seconds to wait from a Retry-After value: delta-seconds or an HTTP date. Undefined when the value
 * is absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Every HTTP-date form names its month in letters; Date.parse alone would read "-5" as a year.
  if (!/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export interface BackoffOptions {
  /** Failures in a row so far, 1 for the first failure. */
  attempt: number;
  /** Delay after the first failure. Default 60 s. */
  baseMs?: number;
  /** Longest delay exponential growth may reach. Default 6 h. */
  capMs?: number;
  /** What the server asked for via Retry-After, in seconds; honoured even beyond the cap, up to `maxRetryAfterMs`. */
  retryAfterSeconds?: number;
  /** A server may not park a source for longer than this. Default 7 days. */
  maxRetryAfterMs?: number;
  /** Random spread as a fraction of the delay (0.2 = ±10%). Default 0.2. */
  jitter?: number;
  random?: () => number;
}

/** How long to wait before trying a failing source again: exponential with a cap, never sooner than Retry-After. */
export function backoffDelay(options: BackoffOptions): number {
  const base = options.baseMs ?? 60_000;
  const cap = options.capMs ?? 6 * 3600_000;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const exponent = Math.max(0, Math.floor(options.attempt) - 1);
  const exponential = Math.min(cap, base * 2 ** Math.min(exponent, 52));
  const spread = exponential * jitter * (random() - 0.5);
  const delay = Math.min(cap, Math.max(0, exponential + spread));
  if (options.retryAfterSeconds === undefined) return Math.round(delay);
  const asked = Math.min(options.retryAfterSeconds * 1000, options.maxRetryAfterMs ?? 7 * 24 * 3600_000);
  return Math.round(Math.max(delay, asked));
}

export interface PollBounds {
  /** Shortest interval, ms. */
  min: number;
  /** Longest interval, ms. */
  max: number;
  now?: number;
}

// How far back publishing history counts; older entries say little about today's pace.
const POLL_HISTORY_MS = 30 * 24 * 3600_000;

/**
 * The interval until a source is polled again, from the publication times of its recent entries.
 * A source is polled about twice per typical gap between its entries (so a new entry waits half a
 * gap on average), and a source that has gone quiet for longer than its usual gap slows down in
 * proportion; the result always lies within [min, max].
 */
export function nextPollInterval(entryTimestamps: ReadonlyArray<Date | number | string>, bounds: PollBounds): number {
  const now = bounds.now ?? Date.now();
  const min = Math.max(0, Math.min(bounds.min, bounds.max));
  const max = Math.max(bounds.min, bounds.max);
  const times = entryTimestamps
    .map((t) => (t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t)))
    // Future dates are clock skew or lies, and anything before the window is stale.
    .filter((t) => Number.isFinite(t) && t <= now + 60_000 && t >= now - POLL_HISTORY_MS)
    .sort((a, b) => a - b);
  if (times.length < 2) return max;
  const span = now - times[0];
  const typicalGap = span / times.length;
  const quietFor = now - times[times.length - 1];
  let interval = typicalGap / 2;
  if (quietFor > typicalGap * 2) interval *= quietFor / (typicalGap * 2);
  return Math.round(Math.min(max, Math.max(min, interval)));
}
