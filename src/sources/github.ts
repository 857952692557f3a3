import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import picomatch from 'picomatch';
import type { Problem, RepositoryVisibility } from '../core/model.js';
import type { SubjectReader } from '../ecosystems/types.js';
import { describeDuration } from '../net/retry.js';
import type { HttpClient } from '../net/types.js';
import {
  GraphqlOwnerNotFoundError,
  GraphqlUnavailableError,
  listWithGraphql,
  visibilityOf,
  type GraphqlListing,
  type OwnerTarget,
  type RepositoryFacts,
} from './github-graphql.js';
import {
  createGitHubApi,
  isPrimaryRateLimit,
  PrimaryRateLimit,
  secondsToReset,
  type GitHubApi,
  type RateLimitStatus,
  type RateLimitWait,
} from './github-octokit.js';
import { ManifestSelector, readWholeTree, type GitTreeAnswer, type GitTreeEntry } from './github-tree.js';
import { SubjectNotFoundError, type LocalTree } from './local.js';

export const DEFAULT_GITHUB_URL = 'https://api.github.com';
/** Larger blobs are fetched raw rather than as base64 JSON. */
export const RAW_BLOB_BYTES = 1024 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const REPOSITORIES_AT_ONCE = 16;
const TOKEN_HINT = 'Set GITHUB_TOKEN or GH_TOKEN to a token that can read the repository.';
/** Names a problem lists before "and N more". */
const NAMES_SHOWN = 5;

export interface GitHubTargets {
  orgs: readonly string[];
  users: readonly string[];
  /** `owner/name`. */
  repos: readonly string[];
}

export type GitHubProgress =
  | { kind: 'listed'; owner: string; repositories: number }
  /** GraphQL cannot be used (no token, or the server refused it): listing and HEADs through REST. */
  | { kind: 'rest-fallback'; reason: string }
  | { kind: 'selected'; repositories: number; skipped: number }
  | { kind: 'tree'; name: string }
  | { kind: 'manifest'; name: string; path: string }
  | { kind: 'repository'; name: string; manifests: number; done: number; total: number }
  /** Every repository is read, or the primary rate limit stopped the crawl (`notRead` > 0). */
  | { kind: 'crawled'; repositories: number; notRead: number; stoppedUntil?: number }
  | RateLimitStatus
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
  /**
   * Longest wait for the primary rate limit to reset (default: as long as GitHub says). When GitHub
   * asks for a longer one, the crawl stops with what it has read and a problem says what it has not.
   */
  maxRateLimitWaitMs?: number;
  onProgress?: (event: GitHubProgress) => void;
  /** The clock, epoch ms (tests). */
  now?: () => number;
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
  visibility?: RepositoryVisibility;
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
  visibility?: string;
}

/** One crawl: the API, its primary rate limit, the options, and where problems go. */
interface Crawl {
  api: GitHubApi;
  limit: PrimaryRateLimit;
  options: GitHubSourceOptions;
  baseUrl: string;
  problems: Problem[];
  now: () => number;
}

interface Listing {
  listed: RepositoryFacts[];
  named: RepositoryFacts[];
  /** Owners and named repositories the primary rate limit left unlisted. */
  unlisted: string[];
}

/**
 * Lists the repositories of the targets, filters them, and opens each one (concurrently) as a subject
 * the pipeline scans like a local folder: its tree read from the HEAD commit of the ref, its manifests
 * read by blob sha. The listing and every repository's HEAD come from batched GraphQL queries (REST
 * without a token or where GraphQL is refused). Throws GitHubTargetNotFoundError for a missing
 * organisation or user and GitHubSourceError when a listing fails; a repository that cannot be read is a
 * problem on its subject. When the primary rate limit asks for a longer wait than `maxRateLimitWaitMs`,
 * the crawl stops: the repositories read so far are the subjects, and a problem counts the others.
 */
