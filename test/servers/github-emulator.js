// @ts-check
/**
 * A GitHub API emulator for tests, demos and benchmarks: real HTTP on 127.0.0.1 serving a folder of
 * repositories laid out like ../shared/corpus/github/ (ORG/REPO/repo.json + ORG/REPO/files/PATH), with
 * GitHub's response shapes (typed with @octokit/openapi-types in github-rest.js) and GitHub's behaviours:
 * Link pagination, ETag/304, rate-limit headers and a primary limit, secondary limits with Retry-After,
 * 5xx injection, 404/409, truncated trees, latency, optional required token, and a request log.
 *
 * Plain JavaScript (types in github-emulator.d.ts) so that it runs under vitest and standalone:
 *
 *   node test/servers/github-emulator.js --corpus ../shared/corpus/github --port 8787 \
 *     [--latency MS] [--secondary-every N] [--server-error-every N] [--tree-limit N] [--token T]
 *     [--enterprise 1] [--graphql 0]
 *
 * prints `listening on URL`, then one line per request served.
 *
 * REST: GET /orgs/{org}/repos, /users/{user}/repos, /repos/{o}/{r}, /repos/{o}/{r}/git/trees/{sha}
 * [?recursive=1], /repos/{o}/{r}/git/blobs/{sha}, /repos/{o}/{r}/contents/{path}[?ref=],
 * /repos/{o}/{r}/commits/{ref} (JSON, or the bare sha with `Accept: application/vnd.github.sha`), /rate_limit.
 * GraphQL: POST /graphql (see github-graphql.js).
 * As GitHub Enterprise Server (`enterprise: true`, `--enterprise 1`): REST under /api/v3, GraphQL at
 * POST /api/graphql, and the emulator's `url` ends in /api/v3. `graphql: false` answers 404 to GraphQL, as a
 * server without the GraphQL API does.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from './github-corpus.js';
import {
  basicError,
  commitObject,
  contentDirectory,
  contentFile,
  fullRepository,
  gitBlob,
  gitTree,
  minimalRepository,
  rateLimitOverview,
} from './github-rest.js';

/**
 * @typedef {import('./github-emulator.js').GithubEmulatorOptions} Options
 * @typedef {import('./github-emulator.js').GithubRequestLogEntry} LogEntry
 * @typedef {import('./github-emulator.js').RouteKind} RouteKind
 * @typedef {import('./github-emulator.js').Fault} Fault
 * @typedef {import('./github-corpus.js').GithubCorpus} Corpus
 * @typedef {import('./github-corpus.js').Repo} Repo
 * @typedef {{ limit: number, remaining: number, reset: number, used: number }} Bucket
 * @typedef {{ status: number, headers?: Record<string, string>, body?: Buffer, resource?: 'core' | 'graphql' }} Answer
 * @typedef {{ corpus: Corpus, options: Options, requests: LogEntry[], buckets: Record<'core' | 'graphql', Bucket>,
 *   faults: Map<string, Fault[]>, counter: { served: number }, api: string }} State
 */

const JSON_TYPE = 'application/json; charset=utf-8';
const RAW_TYPES = ['application/vnd.github.raw', 'application/vnd.github.v3.raw'];
const SHA_TYPES = ['application/vnd.github.sha', 'application/vnd.github.v3.sha'];
const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';
const DOCS = {
  rateLimit: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  secondary: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  repos: 'https://docs.github.com/rest/repos/repos',
  trees: 'https://docs.github.com/rest/git/trees#get-a-tree',
  blobs: 'https://docs.github.com/rest/git/blobs#get-a-blob',
  contents: 'https://docs.github.com/rest/repos/contents#get-repository-content',
  commits: 'https://docs.github.com/rest/commits/commits#get-a-commit',
};
const MAX_BODY = 1_000_000;
/** Where GitHub Enterprise Server serves the REST API and GraphQL. */
const ENTERPRISE_REST = '/api/v3';
const ENTERPRISE_GRAPHQL = '/api/graphql';

