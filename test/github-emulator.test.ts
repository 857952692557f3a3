import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validate } from '@octokit/graphql-schema';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGithubEmulator,
  type GithubEmulator,
  type GithubEmulatorOptions,
} from './servers/github-emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const corpus = path.resolve(root, 'fixtures/github');
const TOKEN = 'fixture-emulator-token-not-a-real-one';
const Client = Octokit.plugin(throttling, retry);

interface BatchAnswer {
  organization: {
    repositories: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
  };
  r0: { object: unknown };
  r1: { object: { text: string } };
  rateLimit: { cost: number; remaining: number };
}

interface Limits {
  secondary: number;
  primary: number;
}

/** The client the GitHub source will use: throttling (one retry per limit) and retry, waits shortened. */
function client(url: string, limits: Limits = { secondary: 0, primary: 0 }) {
  return new Client({
    baseUrl: url,
    auth: TOKEN,
    throttle: {
      retryAfterBaseValue: 1,
      onRateLimit: (_after: number, _options: object, _octokit: unknown, retryCount: number) => {
        limits.primary++;
        return retryCount < 1;
      },
      onSecondaryRateLimit: (_after: number, _options: object, _octokit: unknown, retryCount: number) => {
        limits.secondary++;
        return retryCount < 1;
      },
    },
    retry: { retryAfterBaseValue: 1 },
  });
}

function repoJson(name: string) {
  return JSON.parse(readFileSync(path.join(corpus, 'demo-org', name, 'repo.json'), 'utf8')) as {
    head_sha: string;
    tree: { path: string; type: string; sha: string; size: number | null }[];
  };
}

async function withEmulator<T>(
  options: Partial<GithubEmulatorOptions>,
  run: (e: GithubEmulator) => Promise<T>,
) {
  const emulator = await startGithubEmulator({ corpus, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

async function statusOf(promise: Promise<unknown>) {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status?: number }).status;
  }
}

