import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLicenseKnowledge } from '../src/licenses/knowledge.js';
import type { Component, Inventory } from '../src/core/model.js';
import { describeNpmTargets } from '../src/ecosystems/npm/describe.js';
import type { NetworkContext } from '../src/ecosystems/types.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { loadHealthOverrides, runHealth } from '../src/pipeline/health.js';
import { loadPlanBKnowledge } from '../src/pipeline/planb.js';
import { bareInventory } from './helpers/sample-inventory.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

const repo = path.resolve(import.meta.dirname, '..');
const TOKEN = 'fixture-published-names-token-not-real';
const NOW = '2025-06-15T00:00:00.000Z';

let cacheDir: string;
let github: GithubEmulator;
let registry: NpmRegistry;
let client: ClosableHttpClient;

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-published-'));
  github = await startGithubEmulator({
    corpus: path.join(repo, 'fixtures/published-names/github'),
    token: TOKEN,
  });
  registry = await startNpmRegistry({ dir: path.join(repo, 'fixtures/planb/registry') });
  client = createHttpClient({
    cacheDir,
    userAgent: 'oss-inventory-test',
    env: {},
    random: () => 0,
    sleep: async () => {},
    retries: 0,
  });
});
afterEach(async () => {
  await client.close();
  await Promise.all([github.close(), registry.close()]);
  await rm(cacheDir, { recursive: true, force: true });
});

/** babel-core 6, last released in 2018, from babel/babel's packages/babel-core folder. */
function babelCore(): Component {
  return {
    purl: 'pkg:npm/babel-core@6.26.3',
    ecosystem: 'npm',
    name: 'babel-core',
    version: '6.26.3',
    locked: true,
    scopes: ['runtime'],
    direct: true,
    sourceKind: 'registry',
    license: { status: 'known', declared: ['MIT'], expression: 'MIT', category: 'permissive' },
    registry: {
      status: 'found',
      document: `${registry.url}babel-core`,
      funding: [],
      repository: { url: 'https://github.com/babel/babel', directory: 'packages/babel-core' },
      latest: { version: '6.26.3', publishedAt: '2018-04-28T00:00:00.000Z' },
      publishedAt: '2018-04-28T00:00:00.000Z',
      lastReleaseAt: '2018-04-28T00:00:00.000Z',
    },
    dependsOn: [],
    usedBy: [
      { project: 'acme:app', manifest: 'package-lock.json', scopes: ['runtime'], direct: true, path: [] },
    ],
  };
}

const inventoryOf = (components: Component[]): Inventory => bareInventory(components, NOW);

async function assess(inventory: Inventory, { token }: { token?: string } = { token: TOKEN }) {
  const network: NetworkContext = {
    client,
    withProxies: () => client,
    ledger: () => [],
    offline: false,
    env: {},
    homedir: tmpdir(),
    registry: registry.url,
  };
  const { overrides } = await loadHealthOverrides({});
  return runHealth(
    inventory,
    {
      overrides,
      planB: loadPlanBKnowledge().knowledge,
      repositories: { baseUrl: github.url, token, cacheDir, clock: () => Date.parse(NOW) },
    },
    network,
    {
      describe: (refs) => describeNpmTargets(refs, { subjects: [], network, now: new Date(NOW) }),
      licenses: await loadLicenseKnowledge(),
      offline: false,
    },
  );
}

describe('plan B: the name a source folder publishes now, from GitHub and the registry', () => {
  it('offers @babel/core for babel-core: read at HEAD, published from the same repository, its license known', async () => {
    const inventory = await assess(inventoryOf([babelCore()]));
    const core = inventory.components[0]!;
    expect(['EOL', 'ABANDONED', 'AT_RISK']).toContain(core.health!.class);
    expect(core.planB!.options.filter((o) => o.confidence !== 'suggested')).toEqual([
      {
        kind: 'successor',
        target: 'pkg:npm/%40babel/core',
        confidence: 'inferred',
        source: 'source repository',
        evidence:
          'https://github.com/babel/babel/blob/HEAD/packages/babel-core/package.json names pkg:npm/%40babel/core ' +
          'at HEAD: its source folder publishes under that name now',
        targetLicense: 'MIT',
      },
    ]);
    expect(registry.requests.map((r) => r.path)).toEqual(['/@babel%2fcore']);
  });

  it('without a token reads nothing at HEAD, and offers no new name', async () => {
    const inventory = await assess(inventoryOf([babelCore()]), {});
    expect(github.count('graphql')).toBe(0);
    expect(inventory.components[0]!.planB!.options.some((o) => o.source === 'source repository')).toBe(false);
  });
});
