// Reading a response body under limits. The cap counts decompressed bytes and is enforced while the
// body streams, so a compression bomb stops at the cap instead of filling memory; a total deadline
// catches servers that keep a connection alive by dripping bytes slower than any idle timeout.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, type Inflate, type InflateRaw } from 'node:zlib';
import { newsdeskError, isNewsdeskError } from '../errors.ts';

export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * HTTP `deflate` is meant to be zlib-wrapped but many servers send raw deflate; the first two bytes
 * tell them apart.
 */
class InflateEitherFormat extends Transform {
  private inner: Inflate | InflateRaw | null = null;
  private pending: Buffer = Buffer.alloc(0);

  private start(head: Buffer): void {
    const zlibWrapped = head.length >= 2 && (head[0] & 0x0f) === 8 && ((head[0] << 8) | head[1]) % 31 === 0;
    this.inner = zlibWrapped ? createInflate() : createInflateRaw();
    this.inner.on('data', (chunk: Buffer) => this.push(chunk));
    this.inner.on('error', (err) => this.destroy(err));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      this.pending = Buffer.concat([this.pending, chunk]);
      if (this.pending.length < 2) return callback();
      this.start(this.pending);
      chunk = this.pending;
      this.pending = Buffer.alloc(0);
    }
    this.inner!.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) {
      this.start(this.pending);
      if (this.pending.length > 0) this.inner!.write(this.pending);
    }
    const inner = this.inner!;
    inner.once('end', () => callback());
    inner.end();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(err);
  }
}

function decoderFor(encoding: string, url: string): Transform {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return new InflateEitherFormat();
    case 'br':
      return createBrotliDecompress();
    default:
      throw newsdeskError('ND_FETCH_FAILED', { url, reason: `unsupported content-encoding ${encoding}` });
  }
}

/** Stops reading a body we no longer want; the abort error its destruction raises is expected. */
export function abandon(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

export interface BodyLimits {
  maxBytes: number;
  /** Time allowed for the whole body, from the first read to the last byte. */
  deadlineMs: number;
  /** Keep the first `maxBytes` and stop reading instead of failing (error pages, robots.txt). */
  truncate?: boolean;
}

/**
 * Reads, decompresses and caps a body. Throws ND_FETCH_TOO_LARGE past `maxBytes` (decompressed),
 * ND_FETCH_TIMEOUT past the deadline; aborting `signal` aborts the read with the signal's reason.
 */
export async function readLimitedBody(
  body: Readable,
  contentEncoding: string | undefined,
  url: string,
  limits: BodyLimits,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
  let decoders: Transform[];
  try {
    // Encodings are listed in the order they were applied, so they are undone in reverse.
    decoders = encodings.reverse().map((e) => decoderFor(e, url));
  } catch (err) {
    abandon(body);
    throw err;
  }

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limits.deadlineMs);
  const onCallerAbort = () => deadline.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });

  const chunks: Buffer[] = [];
  let total = 0;
  const enough = new Error('enough');
  // Kept aside because destroying the body on the way out can surface its own abort error first.
  let stoppedBy: unknown = null;
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      if (total + chunk.length > limits.maxBytes) {
        if (!limits.truncate) throw (stoppedBy = newsdeskError('ND_FETCH_TOO_LARGE', { url, limit: limits.maxBytes }));
        const room = limits.maxBytes - total;
        chunks.push(chunk.subarray(0, room));
        total += room;
        // Stopping the pipeline destroys the body and the decoders, which is the point.
        throw (stoppedBy = enough);
      }
      total += chunk.length;
      chunks.push(chunk);
    }
  };
  try {
    const run = pipeline as unknown as (...stages: unknown[]) => Promise<void>;
    await run(body, ...decoders, collect, { signal: deadline.signal });
  } catch (err) {
    if (stoppedBy === enough) return toBytes(chunks, total);
    if (stoppedBy) throw stoppedBy;
    if (isNewsdeskError(err)) throw err;
    if (signal?.aborted) throw signal.reason;
    if (deadline.signal.aborted) {
      throw newsdeskError('ND_FETCH_TIMEOUT', { url, reason: `body not complete within ${limits.deadlineMs} ms` }, err);
    }
    const code = (err as { code?: string }).code;
    if (code === 'UND_ERR_BODY_TIMEOUT') {
      throw newsdeskError('ND_FETCH_TIMEOUT', { url, reason: 'body stalled (no data within the idle timeout)' }, err);
    }
    if (code?.startsWith('Z_') || code?.startsWith('ERR_BROTLI') || code === 'ERR__ERROR_FORMAT_PADDING_1') {
      throw newsdeskError('ND_FETCH_FAILED', { url, reason: `corrupt ${encodings.join('+')} body: ${(err as Error).message}` }, err);
    }
    throw newsdeskError('ND_FETCH_FAILED', { url, reason: `body read failed: ${(err as Error).message}` }, err);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
  return toBytes(chunks, total);
}

function toBytes(chunks: Buffer[], total: number): Uint8Array {
  const joined = Buffer.concat(chunks, total);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
}
