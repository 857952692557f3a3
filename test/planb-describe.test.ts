import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Problem } from '../src/core/model.js';
import { basename } from '../src/core/paths.js';
import { targetRef, type TargetRef } from '../src/core/planb.js';
import { MANIFEST_NAMES } from '../src/ecosystems/index.js';
import { mavenEcosystem } from '../src/ecosystems/maven/index.js';
import { describeNpmTargets } from '../src/ecosystems/npm/describe.js';
import { npmEcosystem } from '../src/ecosystems/npm/index.js';
import type {
  EcosystemPlugin,
  NetworkContext,
  PackageDescription,
  ScanContext,
} from '../src/ecosystems/types.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { subjectNames } from '../src/pipeline/scan.js';
import { openLocalTree } from '../src/sources/local.js';
import { startMavenRepository, type MavenRepositoryServer } from './servers/maven-repository.js';
import { startNpmRegistry, type NpmRegistry } from './servers/npm-registry.js';

/**
 * Plan B's targets are asked with the settings of the subjects whose components name them: the project
 * `.npmrc`, the repositories the POMs declare, settings.xml, the local repository. Driven through the
 * ecosystems' describePackages with a ScanContext built as src/pipeline/scan.ts builds it, against real
 * registries on 127.0.0.1.
 */

const fixtures = path.resolve(import.meta.dirname, '../fixtures/planb-describe');
const NOW = new Date('2025-06-15T00:00:00.000Z');

let work: string;
const clients: ClosableHttpClient[] = [];
const servers: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'oss-inventory-planb-describe-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await rm(work, { recursive: true, force: true });
});

function network(env: Record<string, string>, registry?: string): NetworkContext {
  const client = createHttpClient({
    cacheDir: path.join(work, 'cache'),
    userAgent: 'oss-inventory-test',
    env: {},
    retries: 0,
    sleep: async () => {},
  });
  clients.push(client);
  return {
    client,
    withProxies: () => client,
    ledger: () => client.ledger(),
    offline: false,
    env,
    homedir: path.join(work, 'home'),
    ...(registry !== undefined ? { registry } : {}),
  };
}

/** The subjects' trees opened and named as scan.ts does, with the context one ecosystem scans them with. */
async function scanContext(
  ecosystem: EcosystemPlugin,
  folders: readonly string[],
  net: NetworkContext,
  maven?: ScanContext['maven'],
): Promise<ScanContext & { network: NetworkContext }> {
  const trees = await Promise.all(
    folders.map((folder) => openLocalTree(folder, { manifestNames: MANIFEST_NAMES, excludes: [] })),
  );
  const names = subjectNames(trees.map((t) => t.root));
  return {
    subjects: trees.map((tree, i) => ({
      name: names[i]!,
      manifests: tree.manifests.filter((m) => ecosystem.manifestNames.includes(basename(m))),
      reader: tree.reader,
    })),
    network: net,
    now: NOW,
    ...(maven ? { maven } : {}),
    health: true,
  };
}

function ref(purl: string, subjects: string[]): TargetRef {
  const made = targetRef(purl, subjects);
  if (!made) throw new Error(`${purl} makes no target`);
  return made;
}