describe('the GitHub API emulator, driven by Octokit with the throttling and retry plugins', () => {
  let emulator: GithubEmulator;
  let octokit: ReturnType<typeof client>;
  beforeAll(async () => {
    emulator = await startGithubEmulator({ corpus, token: TOKEN });
    octokit = client(emulator.url);
  });
  afterAll(() => emulator.close());

  it('lists an organisation page by page following the Link header', async () => {
    const before = emulator.count('listing');
    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org: 'demo-org', per_page: 1 });
    expect(repos.map((r) => r.full_name)).toEqual([
      'demo-org/empty-repo',
      'demo-org/web-app',
      'demo-org/core-lib',
      'demo-org/legacy-tool',
    ]);
    expect(emulator.count('listing') - before).toBe(4);
    const byName = await octokit.rest.repos.listForUser({ username: 'demo-org', per_page: 2, page: 2 });
    expect(byName.data.map((r) => r.name)).toEqual(['legacy-tool', 'web-app']);
    expect(byName.headers.link).toContain('rel="prev"');
    expect(byName.headers.link).not.toContain('rel="next"');
  });

  it('serves the full repository shape', async () => {
    const { data, headers } = await octokit.rest.repos.get({ owner: 'demo-org', repo: 'web-app' });
    expect(data).toMatchObject({
      full_name: 'demo-org/web-app',
      default_branch: 'main',
      archived: false,
      fork: false,
      private: false,
      visibility: 'public',
      pushed_at: '2025-03-01T10:00:00Z',
      topics: ['frontend', 'demo'],
      license: { spdx_id: 'MIT', key: 'mit' },
      owner: { login: 'demo-org' },
    });
    expect((await octokit.rest.repos.get({ owner: 'demo-org', repo: 'legacy-tool' })).data).toMatchObject({
      archived: true,
      license: null,
    });
    expect(headers['x-ratelimit-resource']).toBe('core');
    expect(Number(headers['x-ratelimit-limit'])).toBe(5000);
  });

  it('answers 304 to If-None-Match without spending the rate limit', async () => {
    const first = await octokit.rest.repos.get({ owner: 'demo-org', repo: 'core-lib' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const remaining = emulator.rateLimit().remaining;
    const again = octokit.rest.repos.get({
      owner: 'demo-org',
      repo: 'core-lib',
      headers: { 'if-none-match': etag },
    });
    await expect(again).rejects.toMatchObject({ status: 304 });
    expect(emulator.rateLimit().remaining).toBe(remaining);
    expect(emulator.requests.at(-1)).toMatchObject({ status: 304, ifNoneMatch: etag, kind: 'repository' });
  });

  it('serves the recursive tree of repo.json, from the branch name or the HEAD sha', async () => {
    const stored = repoJson('core-lib');
    for (const treeSha of ['main', stored.head_sha]) {
      const { data } = await octokit.rest.git.getTree({
        owner: 'demo-org',
        repo: 'core-lib',
        tree_sha: treeSha,
        recursive: '1',
      });
      expect(data.truncated).toBe(false);
      expect(data.tree.map((e) => [e.path, e.type, e.sha])).toEqual(
        stored.tree.map((e) => [e.path, e.type, e.sha]),
      );
      expect(data.tree.find((e) => e.path === 'pom.xml')).toMatchObject({ mode: '100644', size: 727 });
      expect(data.tree.find((e) => e.path === 'core-api')).toMatchObject({ mode: '040000', type: 'tree' });
    }
  });

  it('serves a blob with the corpus bytes, base64 in 60-character lines, and raw on request', async () => {
    const bytes = readFileSync(path.join(corpus, 'demo-org/web-app/files/package-lock.json'));
    const sha = repoJson('web-app').tree.find((e) => e.path === 'package-lock.json')!.sha;
    const { data } = await octokit.rest.git.getBlob({ owner: 'demo-org', repo: 'web-app', file_sha: sha });
    expect(data).toMatchObject({ sha, encoding: 'base64', size: bytes.length });
    expect(data.content.split('\n')[0]).toHaveLength(60);
    expect(Buffer.from(data.content, 'base64').equals(bytes)).toBe(true);
    const raw = await fetch(`${emulator.url}/repos/demo-org/web-app/git/blobs/${sha}`, {
      headers: { authorization: `token ${TOKEN}`, accept: 'application/vnd.github.raw' },
    });
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).toBe(true);
    const file = await octokit.rest.repos.getContent({
      owner: 'demo-org',
      repo: 'core-lib',
      path: 'core-api/pom.xml',
    });
    expect(file.data).toMatchObject({ type: 'file', path: 'core-api/pom.xml', name: 'pom.xml' });
    const folder = await octokit.rest.repos.getContent({
      owner: 'demo-org',
      repo: 'core-lib',
      path: 'core-api',
    });
    expect((folder.data as { name: string; type: string }[]).map((e) => `${e.type}:${e.name}`)).toEqual([
      'file:pom.xml',
      'dir:src',
    ]);
  });

  it('answers 404 for unknown repositories, trees and uncaptured blobs, and 409 for an empty repository', async () => {
    expect(await statusOf(octokit.rest.repos.get({ owner: 'demo-org', repo: 'nope' }))).toBe(404);
    expect(await statusOf(octokit.rest.repos.listForOrg({ org: 'no-such-org' }))).toBe(404);
    const tree = octokit.rest.git.getTree({ owner: 'demo-org', repo: 'core-lib', tree_sha: 'f'.repeat(40) });
    expect(await statusOf(tree)).toBe(404);
    const readme = repoJson('web-app').tree.find((e) => e.path === 'README.md')!.sha;
    expect(
      await statusOf(octokit.rest.git.getBlob({ owner: 'demo-org', repo: 'web-app', file_sha: readme })),
    ).toBe(404);
    const empty = octokit.rest.git.getTree({ owner: 'demo-org', repo: 'empty-repo', tree_sha: 'main' });
    await expect(empty).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('Git Repository is empty.'),
    });
    expect((await octokit.rest.repos.get({ owner: 'demo-org', repo: 'empty-repo' })).data.size).toBe(0);
  });

  it('answers GET commits/{ref}: the bare sha with an ETag and 304, the JSON commit, 409 and 422', async () => {
    const head = repoJson('core-lib').head_sha;
    const ask = (ref: string, format?: 'sha') =>
      octokit.rest.repos.getCommit({
        owner: 'demo-org',
        repo: 'core-lib',
        ref,
        ...(format ? { mediaType: { format } } : {}),
      });
    for (const ref of ['main', 'refs/heads/main', 'HEAD', head, head.slice(0, 7)]) {
      const { data, headers } = await ask(ref, 'sha');
      expect(data as unknown, ref).toBe(head);
      expect(headers['content-type']).toBe('application/vnd.github.sha; charset=utf-8');
    }
    const etag = (await ask('main', 'sha')).headers.etag as string;
    const remaining = emulator.rateLimit().remaining;
    const again = octokit.rest.repos.getCommit({
      owner: 'demo-org',
      repo: 'core-lib',
      ref: 'main',
      mediaType: { format: 'sha' },
      headers: { 'if-none-match': etag },
    });
    await expect(again).rejects.toMatchObject({ status: 304 });
    expect(emulator.rateLimit().remaining).toBe(remaining);
    expect(emulator.requests.at(-1)).toMatchObject({ kind: 'commit', status: 304, ifNoneMatch: etag });

    const { data } = await ask('main');
    expect(data).toMatchObject({
      sha: head,
      url: `${emulator.url}/repos/demo-org/core-lib/commits/${head}`,
      html_url: `https://github.com/demo-org/core-lib/commit/${head}`,
      commit: { tree: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) } },
    });
    const root = await octokit.rest.git.getTree({
      owner: 'demo-org',
      repo: 'core-lib',
      tree_sha: data.commit.tree.sha,
    });
    expect(root.data.tree.map((e) => e.path)).toContain('pom.xml');

    await expect(ask('no-such-branch', 'sha')).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('No commit found for SHA: no-such-branch'),
    });
    await expect(ask('f'.repeat(40))).rejects.toMatchObject({ status: 422 });
    const empty = octokit.rest.repos.getCommit({ owner: 'demo-org', repo: 'empty-repo', ref: 'main' });
    await expect(empty).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('Git Repository is empty.'),
    });
    expect(
      await statusOf(octokit.rest.repos.getCommit({ owner: 'demo-org', repo: 'nope', ref: 'main' })),
    ).toBe(404);
  });

  it('moves commits/{ref} with moveHead: the old ETag no longer matches and the old sha is unknown', async () => {
    await withEmulator({}, async (e) => {
      const url = `${e.url}/repos/demo-org/web-app/commits/main`;
      const accept = { accept: 'application/vnd.github.sha' };
      const before = await fetch(url, { headers: accept });
      const old = await before.text();
      const etag = before.headers.get('etag')!;
      const moved = 'ffffffffffffffffffffffffffffffffffffffff';
      e.moveHead('demo-org/web-app', moved);
      const after = await fetch(url, { headers: { ...accept, 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(await after.text()).toBe(moved);
      expect(after.headers.get('etag')).not.toBe(etag);
      const gone = await fetch(`${e.url}/repos/demo-org/web-app/commits/${old}`, { headers: accept });
      expect(gone.status).toBe(422);
      expect(e.requests.map((r) => `${r.kind} ${r.status}`)).toEqual([
        'commit 200',
        'commit 200',
        'commit 422',
      ]);
    });
  });

  it('answers a batched GraphQL query that validates against GitHub schema', async () => {
    const query = `query ($login: String!, $after: String) {
      organization(login: $login) {
        repositories(first: 2, after: $after, orderBy: { field: NAME, direction: ASC }) {
          nodes {
            name nameWithOwner isArchived isFork pushedAt description visibility
            defaultBranchRef { name target { oid } }
            licenseInfo { spdxId }
            repositoryTopics(first: 20) { nodes { topic { name } } }
          }
          pageInfo { hasNextPage endCursor }
        }
      }
      r0: repository(owner: "demo-org", name: "web-app") {
        object(expression: "HEAD:package.json") { ... on Blob { text byteSize isTruncated } }
      }
      r1: repository(owner: "demo-org", name: "core-lib") {
        object(expression: "main:core-api/pom.xml") { ... on Blob { text byteSize isTruncated } }
      }
      rateLimit { cost remaining resetAt }
    }`;
    expect(validate(query)).toEqual([]);
    const first = await octokit.graphql<BatchAnswer>(query, { login: 'demo-org' });
    expect(first.organization.repositories.nodes.map((n) => n.name)).toEqual(['core-lib', 'empty-repo']);
    expect(first.organization.repositories.nodes[0]).toEqual({
      name: 'core-lib',
      nameWithOwner: 'demo-org/core-lib',
      isArchived: false,
      isFork: false,
      pushedAt: '2025-02-10T09:30:00Z',
      description: 'Shared Java library',
      visibility: 'PUBLIC',
      defaultBranchRef: { name: 'main', target: { oid: repoJson('core-lib').head_sha } },
      licenseInfo: { spdxId: 'BSD-3-Clause' },
      repositoryTopics: { nodes: [{ topic: { name: 'java' } }] },
    });
    expect(first.organization.repositories.nodes[1]).toMatchObject({ defaultBranchRef: null });
    expect(first.r0.object).toEqual({
      text: readFileSync(path.join(corpus, 'demo-org/web-app/files/package.json'), 'utf8'),
      byteSize: 215,
      isTruncated: false,
    });
    expect(first.r1.object.text).toContain('<artifactId>core-api</artifactId>');
    expect(first.rateLimit).toMatchObject({ cost: 1, remaining: emulator.rateLimit('graphql').remaining });
    const second = await octokit.graphql<BatchAnswer>(query, {
      login: 'demo-org',
      after: first.organization.repositories.pageInfo.endCursor,
    });
    expect(second.organization.repositories.nodes.map((n) => n.name)).toEqual(['legacy-tool', 'web-app']);
    expect(second.organization.repositories.pageInfo.hasNextPage).toBe(false);
  });

  it('rejects invalid GraphQL with GitHub error shape, and reports unknown owners as NOT_FOUND', async () => {
    const bad = '{ organization(login: "demo-org") { repositories(first: 1) { nodes { stars } } } }';
    expect(validate(bad)).toHaveLength(1);
    await expect(octokit.graphql(bad)).rejects.toMatchObject({
      errors: [
        { message: 'Cannot query field "stars" on type "Repository".', locations: [{ line: 1, column: 70 }] },
      ],
    });
    await expect(octokit.graphql('{ organization(login: "ghost") { login } }')).rejects.toMatchObject({
      errors: [{ type: 'NOT_FOUND', path: ['organization'] }],
    });
    await expect(
      octokit.graphql('{ organization(login: "demo-org") { repositories(first: 101) { totalCount } } }'),
    ).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining('exceeds the `first` limit of 100 records') }],
    });
    await expect(octokit.graphql('{ rateLimit { cost }')).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining('Syntax Error') }],
    });
  });

  it('counts GraphQL cost as GitHub does: connection pages over 100', async () => {
    const query =
      '{ organization(login: "demo-org") { repositories(first: 100) { nodes { repositoryTopics(first: 100) { totalCount } } } } rateLimit { cost } }';
    expect(validate(query)).toEqual([]);
    const answer = await octokit.graphql<{ rateLimit: { cost: number } }>(query);
    expect(answer.rateLimit.cost).toBe(1);
    const deep =
      '{ organization(login: "demo-org") { repositories(first: 100) { nodes { owner { ... on Organization { repositories(first: 100) { nodes { repositoryTopics(first: 10) { totalCount } } } } } } } } rateLimit { cost nodeCount } }';
    expect(validate(deep)).toEqual([]);
    // 1 + 100 + 100 * 100 requests, divided by 100: 101.01, rounded; 100 + 100 * 100 + 100 * 100 * 10 nodes.
    await expect(octokit.graphql(deep)).resolves.toMatchObject({
      rateLimit: { cost: 101, nodeCount: 110_100 },
    });
  });

  it('refuses a query whose connections could return more than 500,000 nodes, as GitHub does', async () => {
    const huge =
      '{ organization(login: "demo-org") { repositories(first: 100) { nodes { owner { ... on Organization { repositories(first: 100) { nodes { repositoryTopics(first: 100) { totalCount } } } } } } } } }';
    expect(validate(huge)).toEqual([]);
    await expect(octokit.graphql(huge)).rejects.toMatchObject({
      errors: [
        {
          type: 'MAX_NODE_LIMIT_EXCEEDED',
          message:
            'This query requests up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000.',
        },
      ],
    });
    expect(emulator.requests.at(-1)).toMatchObject({ kind: 'graphql', graphql: { nodes: 1_010_100 } });
  });

  it('requires the token when configured and never logs it', async () => {
    expect((await fetch(`${emulator.url}/repos/demo-org/web-app`)).status).toBe(401);
    const wrong = await fetch(`${emulator.url}/repos/demo-org/web-app`, {
      headers: { authorization: 'token nope' },
    });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(emulator.requests)).not.toContain(TOKEN);
    expect(emulator.requests.every((r) => typeof r.authorization === 'boolean')).toBe(true);
  });

  it('keeps a request counter per route kind', () => {
    const counts = emulator.counts();
    expect(counts.listing).toBeGreaterThanOrEqual(5);
    expect(counts.graphql).toBeGreaterThanOrEqual(4);
    expect(counts.tree).toBeGreaterThanOrEqual(2);
    expect(counts.blob).toBeGreaterThanOrEqual(2);
    expect(counts.commit).toBeGreaterThanOrEqual(10);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(emulator.count());
  });
});

