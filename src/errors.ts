// Every failure newsdesk reports has a code, an HTTP status and a message template, all in one table,
// so that the CLI, the API and the source status show the same words for the same failure.

const table = {
  ND_CONFIG_INVALID: { status: 500, message: 'invalid configuration at {path}: {reason}' },
  ND_CONFIG_UNREADABLE: { status: 500, message: 'cannot read configuration file {file}: {reason}' },
  ND_STORE_UNAVAILABLE: { status: 503, message: 'cannot open store {store}: {reason}' },
  ND_FETCH_FAILED: { status: 502, message: 'fetch of {url} failed: {reason}' },
  ND_FETCH_HTTP_STATUS: { status: 502, message: 'fetch of {url} returned HTTP {httpStatus}' },
  ND_FETCH_TIMEOUT: { status: 504, message: 'fetch of {url} timed out: {reason}' },
  ND_FETCH_PRIVATE_ADDRESS: { status: 403, message: 'refused to connect to {address} for {url}: {reason}' },
  ND_FETCH_TOO_LARGE: { status: 502, message: 'body of {url} exceeds the limit of {limit} bytes' },
  ND_FETCH_TOO_MANY_REDIRECTS: { status: 502, message: 'too many redirects from {url}: {reason}' },
  ND_FETCH_BOT_WALL: { status: 502, message: 'bot wall at {url}: {reason}' },
  ND_FETCH_RATE_LIMITED: { status: 429, message: 'rate limited by {url}; retry after {retryAfter}' },
  ND_FETCH_CONTENT_TYPE: { status: 415, message: 'unexpected content type {contentType} at {url}' },
  ND_FETCH_ROBOTS: { status: 403, message: 'robots.txt disallows {url}' },
  ND_REPLAY_MISSING: { status: 404, message: 'no archived response for {url}' },
  ND_FEED_UNPARSEABLE: { status: 422, message: 'feed at {url} could not be parsed: {reason}' },
  ND_EXTRACT_FAILED: { status: 422, message: 'extraction of {url} failed: {reason}' },
  ND_FILE_UNREADABLE: { status: 422, message: 'cannot read {file}: {reason}' },
  ND_NOT_FOUND: { status: 404, message: '{what} not found' },
  ND_NEWSLETTER_EMPTY: { status: 409, message: 'no stories were published on {date}, so no newsletter was built for it (the archive is unchanged)' },
  ND_TAXONOMY_INVALID: { status: 500, message: 'invalid taxonomy {file} at {path}: {reason}' },
  ND_MODEL_INVALID: { status: 500, message: 'invalid topic model {file}: {reason}' },
  ND_BAD_REQUEST: { status: 400, message: 'bad request: {reason}' },
  ND_BODY_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  ND_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'unsupported content type {contentType}' },
  ND_UNAUTHORIZED: { status: 401, message: 'login required' },
  ND_FORBIDDEN: { status: 403, message: 'forbidden: {reason}' },
  ND_JOB_UNKNOWN_KIND: { status: 500, message: 'no handler registered for job kind {kind}' },
  ND_JOB_RUNNER_STORE: { status: 500, message: 'the {runner} job runner needs {needs}' },
} as const;

export type ErrorCode = keyof typeof table;
export type ErrorParams = Record<string, string | number | undefined>;

export class NewsdeskError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    const template: string = table[code].message;
    super(template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `?${key}`)), options);
    this.name = 'NewsdeskError';
    this.code = code;
    this.status = table[code].status;
    this.params = params;
  }

  /** One line for a person: the code and the message. */
  toLine(): string {
    return `${this.code}: ${this.message}`;
  }
}

export function newsdeskError(code: ErrorCode, params: ErrorParams = {}, cause?: unknown): NewsdeskError {
  return new NewsdeskError(code, params, cause === undefined ? undefined : { cause });
}

export function isNewsdeskError(err: unknown, code?: ErrorCode): err is NewsdeskError {
  return err instanceof NewsdeskError && (code === undefined || err.code === code);
}

/**
 * The coded error for a failure the HTTP framework raised before any handler ran (a body too large,
 * a content type no route reads, a malformed URL or body), or null for anything else: those are 4xx.
 */
export function requestError(err: unknown, contentType?: string): NewsdeskError | null {
  if (err instanceof NewsdeskError) return err;
  const status = (err as { statusCode?: number } | null)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413) return newsdeskError('ND_BODY_TOO_LARGE', {}, err);
  if (status === 415) return newsdeskError('ND_UNSUPPORTED_MEDIA_TYPE', { contentType: (contentType ?? 'none').slice(0, 100) }, err);
  if (status === 404) return newsdeskError('ND_NOT_FOUND', { what: 'the resource' }, err);
  return newsdeskError('ND_BAD_REQUEST', { reason: (err as Error).message }, err);
}

/** A one-line description of any thrown value, for source status and logs. */
export function describeError(err: unknown): string {
  if (err instanceof NewsdeskError) return err.toLine();
  if (err instanceof Error) return err.message;
  return String(err);
}
