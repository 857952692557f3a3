import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { fetchOver } from '../src/net/fetch-adapter.js';
import { githubPolicy } from '../src/sources/github-octokit.js';
import {
  GitHubTargetNotFoundError,
  openGitHubSubjects,
  type GitHubSourceOptions,
  type GitHubSubjects,
} from '../src/sources/github.js';
import { DEFAULT_EXCLUDES } from '../src/sources/local.js';
import {
  startGithubEmulator,
  type GithubEmulator,
  type GithubEmulatorOptions,
} from './servers/github-emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const demoOrg = path.resolve(here, '../fixtures/github/demo-org');
const TOKEN = 'fixture-source-token-not-a-real-one';
const manifestNames = new Set(['pom.xml', 'package.json', 'package-lock.json']);

let corpus: string;
let cacheDir: string;
const clients: ClosableHttpClient[] = [];

function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content);
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex');
}

/** demo-org plus a fork holding manifests under node_modules and test fixtures, written here. */
async function writeCorpus(root: string): Promise<void> {
  await cp(demoOrg, path.join(root, 'demo-org'), { recursive: true });
  const files: Record<string, string> = {
    'package.json': '{ "name": "forked-lib", "version": "1.0.0" }\n',
    'test/fixtures/app/package.json': '{ "name": "fixture-app" }\n',
    'node_modules/left-pad/package.json': '{ "name": "left-pad", "version": "1.3.0" }\n',
  };
  const folders = ['node_modules', 'node_modules/left-pad', 'test', 'test/fixtures', 'test/fixtures/app'];
  const tree = [
    ...folders.map((p) => ({ path: p, type: 'tree', size: null, sha: gitBlobSha(`tree ${p}`) })),
    ...Object.entries(files).map(([p, content]) => ({
      path: p,
      type: 'blob',
      size: Buffer.byteLength(content),
      sha: gitBlobSha(content),
    })),
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  const repo = path.join(root, 'demo-org', 'forked-lib');
  for (const [p, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(repo, 'files', p)), { recursive: true });
    await writeFile(path.join(repo, 'files', p), content);
  }
  await writeFile(
    path.join(repo, 'repo.json'),
    JSON.stringify({
      owner: 'demo-org',
      name: 'forked-lib',
      full_name: 'demo-org/forked-lib',
      default_branch: 'trunk',
      head_sha: 'aa11bb22cc33dd44ee55ff6677889900aabbccdd',
      pushed_at: '2024-07-01T00:00:00Z',
      created_at: '2024-06-01T00:00:00Z',
      license_file: null,
      description: 'A fork',
      archived: false,
      fork: true,
      topics: ['java'],
      tree,
    }),
  );
}

