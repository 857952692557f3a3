import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../src/core/graph.js';
import type { Inventory, Project, ProjectLicense, Subject } from '../src/core/model.js';
import { addInstalledLicenses } from '../src/ecosystems/npm/installed-licenses.js';
import { parsePackageLock } from '../src/ecosystems/npm/package-lock.js';
import { parsePackageJson } from '../src/ecosystems/npm/package-json.js';
import { createHttpClient, type ClosableHttpClient } from '../src/net/http-client.js';
import { detectProjectLicenses, type LicenseFileAccess } from '../src/pipeline/project-licenses.js';
import { openGitHubSubjects, type GitHubSubjects } from '../src/sources/github.js';
import { DEFAULT_EXCLUDES, openLocalTree } from '../src/sources/local.js';
import { startGithubEmulator, type GithubEmulator } from './servers/github-emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../fixtures/licenses');
const demoOrg = path.resolve(here, '../fixtures/github/demo-org');
const manifestNames = new Set(['package.json', 'pom.xml', 'package-lock.json']);

/** A project as buildInventory makes it: its declared license raw, not yet normalised. */
function project(subject: string, folder: string, manifest: string, declared?: string[]): Project {
  const file = folder === '.' ? manifest : `${folder}/${manifest}`;
  return {
    id: `${subject}:${folder}`,
    subject,
    path: folder,
    ecosystem: manifest === 'pom.xml' ? 'maven' : 'npm',
    manifests: [file],
    locked: false,
    dependsOn: [],
    ...(declared
      ? {
          license: {
            status: 'unknown',
            declared,
            source: manifest === 'pom.xml' ? 'pom' : 'package.json',
            evidence: file,
            reason: 'declared, not yet mapped to SPDX',
            detected: [],
          } satisfies ProjectLicense,
        }
      : {}),
  };
}

function inventoryOf(subjects: Subject[], projects: Project[]): Inventory {
  return {
    schemaVersion: '1.0.0',
    generatedAt: '2025-01-01T00:00:00Z',
    tool: { name: 'oss-inventory', version: 'test' },
    run: { offline: true, network: [] },
    subjects,
    stats: { manifestsRead: 0, excluded: [] },
    projects,
    components: [],
    problems: [],
  };
}

const licenseOf = (inventory: Inventory, id: string) => inventory.projects.find((p) => p.id === id)!.license;

