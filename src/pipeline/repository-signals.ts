import type { Component, Inventory, Problem, RepositorySignals, SourceRepository } from '../core/model.js';
import { assignSourceRepositories, repositoryKey } from '../core/source-repository.js';
import type { HttpClient } from '../net/types.js';
import { DEFAULT_GITHUB_URL } from '../sources/github.js';
import {
  readRepositorySignals,
  ownerNameKey,
  type RepositoryName,
  type SignalsOutcome,
} from '../sources/github-repository-signals.js';
import { DEFAULT_REPOSITORY_TTL_MS, RepositorySignalsCache } from '../sources/repository-signals-cache.js';
import { githubLookup } from './github-lookups.js';

/**
 * The pipeline step that gives each component its source repository and what that repository says:
 * sources assigned (src/core/source-repository.ts), then every distinct GitHub repository read once,
 * from the cache while it is fresh, else through batched GraphQL (src/sources/github-repository-signals.ts).
 * A repository that cannot be read still gets `repositorySignals` with `status: missing` and the reason;
 * a component with no known repository gets none.
 */

export interface RepositorySignalsRequest {
  client: HttpClient;
  /** The GitHub API root (default https://api.github.com); github.com repositories are asked of it. */
  baseUrl?: string;
  /** Without one nothing is asked of GitHub (GraphQL needs a token): the cache alone answers. */
  token?: string;
  /** No network: the cache alone answers, whatever the age of its entries. */
  offline: boolean;
  /** The cache folder; null: no cache (`--no-cache`). */
  cacheDir: string | null;
  /** How long a repository's signals are used from the cache (default 7 days; 0: not cached). */
  ttlMs?: number;
  /** Longest wait for GitHub's rate limit to reset (default: as long as GitHub says). */
  maxRateLimitWaitMs?: number;
  /** Epoch ms: how old cache entries are (default Date.now). Signals are dated with the run's time. */
  clock?: () => number;
  /** Told once the repositories are read. */
  onRead?: (stats: RepositorySignalsStats) => void;
}

export interface RepositorySignalsStats {
  /** Distinct GitHub repositories the components name. */
  repositories: number;
  fromCache: number;
  queries: number;
  /** GraphQL points spent, as GitHub reported them. */
  points: number;
}

