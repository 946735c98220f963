// The contract between the fetch stage and everything that needs bytes from the web.
// Both the live HTTP client and the offline replay transport implement `Transport`.

export type FetchPurpose = 'feed' | 'page' | 'image' | 'robots' | 'icon';

export interface FetchRequest {
  url: string;
  purpose: FetchPurpose;
  /** Conditional GET validators from the previous fetch. */
  etag?: string | null;
  lastModified?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FetchResponse {
  /** The URL requested. */
  requestedUrl: string;
  /** The URL after redirects. */
  url: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Decompressed body; empty on 304. */
  body: Uint8Array;
  notModified: boolean;
}

export interface Transport {
  fetch(request: FetchRequest): Promise<FetchResponse>;
  close?(): Promise<void>;
}
