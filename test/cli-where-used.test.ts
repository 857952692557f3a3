import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';

/**
 * `oss-inventory where-used` through the real CLI, on one inventory scanned offline from six fixture
 * projects: fixtures/check/app and app-base (city-portal 1.0.0 and 0.9.0, package-lock v3), the npm
 * workspace of fixtures/npm/npm-workspaces (root, packages/api, packages/web), fixtures/npm/yarn-classic, and
 * the Maven builds of fixtures/declared-at/maven (aggregator, lib, app) and maven-split (a parent declaring
 * junit for its child). Offline, with no registry cache and no Maven local repository, the npm licenses are
 * those the lockfiles carry and Maven versions stay as declared (not locked), with no transitive artifacts
 * but those of the scanned builds. The inventory is written where `scan` writes it by default, so that
 * where-used finds it without --inventory.
 */
const repo = path.resolve(import.meta.dirname, '..');
const FIXTURES = [
  'fixtures/check/app',
  'fixtures/check/app-base',
  'fixtures/npm/npm-workspaces',
  'fixtures/npm/yarn-classic',
  'fixtures/declared-at/maven',
  'fixtures/declared-at/maven-split',
];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'oss-inventory-where-used-'));
  const out = path.join(tmp, 'oss-inventory-report');
  const result = await runCli(['scan', '--offline', ...FIXTURES, '-f', 'inventory-json', '-o', out, '-q'], {
    cwd: repo,
    env: { SOURCE_DATE_EPOCH: '1714552200' },
  });
  expect(result.code, result.stderr).toBe(0);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function whereUsed(args: string[], cwd = tmp): Promise<CliResult> {
  return runCli(['where-used', ...args], { cwd });
}

function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

