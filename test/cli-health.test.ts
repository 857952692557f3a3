import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { cycloneDxJsonErrors } from './helpers/schema-validation.js';
import { startMavenRepository, type MavenRepositoryServer } from './servers/maven-repository.js';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

const repo = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(repo, 'fixtures', 'health');
/** 2025-06-15T00:00:00Z: the fixed clock of every scan here. */
const EPOCH = '1749945600';
const NOW = '2025-06-15T00:00:00.000Z';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-health-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function scan(args: string[], out: string) {
  const result = await runCli(['scan', ...args, '--cache-dir', path.join(work, 'cache'), '-o', out, '-q'], {
    cwd: repo,
    // no GITHUB_TOKEN: repository signals are missing, and health says so
    env: { SOURCE_DATE_EPOCH: EPOCH },
  });
  const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
  return { result, inventory, out };
}

const byName = (inventory: Inventory, name: string): Component =>
  inventory.components.find((c) => (c.group ? `${c.group}:${c.name}` : c.name) === name)!;
const codes = (c: Component) => c.health!.reasons.map((r) => r.code);

describe('health of npm components, from the fixture registry', () => {
  let registry: NpmRegistry;
  beforeEach(async () => {
    registry = await startNpmRegistry({ dir: path.join(repo, 'fixtures', 'registry') });
  });
  afterEach(async () => {
    await registry.close();
  });

  const npmScan = (out: string, extra: string[] = []) =>
    scan([path.join(fixtures, 'npm-eol'), '--registry', registry.url, ...extra], out);

  it('classifies each component with reasons: latest deprecated, unpublished, no repository, and says what is missing', async () => {
    const { result, inventory } = await npmScan(path.join(work, 'out'));
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);

    const leftPad = byName(inventory, 'left-pad');
    expect(leftPad.registry).toMatchObject({
      latest: { version: '1.3.0', deprecated: 'use String.prototype.padStart() instead' },
    });
    expect(leftPad.health).toMatchObject({
      class: 'EOL',
      exposure: { projects: 1, directProjects: 1, runtimeProjects: 1, devOnly: false },
      priority: 4 * (4 + 2 + 1),
      assessedAt: NOW,
    });
    expect(leftPad.health!.reasons[0]).toEqual({
      code: 'latest-deprecated',
      message: 'its latest version 1.3.0 is deprecated: use String.prototype.padStart() instead',
      values: { latestVersion: '1.3.0', message: 'use String.prototype.padStart() instead' },
    });

    const gone = byName(inventory, 'gone-package');
    expect(gone.registry).toEqual({
      status: 'missing',
      reason: `the package was unpublished from the registry on 2024-03-01T12:00:00.000Z (${registry.url}gone-package)`,
      unpublished: { at: '2024-03-01T12:00:00.000Z' },
    });
    expect(gone.health!.class).toBe('EOL');
    expect(codes(gone)).toEqual(['unpublished', 'registry-facts-missing', 'source-repository-unknown']);

    // indexof: last released in 2012, no repository: stale, activity unknown
    const indexof = byName(inventory, 'indexof');
    expect(indexof.sourceRepository).toBeUndefined();
    expect(indexof.health!.class).toBe('AT_RISK');
    expect(codes(indexof)).toEqual(['stale-release', 'pre-1.0-stale', 'source-repository-unknown']);
    expect(indexof.health!.reasons[0]!.values).toMatchObject({
      lastReleaseAt: '2012-09-05T17:40:20.143Z',
      source: 'npm registry: last publication of any version',
      activityKnown: false,
    });

    // ms: a release 9 months ago (a canary), a GitHub repository whose signals need a token
    const ms = byName(inventory, 'ms');
    expect(ms.health!.class).toBe('MAINTAINED');
    expect(codes(ms)).toEqual(['recent-release', 'healthy-criteria-unmet', 'repository-signals-missing']);
    expect(ms.health!.reasons[2]!.values).toMatchObject({ repository: 'https://github.com/vercel/ms' });
  });

  it('applies the organisation overrides of the configuration and its overrides file, before the shipped ones', async () => {
    await writeFile(
      path.join(work, 'overrides.yaml'),
      [
        'overrides:',
        '  - purl: pkg:npm/ms',
        '    versions: "<2"',
        '    status: end-of-life',
        '    reason: not this version',
        '    citation: https://example.org/ms-1',
        '  - purl: pkg:npm/ms',
        '    versions: ">=2"',
        '    status: feature-complete',
        '    reason: ms does one thing and is done',
        '    citation: https://example.org/ms-2',
        '  - purl: not-a-purl',
        '    status: end-of-life',
        '    reason: r',
        '    citation: https://example.org/bad',
        '',
      ].join('\n'),
    );
    const config = path.join(work, 'config.yaml');
    await writeFile(
      config,
      [
        'health:',
        '  overridesFile: overrides.yaml',
        '  overrides:',
        '    - purl: pkg:npm/indexof',
        '      status: feature-complete',
        '      reason: indexof polyfills Array.prototype.indexOf, which is complete',
        '      citation: https://example.org/indexof',
        '',
      ].join('\n'),
    );
    const { result, inventory } = await npmScan(path.join(work, 'out'), ['--config', config]);
    expect(result.code, result.stderr).toBe(0);
    const indexof = byName(inventory, 'indexof');
    expect(indexof.health!.class).toBe('MAINTAINED');
    expect(indexof.health!.reasons[0]).toMatchObject({
      code: 'feature-complete',
      values: { citation: 'https://example.org/indexof', origin: 'configuration (health.overrides)' },
    });
    const ms = byName(inventory, 'ms');
    expect(ms.health!.reasons[0]).toMatchObject({
      code: 'feature-complete',
      values: { citation: 'https://example.org/ms-2', origin: path.join(work, 'overrides.yaml') },
    });
    expect(inventory.problems).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'health.overrides.invalid-entry',
        message: expect.stringContaining('overrides[2] is left out: purl: not a valid package URL'),
      }),
    );
  });

  it('writes health into the CycloneDX SBOM as oss-inventory:health:* properties', async () => {
    const { out } = await npmScan(path.join(work, 'out'), ['-f', 'cyclonedx-json,inventory-json']);
    const text = await readFile(path.join(out, 'bom.cdx.json'), 'utf8');
    expect(await cycloneDxJsonErrors(text)).toBeNull();
    const bom = JSON.parse(text) as {
      components: {
        name: string;
        properties?: { name: string; value: string }[];
        externalReferences?: unknown[];
      }[];
    };
    const props = (name: string) =>
      (bom.components.find((c) => c.name === name)?.properties ?? []).filter((p) =>
        p.name.startsWith('oss-inventory:health:'),
      );
    expect(props('left-pad')).toEqual([
      { name: 'oss-inventory:health:class', value: 'EOL' },
      {
        name: 'oss-inventory:health:reason',
        value:
          'latest-deprecated: its latest version 1.3.0 is deprecated: use String.prototype.padStart() instead',
      },
      { name: 'oss-inventory:health:reason', value: expect.stringMatching(/^repository-signals-missing: /) },
      { name: 'oss-inventory:health:score', value: '0' },
      { name: 'oss-inventory:health:priority', value: '28' },
      { name: 'oss-inventory:health:projects', value: '1' },
      { name: 'oss-inventory:health:directProjects', value: '1' },
      { name: 'oss-inventory:health:runtimeProjects', value: '1' },
      { name: 'oss-inventory:health:devOnly', value: 'false' },
      { name: 'oss-inventory:health:assessedAt', value: NOW },
    ]);
    const ms = bom.components.find((c) => c.name === 'ms')!;
    expect(ms.externalReferences).toContainEqual({ type: 'vcs', url: 'https://github.com/vercel/ms' });
  });

  it('--no-health: no health, and the inventory is otherwise the same', async () => {
    const withHealth = await npmScan(path.join(work, 'with'));
    const without = await npmScan(path.join(work, 'without'), ['--no-health']);
    expect(without.result.code, without.result.stderr).toBe(0);
    expect(without.inventory.components.every((c) => c.health === undefined)).toBe(true);
    const strip = (i: Inventory) =>
      JSON.stringify({
        ...i,
        run: undefined,
        problems: i.problems.filter((p) => !p.code.startsWith('health.')),
        components: i.components.map((c) => ({
          ...c,
          health: undefined,
          planB: undefined,
          repositorySignals: undefined,
          sourceRepository: undefined,
        })),
      });
    expect(strip(without.inventory)).toBe(strip(withHealth.inventory));
  });

  it('health.enabled: false in the configuration is --no-health', async () => {
    const config = path.join(work, 'config.yaml');
    await writeFile(config, 'health:\n  enabled: false\n');
    const { inventory } = await npmScan(path.join(work, 'out'), ['--config', config]);
    expect(inventory.components.some((c) => c.health !== undefined)).toBe(false);
  });
});