describe('detectProjectLicenses on a local tree', () => {
  const subject: Subject = { name: 'tree', type: 'directory', location: 'tree' };
  const projects = () => [
    project('tree', '.', 'package.json', ['MIT']),
    project('tree', 'packages/inherit', 'package.json'),
    project('tree', 'packages/lib', 'package.json'),
    project('tree', 'packages/notes', 'package.json', ['ISC']),
    project('tree', 'packages/wrong', 'package.json', ['MIT']),
    project('tree', 'plugin', 'pom.xml', ['Lutece license']),
  ];

  it('lists the license files of the root and the manifest folders only', async () => {
    const tree = await openLocalTree(path.join(fixtures, 'tree'), {
      manifestNames,
      excludes: DEFAULT_EXCLUDES,
    });
    expect(tree.licenseFiles).toEqual([
      { path: 'LICENSE', size: 1089 },
      { path: 'packages/lib/LICENSE.md', size: 11358 },
      { path: 'packages/notes/LICENSE', size: 760 },
      { path: 'packages/wrong/COPYING', size: 35149 },
      { path: 'plugin/LICENSE.txt', size: 1515 },
    ]);
  });

  it('records what each file holds, concludes from it when nothing is declared, and reports conflicts', async () => {
    const tree = await openLocalTree(path.join(fixtures, 'tree'), {
      manifestNames,
      excludes: DEFAULT_EXCLUDES,
    });
    const inventory = inventoryOf([subject], projects());
    await detectProjectLicenses(inventory, new Map([['tree', tree]]));

    expect(licenseOf(inventory, 'tree:.')).toEqual({
      status: 'unknown',
      declared: ['MIT'],
      source: 'package.json',
      evidence: 'package.json',
      reason: 'declared, not yet mapped to SPDX',
      detected: [{ expression: 'MIT', file: 'LICENSE', confidence: 1 }],
    });
    // No file of its own: the repository's LICENSE covers it.
    expect(licenseOf(inventory, 'tree:packages/inherit')).toEqual({
      status: 'known',
      declared: [],
      detected: [{ expression: 'MIT', file: 'LICENSE', confidence: 1 }],
      expression: 'MIT',
      mappings: ['license-file'],
      source: 'license-file',
      evidence: 'LICENSE',
    });
    expect(licenseOf(inventory, 'tree:packages/lib')).toEqual({
      status: 'known',
      declared: [],
      detected: [{ expression: 'Apache-2.0', file: 'packages/lib/LICENSE.md', confidence: 1 }],
      expression: 'Apache-2.0',
      mappings: ['license-file'],
      source: 'license-file',
      evidence: 'packages/lib/LICENSE.md',
    });
    // Its LICENSE is a README: nothing detected, the declaration stands, no conflict.
    expect(licenseOf(inventory, 'tree:packages/notes')).toMatchObject({ declared: ['ISC'], detected: [] });
    expect(licenseOf(inventory, 'tree:packages/notes')!.conflict).toBeUndefined();
    expect(licenseOf(inventory, 'tree:packages/wrong')).toMatchObject({
      declared: ['MIT'],
      detected: [{ expression: 'GPL-3.0-only', file: 'packages/wrong/COPYING', confidence: 1 }],
      conflict: 'declared MIT but packages/wrong/COPYING is GPL-3.0-only (1.00)',
    });
    expect(licenseOf(inventory, 'tree:plugin')).toMatchObject({
      declared: ['Lutece license'],
      detected: [{ expression: 'BSD-3-Clause', file: 'plugin/LICENSE.txt', confidence: 0.99 }],
      conflict: 'declared "Lutece license" (unmapped) but plugin/LICENSE.txt is BSD-3-Clause (0.99)',
    });
    expect(inventory.problems).toEqual([
      {
        severity: 'info',
        code: 'license.file-unrecognised',
        message: 'license file packages/notes/LICENSE matches no SPDX license text closely enough',
        subject: 'tree',
        file: 'packages/notes/LICENSE',
        hint: 'Declare the license in the manifest, or set it with a curation in the policy.',
      },
    ]);
  });

  it('compares with the normalised expression once there is one', async () => {
    const tree = await openLocalTree(path.join(fixtures, 'tree'), {
      manifestNames,
      excludes: DEFAULT_EXCLUDES,
    });
    const normalised = projects();
    const set = (id: string, license: Partial<ProjectLicense>) =>
      Object.assign(normalised.find((p) => p.id === id)!.license!, license);
    set('tree:.', { status: 'known', expression: 'MIT', mappings: ['spdx'] });
    set('tree:packages/wrong', { status: 'known', expression: 'GPL-3.0-or-later', mappings: ['spdx'] });
    set('tree:plugin', {
      status: 'unknown',
      expression: 'LicenseRef-unmapped-Lutece-license',
      unmapped: ['Lutece license'],
    });
    const inventory = inventoryOf([subject], normalised);
    await detectProjectLicenses(inventory, new Map([['tree', tree]]), { categorise: () => 'permissive' });
    expect(licenseOf(inventory, 'tree:.')!.conflict).toBeUndefined();
    // The text alone cannot say -or-later: the same family is no conflict.
    expect(licenseOf(inventory, 'tree:packages/wrong')!.conflict).toBeUndefined();
    expect(licenseOf(inventory, 'tree:plugin')!.conflict).toBe(
      'declared "Lutece license" (unmapped) but plugin/LICENSE.txt is BSD-3-Clause (0.99)',
    );
    expect(licenseOf(inventory, 'tree:packages/lib')).toMatchObject({
      expression: 'Apache-2.0',
      category: 'permissive',
    });
  });

  describe('bad files', () => {
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'oss-inventory-license-files-'));
    });
    afterEach(() => rm(root, { recursive: true, force: true }));

    it('skips a license file over 1 MiB with a warning, and never loads the texts when no file is read', async () => {
      await writeFile(path.join(root, 'package.json'), '{ "name": "big" }');
      await writeFile(path.join(root, 'LICENSE'), 'x '.repeat(600 * 1024));
      const tree = await openLocalTree(root, { manifestNames, excludes: DEFAULT_EXCLUDES });
      let loads = 0;
      const templates = () => {
        loads++;
        return Promise.reject(new Error('not needed'));
      };
      const inventory = inventoryOf(
        [{ name: 'big', type: 'directory', location: root }],
        [project('big', '.', 'package.json')],
      );
      await detectProjectLicenses(inventory, new Map([['big', tree]]), { templates });
      expect(loads).toBe(0);
      expect(inventory.projects[0]!.license).toBeUndefined();
      expect(inventory.problems).toEqual([
        {
          severity: 'warning',
          code: 'license.file-too-large',
          message: 'license file LICENSE (1228800 bytes) is larger than 1048576 bytes and was not read',
          subject: 'big',
          file: 'LICENSE',
          hint: 'A license text is a few kilobytes: check what the file holds, or set the license with a curation.',
        },
      ]);
    });

    it('reports a file it cannot read and a failure to load the texts, and goes on', async () => {
      const access: LicenseFileAccess = {
        reader: {
          read: (p) =>
            p === 'LICENSE' ? Promise.resolve('MIT License') : Promise.reject(new Error('EACCES')),
          exists: () => Promise.resolve(true),
        },
        licenseFiles: [{ path: 'COPYING' }, { path: 'LICENSE', size: 11 }],
      };
      const inventory = inventoryOf(
        [{ name: 's', type: 'directory', location: 's' }],
        [project('s', '.', 'package.json')],
      );
      await detectProjectLicenses(inventory, new Map([['s', access]]), {
        templates: () => Promise.reject(new Error('spdx-license-list is missing')),
      });
      expect(inventory.problems.map((p) => [p.severity, p.code, p.message])).toEqual([
        [
          'error',
          'license.texts-unavailable',
          'the SPDX license texts could not be loaded, so no license file was read: spdx-license-list is missing',
        ],
        ['warning', 'license.file-unreadable', 'license file COPYING could not be read: EACCES'],
      ]);
      expect(inventory.projects[0]!.license).toBeUndefined();
    });
  });
});

