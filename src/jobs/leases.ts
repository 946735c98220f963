// Coordination between processes that share one store: a section lock (curation runs one article at
// a time across every worker) and a per-host politeness limiter, both held in the store so they
// bind every worker on every machine, and both released by expiry when a holder dies.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/index.ts';
import { acquireLease, leaseHolder, releaseLease } from '../store/jobs.ts';
import type { HostLease, HostLimiter } from '../fetch/politeness.ts';
import { Mutex } from './mutex.ts';

/** What callers of a section lock need: `run` a section while no other holder runs one. */
export interface SectionLock {
  run<T>(section: () => Promise<T>): Promise<T>;
  /** Runs the section only if nobody holds the lock now; `ran: false` otherwise. */
  tryRun<T>(section: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/** A name for this process, unique across machines: `host:pid:random`. */
export function processHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Whether a holder named by `processHolderId` is a process of this machine that no longer runs. */
export function isDeadLocalHolder(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One in-process queue per store and lock name: sections of one process wait here, in order, and
// only the head contends for the shared lock, so a process never holds more than one connection
// waiting for it.
const localQueues = new WeakMap<Store, Map<string, Mutex>>();

function localQueue(store: Store, name: string): Mutex {
  let byName = localQueues.get(store);
  if (!byName) localQueues.set(store, (byName = new Map()));
  let mutex = byName.get(name);
  if (!mutex) byName.set(name, (mutex = new Mutex()));
  return mutex;
}

export interface StoreLockOptions {
  /** SQLite: how long a lease outlives a holder that died. Renewed while the section runs. Default 30 s. */
  ttlMs?: number;
  /** SQLite: how often a waiting process asks again. Default 15 ms. */
  pollMs?: number;
}

/**
 * A lock across every process on the store. PostgreSQL: a transaction-scoped advisory lock, which the
 * server drops the moment the holder's connection goes (a killed worker frees it at once). SQLite: a
 * lease row with an expiry, renewed while the section runs.
 */
export function storeLock(store: Store, name: string, options: StoreLockOptions = {}): SectionLock {
  const local = localQueue(store, name);
  const scopedName = `${store.schema ?? 'public'}:${name}`;
  const ttlMs = options.ttlMs ?? 30_000;
  const pollMs = options.pollMs ?? 15;
  const holder = processHolderId();
  const leaseName = `lock:${name}`;
  /** SQLite: holds the lease (taken) while the section runs, renewing it. */
  const holding = async <T>(section: () => Promise<T>): Promise<T> => {
    const renew = setInterval(() => void acquireLease(store, leaseName, holder, ttlMs).catch(() => {}), Math.max(1000, ttlMs / 3));
    try {
      return await section();
    } finally {
      clearInterval(renew);
      await releaseLease(store, leaseName, holder);
    }
  };
  /** SQLite: takes the lease, freeing it first if its holder is a dead process of this machine. */
  const take = async (freeDead: boolean): Promise<boolean> => {
    if (await acquireLease(store, leaseName, holder, ttlMs)) return true;
    if (!freeDead) return false;
    const current = await leaseHolder(store, leaseName);
    if (current && isDeadLocalHolder(current)) await releaseLease(store, leaseName, current);
    return acquireLease(store, leaseName, holder, ttlMs);
  };
  return {
    run<T>(section: () => Promise<T>): Promise<T> {
      return local.run(async () => {
        if (store.dialect === 'postgres') {
          return store.withAdvisoryLock(scopedName, section);
        }
        // A holder killed on this machine frees the lock now rather than when its lease expires.
        for (let attempt = 1; !(await take(attempt % 20 === 0)); attempt++) await sleep(pollMs);
        return holding(section);
      });
    },
    async tryRun<T>(section: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
      if (local.busy) return { ran: false };
      return local.run(async () => {
        if (store.dialect === 'postgres') {
          const result = await store.withTryAdvisoryLock(scopedName, section);
          return result.locked ? { ran: true as const, value: result.value } : { ran: false as const };
        }
        if (!(await take(true))) return { ran: false as const };
        return { ran: true as const, value: await holding(section) };
      });
    },
  };
}

export interface StoreHostLimiterOptions {
  /** Concurrent requests per host across all workers, 1 or 2. Default 1. */
  concurrency?: number;
  /** Least time between the end of one request to a host and the start of the next. Default 1000 ms. */
  minGapMs?: number;
  /** Random extra gap of up to this much. Default 1000 ms. */
  jitterMs?: number;
  /** A slot held by a worker that died is free again after this long. Default 120 s. */
  leaseTtlMs?: number;
  /** How often a waiting request asks again. Default 100 ms. */
  pollMs?: number;
  random?: () => number;
}

/**
 * The per-host limit held in the store: a host has `concurrency` slots, each a lease row. A request
 * takes a free slot; on release the slot stays blocked for the politeness gap, so the limit and the
 * spacing hold however many workers fetch from the host.
 */
export class StoreHostLimiter implements HostLimiter {
  private readonly concurrency: number;
  private readonly minGapMs: number;
  private readonly jitterMs: number;
  private readonly leaseTtlMs: number;
  private readonly pollMs: number;
  private readonly random: () => number;
  private readonly holderPrefix = processHolderId();
  private sequence = 0;

  constructor(
    private readonly store: Store,
    options: StoreHostLimiterOptions = {},
  ) {
    this.concurrency = Math.min(2, Math.max(1, Math.floor(options.concurrency ?? 1)));
    this.minGapMs = Math.max(0, options.minGapMs ?? 1000);
    this.jitterMs = Math.max(0, options.jitterMs ?? 1000);
    this.leaseTtlMs = options.leaseTtlMs ?? 120_000;
    this.pollMs = options.pollMs ?? 100;
    this.random = options.random ?? Math.random;
  }

  async acquire(host: string, signal?: AbortSignal): Promise<HostLease> {
    const key = host.toLowerCase();
    const holder = `${this.holderPrefix}:${++this.sequence}`;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      for (let slot = 0; slot < this.concurrency; slot++) {
        const name = `host:${key}#${slot}`;
        if (await acquireLease(this.store, name, holder, this.leaseTtlMs)) {
          let released = false;
          return {
            release: async () => {
              if (released) return;
              released = true;
              await releaseLease(this.store, name, holder, this.minGapMs + this.random() * this.jitterMs);
            },
          };
        }
      }
      await sleep(this.pollMs * (0.5 + this.random()));
    }
  }
}
