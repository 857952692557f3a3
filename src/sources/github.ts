import pLimit from 'p-limit';
import picomatch from 'picomatch';
import type { Problem } from '../core/model.js';
import type { SubjectReader } from '../ecosystems/types.js';
import type { HttpClient } from '../net/types.js';
import { createGitHubApi, type GitHubApi, type RateLimitWait } from './github-octokit.js';
import { ManifestSelector, readWholeTree, type GitTreeAnswer, type GitTreeEntry } from './github-tree.js';
import { SubjectNotFoundError, type LocalTree } from './local.js';

export const DEFAULT_GITHUB_URL = 'https://api.github.com';
/** Larger blobs are fetched raw rather than as base64 JSON. */
export const RAW_BLOB_BYTES = 1024 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const REPOSITORIES_AT_ONCE = 16;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 15 * 60 * 1000;
const TOKEN_HINT = 'Set GITHUB_TOKEN or GH_TOKEN to a token that can read the repository.';

export interface GitHubTargets {
  orgs: readonly string[];
  users: readonly string[];
  /** `owner/name`. */
  repos: readonly string[];
}

export type GitHubProgress =
  | { kind: 'listed'; owner: string; repositories: number }
  | { kind: 'selected'; repositories: number; skipped: number }
  | { kind: 'repository'; name: string; manifests: number; done: number; total: number }
  | RateLimitWait;

export interface GitHubSourceOptions {
  /** The REST API root: https://api.github.com, or GitHub Enterprise Server's `https://HOST/api/v3`. */
  baseUrl?: string;
  token?: string;
  targets: GitHubTargets;
  /** Repository name globs (picomatch); a glob holding `/` matches `owner/name`. Listed repositories only. */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Keep listed repositories that carry at least one of these topics. */
  topics?: readonly string[];
  includeArchived?: boolean;
  includeForks?: boolean;
  /** Branch, tag or commit to read (default: each repository's default branch). */
  ref?: string;
  /**
   * Read only one slice of the selected repositories (`--shard I/N`, index from 1): those whose position
   * in the name-sorted selection, modulo `count`, is `index - 1`. The slices of 1..N partition the selection.
   */
  shard?: { index: number; count: number };
  manifestNames: ReadonlySet<string>;
  /** Path globs, with the semantics of local.ts. */
  excludes: readonly string[];
  client: HttpClient;
  /** Longest wait for the primary rate limit to reset before a request fails (default 15 minutes). */
  maxRateLimitWaitMs?: number;
  onProgress?: (event: GitHubProgress) => void;
}

export interface GitHubSubject {
  /** `owner/name`. */
  name: string;
  /** The repository's web page. */
  location: string;
  /** The commit read; null when nothing could be read (empty repository, error). */
  headSha: string | null;
  defaultBranch: string;
  /** The ref that was read. */
  ref: string;
  archived: boolean;
  fork: boolean;
  pushedAt: string | null;
  /** The SPDX id GitHub detected (`NOASSERTION` when it found a license it cannot name), or null. */
  license: string | null;
  topics: string[];
  description: string | null;
  tree: LocalTree;
}

export interface GitHubSubjects {
  subjects: GitHubSubject[];
  /** Problems of the run rather than of one repository: no token, a named repository that cannot be read. */
  problems: Problem[];
  /** Listed repositories left out by the filters, with why. */
  skipped: { name: string; reason: 'archived' | 'fork' | 'name' | 'topic' }[];
}

/** A GitHub target that does not exist (the CLI exits 2, as for a missing folder). */
export class GitHubTargetNotFoundError extends SubjectNotFoundError {}

/** A listing GitHub refused or could not answer (bad credentials, rate limit, network). */
export class GitHubSourceError extends Error {}

interface RepositoryFacts {
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
  /** Named by the user: the filters do not apply. */
  named: boolean;
}

interface RestRepository {
  name: string;
  full_name: string;
  html_url: string;
  owner: { login: string };
  default_branch?: string;
  archived?: boolean;
  fork: boolean;
  pushed_at?: string | null;
  license?: { spdx_id?: string | null } | null;
  topics?: string[];
  description: string | null;
}

/**
 * Lists the repositories of the targets, filters them, and opens each one (concurrently) as a subject
 * the pipeline scans like a local folder: its tree read from the HEAD commit of the ref, its manifests
 * read by blob sha. Throws GitHubTargetNotFoundError for a missing organisation or user and
 * GitHubSourceError when a listing fails; a repository that cannot be read is a problem on its subject.
 */
