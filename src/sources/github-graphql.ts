import type { Problem, RepositoryVisibility } from '../core/model.js';
import { HttpError } from '../net/types.js';
import type { GitHubApi } from './github-octokit.js';

/**
 * Listing and repository metadata through GitHub's GraphQL API, batched: one query reads a page of 100
 * repositories of several owners at once, and repositories named OWNER/NAME by the dozen, each with its
 * default branch and HEAD oid, so that no request per repository is needed to learn which commit to read.
 *
 * Batch size: a page is GitHub's largest (`first: 100`); each repository asks its topics with
 * `first: 20` (GitHub allows 20 topics on a repository, so that is all of them). A query holds at most
 * REPOSITORIES_PER_QUERY (500) repositories: 5 owner pages, or 500 named repositories, or a mix. By GitHub's
 * rules such a query may return 500 + 500 x 20 = 10,500 nodes (the limit is 500,000 per query) and costs
 * 5 points (the connection pages it may need, 505, divided by 100) of the 5,000 an hour; 500 repositories
 * with a handful of scalar fields each also keep the query well inside GitHub's 10-second execution
 * timeout. Queries are sent one at a time: a page's cursor comes from the one before, and GitHub asks
 * clients to space out their POSTs (Octokit's throttling waits a second between two).
 */

export const GRAPHQL_PAGE_SIZE = 100;
export const TOPICS_PER_REPOSITORY = 20;
export const REPOSITORIES_PER_QUERY = 500;

/** What the crawl knows of a repository before reading its tree. */
export interface RepositoryFacts {
  owner: string;
  name: string;
  fullName: string;
  htmlUrl: string;
  defaultBranch: string;
  archived: boolean;
  fork: boolean;
  pushedAt: string | null;
  license: string | null;
  topics: string[];
  description: string | null;
  /** `public`, `private` or `internal`, when the listing said. */
  visibility?: RepositoryVisibility;
  /** Named by the user: the filters do not apply. */
  named: boolean;
  /** The commit to read, when the listing told it; undefined: ask GitHub for it (REST). */
  commit?: CommitLookup;
}

export type CommitLookup =
  | { kind: 'commit'; oid: string }
  /** The repository has no commit yet. */
  | { kind: 'empty' }
  /** `--ref` names nothing in the repository. */
  | { kind: 'no-ref' };

export interface OwnerTarget {
  login: string;
  kind: 'organisation' | 'user';
}

export interface GraphqlListing {
  repositories: RepositoryFacts[];
  /** Per owner, once its last page is read. */
  listed: { owner: string; repositories: number }[];
  /** Named repositories GraphQL could not give, as problems with their subject. */
  problems: Problem[];
}

/** GraphQL answered that it cannot serve these queries (no GraphQL API, another schema): use REST. */
export class GraphqlUnavailableError extends Error {}

/** An owner GraphQL says does not exist. */
export class GraphqlOwnerNotFoundError extends Error {
  constructor(readonly owner: OwnerTarget) {
    super(`GitHub ${owner.kind} ${owner.login} not found`);
  }
}

export interface PageSlot {
  type: 'page';
  owner: OwnerTarget;
  after: string | null;
  count: number;
}

export interface RepositorySlot {
  type: 'repository';
  owner: string;
  name: string;
}

export type Slot = PageSlot | RepositorySlot;

export interface GraphqlError {
  type?: string;
  path?: (string | number)[];
  message?: string;
}

interface RepositoryNode {
  name: string;
  nameWithOwner: string;
  url: string;
  owner: { login: string };
  isArchived: boolean;
  isFork: boolean;
  isEmpty: boolean;
  pushedAt: string | null;
  description: string | null;
  visibility: string | null;
  licenseInfo: { spdxId: string | null } | null;
  repositoryTopics: { nodes: ({ topic: { name: string } | null } | null)[] | null } | null;
  defaultBranchRef: { name: string; target: { oid: string } | null } | null;
  wanted?: GitObjectNode | null;
}

interface GitObjectNode {
  __typename: string;
  oid: string;
  target?: { __typename: string; oid: string } | null;
}

interface PageNode {
  repositories: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: (RepositoryNode | null)[] | null;
  } | null;
}

type Answer = Record<string, PageNode | RepositoryNode | null | undefined>;

/** Told of a RATE_LIMITED answer nobody waited out; true once the limit has reset (ask again). */
export type OnRateLimited = (error: unknown) => Promise<boolean>;

/** Times a RATE_LIMITED query is sent again after waiting for the reset. */
const RATE_LIMITED_RETRIES = 3;

/**
 * Lists the owners' repositories and reads the named ones, in as few queries as the batch size allows.
 * Throws GraphqlUnavailableError when GraphQL cannot serve the queries, GraphqlOwnerNotFoundError for an
 * owner that does not exist, and whatever the request threw otherwise. `gathered` receives every
 * repository as soon as its query is answered, so that a caller stopped by the rate limit keeps them.
 */