describe('detectProjectLicenses on GitHub repositories', () => {
  const TOKEN = 'fixture-license-token-not-a-real-one';
  let corpus: string;
  let cacheDir: string;
  const clients: ClosableHttpClient[] = [];
  let luteceLicense: string;

  const gitBlobSha = (content: string) => {
    const bytes = Buffer.from(content);
    return createHash('sha1')
      .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
      .digest('hex');
  };

  /** demo-org, plus a Lutece-like repository written here: a POM declaring "Lutece license", a module, a LICENSE. */
  beforeAll(async () => {
    corpus = await mkdtemp(path.join(tmpdir(), 'oss-inventory-license-gh-'));
    await cp(demoOrg, path.join(corpus, 'demo-org'), { recursive: true });
    luteceLicense = await readFile(path.join(fixtures, 'texts/BSD-3-Clause-lutece.txt'), 'utf8');
    const files: Record<string, string> = {
      'pom.xml': await readFile(path.join(fixtures, 'tree/plugin/pom.xml'), 'utf8'),
      'module-a/pom.xml': '<project><artifactId>module-a</artifactId></project>\n',
      LICENSE: luteceLicense,
    };
    const repo = path.join(corpus, 'demo-org', 'plugin-example');
    const tree = [
      { path: 'module-a', type: 'tree', size: null, sha: gitBlobSha('tree module-a') },
      ...Object.entries(files).map(([p, content]) => ({
        path: p,
        type: 'blob',
        size: Buffer.byteLength(content),
        sha: gitBlobSha(content),
      })),
    ].sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const [p, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(repo, 'files', p)), { recursive: true });
      await writeFile(path.join(repo, 'files', p), content);
    }
    await writeFile(
      path.join(repo, 'repo.json'),
      JSON.stringify({
        owner: 'demo-org',
        name: 'plugin-example',
        full_name: 'demo-org/plugin-example',
        default_branch: 'develop',
        head_sha: '0123456789abcdef0123456789abcdef01234567',
        pushed_at: '2025-01-01T00:00:00Z',
        license_file: 'LICENSE',
        description: 'A Lutece-like plugin',
        archived: false,
        fork: false,
        tree,
      }),
    );
  });
  afterAll(() => rm(corpus, { recursive: true, force: true }));
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'oss-inventory-license-gh-cache-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await rm(cacheDir, { recursive: true, force: true });
  });

  const open = (emulator: GithubEmulator): Promise<GitHubSubjects> => {
    const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-test', env: {}, random: () => 0 });
    clients.push(client);
    return openGitHubSubjects({
      baseUrl: emulator.url,
      token: TOKEN,
      targets: { orgs: ['demo-org'], users: [], repos: [] },
      manifestNames,
      excludes: DEFAULT_EXCLUDES,
      client,
    });
  };

  /** The inventory the pipeline would build for these subjects (projects as buildInventory makes them). */
  const inventoryFor = (opened: GitHubSubjects) =>
    inventoryOf(
      opened.subjects.map(({ tree: _tree, name, location, ...repository }) => ({
        name,
        type: 'github' as const,
        location,
        repository,
      })),
      [
        project('demo-org/core-lib', '.', 'pom.xml'),
        project('demo-org/core-lib', 'core-api', 'pom.xml'),
        project('demo-org/plugin-example', '.', 'pom.xml', ['Lutece license']),
        project('demo-org/plugin-example', 'module-a', 'pom.xml'),
        project('demo-org/web-app', '.', 'package.json', ['MIT']),
      ],
    );

  const detectAll = async (emulator: GithubEmulator) => {
    const opened = await open(emulator);
    const inventory = inventoryFor(opened);
    await detectProjectLicenses(inventory, new Map(opened.subjects.map((s) => [s.name, s.tree])));
    return { opened, inventory };
  };

  it('reads each license blob once, keeps it in the cache, and records GitHub’s own detection', async () => {
    const emulator = await startGithubEmulator({ corpus });
    try {
      const licenseBlobs = [
        gitBlobSha(await readFile(path.join(demoOrg, 'core-lib/files/LICENSE'), 'utf8')),
        gitBlobSha(await readFile(path.join(demoOrg, 'web-app/files/LICENSE'), 'utf8')),
        gitBlobSha(luteceLicense),
      ];
      const licenseRequests = () =>
        emulator.requests.filter(
          (r) => r.kind === 'blob' && licenseBlobs.some((sha) => r.path.includes(sha)),
        );

      const { opened, inventory } = await detectAll(emulator);
      expect(opened.subjects.map((s) => [s.name, s.tree.licenseFiles])).toEqual([
        ['demo-org/core-lib', [{ path: 'LICENSE', size: 234 }]],
        ['demo-org/empty-repo', undefined],
        ['demo-org/plugin-example', [{ path: 'LICENSE', size: 1515 }]],
        ['demo-org/web-app', [{ path: 'LICENSE', size: 1065 }]],
      ]);
      // core-lib's LICENSE serves two projects, plugin-example's too: still one request per file.
      expect(
        licenseRequests()
          .map((r) => `${r.status} ${r.path}`)
          .sort(),
      ).toEqual(
        [
          `200 /repos/demo-org/core-lib/git/blobs/${licenseBlobs[0]}`,
          `200 /repos/demo-org/web-app/git/blobs/${licenseBlobs[1]}`,
          `200 /repos/demo-org/plugin-example/git/blobs/${licenseBlobs[2]}`,
        ].sort(),
      );

      // core-lib's LICENSE is an abridged BSD text no SPDX text matches: GitHub's detection decides.
      expect(licenseOf(inventory, 'demo-org/core-lib:.')).toEqual({
        status: 'known',
        declared: [],
        detected: [],
        github: 'BSD-3-Clause',
        expression: 'BSD-3-Clause',
        source: 'github',
        evidence: 'https://github.com/demo-org/core-lib',
      });
      expect(licenseOf(inventory, 'demo-org/core-lib:core-api')).toBeUndefined();
      expect(licenseOf(inventory, 'demo-org/plugin-example:.')).toEqual({
        status: 'unknown',
        declared: ['Lutece license'],
        source: 'pom',
        evidence: 'pom.xml',
        reason: 'declared, not yet mapped to SPDX',
        detected: [{ expression: 'BSD-3-Clause', file: 'LICENSE', confidence: 0.99 }],
        github: 'BSD-3-Clause',
        conflict: 'declared "Lutece license" (unmapped) but LICENSE is BSD-3-Clause (0.99)',
      });
      expect(licenseOf(inventory, 'demo-org/plugin-example:module-a')).toEqual({
        status: 'known',
        declared: [],
        detected: [{ expression: 'BSD-3-Clause', file: 'LICENSE', confidence: 0.99 }],
        expression: 'BSD-3-Clause',
        mappings: ['license-file'],
        source: 'license-file',
        evidence: 'LICENSE',
      });
      expect(licenseOf(inventory, 'demo-org/web-app:.')).toMatchObject({
        declared: ['MIT'],
        detected: [{ expression: 'MIT', file: 'LICENSE', confidence: 1 }],
        github: 'MIT',
      });
      expect(inventory.problems.map((p) => [p.severity, p.code, p.subject, p.file])).toEqual([
        ['info', 'license.file-unrecognised', 'demo-org/core-lib', 'LICENSE'],
      ]);

      // A second run with the same cache: no license blob is asked for again.
      emulator.requests.length = 0;
      const again = await detectAll(emulator);
      expect(licenseRequests()).toEqual([]);
      expect(again.inventory.projects).toEqual(inventory.projects);
    } finally {
      await emulator.close();
    }
  });
});