export async function openGitHubSubjects(options: GitHubSourceOptions): Promise<GitHubSubjects> {
  const baseUrl = (options.baseUrl ?? DEFAULT_GITHUB_URL).replace(/\/+$/, '');
  const api = createGitHubApi({
    baseUrl,
    token: options.token,
    client: options.client,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
    onWait: options.onProgress,
  });
  const problems: Problem[] = [];
  if (!options.token) problems.push(noTokenWarning());

  const listed = await listTargets(api, options, baseUrl);
  const named = await namedRepositories(api, options.targets.repos, problems);
  const { kept, skipped } = filterRepositories(listed, options);
  const chosen = inShard(unique([...kept, ...named]), options.shard);
  options.onProgress?.({ kind: 'selected', repositories: chosen.length, skipped: skipped.length });

  const limit = pLimit(REPOSITORIES_AT_ONCE);
  const selector = () => new ManifestSelector(options);
  let done = 0;
  const subjects = await Promise.all(
    chosen.map((facts) =>
      limit(async () => {
        const subject = await openRepository(api, facts, options.ref, selector());
        options.onProgress?.({
          kind: 'repository',
          name: subject.name,
          manifests: subject.tree.manifests.length,
          done: ++done,
          total: chosen.length,
        });
        return subject;
      }),
    ),
  );
  return { subjects, problems, skipped };
}

async function listTargets(
  api: GitHubApi,
  options: GitHubSourceOptions,
  baseUrl: string,
): Promise<RepositoryFacts[]> {
  const all: RepositoryFacts[] = [];
  const owners = [
    ...options.targets.orgs.map((login) => ({ login, kind: 'organisation' as const })),
    ...options.targets.users.map((login) => ({ login, kind: 'user' as const })),
  ];
  for (const { login, kind } of owners) {
    let repositories: RestRepository[];
    try {
      repositories =
        kind === 'organisation'
          ? await api.paginate(api.rest.repos.listForOrg, { org: login, type: 'all', per_page: 100 })
          : await api.paginate(api.rest.repos.listForUser, { username: login, type: 'owner', per_page: 100 });
    } catch (error) {
      throw listingError(error, `${kind} ${login}`, baseUrl);
    }
    options.onProgress?.({ kind: 'listed', owner: login, repositories: repositories.length });
    all.push(...repositories.map((r) => factsOf(r, false)));
  }
  return all;
}

async function namedRepositories(
  api: GitHubApi,
  names: readonly string[],
  problems: Problem[],
): Promise<RepositoryFacts[]> {
  const found: RepositoryFacts[] = [];
  for (const fullName of names) {
    const [owner, repo, extra] = fullName.split('/');
    if (!owner || !repo || extra !== undefined) {
      problems.push({
        severity: 'error',
        code: 'github.repository-name',
        message: `${fullName} is not a repository name: write it OWNER/NAME`,
        subject: fullName,
      });
      continue;
    }
    try {
      const { data } = await api.rest.repos.get({ owner, repo });
      found.push(factsOf(data, true));
    } catch (error) {
      problems.push({ ...repositoryProblem(error, fullName), subject: fullName });
    }
  }
  return found;
}

function factsOf(repo: RestRepository, named: boolean): RepositoryFacts {
  return {
    owner: repo.owner.login,
    name: repo.name,
    fullName: repo.full_name,
    htmlUrl: repo.html_url,
    defaultBranch: repo.default_branch ?? 'main',
    archived: repo.archived ?? false,
    fork: repo.fork,
    pushedAt: repo.pushed_at ?? null,
    license: repo.license?.spdx_id ?? null,
    topics: repo.topics ?? [],
    description: repo.description,
    named,
  };
}

function filterRepositories(
  listed: RepositoryFacts[],
  options: GitHubSourceOptions,
): { kept: RepositoryFacts[]; skipped: GitHubSubjects['skipped'] } {
  const included = nameMatcher(options.include);
  const excluded = nameMatcher(options.exclude);
  const topics = new Set(options.topics ?? []);
  const kept: RepositoryFacts[] = [];
  const skipped: GitHubSubjects['skipped'] = [];
  for (const repo of listed) {
    const reason =
      repo.archived && !options.includeArchived
        ? 'archived'
        : repo.fork && !options.includeForks
          ? 'fork'
          : (included && !included(repo)) || excluded?.(repo)
            ? 'name'
            : topics.size > 0 && !repo.topics.some((t) => topics.has(t))
              ? 'topic'
              : undefined;
    if (reason === undefined) kept.push(repo);
    else skipped.push({ name: repo.fullName, reason });
  }
  skipped.sort((a, b) => compareNames(a.name, b.name));
  return { kept, skipped };
}

