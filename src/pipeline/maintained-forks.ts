import type { Inventory, Problem } from '../core/model.js';
import { wantsMaintainedFork, type MaintainedFork } from '../core/planb.js';
import { repositoryKey } from '../core/source-repository.js';
import { readMaintainedForks } from '../sources/github-forks.js';
import type { RepositoryName } from '../sources/github-repository-signals.js';
import { DEFAULT_REPOSITORY_TTL_MS, RepositoryEntryCache } from '../sources/repository-signals-cache.js';
import { notReadBecause, servedHosts, type RepositorySignalsRequest } from './repository-signals.js';
import { githubLookup, someRepositories } from './github-lookups.js';

/**
 * The plan-B step that looks for an active fork of each GitHub repository whose component is EOL because
 * the repository is archived, or ABANDONED (src/sources/github-forks.ts). Only with a token and a network:
 * otherwise nothing is asked and plan B offers no fork. Each repository's answer (the fork, or none) is kept
 * in the cache with the repository signals' time-to-live; a failed lookup is not kept and is one warning.
 */

const FORMAT = 'oss-inventory maintained fork 1';

interface StoredFork {
  fork: MaintainedFork | null;
}

export interface MaintainedForksResult {
  /** By repositoryKey; absent: nothing was searched. */
  forks?: Map<string, MaintainedFork | null>;
  problems: Problem[];
  queries: number;
}

export async function findMaintainedForks(
  inventory: Inventory,
  request: RepositorySignalsRequest,
): Promise<MaintainedForksResult> {
  const served = servedHosts(request.baseUrl);
  const wanted = new Map<string, RepositoryName>();
  for (const component of inventory.components) {
    const repository = component.sourceRepository;
    if (!repository || !wantsMaintainedFork(component) || notReadBecause(repository, served)) continue;
    wanted.set(repositoryKey(repository)!, { owner: repository.owner!, name: repository.name! });
  }
  if (wanted.size === 0) return { problems: [], queries: 0 };

  const clock = request.clock ?? Date.now;
  const cache = new RepositoryEntryCache<StoredFork>(
    { dir: request.cacheDir, ttlMs: request.ttlMs ?? DEFAULT_REPOSITORY_TTL_MS, now: clock },
    FORMAT,
    isStoredFork,
  );
  const forks = new Map<string, MaintainedFork | null>();
  const toRead = new Map<string, RepositoryName>();
  for (const [key, repository] of wanted) {
    const cached = await cache.get(key, request.offline);
    if (cached) forks.set(key, cached.fork);
    else toRead.set(key, repository);
  }
  // Without a token (GraphQL needs one) or offline, only the cache answers; the signals say why.
  if (toRead.size === 0 || request.offline || !request.token) {
    return { ...(forks.size > 0 ? { forks } : {}), problems: [], queries: 0 };
  }

  const { api, onRateLimited } = githubLookup(request);
  const result = await readMaintainedForks([...toRead.values()], {
    api,
    asOf: new Date(inventory.generatedAt),
    onRateLimited,
  });
  const failed: { repository: RepositoryName; reason: string }[] = [];
  for (const [key, repository] of toRead) {
    const outcome = result.outcomes.get(`${repository.owner}/${repository.name}`.toLowerCase());
    if (outcome?.kind === 'searched') {
      forks.set(key, outcome.fork);
      await cache.put(key, { fork: outcome.fork });
    } else {
      failed.push({ repository, reason: outcome?.reason ?? 'GitHub gave no answer' });
    }
  }
  return { forks, problems: failed.length > 0 ? [failedProblem(failed)] : [], queries: result.queries };
}

function failedProblem(failed: readonly { repository: RepositoryName; reason: string }[]): Problem {
  const names = someRepositories(failed.map((f) => `${f.repository.owner}/${f.repository.name}`));
  const n = failed.length;
  return {
    severity: 'warning',
    code: 'planb.forks.failed',
    message: `active forks not searched for ${n.toLocaleString('en')} repositor${n === 1 ? 'y' : 'ies'} (${names}): ${failed[0]!.reason}`,
    hint: 'Run again later; the repositories already searched are cached.',
  };
}

function isStoredFork(value: unknown): value is StoredFork {
  if (!value || typeof value !== 'object' || !Object.hasOwn(value, 'fork')) return false;
  const fork = (value as { fork: unknown }).fork;
  if (fork === null) return true;
  if (!fork || typeof fork !== 'object') return false;
  const f = fork as Partial<MaintainedFork>;
  return (
    typeof f.repository === 'string' &&
    typeof f.url === 'string' &&
    typeof f.commitsLast12Months === 'number' &&
    typeof f.lastReleaseTag === 'string' &&
    typeof f.lastReleaseAt === 'string' &&
    typeof f.stars === 'number'
  );
}
