import type { GraphqlError, OnRateLimited } from './github-graphql.js';
import type { GitHubApi } from './github-octokit.js';
import {
  askInBatches,
  ownerNameKey,
  stopsEveryLookup,
  type RepositoryName,
} from './github-repository-batches.js';

/**
 * Files at the HEAD of repositories' default branches (the manifests of source folders plan B reads for a
 * new package name), through GitHub's GraphQL API: one query for many repositories, each under an alias
 * `r<i>` with its paths as `m<j>: object(expression: "HEAD:path")`, every owner, name and expression a
 * variable.
 *
 * Batch size. A query holds at most MANIFESTS_PER_QUERY (100) files, at most MANIFESTS_PER_REPOSITORY (25)
 * of one repository (a monorepo's other files go to later queries), packed first-fit. GitHub's cost rule
 * counts connection pages, and this query has none: every query costs 1 point (the minimum) of the 5,000
 * an hour and its node count is 0, far from the 500,000 limit. What bounds it is the answer: GitHub cuts
 * `Blob.text` at 512,000 bytes, so 100 files are at most ~50 MB and, for manifests as they are (a few KB),
 * a few hundred KB; and each `object(expression:)` is a single path lookup in one tree, well inside
 * GitHub's 10-second execution limit. A query GitHub could not execute (a timeout, a 5xx) is split by
 * repositories and sent again (askInBatches), down to one repository's 25 files, which then fail alone.
 */

export const MANIFESTS_PER_QUERY = 100;
export const MANIFESTS_PER_REPOSITORY = 25;
/** A longer path is refused without asking: no manifest of a source folder comes near it. */
const MAX_MANIFEST_PATH = 400;
/** A larger file is not read: no manifest comes near it. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface HeadManifestRequest {
  owner: string;
  name: string;
  /** The file's path from the repository's root, `/`-separated. */
  path: string;
}

export type HeadManifestOutcome =
  /** `repository`: `owner/name` as GitHub answers it now (it follows renames and transfers). */
  | { kind: 'found'; text: string; url: string; repository?: string }
  /** No such file at HEAD, or no such repository (GitHub answers null). */
  | { kind: 'absent' }
  /** What asking again cannot change: a path refused, a file too large for a manifest, or binary. */
  | { kind: 'unusable'; reason: string }
  /** What may go better next time: GitHub did not answer, or refused the query. */
  | { kind: 'failed'; reason: string };

export interface ReadHeadManifestsOptions {
  api: GitHubApi;
  onRateLimited?: OnRateLimited;
  /** The host of the browsable URLs (default github.com). */
  host?: string;
}

export interface ReadHeadManifestsResult {
  /** By headManifestKey: `owner/name:path`, owner and name in lower case. */
  outcomes: Map<string, HeadManifestOutcome>;
  queries: number;
}

/** A repository's answer: its current name, and each path asked under its alias `m<j>`. */
type RepositoryNode = Record<string, BlobNode | null> & { nameWithOwner?: string };

interface BlobNode {
  __typename?: string;
  text?: string | null;
  isTruncated?: boolean;
  byteSize?: number;
}

/** A repository's share of one query: the paths asked under its alias. */
interface Unit {
  repository: RepositoryName;
  paths: string[];
}

export function headManifestKey(request: HeadManifestRequest): string {
  return `${ownerNameKey(request)}:${request.path}`;
}

/** Why a path is not asked of GitHub, or undefined when it is a plain relative path. */
function unsafeManifestPath(path: string): string | undefined {
  if (path === '') return 'the path is empty';
  if (path.length > MAX_MANIFEST_PATH) return `the path is longer than ${MAX_MANIFEST_PATH} characters`;
  if (/\p{Cc}/u.test(path)) return 'the path holds control characters';
  if (path.includes('\\')) return 'the path holds a backslash';
  if (path.startsWith('/')) return 'the path starts with /';
  if (path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return 'the path has an empty, . or .. segment';
  }
  return undefined;
}

/** Reads each file at HEAD. Never throws: a file that cannot be read gets a failure with the reason. */
export async function readHeadManifests(
  requests: readonly HeadManifestRequest[],
  options: ReadHeadManifestsOptions,
): Promise<ReadHeadManifestsResult> {
  const result: ReadHeadManifestsResult = { outcomes: new Map(), queries: 0 };
  const host = options.host ?? 'github.com';
  const byRepository = new Map<string, Unit>();
  for (const request of requests) {
    const key = headManifestKey(request);
    if (result.outcomes.has(key)) continue;
    const unsafe = unsafeManifestPath(request.path);
    if (unsafe) {
      result.outcomes.set(key, { kind: 'unusable', reason: `not read: ${unsafe} (${quote(request.path)})` });
      continue;
    }
    // Placeholder until answered, so that a path asked twice is asked once.
    result.outcomes.set(key, { kind: 'failed', reason: 'GitHub gave no answer' });
    const unit = byRepository.get(ownerNameKey(request));
    if (unit) unit.paths.push(request.path);
    else
      byRepository.set(ownerNameKey(request), {
        repository: { owner: request.owner, name: request.name },
        paths: [request.path],
      });
  }

  let stoppedBy: string | undefined;
  for (const batch of packQueries([...byRepository.values()])) {
    const units = new Map(batch.map((u) => [ownerNameKey(u.repository), u]));
    const repositories = batch.map((u) => u.repository);
    const fail = (failed: readonly RepositoryName[], reason: string) => {
      for (const repository of failed) {
        for (const path of units.get(ownerNameKey(repository))!.paths) {
          result.outcomes.set(headManifestKey({ ...repository, path }), { kind: 'failed', reason });
        }
      }
    };
    if (stoppedBy !== undefined) {
      fail(repositories, stoppedBy);
      continue;
    }
    // One query per packed batch; askInBatches splits it if GitHub cannot execute it.
    await askInBatches(repositories, repositories.length, {
      api: options.api,
      onRateLimited: options.onRateLimited,
      query: (asked) => manifestsQuery(asked.map((r) => units.get(ownerNameKey(r))!)),
      stops: stopsEveryLookup,
      answered: (asked, answer) => {
        result.queries++;
        for (const [i, repository] of asked.entries()) {
          const unit = units.get(ownerNameKey(repository))!;
          const alias = `r${i}`;
          const node = answer.data[alias] as RepositoryNode | null | undefined;
          const errors = answer.errors.filter((e) => e.path?.[0] === alias);
          for (const [j, path] of unit.paths.entries()) {
            const url = blobUrl(host, repository, path);
            const outcome = outcomeOf(node, `m${j}`, errors, url);
            result.outcomes.set(headManifestKey({ ...repository, path }), outcome);
          }
        }
      },
      failed: (unanswered, error) => {
        const reason = `GitHub could not read the file: ${firstLine(error instanceof Error ? error.message : String(error))}`;
        if (stopsEveryLookup(error)) stoppedBy = reason;
        fail(unanswered, reason);
      },
    });
  }
  return result;
}