/** @param {Options} options @returns {Promise<import('./github-emulator.js').GithubEmulator>} */
export async function startGithubEmulator(options) {
  const corpus = await loadCorpus(options.corpus);
  /** @type {LogEntry[]} */
  const requests = [];
  const windowSeconds = options.rateLimit?.windowSeconds ?? 3600;
  const reset = Math.floor(Date.now() / 1000) + windowSeconds;
  /** @type {State} */
  const state = {
    corpus,
    options,
    requests,
    buckets: {
      core: { limit: options.rateLimit?.limit ?? 5000, remaining: 0, reset, used: 0 },
      graphql: { limit: options.rateLimit?.graphqlLimit ?? 5000, remaining: 0, reset, used: 0 },
    },
    faults: new Map(Object.entries(options.faults ?? {}).map(([key, list]) => [key, [...list]])),
    counter: { served: 0 },
    api: '',
  };
  for (const bucket of Object.values(state.buckets)) bucket.remaining = bucket.limit;
  const server = createServer((req, res) => {
    serve(req, res, state).catch((error) => {
      if (!res.headersSent) send(res, { status: 500, body: json(basicError(String(error), 500)) });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  state.api = `http://${host}:${address.port}${options.enterprise ? ENTERPRISE_REST : ''}`;
  return {
    url: state.api,
    port: address.port,
    requests,
    count: (kind) => requests.filter((r) => kind === undefined || r.kind === kind).length,
    counts: () => {
      /** @type {Partial<Record<RouteKind, number>>} */
      const counts = {};
      for (const r of requests) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
      return counts;
    },
    rateLimit: (resource = 'core') => ({ ...state.buckets[resource] }),
    moveHead: (fullName, sha) => corpus.moveHead(fullName, sha),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {State} state
 */
async function serve(req, res, state) {
  const started = performance.now();
  const received = new URL(req.url ?? '/', state.api);
  const target = apiTarget(received, state.options.enterprise === true);
  const kind = target ? routeKind(req.method ?? 'GET', target.pathname) : 'other';
  /** @type {LogEntry} */
  const entry = {
    method: req.method ?? 'GET',
    path: received.pathname + received.search,
    kind,
    authorization: req.headers.authorization !== undefined,
    status: 0,
    ms: 0,
  };
  if (req.headers['if-none-match'] !== undefined) entry.ifNoneMatch = String(req.headers['if-none-match']);
  state.requests.push(entry);
  const body = req.method === 'POST' ? await readBody(req) : undefined;
  if (state.options.latencyMs) await sleep(state.options.latencyMs);
  const answer = target ? await answerFor(req, target, kind, body, state, entry) : notFound();
  entry.status = answer.status;
  send(res, answer, req.method === 'HEAD');
  entry.ms = Math.round((performance.now() - started) * 10) / 10;
  state.options.onRequest?.(entry);
}

/**
 * The request as a path of GitHub.com's API: GitHub Enterprise Server's prefixes taken off (REST under
 * /api/v3, GraphQL at /api/graphql); undefined for a path outside the API.
 * @param {URL} received @param {boolean} enterprise @returns {URL | undefined}
 */
function apiTarget(received, enterprise) {
  if (!enterprise) return received;
  const target = new URL(received.href);
  if (received.pathname === ENTERPRISE_GRAPHQL) target.pathname = '/graphql';
  else if (received.pathname.startsWith(`${ENTERPRISE_REST}/`))
    target.pathname = received.pathname.slice(ENTERPRISE_REST.length);
  else return undefined;
  return target;
}

/**
 * @param {import('node:http').IncomingMessage} req @param {URL} target @param {RouteKind} kind
 * @param {Buffer | undefined} body @param {State} state @param {LogEntry} entry
 * @returns {Promise<Answer>}
 */
async function answerFor(req, target, kind, body, state, entry) {
  const resource = kind === 'graphql' ? 'graphql' : 'core';
  const unauthorized = checkToken(req, state.options.token);
  if (unauthorized) return unauthorized;
  if (kind === 'rate_limit') return withRate(rateLimitAnswer(state), state, undefined);
  const injected = injectedFault(target.pathname, state, entry);
  if (injected) return withRate({ ...injected, resource }, state, undefined);
  const bucket = refill(state.buckets[resource], state.options.rateLimit?.windowSeconds ?? 3600);
  if (bucket.remaining <= 0) {
    entry.fault = 'primary';
    return withRate(primaryLimited(req, resource, state), state, undefined);
  }
  if (kind === 'graphql') {
    if (state.options.graphql === false) return withRate({ ...notFound(), resource }, state, bucket);
    const { answerGraphql } = await import('./github-graphql.js');
    const answer = await answerGraphql(body, state.corpus, bucket);
    const cost = answer.headers?.['x-emulator-cost'];
    const nodes = answer.headers?.['x-emulator-nodes'];
    if (cost !== undefined && nodes !== undefined)
      entry.graphql = { cost: Number(cost), nodes: Number(nodes) };
    return withRate({ ...answer, resource }, state, bucket);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return withRate({ status: 404, body: json(basicError('Not Found', 404)), resource }, state, bucket);
  }
  const answer = await restAnswer(req, target, kind, state);
  const tagged = withEtag(answer, req.headers['if-none-match']);
  // A 304 costs nothing on GitHub: the conditional request is free.
  return withRate({ ...tagged, resource }, state, tagged.status === 304 ? undefined : bucket);
}

/** @param {string} method @param {string} pathname @returns {RouteKind} */
export function routeKind(method, pathname) {
  if (method === 'POST' && pathname === '/graphql') return 'graphql';
  if (pathname === '/rate_limit') return 'rate_limit';
  if (/^\/(orgs|users)\/[^/]+\/repos$/.test(pathname)) return 'listing';
  if (/^\/repos\/[^/]+\/[^/]+$/.test(pathname)) return 'repository';
  if (/^\/repos\/[^/]+\/[^/]+\/git\/trees\/.+$/.test(pathname)) return 'tree';
  if (/^\/repos\/[^/]+\/[^/]+\/git\/blobs\/[^/]+$/.test(pathname)) return 'blob';
  if (/^\/repos\/[^/]+\/[^/]+\/contents(\/.*)?$/.test(pathname)) return 'contents';
  if (/^\/repos\/[^/]+\/[^/]+\/commits\/.+$/.test(pathname)) return 'commit';
  return 'other';
}

/**
 * @param {import('node:http').IncomingMessage} req @param {URL} target @param {RouteKind} kind @param {State} state
 * @returns {Promise<Answer>}
 */
async function restAnswer(req, target, kind, state) {
  const segments = target.pathname.split('/').slice(1).map(decodeSegment);
  if (segments.some((s) => s === undefined)) return notFound();
  const parts = /** @type {string[]} */ (segments);
  switch (kind) {
    case 'listing':
      return listing(target, parts[0] === 'orgs' ? 'org' : 'user', parts[1] ?? '', state);
    case 'repository':
    case 'tree':
    case 'blob':
    case 'contents':
    case 'commit': {
      const repo = state.corpus.repo(parts[1] ?? '', parts[2] ?? '');
      if (!repo) return notFound(DOCS.repos);
      if (kind === 'repository') return ok(fullRepository(state.api, repo));
      if (repo.headSha === null) return emptyRepository(kind);
      if (kind === 'tree') return tree(repo, parts.slice(5).join('/'), target, state);
      if (kind === 'blob') return blob(req, repo, parts[5] ?? '', state);
      if (kind === 'commit') return commit(req, repo, parts.slice(4).join('/'), state);
      return contents(req, repo, parts.slice(4).join('/'), target, state);
    }
    default:
      return notFound();
  }
}

/**
 * @param {URL} target @param {'org' | 'user'} ownerKind @param {string} owner @param {State} state
 * @returns {Answer}
 */
function listing(target, ownerKind, owner, state) {
  const all = state.corpus.reposOf(owner);
  if (!all) return notFound(DOCS.repos);
  const query = target.searchParams;
  const type = query.get('type') ?? (ownerKind === 'org' ? 'all' : 'owner');
  const perPage = clamp(Number(query.get('per_page') ?? 30), 1, 100, 30);
  const page = clamp(Number(query.get('page') ?? 1), 1, Number.MAX_SAFE_INTEGER, 1);
  const sort = query.get('sort') ?? (ownerKind === 'org' ? 'created' : 'full_name');
  const direction = query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc');
  const chosen = all.filter((r) => matchesType(r, type)).sort(comparator(sort, direction));
  const last = Math.max(1, Math.ceil(chosen.length / perPage));
  const slice = chosen.slice((page - 1) * perPage, page * perPage);
  const answer = ok(slice.map((r) => minimalRepository(state.api, r)));
  const link = linkHeader(state.api, target, page, last);
  if (link) answer.headers = { ...answer.headers, link };
  return answer;
}

/** @param {Repo} repo @param {string} type */
function matchesType(repo, type) {
  switch (type) {
    case 'public':
      return repo.visibility === 'public';
    case 'private':
      return repo.visibility !== 'public';
    case 'forks':
      return repo.fork;
    case 'sources':
      return !repo.fork;
    default:
      return true;
  }
}

/** @param {string} sort @param {string} direction @returns {(a: Repo, b: Repo) => number} */
function comparator(sort, direction) {
  /** @param {Repo} r */
  const key = (r) =>
    sort === 'pushed'
      ? (r.pushedAt ?? '')
      : sort === 'created'
        ? r.createdAt
        : sort === 'updated'
          ? (r.pushedAt ?? r.createdAt)
          : r.fullName.toLowerCase();
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -sign : sign;
    return a.fullName < b.fullName ? -1 : 1;
  };
}

/** GitHub's Link header: next/last while there is a next page, first/prev after the first. @param {string} api @param {URL} target @param {number} page @param {number} last */
function linkHeader(api, target, page, last) {
  /** @param {number} n */
  const at = (n) => {
    const url = new URL(`${api}${target.pathname}${target.search}`);
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  const links = [];
  if (page > 1) links.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.join(', ');
}

/** @param {Repo} repo @param {string} treeish @param {URL} target @param {State} state @returns {Answer} */
function tree(repo, treeish, target, state) {
  const folder = state.corpus.resolveTree(repo, treeish);
  if (folder === undefined) return notFound(DOCS.trees);
  const sha = folder === '' ? /** @type {string} */ (repo.rootTreeSha) : treeish;
  const recursive = target.searchParams.has('recursive');
  const limit = state.options.treeEntryLimit ?? 100_000;
  return ok(gitTree(state.api, repo, folder, sha, recursive, limit));
}

/** @param {import('node:http').IncomingMessage} req @param {Repo} repo @param {string} sha @param {State} state @returns {Promise<Answer>} */
async function blob(req, repo, sha, state) {
  const entry = repo.blobs.get(sha);
  // A blob of the tree whose bytes the corpus did not capture (not a manifest) is answered 404 too.
  const bytes = entry && (await state.corpus.fileBytes(repo, entry.path));
  if (!entry || !bytes) return notFound(DOCS.blobs);
  if (wantsRaw(req)) return rawAnswer(bytes);
  return ok(gitBlob(state.api, repo, entry, bytes));
}

/**
 * @param {import('node:http').IncomingMessage} req @param {Repo} repo @param {string} filePath @param {URL} target @param {State} state
 * @returns {Promise<Answer>}
 */
async function contents(req, repo, filePath, target, state) {
  const ref = target.searchParams.get('ref') ?? repo.defaultBranch;
  if (state.corpus.resolveTree(repo, ref) !== '') {
    return { status: 404, body: json(basicError(`No commit found for the ref ${ref}`, 404, DOCS.contents)) };
  }
  const clean = filePath.replace(/^\/+|\/+$/g, '');
  if (clean === '') return ok(contentDirectory(state.api, repo, ref, repo.children.get('') ?? []));
  const entry = repo.byPath.get(clean);
  if (!entry) return notFound(DOCS.contents);
  if (entry.type === 'tree')
    return ok(contentDirectory(state.api, repo, ref, repo.children.get(clean) ?? []));
  const bytes = entry.type === 'blob' ? await state.corpus.fileBytes(repo, entry.path) : undefined;
  if (!bytes) return notFound(DOCS.contents);
  if (wantsRaw(req)) return rawAnswer(bytes);
  return ok(contentFile(state.api, repo, ref, entry, bytes));
}

/**
 * GitHub's "get a commit": the commit object, or with the sha media type the bare sha (the cheap way
 * to learn whether a branch moved, revalidated with its ETag).
 * @param {import('node:http').IncomingMessage} req @param {Repo} repo @param {string} ref @param {State} state
 * @returns {Answer}
 */
function commit(req, repo, ref, state) {
  const sha = state.corpus.resolveCommit(repo, ref);
  if (sha === undefined) {
    return { status: 422, body: json(basicError(`No commit found for SHA: ${ref}`, 422, DOCS.commits)) };
  }
  const accept = String(req.headers.accept ?? '');
  if (SHA_TYPES.some((type) => accept.includes(type))) {
    return {
      status: 200,
      headers: {
        'content-type': 'application/vnd.github.sha; charset=utf-8',
        'x-github-media-type': 'github.v3; param=sha',
      },
      body: Buffer.from(sha),
    };
  }
  return ok(commitObject(state.api, repo, sha, /** @type {string} */ (repo.rootTreeSha)));
}

/** @param {RouteKind} kind @returns {Answer} */
function emptyRepository(kind) {
  const doc =
    kind === 'tree'
      ? DOCS.trees
      : kind === 'blob'
        ? DOCS.blobs
        : kind === 'commit'
          ? DOCS.commits
          : DOCS.contents;
  // GitHub answers 404 "This repository is empty." for contents, and 409 for the git database.
  if (kind === 'contents')
    return { status: 404, body: json(basicError('This repository is empty.', 404, doc)) };
  return { status: 409, body: json(basicError('Git Repository is empty.', 409, doc)) };
}

/** @param {State} state @returns {Answer} */
function rateLimitAnswer(state) {
  const windowSeconds = state.options.rateLimit?.windowSeconds ?? 3600;
  const core = refill(state.buckets.core, windowSeconds);
  const graphql = refill(state.buckets.graphql, windowSeconds);
  return { ...ok(rateLimitOverview({ core: { ...core }, graphql: { ...graphql } })), resource: 'core' };
}

/** @param {import('node:http').IncomingMessage} req @param {'core' | 'graphql'} resource @param {State} state @returns {Answer} */
function primaryLimited(req, resource, state) {
  const who = req.headers.authorization ? 'user ID 1' : '127.0.0.1';
  const message = `API rate limit exceeded for ${who}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
  if (resource === 'graphql') {
    return { status: 200, resource, body: json({ errors: [{ type: 'RATE_LIMITED', message }] }) };
  }
  const status = state.options.rateLimit?.status ?? 403;
  return { status, resource, body: json(basicError(message, status, DOCS.rateLimit)) };
}

/** @param {string} pathname @param {State} state @param {LogEntry} entry @returns {Answer | undefined} */
function injectedFault(pathname, state, entry) {
  const planned = state.faults.get(pathname)?.shift();
  if (planned) {
    entry.fault = 'injected';
    /** @type {Record<string, string>} */
    const headers = {};
    if (planned.retryAfter !== undefined) headers['retry-after'] = String(planned.retryAfter);
    const message = planned.message ?? `injected ${planned.status}`;
    return { status: planned.status, headers, body: json(basicError(message, planned.status)) };
  }
  const served = ++state.counter.served;
  const { secondaryEvery, serverErrorEvery } = state.options;
  if (secondaryEvery && served % secondaryEvery === 0) {
    entry.fault = 'secondary';
    const status = state.options.secondaryStatus ?? 403;
    return {
      status,
      headers: { 'retry-after': String(state.options.secondaryRetryAfter ?? 1) },
      body: json(basicError(SECONDARY_MESSAGE, status, DOCS.secondary)),
    };
  }
  if (serverErrorEvery && served % serverErrorEvery === 0) {
    entry.fault = 'server-error';
    const status = state.options.serverErrorStatus ?? 502;
    return { status, body: json(basicError('Server Error', status)) };
  }
  return undefined;
}

/** @param {import('node:http').IncomingMessage} req @param {string | undefined} token @returns {Answer | undefined} */
function checkToken(req, token) {
  if (token === undefined) return undefined;
  const header = req.headers.authorization;
  if (header === undefined) return { status: 401, body: json(basicError('Requires authentication', 401)) };
  const [scheme, value] = header.split(/\s+/, 2);
  if (/^(token|bearer)$/i.test(scheme ?? '') && value === token) return undefined;
  return { status: 401, body: json(basicError('Bad credentials', 401)) };
}

/** @param {Bucket} bucket @param {number} windowSeconds */
function refill(bucket, windowSeconds) {
  const now = Math.floor(Date.now() / 1000);
  if (now >= bucket.reset) {
    bucket.remaining = bucket.limit;
    bucket.used = 0;
    bucket.reset = now + windowSeconds;
  }
  return bucket;
}

/**
 * Adds GitHub's rate-limit headers; spends one request (or the GraphQL cost) from `spend` when given.
 * @param {Answer} answer @param {State} state @param {Bucket | undefined} spend @returns {Answer}
 */
function withRate(answer, state, spend) {
  const resource = answer.resource ?? 'core';
  const bucket = state.buckets[resource];
  if (spend) {
    const cost = Number(answer.headers?.['x-emulator-cost'] ?? 1);
    spend.remaining = Math.max(0, spend.remaining - cost);
    spend.used += cost;
  }
  const headers = { ...answer.headers };
  delete headers['x-emulator-cost'];
  delete headers['x-emulator-nodes'];
  return {
    ...answer,
    headers: {
      ...headers,
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-remaining': String(bucket.remaining),
      'x-ratelimit-reset': String(bucket.reset),
      'x-ratelimit-used': String(bucket.used),
      'x-ratelimit-resource': resource,
    },
  };
}

/** @param {Answer} answer @param {string | string[] | undefined} ifNoneMatch @returns {Answer} */
function withEtag(answer, ifNoneMatch) {
  if (answer.status !== 200 || !answer.body) return answer;
  const etag = `W/"${createHash('sha256').update(answer.body).digest('hex')}"`;
  const headers = { ...answer.headers, etag };
  if (typeof ifNoneMatch === 'string' && matches(ifNoneMatch, etag)) return { status: 304, headers };
  return { ...answer, headers };
}

/** If-None-Match uses the weak comparison. @param {string} ifNoneMatch @param {string} etag */
function matches(ifNoneMatch, etag) {
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === bare);
}

/** @param {import('node:http').IncomingMessage} req */
function wantsRaw(req) {
  const accept = String(req.headers.accept ?? '');
  return RAW_TYPES.some((type) => accept.includes(type));
}

/** @param {Buffer} bytes @returns {Answer} */
function rawAnswer(bytes) {
  return {
    status: 200,
    headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' },
    body: bytes,
  };
}

/** @param {unknown} value @returns {Answer} */
function ok(value) {
  return { status: 200, body: json(value) };
}

/** @param {string} [doc] @returns {Answer} */
function notFound(doc) {
  return { status: 404, body: json(basicError('Not Found', 404, doc)) };
}

/**
 * @param {import('node:http').ServerResponse} res @param {Answer} answer @param {boolean} [headOnly]
 */
function send(res, answer, headOnly = false) {
  /** @type {Record<string, string>} */
  const headers = {
    'content-type': JSON_TYPE,
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': createHash('sha1')
      .update(String(performance.now()))
      .digest('hex')
      .slice(0, 20)
      .toUpperCase(),
    ...answer.headers,
  };
  if (answer.body && answer.status !== 304) headers['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, headers);
  res.end(headOnly || answer.status === 304 ? undefined : answer.body);
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<Buffer>} */
async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** @param {string} segment @returns {string | undefined} */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** @param {number} value @param {number} min @param {number} max @param {number} fallback */
function clamp(value, min, max, fallback) {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** @param {unknown} value @returns {Buffer} */
export function json(value) {
  return Buffer.from(JSON.stringify(value));
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag?.startsWith('--') || value === undefined) throw new Error(`unexpected argument ${flag}`);
    args[flag.slice(2)] = value;
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const here = path.dirname(fileURLToPath(import.meta.url));
  /** @param {string} name */
  const num = (name) => (args[name] === undefined ? undefined : Number(args[name]));
  const emulator = await startGithubEmulator({
    corpus: args.corpus ?? path.resolve(here, '../../../shared/corpus/github'),
    port: num('port') ?? 0,
    latencyMs: num('latency'),
    secondaryEvery: num('secondary-every'),
    serverErrorEvery: num('server-error-every'),
    treeEntryLimit: num('tree-limit'),
    enterprise: args.enterprise === '1',
    graphql: args.graphql !== '0',
    token: args.token,
    onRequest: (r) =>
      console.log(
        `${r.method} ${r.path} ${r.status} ${r.kind} ${r.ms}ms${r.fault ? ` (${r.fault})` : ''}${r.authorization ? ' (auth)' : ''}`,
      ),
  });
  console.log(`listening on ${emulator.url}`);
  const stop = () => emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(
      'usage: github-emulator.js --corpus DIR [--port N] [--latency MS] [--secondary-every N] [--server-error-every N] [--tree-limit N] [--token T] [--enterprise 1] [--graphql 0]',
    );
    process.exit(2);
  });
}
