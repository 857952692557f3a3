import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_GITHUB_URL } from '../sources/github.js';
import type { OnRateLimited } from '../sources/github-graphql.js';
import {
  createGitHubApi,
  PrimaryRateLimit,
  secondsToReset,
  type GitHubApi,
} from '../sources/github-octokit.js';
import type { RepositorySignalsRequest } from './repository-signals.js';

/** Repositories named in a problem's message before `...`. */
const NAMES_SHOWN = 3;

/**
 * The GitHub API of one health or plan-B lookup step (repository signals, forks, manifests at HEAD), and
 * how it meets the primary rate limit: it waits for the reset when that is within the run's `--max-wait`,
 * and otherwise gives up, so that the lookups left fail and the inventory is still written.
 */
export function githubLookup(request: RepositorySignalsRequest): {
  api: GitHubApi;
  onRateLimited: OnRateLimited;
} {
  const clock = request.clock ?? Date.now;
  const limit = new PrimaryRateLimit({
    maxWaitMs: request.maxRateLimitWaitMs ?? Number.POSITIVE_INFINITY,
    now: clock,
  });
  const api = createGitHubApi({
    baseUrl: (request.baseUrl ?? DEFAULT_GITHUB_URL).replace(/\/+$/, ''),
    token: request.token,
    client: request.client,
    primaryLimit: limit,
    now: clock,
  });
  const onRateLimited = async (error: unknown) => {
    const seconds = secondsToReset(error, clock());
    if (seconds === undefined || !limit.wait(seconds)) return false;
    await sleep(seconds * 1000);
    return true;
  };
  return { api, onRateLimited };
}

/** `a/b, c/d, e/f, ...`: the first repositories of a list, for a problem's message. */
export function someRepositories(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown}, ...` : shown;
}
