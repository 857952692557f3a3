import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validate } from '@octokit/graphql-schema';
import { parse } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component, Health, Inventory, PlanBOption } from '../src/core/model.js';
import { assignPlanB, type MaintainedFork } from '../src/core/planb.js';
import type { NetworkContext } from '../src/ecosystems/types.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { loadHealthOverrides, runHealth } from '../src/pipeline/health.js';
import { loadPlanBKnowledge } from '../src/pipeline/planb.js';
import {
  FORK_MIN_COMMITS_LAST_12_MONTHS,
  forksQuery,
  REPOSITORIES_PER_FORKS_QUERY,
} from '../src/sources/github-forks.js';
import { bareInventory } from './helpers/sample-inventory.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';
import { queryCost } from './servers/github-graphql.js';

const corpus = path.resolve(import.meta.dirname, '../fixtures/planb-forks/github');
const TOKEN = 'fixture-forks-token-not-a-real-one';
const NOW = '2025-06-15T00:00:00.000Z';
const READ_AT = Date.parse('2025-06-15T09:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

let cacheDir: string;
let github: GithubEmulator;
const clients: ClosableHttpClient[] = [];

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-forks-'));
  github = await startGithubEmulator({ corpus, token: TOKEN });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await github.close();
  await rm(cacheDir, { recursive: true, force: true });
});

function npmComponent(name: string, repository: string): Component {
  return {
    purl: `pkg:npm/${name}@2.0.0`,
    ecosystem: 'npm',
    name,
    version: '2.0.0',
    locked: true,
    scopes: ['runtime'],
    direct: true,
    sourceKind: 'registry',
    license: { status: 'known', declared: ['MIT'] },
    registry: {
      status: 'found',
      document: `https://registry.npmjs.org/${name}`,
      funding: [],
      repository: { url: repository },
      latest: { version: '2.0.0', publishedAt: '2020-02-01T00:00:00.000Z' },
      publishedAt: '2020-02-01T00:00:00.000Z',
    },
    dependsOn: [],
    usedBy: [
      { project: 'acme:app', manifest: 'package-lock.json', scopes: ['runtime'], direct: true, path: [] },
    ],
  };
}

const inventoryOf = (components: Component[]): Inventory => bareInventory(components, NOW);

const sample = () =>
  inventoryOf([
    npmComponent('old-widget', 'https://github.com/acme/old-widget'),
    npmComponent('dusty', 'https://github.com/acme/dusty'),
  ]);

interface ScanOptions {
  token?: string;
  offline?: boolean;
  clock?: number;
  planB?: boolean;
}

async function scanHealth(options: ScanOptions = {}) {
  const client = createHttpClient({
    cacheDir,
    userAgent: 'oss-inventory-test',
    env: {},
    random: () => 0,
    sleep: async () => {},
    offline: options.offline,
    retries: 0,
  });
  clients.push(client);
  const network: NetworkContext = {
    client,
    withProxies: () => client,
    ledger: () => [],
    offline: options.offline ?? false,
    env: {},
    homedir: tmpdir(),
  };
  const { overrides } = await loadHealthOverrides({});
  const inventory = await runHealth(
    sample(),
    {
      overrides,
      ...(options.planB === false ? {} : { planB: loadPlanBKnowledge().knowledge }),
      repositories: {
        baseUrl: github.url,
        token: 'token' in options ? options.token : TOKEN,
        cacheDir,
        clock: () => options.clock ?? READ_AT,
      },
    },
    network,
  );
  return { inventory, component: (name: string) => inventory.components.find((c) => c.name === name)! };
}

const forkOptions = (c: Component): PlanBOption[] =>
  c.planB?.options.filter((o) => o.kind === 'maintained-fork') ?? [];

