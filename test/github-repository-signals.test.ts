import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '@octokit/graphql-schema';
import { parse } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component, Inventory, RegistryFacts } from '../src/core/model.js';
import { cacheUsage } from '../src/net/cache.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { addRepositorySignals, type RepositorySignalsRequest } from '../src/pipeline/repository-signals.js';
import { createGitHubApi, PrimaryRateLimit } from '../src/sources/github-octokit.js';
import {
  readRepositorySignals,
  REPOSITORIES_PER_SIGNALS_QUERY,
  signalsQuery,
  type RepositoryName,
} from '../src/sources/github-repository-signals.js';
import {
  startGithubEmulator,
  type GithubEmulator,
  type GithubEmulatorOptions,
} from './servers/github-emulator.js';
import { queryCost, queryNodeCount } from './servers/github-graphql.js';
import { bareInventory } from './helpers/sample-inventory.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../fixtures/health/github');
const TOKEN = 'fixture-signals-token-not-a-real-one';
const NOW = new Date('2025-06-15T00:00:00.000Z');
const READ_AT = Date.parse('2025-06-15T09:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

let cacheDir: string;
const clients: ClosableHttpClient[] = [];

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-signals-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await rm(cacheDir, { recursive: true, force: true });
});

async function withGithub<T>(
  options: Partial<GithubEmulatorOptions>,
  run: (emulator: GithubEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startGithubEmulator({ corpus: fixtures, token: TOKEN, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

function client(options: { offline?: boolean; retries?: number } = {}): ClosableHttpClient {
  const made = createHttpClient({
    cacheDir,
    userAgent: 'oss-inventory-test',
    env: {},
    random: () => 0,
    sleep: async () => {},
    ...options,
  });
  clients.push(made);
  return made;
}

function request(emulator: GithubEmulator | undefined, extra: Partial<RepositorySignalsRequest> = {}) {
  return {
    client: client({ offline: extra.offline }),
    baseUrl: emulator?.url ?? 'http://127.0.0.1:9',
    token: TOKEN,
    offline: false,
    cacheDir,
    clock: () => READ_AT,
    ...extra,
  } satisfies RepositorySignalsRequest;
}

function npmComponent(name: string, registry: Partial<RegistryFacts>): Component {
  return {
    purl: `pkg:npm/${name}@1.0.0`,
    ecosystem: 'npm',
    name,
    version: '1.0.0',
    locked: true,
    scopes: ['runtime'],
    direct: true,
    sourceKind: 'registry',
    license: { status: 'known', declared: ['MIT'] },
    registry: { status: 'found', document: `https://registry.npmjs.org/${name}`, funding: [], ...registry },
    dependsOn: [],
    usedBy: [],
  };
}

const inventoryOf = (components: Component[], generatedAt = NOW.toISOString()): Inventory =>
  bareInventory(components, generatedAt);

const sample = (generatedAt?: string) =>
  inventoryOf(
    [
      npmComponent('lively', { repository: { url: 'https://github.com/acme/lively' } }),
      npmComponent('lively-twin', {
        repository: { url: 'https://github.com/ACME/Lively', directory: 'packages/twin' },
      }),
      npmComponent('archived', { repository: { url: 'https://github.com/acme/archived-lib' } }),
      npmComponent('gone', { repository: { url: 'https://github.com/acme/deleted-long-ago' } }),
      npmComponent('on-gitlab', { repository: { url: 'https://gitlab.com/acme/thing' } }),
      npmComponent('no-repository', {}),
    ],
    generatedAt,
  );

const byName = (inventory: Inventory) => new Map(inventory.components.map((c) => [c.name, c]));

describe('the signals query', () => {
  it('is valid against GitHub schema and costs 1 point per 50 repositories', () => {
    const batch = names(REPOSITORIES_PER_SIGNALS_QUERY);
    const { query, variables } = signalsQuery(batch, NOW);
    expect(validate(query)).toEqual([]);
    const document = parse(query);
    expect(queryCost(document, variables)).toBe(1);
    expect(queryNodeCount(document, variables)).toBe(REPOSITORIES_PER_SIGNALS_QUERY * 100);
    expect(variables.since90).toBe('2025-03-17T00:00:00.000Z');
    expect(variables.since365).toBe('2024-06-15T00:00:00.000Z');
    expect(query).not.toContain('acme');
  });
});

describe('reading repository signals from GitHub', () => {
  it('reads archived, disabled, commits in 90 and 365 days, committers (bots left out), release, policy, funding', async () => {
    await withGithub({}, async (emulator) => {
      const api = apiFor(emulator, client());
      const result = await readRepositorySignals(
        ['lively', 'archived-lib', 'quiet', 'solo', 'disabled-one', 'missing-one'].map((name) => ({
          owner: 'acme',
          name,
        })),
        { api, asOf: NOW, readAt: () => '2025-06-15T09:00:00.000Z' },
      );
      expect(result.queries).toBe(1);
      expect(result.points).toBe(1);
      const of = (name: string) => result.outcomes.get(`acme/${name}`);
      expect(of('lively')).toEqual({
        kind: 'found',
        signals: {
          status: 'found',
          readAt: '2025-06-15T09:00:00.000Z',
          archived: false,
          disabled: false,
          pushedAt: '2025-06-10T08:00:00Z',
          lastCommitAt: '2025-06-10T08:00:00.000Z',
          lastReleaseAt: '2025-05-21T12:00:00.000Z',
          lastReleaseTag: 'v2.1.0',
          fundingLinks: 2,
          securityPolicy: true,
          commitsLast90Days: 5,
          commitsLast365Days: 7,
          activeCommittersLast12Months: 3,
        },
      });
      expect(of('archived-lib')?.signals).toMatchObject({ archived: true, commitsLast365Days: 0 });
      expect(of('disabled-one')?.signals).toMatchObject({ disabled: true });
      expect(of('quiet')?.signals).toMatchObject({
        lastCommitAt: '2022-03-01T00:00:00.000Z',
        commitsLast90Days: 0,
        commitsLast365Days: 0,
        activeCommittersLast12Months: 0,
        lastReleaseAt: null,
        securityPolicy: false,
        fundingLinks: 0,
      });
      expect(of('solo')?.signals).toMatchObject({ commitsLast365Days: 3, activeCommittersLast12Months: 1 });
      expect(of('missing-one')).toEqual({
        kind: 'not-found',
        signals: {
          status: 'missing',
          reason: 'GitHub has no repository acme/missing-one (renamed, deleted or private)',
          readAt: '2025-06-15T09:00:00.000Z',
        },
      });
    });
  });

  it('spends 2 points per 100 distinct repositories: 50 per query', async () => {
    await withGithub({}, async (emulator) => {
      const result = await readRepositorySignals([...names(100), ...names(100)], {
        api: apiFor(emulator, client()),
        asOf: NOW,
        readAt: () => NOW.toISOString(),
      });
      const queries = emulator.requests.filter((r) => r.kind === 'graphql');
      expect(queries.map((q) => q.graphql)).toEqual([
        { cost: 1, nodes: 5000 },
        { cost: 1, nodes: 5000 },
      ]);
      expect(result).toMatchObject({ queries: 2, points: 2 });
      expect(result.outcomes.size).toBe(100);
      expect([...result.outcomes.values()].every((o) => o.kind === 'not-found')).toBe(true);
    });
  });

  it('splits a query GitHub could not execute and reads each half again', async () => {
    const fault = { status: 502, message: 'Server Error' };
    await withGithub({ faults: { '/graphql': [fault, fault, fault] } }, async (emulator) => {
      const result = await readRepositorySignals(
        ['lively', 'solo', 'quiet', 'archived-lib'].map((name) => ({ owner: 'acme', name })),
        { api: apiFor(emulator, client({ retries: 0 })), asOf: NOW, readAt: () => NOW.toISOString() },
      );
      // 4 fail, 2 fail, 1 fails (a reason of its own), then 1 and the other half of 2 succeed.
      expect(emulator.requests.filter((r) => r.kind === 'graphql').map((r) => r.status)).toEqual([
        502, 502, 502, 200, 200,
      ]);
      expect(result.outcomes.get('acme/lively')).toMatchObject({
        kind: 'failed',
        code: 'request-failed',
        signals: { status: 'missing', reason: expect.stringMatching(/^GitHub could not answer: .*502/) },
      });
      for (const name of ['solo', 'quiet', 'archived-lib']) {
        expect(result.outcomes.get(`acme/${name}`)?.kind).toBe('found');
      }
    });
  });

  it('stops at an exhausted rate limit it may not wait for, every repository saying why', async () => {
    await withGithub({ rateLimit: { graphqlLimit: 0 } }, async (emulator) => {
      const limit = new PrimaryRateLimit({ maxWaitMs: 0, now: Date.now });
      const result = await readRepositorySignals(names(60), {
        api: createGitHubApi({ baseUrl: emulator.url, token: TOKEN, client: client(), primaryLimit: limit }),
        asOf: NOW,
        readAt: () => NOW.toISOString(),
        onRateLimited: async () => false,
      });
      expect(emulator.count('graphql')).toBe(1);
      expect(new Set([...result.outcomes.values()].map((o) => o.kind === 'failed' && o.code))).toEqual(
        new Set(['rate-limited']),
      );
      expect(result.outcomes.size).toBe(60);
    });
  });
});

describe('the repository-signals pipeline step', () => {
  it('reads each distinct GitHub repository once and says why the others are not read', async () => {
    await withGithub({}, async (emulator) => {
      const out = byName(await addRepositorySignals(sample(), request(emulator)));
      expect(emulator.count('graphql')).toBe(1);
      expect(out.get('lively')?.sourceRepository).toEqual({
        url: 'https://github.com/acme/lively',
        host: 'github.com',
        owner: 'acme',
        name: 'lively',
        confidence: 'high',
        from: 'npm repository',
      });
      expect(out.get('lively-twin')?.sourceRepository?.directory).toBe('packages/twin');
      expect(out.get('lively-twin')?.repositorySignals).toEqual(out.get('lively')?.repositorySignals);
      expect(out.get('lively')?.repositorySignals).toMatchObject({ status: 'found', commitsLast90Days: 5 });
      expect(out.get('archived')?.repositorySignals).toMatchObject({ status: 'found', archived: true });
      expect(out.get('gone')?.repositorySignals).toMatchObject({
        status: 'missing',
        reason: 'GitHub has no repository acme/deleted-long-ago (renamed, deleted or private)',
      });
      expect(out.get('on-gitlab')?.repositorySignals).toEqual({
        status: 'missing',
        reason: 'the source repository is on gitlab.com: only GitHub repositories are read',
        readAt: NOW.toISOString(),
      });
      expect(out.get('no-repository')?.sourceRepository).toBeUndefined();
      expect(out.get('no-repository')?.repositorySignals).toBeUndefined();
    });
  });

  it('without a token asks nothing: signals missing with the reason, and one warning', async () => {
    await withGithub({}, async (emulator) => {
      const inventory = await addRepositorySignals(sample(), request(emulator, { token: undefined }));
      expect(emulator.count()).toBe(0);
      expect(byName(inventory).get('lively')?.repositorySignals).toEqual({
        status: 'missing',
        reason: 'no GitHub token (GitHub GraphQL needs one)',
        readAt: NOW.toISOString(),
      });
      expect(inventory.problems).toEqual([
        expect.objectContaining({
          severity: 'warning',
          code: 'health.repository.no-token',
          message: expect.stringContaining(
            '3 repositories (acme/lively, acme/archived-lib, acme/deleted-long-ago)',
          ),
        }),
      ]);
    });
  });

  it('serves fresh signals from the cache, asks again once they are older than the TTL, and offline uses any age', async () => {
    await withGithub({}, async (emulator) => {
      await addRepositorySignals(sample(), request(emulator));
      expect(emulator.count('graphql')).toBe(1);
      expect((await cacheUsage(cacheDir)).entries).toBe(3);

      let stats;
      const later = (days: number) => new Date(READ_AT + days * DAY).toISOString();
      const sixDaysLater = request(emulator, { clock: () => READ_AT + 6 * DAY, onRead: (s) => (stats = s) });
      const again = byName(await addRepositorySignals(sample(later(6)), sixDaysLater));
      expect(emulator.count('graphql')).toBe(1);
      expect(stats).toEqual({ repositories: 3, fromCache: 3, queries: 0, points: 0 });
      expect(again.get('lively')?.repositorySignals?.readAt).toBe(NOW.toISOString());

      const offline = request(emulator, { offline: true, token: undefined, clock: () => READ_AT + 30 * DAY });
      const fromCache = await addRepositorySignals(sample(later(30)), offline);
      expect(emulator.count('graphql')).toBe(1);
      expect(byName(fromCache).get('lively')?.repositorySignals).toMatchObject({ status: 'found' });
      expect(fromCache.problems).toEqual([]);

      const eightDaysLater = request(emulator, { clock: () => READ_AT + 8 * DAY });
      const refreshed = byName(await addRepositorySignals(sample(later(8)), eightDaysLater));
      expect(emulator.count('graphql')).toBe(2);
      expect(refreshed.get('lively')?.repositorySignals?.readAt).toBe(later(8));
    });
  });

  it('offline with nothing cached: missing, with a note', async () => {
    const inventory = await addRepositorySignals(sample(), request(undefined, { offline: true }));
    expect(byName(inventory).get('archived')?.repositorySignals).toMatchObject({
      status: 'missing',
      reason: 'offline, and not in the repository cache',
    });
    expect(inventory.problems.map((p) => [p.severity, p.code])).toEqual([
      ['info', 'health.repository.offline'],
    ]);
  });

  it('a TTL of 0 and --no-cache keep nothing', async () => {
    await withGithub({}, async (emulator) => {
      await addRepositorySignals(sample(), request(emulator, { ttlMs: 0 }));
      await addRepositorySignals(sample(), request(emulator, { cacheDir: null }));
      expect(emulator.count('graphql')).toBe(2);
      expect((await cacheUsage(cacheDir)).entries).toBe(0);
    });
  });
});

function names(n: number): RepositoryName[] {
  return Array.from({ length: n }, (_, i) => ({ owner: 'elsewhere', name: `repo-${i}` }));
}

function apiFor(emulator: GithubEmulator, httpClient: ClosableHttpClient) {
  return createGitHubApi({
    baseUrl: emulator.url,
    token: TOKEN,
    client: httpClient,
    primaryLimit: new PrimaryRateLimit({ maxWaitMs: 0, now: Date.now }),
  });
}