/**
 * The queries: each repository's paths cut into units of MANIFESTS_PER_REPOSITORY, packed first-fit into
 * queries of at most MANIFESTS_PER_QUERY files, never two units of one repository in the same query (one
 * alias per repository).
 */
function packQueries(repositories: readonly Unit[]): Unit[][] {
  const queries: { units: Unit[]; files: number; keys: Set<string> }[] = [];
  for (const { repository, paths } of repositories) {
    const key = ownerNameKey(repository);
    for (let i = 0; i < paths.length; i += MANIFESTS_PER_REPOSITORY) {
      const unit = { repository, paths: paths.slice(i, i + MANIFESTS_PER_REPOSITORY) };
      let query = queries.find((q) => q.files + unit.paths.length <= MANIFESTS_PER_QUERY && !q.keys.has(key));
      if (!query) queries.push((query = { units: [], files: 0, keys: new Set() }));
      query.units.push(unit);
      query.files += unit.paths.length;
      query.keys.add(key);
    }
  }
  return queries.map((q) => q.units);
}

/** The query of one batch; every owner, name and expression is a variable, never spliced into the text. */
export function manifestsQuery(units: readonly { repository: RepositoryName; paths: readonly string[] }[]): {
  query: string;
  variables: Record<string, string>;
} {
  const declarations: string[] = [];
  const variables: Record<string, string> = {};
  const fields: string[] = [];
  for (const [i, { repository, paths }] of units.entries()) {
    const alias = `r${i}`;
    declarations.push(`$${alias}owner: String!`, `$${alias}name: String!`);
    variables[`${alias}owner`] = repository.owner;
    variables[`${alias}name`] = repository.name;
    const objects = paths.map((path, j) => {
      declarations.push(`$e${i}_${j}: String!`);
      variables[`e${i}_${j}`] = `HEAD:${path}`;
      return `m${j}: object(expression: $e${i}_${j}) { ...Manifest }`;
    });
    fields.push(
      `${alias}: repository(owner: $${alias}owner, name: $${alias}name) { nameWithOwner ${objects.join(' ')} }`,
    );
  }
  const query =
    `query HeadManifests(${declarations.join(', ')}) {\n  ${fields.join('\n  ')}\n}\n` +
    'fragment Manifest on GitObject { __typename ... on Blob { text isTruncated byteSize } }\n';
  return { query, variables };
}

function outcomeOf(
  repository: RepositoryNode | null | undefined,
  field: string,
  errors: readonly GraphqlError[],
  url: string,
): HeadManifestOutcome {
  if (!repository) {
    // GitHub answers null with NOT_FOUND for a repository it does not have: no file there.
    const error = errors.find((e) => e.path?.length === 1);
    if (!error || error.type === 'NOT_FOUND') return { kind: 'absent' };
    return {
      kind: 'failed',
      reason: `GitHub could not read the file: ${firstLine(error.message ?? 'error')}`,
    };
  }
  const error = errors.find((e) => e.path?.[1] === field);
  if (error) {
    return {
      kind: 'failed',
      reason: `GitHub could not read the file: ${firstLine(error.message ?? 'error')}`,
    };
  }
  const blob = repository[field];
  // null: no such path at HEAD; another type: a folder (or a submodule) where the file would be.
  if (!blob || blob.__typename !== 'Blob') return { kind: 'absent' };
  if (typeof blob.byteSize === 'number' && blob.byteSize > MAX_MANIFEST_BYTES) {
    return {
      kind: 'unusable',
      reason: `${url} is ${blob.byteSize.toLocaleString('en')} bytes, more than the ${MAX_MANIFEST_BYTES.toLocaleString('en')} a manifest may have`,
    };
  }
  if (blob.isTruncated === true) {
    return { kind: 'unusable', reason: `${url} is larger than GitHub gives through GraphQL (truncated)` };
  }
  if (typeof blob.text !== 'string') return { kind: 'unusable', reason: `${url} is a binary file` };
  const now = typeof repository.nameWithOwner === 'string' ? { repository: repository.nameWithOwner } : {};
  return { kind: 'found', text: blob.text, url, ...now };
}

/** `https://host/owner/name/blob/HEAD/path`, each part escaped. */
function blobUrl(host: string, repository: RepositoryName, path: string): string {
  const segments = [repository.owner, repository.name, 'blob', 'HEAD', ...path.split('/')];
  return `https://${host}/${segments.map(encodeURIComponent).join('/')}`;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.slice(0, 300);
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
}