export async function openGitHubSubjects(options: GitHubSourceOptions): Promise<GitHubSubjects> {
  const baseUrl = (options.baseUrl ?? DEFAULT_GITHUB_URL).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const limit = new PrimaryRateLimit({
    maxWaitMs: options.maxRateLimitWaitMs ?? Number.POSITIVE_INFINITY,
    now,
    onWait: options.onProgress,
  });
  const api = createGitHubApi({
    baseUrl,
    token: options.token,
    client: options.client,
    primaryLimit: limit,
    onWait: options.onProgress,
    onRateLimit: options.onProgress,
    now,
  });
  const crawl: Crawl = { api, limit, options, baseUrl, problems: [], now };
  if (!options.token) crawl.problems.push(noTokenWarning());

  const listing = await listRepositories(crawl);
  const { kept, skipped } = filterRepositories(listing.listed, options);
  const chosen = inShard(unique([...kept, ...listing.named]), options.shard);
  options.onProgress?.({ kind: 'selected', repositories: chosen.length, skipped: skipped.length });

  const { subjects, notRead } = await openRepositories(crawl, chosen);
  const stoppedUntil = limit.stoppedUntil;
  options.onProgress?.({
    kind: 'crawled',
    repositories: subjects.length,
    notRead: notRead.length,
    ...(stoppedUntil === undefined ? {} : { stoppedUntil }),
  });
  if (stoppedUntil !== undefined) {
    crawl.problems.push(rateLimitStop(stoppedUntil, notRead, listing.unlisted, options.maxRateLimitWaitMs));
  }
  return { subjects, problems: crawl.problems, skipped };
}