async function withGithub<T>(
  options: Partial<GithubEmulatorOptions>,
  run: (emulator: GithubEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startGithubEmulator({ corpus, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

function httpClient(): ClosableHttpClient {
  const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-test', env: {}, random: () => 0 });
  clients.push(client);
  return client;
}

function open(emulator: GithubEmulator, options: Partial<GitHubSourceOptions> = {}): Promise<GitHubSubjects> {
  return openGitHubSubjects({
    baseUrl: emulator.url,
    token: TOKEN,
    targets: { orgs: ['demo-org'], users: [], repos: [] },
    manifestNames,
    excludes: DEFAULT_EXCLUDES,
    client: httpClient(),
    ...options,
  });
}

function summary(result: GitHubSubjects) {
  return result.subjects.map((s) => ({
    name: s.name,
    headSha: s.headSha,
    manifests: s.tree.manifests,
    excluded: s.tree.excluded,
    problems: s.tree.problems.map((p) => p.code),
  }));
}

/** The blobs a crawl fetches: every manifest and license file of its subjects. */
function fetchedFiles(result: GitHubSubjects): number {
  return result.subjects.reduce(
    (n, s) => n + s.tree.manifests.length + (s.tree.licenseFiles?.length ?? 0),
    0,
  );
}

/** The summary, and every manifest's content read through the subject's reader. */
async function contents(result: GitHubSubjects) {
  const files: Record<string, string> = {};
  for (const s of result.subjects) {
    for (const m of s.tree.manifests) files[`${s.name}/${m}`] = await s.tree.reader.read(m);
  }
  return { summary: summary(result), problems: result.problems, files };
}

beforeAll(async () => {
  corpus = await mkdtemp(path.join(tmpdir(), 'oss-inventory-gh-corpus-'));
  await writeCorpus(corpus);
});
afterAll(() => rm(corpus, { recursive: true, force: true }));
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-gh-cache-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await rm(cacheDir, { recursive: true, force: true });
});

describe('openGitHubSubjects on demo-org', () => {
  it('opens each repository with its manifests and metadata, skipping archived repositories and forks', async () => {
    await withGithub({}, async (emulator) => {
      const result = await open(emulator);
      expect(summary(result)).toEqual([
        {
          name: 'demo-org/core-lib',
          headSha: '3b185b5119eb3ed819f0f5c328a4c1556db951af',
          manifests: ['core-api/pom.xml', 'pom.xml'],
          excluded: [],
          problems: [],
        },
        {
          name: 'demo-org/empty-repo',
          headSha: null,
          manifests: [],
          excluded: [],
          problems: ['github.repository-empty'],
        },
        {
          name: 'demo-org/web-app',
          headSha: '4d5b9673530c339539ae5b4a7c02dc41aa53dab3',
          manifests: ['package-lock.json', 'package.json'],
          excluded: [],
          problems: [],
        },
      ]);
      expect(result.skipped).toEqual([
        { name: 'demo-org/forked-lib', reason: 'fork' },
        { name: 'demo-org/legacy-tool', reason: 'archived' },
      ]);
      expect(result.problems).toEqual([]);
      const { tree, ...web } = result.subjects[2]!;
      expect(web).toEqual({
        name: 'demo-org/web-app',
        location: 'https://github.com/demo-org/web-app',
        headSha: '4d5b9673530c339539ae5b4a7c02dc41aa53dab3',
        defaultBranch: 'main',
        ref: 'main',
        archived: false,
        fork: false,
        pushedAt: '2025-03-01T10:00:00Z',
        license: 'MIT',
        topics: ['frontend', 'demo'],
        description: 'The demo web application',
        visibility: 'public',
      });
      expect(tree.root).toBe('https://github.com/demo-org/web-app');
      const empty = result.subjects[1]!.tree.problems[0]!;
      expect(empty).toMatchObject({ severity: 'warning', subject: 'demo-org/empty-repo' });
      expect(empty.message).toBe('demo-org/empty-repo is empty (no commit yet): nothing to scan');
    });
  });

  it('includes archived repositories and forks on request, counting what the default excludes skip', async () => {
    await withGithub({}, async (emulator) => {
      const result = await open(emulator, { includeArchived: true, includeForks: true });
      expect(summary(result).map((s) => [s.name, s.manifests, s.excluded])).toEqual([
        ['demo-org/core-lib', ['core-api/pom.xml', 'pom.xml'], []],
        ['demo-org/empty-repo', [], []],
        [
          'demo-org/forked-lib',
          ['package.json'],
          [
            { pattern: '**/node_modules/**', manifests: 0, folders: 1 },
            { pattern: '**/fixtures/**', manifests: 1, folders: 1 },
          ],
        ],
        ['demo-org/legacy-tool', ['package.json'], []],
        ['demo-org/web-app', ['package-lock.json', 'package.json'], []],
      ]);
      const fork = result.subjects[2]!;
      expect([fork.fork, fork.defaultBranch, fork.ref, fork.license]).toEqual([true, 'trunk', 'trunk', null]);
      expect(result.subjects[3]!.archived).toBe(true);
    });
  });

  it('filters by name globs and by topic', async () => {
    await withGithub({}, async (emulator) => {
      const byName = await open(emulator, { include: ['*-app', 'core-*'], exclude: ['demo-org/core-*'] });
      expect(byName.subjects.map((s) => s.name)).toEqual(['demo-org/web-app']);
      expect(byName.skipped).toEqual([
        { name: 'demo-org/core-lib', reason: 'name' },
        { name: 'demo-org/empty-repo', reason: 'name' },
        { name: 'demo-org/forked-lib', reason: 'fork' },
        { name: 'demo-org/legacy-tool', reason: 'archived' },
      ]);
      const byTopic = await open(emulator, { topics: ['java', 'backend'], includeForks: true });
      expect(byTopic.subjects.map((s) => s.name)).toEqual(['demo-org/core-lib', 'demo-org/forked-lib']);
    });
  });

  it('reads files by blob sha with their exact content, and answers exists from the tree', async () => {
    await withGithub({}, async (emulator) => {
      const result = await open(emulator);
      const core = result.subjects[0]!.tree.reader;
      for (const file of ['pom.xml', 'core-api/pom.xml']) {
        expect(await core.read(file)).toBe(
          await readFile(path.join(demoOrg, 'core-lib/files', file), 'utf8'),
        );
      }
      expect(await core.read('./pom.xml')).toBe(await core.read('pom.xml'));
      expect(await core.exists('core-api/pom.xml')).toBe(true);
      expect(await core.exists('core-api')).toBe(true);
      expect(await core.exists('missing.xml')).toBe(false);
      expect(await core.exists('../web-app/package.json')).toBe(false);
      await expect(core.read('missing.xml')).rejects.toThrow(
        'missing.xml: no such file in demo-org/core-lib at 3b185b5119eb',
      );
      await expect(core.read('core-api')).rejects.toThrow('core-api: no such file');
      await expect(core.read('../web-app/package.json')).rejects.toThrow('path leaves the repository');
      // Every manifest and license file of every subject is fetched once, as soon as its tree is read
      // (pom.xml was read twice): 4 manifests and the LICENSE files of core-lib and web-app.
      await Promise.all(result.subjects.flatMap((s) => s.tree.manifests.map((m) => s.tree.reader.read(m))));
      expect(fetchedFiles(result)).toBe(6);
      expect(emulator.count('blob')).toBe(6);
      expect(new Set(emulator.requests.filter((r) => r.kind === 'blob').map((r) => r.path)).size).toBe(6);
      expect(emulator.requests.filter((r) => r.kind === 'blob').every((r) => r.authorization)).toBe(true);
    });
  });

  it('opens repositories named OWNER/NAME whatever the filters, and reports those it cannot read', async () => {
    await withGithub({}, async (emulator) => {
      const result = await open(emulator, {
        targets: { orgs: [], users: [], repos: ['demo-org/legacy-tool', 'demo-org/missing', 'not-a-name'] },
      });
      expect(summary(result)).toEqual([
        {
          name: 'demo-org/legacy-tool',
          headSha: '955c8143ed9d1494ef22a09c69f7bce690df9c64',
          manifests: ['package.json'],
          excluded: [],
          problems: [],
        },
      ]);
      expect(result.problems.map((p) => [p.severity, p.code, p.subject, p.message])).toEqual([
        [
          'error',
          'github.repository-name',
          'not-a-name',
          'not-a-name is not a repository name: write it OWNER/NAME',
        ],
        [
          'error',
          'github.repository-not-found',
          'demo-org/missing',
          'demo-org/missing: no such repository, or the token cannot see it',
        ],
      ]);
      // Both named repositories were asked for in one GraphQL query, the listing and HEAD with them.
      expect(emulator.counts()).toEqual({ graphql: 1, tree: 1, blob: fetchedFiles(result) });
    });
  });

  it('reports an unknown --ref on each repository and goes on', async () => {
    await withGithub({}, async (emulator) => {
      const result = await open(emulator, { ref: 'release-9' });
      expect(summary(result).map((s) => [s.name, s.headSha, s.problems])).toEqual([
        ['demo-org/core-lib', null, ['github.ref-not-found']],
        ['demo-org/empty-repo', null, ['github.repository-empty']],
        ['demo-org/web-app', null, ['github.ref-not-found']],
      ]);
      expect(result.subjects[0]!.tree.problems[0]!.message).toBe(
        'demo-org/core-lib: no commit found for release-9',
      );
      // GraphQL resolved the ref in each repository with the listing: nothing else was asked.
      expect(emulator.counts()).toEqual({ graphql: 1 });
    });
  });

  it('reads the commit --ref names from the listing, without a request per repository', async () => {
    await withGithub({}, async (emulator) => {
      const result = await open(emulator, { ref: 'HEAD' });
      expect(summary(result).map((s) => [s.name, s.headSha, s.problems])).toEqual([
        ['demo-org/core-lib', '3b185b5119eb3ed819f0f5c328a4c1556db951af', []],
        ['demo-org/empty-repo', null, ['github.repository-empty']],
        ['demo-org/web-app', '4d5b9673530c339539ae5b4a7c02dc41aa53dab3', []],
      ]);
      expect(result.subjects.map((s) => s.ref)).toEqual(['HEAD', 'HEAD', 'HEAD']);
      expect(emulator.counts()).toEqual({ graphql: 1, tree: 2, blob: 6 });
    });
  });

  it('throws GitHubTargetNotFoundError for a missing organisation', async () => {
    await withGithub({}, async (emulator) => {
      await expect(
        open(emulator, { targets: { orgs: ['no-such-org'], users: [], repos: [] } }),
      ).rejects.toThrow(
        new GitHubTargetNotFoundError(`GitHub organisation no-such-org not found at ${emulator.url}`),
      );
    });
  });

  it("lists a user's repositories (an organisation's login too, as REST does), and names a missing user", async () => {
    await withGithub({}, async (emulator) => {
      const asUser = await open(emulator, { targets: { orgs: [], users: ['demo-org'], repos: [] } });
      expect(summary(asUser)).toEqual(summary(await open(emulator)));
      await expect(open(emulator, { targets: { orgs: [], users: ['ghost'], repos: [] } })).rejects.toThrow(
        new GitHubTargetNotFoundError(`GitHub user ghost not found at ${emulator.url}`),
      );
    });
  });

  it('warns once without a token, and never sends one', async () => {
    await withGithub({}, async (emulator) => {
      const result = await open(emulator, { token: undefined });
      expect(result.problems).toEqual([
        {
          severity: 'warning',
          code: 'github.no-token',
          message: 'no GitHub token: GitHub allows 60 requests an hour without one',
          hint: 'Set GITHUB_TOKEN or GH_TOKEN (a token without any scope reads public repositories).',
        },
      ]);
      expect(emulator.requests.some((r) => r.authorization)).toBe(false);
    });
  });

  it('walks subtrees when GitHub truncates the recursive tree, finding the same manifests', async () => {
    const whole = await withGithub({}, async (emulator) =>
      summary(await open(emulator, { includeForks: true })),
    );
    await rm(cacheDir, { recursive: true, force: true });
    await withGithub({ treeEntryLimit: 3 }, async (emulator) => {
      expect(summary(await open(emulator, { includeForks: true }))).toEqual(whole);
      const walked = emulator.requests.filter((r) => r.kind === 'tree' && !r.path.includes('recursive'));
      expect(walked.length).toBeGreaterThan(0);
      // node_modules is never listed: its subtree is pruned unread.
      const forkTrees = emulator.requests.filter((r) => r.kind === 'tree' && r.path.includes('forked-lib'));
      const nodeModulesSha = gitBlobSha('tree node_modules');
      expect(forkTrees.some((r) => r.path.includes(nodeModulesSha))).toBe(false);
    });
  });
});

describe('openGitHubSubjects and the cache', () => {
  it('sends no tree and no blob request on a second run; after a push only that repository is read again', async () => {
    await withGithub({}, async (emulator) => {
      const readAll = async (result: GitHubSubjects) => {
        for (const s of result.subjects) for (const m of s.tree.manifests) await s.tree.reader.read(m);
      };
      const ledgerOf = async (options: Partial<GitHubSourceOptions> = {}) => {
        const client = httpClient();
        const result = await open(emulator, { client, ...options });
        await readAll(result);
        return { result, ledger: client.ledger() };
      };
      const first = await ledgerOf();
      // 4 manifests and 2 LICENSE files.
      expect(emulator.counts()).toEqual({ graphql: 1, tree: 2, blob: 6 });
      expect(first.ledger).toMatchObject([{ sent: 9, fromCache: 0, revalidated: 0 }]);

      emulator.requests.length = 0;
      const second = await ledgerOf();
      expect(summary(second.result)).toEqual(summary(first.result));
      // One GraphQL query gave every HEAD: unchanged, so the trees and blobs come from the cache.
      expect(emulator.requests.map((r) => `${r.status} ${r.method} ${r.kind} ${r.path}`)).toEqual([
        '200 POST graphql /graphql',
      ]);
      expect(second.ledger).toMatchObject([{ sent: 1, fromCache: 8, revalidated: 0, failed: 0 }]);

      emulator.requests.length = 0;
      emulator.moveHead('demo-org/web-app', 'ffffffffffffffffffffffffffffffffffffffff');
      const third = await ledgerOf();
      // The moved HEAD comes with the listing; its tree is then asked for by that sha, its blobs are cached.
      expect(emulator.requests.map((r) => `${r.status} ${r.kind} ${r.path}`)).toEqual([
        '200 graphql /graphql',
        '200 tree /repos/demo-org/web-app/git/trees/ffffffffffffffffffffffffffffffffffffffff?recursive=1',
      ]);
      expect(third.ledger).toMatchObject([{ sent: 2, fromCache: 7 }]);
      expect(third.result.subjects[2]!.headSha).toBe('ffffffffffffffffffffffffffffffffffffffff');
    });
  });

  it('lists and reads HEADs through REST when the server refuses GraphQL, with the same result', async () => {
    const viaGraphql = await withGithub({}, async (emulator) =>
      contents(await open(emulator, { includeForks: true, includeArchived: true })),
    );
    await rm(cacheDir, { recursive: true, force: true });
    await withGithub({ graphql: false }, async (emulator) => {
      const events: string[] = [];
      const result = await open(emulator, {
        includeForks: true,
        includeArchived: true,
        onProgress: (e) => e.kind === 'rest-fallback' && events.push(e.reason),
      });
      expect(await contents(result)).toEqual(viaGraphql);
      expect(events).toEqual(['GitHub answered HTTP 404 to GraphQL']);
      expect(emulator.counts()).toEqual({
        graphql: 1,
        listing: 1,
        commit: 5,
        tree: 4,
        blob: fetchedFiles(result),
      });
    });
  });

  it('falls back to the cached REST listing offline, GraphQL answers being never cached', async () => {
    let port = 0;
    const online = await withGithub({ graphql: false }, async (emulator) => {
      port = emulator.port;
      return contents(await open(emulator));
    });
    // The same URLs (same port), now with GraphQL: an offline run cannot use it, REST's cache serves.
    await withGithub({ port }, async (emulator) => {
      const events: string[] = [];
      const offline = createHttpClient({ cacheDir, userAgent: 'oss-inventory-test', env: {}, offline: true });
      clients.push(offline);
      const result = await open(emulator, {
        client: offline,
        onProgress: (e) => e.kind === 'rest-fallback' && events.push(e.reason),
      });
      // Every manifest, as online (the empty repository's 409 is not cached: offline it is a failure).
      const read = await contents(result);
      expect(read.files).toEqual(online.files);
      expect(read.summary.map((s) => s.headSha)).toEqual(online.summary.map((s) => s.headSha));
      expect(events).toEqual(['offline, and GraphQL answers are not cached']);
      expect(emulator.requests).toEqual([]);
    });
  });

  it('uses GitHub Enterprise Server paths: REST under /api/v3, GraphQL at /api/graphql', async () => {
    const viaGithub = await withGithub({}, async (emulator) => contents(await open(emulator)));
    await rm(cacheDir, { recursive: true, force: true });
    await withGithub({ enterprise: true }, async (emulator) => {
      expect(emulator.url).toMatch(/\/api\/v3$/);
      expect(await contents(await open(emulator))).toEqual(viaGithub);
      expect(
        new Set(emulator.requests.map((r) => `${r.method} ${r.path.split('/').slice(0, 3).join('/')}`)),
      ).toEqual(new Set(['POST /api/graphql', 'GET /api/v3']));
      expect(emulator.counts()).toEqual({ graphql: 1, tree: 2, blob: 6 });
    });
    await rm(cacheDir, { recursive: true, force: true });
    await withGithub({ enterprise: true, graphql: false }, async (emulator) => {
      expect(await contents(await open(emulator))).toEqual(viaGithub);
      expect(emulator.counts()).toEqual({ graphql: 1, listing: 1, commit: 3, tree: 2, blob: 6 });
      expect(emulator.requests[0]).toMatchObject({ method: 'POST', path: '/api/graphql', status: 404 });
    });
  });

  it('gives the same result under secondary rate limits (1 in 10) and server errors', async () => {
    const clean = await withGithub({}, async (emulator) =>
      contents(await open(emulator, { includeForks: true })),
    );
    await rm(cacheDir, { recursive: true, force: true });
    await withGithub(
      { secondaryEvery: 10, secondaryRetryAfter: 1, serverErrorEvery: 4 },
      async (emulator) => {
        expect(await contents(await open(emulator, { includeForks: true }))).toEqual(clean);
        expect(emulator.requests.some((r) => r.fault === 'secondary')).toBe(true);
        expect(emulator.requests.some((r) => r.fault === 'server-error')).toBe(true);
      },
    );
  });

  it('keeps the token out of the emulator log, the problems, the subjects and the cache', async () => {
    await withGithub({ token: TOKEN }, async (emulator) => {
      const result = await open(emulator, {
        includeArchived: true,
        includeForks: true,
        targets: { orgs: ['demo-org'], users: [], repos: ['demo-org/missing'] },
      });
      for (const s of result.subjects) for (const m of s.tree.manifests) await s.tree.reader.read(m);
      expect(emulator.requests.every((r) => r.authorization && r.status !== 401)).toBe(true);
      expect(JSON.stringify(emulator.requests)).not.toContain(TOKEN);
      expect(JSON.stringify(result)).not.toContain(TOKEN);
      const files = await readdir(cacheDir, { recursive: true, withFileTypes: true });
      const cached = files.filter((f) => f.isFile());
      expect(cached.length).toBeGreaterThan(10);
      for (const file of cached) {
        const bytes = await readFile(path.join(file.parentPath, file.name), 'latin1');
        expect(bytes).not.toContain(TOKEN);
        expect(bytes).not.toContain('sourceTestToken');
      }
    });
  });
});

describe('fetchOver and the GitHub cache policies', () => {
  it('caches git objects by sha forever and revalidates everything else', () => {
    const sha = '3b185b5119eb3ed819f0f5c328a4c1556db951af';
    const at = (p: string) => githubPolicy(new URL(`https://api.github.com${p}`));
    expect(at(`/repos/o/r/git/trees/${sha}`)).toEqual({ cache: 'immutable' });
    expect(at(`/repos/o/r/git/blobs/${sha}`)).toEqual({ cache: 'immutable' });
    expect(at(`/api/v3/repos/o/r/git/trees/${sha}`)).toEqual({ cache: 'immutable' });
    expect(at('/repos/o/r/git/trees/main')).toEqual({ cache: 'revalidate', freshForMs: 0 });
    expect(at(`/repos/o/r/commits/main`)).toEqual({ cache: 'revalidate', freshForMs: 0 });
    expect(at('/orgs/o/repos')).toEqual({ cache: 'revalidate', freshForMs: 0 });
    expect(at('/repos/o/r')).toEqual({ cache: 'revalidate', freshForMs: 0 });
  });

  it('answers GET through the HttpClient, moving the Authorization header out of the headers', async () => {
    await withGithub({ token: TOKEN }, async (emulator) => {
      const fetch = fetchOver(httpClient(), () => ({ cache: 'revalidate' }));
      const response = await fetch(`${emulator.url}/repos/demo-org/web-app`, {
        headers: { authorization: `token ${TOKEN}`, accept: 'application/vnd.github+json' },
      });
      expect(response.status).toBe(200);
      expect(response.url).toBe(`${emulator.url}/repos/demo-org/web-app`);
      expect(((await response.json()) as { full_name: string }).full_name).toBe('demo-org/web-app');
      const again = await fetch(`${emulator.url}/repos/demo-org/web-app`, {
        headers: { authorization: `token ${TOKEN}`, accept: 'application/vnd.github+json' },
      });
      expect(again.status).toBe(200);
      expect(emulator.requests.map((r) => [r.status, r.authorization])).toEqual([
        [200, true],
        [304, true],
      ]);
    });
  });

  it('sends POST through the HttpClient, never cached, and refuses other methods before sending', async () => {
    await withGithub({ token: TOKEN }, async (emulator) => {
      const client = httpClient();
      const answers: string[] = [];
      const fetch = fetchOver(client, () => ({ cache: 'immutable' }), {
        onAnswer: (a) => answers.push(`${a.status} ${a.origin}`),
      });
      const query = JSON.stringify({ query: '{ rateLimit { cost } }' });
      const ask = () =>
        fetch(`${emulator.url}/graphql`, {
          method: 'POST',
          body: query,
          headers: { authorization: `bearer ${TOKEN}`, 'content-type': 'application/json' },
        });
      for (const response of [await ask(), await ask()]) {
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ data: { rateLimit: { cost: 1 } } });
      }
      expect(answers).toEqual(['200 network', '200 network']);
      expect(emulator.requests.map((r) => [r.method, r.kind, r.authorization])).toEqual([
        ['POST', 'graphql', true],
        ['POST', 'graphql', true],
      ]);
      expect(client.ledger()).toMatchObject([{ sent: 2, fromCache: 0 }]);
      expect(await readdir(cacheDir)).toEqual([]);
      await expect(
        fetch(`${emulator.url.replace('http://', 'http://user:secret@')}/graphql`, {
          method: 'PUT',
          body: '{}',
        }),
      ).rejects.toThrow(`PUT ${emulator.url}/graphql: the HTTP layer sends only GET and POST requests`);
      expect(emulator.requests).toHaveLength(2);
    });
  });

  it('refuses POST through a client that offers no post, before sending', async () => {
    const client = httpClient();
    const fetch = fetchOver({ get: (r) => client.get(r), ledger: () => client.ledger() }, () => ({
      cache: 'none',
    }));
    await expect(fetch('http://127.0.0.1:9/graphql', { method: 'POST', body: '{}' })).rejects.toThrow(
      'POST http://127.0.0.1:9/graphql: this HTTP client cannot send a POST',
    );
  });
});