function nameMatcher(globs: readonly string[] | undefined): ((repo: RepositoryFacts) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const matchers = globs.map((glob) => ({
    full: glob.includes('/'),
    test: picomatch(glob, { nocase: true }),
  }));
  return (repo) => matchers.some((m) => m.test(m.full ? repo.fullName : repo.name));
}

function inShard(sorted: RepositoryFacts[], shard: GitHubSourceOptions['shard']): RepositoryFacts[] {
  if (!shard) return sorted;
  return sorted.filter((_, position) => position % shard.count === shard.index - 1);
}

function unique(repositories: RepositoryFacts[]): RepositoryFacts[] {
  const byName = new Map<string, RepositoryFacts>();
  for (const repo of repositories) {
    const key = repo.fullName.toLowerCase();
    if (!byName.has(key)) byName.set(key, repo);
  }
  return [...byName.values()].sort((a, b) => compareNames(a.fullName, b.fullName));
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function openRepository(
  api: GitHubApi,
  facts: RepositoryFacts,
  wantedRef: string | undefined,
  selector: ManifestSelector,
): Promise<GitHubSubject> {
  const ref = wantedRef ?? facts.defaultBranch;
  const subject = (headSha: string | null, tree: LocalTree): GitHubSubject => ({
    name: facts.fullName,
    location: facts.htmlUrl,
    headSha,
    defaultBranch: facts.defaultBranch,
    ref,
    archived: facts.archived,
    fork: facts.fork,
    pushedAt: facts.pushedAt,
    license: facts.license,
    topics: facts.topics,
    description: facts.description,
    tree,
  });
  const { owner, name: repo } = facts;
  let headSha: string;
  try {
    headSha = await commitOf(api, owner, repo, ref);
  } catch (error) {
    return subject(
      null,
      unreadTree(facts, [{ ...repositoryProblem(error, facts.fullName, ref), subject: facts.fullName }]),
    );
  }
  try {
    const fetchTree = (sha: string, recursive: boolean) => gitTree(api, owner, repo, sha, recursive);
    const entries = await readWholeTree(fetchTree, headSha, (folder) => selector.pruned(folder));
    const { manifests, excluded } = selector.select(entries);
    return subject(headSha, {
      root: facts.htmlUrl,
      manifests,
      excluded,
      problems: [],
      reader: blobReader(api, facts, headSha, entries, manifests),
    });
  } catch (error) {
    return subject(
      headSha,
      unreadTree(facts, [{ ...repositoryProblem(error, facts.fullName, ref), subject: facts.fullName }]),
    );
  }
}

/** The commit a ref points to: a small revalidated request, so that the tree can be asked for by sha. */
async function commitOf(api: GitHubApi, owner: string, repo: string, ref: string): Promise<string> {
  const { data } = await api.rest.repos.getCommit({ owner, repo, ref, mediaType: { format: 'sha' } });
  const sha = String(data).trim();
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(sha)) {
    throw new GitHubSourceError(
      `GitHub answered ${JSON.stringify(sha.slice(0, 80))} for the commit of ${ref}`,
    );
  }
  return sha;
}

async function gitTree(
  api: GitHubApi,
  owner: string,
  repo: string,
  sha: string,
  recursive: boolean,
): Promise<GitTreeAnswer> {
  const { data } = await api.rest.git.getTree({
    owner,
    repo,
    tree_sha: sha,
    ...(recursive ? { recursive: '1' } : {}),
  });
  const entries: GitTreeEntry[] = [];
  for (const item of data.tree) {
    if (typeof item.path !== 'string' || typeof item.sha !== 'string') continue;
    if (item.type !== 'blob' && item.type !== 'tree' && item.type !== 'commit') continue;
    entries.push({ path: item.path, type: item.type, sha: item.sha, size: item.size });
  }
  return { entries, truncated: data.truncated };
}

function unreadTree(facts: RepositoryFacts, problems: Problem[]): LocalTree {
  return {
    root: facts.htmlUrl,
    manifests: [],
    excluded: [],
    problems,
    reader: {
      read: (path) => Promise.reject(new Error(`${path}: ${facts.fullName} could not be read`)),
      exists: () => Promise.resolve(false),
    },
  };
}

/**
 * Reads files by the blob sha the tree gives them (a sha never changes: cached forever). The manifests
 * are asked for at once, so that the HTTP client's per-host concurrency is used while the ecosystems
 * parse: read one by one, a crawl waited for one blob at a time.
 */
