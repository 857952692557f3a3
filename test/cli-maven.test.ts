import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Component, Inventory } from '../src/core/model.js';
import { runCli } from './helpers/cli.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';
import { startMavenRepository, type MavenRepositoryServer } from './servers/maven-repository.js';
import { startProxyServer } from './servers/proxy-server.js';

const repo = path.resolve(import.meta.dirname, '..');
const app = path.join(repo, 'fixtures', 'maven', 'projects', 'city-app');
let work: string;
let server: MavenRepositoryServer;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-maven-'));
  server = await startMavenRepository({ dir: path.join(repo, 'fixtures', 'maven', 'repository') });
  // Every repository, Maven Central included, is mirrored by the fixture repository: no test reaches Central.
  await writeFile(
    path.join(work, 'settings.xml'),
    `<settings><mirrors><mirror><id>fixture</id><url>${server.url}</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>`,
  );
});
afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

async function scan(targets: string[], out: string, extra: string[] = []) {
  const args = ['scan', ...targets, '--maven-settings', path.join(work, 'settings.xml')];
  const result = await runCli([...args, '--cache-dir', path.join(work, 'cache'), '-o', out, '-q', ...extra], {
    cwd: repo,
    env: { SOURCE_DATE_EPOCH: '1767225600' },
  });
  const inventory = JSON.parse(await readFile(path.join(out, 'inventory.json'), 'utf8')) as Inventory;
  return { result, inventory };
}

const byName = (inventory: Inventory, name: string): Component =>
  inventory.components.find((c) => `${c.group}:${c.name}` === name)!;

