/**
 * The one HTTP layer of the tool (DESIGN.md section 7): every registry, Maven repository and GitHub
 * request goes through an HttpClient, which bounds concurrency per host, retries, caches on disk
 * and keeps a ledger of what it did.
 */

import type { NetworkLedgerEntry } from '../core/model.js';

export type CachePolicy =
  /** Never changes once published (an npm name@version document, a released POM): cached forever, never revalidated. */
  | 'immutable'
  /** May change (a packument, maven-metadata.xml): served while fresh, then revalidated with ETag / Last-Modified. */
  | 'revalidate'
  /** Not cached. */
  | 'none';

export interface HttpRequest {
  url: string;
  /** Extra request headers (e.g. accept). Never put credentials here: use `authorization`. */
  headers?: Record<string, string>;
  /** The Authorization header value. Sent, never cached, logged, or written anywhere. */
  authorization?: string;
  cache: CachePolicy;
  /** For `revalidate`: how long a cached copy is served without asking the server, in ms (default 0). */
  freshForMs?: number;
  /**
   * What the caller keeps of a 200 answer: applied once, before the answer is cached and returned, so that
   * a large document (an npm packument) is stored, and read back on every later run, in the shape the caller
   * needs. Its `id` is part of the cache key: a new shape never reads an entry kept in another.
   */
  keep?: BodyShape;
  /** The caller waits for a spent quota's reset itself (see isRetryableAnswer): GitHub's client. */
  quotaResetByCaller?: boolean;
}

export interface BodyShape {
  id: string;
  /** Never throws: a body it cannot read is returned as it is, for the caller to report. */
  reduce(body: Buffer): Buffer;
}

/**
 * A POST with a body (a GraphQL query). Retried, rate-limited and counted like a GET; not cached unless
 * asked, and then keyed by its URL and the digest of its body.
 */
export interface HttpPostRequest {
  url: string;
  /** Extra request headers (e.g. content-type). Never put credentials here: use `authorization`. */
  headers?: Record<string, string>;
  /** The Authorization header value. Sent, never cached, logged, or written anywhere. */
  authorization?: string;
  body: string | Uint8Array;
  /**
   * Default `none`: the answer to a POST is rarely the same twice (a GraphQL query reads live data).
   * `immutable` only for a body that names what never changes (git objects by sha).
   */
  cache?: 'none' | 'immutable';
  /** As for a GET. */
  quotaResetByCaller?: boolean;
}

export interface HttpResponse {
  /** The URL asked for, with any credentials removed. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** `network`: fetched; `cache`: served from the disk cache without a request; `revalidated`: a 304 confirmed the cached copy. */
  origin: 'network' | 'cache' | 'revalidated';
}

export type HttpFailureReason =
  | 'network' // connection refused, reset, DNS...
  | 'timeout'
  | 'server' // 5xx after every retry
  | 'rate-limited' // 429 after every retry, or a Retry-After longer than the client will wait
  | 'offline'; // --offline and nothing cached

/** A request that produced no usable answer. Its message names the URL (without credentials) and why. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly reason: HttpFailureReason,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Per-host request counts; the inventory records them as they are (`run.network`). */
export type LedgerEntry = NetworkLedgerEntry;

export interface HttpClient {
  /**
   * GET a URL. Resolves with any final HTTP answer, 4xx included (a 404 is an answer, not a failure);
   * rejects with HttpError on network failure, timeout, 5xx or 429 after retries, or when offline with
   * nothing cached.
   */
  get(request: HttpRequest): Promise<HttpResponse>;
  /**
   * POST a body, with the same answers and failures as `get`. Every client createHttpClient makes has it;
   * a client that only reads (a test double) may leave it out.
   */
  post?(request: HttpPostRequest): Promise<HttpResponse>;
  /** Per-host counts so far, sorted by host. */
  ledger(): LedgerEntry[];
}
