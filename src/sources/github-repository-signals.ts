import type { RepositorySignals } from '../core/model.js';
import { HttpError } from '../net/types.js';
import { GraphqlUnavailableError, type GraphqlError, type OnRateLimited } from './github-graphql.js';
import { isPrimaryRateLimit, type GitHubApi } from './github-octokit.js';
import { askInBatches, ownerNameKey, type RepositoryName } from './github-repository-batches.js';

export { ownerNameKey, type RepositoryName };

/**
 * What the source repositories of components say, read through GitHub's GraphQL API in batches: many
 * repositories per query, each under an alias, every owner and name a variable.
 *
 * Per repository: isArchived, isDisabled, pushedAt, isSecurityPolicyEnabled, fundingLinks (counted),
 * latestRelease (a field, not a connection: it costs nothing), and on the default branch's HEAD commit
 * its date (the last commit), `history(first: 0, since: 90 days ago) { totalCount }` and
 * `history(first: 100, since: 12 months ago)` with its totalCount and the authors of its newest 100
 * commits, counted (a GitHub account's id, else the e-mail, both dropped once counted; `[bot]` accounts
 * are not people). With more than 100 commits in the year the committers are counted in the newest 100: a
 * lower bound.
 *
 * Batch size, REPOSITORIES_PER_SIGNALS_QUERY = 50. GitHub's cost is the number of connection pages a
 * query may need divided by 100 (at least 1 point): each repository holds two connections (the two
 * histories), so 50 repositories ask 100 pages, 1 point, and 100 repositories cost 2 points of the 5,000 an
 * hour. The node limit (500,000) is far: 50 x (100 + 0) = 5,000 nodes. What bounds the batch is GitHub's
 * 10-second execution timeout: a history `totalCount` walks the commit graph, which is slow on large
 * repositories, so a query holds 50 rather than 100 repositories at the same price. A query GitHub could
 * not execute (a timeout, a 5xx) is split in two and each half sent again, down to a single repository,
 * which then records the failure as its reason. Queries are sent one at a time, as GitHub asks.
 */

export const REPOSITORIES_PER_SIGNALS_QUERY = 50;
/** Commits read to count the active committers. */
export const COMMITTER_PAGE = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The outcome for one repository: what it says, or why it could not be read. */
export type SignalsOutcome =
  | { kind: 'found'; signals: RepositorySignals }
  | { kind: 'not-found'; signals: RepositorySignals }
  | { kind: 'failed'; signals: RepositorySignals; code: SignalsFailure };

/** Why a repository could not be read: the run could not ask (rate limit, no GraphQL) or this query failed. */
export type SignalsFailure = 'rate-limited' | 'unavailable' | 'request-failed';

export interface ReadSignalsOptions {
  api: GitHubApi;
  /** The end of the windows (the run's time): commits in the 90 days and 12 months before it. */
  asOf: Date;
  /** When the answers are read (ISO 8601), written as each signal's `readAt`. */
  readAt: () => string;
  /** Told of a RATE_LIMITED answer; true once the limit has reset (ask again). */
  onRateLimited?: OnRateLimited;
  /** Told of each query answered: how many repositories it held and the points GitHub says it cost. */
  onQuery?: (query: { repositories: number; cost: number | undefined }) => void;
}

export interface ReadSignalsResult {
  /** By `owner/name` in lower case. */
  outcomes: Map<string, SignalsOutcome>;
  queries: number;
  /** Points spent, as GitHub reported each query's cost. */
  points: number;
}

interface SignalsNode {
  nameWithOwner: string;
  isArchived: boolean;
  isDisabled: boolean;
  pushedAt: string | null;
  isSecurityPolicyEnabled: boolean | null;
  fundingLinks: unknown[] | null;
  latestRelease: { tagName: string; publishedAt: string | null; createdAt: string } | null;
  defaultBranchRef: { target: CommitNode | null } | null;
}

interface CommitNode {
  committedDate?: string;
  recent?: { totalCount: number };
  year?: {
    totalCount: number;
    nodes: ({ author: { email: string | null; user: { id: string } | null } | null } | null)[] | null;
  };
}

/**
 * Reads the repositories' signals, REPOSITORIES_PER_SIGNALS_QUERY per query. Never throws for a
 * repository GitHub cannot give: each gets an outcome with the reason.
 */
export async function readRepositorySignals(
  repositories: readonly RepositoryName[],
  options: ReadSignalsOptions,
): Promise<ReadSignalsResult> {
  const result: ReadSignalsResult = { outcomes: new Map(), queries: 0, points: 0 };
  await askInBatches(repositories, REPOSITORIES_PER_SIGNALS_QUERY, {
    api: options.api,
    onRateLimited: options.onRateLimited,
    query: (batch) => signalsQuery(batch, options.asOf),
    stops: (error) => classify(error).code !== 'request-failed',
    answered: (batch, answer) => {
      result.queries++;
      const cost = (answer.data.rateLimit as { cost?: unknown } | null | undefined)?.cost;
      const points = typeof cost === 'number' ? cost : undefined;
      result.points += points ?? 0;
      options.onQuery?.({ repositories: batch.length, cost: points });
      const readAt = options.readAt();
      for (const [i, repository] of batch.entries()) {
        const alias = `r${i}`;
        const node = answer.data[alias] as SignalsNode | null | undefined;
        const error = answer.errors.find((e) => e.path?.[0] === alias);
        result.outcomes.set(ownerNameKey(repository), outcomeOf(repository, node, error, readAt));
      }
    },
    failed: (batch, error) => {
      const { code, reason } = classify(error);
      for (const repository of batch)
        result.outcomes.set(ownerNameKey(repository), failed(options, code, reason));
    },
  });
  return result;
}