describe('oss-inventory where-used on the fixture inventory', () => {
  it('an npm name: every version, every project, direct with its range or through which package, and the manifest line', async () => {
    const result = await whereUsed(['ms']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      lines(
        'ms (npm): 3 versions, used by 5 projects',
        '  2.0.0  MIT (permissive)  pkg:npm/ms@2.0.0',
        '    npm-workspaces:packages/web  runtime  direct 2.0.0  declared at packages/web/package.json:8',
        '  2.1.2  MIT (permissive)  pkg:npm/ms@2.1.2',
        '    npm-workspaces:packages/api  runtime  via debug@4.3.4  declared at packages/api/package.json:7',
        '    npm-workspaces:packages/web  runtime  via debug@4.3.4  declared at packages/web/package.json:6',
        '  2.1.3  MIT (permissive)  pkg:npm/ms@2.1.3',
        '    app-base:.  runtime  direct ^2.1.3  declared at package.json:9',
        '    app:.  runtime  direct ^2.1.3  declared at package.json:10',
        '    npm-workspaces:.  dev  via humanize-ms@1.2.1  declared at package.json:9',
        '    npm-workspaces:packages/api  runtime  direct ^2.1.3  declared at packages/api/package.json:8',
        // Reached through the workspace member packages/api, which is no package of the path.
        '    npm-workspaces:packages/web  runtime, dev  transitive  declared at packages/web/package.json:6',
      ),
    );
  });

  it('the same package from two repositories, in two versions', async () => {
    const result = await whereUsed(['react']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      lines(
        'react (npm): 2 versions, used by 2 projects',
        '  18.2.0  no license (unknown)  pkg:npm/react@18.2.0',
        '    npm-workspaces:packages/web  runtime, peer  direct ^18.2.0  declared at packages/web/package.json:16',
        '  18.3.1  no license (unknown)  pkg:npm/react@18.3.1',
        '    yarn-classic:.  peer  direct ^18.3.1  declared at package.json:18',
      ),
    );
  });

  it('Maven: groupId:artifactId, and a transitive artifact by its bare artifactId', async () => {
    const junit = await whereUsed(['junit:junit']);
    expect(junit.code, junit.stderr).toBe(0);
    expect(junit.stdout).toBe(
      lines(
        'junit:junit (maven): 1 version, used by 5 projects',
        '  4.13.2 (not locked)  no license (unknown)  pkg:maven/junit/junit',
        // The child inherits the dependency its parent POM declares.
        '    maven-split:child  dev  direct 4.13.2  declared at parent/pom.xml:9',
        '    maven-split:parent  dev  direct 4.13.2  declared at parent/pom.xml:9',
        '    maven:.  dev  direct 4.13.2  declared at pom.xml:25',
        '    maven:app  dev  direct 4.13.2  declared at pom.xml:25',
        '    maven:lib  dev  direct 4.13.2  declared at pom.xml:25',
      ),
    );
    const guava = await whereUsed(['guava']);
    expect(guava.code, guava.stderr).toBe(0);
    expect(guava.stdout).toBe(
      lines(
        'com.google.guava:guava (maven): 1 version, used by 2 projects',
        '  32.1.3-jre (not locked)  no license (unknown)  pkg:maven/com.google.guava/guava',
        '    maven:app  runtime  via org.example.shop:shop-lib@1.0.0  declared at app/pom.xml:12',
        '    maven:lib  runtime  direct 32.1.3-jre  declared at lib/pom.xml:12',
      ),
    );
  });

  it('a purl without version: the same version from two git commits is two components', async () => {
    const result = await whereUsed(['pkg:npm/left-pad']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      lines(
        'left-pad (npm): 2 versions, used by 2 projects',
        '  1.3.0  no license (unknown)  pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fstevemao%2Fleft-pad.git%405e5d8e0bc0e5a3d5c2f1d6a7b9c8e4f3a2b1c0d9',
        '    yarn-classic:.  runtime  direct git+https://github.com/stevemao/left-pad.git#v1.3.0  declared at package.json:8',
        '  1.3.0  WTFPL (permissive)  pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fstevemao%2Fleft-pad.git%407aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75',
        '    npm-workspaces:packages/web  runtime  direct github:stevemao/left-pad  declared at packages/web/package.json:7',
      ),
    );
  });

  it('one version (name@version, a purl with a version) as JSON', async () => {
    const byName = await whereUsed(['ms@2.1.2', '--format', 'json']);
    const byPurl = await whereUsed(['pkg:npm/ms@2.1.2', '-f', 'json']);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byPurl.code, byPurl.stderr).toBe(0);
    const usage = (project: string, file: string, line: number) => ({
      project,
      manifest: 'package-lock.json',
      scopes: ['runtime'],
      direct: false,
      path: [project.endsWith('api') ? '@acme/api@1.2.0' : '@acme/web@0.3.0', 'debug@4.3.4', 'ms@2.1.2'],
      declaredAt: { file, line },
    });
    const expected = (query: string) => ({
      inventory: 'oss-inventory-report/inventory.json',
      query,
      packages: [
        {
          ecosystem: 'npm',
          name: 'ms',
          display: 'ms',
          versions: [
            {
              purl: 'pkg:npm/ms@2.1.2',
              version: '2.1.2',
              locked: true,
              license: 'MIT',
              category: 'permissive',
              usages: [
                usage('npm-workspaces:packages/api', 'packages/api/package.json', 7),
                usage('npm-workspaces:packages/web', 'packages/web/package.json', 6),
              ],
            },
          ],
          projects: ['npm-workspaces:packages/api', 'npm-workspaces:packages/web'],
        },
      ],
      suggestions: [],
    });
    expect(JSON.parse(byName.stdout)).toEqual(expected('ms@2.1.2'));
    expect(JSON.parse(byPurl.stdout)).toEqual(expected('pkg:npm/ms@2.1.2'));
  });

  it('as Markdown, written to a file', async () => {
    const result = await whereUsed(['react', '-f', 'markdown', '-o', 'react.md']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('wrote react.md\n');
    expect(await readFile(path.join(tmp, 'react.md'), 'utf8')).toBe(
      lines(
        '## Where `react` is used',
        '',
        '### `react` (npm): 2 versions, 2 projects',
        '',
        '| Version | License | Project | Scopes | How | Declared at |',
        '| --- | --- | --- | --- | --- | --- |',
        '| `18.2.0` | no license (unknown) | `npm-workspaces:packages/web` | runtime, peer | `direct ^18.2.0` | `packages/web/package.json:16` |',
        '| `18.3.1` | no license (unknown) | `yarn-classic:.` | peer | `direct ^18.3.1` | `package.json:18` |',
      ),
    );
  });

  it('nothing matches: exit 1, with the close names or the versions in use', async () => {
    const typo = await whereUsed(['mss']);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe(
      lines(
        'No component matches "mss" in oss-inventory-report/inventory.json (38 components).',
        'Did you mean: ms?',
      ),
    );
    const version = await whereUsed(['ms@9.9.9']);
    expect(version.code).toBe(1);
    expect(version.stdout).toBe(
      lines(
        'No component matches "ms@9.9.9" in oss-inventory-report/inventory.json (38 components).',
        'Did you mean: pkg:npm/ms@2.1.3, pkg:npm/ms@2.1.2, pkg:npm/ms@2.0.0?',
      ),
    );
    const nothing = await whereUsed(['zzzzzzzz', '-f', 'json']);
    expect(nothing.code).toBe(1);
    expect(JSON.parse(nothing.stdout)).toEqual({
      inventory: 'oss-inventory-report/inventory.json',
      query: 'zzzzzzzz',
      packages: [],
      suggestions: [],
    });
  });
});

describe('oss-inventory where-used usage errors (exit 2)', () => {
  it('no inventory where scan writes it, a name that is no package name, a broken purl', async () => {
    const none = await whereUsed(['ms'], repo + '/fixtures/diff');
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'error: no inventory at ./oss-inventory-report/inventory.json: run oss-inventory scan first, or give --inventory FILE\n',
    );
    const maven = await whereUsed(['a:b:c:d']);
    expect(maven.code).toBe(2);
    expect(maven.stderr).toBe(
      'error: "a:b:c:d": a Maven name is groupId:artifactId or groupId:artifactId:version\n',
    );
    const purl = await whereUsed(['pkg:pypi/requests']);
    expect(purl.code).toBe(2);
    expect(purl.stderr).toBe(
      'error: "pkg:pypi/requests": the inventory holds npm and maven packages, not "pypi"\n',
    );
    const missing = await whereUsed(['ms', '--inventory', 'nowhere.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: nowhere\.json: not a readable JSON file: ENOENT/);
  });
});