export async function listWithGraphql(
  api: GitHubApi,
  owners: readonly OwnerTarget[],
  named: readonly { owner: string; name: string }[],
  ref: string | undefined,
  gathered: GraphqlListing,
  onListed?: (owner: string, repositories: number) => void,
  onRateLimited?: OnRateLimited,
): Promise<GraphqlListing> {
  let pending: Slot[] = [
    ...owners.map((owner): Slot => ({ type: 'page', owner, after: null, count: 0 })),
    ...named.map((r): Slot => ({ type: 'repository', ...r })),
  ];
  while (pending.length > 0) {
    const batch = nextBatch(pending);
    pending = pending.slice(batch.length);
    const { query, variables } = listingQuery(batch, ref);
    const { data, errors } = await runQuery(api, query, variables, onRateLimited);
    const next: Slot[] = [];
    for (const [i, slot] of batch.entries()) {
      const alias = aliasOf(slot, i);
      const error = errors.find((e) => e.path?.[0] === alias);
      if (slot.type === 'page') {
        const page = data[alias] as PageNode | null | undefined;
        const connection = page?.repositories;
        if (!connection) {
          if (error?.type === 'NOT_FOUND' || !error) throw new GraphqlOwnerNotFoundError(slot.owner);
          throw new GraphqlUnavailableError(error.message ?? 'GraphQL gave no repositories');
        }
        // A repository GraphQL could not give would be missing from the listing: REST lists them all.
        if (error) throw new GraphqlUnavailableError(error.message ?? 'GraphQL gave a partial listing');
        const found = (connection.nodes ?? []).flatMap((n) => (n ? [factsOf(n, false, ref)] : []));
        gathered.repositories.push(...found);
        const count = slot.count + found.length;
        if (connection.pageInfo.hasNextPage && connection.pageInfo.endCursor) {
          next.push({ ...slot, after: connection.pageInfo.endCursor, count });
        } else {
          gathered.listed.push({ owner: slot.owner.login, repositories: count });
          onListed?.(slot.owner.login, count);
        }
      } else {
        const node = data[alias] as RepositoryNode | null | undefined;
        if (node) gathered.repositories.push(factsOf(node, true, ref));
        else gathered.problems.push(namedProblem(`${slot.owner}/${slot.name}`, error));
      }
    }
    pending = [...next, ...pending];
  }
  return gathered;
}

/** The slots of the next query: as many as REPOSITORIES_PER_QUERY allows, at least one. */
export function nextBatch(pending: readonly Slot[]): Slot[] {
  const batch: Slot[] = [];
  let weight = 0;
  for (const slot of pending) {
    const w = slot.type === 'page' ? GRAPHQL_PAGE_SIZE : 1;
    if (batch.length > 0 && weight + w > REPOSITORIES_PER_QUERY) break;
    batch.push(slot);
    weight += w;
  }
  return batch;
}

function aliasOf(slot: Slot, index: number): string {
  return `${slot.type === 'page' ? 'o' : 'r'}${index}`;
}

/** The query for one batch; every login, name, cursor and ref is a variable, never spliced into the text. */
export function listingQuery(
  batch: readonly Slot[],
  ref: string | undefined,
): { query: string; variables: Record<string, string | null> } {
  const declarations: string[] = [];
  const variables: Record<string, string | null> = {};
  const fields: string[] = [];
  // One name per shape: graphql-tag (in GitHub's schema validation) warns when a name changes shape.
  const fragment = ref === undefined ? 'Facts' : 'FactsAtRef';
  if (ref !== undefined) {
    declarations.push('$ref: String!');
    variables.ref = ref;
  }
  for (const [i, slot] of batch.entries()) {
    const alias = aliasOf(slot, i);
    if (slot.type === 'page') {
      declarations.push(`$${alias}: String!`, `$${alias}after: String`);
      variables[alias] = slot.owner.login;
      variables[`${alias}after`] = slot.after;
      // A user's listing takes an organisation's login too, as REST's /users/{login}/repos does.
      const root = slot.owner.kind === 'organisation' ? 'organization' : 'repositoryOwner';
      fields.push(
        `${alias}: ${root}(login: $${alias}) { repositories(first: ${GRAPHQL_PAGE_SIZE}, after: $${alias}after, ` +
          'ownerAffiliations: [OWNER], orderBy: { field: NAME, direction: ASC }) { ' +
          `pageInfo { hasNextPage endCursor } nodes { ...${fragment} } } }`,
      );
    } else {
      declarations.push(`$${alias}owner: String!`, `$${alias}name: String!`);
      variables[`${alias}owner`] = slot.owner;
      variables[`${alias}name`] = slot.name;
      fields.push(`${alias}: repository(owner: $${alias}owner, name: $${alias}name) { ...${fragment} }`);
    }
  }
  const wanted =
    ref === undefined
      ? ''
      : ' wanted: object(expression: $ref) { __typename oid ... on Tag { target { __typename oid } } }';
  const query =
    `query Listing(${declarations.join(', ')}) {\n  ${fields.join('\n  ')}\n}\n` +
    `fragment ${fragment} on Repository { name nameWithOwner url owner { login } isArchived isFork isEmpty ` +
    'pushedAt description visibility licenseInfo { spdxId } ' +
    `repositoryTopics(first: ${TOPICS_PER_REPOSITORY}) { nodes { topic { name } } } ` +
    `defaultBranchRef { name target { oid } }${wanted} }\n`;
  return { query, variables };
}