/** `repository signals: 289 GitHub repositories, 12 from the cache, 6 GraphQL queries (6 points)`. */
export function describeSignalsStats(stats: RepositorySignalsStats): string {
  const plural = (n: number, one: string, many: string) =>
    `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
  return (
    `repository signals: ${plural(stats.repositories, 'GitHub repository', 'GitHub repositories')}, ` +
    `${stats.fromCache.toLocaleString('en')} from the cache, ${plural(stats.queries, 'GraphQL query', 'GraphQL queries')} ` +
    `(${plural(stats.points, 'point', 'points')})`
  );
}

const TOKEN_HINT = 'Set GITHUB_TOKEN or GH_TOKEN (or name the variable with --github-token-env).';
const NAMES_SHOWN = 3;

export async function addRepositorySignals(
  inventory: Inventory,
  request: RepositorySignalsRequest,
): Promise<Inventory> {
  // The run's time, not the wall clock: under SOURCE_DATE_EPOCH two runs must write the same bytes.
  const readAt = () => inventory.generatedAt;
  const withSources = assignSourceRepositories(inventory);
  const served = servedHosts(request.baseUrl);
  const wanted = new Map<string, RepositoryName & { host: string }>();
  for (const component of withSources.components) {
    const repository = component.sourceRepository;
    if (!repository || notReadBecause(repository, served) !== undefined) continue;
    const named = repository as SourceRepository & RepositoryName;
    if (!wanted.has(ownerNameKey(named))) wanted.set(ownerNameKey(named), named);
  }
  const { known, problems } = await signalsOf(wanted, request, inventory);
  const components = withSources.components.map((component) => withSignals(component, known, served, readAt));
  return { ...withSources, components, problems: [...withSources.problems, ...problems] };
}

/** Each wanted repository's signals: from the cache, else from GitHub, else why they are missing. */
async function signalsOf(
  wanted: ReadonlyMap<string, RepositoryName & { host: string }>,
  request: RepositorySignalsRequest,
  inventory: Inventory,
): Promise<{ known: Map<string, RepositorySignals>; problems: Problem[] }> {
  const readAt = () => inventory.generatedAt;
  const cache = new RepositorySignalsCache({
    dir: request.cacheDir,
    ttlMs: request.ttlMs ?? DEFAULT_REPOSITORY_TTL_MS,
    now: request.clock ?? Date.now,
  });
  const known = new Map<string, RepositorySignals>();
  const stats: RepositorySignalsStats = { repositories: wanted.size, fromCache: 0, queries: 0, points: 0 };
  for (const [key, repository] of wanted) {
    const cached = await cache.get(repositoryKey(repository)!, request.offline);
    if (!cached) continue;
    known.set(key, cached);
    stats.fromCache++;
  }
  const toRead = [...wanted].filter(([key]) => !known.has(key)).map(([, r]) => r);
  const problems: Problem[] = [];
  const notAsked = toRead.length > 0 ? whyNotAsked(request) : undefined;
  if (notAsked) {
    for (const repository of toRead) {
      known.set(ownerNameKey(repository), { status: 'missing', reason: notAsked.reason, readAt: readAt() });
    }
    problems.push(notAsked.problem(toRead));
  } else if (toRead.length > 0) {
    const outcomes = await askGitHub(toRead, request, inventory, readAt, stats);
    for (const [key, outcome] of outcomes) {
      known.set(key, outcome.signals);
      if (outcome.kind !== 'failed') await cache.put(repositoryKey(wanted.get(key)!)!, outcome.signals);
    }
    problems.push(...outcomeProblems(toRead, outcomes));
  }
  request.onRead?.(stats);
  return { known, problems };
}

function withSignals(
  component: Component,
  known: ReadonlyMap<string, RepositorySignals>,
  served: ReadonlySet<string>,
  readAt: () => string,
): Component {
  const repository = component.sourceRepository;
  if (!repository) return component;
  const notRead = notReadBecause(repository, served);
  const signals = notRead
    ? { status: 'missing' as const, reason: notRead, readAt: readAt() }
    : known.get(ownerNameKey(repository as RepositoryName));
  return signals ? { ...component, repositorySignals: signals } : component;
}

/** Why a repository is not asked of GitHub, or undefined when it is. */
export function notReadBecause(
  repository: SourceRepository,
  served: ReadonlySet<string>,
): string | undefined {
  if (!served.has(repository.host)) {
    return `the source repository is on ${repository.host}: only GitHub repositories are read`;
  }
  if (!repository.owner || !repository.name) {
    return `${repository.url} names no repository (owner/name)`;
  }
  if (repository.confidence === 'low') {
    return `the source repository is uncertain (${repository.from}, inherited from a parent POM of another group): not read`;
  }
  return undefined;
}

export function servedHosts(baseUrl: string | undefined): Set<string> {
  const hosts = new Set(['github.com']);
  if (baseUrl && baseUrl.replace(/\/+$/, '') !== DEFAULT_GITHUB_URL) {
    const host = safeHost(baseUrl);
    // GitHub Enterprise Server: its own repositories are on its host.
    if (host && host !== 'api.github.com') hosts.add(host);
  }
  return hosts;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

interface NotAsked {
  reason: string;
  problem: (repositories: readonly RepositoryName[]) => Problem;
}

function whyNotAsked(request: RepositorySignalsRequest): NotAsked | undefined {
  if (request.offline) {
    return {
      reason: 'offline, and not in the repository cache',
      problem: (repositories) => ({
        severity: 'info',
        code: 'health.repository.offline',
        message: `repository signals missing for ${count(repositories.length)} (${names(repositories)}): offline, and not in the cache`,
        hint: 'Run once without --offline (with a GitHub token) to fill the cache.',
      }),
    };
  }
  if (!request.token) {
    return {
      reason: 'no GitHub token (GitHub GraphQL needs one)',
      problem: (repositories) => ({
        severity: 'warning',
        code: 'health.repository.no-token',
        message: `repository signals missing for ${count(repositories.length)} (${names(repositories)}): no GitHub token, and GitHub GraphQL needs one`,
        hint: TOKEN_HINT,
      }),
    };
  }
  return undefined;
}

async function askGitHub(
  repositories: readonly RepositoryName[],
  request: RepositorySignalsRequest,
  inventory: Inventory,
  readAt: () => string,
  stats: RepositorySignalsStats,
): Promise<Map<string, SignalsOutcome>> {
  const { api, onRateLimited } = githubLookup(request);
  const result = await readRepositorySignals(repositories, {
    api,
    asOf: new Date(inventory.generatedAt),
    readAt,
    onRateLimited,
  });
  stats.queries += result.queries;
  stats.points += result.points;
  return result.outcomes;
}

/** One problem per kind of failure, counted, with a few names; a repository GitHub does not have is a note. */
function outcomeProblems(
  repositories: readonly RepositoryName[],
  outcomes: ReadonlyMap<string, SignalsOutcome>,
): Problem[] {
  const byKind = new Map<string, { outcome: SignalsOutcome; names: RepositoryName[] }>();
  for (const repository of repositories) {
    const outcome = outcomes.get(ownerNameKey(repository));
    if (!outcome || outcome.kind === 'found') continue;
    const kind = outcome.kind === 'failed' ? outcome.code : 'not-found';
    const entry = byKind.get(kind) ?? { outcome, names: [] };
    entry.names.push(repository);
    byKind.set(kind, entry);
  }
  return [...byKind].map(([kind, { outcome, names: found }]) => ({
    severity: kind === 'not-found' ? 'info' : 'warning',
    code: `health.repository.${kind}`,
    message: `repository signals missing for ${count(found.length)} (${names(found)}): ${outcome.signals.reason}`,
    hint:
      kind === 'not-found'
        ? 'The package names a repository GitHub does not have (renamed, deleted or private); each component records it.'
        : kind === 'rate-limited'
          ? 'Run again once the limit has reset; the repositories already read are cached.'
          : `Check the network and the token. ${TOKEN_HINT}`,
  }));
}

function count(n: number): string {
  return `${n.toLocaleString('en')} repositor${n === 1 ? 'y' : 'ies'}`;
}

function names(repositories: readonly RepositoryName[]): string {
  const shown = repositories.slice(0, NAMES_SHOWN).map((r) => `${r.owner}/${r.name}`);
  return repositories.length > NAMES_SHOWN ? `${shown.join(', ')}, ...` : shown.join(', ');
}