describe('npm targets: the .npmrc of the subjects naming them', () => {
  let publicRegistry: NpmRegistry;
  let acmeRegistry: NpmRegistry;
  beforeEach(async () => {
    publicRegistry = await startNpmRegistry({ dir: path.join(fixtures, 'npm/public') });
    acmeRegistry = await startNpmRegistry({ dir: path.join(fixtures, 'npm/private') });
    servers.push(publicRegistry, acmeRegistry);
  });

  async function context() {
    const net = network({ ACME_REGISTRY: acmeRegistry.url }, publicRegistry.url);
    const subjects = ['with-npmrc', 'plain'].map((s) => path.join(fixtures, 'npm/subjects', s));
    return scanContext(npmEcosystem, subjects, net);
  }

  it('asks a scoped target of the registry the project .npmrc maps its scope to, never of the default one', async () => {
    const ctx = await context();
    expect(ctx.subjects.map((s) => s.name)).toEqual(['with-npmrc', 'plain']);
    const newLib = ref('pkg:npm/%40acme/new-lib', ['with-npmrc']);
    const leftPad = ref('pkg:npm/left-pad-ng', ['plain']);
    const { descriptions: described } = await npmEcosystem.describePackages!([newLib, leftPad], ctx);
    expect(described.get(newLib.key)).toEqual({
      status: 'found',
      document: `${acmeRegistry.url}@acme%2fnew-lib`,
      version: '3.0.0',
      declaredLicenses: ['Apache-2.0'],
      lastReleaseAt: '2025-04-01T10:00:00.000Z',
      repository: 'https://github.com/acme/new-lib',
    });
    expect(described.get(leftPad.key)).toMatchObject({ status: 'found', version: '1.2.0' });
    expect(acmeRegistry.requests.map((r) => r.route)).toEqual(['/@acme/new-lib']);
    expect(publicRegistry.requests.map((r) => r.route)).toEqual(['/left-pad-ng']);
  });

  it("a target named from subjects whose settings differ: the first subject's, in the run's order", async () => {
    const ctx = await context();
    // named by `plain` first, but `with-npmrc` comes first among the run's subjects
    const both = ref('pkg:npm/%40acme/new-lib', ['plain', 'with-npmrc']);
    // named only by a subject whose settings do not map @acme: asked of the default registry, which has none
    const unmapped = ref('pkg:npm/%40acme/other-lib', ['plain']);
    const { descriptions } = await describeNpmTargets([both, unmapped], ctx);
    expect(descriptions.get(both.key)).toMatchObject({ status: 'found', version: '3.0.0' });
    expect(descriptions.get(unmapped.key)).toMatchObject({ status: 'not-found' });
    expect(acmeRegistry.requests.map((r) => r.route)).toEqual(['/@acme/new-lib']);
    expect(publicRegistry.requests.map((r) => r.route)).not.toContain('/@acme/new-lib');
  });

  it('returns the problems of the project .npmrc read, with its subject, once', async () => {
    const ctx = await context();
    const targets = [
      ref('pkg:npm/%40acme/new-lib', ['with-npmrc']),
      ref('pkg:npm/%40acme/new-lib@3.0.0', ['with-npmrc']),
      ref('pkg:npm/left-pad-ng', ['plain']),
    ];
    const { problems } = await describeNpmTargets(targets, ctx);
    expect(problems.map((p: Problem) => [p.code, p.subject, p.file])).toEqual([
      ['npm.npmrc.section', 'with-npmrc', '.npmrc'],
    ]);
  });
});