describe('the GitHub API emulator under faults and limits', () => {
  it('cuts a recursive tree at the entry limit, and serves subtrees so that a client can walk', async () => {
    await withEmulator({ treeEntryLimit: 3 }, async (emulator) => {
      const octokit = client(emulator.url);
      const params = { owner: 'demo-org', repo: 'core-lib' };
      const cut = await octokit.rest.git.getTree({ ...params, tree_sha: 'main', recursive: '1' });
      expect(cut.data.truncated).toBe(true);
      expect(cut.data.tree).toHaveLength(3);
      const blobs: string[] = [];
      const queue: [string, string][] = [[cut.data.sha, '']];
      while (queue.length > 0) {
        const [sha, prefix] = queue.shift()!;
        const { data } = await octokit.rest.git.getTree({ ...params, tree_sha: sha });
        for (const entry of data.tree) {
          if (entry.type === 'tree') queue.push([entry.sha, `${prefix}${entry.path}/`]);
          else blobs.push(`${prefix}${entry.path}`);
        }
      }
      expect(blobs.sort()).toEqual(
        repoJson('core-lib')
          .tree.filter((e) => e.type === 'blob')
          .map((e) => e.path)
          .sort(),
      );
    });
  });

  it('answers every Nth request with a secondary limit that the throttling plugin retries to success', async () => {
    await withEmulator({ secondaryEvery: 3, secondaryRetryAfter: 1 }, async (emulator) => {
      const limits = { secondary: 0, primary: 0 };
      const octokit = client(emulator.url, limits);
      for (const repo of ['web-app', 'core-lib', 'legacy-tool', 'empty-repo', 'web-app']) {
        expect((await octokit.rest.repos.get({ owner: 'demo-org', repo })).status).toBe(200);
      }
      const limited = emulator.requests.filter((r) => r.fault === 'secondary');
      expect(limited.length).toBe(2);
      expect(limited.every((r) => r.status === 403)).toBe(true);
      expect(limits.secondary).toBe(2);
      expect(emulator.count()).toBe(7);
    });
  });

  it('answers every Nth request with a 5xx that the retry plugin retries', async () => {
    await withEmulator({ serverErrorEvery: 2 }, async (emulator) => {
      const octokit = client(emulator.url);
      const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org: 'demo-org', per_page: 2 });
      expect(repos).toHaveLength(4);
      expect(emulator.requests.filter((r) => r.status === 502).length).toBeGreaterThan(0);
    });
  });

  it('applies injected faults per path once each, in order', async () => {
    const faults = {
      '/repos/demo-org/web-app': [
        { status: 500 },
        { status: 429, retryAfter: 1, message: 'You have exceeded a secondary rate limit' },
      ],
    };
    await withEmulator({ faults }, async (emulator) => {
      const octokit = client(emulator.url);
      expect((await octokit.rest.repos.get({ owner: 'demo-org', repo: 'web-app' })).status).toBe(200);
      expect(emulator.requests.map((r) => r.status)).toEqual([500, 429, 200]);
    });
  });

  it('enforces the primary limit with remaining 0 and the reset time', async () => {
    await withEmulator({ rateLimit: { limit: 2 } }, async (emulator) => {
      const limits = { secondary: 0, primary: 0 };
      const octokit = client(emulator.url, limits);
      await octokit.rest.repos.get({ owner: 'demo-org', repo: 'web-app' });
      await octokit.rest.repos.get({ owner: 'demo-org', repo: 'core-lib' });
      const direct = await fetch(`${emulator.url}/repos/demo-org/web-app`);
      expect(direct.status).toBe(403);
      expect(direct.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(direct.headers.get('x-ratelimit-reset'))).toBe(emulator.rateLimit().reset);
      expect(((await direct.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/);
      const rate = await octokit.rest.rateLimit.get();
      expect(rate.data.resources.core).toMatchObject({ limit: 2, remaining: 0, used: 2 });
    });
  });

  it('adds latency to every request', async () => {
    await withEmulator({ latencyMs: 60 }, async (emulator) => {
      const started = performance.now();
      await fetch(`${emulator.url}/repos/demo-org/web-app`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
      expect(emulator.requests[0]!.ms).toBeGreaterThanOrEqual(55);
    });
  });
});

describe('the GitHub API emulator as a standalone program', () => {
  it('prints "listening on URL" then one line per request, never the token', async () => {
    const script = path.join(here, 'servers/github-emulator.js');
    const child = spawn(process.execPath, [
      script,
      '--corpus',
      corpus,
      '--port',
      '0',
      '--token',
      TOKEN,
      '--latency',
      '1',
    ]);
    try {
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string;
      const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first)?.[1];
      expect(url).toBeDefined();
      const response = await fetch(`${url}/repos/demo-org/core-lib/git/trees/main?recursive=1`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      const line = (await lines.next()).value as string;
      expect(line).toMatch(
        /^GET \/repos\/demo-org\/core-lib\/git\/trees\/main\?recursive=1 200 tree [\d.]+ms \(auth\)$/,
      );
      expect(line).not.toContain(TOKEN);
    } finally {
      child.kill();
    }
  });
});

describe('the GitHub API emulator REST bodies', () => {
  it('type-check against @octokit/openapi-types (tsc --checkJs)', async () => {
    const files = ['github-emulator.js', 'github-rest.js', 'github-corpus.js', 'github-graphql.js'].map((f) =>
      path.join('test/servers', f),
    );
    const flags = [
      '--noEmit',
      '--allowJs',
      '--checkJs',
      '--strict',
      '--noUncheckedIndexedAccess',
      '--skipLibCheck',
    ];
    const target = [
      '--target',
      'ES2022',
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--types',
      'node',
    ];
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const run = promisify(execFile)(process.execPath, [tsc, ...flags, ...target, ...files], { cwd: root });
    await expect(run).resolves.toMatchObject({ stdout: '' });
  }, 60_000);
});
