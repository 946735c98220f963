// One page's extraction, as a worker thread of the pool (pool.ts) does it, or the calling thread when
// the pool has no workers.
import type { ErrorCode, ErrorParams } from '../errors.ts';
import type { ExtractedArticle } from './types.ts';
import type { Organization } from './organizations.ts';
import { extractArticle } from './extract.ts';
import { decodeText } from '../feeds/charset.ts';
import { hashRawHtml } from './secured.ts';

export interface PageJob {
  /** The page as fetched; decoded in the worker. */
  bytes: Uint8Array;
  contentType: string | null;
  url: string;
  feedText?: string;
  httpStatus?: number;
  organizations?: Array<[string, Organization]>;
}

export type PageOutcome = { ok: true; extracted: ExtractedArticle; rawHtmlSha256: string } | { ok: false; code: ErrorCode; params: ErrorParams };

export interface PageResult {
  extracted: ExtractedArticle;
  rawHtmlSha256: string;
}

/** What a worker does, on the calling thread. */
export function extractHere(job: PageJob): PageResult {
  const { text } = decodeText(job.bytes, { contentType: job.contentType, kind: 'html' });
  const extracted = extractArticle(text, job.url, { feedText: job.feedText, httpStatus: job.httpStatus, organizations: job.organizations ? new Map(job.organizations) : undefined });
  return { extracted, rawHtmlSha256: hashRawHtml(job.bytes) };
}
