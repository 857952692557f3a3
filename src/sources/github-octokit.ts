import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { fetchOver, type FetchPolicy } from '../net/fetch-adapter.js';
import type { HttpClient, HttpResponse } from '../net/types.js';

const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubApi = InstanceType<typeof GitHubOctokit>;

/** Waits for a secondary limit before the request is given up. */
export const SECONDARY_LIMIT_RETRIES = 5;
/** Waits for the primary limit to reset before the request is given up (a clock skew can need a second one). */
export const PRIMARY_LIMIT_RETRIES = 3;

export interface RateLimitWait {
  kind: 'rate-limit-wait';
  limit: 'primary' | 'secondary';
  seconds: number;
  /** When the wait ends, epoch ms. */
  until: number;
}

/** The rate limit GitHub reported with its last answer from the network, per resource. */
export interface RateLimitStatus {
  kind: 'rate-limit';
  /** `core` (REST), `graphql`, ... as GitHub's x-ratelimit-resource names it. */
  resource: string;
  limit: number;
  remaining: number;
  /** When the limit resets, epoch ms. */
  resetAt: number;
}

export interface GitHubApiOptions {
  baseUrl: string;
  token?: string;
  client: HttpClient;
  primaryLimit: PrimaryRateLimit;
  onWait?: (event: RateLimitWait) => void;
  onRateLimit?: (event: RateLimitStatus) => void;
  now?: () => number;
}

/**
 * The primary rate limit of a crawl: a wait for the reset is accepted while it is no longer than
 * `maxWaitMs`; a longer one stops the crawl (every later decision is to stop too), and `stoppedUntil`
 * then says when the limit resets.
 */
export class PrimaryRateLimit {
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #onWait: ((event: RateLimitWait) => void) | undefined;
  #stoppedUntil: number | undefined;
  /** The end of the last wait told: requests refused together wait for one reset, told once. */
  #toldUntil = 0;

  constructor(options: { maxWaitMs: number; now: () => number; onWait?: (event: RateLimitWait) => void }) {
    this.#maxWaitMs = options.maxWaitMs;
    this.#now = options.now;
    this.#onWait = options.onWait;
  }

  /** Whether to wait `seconds` for the reset (told to onWait) rather than stop the crawl. */
  wait(seconds: number): boolean {
    if (this.#stoppedUntil !== undefined) return false;
    const until = this.#now() + seconds * 1000;
    if (seconds * 1000 > this.#maxWaitMs) {
      this.#stoppedUntil = until;
      return false;
    }
    if (until > this.#toldUntil + 1000) {
      this.#toldUntil = until;
      this.#onWait?.({ kind: 'rate-limit-wait', limit: 'primary', seconds, until });
    }
    return true;
  }

  /** Epoch ms of the reset that stopped the crawl; undefined while it goes on. */
  get stoppedUntil(): number | undefined {
    return this.#stoppedUntil;
  }
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/**
 * A git object named by its sha never changes: cached forever. Everything else (listings, repository
 * metadata, the commit a branch points to) is revalidated on every use: a 304 costs GitHub no rate limit.
 */
export function githubPolicy(url: URL): FetchPolicy {
  const parts = url.pathname.split('/');
  const git = parts.lastIndexOf('git');
  const kind = git >= 0 ? parts[git + 1] : undefined;
  const sha = git >= 0 ? parts[git + 2] : undefined;
  if (
    (kind === 'trees' || kind === 'blobs') &&
    sha !== undefined &&
    SHA.test(sha) &&
    parts.length === git + 3
  ) {
    return { cache: 'immutable' };
  }
  return { cache: 'revalidate', freshForMs: 0 };
}

/**
 * The rate limit an answer reports, unless it was served from the disk cache (its headers are those of
 * the day it was stored). A 304 carries the current figures.
 */
export function rateLimitOf(answer: HttpResponse): RateLimitStatus | undefined {
  if (answer.origin === 'cache') return undefined;
  const limit = Number(answer.headers['x-ratelimit-limit']);
  const remaining = Number(answer.headers['x-ratelimit-remaining']);
  const reset = Number(answer.headers['x-ratelimit-reset']);
  const resource = answer.headers['x-ratelimit-resource'] ?? 'core';
  if (![limit, remaining, reset].every((n) => Number.isFinite(n) && n >= 0)) return undefined;
  return { kind: 'rate-limit', resource, limit, remaining, resetAt: reset * 1000 };
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Octokit whose every request goes through our HttpClient (cache, ledger, concurrency, proxies). */
export function createGitHubApi(options: GitHubApiOptions): GitHubApi {
  const now = options.now ?? Date.now;
  const onAnswer = (answer: HttpResponse) => {
    const status = rateLimitOf(answer);
    if (status) options.onRateLimit?.(status);
  };
  return new GitHubOctokit({
    baseUrl: options.baseUrl,
    auth: options.token,
    userAgent: 'oss-inventory',
    log: silent,
    // GitHub's primary limit may come as a 429: throttling and --max-wait decide when to ask again.
    request: { fetch: fetchOver(options.client, githubPolicy, { onAnswer, quotaResetByCaller: true }) },
    throttle: {
      // The HttpClient already waits out a 429 with Retry-After; throttling handles GitHub's 403s.
      onSecondaryRateLimit: (retryAfter: number, _request: object, _octokit: unknown, retryCount: number) => {
        if (retryCount >= SECONDARY_LIMIT_RETRIES) return false;
        const until = now() + retryAfter * 1000;
        options.onWait?.({ kind: 'rate-limit-wait', limit: 'secondary', seconds: retryAfter, until });
        return true;
      },
      onRateLimit: (retryAfter: number, _request: object, _octokit: unknown, retryCount: number) =>
        retryCount < PRIMARY_LIMIT_RETRIES && options.primaryLimit.wait(retryAfter),
    },
    // The HttpClient retries network failures, 429 and 5xx with backoff; a second layer would multiply them.
    retry: { enabled: false },
  });
}

/**
 * Whether an Octokit error is GitHub's primary rate limit: a 403 or 429 with no request left, or a
 * GraphQL answer with a RATE_LIMITED error (HTTP 200).
 */
export function isPrimaryRateLimit(error: unknown): boolean {
  const failure = error as {
    status?: unknown;
    response?: { headers?: Record<string, unknown>; data?: unknown };
    headers?: Record<string, unknown>;
    errors?: unknown;
  } | null;
  if (!failure || typeof failure !== 'object') return false;
  const headers = failure.response?.headers ?? failure.headers;
  if ((failure.status === 403 || failure.status === 429) && headers?.['x-ratelimit-remaining'] === '0') {
    return true;
  }
  const errors = failure.errors ?? (failure.response?.data as { errors?: unknown } | undefined)?.errors;
  return (
    Array.isArray(errors) && errors.some((e) => (e as { type?: unknown } | null)?.type === 'RATE_LIMITED')
  );
}

/** Seconds until the reset an Octokit error's headers announce (at least 1); undefined without one. */
export function secondsToReset(error: unknown, now: number): number | undefined {
  const failure = error as {
    response?: { headers?: Record<string, unknown> };
    headers?: Record<string, unknown>;
  };
  const reset = Number((failure?.response?.headers ?? failure?.headers)?.['x-ratelimit-reset']);
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.max(1, Math.ceil((reset * 1000 - now) / 1000) + 1);
}
