import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '@octokit/graphql-schema';
import { parse } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_NAMES } from '../src/ecosystems/index.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import {
  GRAPHQL_PAGE_SIZE,
  listingQuery,
  nextBatch,
  REPOSITORIES_PER_QUERY,
  visibilityOf,
  type Slot,
} from '../src/sources/github-graphql.js';
import {
  openGitHubSubjects,
  type GitHubProgress,
  type GitHubSourceOptions,
  type GitHubSubjects,
} from '../src/sources/github.js';
import { DEFAULT_EXCLUDES } from '../src/sources/local.js';
import {
  startGithubEmulator,
  type GithubEmulator,
  type GithubEmulatorOptions,
} from './servers/github-emulator.js';
import { NODE_LIMIT, queryCost, queryNodeCount } from './servers/github-graphql.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../fixtures/github');
const corpus = path.resolve(here, '../../shared/corpus/github');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.warn('skipping: ../shared/corpus is absent');
const TOKEN = 'fixture-graphql-token-not-a-real-one';
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

let cacheDir: string;
const clients: ClosableHttpClient[] = [];

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-gh-graphql-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await rm(cacheDir, { recursive: true, force: true });
});

async function withGithub<T>(
  options: Partial<GithubEmulatorOptions>,
  run: (emulator: GithubEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startGithubEmulator({ corpus: fixtures, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

function open(emulator: GithubEmulator, options: Partial<GitHubSourceOptions> = {}): Promise<GitHubSubjects> {
  const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-test', env: {}, random: () => 0 });
  clients.push(client);
  return openGitHubSubjects({
    baseUrl: emulator.url,
    token: TOKEN,
    targets: { orgs: ['demo-org'], users: [], repos: [] },
    manifestNames: MANIFEST_NAMES,
    excludes: DEFAULT_EXCLUDES,
    client,
    ...options,
  });
}

/** Every manifest of every subject with its content, and the problems. */
async function contents(result: GitHubSubjects) {
  const files: Record<string, string> = {};
  for (const s of result.subjects) {
    for (const m of s.tree.manifests) files[`${s.name}/${m}`] = await s.tree.reader.read(m);
  }
  return {
    subjects: result.subjects.map((s) => [s.name, s.headSha, s.tree.problems.map((p) => p.code)]),
    problems: result.problems,
    files,
  };
}

const owners = (n: number): Slot[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'page',
    owner: { login: `org-${i}`, kind: i % 2 ? 'user' : 'organisation' },
    after: null,
    count: 0,
  }));
const repositories = (n: number): Slot[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'repository', owner: 'org', name: `repo-${i}` }));

/** The batch sizes one after the other, as the listing takes them (first pages only). */
function batchSizes(slots: Slot[]): number[] {
  const sizes: number[] = [];
  for (let pending = slots; pending.length > 0;) {
    const batch = nextBatch(pending);
    sizes.push(batch.length);
    pending = pending.slice(batch.length);
  }
  return sizes;
}

describe('GraphQL batches', () => {
  it('holds at most 500 repositories a query: 5 owner pages of 100, or 500 named repositories', () => {
    expect([GRAPHQL_PAGE_SIZE, REPOSITORIES_PER_QUERY]).toEqual([100, 500]);
    expect(batchSizes(owners(12))).toEqual([5, 5, 2]);
    expect(batchSizes(repositories(1234))).toEqual([500, 500, 234]);
    expect(batchSizes([...owners(3), ...repositories(450)])).toEqual([203, 250]);
    expect(batchSizes(repositories(1))).toEqual([1]);
  });

  it('builds queries that GitHub schema accepts, inside its node limit and at 5 points at most', () => {
    const full = [
      nextBatch(owners(7)),
      nextBatch(repositories(600)),
      nextBatch([...owners(2), ...repositories(400)]),
    ];
    const measured = [];
    for (const batch of full) {
      for (const ref of [undefined, 'release-1']) {
        const { query, variables } = listingQuery(batch, ref);
        expect(validate(query)).toEqual([]);
        const document = parse(query);
        measured.push([queryCost(document, variables), queryNodeCount(document, variables)]);
      }
    }
    // 5 pages: 5 x (1 + 100 topic connections) = 505 requests -> 5 points; 5 x (100 + 100 x 20) nodes.
    expect(measured).toEqual([
      [5, 10_500],
      [5, 10_500],
      [5, 10_000],
      [5, 10_000],
      [5, 10_200],
      [5, 10_200],
    ]);
    expect(Math.max(...measured.map(([, nodes]) => nodes!))).toBeLessThan(NODE_LIMIT / 40);
  });

  it('never splices a login, a name, a cursor or a ref into the query text', () => {
    const hostile = '"){ viewer { login } } #';
    const { query, variables } = listingQuery(
      [
        { type: 'page', owner: { login: hostile, kind: 'organisation' }, after: hostile, count: 0 },
        { type: 'repository', owner: hostile, name: hostile },
      ],
      hostile,
    );
    expect(query).not.toContain(hostile);
    expect(Object.values(variables)).toEqual([hostile, hostile, hostile, hostile, hostile]);
    expect(validate(query)).toEqual([]);
  });
});