/** Opens the repositories, REPOSITORIES_AT_ONCE at a time, until the primary rate limit stops the crawl. */
async function openRepositories(
  crawl: Crawl,
  chosen: readonly RepositoryFacts[],
): Promise<{ subjects: GitHubSubject[]; notRead: string[] }> {
  const { options } = crawl;
  const limit = pLimit(REPOSITORIES_AT_ONCE);
  let done = 0;
  const opened = await Promise.all(
    chosen.map((facts) =>
      limit(async () => {
        if (crawl.limit.stoppedUntil !== undefined) return undefined;
        const subject = await openRepository(crawl, facts, new ManifestSelector(options));
        if (!subject) return undefined;
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
  const subjects = opened.filter((s): s is GitHubSubject => s !== undefined);
  const notRead = chosen.filter((_, i) => opened[i] === undefined).map((f) => f.fullName);
  return { subjects, notRead };
}

/** GraphQL when there is a token (GitHub's GraphQL API needs one) and the server serves it; else REST. */
async function listRepositories(crawl: Crawl): Promise<Listing> {
  const { options } = crawl;
  const owners: OwnerTarget[] = [
    ...options.targets.orgs.map((login) => ({ login, kind: 'organisation' as const })),
    ...options.targets.users.map((login) => ({ login, kind: 'user' as const })),
  ];
  const named = parseNames(options.targets.repos, crawl.problems);
  if (!options.token) {
    options.onProgress?.({ kind: 'rest-fallback', reason: 'GitHub answers GraphQL only with a token' });
    return listWithRest(crawl, owners, named);
  }
  const gathered: GraphqlListing = { repositories: [], listed: [], problems: [] };
  try {
    await listWithGraphql(
      crawl.api,
      owners,
      named,
      options.ref,
      gathered,
      (owner, repositories) => options.onProgress?.({ kind: 'listed', owner, repositories }),
      throttlingMissesGraphql(crawl.api) ? (error) => waitForReset(crawl, error) : undefined,
    );
  } catch (error) {
    if (error instanceof GraphqlOwnerNotFoundError) {
      throw new GitHubTargetNotFoundError(
        `GitHub ${error.owner.kind === 'user' ? 'user' : 'organisation'} ${error.owner.login} not found at ${crawl.baseUrl}`,
      );
    }
    if (error instanceof GraphqlUnavailableError) {
      options.onProgress?.({ kind: 'rest-fallback', reason: error.message });
      return listWithRest(crawl, owners, named);
    }
    if (!stoppedBy(crawl, error)) throw listingError(error, describeTargets(owners, named), crawl.baseUrl);
    crawl.problems.push(...gathered.problems);
    const listedOwners = new Set(gathered.listed.map((l) => l.owner));
    const seen = new Set(gathered.repositories.map((r) => r.fullName.toLowerCase()));
    const unlisted = [
      ...owners.filter((o) => !listedOwners.has(o.login)).map((o) => o.login),
      ...named.map((n) => `${n.owner}/${n.name}`).filter((n) => !seen.has(n.toLowerCase())),
    ];
    return { ...splitNamed(gathered.repositories), unlisted };
  }
  crawl.problems.push(...gathered.problems);
  return { ...splitNamed(gathered.repositories), unlisted: [] };
}

/**
 * Octokit's throttling recognises GraphQL by a path starting with /graphql: GitHub Enterprise Server's
 * /api/graphql escapes it, so its RATE_LIMITED answers are waited out here instead.
 */
function throttlingMissesGraphql(api: GitHubApi): boolean {
  const baseUrl = String(api.request.endpoint.DEFAULTS.baseUrl ?? '');
  return /\/api\/v3\/?$/.test(baseUrl);
}

/** Waits for the primary limit's reset when the crawl may (true: ask again), else stops it (false). */
async function waitForReset(crawl: Crawl, error: unknown): Promise<boolean> {
  const seconds = secondsToReset(error, crawl.now());
  if (seconds === undefined || !crawl.limit.wait(seconds)) return false;
  await sleep(seconds * 1000);
  return true;
}

function stoppedBy(crawl: Crawl, error: unknown): boolean {
  return crawl.limit.stoppedUntil !== undefined && isPrimaryRateLimit(error);
}

function splitNamed(repositories: RepositoryFacts[]): Omit<Listing, 'unlisted'> {
  return { listed: repositories.filter((r) => !r.named), named: repositories.filter((r) => r.named) };
}

function describeTargets(owners: readonly OwnerTarget[], named: readonly { owner: string; name: string }[]) {
  const parts = [
    ...owners.map((o) => `${o.kind} ${o.login}`),
    ...named.map((n) => `repository ${n.owner}/${n.name}`),
  ];
  return parts.length > 3 ? `${parts.slice(0, 3).join(', ')} and ${parts.length - 3} more` : parts.join(', ');
}

/** OWNER/NAME of each named repository; a malformed name is a problem. */
function parseNames(names: readonly string[], problems: Problem[]): { owner: string; name: string }[] {
  const parsed: { owner: string; name: string }[] = [];
  for (const fullName of names) {
    const [owner, name, extra] = fullName.split('/');
    if (!owner || !name || extra !== undefined) {
      problems.push({
        severity: 'error',
        code: 'github.repository-name',
        message: `${fullName} is not a repository name: write it OWNER/NAME`,
        subject: fullName,
      });
      continue;
    }
    parsed.push({ owner, name });
  }
  return parsed;
}

/** One listing request per 100 repositories of an owner, one request per named repository. */
async function listWithRest(
  crawl: Crawl,
  owners: readonly OwnerTarget[],
  named: readonly { owner: string; name: string }[],
): Promise<Listing> {
  const { api, options } = crawl;
  const listed: RepositoryFacts[] = [];
  const unlisted: string[] = [];
  for (const { login, kind } of owners) {
    if (crawl.limit.stoppedUntil !== undefined) {
      unlisted.push(login);
      continue;
    }
    let repositories: RestRepository[];
    try {
      repositories =
        kind === 'organisation'
          ? await api.paginate(api.rest.repos.listForOrg, { org: login, type: 'all', per_page: 100 })
          : await api.paginate(api.rest.repos.listForUser, { username: login, type: 'owner', per_page: 100 });
    } catch (error) {
      if (stoppedBy(crawl, error)) {
        unlisted.push(login);
        continue;
      }
      throw listingError(error, `${kind} ${login}`, crawl.baseUrl);
    }
    options.onProgress?.({ kind: 'listed', owner: login, repositories: repositories.length });
    listed.push(...repositories.map((r) => factsOf(r, false)));
  }
  const found: RepositoryFacts[] = [];
  for (const { owner, name } of named) {
    const fullName = `${owner}/${name}`;
    if (crawl.limit.stoppedUntil !== undefined) {
      unlisted.push(fullName);
      continue;
    }
    try {
      const { data } = await api.rest.repos.get({ owner, repo: name });
      found.push(factsOf(data, true));
    } catch (error) {
      if (stoppedBy(crawl, error)) unlisted.push(fullName);
      else crawl.problems.push({ ...repositoryProblem(error, fullName), subject: fullName });
    }
  }
  return { listed, named: found, unlisted };
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
    ...visibilityOf(repo.visibility),
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

/**
 * The repository as a subject: its tree read at the commit of the ref (known from the listing, else asked
 * for), its manifests fetched. Undefined when the primary rate limit stopped the crawl before the
 * repository was wholly read.
 */
async function openRepository(
  crawl: Crawl,
  facts: RepositoryFacts,
  selector: ManifestSelector,
): Promise<GitHubSubject | undefined> {
  const { api } = crawl;
  const ref = crawl.options.ref ?? facts.defaultBranch;
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
    ...(facts.visibility ? { visibility: facts.visibility } : {}),
    tree,
  });
  const unread = (headSha: string | null, problem: Problem) =>
    subject(headSha, unreadTree(facts, [{ ...problem, subject: facts.fullName }]));
  const { owner, name: repo } = facts;
  const known = facts.commit;
  if (known?.kind === 'empty') return unread(null, emptyRepository(facts.fullName));
  if (known?.kind === 'no-ref') return unread(null, refNotFound(facts.fullName, ref));
  let headSha: string;
  try {
    headSha = known?.kind === 'commit' ? known.oid : await commitOf(api, owner, repo, ref);
  } catch (error) {
    if (stoppedBy(crawl, error)) return undefined;
    return unread(null, repositoryProblem(error, facts.fullName, ref));
  }
  try {
    const fetchTree = (sha: string, recursive: boolean) => gitTree(api, owner, repo, sha, recursive);
    const entries = await readWholeTree(fetchTree, headSha, (folder) => selector.pruned(folder));
    crawl.options.onProgress?.({ kind: 'tree', name: facts.fullName });
    const { manifests, excluded, licenseFiles } = selector.select(entries);
    const manifestSet = new Set(manifests);
    const onFetched = (path: string) => {
      if (manifestSet.has(path)) crawl.options.onProgress?.({ kind: 'manifest', name: facts.fullName, path });
    };
    // The license files are read with the manifests, so that the crawl is over when this resolves (the
    // license detection reads none over 1 MB).
    const licenses = licenseFiles.filter((l) => l.size === undefined || l.size <= RAW_BLOB_BYTES);
    const prefetch = [...manifests, ...licenses.map((l) => l.path)];
    const { reader, prefetched } = blobReader(api, facts, headSha, entries, prefetch, onFetched);
    // Read whole or not at all: a repository half read when the rate limit stops the crawl is left out.
    const failures = (await prefetched).filter((r) => r.status === 'rejected');
    if (failures.some((f) => stoppedBy(crawl, f.reason))) return undefined;
    return subject(headSha, {
      root: facts.htmlUrl,
      manifests,
      licenseFiles,
      excluded,
      problems: [],
      reader,
    });
  } catch (error) {
    if (stoppedBy(crawl, error)) return undefined;
    return unread(headSha, repositoryProblem(error, facts.fullName, ref));
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
 * Reads files by the blob sha the tree gives them (a sha never changes: cached forever). The files of
 * `prefetch` (manifests, license files) are asked for at once (`prefetched` settles when they are all
 * answered), so that the HTTP client's per-host concurrency is used: read one by one, a crawl waited for
 * one blob at a time.
 */
function blobReader(
  api: GitHubApi,
  facts: RepositoryFacts,
  headSha: string,
  entries: GitTreeEntry[],
  prefetch: readonly string[],
  onFetched: (path: string) => void,
): { reader: SubjectReader; prefetched: Promise<PromiseSettledResult<string>[]> } {
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
  const early: Promise<string>[] = [];
  for (const path of prefetch) {
    const entry = byPath.get(path);
    if (entry?.type !== 'blob' || (entry.size !== undefined && entry.size > MAX_MANIFEST_BYTES)) continue;
    const content = readOnce(entry);
    early.push(content);
    content.then(
      () => onFetched(path),
      () => undefined,
    );
  }
  const lookup = (path: string): GitTreeEntry | undefined => {
    const clean = path.replace(/^(\.\/)+/, '');
    if (clean.startsWith('/') || clean.split('/').includes('..')) {
      throw new Error(`${path}: path leaves the repository ${facts.fullName}`);
    }
    return byPath.get(clean);
  };
  const reader: SubjectReader = {
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
  return { reader, prefetched: Promise.allSettled(early) };
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

function emptyRepository(fullName: string): Problem {
  return {
    severity: 'warning',
    code: 'github.repository-empty',
    message: `${fullName} is empty (no commit yet): nothing to scan`,
  };
}

function refNotFound(fullName: string, ref: string, status?: number): Problem {
  return {
    severity: 'error',
    code: 'github.ref-not-found',
    message: `${fullName}: no commit found for ${ref}${status === undefined ? '' : ` (HTTP ${status})`}`,
    hint: 'Check the branch, tag or commit given with --ref.',
  };
}

/**
 * The crawl stopped by the primary rate limit: when it resets, and what was not read. The reset is
 * written as an ISO time, so that a CI log says when to run again.
 */
function rateLimitStop(
  resetAt: number,
  notRead: readonly string[],
  unlisted: readonly string[],
  maxWaitMs: number | undefined,
): Problem {
  const reset = new Date(resetAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const allowed = maxWaitMs === undefined ? '' : ` (at most ${describeDuration(maxWaitMs)})`;
  const parts = [
    `${notRead.length} ${notRead.length === 1 ? 'repository was' : 'repositories were'} not read${listOf(notRead)}`,
  ];
  if (unlisted.length > 0) parts.push(`not listed: ${listOf(unlisted).replace(/^ \(|\)$/g, '')}`);
  return {
    severity: 'error',
    code: 'github.rate-limit-exceeded',
    message:
      `GitHub's primary rate limit is spent until ${reset}, a longer wait than allowed${allowed}; ` +
      `the crawl stopped: ${parts.join('; ')}`,
    hint:
      'Run again after the reset (what was read is cached: a repository whose HEAD did not move costs no ' +
      'tree and no blob request), or allow a longer wait with --max-wait.',
  };
}

/** ` (a, b, c and 4 more)`, or nothing for an empty list. */
function listOf(names: readonly string[]): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? ` (${shown} and ${names.length - NAMES_SHOWN} more)` : ` (${shown})`;
}

function repositoryProblem(error: unknown, fullName: string, ref?: string): Problem {
  const status = statusOf(error);
  const at = ref === undefined ? '' : ` at ${ref}`;
  switch (status) {
    case 409:
      return emptyRepository(fullName);
    case 404:
    case 422:
      if (ref !== undefined) return refNotFound(fullName, ref, status);
      return {
        severity: 'error',
        code: 'github.repository-not-found',
        message: `${fullName}: no such repository, or the token cannot see it (HTTP 404)`,
        hint: TOKEN_HINT,
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