function blobReader(
  api: GitHubApi,
  facts: RepositoryFacts,
  headSha: string,
  entries: GitTreeEntry[],
  prefetch: readonly string[],
): SubjectReader {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const fetched = new Map<string, Promise<string>>();
  const readOnce = (entry: GitTreeEntry): Promise<string> => {
    let content = fetched.get(entry.path);
    if (!content) {
      content = readBlob(api, facts, entry);
      content.catch(() => undefined); // a failure is reported when the file is actually read
      fetched.set(entry.path, content);
    }
    return content;
  };
  for (const path of prefetch) {
    const entry = byPath.get(path);
    if (entry?.type === 'blob' && (entry.size === undefined || entry.size <= MAX_MANIFEST_BYTES))
      readOnce(entry);
  }
  const lookup = (path: string): GitTreeEntry | undefined => {
    const clean = path.replace(/^(\.\/)+/, '');
    if (clean.startsWith('/') || clean.split('/').includes('..')) {
      throw new Error(`${path}: path leaves the repository ${facts.fullName}`);
    }
    return byPath.get(clean);
  };
  return {
    async read(path) {
      const entry = lookup(path);
      if (entry?.type !== 'blob') {
        throw new Error(`${path}: no such file in ${facts.fullName} at ${headSha.slice(0, 12)}`);
      }
      if (entry.size !== undefined && entry.size > MAX_MANIFEST_BYTES) {
        throw new Error(
          `${path}: ${entry.size} bytes is more than the ${MAX_MANIFEST_BYTES} bytes a manifest may have`,
        );
      }
      return readOnce(entry);
    },
    async exists(path) {
      try {
        return lookup(path) !== undefined;
      } catch {
        return false;
      }
    },
  };
}

async function readBlob(api: GitHubApi, facts: RepositoryFacts, entry: GitTreeEntry): Promise<string> {
  const params = { owner: facts.owner, repo: facts.name, file_sha: entry.sha };
  if (entry.size !== undefined && entry.size > RAW_BLOB_BYTES) {
    const { data } = await api.rest.git.getBlob({ ...params, mediaType: { format: 'raw' } });
    const raw: unknown = data;
    if (typeof raw === 'string') return raw;
    if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
    throw new Error(`${entry.path}: GitHub sent no content for blob ${entry.sha}`);
  }
  const { data } = await api.rest.git.getBlob(params);
  if (data.encoding === 'base64') return Buffer.from(data.content, 'base64').toString('utf8');
  if (data.encoding === 'utf-8') return data.content;
  throw new Error(`${entry.path}: blob ${entry.sha} came in an unknown encoding (${data.encoding})`);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The error's message without anything Octokit adds: HttpError messages already name the URL safely. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function repositoryProblem(error: unknown, fullName: string, ref?: string): Problem {
  const status = statusOf(error);
  const at = ref === undefined ? '' : ` at ${ref}`;
  switch (status) {
    case 409:
      return {
        severity: 'warning',
        code: 'github.repository-empty',
        message: `${fullName} is empty (no commit yet): nothing to scan`,
      };
    case 404:
    case 422:
      return {
        severity: 'error',
        code: ref === undefined ? 'github.repository-not-found' : 'github.ref-not-found',
        message:
          ref === undefined
            ? `${fullName}: no such repository, or the token cannot see it (HTTP 404)`
            : `${fullName}: no commit found for ${ref} (HTTP ${status})`,
        hint: ref === undefined ? TOKEN_HINT : 'Check the branch, tag or commit given with --ref.',
      };
    case 401:
    case 403:
      return {
        severity: 'error',
        code: 'github.repository-forbidden',
        message: `${fullName}${at}: access refused (HTTP ${status}): ${firstLine(reasonOf(error))}`,
        hint: TOKEN_HINT,
      };
    case 451:
      return {
        severity: 'error',
        code: 'github.repository-unavailable',
        message: `${fullName} is unavailable for legal reasons (HTTP 451)`,
      };
    default:
      return {
        severity: 'error',
        code: 'github.request-failed',
        message: `${fullName}${at} could not be read: ${firstLine(reasonOf(error))}`,
        hint: 'Try again later; the cache keeps what was already read.',
      };
  }
}

function listingError(error: unknown, target: string, baseUrl: string): Error {
  const status = statusOf(error);
  if (status === 404) return new GitHubTargetNotFoundError(`GitHub ${target} not found at ${baseUrl}`);
  const why = status === 401 ? 'the token was refused (HTTP 401)' : firstLine(reasonOf(error));
  return new GitHubSourceError(`cannot list the repositories of GitHub ${target}: ${why}`);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.slice(0, 300);
}

function noTokenWarning(): Problem {
  return {
    severity: 'warning',
    code: 'github.no-token',
    message: 'no GitHub token: GitHub allows 60 requests an hour without one',
    hint: 'Set GITHUB_TOKEN or GH_TOKEN (a token without any scope reads public repositories).',
  };
}
