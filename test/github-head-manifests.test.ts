import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validate } from '@octokit/graphql-schema';
import { parse } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component, Ecosystem, HealthClass, Inventory, SourceRepository } from '../src/core/model.js';
import { publishedNameKey } from '../src/core/planb.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { findPublishedNames } from '../src/pipeline/published-names.js';
import type { RepositorySignalsRequest } from '../src/pipeline/repository-signals.js';
import {
  MANIFESTS_PER_QUERY,
  MANIFESTS_PER_REPOSITORY,
  manifestsQuery,
  readHeadManifests,
  type HeadManifestRequest,
} from '../src/sources/github-head-manifests.js';
import { createGitHubApi, PrimaryRateLimit } from '../src/sources/github-octokit.js';
import {
  startGithubEmulator,
  type GithubEmulator,
  type GithubEmulatorOptions,
} from './servers/github-emulator.js';
import { queryCost, queryNodeCount } from './servers/github-graphql.js';
import { bareInventory } from './helpers/sample-inventory.js';

const corpus = path.resolve(import.meta.dirname, '../fixtures/published-names/github');
const TOKEN = 'fixture-manifests-token-not-a-real-one';
const NOW = '2025-06-15T00:00:00.000Z';
const READ_AT = Date.parse('2025-06-15T09:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const BABEL_CORE = 'https://github.com/babel/babel/blob/HEAD/packages/babel-core/package.json';
const WIDGET_PARSER = 'https://github.com/acme/widget-parser/blob/HEAD/parser/pom.xml';

let cacheDir: string;
let github: GithubEmulator;
const clients: ClosableHttpClient[] = [];
const temporary: string[] = [];

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-manifests-'));
  github = await startGithubEmulator({ corpus, token: TOKEN });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await github.close();
  await rm(cacheDir, { recursive: true, force: true });
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function restartGithub(options: Partial<GithubEmulatorOptions>): Promise<void> {
  await github.close();
  github = await startGithubEmulator({ corpus, token: TOKEN, ...options });
}

function client(offline = false): ClosableHttpClient {
  const made = createHttpClient({
    cacheDir,
    userAgent: 'oss-inventory-test',
    env: {},
    random: () => 0,
    sleep: async () => {},
    offline,
    retries: 0,
  });
  clients.push(made);
  return made;
}

function api(token = TOKEN) {
  return createGitHubApi({
    baseUrl: github.url,
    token,
    client: client(),
    primaryLimit: new PrimaryRateLimit({ maxWaitMs: 0, now: Date.now }),
  });
}

function request(extra: Partial<RepositorySignalsRequest> = {}): RepositorySignalsRequest {
  return {
    client: client(extra.offline),
    baseUrl: github.url,
    token: TOKEN,
    offline: false,
    cacheDir,
    clock: () => READ_AT,
    ...extra,
  };
}

interface Made {
  group?: string;
  health?: HealthClass;
  repository: Partial<SourceRepository> & { owner: string; name: string };
}

function component(ecosystem: Ecosystem, name: string, made: Made): Component {
  const { owner, name: repositoryName } = made.repository;
  const full = made.group ? (ecosystem === 'npm' ? `${made.group}/${name}` : `${made.group}:${name}`) : name;
  return {
    purl:
      ecosystem === 'npm'
        ? `pkg:npm/${full.replace('@', '%40')}@1.0.0`
        : `pkg:maven/${made.group}/${name}@1.0.0`,
    ecosystem,
    ...(made.group ? { group: made.group } : {}),
    name,
    version: '1.0.0',
    locked: true,
    scopes: ['runtime'],
    direct: true,
    sourceKind: 'registry',
    license: { status: 'known', declared: ['MIT'] },
    dependsOn: [],
    usedBy: [],
    sourceRepository: {
      url: `https://github.com/${owner}/${repositoryName}`,
      host: 'github.com',
      confidence: 'high',
      from: ecosystem === 'npm' ? 'npm repository' : 'pom scm/url',
      ...made.repository,
    },
    health: {
      class: made.health ?? 'ABANDONED',
      reasons: [],
      score: 0,
      priority: 1,
      exposure: { projects: 1, directProjects: 1, runtimeProjects: 1, devOnly: false },
      assessedAt: NOW,
    },
  };
}

const inventoryOf = (components: Component[]): Inventory => bareInventory(components, NOW);

const babelCore = component('npm', 'babel-core', {
  health: 'EOL',
  repository: { owner: 'babel', name: 'babel', directory: 'packages/babel-core' },
});
const widgetParser = component('maven', 'widget-parser', {
  group: 'com.oldacme',
  repository: { owner: 'acme', name: 'widget-parser', directory: 'parser' },
});
const sameName = component('npm', 'same-name', {
  health: 'AT_RISK',
  repository: { owner: 'acme', name: 'same-name' },
});
const noManifest = component('npm', 'no-manifest', { repository: { owner: 'acme', name: 'no-manifest' } });
const vanished = component('npm', 'vanished', { repository: { owner: 'acme', name: 'vanished' } });
const templated = component('maven', 'templated', {
  group: 'org.acme',
  repository: { owner: 'acme', name: 'templated' },
});
const sample = () => inventoryOf([babelCore, widgetParser, sameName, noManifest, vanished, templated]);

const EXPECTED = new Map([
  [
    'github.com/babel/babel:packages/babel-core/package.json',
    { purl: 'pkg:npm/%40babel/core', manifest: BABEL_CORE },
  ],
  [
    'github.com/acme/widget-parser:parser/pom.xml',
    { purl: 'pkg:maven/org.acme.widgets/widget-parser', manifest: WIDGET_PARSER },
  ],
  ['github.com/acme/same-name:package.json', null],
  ['github.com/acme/no-manifest:package.json', null],
  ['github.com/acme/vanished:package.json', null],
  ['github.com/acme/templated:pom.xml', null],
]);

describe('reading files at HEAD through GraphQL', () => {
  it('reads every file in one query; a missing file, a folder and a missing repository are absent', async () => {
    const result = await readHeadManifests(
      [
        { owner: 'babel', name: 'babel', path: 'packages/babel-core/package.json' },
        { owner: 'Babel', name: 'Babel', path: 'package.json' },
        { owner: 'babel', name: 'babel', path: 'packages' },
        { owner: 'acme', name: 'no-manifest', path: 'package.json' },
        { owner: 'acme', name: 'vanished', path: 'package.json' },
      ],
      { api: api() },
    );
    expect(result.queries).toBe(1);
    expect(github.requests.map((r) => `${r.method} ${r.kind} ${r.status}`)).toEqual(['POST graphql 200']);
    const core = result.outcomes.get('babel/babel:packages/babel-core/package.json');
    expect(core).toMatchObject({ kind: 'found', url: BABEL_CORE });
    expect(core?.kind === 'found' && JSON.parse(core.text)).toMatchObject({ name: '@babel/core' });
    expect(result.outcomes.get('babel/babel:package.json')).toMatchObject({
      kind: 'found',
      url: 'https://github.com/babel/babel/blob/HEAD/package.json',
    });
    expect(result.outcomes.get('babel/babel:packages')).toEqual({ kind: 'absent' });
    expect(result.outcomes.get('acme/no-manifest:package.json')).toEqual({ kind: 'absent' });
    expect(result.outcomes.get('acme/vanished:package.json')).toEqual({ kind: 'absent' });
    expect(result.outcomes.size).toBe(5);
  });

  it('names the host it is given in the URLs; a path with spaces, # or ? is only a variable', async () => {
    const result = await readHeadManifests(
      [{ owner: 'acme', name: 'widget-parser', path: 'parser/pom.xml' }],
      {
        api: api(),
        host: 'github.example.org',
      },
    );
    expect(result.outcomes.get('acme/widget-parser:parser/pom.xml')).toMatchObject({
      kind: 'found',
      url: 'https://github.example.org/acme/widget-parser/blob/HEAD/parser/pom.xml',
    });
    const odd = await readHeadManifests(
      [{ owner: 'acme', name: 'same-name', path: 'a b/#x?/package.json' }],
      {
        api: api(),
      },
    );
    expect(odd.outcomes.get('acme/same-name:a b/#x?/package.json')).toEqual({ kind: 'absent' });
  });

  it('refuses hostile paths without asking GitHub', async () => {
    const hostile = [
      '../../etc/package.json',
      'packages/../../package.json',
      '/etc/passwd',
      'packages\\babel-core\\package.json',
      'packages/\u0000/package.json',
      'packages/\u001b[31m/package.json',
      `${'a/'.repeat(200)}package.json`,
      'packages//package.json',
      './package.json',
      '',
    ];
    const result = await readHeadManifests(
      hostile.map((p) => ({ owner: 'babel', name: 'babel', path: p })),
      { api: api() },
    );
    expect(github.count()).toBe(0);
    expect(result.queries).toBe(0);
    for (const p of hostile) {
      const outcome = result.outcomes.get(`babel/babel:${p}`);
      expect(outcome, p).toMatchObject({ kind: 'unusable', reason: expect.stringMatching(/^not read: /) });
      expect(outcome?.kind === 'unusable' && outcome.reason, p).not.toMatch(/\p{Cc}/u);
    }
    expect(result.outcomes.get('babel/babel:/etc/passwd')).toMatchObject({
      reason: 'not read: the path starts with / ("/etc/passwd")',
    });
  });

  it('fails a truncated file, or one over 1 MB, with the reason', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'oss-inventory-big-manifests-'));
    temporary.push(root);
    const files = {
      'package.json': `{"name":"big","pad":"${'x'.repeat(600_000)}"}`,
      'huge/package.json': `{"name":"huge","pad":"${'x'.repeat(1_100_000)}"}`,
    };
    const repo = path.join(root, 'acme', 'big');
    for (const [p, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(repo, 'files', p)), { recursive: true });
      await writeFile(path.join(repo, 'files', p), text);
    }
    const tree = [
      { path: 'huge', type: 'tree', size: null, sha: 'a1'.repeat(20) },
      {
        path: 'huge/package.json',
        type: 'blob',
        size: files['huge/package.json'].length,
        sha: 'b2'.repeat(20),
      },
      { path: 'package.json', type: 'blob', size: files['package.json'].length, sha: 'c3'.repeat(20) },
    ];
    await writeFile(
      path.join(repo, 'repo.json'),
      JSON.stringify({ owner: 'acme', name: 'big', default_branch: 'main', head_sha: 'd4'.repeat(20), tree }),
    );
    await restartGithub({ corpus: root });
    const result = await readHeadManifests(
      [
        { owner: 'acme', name: 'big', path: 'package.json' },
        { owner: 'acme', name: 'big', path: 'huge/package.json' },
      ],
      { api: api() },
    );
    expect(result.outcomes.get('acme/big:package.json')).toEqual({
      kind: 'unusable',
      reason:
        'https://github.com/acme/big/blob/HEAD/package.json is larger than GitHub gives through GraphQL (truncated)',
    });
    expect(result.outcomes.get('acme/big:huge/package.json')).toEqual({
      kind: 'unusable',
      reason:
        'https://github.com/acme/big/blob/HEAD/huge/package.json is 1,100,024 bytes, more than the 1,048,576 a manifest may have',
    });
  });

  it('packs many files into few queries of 1 point each, at most 25 of one repository per query', async () => {
    const paths = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}/package.json`);
    const babel: HeadManifestRequest[] = [
      { owner: 'babel', name: 'babel', path: 'packages/babel-core/package.json' },
      ...paths(29, 'packages/p').map((p) => ({ owner: 'babel', name: 'babel', path: p })),
    ];
    expect((await readHeadManifests(babel, { api: api() })).queries).toBe(2);
    const requests: HeadManifestRequest[] = [
      ...babel,
      ...['widget-parser', 'same-name', 'no-manifest', 'vanished'].flatMap((name) =>
        paths(20, 'm').map((p) => ({ owner: 'acme', name, path: p })),
      ),
    ];
    const result = await readHeadManifests(requests, { api: api() });
    // babel's first 25 with the four others' 80 would be 105: babel 25 + 60, then babel 5 + 20
    expect(result.queries).toBe(2);
    expect(github.requests.map((r) => r.graphql)).toEqual(
      Array.from({ length: 4 }, () => ({ cost: 1, nodes: 0 })),
    );
    expect(result.outcomes.size).toBe(110);
    expect(result.outcomes.get('babel/babel:packages/babel-core/package.json')?.kind).toBe('found');
    expect([...result.outcomes.values()].filter((o) => o.kind === 'absent')).toHaveLength(109);
  });

  it('splits a query GitHub could not execute, down to one repository that fails alone', async () => {
    await restartGithub({ faults: { '/graphql': [{ status: 502 }, { status: 502 }] } });
    const result = await readHeadManifests(
      [
        { owner: 'babel', name: 'babel', path: 'packages/babel-core/package.json' },
        { owner: 'acme', name: 'same-name', path: 'package.json' },
      ],
      { api: api() },
    );
    // both, then babel alone (502 again: fails), then acme/same-name alone
    expect(github.requests.map((r) => r.status)).toEqual([502, 502, 200]);
    expect(result.queries).toBe(1);
    expect(result.outcomes.get('babel/babel:packages/babel-core/package.json')).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/^GitHub could not read the file: /),
    });
    expect(result.outcomes.get('acme/same-name:package.json')?.kind).toBe('found');
  });

  it('stops every lookup left when GitHub refuses the token', async () => {
    const requests = Array.from({ length: MANIFESTS_PER_QUERY + 1 }, (_, i) => ({
      owner: 'acme',
      name: `repo-${i}`,
      path: 'package.json',
    }));
    const result = await readHeadManifests(requests, { api: api('not-the-token') });
    expect(github.requests.map((r) => r.status)).toEqual([401]);
    expect(result.queries).toBe(0);
    expect(result.outcomes.size).toBe(requests.length);
    expect([...result.outcomes.values()].every((o) => o.kind === 'failed')).toBe(true);
  });
});

describe('the manifests query', () => {
  it('is valid against GitHub schema, costs 1 point and holds no name or path', () => {
    const units = Array.from({ length: MANIFESTS_PER_QUERY / MANIFESTS_PER_REPOSITORY }, (_, i) => ({
      repository: { owner: 'acme', name: `repo-${i}` },
      paths: Array.from({ length: MANIFESTS_PER_REPOSITORY }, (_, j) => `packages/p${j}/package.json`),
    }));
    const { query, variables } = manifestsQuery(units);
    expect(validate(query)).toEqual([]);
    const document = parse(query);
    expect(queryCost(document, variables)).toBe(1);
    expect(queryNodeCount(document, variables)).toBe(0);
    expect(variables.r3owner).toBe('acme');
    expect(variables.e3_24).toBe('HEAD:packages/p24/package.json');
    expect(query).not.toMatch(/acme|repo-|package\.json|HEAD:/);
  });
});

describe('the published-names step', () => {
  it('offers what each source folder publishes now, null for its own name, no file or no usable name', async () => {
    const result = await findPublishedNames(sample(), request());
    expect(result.publishedNames).toEqual(EXPECTED);
    expect(publishedNameKey(babelCore)).toBe('github.com/babel/babel:packages/babel-core/package.json');
    expect(result.problems).toEqual([]);
    expect(result.queries).toBe(1);
    expect(github.count('graphql')).toBe(1);
  });

  it('keeps the new name for a package sharing the folder with the one the manifest names', async () => {
    const babelScoped = component('npm', 'core', {
      group: '@babel',
      repository: { owner: 'babel', name: 'babel', directory: 'packages/babel-core' },
    });
    const shared = await findPublishedNames(inventoryOf([babelCore, babelScoped]), request());
    expect(shared.publishedNames?.get(publishedNameKey(babelScoped)!)).toEqual({
      purl: 'pkg:npm/%40babel/core',
      manifest: BABEL_CORE,
    });
    const alone = await findPublishedNames(inventoryOf([babelScoped]), request());
    expect(alone.publishedNames?.get(publishedNameKey(babelScoped)!)).toBeNull();
  });

  it('refuses a hostile directory without asking: one note, kept as nothing to offer', async () => {
    const hostile = [
      component('npm', 'climber', {
        repository: { owner: 'acme', name: 'same-name', directory: '../../../etc' },
      }),
      component('npm', 'slashed', {
        repository: { owner: 'acme', name: 'no-manifest', directory: 'packages\\evil' },
      }),
    ];
    const result = await findPublishedNames(inventoryOf(hostile), request());
    expect(github.count()).toBe(0);
    expect([...result.publishedNames!.values()]).toEqual([null, null]);
    expect(result.problems).toEqual([
      {
        severity: 'info',
        code: 'planb.published-names.unusable',
        message:
          '2 manifests at HEAD not read (acme/same-name, acme/no-manifest): ' +
          'not read: the path has an empty, . or .. segment ("../../../etc/package.json")',
        hint: 'The package metadata names a folder or file no manifest can be read from; no new name is offered for it.',
      },
    ]);
    // kept: the next run neither asks nor tells again
    expect(await findPublishedNames(inventoryOf(hostile), request())).toMatchObject({
      problems: [],
      queries: 0,
    });
  });

  it('answers from the cache for the repository signals TTL, and offline whatever its age', async () => {
    await findPublishedNames(sample(), request());
    expect(github.count('graphql')).toBe(1);
    const again = await findPublishedNames(sample(), request({ clock: () => READ_AT + 6 * DAY }));
    expect(github.count('graphql')).toBe(1);
    expect(again).toEqual({ publishedNames: EXPECTED, problems: [], queries: 0 });
    const offline = await findPublishedNames(
      sample(),
      request({ offline: true, token: undefined, clock: () => READ_AT + 30 * DAY }),
    );
    expect(github.count('graphql')).toBe(1);
    expect(offline.publishedNames).toEqual(EXPECTED);
    await findPublishedNames(sample(), request({ clock: () => READ_AT + 8 * DAY }));
    expect(github.count('graphql')).toBe(2);
  });

  it('asks nothing without a token, or offline, and reports nothing', async () => {
    expect(await findPublishedNames(sample(), request({ token: undefined }))).toEqual({
      problems: [],
      queries: 0,
    });
    expect(await findPublishedNames(sample(), request({ offline: true }))).toEqual({
      problems: [],
      queries: 0,
    });
    expect(github.count()).toBe(0);
  });

  it('reads only components that need a plan B and whose repository GitHub can be asked about', async () => {
    const skipped = [
      component('npm', 'healthy', { health: 'HEALTHY', repository: { owner: 'acme', name: 'same-name' } }),
      component('npm', 'unknown', { health: 'UNKNOWN', repository: { owner: 'acme', name: 'same-name' } }),
      component('npm', 'ours', { repository: { owner: 'acme', name: 'same-name', from: 'first-party' } }),
      component('npm', 'unsure', { repository: { owner: 'acme', name: 'same-name', confidence: 'low' } }),
      component('npm', 'on-gitlab', { repository: { owner: 'acme', name: 'same-name', host: 'gitlab.com' } }),
    ];
    expect(await findPublishedNames(inventoryOf(skipped), request())).toEqual({ problems: [], queries: 0 });
    expect(github.count()).toBe(0);
  });

  it('a failed read is one warning naming up to 3 repositories, and is not cached', async () => {
    // four repositories, then two and two, then each alone: 7 queries, all refused
    await restartGithub({ faults: { '/graphql': Array.from({ length: 7 }, () => ({ status: 502 })) } });
    const four = inventoryOf([babelCore, widgetParser, sameName, noManifest]);
    const failed = await findPublishedNames(four, request());
    expect(github.count('graphql')).toBe(7);
    expect(failed.publishedNames?.size).toBe(0);
    expect(failed.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'planb.published-names.failed',
        message: expect.stringMatching(
          /^new package names not read for 4 manifests in 4 repositories \(babel\/babel, acme\/widget-parser, acme\/same-name, \.\.\.\): GitHub could not read the file: /,
        ),
      }),
    ]);
    const later = await findPublishedNames(four, request());
    expect(github.count('graphql')).toBe(8);
    expect(later.problems).toEqual([]);
    expect(later.publishedNames?.get(publishedNameKey(babelCore)!)).toEqual(
      EXPECTED.get(publishedNameKey(babelCore)!),
    );
  });
});