function classify(error: unknown): { code: SignalsFailure; reason: string } {
  const cause = (error as { cause?: unknown }).cause;
  const status = (error as { status?: unknown }).status;
  if (isPrimaryRateLimit(error) || (cause instanceof HttpError && cause.reason === 'rate-limited')) {
    return { code: 'rate-limited', reason: "GitHub's GraphQL rate limit stopped the lookups" };
  }
  if (error instanceof GraphqlUnavailableError && /^(GitHub answered HTTP|offline)/.test(error.message)) {
    return { code: 'unavailable', reason: `GitHub GraphQL cannot be used: ${error.message}` };
  }
  if (status === 401 || status === 403) {
    const message = error instanceof Error ? firstLine(error.message) : String(status);
    return { code: 'unavailable', reason: `GitHub refused the token (HTTP ${status}: ${message})` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'request-failed', reason: `GitHub could not answer: ${firstLine(message)}` };
}

function failed(options: ReadSignalsOptions, code: SignalsFailure, reason: string): SignalsOutcome {
  return { kind: 'failed', code, signals: { status: 'missing', reason, readAt: options.readAt() } };
}

function outcomeOf(
  repository: RepositoryName,
  node: SignalsNode | null | undefined,
  error: GraphqlError | undefined,
  readAt: string,
): SignalsOutcome {
  const fullName = `${repository.owner}/${repository.name}`;
  if (!node) {
    if (!error || error.type === 'NOT_FOUND') {
      const reason = `GitHub has no repository ${fullName} (renamed, deleted or private)`;
      return { kind: 'not-found', signals: { status: 'missing', reason, readAt } };
    }
    const reason = `GitHub could not give ${fullName}: ${firstLine(error.message ?? 'GraphQL error')}`;
    return { kind: 'failed', code: 'request-failed', signals: { status: 'missing', reason, readAt } };
  }
  return { kind: 'found', signals: signalsOf(node, readAt) };
}

function signalsOf(node: SignalsNode, readAt: string): RepositorySignals {
  const head = node.defaultBranchRef?.target ?? null;
  const release = node.latestRelease;
  const signals: RepositorySignals = {
    status: 'found',
    readAt,
    archived: node.isArchived,
    disabled: node.isDisabled,
    pushedAt: node.pushedAt,
    lastCommitAt: head?.committedDate ?? null,
    lastReleaseAt: release ? (release.publishedAt ?? release.createdAt) : null,
    lastReleaseTag: release?.tagName ?? null,
    fundingLinks: node.fundingLinks?.length ?? 0,
  };
  if (node.isSecurityPolicyEnabled !== null) signals.securityPolicy = node.isSecurityPolicyEnabled;
  if (head?.recent) signals.commitsLast90Days = head.recent.totalCount;
  if (head?.year) {
    signals.commitsLast365Days = head.year.totalCount;
    signals.activeCommittersLast12Months = countCommitters(head.year.nodes ?? []);
  } else if (head === null) {
    // An empty repository: no commit at all, which is a fact, not a gap.
    Object.assign(signals, { commitsLast90Days: 0, commitsLast365Days: 0, activeCommittersLast12Months: 0 });
  }
  return signals;
}

/** Distinct authors: an account's id, else the e-mail in lower case; bots are not counted. Nothing is kept. */
function countCommitters(nodes: NonNullable<NonNullable<CommitNode['year']>['nodes']>): number {
  const people = new Set<string>();
  for (const node of nodes) {
    const author = node?.author;
    if (!author) continue;
    const email = author.email?.toLowerCase() ?? '';
    if (email.includes('[bot]')) continue;
    const identity = author.user ? `u:${author.user.id}` : email ? `e:${email}` : undefined;
    if (identity) people.add(identity);
  }
  return people.size;
}

/** The query for one batch; every owner and name, and both dates, are variables. */
export function signalsQuery(
  batch: readonly RepositoryName[],
  asOf: Date,
): { query: string; variables: Record<string, string> } {
  const declarations = ['$since90: GitTimestamp!', '$since365: GitTimestamp!'];
  const variables: Record<string, string> = {
    since90: new Date(asOf.getTime() - 90 * DAY_MS).toISOString(),
    since365: yearBefore(asOf).toISOString(),
  };
  const fields: string[] = [];
  for (const [i, repository] of batch.entries()) {
    const alias = `r${i}`;
    declarations.push(`$${alias}owner: String!`, `$${alias}name: String!`);
    variables[`${alias}owner`] = repository.owner;
    variables[`${alias}name`] = repository.name;
    fields.push(`${alias}: repository(owner: $${alias}owner, name: $${alias}name) { ...Signals }`);
  }
  const query =
    `query RepositorySignals(${declarations.join(', ')}) {\n  ${fields.join('\n  ')}\n  rateLimit { cost }\n}\n` +
    'fragment Signals on Repository { nameWithOwner isArchived isDisabled pushedAt isSecurityPolicyEnabled ' +
    'fundingLinks { platform } latestRelease { tagName publishedAt createdAt } ' +
    'defaultBranchRef { target { ... on Commit { committedDate ' +
    'recent: history(first: 0, since: $since90) { totalCount } ' +
    `year: history(first: ${COMMITTER_PAGE}, since: $since365) { totalCount nodes { author { email user { id } } } } ` +
    '} } } }\n';
  return { query, variables };
}

/** The same day and time a year earlier (29 February becomes 1 March). */
function yearBefore(date: Date): Date {
  const start = new Date(date.getTime());
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return start;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.slice(0, 300);
}