describe('scan of a Maven multi-module build', () => {
  it('makes each module a project, resolves parents, properties, management and ranges, and reads licenses from POMs', async () => {
    const { result, inventory } = await scan([app], path.join(work, 'out'));
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    expect(
      inventory.projects.map((p) => [p.id, p.name, p.version, p.workspaceRoot ?? null, p.license?.declared]),
    ).toEqual([
      [
        'city-app:.',
        'fr.example.city:city-app',
        '1.0.0-SNAPSHOT',
        null,
        ['Lutece license <https://dev.lutece.paris.fr/LICENSE.TXT>'],
      ],
      [
        'city-app:core',
        'fr.example.city:city-core',
        '1.0.0-SNAPSHOT',
        'city-app:.',
        ['Lutece license <https://dev.lutece.paris.fr/LICENSE.TXT>'],
      ],
      [
        'city-app:web',
        'fr.example.city:city-web',
        '1.0.0-SNAPSHOT',
        'city-app:.',
        ['Lutece license <https://dev.lutece.paris.fr/LICENSE.TXT>'],
      ],
    ]);
    expect(inventory.components.map((c) => [c.purl, c.scopes, c.direct])).toEqual([
      // provided where core declares it, and at run time through demo-lib, which depends on it (compile).
      ['pkg:maven/com.google.code.findbugs/jsr305@3.0.2', ['runtime', 'provided'], true],
      ['pkg:maven/fr.example.city/city-core@1.0.0-SNAPSHOT?type=lutece-plugin', ['runtime'], true],
      ['pkg:maven/org.example/demo-lib@1.0.0', ['runtime'], true],
      ['pkg:maven/org.example/legacy-lib@2.0-SNAPSHOT', ['dev'], true],
    ]);
    const jsr305 = byName(inventory, 'com.google.code.findbugs:jsr305');
    expect(jsr305.maven).toEqual({ type: 'jar', scopes: ['compile', 'provided'], optional: false });
    expect(byName(inventory, 'fr.example.city:city-core').maven).toMatchObject({ type: 'lutece-plugin' });
    const bom = JSON.parse(await readFile(path.join(work, 'out', 'bom.cdx.json'), 'utf8')) as {
      components: { purl?: string; properties?: { name: string; value: string }[] }[];
    };
    const props = bom.components.find((c) => c.purl === jsr305.purl)!.properties!;
    expect(props).toEqual(
      expect.arrayContaining([
        { name: 'oss-inventory:maven:type', value: 'jar' },
        { name: 'oss-inventory:maven:scopes', value: 'compile,provided' },
        { name: 'oss-inventory:maven:optional', value: 'false' },
      ]),
    );
    expect(jsr305.usedBy).toEqual([
      {
        project: 'city-app:core',
        manifest: 'core/pom.xml',
        scopes: ['provided'],
        direct: true,
        requested: '[3.0,4.0)',
        path: ['fr.example.city:city-core@1.0.0-SNAPSHOT', 'com.google.code.findbugs:jsr305@3.0.2'],
        declaredAt: { file: 'core/pom.xml', line: 16 },
      },
      {
        project: 'city-app:web',
        manifest: 'web/pom.xml',
        scopes: ['runtime'],
        direct: false,
        path: [
          'fr.example.city:city-web@1.0.0-SNAPSHOT',
          'fr.example.city:city-core@1.0.0-SNAPSHOT',
          'org.example:demo-lib@1.0.0',
          'com.google.code.findbugs:jsr305@3.0.2',
        ],
        declaredAt: { file: 'web/pom.xml', line: 11 },
      },
    ]);
    expect(jsr305.license).toEqual({
      status: 'known',
      declared: ['The Apache Software License, Version 2.0 <http://www.apache.org/licenses/LICENSE-2.0.txt>'],
      expression: 'Apache-2.0',
      category: 'permissive',
      mappings: ['alias'],
      source: 'pom',
      evidence: `${server.url}com/google/code/findbugs/jsr305/3.0.2/jsr305-3.0.2.pom`,
    });
    expect(byName(inventory, 'org.example:demo-lib').license).toMatchObject({
      status: 'known',
      declared: ['Apache License, Version 2.0 <https://www.apache.org/licenses/LICENSE-2.0.txt>'],
      expression: 'Apache-2.0',
      source: 'pom',
    });
    expect(byName(inventory, 'fr.example.city:city-core').builtBy).toEqual(['city-app:core']);
    expect(byName(inventory, 'fr.example.city:city-core').license).toMatchObject({
      status: 'unknown',
      declared: ['Lutece license <https://dev.lutece.paris.fr/LICENSE.TXT>'],
      expression: 'LicenseRef-unmapped-Lutece-license',
      category: 'unknown',
      unmapped: ['Lutece license <https://dev.lutece.paris.fr/LICENSE.TXT>'],
      evidence: 'pom.xml',
    });
    expect(byName(inventory, 'org.example:legacy-lib').license).toMatchObject({
      status: 'unknown',
      source: 'pom',
    });
  });

  it("maps the organisation's own license names with the configuration's mappings", async () => {
    const config = path.join(work, 'config.yaml');
    await writeFile(
      config,
      [
        'licenses:',
        '  mappings:',
        '    - names: [Lutece license]',
        '      urls: [https://dev.lutece.paris.fr/LICENSE.TXT]',
        '      license: BSD-3-Clause',
        '      reason: the LICENSE files of the Lutece repositories are BSD-3-Clause',
        '',
      ].join('\n'),
    );
    const { result, inventory } = await scan([app], path.join(work, 'out'), ['--config', config]);
    expect(result.code, result.stderr).toBe(0);
    expect(byName(inventory, 'fr.example.city:city-core').license).toMatchObject({
      status: 'known',
      expression: 'BSD-3-Clause',
      category: 'permissive',
      mappings: ['organisation'],
    });
    expect(inventory.projects.map((p) => [p.id, p.license?.expression, p.license?.mappings])).toEqual([
      ['city-app:.', 'BSD-3-Clause', ['organisation']],
      ['city-app:core', 'BSD-3-Clause', ['organisation']],
      ['city-app:web', 'BSD-3-Clause', ['organisation']],
    ]);
  });

  it('asks each POM once, and nothing on a second run (404s included, for a day)', async () => {
    await scan([app], path.join(work, 'first'));
    const firstPoms = server.requests.filter((r) => r.path.endsWith('.pom')).map((r) => r.path);
    expect(new Set(firstPoms).size).toBe(firstPoms.length);
    server.resetLog();
    const second = await scan([app], path.join(work, 'second'));
    expect(server.count()).toBe(0);
    expect(second.inventory.run.network.map((e) => e.sent)).toEqual([0]);
  });

  it('turns an unresolvable parent into a problem with the URLs tried and still resolves the dependencies', async () => {
    const orphan = path.join(work, 'orphan');
    await import('node:fs/promises').then((fs) => fs.mkdir(orphan));
    await writeFile(
      path.join(orphan, 'pom.xml'),
      `<project><modelVersion>4.0.0</modelVersion>
  <parent><groupId>fr.paris.lutece.tools</groupId><artifactId>lutece-global-pom</artifactId><version>7.0.2</version><relativePath/></parent>
  <artifactId>plugin-orphan</artifactId>
  <dependencies>
    <dependency><groupId>org.example</groupId><artifactId>demo-lib</artifactId><version>1.0.0</version></dependency>
  </dependencies>
</project>`,
    );
    const { result, inventory } = await scan([orphan], path.join(work, 'out'));
    expect(result.code).toBe(0);
    const parent = inventory.problems.find((p) => p.code === 'maven.parent.unresolvable')!;
    expect(parent).toMatchObject({ severity: 'error', file: 'pom.xml' });
    expect(parent.message).toContain(
      `${server.url}fr/paris/lutece/tools/lutece-global-pom/7.0.2/lutece-global-pom-7.0.2.pom`,
    );
    expect(inventory.components.map((c) => c.purl)).toEqual([
      'pkg:maven/com.google.code.findbugs/jsr305@3.0.2',
      'pkg:maven/org.example/demo-lib@1.0.0',
    ]);
  });
});