describe('health of Maven components, from a fixture repository', () => {
  let server: MavenRepositoryServer;
  const modified: Record<string, string> = {
    'org/example/health/old-lib/1.0/old-lib-1.0.pom': '2019-03-01T10:00:00.000Z',
    'org/example/health/old-lib/2.0/old-lib-2.0.pom': '2023-11-20T10:15:00.000Z',
    'org/example/health/steady-lib/3.1/steady-lib-3.1.pom': '2025-04-01T08:00:00.000Z',
  };
  beforeEach(async () => {
    server = await startMavenRepository({
      dir: path.join(fixtures, 'maven-repository'),
      lastModified: (file) => (modified[file] ? new Date(modified[file]) : undefined),
    });
    await writeFile(
      path.join(work, 'settings.xml'),
      `<settings><mirrors><mirror><id>fixture</id><url>${server.url}</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>`,
    );
  });
  afterEach(async () => {
    await server.close();
  });

  const mavenScan = (out: string, extra: string[] = []) =>
    scan(
      [path.join(fixtures, 'maven-app'), '--maven-settings', path.join(work, 'settings.xml'), ...extra],
      out,
    );

  it('reads maven-metadata.xml and the latest POM: a relocated artifact is EOL, dates come from Last-Modified', async () => {
    const { result, inventory } = await mavenScan(path.join(work, 'out'));
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);

    const old = byName(inventory, 'org.example.health:old-lib');
    expect(old.mavenRepository).toEqual({
      status: 'found',
      document: `${server.url}org/example/health/old-lib/maven-metadata.xml`,
      latest: '2.0',
      release: '2.0',
      lastUpdated: '2023-11-20T10:15:00.000Z',
      versions: 2,
      publishedAt: '2019-03-01T10:00:00.000Z',
      latestPublishedAt: '2023-11-20T10:15:00.000Z',
      relocation: { artifactId: 'new-lib', message: 'old-lib is now new-lib' },
    });
    expect(old.health!.class).toBe('EOL');
    expect(old.health!.reasons[0]).toEqual({
      code: 'relocated',
      message: 'the artifact moved to org.example.health:new-lib: old-lib is now new-lib',
      values: { to: 'org.example.health:new-lib', message: 'old-lib is now new-lib' },
    });

    const steady = byName(inventory, 'org.example.health:steady-lib');
    expect(steady.mavenRepository).toMatchObject({
      latestPublishedAt: '2025-04-01T08:00:00.000Z',
      versions: 2,
    });
    expect(steady.health!.class).toBe('MAINTAINED');
    expect(steady.health!.reasons[0]).toMatchObject({
      code: 'recent-release',
      values: { monthsSinceRelease: 2, source: 'Maven: Last-Modified of the latest release POM' },
    });

    // a component no repository lists metadata for, with no source repository: not enough data
    const unlisted = byName(inventory, 'org.example.health:unlisted-lib');
    expect(unlisted.mavenRepository).toMatchObject({
      status: 'missing',
      reason: expect.stringMatching(/^no maven-metadata\.xml/),
    });
    expect(unlisted.health).toMatchObject({
      class: 'UNKNOWN',
      score: 50,
      exposure: { projects: 1, runtimeProjects: 0, devOnly: true },
    });
    expect(codes(unlisted)).toEqual(['no-dates', 'registry-facts-missing', 'source-repository-unknown']);

    // the relocation is plan B, its target checked in the repository: published, and under another license
    expect(old.planB).toEqual({
      status: 'options',
      options: [
        {
          kind: 'successor',
          target: 'pkg:maven/org.example.health/new-lib',
          confidence: 'authoritative',
          source: 'maven relocation',
          evidence: `the POM relocates it to org.example.health:new-lib (${server.url}org/example/health/old-lib/maven-metadata.xml): "old-lib is now new-lib"`,
          effort: 'low',
          targetLicense: 'LGPL-3.0-or-later',
          flags: ['license-family-differs'],
        },
      ],
    });

    // one metadata file per artifact and per plan-B target, the latest POM only where it is not the one used
    const asked = server.requests.map((r) => r.path);
    expect(asked.filter((p) => p.endsWith('maven-metadata.xml')).sort()).toEqual(
      ['new-lib', 'old-lib', 'steady-lib', 'unlisted-lib'].map(
        (a) => `/org/example/health/${a}/maven-metadata.xml`,
      ),
    );
    expect(asked.filter((p) => p.endsWith('.pom')).sort()).toEqual([
      '/org/example/health/new-lib/3.0/new-lib-3.0.pom',
      '/org/example/health/old-lib/1.0/old-lib-1.0.pom',
      '/org/example/health/old-lib/2.0/old-lib-2.0.pom',
      '/org/example/health/steady-lib/3.1/steady-lib-3.1.pom',
      '/org/example/health/unlisted-lib/1.0/unlisted-lib-1.0.pom',
    ]);
  });

  it('without Last-Modified, the latest release date is the metadata lastUpdated, and it says so', async () => {
    await server.close();
    server = await startMavenRepository({ dir: path.join(fixtures, 'maven-repository') });
    await writeFile(
      path.join(work, 'settings.xml'),
      `<settings><mirrors><mirror><id>fixture</id><url>${server.url}</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>`,
    );
    const { inventory } = await mavenScan(path.join(work, 'out'));
    const steady = byName(inventory, 'org.example.health:steady-lib');
    expect(steady.mavenRepository).not.toHaveProperty('latestPublishedAt');
    expect(steady.health!.reasons[0]!.values).toMatchObject({
      lastReleaseAt: '2025-04-01T08:00:00.000Z',
      source: 'Maven: maven-metadata.xml lastUpdated',
    });
  });

  it('--no-health asks for no metadata and no latest POM', async () => {
    const { result, inventory } = await mavenScan(path.join(work, 'out'), ['--no-health']);
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests.some((r) => r.path.endsWith('maven-metadata.xml'))).toBe(false);
    expect(server.requests.some((r) => r.path.endsWith('old-lib-2.0.pom'))).toBe(false);
    expect(inventory.components.some((c) => c.mavenRepository || c.health)).toBe(false);
  });

  it('a second scan asks nothing: metadata is fresh for a day, POMs are immutable', async () => {
    await mavenScan(path.join(work, 'first'));
    server.resetLog();
    const second = await mavenScan(path.join(work, 'second'));
    expect(server.count()).toBe(0);
    expect(byName(second.inventory, 'org.example.health:old-lib').health!.class).toBe('EOL');
  });
});