/** The answer's data and errors; a partial answer (an owner not found) is an answer, not a failure. */
export async function runQuery(
  api: GitHubApi,
  query: string,
  variables: Record<string, string | null>,
  onRateLimited: OnRateLimited | undefined,
): Promise<{ data: Answer; errors: GraphqlError[] }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await answerOf(api, query, variables);
    } catch (error) {
      const limited = (error as { errors?: GraphqlError[] }).errors?.some((e) => e.type === 'RATE_LIMITED');
      if (!limited || !onRateLimited || attempt >= RATE_LIMITED_RETRIES || !(await onRateLimited(error))) {
        throw error;
      }
    }
  }
}

async function answerOf(
  api: GitHubApi,
  query: string,
  variables: Record<string, string | null>,
): Promise<{ data: Answer; errors: GraphqlError[] }> {
  try {
    return { data: await api.graphql<Answer>(query, variables), errors: [] };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 404 || status === 410 || status === 501) {
      throw new GraphqlUnavailableError(`GitHub answered HTTP ${status} to GraphQL`);
    }
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof HttpError && cause.reason === 'offline') {
      // GraphQL answers are never cached; REST listings are, so an offline run can still be served.
      throw new GraphqlUnavailableError('offline, and GraphQL answers are not cached');
    }
    const answered = error as { name?: unknown; data?: unknown; errors?: unknown };
    if (answered.name !== 'GraphqlResponseError') throw error;
    const errors = (Array.isArray(answered.errors) ? answered.errors : []) as GraphqlError[];
    if (errors.some((e) => e.type === 'RATE_LIMITED')) throw error;
    const data = answered.data && typeof answered.data === 'object' ? (answered.data as Answer) : null;
    if (!data || errors.some((e) => !e.path)) {
      throw new GraphqlUnavailableError(errors[0]?.message ?? 'GraphQL refused the query');
    }
    return { data, errors };
  }
}

function factsOf(node: RepositoryNode, named: boolean, ref: string | undefined): RepositoryFacts {
  const branch = node.defaultBranchRef;
  const commit = ref === undefined ? headCommit(node) : refCommit(node);
  return {
    owner: node.owner.login,
    name: node.name,
    fullName: node.nameWithOwner,
    htmlUrl: node.url,
    defaultBranch: branch?.name ?? 'main',
    archived: node.isArchived,
    fork: node.isFork,
    pushedAt: node.pushedAt,
    license: node.licenseInfo?.spdxId ?? null,
    topics: (node.repositoryTopics?.nodes ?? []).flatMap((t) => (t?.topic ? [t.topic.name] : [])),
    description: node.description,
    ...visibilityOf(node.visibility),
    named,
    ...(commit ? { commit } : {}),
  };
}

function headCommit(node: RepositoryNode): CommitLookup | undefined {
  if (node.isEmpty) return { kind: 'empty' };
  const oid = node.defaultBranchRef?.target?.oid;
  return oid ? { kind: 'commit', oid } : undefined;
}

/** The commit `--ref` names: a commit, or the commit an annotated tag points to; else REST decides. */
function refCommit(node: RepositoryNode): CommitLookup | undefined {
  if (node.isEmpty) return { kind: 'empty' };
  const wanted = node.wanted;
  if (wanted === null) return { kind: 'no-ref' };
  if (wanted?.__typename === 'Commit') return { kind: 'commit', oid: wanted.oid };
  if (wanted?.__typename === 'Tag' && wanted.target?.__typename === 'Commit') {
    return { kind: 'commit', oid: wanted.target.oid };
  }
  return undefined;
}

function namedProblem(fullName: string, error: GraphqlError | undefined): Problem {
  if (!error || error.type === 'NOT_FOUND') {
    return {
      severity: 'error',
      code: 'github.repository-not-found',
      message: `${fullName}: no such repository, or the token cannot see it`,
      hint: 'Set GITHUB_TOKEN or GH_TOKEN to a token that can read the repository.',
      subject: fullName,
    };
  }
  return {
    severity: 'error',
    code: 'github.request-failed',
    message: `${fullName} could not be read: ${(error.message ?? 'GraphQL error').split('\n', 1)[0]!.slice(0, 300)}`,
    hint: 'Try again later; the cache keeps what was already read.',
    subject: fullName,
  };
}

const VISIBILITIES: readonly RepositoryVisibility[] = ['public', 'private', 'internal'];

/** GitHub's visibility (`PUBLIC` in GraphQL, `public` in REST), when it is one of the three it documents. */
export function visibilityOf(value: unknown): { visibility?: RepositoryVisibility } {
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  const known = VISIBILITIES.find((v) => v === lower);
  return known ? { visibility: known } : {};
}