describe('settings.xml proxies', () => {
  it('sends Maven requests through the active proxy of settings.xml', async () => {
    const proxy = await startProxyServer();
    try {
      const { port } = new URL(proxy.url);
      await writeFile(
        path.join(work, 'settings.xml'),
        `<settings>
  <proxies><proxy><id>city</id><active>true</active><protocol>http</protocol><host>127.0.0.1</host><port>${port}</port></proxy></proxies>
  <mirrors><mirror><id>fixture</id><url>${server.url}</url><mirrorOf>*</mirrorOf></mirror></mirrors>
</settings>`,
      );
      const { result, inventory } = await scan([app], path.join(work, 'out'));
      expect(result.code, result.stderr).toBe(0);
      expect(byName(inventory, 'org.example:demo-lib').license.status).toBe('known');
      const target = new URL(server.url).host;
      expect(proxy.log.length).toBeGreaterThan(0);
      expect(proxy.log.every((line) => line.includes(target))).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

const corpus = path.resolve(repo, '../shared/corpus/github/lutece-platform');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.warn('skipping the Lutece corpus scan: ../shared/corpus is absent');

describe.skipIf(!hasCorpus)('scan of the whole lutece-platform corpus in one run', () => {
  it('builds every POM, serves the global and site POMs first party, and lists every direct dependency', async () => {
    const folders = readdirSync(corpus)
      .map((name) => path.join(corpus, name, 'files'))
      .filter((folder) => existsSync(folder));
    const { result, inventory } = await scan(folders, path.join(work, 'corpus'), ['--offline']);
    expect(result.code, result.stderr).toBe(0);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
    const poms = inventory.projects.filter((p) => p.ecosystem === 'maven');
    // 225 POMs in the corpus, minus those under default-excluded test-fixture folders (counted in stats).
    const excluded = inventory.stats.excluded.reduce((n, e) => n + e.manifests, 0);
    expect(poms.length + excluded).toBe(225);
    // lutece-core's parent, lutece-global-pom 8.0.1-SNAPSHOT, is not in the tree (8.0.2-SNAPSHOT is): a problem.
    // Plugins whose parent is the tree's global POM version are built with it: no problem for them.
    const unresolved = inventory.problems.filter((p) => p.code === 'maven.parent.unresolvable');
    // Each says which URLs were tried, or why no repository could be asked (lutece-core declares no snapshot
    // repository of its own, and its parent, which does, is the one missing).
    for (const problem of unresolved) expect(problem.message).toMatch(/tried|no repository accepts SNAPSHOT/);
    const site = inventory.projects.find((p) => p.name === 'fr.paris.lutece.tools:lutece-site-pom')!;
    expect(site.version).toBe('8.0.2-SNAPSHOT');
    expect(
      inventory.problems.some((p) => p.subject === site.subject && p.code === 'maven.parent.unresolvable'),
    ).toBe(true); // its parent is lutece-global-pom 8.0.1, the tree holds 8.0.2-SNAPSHOT
    const core = inventory.projects.find((p) => p.name === 'fr.paris.lutece:lutece-core')!;
    expect(core.dependsOn.length).toBe(33);
  });
});
