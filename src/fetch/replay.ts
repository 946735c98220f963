// A transport that answers from a recorded web archive instead of the network, so the real fetch,
// parse and normalize code runs offline (the demo, and tests that need no server).
//
// Archive format (`newsdesk-replay/1`), documented in demo/README.md: a gzip-compressed JSON Lines
// file. The first line is a header `{"format":"newsdesk-replay/1", ...}`; every other line is one
// recorded response `{"url", "status", "headers": {lower-case name: value}, "body"}` where `body` is
// UTF-8 text, or `"bodyBase64"` for binary bodies.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FetchRequest, FetchResponse, Transport } from './types.ts';
import { newsdeskError } from '../errors.ts';

export const REPLAY_FORMAT = 'newsdesk-replay/1';

export interface RecordedResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body?: string;
  bodyBase64?: string;
}

export interface ReplayHeader {
  format: typeof REPLAY_FORMAT;
  created: string;
  description: string;
}

export function readArchive(file: string): { header: ReplayHeader; records: RecordedResponse[] } {
  const raw = readFileSync(file);
  const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = JSON.parse(lines[0] ?? '{}') as ReplayHeader;
  if (header.format !== REPLAY_FORMAT) throw new Error(`${file}: not a ${REPLAY_FORMAT} archive`);
  return { header, records: lines.slice(1).map((l) => JSON.parse(l) as RecordedResponse) };
}

export function writeArchive(header: Omit<ReplayHeader, 'format'>, records: RecordedResponse[]): Buffer {
  const lines = [JSON.stringify({ format: REPLAY_FORMAT, ...header }), ...records.map((r) => JSON.stringify(r))];
  return gzipSync(lines.join('\n') + '\n', { level: 9 });
}

/** Replays recorded responses by exact URL; honours conditional GET with the recorded ETag. */
export class ReplayTransport implements Transport {
  private readonly byUrl = new Map<string, RecordedResponse>();
  requests = 0;

  constructor(records: RecordedResponse[]) {
    for (const record of records) this.byUrl.set(record.url, record);
  }

  static fromFile(file: string): ReplayTransport {
    return new ReplayTransport(readArchive(file).records);
  }

  get size(): number {
    return this.byUrl.size;
  }

  urls(): string[] {
    return [...this.byUrl.keys()];
  }

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    this.requests++;
    const record = this.byUrl.get(request.url);
    if (!record) throw newsdeskError('ND_REPLAY_MISSING', { url: request.url });
    const etag = record.headers.etag;
    if (etag && request.etag === etag) {
      return { requestedUrl: request.url, url: record.url, status: 304, headers: record.headers, body: new Uint8Array(), notModified: true };
    }
    const body = record.bodyBase64 !== undefined ? Buffer.from(record.bodyBase64, 'base64') : Buffer.from(record.body ?? '', 'utf8');
    if (record.status >= 400) {
      throw newsdeskError('ND_FETCH_HTTP_STATUS', { url: request.url, httpStatus: record.status });
    }
    return { requestedUrl: request.url, url: record.url, status: record.status, headers: record.headers, body: new Uint8Array(body), notModified: false };
  }
}