describe('addInstalledLicenses and license files of installed packages', () => {
  let root: string;
  const write = async (rel: string, content: string) => {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  };
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'oss-inventory-installed-files-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('detects the license of an installed copy whose package.json declares none, from one LICENSE file', async () => {
    const mit = await readFile(path.join(fixtures, 'texts/MIT.txt'), 'utf8');
    const apache = await readFile(path.join(fixtures, 'texts/Apache-2.0.txt'), 'utf8');
    const lock = {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: {
        '': {
          name: 'app',
          version: '1.0.0',
          dependencies: { a: '1.0.0', b: '2.0.0', c: '3.0.0', d: '4.0.0' },
        },
        'node_modules/a': { version: '1.0.0', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz' },
        'node_modules/b': { version: '2.0.0', resolved: 'https://registry.npmjs.org/b/-/b-2.0.0.tgz' },
        'node_modules/c': { version: '3.0.0', resolved: 'https://registry.npmjs.org/c/-/c-3.0.0.tgz' },
        'node_modules/d': { version: '4.0.0', resolved: 'https://registry.npmjs.org/d/-/d-4.0.0.tgz' },
      },
    };
    const app = { name: 'app', version: '1.0.0', dependencies: lock.packages[''].dependencies };
    await write('package.json', JSON.stringify(app));
    await write('package-lock.json', JSON.stringify(lock));
    // a: no license field, a LICENSE.md (Apache) and a LICENSE (MIT): LICENSE is the one read.
    await write('node_modules/a/package.json', JSON.stringify({ name: 'a', version: '1.0.0' }));
    await write('node_modules/a/LICENSE', mit);
    await write('node_modules/a/LICENSE.md', apache);
    // b: a license field wins over its file.
    await write(
      'node_modules/b/package.json',
      JSON.stringify({ name: 'b', version: '2.0.0', license: 'ISC' }),
    );
    await write('node_modules/b/LICENSE', mit);
    // c: its license file holds no license text.
    await write('node_modules/c/package.json', JSON.stringify({ name: 'c', version: '3.0.0' }));
    await write('node_modules/c/license.txt', 'See https://example.org/terms for the terms of use.');
    // d: another version is installed: not evidence for the locked one.
    await write('node_modules/d/package.json', JSON.stringify({ name: 'd', version: '4.1.0' }));
    await write('node_modules/d/LICENSE', mit);

    const tree = await openLocalTree(root, { manifestNames, excludes: DEFAULT_EXCLUDES });
    const pkg = parsePackageJson(JSON.stringify(app), 'package.json');
    if (!pkg.ok) throw new Error(pkg.problem.message);
    const graph: DependencyGraph = parsePackageLock(JSON.stringify(lock), 'package-lock.json', {
      root: pkg.value,
      workspaces: new Map(),
    });
    await addInstalledLicenses(graph, tree.reader);
    const licenses = Object.fromEntries([...graph.nodes.values()].map((n) => [n.name, n.license]));
    expect(licenses).toEqual({
      a: { value: 'MIT', source: 'license-file', evidence: 'node_modules/a/LICENSE' },
      b: { value: 'ISC', source: 'node_modules', evidence: 'node_modules/b/package.json' },
      c: undefined,
      d: undefined,
    });
  });
});
