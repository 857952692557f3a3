import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { fetchOver, type FetchPolicy } from '../net/fetch-adapter.js';
import type { HttpClient } from '../net/types.js';

const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubApi = InstanceType<typeof GitHubOctokit>;

/** Waits for a secondary limit before the request is given up. */
export const SECONDARY_LIMIT_RETRIES = 5;

export interface RateLimitWait {
  kind: 'rate-limit-wait';
  limit: 'primary' | 'secondary';
  seconds: number;
}

export interface GitHubApiOptions {
  baseUrl: string;
  token?: string;
  client: HttpClient;
  /** Longest wait for the primary rate limit to reset; a longer one fails the request instead. */
  maxRateLimitWaitMs: number;
  onWait?: (event: RateLimitWait) => void;
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

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Octokit whose every request goes through our HttpClient (cache, ledger, concurrency, proxies). */
export function createGitHubApi(options: GitHubApiOptions): GitHubApi {
  return new GitHubOctokit({
    baseUrl: options.baseUrl,
    auth: options.token,
    userAgent: 'oss-inventory',
    log: silent,
    request: { fetch: fetchOver(options.client, githubPolicy) },
    throttle: {
      // The HttpClient already waits out a 429 with Retry-After; throttling handles GitHub's 403s.
      onSecondaryRateLimit: (retryAfter: number, _request: object, _octokit: unknown, retryCount: number) => {
        if (retryCount >= SECONDARY_LIMIT_RETRIES) return false;
        options.onWait?.({ kind: 'rate-limit-wait', limit: 'secondary', seconds: retryAfter });
        return true;
      },
      onRateLimit: (retryAfter: number, _request: object, _octokit: unknown, retryCount: number) => {
        if (retryCount >= 1 || retryAfter * 1000 > options.maxRateLimitWaitMs) return false;
        options.onWait?.({ kind: 'rate-limit-wait', limit: 'primary', seconds: retryAfter });
        return true;
      },
    },
    // The HttpClient retries network failures, 429 and 5xx with backoff; a second layer would multiply them.
    retry: { enabled: false },
  });
}
