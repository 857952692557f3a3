import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';
import { startMavenRepository } from './servers/maven-repository.js';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

const repo = path.resolve(import.meta.dirname, '..');
const app = path.join(repo, 'fixtures', 'health', 'app');
const TOKEN = 'fixture-health-token-not-a-real-one';
/** 2025-06-15T00:00:00Z: the fixtures' dates are around it. */
const EPOCH = '1749945600';
let work: string;
let registry: NpmRegistry;
let github: GithubEmulator;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-health-'));
  registry = await startNpmRegistry({ dir: path.join(repo, 'fixtures', 'health', 'registry') });
  github = await startGithubEmulator({
    corpus: path.join(repo, 'fixtures', 'health', 'github'),
    token: TOKEN,
  });
});
afterEach(async () => {
  await registry.close();
  await github.close();
  await rm(work, { recursive: true, force: true });
});

async function scan(extra: string[], env: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN }) {
  const out = path.join(work, 'out');
  const args = ['scan', app, '--registry', registry.url, '--github-url', github.url];
  const result = await runCli([...args, '--cache-dir', path.join(work, 'cache'), '-o', out, '-v', ...extra], {
    cwd: repo,
    env: { SOURCE_DATE_EPOCH: EPOCH, ...env },
  });
  const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
  return {
    result,
    inventory,
    component: (name: string) => inventory.components.find((c) => c.name === name)!,
  };
}

const health = (c: Component) => [c.health?.class, c.health?.reasons.map((r) => r.code)];

describe('scan with repository signals from GitHub', () => {
  it('reads every source repository in one GraphQL query and classifies with the signals', async () => {
    const { result, inventory, component } = await scan([]);
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    // the signals, then for plan B the forks of the archived repository and the manifests at HEAD
    expect(github.requests.map((r) => `${r.method} ${r.kind} ${r.status}`)).toEqual([
      'POST graphql 200',
      'POST graphql 200',
      'POST graphql 200',
    ]);
    expect(result.stderr).toContain(
      'repository signals: 4 GitHub repositories, 0 from the cache, 1 GraphQL query (1 point)',
    );

    expect(component('lively-lib').sourceRepository).toEqual({
      url: 'https://github.com/acme/lively',
      host: 'github.com',
      owner: 'acme',
      name: 'lively',
      confidence: 'high',
      from: 'npm repository',
    });
    expect(component('lively-lib').repositorySignals).toMatchObject({
      status: 'found',
      readAt: '2025-06-15T00:00:00.000Z',
      commitsLast90Days: 5,
      activeCommittersLast12Months: 3,
      lastReleaseTag: 'v2.1.0',
    });
    expect(health(component('lively-lib'))[0]).toBe('HEALTHY');
    expect(health(component('archived-lib'))).toEqual([
      'EOL',
      expect.arrayContaining(['repository-archived']),
    ]);
    expect(health(component('solo-lib'))).toEqual(['AT_RISK', expect.arrayContaining(['single-committer'])]);
    expect(component('gone-lib').repositorySignals).toEqual({
      status: 'missing',
      reason: 'GitHub has no repository acme/deleted-long-ago (renamed, deleted or private)',
      readAt: '2025-06-15T00:00:00.000Z',
    });
    expect(inventory.problems.map((p) => p.code)).toEqual(['health.repository.not-found']);
    // The GraphQL requests are among the run's requests.
    expect(inventory.run.network.find((h) => h.host === new URL(github.url).host)).toMatchObject({ sent: 3 });
  });

  it('answers from the cache the next time, and without a token says why signals are missing', async () => {
    await scan([]);
    const { result } = await scan([]);
    expect(result.stderr).toContain('4 GitHub repositories, 4 from the cache, 0 GraphQL queries (0 points)');
    expect(github.count('graphql')).toBe(3);

    const { inventory, component } = await scan(['--no-cache'], {});
    expect(github.count('graphql')).toBe(3);
    expect(component('lively-lib').repositorySignals).toMatchObject({
      status: 'missing',
      reason: 'no GitHub token (GitHub GraphQL needs one)',
    });
    expect(component('lively-lib').health?.class).not.toBe('HEALTHY');
    expect(inventory.problems.filter((p) => p.code === 'health.repository.no-token')).toHaveLength(1);
  });

  it('--no-health reads no repository', async () => {
    const { inventory, component } = await scan(['--no-health']);
    expect(github.count()).toBe(0);
    expect(component('lively-lib')).not.toHaveProperty('repositorySignals');
    expect(component('lively-lib')).not.toHaveProperty('health');
    expect(inventorySchemaErrors(inventory)).toEqual([]);
  });
});

describe('scan of Maven dependencies with repository signals', () => {
  it("reads the repository an artifact's own POM names, not one inherited from another group's parent", async () => {
    const maven = await startMavenRepository({
      dir: path.join(repo, 'fixtures', 'health', 'maven', 'repository'),
    });
    try {
      const settings = path.join(work, 'settings.xml');
      await writeFile(
        settings,
        `<settings><mirrors><mirror><id>fixture</id><url>${maven.url}</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>`,
      );
      const out = path.join(work, 'maven-out');
      const args = [
        'scan',
        path.join(repo, 'fixtures', 'health', 'maven', 'app'),
        '--github-url',
        github.url,
      ];
      const result = await runCli(
        [...args, '--maven-settings', settings, '--cache-dir', path.join(work, 'cache'), '-o', out, '-q'],
        { cwd: repo, env: { SOURCE_DATE_EPOCH: EPOCH, GITHUB_TOKEN: TOKEN } },
      );
      expect(result.code, result.stderr).toBe(0);
      const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
      expect(inventorySchemaErrors(inventory)).toEqual([]);
      const component = (name: string) => inventory.components.find((c) => c.name === name)!;
      expect(component('lively-core').sourceRepository).toEqual({
        url: 'https://github.com/acme/lively',
        host: 'github.com',
        owner: 'acme',
        name: 'lively',
        directory: 'lively-core',
        confidence: 'high',
        from: 'pom scm/url (com.acme:lively-core:2.1.0)',
      });
      expect(component('lively-core').repositorySignals).toMatchObject({
        status: 'found',
        commitsLast90Days: 5,
      });
      expect(component('quiet-tool').sourceRepository).toMatchObject({
        url: 'https://github.com/acme/quiet',
        directory: 'quiet-tool',
        confidence: 'low',
        from: 'pom scm/url (org.example:org-parent:5)',
      });
      expect(component('quiet-tool').repositorySignals).toMatchObject({
        status: 'missing',
        reason: expect.stringMatching(/^the source repository is uncertain/),
      });
      expect(github.count('graphql')).toBe(1);
    } finally {
      await maven.close();
    }
  });
});