describe('the maintained-fork plan B', () => {
  it('offers the most recently pushed active fork of an archived repository, with its activity', async () => {
    const { inventory, component } = await scanHealth();
    expect(component('old-widget').health?.class).toBe('EOL');
    expect(component('old-widget').health?.reasons.map((r) => r.code)).toContain('repository-archived');
    expect(component('old-widget').planB).toEqual({
      status: 'options',
      options: [
        {
          kind: 'maintained-fork',
          label: 'https://github.com/dave/widget-ng',
          confidence: 'inferred',
          source: 'GitHub forks',
          evidence:
            'https://github.com/dave/widget-ng: a fork of https://github.com/acme/old-widget with 38 commits ' +
            'in the last 12 months, release v3.1.0 on 2025-03-01, last pushed 2025-05-20, 120 stars',
        },
      ],
    });
    expect(inventory.problems.filter((p) => p.code.startsWith('planb.'))).toEqual([]);
    // signals, then the forks of both archived repositories in one query, then their manifests at HEAD
    expect(github.requests.map((r) => `${r.method} ${r.kind} ${r.status}`)).toEqual([
      'POST graphql 200',
      'POST graphql 200',
      'POST graphql 200',
    ]);
  });

  it('does not offer forks that are archived, inactive or without a recent release', async () => {
    const { component } = await scanHealth();
    expect(component('dusty').health?.class).toBe('EOL');
    expect(forkOptions(component('dusty'))).toEqual([]);
    expect(component('dusty').planB?.status).toBe('none-found');
    expect(component('dusty').planB?.options.every((o) => o.kind === 'survive')).toBe(true);
  });

  it('without a token looks nothing up and does not fail', async () => {
    const { inventory, component } = await scanHealth({ token: undefined });
    expect(github.count()).toBe(0);
    expect(forkOptions(component('old-widget'))).toEqual([]);
    expect(component('old-widget').planB?.status).toBeDefined();
    expect(inventory.problems.filter((p) => p.code.startsWith('planb.'))).toEqual([]);
  });

  it('keeps what it found in the cache for the repository signals TTL; offline the cache answers', async () => {
    await scanHealth();
    expect(github.count('graphql')).toBe(3);
    const again = await scanHealth({ clock: READ_AT + 6 * DAY });
    expect(github.count('graphql')).toBe(3);
    expect(forkOptions(again.component('old-widget'))).toHaveLength(1);
    expect(again.component('dusty').planB?.status).toBe('none-found');

    const offline = await scanHealth({ offline: true, token: undefined, clock: READ_AT + 30 * DAY });
    expect(github.count('graphql')).toBe(3);
    expect(forkOptions(offline.component('old-widget'))).toHaveLength(1);

    await scanHealth({ clock: READ_AT + 8 * DAY });
    expect(github.count('graphql')).toBe(6);
  });

  it('a failed lookup is one warning, and plan B goes on without forks', async () => {
    await scanHealth({ planB: false });
    expect(github.count('graphql')).toBe(1);
    await github.close();
    const failing = Array.from({ length: 5 }, () => ({ status: 502 }));
    github = await startGithubEmulator({ corpus, token: TOKEN, faults: { '/graphql': failing } });
    const { inventory, component } = await scanHealth();
    // the forks: the batch of two, then each repository alone; the manifests at HEAD: the batch of two, then
    // each alone (the fifth fault is the last)
    expect(github.count('graphql')).toBe(6);
    expect(component('old-widget').health?.class).toBe('EOL');
    expect(forkOptions(component('old-widget'))).toEqual([]);
    expect(inventory.problems.filter((p) => p.code === 'planb.forks.failed')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('2 repositories (acme/old-widget, acme/dusty)'),
      }),
    ]);
  });
});

describe('the forks query', () => {
  it('is valid against GitHub schema and costs 2 points for a full batch', () => {
    const batch = Array.from({ length: REPOSITORIES_PER_FORKS_QUERY }, (_, i) => ({
      owner: 'acme',
      name: `r${i}`,
    }));
    const { query, variables } = forksQuery(batch, new Date(NOW));
    expect(validate(query)).toEqual([]);
    expect(queryCost(parse(query), variables)).toBe(2);
    expect(variables.since).toBe('2024-06-15T00:00:00.000Z');
    expect(query).not.toContain('acme');
  });
});

describe('maintained forks in the plan-B engine', () => {
  const fork: MaintainedFork = {
    repository: 'dave/widget-ng',
    url: 'https://github.com/dave/widget-ng',
    pushedAt: '2025-05-20T00:00:00Z',
    commitsLast12Months: FORK_MIN_COMMITS_LAST_12_MONTHS,
    lastReleaseTag: 'v3.1.0',
    lastReleaseAt: '2025-03-01T00:00:00Z',
    stars: 1,
  };
  const health = (cls: Health['class'], codes: string[]): Health => ({
    class: cls,
    reasons: codes.map((code) => ({ code, message: code })),
    score: 0,
    priority: 1,
    exposure: { projects: 1, directProjects: 1, runtimeProjects: 1, devOnly: false },
    assessedAt: NOW,
  });
  const withRepository = (h: Health): Component => ({
    ...npmComponent('old-widget', 'https://github.com/acme/old-widget'),
    sourceRepository: {
      url: 'https://github.com/acme/old-widget',
      host: 'github.com',
      owner: 'acme',
      name: 'old-widget',
      confidence: 'high',
      from: 'npm repository',
    },
    health: h,
  });
  const planOf = (c: Component) => {
    const { knowledge } = loadPlanBKnowledge();
    const forks = new Map([['github.com/acme/old-widget', fork]]);
    return assignPlanB(inventoryOf([c]), { ...knowledge, forks }).components[0]!.planB!;
  };

  it('offers the fork to an ABANDONED component and to an EOL one whose repository is archived', () => {
    expect(planOf(withRepository(health('ABANDONED', ['stale-release']))).options[0]).toMatchObject({
      kind: 'maintained-fork',
      confidence: 'inferred',
    });
    expect(planOf(withRepository(health('EOL', ['repository-archived']))).status).toBe('options');
  });

  it('not to a component EOL for another reason, nor to a healthy or at-risk one', () => {
    for (const h of [health('EOL', ['deprecated']), health('AT_RISK', []), health('HEALTHY', [])]) {
      expect(forkOptions({ ...withRepository(h), planB: planOf(withRepository(h)) })).toEqual([]);
    }
  });
});