describe('Maven targets: the repositories of the POMs naming them, settings.xml, the local repository', () => {
  let central: MavenRepositoryServer;
  let lutece: MavenRepositoryServer;
  beforeEach(async () => {
    central = await startMavenRepository({ dir: path.join(fixtures, 'maven/central') });
    lutece = await startMavenRepository({
      dir: path.join(fixtures, 'maven/lutece'),
      basePath: '/maven_repository/',
      lastModified: (file) => (file.endsWith('.pom') ? new Date('2025-02-01T09:00:00Z') : undefined),
    });
    servers.push(central, lutece);
  });

  /** settings.xml: Maven Central is the `central` fixture server (a mirror of central only). */
  async function settings(extra: { mirrors?: string; profiles?: string } = {}): Promise<string> {
    const file = path.join(work, 'settings.xml');
    await writeFile(
      file,
      `<settings>
  <localRepository>${path.join(fixtures, 'maven/m2/repository')}</localRepository>
  <mirrors>
    <mirror><id>central-mirror</id><url>${central.url}</url><mirrorOf>central</mirrorOf></mirror>
    ${extra.mirrors ?? ''}
  </mirrors>
  ${extra.profiles ?? ''}
</settings>`,
    );
    return file;
  }

  /** Each subject scanned first, as scan.ts does: that is when the POMs' repositories become known. */
  async function scanned(settingsFile: string, subjects = ['lutece-site', 'plain-site']) {
    const net = network({ LUTECE_REPOSITORY: lutece.url });
    const ctx = await scanContext(
      mavenEcosystem,
      subjects.map((s) => path.join(fixtures, 'maven/subjects', s)),
      net,
      { settingsFile },
    );
    const problems: Problem[] = [];
    for (const subject of ctx.subjects) {
      const scan = await mavenEcosystem.scan(subject, ctx);
      expect(scan.graphs).toHaveLength(1);
      problems.push(...scan.problems);
    }
    return { ctx, problems };
  }

  it('finds a target only a repository of the POM declares; one in no repository is not found', async () => {
    const { ctx } = await scanned(await settings());
    const newLib = ref('pkg:maven/fr.paris.lutece.plugins/new-lib', ['lutece-site']);
    const nowhere = ref('pkg:maven/org.example/nowhere-lib', ['lutece-site']);
    const { descriptions: described } = await mavenEcosystem.describePackages!([newLib, nowhere], ctx);
    expect(described.get(newLib.key)).toEqual({
      status: 'found',
      document: `${lutece.url}fr/paris/lutece/plugins/new-lib/maven-metadata.xml`,
      version: '2.1.0',
      declaredLicenses: ['BSD-3-Clause'],
      repository: 'https://github.com/lutece-platform/lutece-new-lib',
      lastReleaseAt: '2025-02-01T09:00:00.000Z',
    });
    const missing = described.get(nowhere.key);
    expect(missing).toEqual({ status: 'not-found', reason: expect.any(String) as string });
    // both were asked: the repository the POM declares and "central"
    expect(reasonOf(missing)).toContain(`${lutece.url}org/example/nowhere-lib/maven-metadata.xml`);
    expect(reasonOf(missing)).toContain(`${central.url}org/example/nowhere-lib/maven-metadata.xml`);
  });

  it("does not use a repository only another subject's POM declares", async () => {
    const { ctx } = await scanned(await settings());
    lutece.resetLog();
    const newLib = ref('pkg:maven/fr.paris.lutece.plugins/new-lib', ['plain-site']);
    const { descriptions: described } = await mavenEcosystem.describePackages!([newLib], ctx);
    expect(described.get(newLib.key)).toMatchObject({ status: 'not-found' });
    expect(lutece.requests).toEqual([]);
  });

  it('describes an artifact only the local repository lists from there, without a release date', async () => {
    const { ctx } = await scanned(await settings());
    const installed = ref('pkg:maven/org.example/installed-lib', ['plain-site']);
    const { descriptions: described } = await mavenEcosystem.describePackages!([installed], ctx);
    expect(described.get(installed.key)).toEqual({
      status: 'found',
      document: path.join(
        fixtures,
        'maven/m2/repository/org/example/installed-lib/1.0.0/installed-lib-1.0.0.pom',
      ),
      version: '1.0.0',
      declaredLicenses: ['MIT'],
    });
    expect(central.count('org/example/installed-lib/maven-metadata.xml')).toBe(1);
  });

  it('invalid coordinates from a hostile POM are not found, with the reason, and never asked', async () => {
    const { ctx } = await scanned(await settings());
    central.resetLog();
    lutece.resetLog();
    const evil = ref('pkg:maven/org..evil/lib', ['lutece-site']);
    const { descriptions: described } = await mavenEcosystem.describePackages!([evil], ctx);
    expect(described.get(evil.key)).toEqual({
      status: 'not-found',
      reason: 'org..evil:lib:0: groupId "org..evil" is not a valid Maven id',
    });
    expect([...central.requests, ...lutece.requests]).toEqual([]);
  });

  it('never quotes the credentials of a repository URL, usable or not, in a reason or a problem', async () => {
    const secrets = await settings({
      mirrors: `<mirror>
      <id>blocker</id><url>https://deploy:S3cret-mirror@blocked.example/</url>
      <mirrorOf>blocked-repo</mirrorOf><blocked>true</blocked>
    </mirror>`,
      profiles: `<profiles>
    <profile>
      <id>secrets</id>
      <repositories>
        <repository><id>ftp-repo</id><url>ftp://deploy:S3cret-ftp@files.example/repo</url></repository>
        <repository><id>templated</id><url>https://deploy:S3cret-tpl@\${repo.host}/maven</url></repository>
        <repository><id>dav-repo</id><url>dav:https://deploy:S3cret-dav@dav.example/repo</url></repository>
        <repository><id>down-repo</id><url>http://deploy:S3cret-http@127.0.0.1:9/repo</url></repository>
        <repository><id>blocked-repo</id><url>https://blocked.example/repo</url></repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>secrets</activeProfile></activeProfiles>`,
    });
    const { ctx, problems } = await scanned(secrets, ['plain-site']);
    const targets = ['old-lib', 'absent-lib', 'other-absent-lib'].map((name) =>
      ref(`pkg:maven/org.example/${name}`, ['plain-site']),
    );
    const { descriptions: described } = await mavenEcosystem.describePackages!(targets, ctx);
    const shown = JSON.stringify({ described: [...described], problems });
    expect(shown).not.toContain('S3cret');
    expect(shown).not.toContain('deploy');
    // the repositories are still named, without their credentials
    const reason = reasonOf(described.get(targets[1]!.key));
    expect(described.get(targets[1]!.key)!.status).toBe('unknown');
    for (const part of [
      'ftp-repo: its URL ftp://files.example/repo/ is not an http(s) URL',
      'templated: its URL https://${repo.host}/maven/ still holds ${repo.host}',
      'dav-repo: its URL dav:https://dav.example/repo/ is not an http(s) URL',
      'blocked-repo: settings mirror blocker (https://blocked.example/) blocks it',
      'down-repo: ',
    ]) {
      expect(reason).toContain(part);
    }
    expect(described.get(targets[0]!.key)).toMatchObject({ status: 'found', version: '1.0' });
  });
});

function reasonOf(description: PackageDescription | undefined): string {
  return description && 'reason' in description ? description.reason : '';
}
