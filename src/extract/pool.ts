// Article extraction off the event loop: a pool of worker threads, up to one per core by default,
// reused page after page. Each worker has a heap limit and each page a deadline; a worker that overruns
// either is ended and replaced, and its page fails with ND_EXTRACT_FAILED, so one hostile page costs
// one page's time and the server keeps answering.
//
// A worker thread holds 50-80 MB (its own V8 heap, the extraction modules, the language-id model), so
// the pool runs as many as the pages need rather than as many as it may: another worker starts only
// when a page has waited `growAfterMs` for a free one, and a worker idle for `idleMs` is ended. A
// steady feed of pages that one worker keeps up with costs one worker; a backlog gets them all.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { newsdeskError, type NewsdeskError } from '../errors.ts';
import type { PageJob, PageOutcome, PageResult } from './page-job.ts';

export type { PageJob, PageOutcome, PageResult } from './page-job.ts';

export interface ExtractionPoolOptions {
  /** Worker threads; default one per core. 0 extracts on the calling thread (no isolation). */
  workers?: number;
  /** A page not extracted within this long fails, and its worker is replaced. Default 20 s. */
  deadlineMs?: number;
  /** Heap limit of each worker (old generation), in MiB. Default 512. */
  maxHeapMb?: number;
  /** Another worker starts when a page has waited this long for a free one. Default 250 ms. */
  growAfterMs?: number;
  /** A worker with no page for this long is ended (the next page starts one again). Default 60 s. */
  idleMs?: number;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: { id: number; url: string; resolve: (r: PageResult) => void; reject: (e: NewsdeskError) => void; timer: NodeJS.Timeout } | null;
  idle: NodeJS.Timeout | null;
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class ExtractionPool {
  readonly size: number;
  private readonly deadlineMs: number;
  private readonly maxHeapMb: number;
  private readonly slots: Slot[] = [];
  private readonly growAfterMs: number;
  private readonly idleMs: number;
  private readonly waiting: Array<{ job: PageJob; since: number; resolve: (r: PageResult) => void; reject: (e: NewsdeskError) => void }> = [];
  private growTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private closed = false;

  constructor(options: ExtractionPoolOptions = {}) {
    this.size = Math.max(0, Math.floor(options.workers ?? availableParallelism()));
    this.deadlineMs = options.deadlineMs ?? 20_000;
    this.maxHeapMb = options.maxHeapMb ?? 512;
    this.growAfterMs = Math.max(0, options.growAfterMs ?? 250);
    this.idleMs = Math.max(0, options.idleMs ?? 60_000);
  }

  /** Worker threads running now (started, not yet ended). */
  get workers(): number {
    return this.slots.length;
  }

  /** Extracts one page: in a worker when the pool has any, else here. */
  run(job: PageJob): Promise<PageResult> {
    if (this.closed) return Promise.reject(newsdeskError('ND_EXTRACT_FAILED', { url: job.url, reason: 'the extraction pool is closed' }));
    // The extraction modules (linkedom, readability, sanitize-html: some 20 MB) are imported only by
    // the thread that extracts; with workers that is never this one.
    if (this.size === 0) return import('./page-job.ts').then(({ extractHere }) => extractHere(job));
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, since: Date.now(), resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.growTimer) clearTimeout(this.growTimer);
    for (const waiting of this.waiting.splice(0)) waiting.reject(newsdeskError('ND_EXTRACT_FAILED', { url: waiting.job.url, reason: 'the extraction pool is closed' }));
    await Promise.all(this.slots.splice(0).map((slot) => this.retire(slot, 'the extraction pool is closed')));
  }

  private dispatch(): void {
    while (this.waiting.length) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < this.size) {
        const waited = Date.now() - this.waiting[0]!.since;
        if (this.slots.length === 0 || waited >= this.growAfterMs) slot = this.spawn();
        else {
          // Most pages take less than this: the busy worker is likely to be free before a new one is ready.
          this.growTimer ??= setTimeout(() => {
            this.growTimer = null;
            this.dispatch();
          }, this.growAfterMs - waited);
          this.growTimer.unref();
          return;
        }
      }
      if (!slot) return;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      const { job, resolve, reject } = this.waiting.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => {
        void this.retire(slot!, `extraction took longer than ${Math.round(this.deadlineMs / 1000)} s`);
        this.dispatch();
      }, this.deadlineMs);
      slot.busy = { id, url: job.url, resolve, reject, timer };
      // A busy worker keeps the process alive (a CLI ingest awaits its page); an idle one does not.
      slot.worker.ref();
      // A copy of the bytes travels (transferred, not cloned): the fetched buffer may share memory with others.
      const bytes = new Uint8Array(job.bytes);
      void slot.ready.then(() => slot!.worker.postMessage({ id, job: { ...job, bytes } }, [bytes.buffer]));
    }
  }

  private spawn(): Slot {
    // No inherited flags: the entry registers tsx itself, and a parent's --cpu-prof or --test is not the worker's.
    // The young generation at 8 MiB, not V8's default of up to 3 x 16 MiB: a page's DOM is garbage within
    // the page, and on 150 real pages (scrapinghub-aeb) this cost ~5% of the rate and saved ~30 MB of
    // peak RSS a worker.
    const worker = new Worker(ENTRY, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 8, stackSizeMb: 8 } });
    worker.unref();
    let markReady!: () => void;
    const slot: Slot = { worker, ready: new Promise((resolve) => (markReady = resolve)), busy: null, idle: null };
    worker.on('message', (message: { ready?: true; id?: number; outcome?: PageOutcome }) => {
      if (message.ready) return markReady();
      const busy = slot.busy;
      if (!busy || busy.id !== message.id || !message.outcome) return;
      clearTimeout(busy.timer);
      slot.busy = null;
      worker.unref();
      slot.idle = setTimeout(() => {
        if (slot.busy === null) void this.retire(slot, 'idle');
      }, this.idleMs);
      slot.idle.unref();
      const outcome = message.outcome;
      if (outcome.ok) busy.resolve({ extracted: outcome.extracted, rawHtmlSha256: outcome.rawHtmlSha256 });
      else busy.reject(newsdeskError(outcome.code, outcome.params));
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const reason = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `extraction ran out of memory (the limit is ${this.maxHeapMb} MiB)` : `the extraction worker failed: ${err.message}`;
      void this.retire(slot, reason);
      this.dispatch();
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) void this.retire(slot, 'the extraction worker stopped');
      this.dispatch();
    });
    this.slots.push(slot);
    return slot;
  }

  /** Ends a worker, failing the page it had, and frees its place for a new one. */
  private async retire(slot: Slot, reason: string): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
    const busy = slot.busy;
    slot.busy = null;
    if (slot.idle) clearTimeout(slot.idle);
    if (busy) {
      clearTimeout(busy.timer);
      busy.reject(newsdeskError('ND_EXTRACT_FAILED', { url: busy.url, reason }));
    }
    await slot.worker.terminate().catch(() => undefined);
  }
}
