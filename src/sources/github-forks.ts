import type { MaintainedFork } from '../core/planb.js';
import type { GraphqlError, OnRateLimited } from './github-graphql.js';
import type { GitHubApi } from './github-octokit.js';
import {
  askInBatches,
  ownerNameKey,
  stopsEveryLookup,
  type RepositoryName,
} from './github-repository-batches.js';

/**
 * The forks of archived or abandoned repositories, read through GitHub's GraphQL API in batches (each
 * repository under an alias, every owner and name a variable), and the one plan B can offer: the most
 * recently pushed fork that is not archived, has at least FORK_MIN_COMMITS_LAST_12_MONTHS commits on its
 * default branch in the 12 months before the run, and a release in the 24 months before it.
 *
 * Per repository the query asks its FORKS_PER_REPOSITORY most recently pushed forks, each with
 * `latestRelease` (a field: free) and `history(first: 0, since: 12 months ago) { totalCount }` on its
 * default branch. GitHub's cost: 1 + 20 connection pages per repository, so REPOSITORIES_PER_FORKS_QUERY
 * (10) repositories ask 210 pages, 2 points; the batch is small because every `totalCount` walks a commit
 * graph and GitHub stops a query after 10 seconds. A query GitHub could not execute is split in two and each
 * half sent again, down to one repository, whose lookup then fails alone.
 */

export const FORKS_PER_REPOSITORY = 20;
export const REPOSITORIES_PER_FORKS_QUERY = 10;
/** "Real activity": commits on the fork's default branch in the 12 months before the run. */
export const FORK_MIN_COMMITS_LAST_12_MONTHS = 10;
/** A release no older than this many months before the run. */
export const FORK_RELEASE_WITHIN_MONTHS = 24;

/** What a lookup gives for one repository: the fork to offer (null: none qualifies), or why it failed. */
export type ForkOutcome =
  { kind: 'searched'; fork: MaintainedFork | null } | { kind: 'failed'; reason: string };

export interface ReadForksOptions {
  api: GitHubApi;
  /** The run's time: the end of the activity windows. */
  asOf: Date;
  onRateLimited?: OnRateLimited;
}

export interface ReadForksResult {
  /** By `owner/name` in lower case. */
  outcomes: Map<string, ForkOutcome>;
  queries: number;
}

interface ForkNode {
  nameWithOwner: string;
  url: string;
  pushedAt: string | null;
  stargazerCount: number;
  isArchived: boolean;
  latestRelease: { tagName: string; publishedAt: string | null; createdAt: string } | null;
  defaultBranchRef: { target: { year?: { totalCount: number } } | null } | null;
}

interface ForksAnswer {
  forks: { nodes: (ForkNode | null)[] | null } | null;
}

/** Searches each repository's forks. Never throws: a repository that cannot be read gets a failure. */
export async function readMaintainedForks(
  repositories: readonly RepositoryName[],
  options: ReadForksOptions,
): Promise<ReadForksResult> {
  const result: ReadForksResult = { outcomes: new Map(), queries: 0 };
  await askInBatches(repositories, REPOSITORIES_PER_FORKS_QUERY, {
    api: options.api,
    onRateLimited: options.onRateLimited,
    query: (batch) => forksQuery(batch, options.asOf),
    stops: stopsEveryLookup,
    answered: (batch, answer) => {
      result.queries++;
      for (const [i, repository] of batch.entries()) {
        const alias = `r${i}`;
        const node = answer.data[alias] as ForksAnswer | null | undefined;
        const error = answer.errors.find((e) => e.path?.[0] === alias);
        result.outcomes.set(ownerNameKey(repository), outcomeOf(node, error, options.asOf));
      }
    },
    failed: (batch, error) => {
      const reason = `GitHub could not list the forks: ${firstLine(error instanceof Error ? error.message : String(error))}`;
      for (const repository of batch)
        result.outcomes.set(ownerNameKey(repository), { kind: 'failed', reason });
    },
  });
  return result;
}

function outcomeOf(
  node: ForksAnswer | null | undefined,
  error: GraphqlError | undefined,
  asOf: Date,
): ForkOutcome {
  if (node) return { kind: 'searched', fork: pickMaintainedFork(node.forks?.nodes ?? [], asOf) };
  // A repository GitHub does not have has no fork to offer; any other error is a failed lookup.
  if (!error || error.type === 'NOT_FOUND') return { kind: 'searched', fork: null };
  return {
    kind: 'failed',
    reason: `GitHub could not list the forks: ${firstLine(error.message ?? 'error')}`,
  };
}

/** The most recently pushed fork that is not archived, with enough commits and a recent release. */
export function pickMaintainedFork(nodes: readonly (ForkNode | null)[], asOf: Date): MaintainedFork | null {
  const releasedSince = monthsBefore(asOf, FORK_RELEASE_WITHIN_MONTHS).getTime();
  const candidates: MaintainedFork[] = [];
  for (const node of nodes) {
    if (!node || node.isArchived) continue;
    const commits = node.defaultBranchRef?.target?.year?.totalCount ?? 0;
    const release = node.latestRelease;
    const releasedAt = release ? (release.publishedAt ?? release.createdAt) : null;
    if (commits < FORK_MIN_COMMITS_LAST_12_MONTHS || !releasedAt || Date.parse(releasedAt) < releasedSince) {
      continue;
    }
    candidates.push({
      repository: node.nameWithOwner,
      url: node.url,
      pushedAt: node.pushedAt,
      commitsLast12Months: commits,
      lastReleaseTag: release!.tagName,
      lastReleaseAt: releasedAt,
      stars: node.stargazerCount,
    });
  }
  candidates.sort(
    (a, b) =>
      Date.parse(b.pushedAt ?? '') - Date.parse(a.pushedAt ?? '') ||
      (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0),
  );
  return candidates[0] ?? null;
}

/** The query for one batch; every owner and name, and the date, are variables. */
export function forksQuery(
  batch: readonly RepositoryName[],
  asOf: Date,
): { query: string; variables: Record<string, string> } {
  const declarations = ['$since: GitTimestamp!'];
  const variables: Record<string, string> = { since: monthsBefore(asOf, 12).toISOString() };
  const fields: string[] = [];
  for (const [i, repository] of batch.entries()) {
    const alias = `r${i}`;
    declarations.push(`$${alias}owner: String!`, `$${alias}name: String!`);
    variables[`${alias}owner`] = repository.owner;
    variables[`${alias}name`] = repository.name;
    fields.push(
      `${alias}: repository(owner: $${alias}owner, name: $${alias}name) { forks(first: ${FORKS_PER_REPOSITORY}, ` +
        'orderBy: { field: PUSHED_AT, direction: DESC }) { nodes { ...Fork } } }',
    );
  }
  const query =
    `query MaintainedForks(${declarations.join(', ')}) {\n  ${fields.join('\n  ')}\n}\n` +
    'fragment Fork on Repository { nameWithOwner url pushedAt stargazerCount isArchived ' +
    'latestRelease { tagName publishedAt createdAt } ' +
    'defaultBranchRef { target { ... on Commit { year: history(first: 0, since: $since) { totalCount } } } } }\n';
  return { query, variables };
}

/** The same day and time `months` months earlier. */
function monthsBefore(date: Date, months: number): Date {
  const start = new Date(date.getTime());
  start.setUTCMonth(start.getUTCMonth() - months);
  return start;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.slice(0, 300);
}