describe.skipIf(!hasCorpus)('GraphQL over the whole corpus', () => {
  it('lists 6 organisations in 2 queries, and 42 named repositories with them, each inside GitHub limits', async () => {
    const orgs = (await readdir(corpus, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const named: string[] = [];
    for (const org of orgs)
      for (const repo of await readdir(path.join(corpus, org))) named.push(`${org}/${repo}`);
    await withGithub({ corpus }, async (emulator) => {
      const listedFirst = await open(emulator, { targets: { orgs, users: [], repos: [] } });
      const bothWays = await open(emulator, { targets: { orgs, users: [], repos: named } });
      expect(bothWays.subjects.map((s) => s.name)).toEqual(listedFirst.subjects.map((s) => s.name));
      expect(listedFirst.subjects).toHaveLength(42);
      const queries = emulator.requests.filter((r) => r.kind === 'graphql');
      // 6 owners: 5 pages then 1; with the 42 named repositories: 5 pages, then 1 page + 42 repositories.
      expect(queries.map((q) => q.graphql)).toEqual([
        { cost: 5, nodes: 10_500 },
        { cost: 1, nodes: 2_100 },
        { cost: 5, nodes: 10_500 },
        { cost: 1, nodes: 2_940 },
      ]);
      expect(emulator.count()).toBe(queries.length + emulator.count('tree') + emulator.count('blob'));
      expect(emulator.rateLimit('graphql').used).toBe(12);
    });
  });
});

describe('GraphQL under rate limits', () => {
  it('waits out secondary limits (403 and 429 with Retry-After) on the GraphQL endpoint', async () => {
    const clean = await withGithub({}, async (emulator) => contents(await open(emulator)));
    await rm(cacheDir, { recursive: true, force: true });
    const faults = {
      '/graphql': [
        { status: 403, retryAfter: 1, message: SECONDARY },
        { status: 429, retryAfter: 1, message: SECONDARY },
      ],
    };
    await withGithub({ faults }, async (emulator) => {
      const waits: GitHubProgress[] = [];
      const result = await open(emulator, {
        onProgress: (e) => e.kind === 'rate-limit-wait' && waits.push(e),
      });
      expect(await contents(result)).toEqual(clean);
      expect(emulator.requests.filter((r) => r.kind === 'graphql').map((r) => r.status)).toEqual([
        403, 429, 200,
      ]);
      // The 403 is Octokit's throttling (told to onProgress), the 429 the HTTP client's own retry.
      expect(waits).toMatchObject([{ kind: 'rate-limit-wait', limit: 'secondary', seconds: 1 }]);
    });
  }, 20_000);

  it('stops with a problem when the GraphQL points are spent for longer than allowed', async () => {
    await withGithub({ rateLimit: { graphqlLimit: 0 } }, async (emulator) => {
      const result = await open(emulator, { maxRateLimitWaitMs: 60_000 });
      expect(result.subjects).toEqual([]);
      expect(result.problems.map((p) => p.code)).toEqual(['github.rate-limit-exceeded']);
      expect(result.problems[0]!.message).toMatch(
        /^GitHub's primary rate limit is spent until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, a longer wait than allowed \(at most 60 s\); the crawl stopped: 0 repositories were not read; not listed: demo-org$/,
      );
      expect(emulator.requests.map((r) => `${r.status} ${r.kind} ${r.fault}`)).toEqual([
        '200 graphql primary',
      ]);
    });
  });

  it('stops GitHub Enterprise Server GraphQL too, whose path Octokit throttling does not recognise', async () => {
    await withGithub({ enterprise: true, rateLimit: { graphqlLimit: 0 } }, async (emulator) => {
      const result = await open(emulator, { maxRateLimitWaitMs: 0 });
      expect(result.problems.map((p) => p.code)).toEqual(['github.rate-limit-exceeded']);
      expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.fault}`)).toEqual([
        'POST /api/graphql primary',
      ]);
    });
  });
});

describe('repository visibility', () => {
  it('reads the three visibilities GitHub documents, in either case, and nothing else', () => {
    expect(['PUBLIC', 'private', 'INTERNAL', 'secret', null, 3].map((v) => visibilityOf(v))).toEqual([
      { visibility: 'public' },
      { visibility: 'private' },
      { visibility: 'internal' },
      {},
      {},
      {},
    ]);
  });
});
