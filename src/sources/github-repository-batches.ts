import { HttpError } from '../net/types.js';
import {
  GraphqlUnavailableError,
  runQuery,
  type GraphqlError,
  type OnRateLimited,
} from './github-graphql.js';
import { isPrimaryRateLimit, type GitHubApi } from './github-octokit.js';

/** A repository asked about by name. */
export interface RepositoryName {
  owner: string;
  name: string;
}

/** One batch's answer: each repository's node under its alias `r<i>`, and GitHub's errors. */
export interface BatchAnswer {
  data: Record<string, unknown>;
  errors: GraphqlError[];
}

export interface RepositoryBatches {
  api: GitHubApi;
  onRateLimited?: OnRateLimited;
  /** The query of one batch, each repository under the alias `r<i>` of its index. */
  query(batch: readonly RepositoryName[]): { query: string; variables: Record<string, string> };
  /** An error that asking again, or by halves, cannot help: the rate limit, no GraphQL, a refused token. */
  stops(error: unknown): boolean;
  answered(batch: readonly RepositoryName[], answer: BatchAnswer): void;
  /** Repositories that get no answer: one that failed alone, or every one left after a stopping error. */
  failed(repositories: readonly RepositoryName[], error: unknown): void;
}

/** `owner/name` in lower case: GitHub matches names without regard to case. */
export function ownerNameKey(repository: RepositoryName): string {
  return `${repository.owner}/${repository.name}`.toLowerCase();
}

/**
 * Asks GitHub's GraphQL API about repositories `size` at a time (each distinct repository once), one query
 * at a time as GitHub asks. A query GitHub could not execute (a timeout, a 5xx) is split in two and each
 * half sent again, down to a single repository, which then fails alone; a stopping error ends every lookup
 * left. Never throws for what GitHub answers.
 */
export async function askInBatches(
  repositories: readonly RepositoryName[],
  size: number,
  batches: RepositoryBatches,
): Promise<void> {
  const unique = [...new Map(repositories.map((r) => [ownerNameKey(r), r])).values()];
  const pending: RepositoryName[][] = [];
  for (let i = 0; i < unique.length; i += size) pending.push(unique.slice(i, i + size));
  while (pending.length > 0) {
    const batch = pending.shift()!;
    const { query, variables } = batches.query(batch);
    let answer: BatchAnswer;
    try {
      answer = await runQuery(batches.api, query, variables, batches.onRateLimited);
    } catch (error) {
      if (batches.stops(error)) {
        batches.failed([...batch, ...pending.flat()], error);
        return;
      }
      if (batch.length > 1)
        pending.unshift(batch.slice(0, batch.length >> 1), batch.slice(batch.length >> 1));
      else batches.failed(batch, error);
      continue;
    }
    batches.answered(batch, answer);
  }
}

/** The rate limit, no GraphQL, or a refused token: asking again, or by halves, cannot help. */
export function stopsEveryLookup(error: unknown): boolean {
  const cause = (error as { cause?: unknown }).cause;
  const status = (error as { status?: unknown }).status;
  return (
    isPrimaryRateLimit(error) ||
    (cause instanceof HttpError && (cause.reason === 'rate-limited' || cause.reason === 'offline')) ||
    error instanceof GraphqlUnavailableError ||
    status === 401 ||
    status === 403
  );
}
