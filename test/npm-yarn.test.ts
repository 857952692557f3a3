import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../src/core/graph.js';
import { walkGraph } from '../src/core/graph.js';
import type { LockfileContext } from '../src/ecosystems/npm/lockfile.js';
import { parsePackageJson } from '../src/ecosystems/npm/package-json.js';
import { parseYarnLock } from '../src/ecosystems/npm/yarn-lock.js';
import { loadNpmContext } from './helpers/npm-context.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/npm');

function parseFixture(name: string): DependencyGraph {
  const folder = path.join(fixtures, name);
  return parseYarnLock(
    readFileSync(path.join(folder, 'yarn.lock'), 'utf8'),
    'yarn.lock',
    loadNpmContext(folder),
  );
}

/** What one importer gets after the walk: `name@version scopes [direct]`, sorted. */
function reached(graph: DependencyGraph, importer: string): string[] {
  return walkGraph(graph)
    .filter((reach) => reach.importer === importer)
    .map((reach) => {
      const node = graph.nodes.get(reach.node)!;
      return `${node.name}@${node.version} ${reach.scopes.join(',')}${reach.direct ? ' direct' : ''}`;
    })
    .sort();
}

function node(graph: DependencyGraph, key: string) {
  const found = graph.nodes.get(key);
  if (!found) throw new Error(`no node ${key} among ${[...graph.nodes.keys()].join(', ')}`);
  return found;
}

const noContext: LockfileContext = { workspaces: new Map() };

function pkg(json: object) {
  const parsed = parsePackageJson(JSON.stringify(json), 'package.json');
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.value;
}

describe('yarn classic (v1)', () => {
  const graph = parseFixture('yarn-classic');

  it('reads the lockfile without problems', () => {
    expect(graph.format).toBe('yarn classic v1');
    expect(graph.locked).toBe(true);
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.size).toBe(15);
  });

  it('gives every component its scopes and direct flag', () => {
    expect(graph.importers.map((i) => [i.path, i.name, i.version])).toEqual([['.', 'classic-demo', '1.0.0']]);
    expect(reached(graph, '.')).toEqual([
      '@babel/runtime@7.26.9 runtime direct',
      'ansi-regex@5.0.1 runtime',
      'ansi-regex@6.1.0 runtime',
      'fsevents@2.3.3 optional direct',
      'has-flag@4.0.0 dev',
      'js-tokens@4.0.0 runtime,peer,dev',
      'left-pad@1.3.0 runtime direct',
      'loose-envify@1.4.0 runtime,peer,dev direct',
      'react@18.3.1 peer direct',
      'regenerator-runtime@0.14.1 runtime',
      'scheduler@0.23.2 dev direct',
      'strip-ansi@6.0.1 runtime direct',
      'strip-ansi@7.1.0 runtime direct',
      'supports-color@7.2.0 dev direct',
      'tiny-invariant@1.3.3 runtime direct',
    ]);
  });

  it('keeps the declared alias name on the edge and the real name on the node', () => {
    const edge = graph.importers[0]!.edges.find((e) => e.name === 'strip-ansi-cjs')!;
    expect(edge).toEqual({
      name: 'strip-ansi-cjs',
      spec: 'npm:strip-ansi@^6.0.1',
      kind: 'runtime',
      to: { node: 'strip-ansi@6.0.1' },
    });
    expect(node(graph, 'strip-ansi@6.0.1').purl).toBe('pkg:npm/strip-ansi@6.0.1');
  });

  it('identifies scoped, git and tarball packages by their source', () => {
    const babel = node(graph, '@babel/runtime@7.26.9');
    expect(babel.purl).toBe('pkg:npm/%40babel/runtime@7.26.9');
    expect(babel.sourceKind).toBe('registry');
    expect(babel.integrity).toBe(
      'sha512-aA63XwOkcl4xxQa3HjPMqOP6LiK0ZDv3mUPYEFXkpHbaFjtGggE1A61FjFzJnB+p7/oy2gA8E+rcBNl/zC1tMg==',
    );
    expect(node(graph, 'left-pad@1.3.0')).toMatchObject({
      sourceKind: 'git',
      resolved: 'git+https://github.com/stevemao/left-pad.git#5e5d8e0bc0e5a3d5c2f1d6a7b9c8e4f3a2b1c0d9',
      purl: 'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fstevemao%2Fleft-pad.git%405e5d8e0bc0e5a3d5c2f1d6a7b9c8e4f3a2b1c0d9',
    });
    expect(node(graph, 'tiny-invariant@1.3.3')).toMatchObject({
      sourceKind: 'tarball',
      purl: 'pkg:npm/tiny-invariant@1.3.3?download_url=https%3A%2F%2Fexample.com%2Ftarballs%2Ftiny-invariant-1.3.3.tgz',
    });
    expect(node(graph, 'fsevents@2.3.3').license).toBeUndefined();
  });

  it('leaves out a peer dependency that yarn does not install', () => {
    const names = graph.importers[0]!.edges.map((e) => `${e.name}:${e.kind}`);
    expect(names).toContain('react:peer');
    expect(names.some((n) => n.startsWith('react-dom:'))).toBe(false);
  });
});

describe('yarn classic workspaces', () => {
  const graph = parseFixture('yarn-classic-workspaces');

  it('takes its importers from the package.json files', () => {
    expect(graph.problems).toEqual([]);
    expect(graph.importers.map((i) => [i.path, i.name, i.version])).toEqual([
      ['.', 'classic-monorepo', undefined],
      ['packages/app', '@demo/app', '2.1.0'],
      ['packages/utils', '@demo/utils', '1.2.0'],
    ]);
    const app = graph.importers[1]!;
    expect(app.edges.find((e) => e.name === '@demo/utils')).toEqual({
      name: '@demo/utils',
      spec: '^1.0.0',
      kind: 'runtime',
      to: { importer: 'packages/utils' },
    });
  });

  it('walks each workspace, through the members it links', () => {
    expect(reached(graph, '.')).toEqual(['typescript@5.8.2 dev direct']);
    expect(reached(graph, 'packages/app')).toEqual([
      'has-flag@3.0.0 runtime',
      'has-flag@4.0.0 runtime',
      'left-pad@1.3.0 runtime direct',
      'local-config@1.0.0 runtime direct',
      'supports-color@5.5.0 runtime direct',
      'supports-color@7.2.0 runtime',
    ]);
    expect(reached(graph, 'packages/utils')).toEqual([
      'has-flag@4.0.0 runtime',
      'supports-color@7.2.0 runtime direct',
      'typescript@5.8.2 dev direct',
    ]);
  });

  it('reads codeload tarballs as git and file: folders as files', () => {
    expect(node(graph, 'left-pad@1.3.0')).toMatchObject({
      sourceKind: 'git',
      purl: 'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fstevemao%2Fleft-pad.git%405e5d8e0bc0e5a3d5c2f1d6a7b9c8e4f3a2b1c0d9',
    });
    expect(node(graph, 'local-config@1.0.0')).toMatchObject({
      sourceKind: 'file',
      resolved: undefined,
      purl: 'pkg:npm/local-config@1.0.0?download_url=file%3A..%2F..%2Fvendor%2Flocal-config',
    });
  });
});

describe('yarn berry', () => {
  const graph = parseFixture('yarn-berry');

  it('reads the lockfile without problems', () => {
    expect(graph.format).toBe('yarn berry (metadata 8)');
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.size).toBe(15);
  });

  it('gives every component its scopes and direct flag', () => {
    expect(graph.importers.map((i) => [i.path, i.name, i.version])).toEqual([['.', 'berry-demo', '1.0.0']]);
    expect(reached(graph, '.')).toEqual([
      '@babel/runtime@7.22.15 runtime direct',
      'ansi-regex@5.0.1 runtime',
      'ansi-regex@6.0.1 runtime',
      'has-flag@4.0.0 dev',
      'is-number@7.0.0 optional direct',
      'js-tokens@4.0.0 runtime,peer,dev',
      'left-pad@1.3.0 runtime direct',
      'loose-envify@1.4.0 runtime,peer,dev direct',
      'react@18.3.1 peer direct',
      'regenerator-runtime@0.14.0 runtime',
      'scheduler@0.23.2 dev direct',
      'strip-ansi@6.0.1 runtime direct',
      'strip-ansi@7.1.0 runtime direct',
      'supports-color@7.2.0 dev direct',
      'tiny-invariant@1.3.3 runtime direct',
    ]);
  });

  it('keys nodes by resolution and keeps declared specs on edges', () => {
    const edges = graph.importers[0]!.edges;
    expect(edges.find((e) => e.name === 'strip-ansi-cjs')).toEqual({
      name: 'strip-ansi-cjs',
      spec: 'npm:strip-ansi@^6.0.1',
      kind: 'runtime',
      to: { node: 'strip-ansi@npm:6.0.1' },
    });
    expect(edges.find((e) => e.name === 'loose-envify')).toEqual({
      name: 'loose-envify',
      spec: '^1.4.0',
      kind: 'runtime',
      to: { node: 'loose-envify@npm:1.4.0' },
    });
    expect(node(graph, 'strip-ansi@npm:6.0.1').name).toBe('strip-ansi');
    expect(node(graph, 'loose-envify@npm:1.4.0').edges).toEqual([
      { name: 'js-tokens', spec: '^3.0.0 || ^4.0.0', kind: 'runtime', to: { node: 'js-tokens@npm:4.0.0' } },
    ]);
  });

  it('identifies scoped, git and tarball packages by their source', () => {
    expect(node(graph, '@babel/runtime@npm:7.22.15')).toMatchObject({
      purl: 'pkg:npm/%40babel/runtime@7.22.15',
      sourceKind: 'registry',
      resolved: undefined,
    });
    expect(node(graph, '@babel/runtime@npm:7.22.15').integrity).toBeUndefined();
    expect(
      node(
        graph,
        'left-pad@https://github.com/stevemao/left-pad.git#commit=5e5d8e0bc0e5a3d5c2f1d6a7b9c8e4f3a2b1c0d9',
      ),
    ).toMatchObject({
      sourceKind: 'git',
      resolved: 'git+https://github.com/stevemao/left-pad.git#5e5d8e0bc0e5a3d5c2f1d6a7b9c8e4f3a2b1c0d9',
      purl: 'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fstevemao%2Fleft-pad.git%405e5d8e0bc0e5a3d5c2f1d6a7b9c8e4f3a2b1c0d9',
    });
    expect(node(graph, 'tiny-invariant@https://example.com/tarballs/tiny-invariant-1.3.3.tgz')).toMatchObject(
      {
        sourceKind: 'tarball',
        purl: 'pkg:npm/tiny-invariant@1.3.3?download_url=https%3A%2F%2Fexample.com%2Ftarballs%2Ftiny-invariant-1.3.3.tgz',
      },
    );
  });

  it('leaves out peer-only dependencies of the workspace', () => {
    expect(graph.importers[0]!.edges.some((e) => e.name === 'react-dom')).toBe(false);
    expect(graph.importers[0]!.edges.find((e) => e.name === 'react')?.kind).toBe('peer');
  });
});

describe('yarn berry workspaces (metadata 6)', () => {
  const graph = parseFixture('yarn-berry-workspaces');

  it('reads the lockfile without problems', () => {
    expect(graph.format).toBe('yarn berry (metadata 6)');
    expect(graph.problems).toEqual([]);
    expect([...graph.nodes.keys()]).toEqual([
      'has-flag@npm:4.0.0',
      'local-lib@link:../../vendor/local-lib::locator=%40demo%2Fapp%40workspace%3Apackages%2Fapp',
      'supports-color@npm:5.5.0',
      'supports-color@npm:7.2.0',
      'typescript@npm:5.2.2',
      'typescript@patch:typescript@npm%3A5.2.2#~builtin<compat/typescript>::version=5.2.2&hash=f3b441',
      'vendored-pkg@file:../../vendor/vendored-pkg-1.0.0.tgz::locator=%40demo%2Fapp%40workspace%3Apackages%2Fapp',
    ]);
  });

  it('takes its importers from the workspace entries', () => {
    expect(graph.importers.map((i) => [i.path, i.name, i.version])).toEqual([
      ['.', 'berry-monorepo', undefined],
      ['packages/app', '@demo/app', '2.1.0'],
      ['packages/utils', '@demo/utils', '1.2.0'],
    ]);
    expect(graph.importers[1]!.edges.find((e) => e.name === '@demo/utils')).toEqual({
      name: '@demo/utils',
      spec: 'workspace:^',
      kind: 'runtime',
      to: { importer: 'packages/utils' },
    });
  });

  it('walks each workspace, with resolutions, patches, links and files', () => {
    expect(reached(graph, '.')).toEqual(['typescript@5.2.2 dev direct']);
    expect(reached(graph, 'packages/app')).toEqual([
      'has-flag@4.0.0 runtime,dev',
      'local-lib@0.0.0-use.local runtime direct',
      'supports-color@5.5.0 runtime direct',
      'supports-color@7.2.0 runtime',
      'vendored-pkg@1.0.0 dev direct',
    ]);
    expect(reached(graph, 'packages/utils')).toEqual([
      'has-flag@4.0.0 runtime',
      'supports-color@7.2.0 runtime direct',
    ]);
  });

  it('installs the built-in typescript patch, with the purl of the package it patches', () => {
    const edge = graph.importers[0]!.edges[0]!;
    expect(edge.to).toEqual({
      node: 'typescript@patch:typescript@npm%3A5.2.2#~builtin<compat/typescript>::version=5.2.2&hash=f3b441',
    });
    const patched = graph.nodes.get(
      'typescript@patch:typescript@npm%3A5.2.2#~builtin<compat/typescript>::version=5.2.2&hash=f3b441',
    )!;
    expect(patched.purl).toBe('pkg:npm/typescript@5.2.2');
    expect(node(graph, 'typescript@npm:5.2.2').purl).toBe('pkg:npm/typescript@5.2.2');
  });

  it('follows the root resolutions to the package yarn installed', () => {
    expect(node(graph, 'supports-color@npm:5.5.0').edges).toEqual([
      { name: 'has-flag', spec: '^3.0.0', kind: 'runtime', to: { node: 'has-flag@npm:4.0.0' } },
    ]);
  });

  it('classifies link: and file: packages', () => {
    const link = node(
      graph,
      'local-lib@link:../../vendor/local-lib::locator=%40demo%2Fapp%40workspace%3Apackages%2Fapp',
    );
    expect(link).toMatchObject({ sourceKind: 'link', resolved: 'link:../../vendor/local-lib' });
    const file = node(
      graph,
      'vendored-pkg@file:../../vendor/vendored-pkg-1.0.0.tgz::locator=%40demo%2Fapp%40workspace%3Apackages%2Fapp',
    );
    expect(file).toMatchObject({
      sourceKind: 'tarball',
      purl: 'pkg:npm/vendored-pkg@1.0.0?download_url=file%3A..%2F..%2Fvendor%2Fvendored-pkg-1.0.0.tgz',
    });
  });
});

describe('yarn berry locators', () => {
  const lockfile = [
    '__metadata:',
    '  version: 8',
    '  cacheKey: 10c0',
    '',
    '"app@workspace:.":',
    '  version: 0.0.0-use.local',
    '  resolution: "app@workspace:."',
    '  dependencies:',
    '    private-lib: "npm:^2.0.0"',
    '    fork: "git+ssh://git@github.com/acme/fork.git#semver:^1.0.0"',
    '    portal-lib: "portal:../portal-lib"',
    '  languageName: unknown',
    '  linkType: soft',
    '',
    '"private-lib@npm:^2.0.0":',
    '  version: 2.1.0',
    '  resolution: "private-lib@npm:2.1.0::__archiveUrl=https%3A%2F%2Fnpm.acme.example%2Fprivate-lib%2F-%2Fprivate-lib-2.1.0.tgz"',
    '  languageName: node',
    '  linkType: hard',
    '',
    '"fork@git+ssh://git@github.com/acme/fork.git#semver:^1.0.0":',
    '  version: 1.4.0',
    '  resolution: "fork@git+ssh://git@github.com/acme/fork.git#commit=0123456789abcdef0123456789abcdef01234567"',
    '  languageName: node',
    '  linkType: hard',
    '',
    '"portal-lib@portal:../portal-lib::locator=app%40workspace%3A.":',
    '  version: 0.3.0',
    '  resolution: "portal-lib@portal:../portal-lib::locator=app%40workspace%3A."',
    '  languageName: node',
    '  linkType: soft',
    '',
  ].join('\n');
  const graph = parseYarnLock(lockfile, 'yarn.lock', noContext);

  it('reads a registry archive URL, a git commit and a portal', () => {
    expect(graph.problems).toEqual([]);
    expect(graph.importers[0]!.edges.map((e) => e.to)).toEqual([
      {
        node: 'private-lib@npm:2.1.0::__archiveUrl=https%3A%2F%2Fnpm.acme.example%2Fprivate-lib%2F-%2Fprivate-lib-2.1.0.tgz',
      },
      { node: 'fork@git+ssh://git@github.com/acme/fork.git#commit=0123456789abcdef0123456789abcdef01234567' },
      { node: 'portal-lib@portal:../portal-lib::locator=app%40workspace%3A.' },
    ]);
    const [privateLib, fork, portal] = [...graph.nodes.values()];
    expect(privateLib).toMatchObject({
      sourceKind: 'registry',
      resolved: 'https://npm.acme.example/private-lib/-/private-lib-2.1.0.tgz',
      purl: 'pkg:npm/private-lib@2.1.0?repository_url=https%3A%2F%2Fnpm.acme.example',
    });
    expect(fork).toMatchObject({
      sourceKind: 'git',
      purl: 'pkg:npm/fork@1.4.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Facme%2Ffork.git%400123456789abcdef0123456789abcdef01234567',
    });
    expect(portal).toMatchObject({ sourceKind: 'link', purl: 'pkg:npm/portal-lib@0.3.0' });
  });

  it('takes workspace kinds from package.json, and reports workspaces missing from the lockfile', () => {
    const context: LockfileContext = {
      root: pkg({ name: 'app', version: '3.0.0', devDependencies: { 'private-lib': '^2.0.0' } }),
      workspaces: new Map([['tools', pkg({ name: 'tools', dependencies: { fork: 'git+ssh://x' } })]]),
    };
    const withContext = parseYarnLock(lockfile, 'yarn.lock', context);
    expect(
      withContext.importers.map((i) => [i.path, i.version, i.edges.map((e) => `${e.name}:${e.kind}`)]),
    ).toEqual([
      ['.', '3.0.0', ['private-lib:dev', 'fork:runtime', 'portal-lib:runtime']],
      ['tools', undefined, ['fork:runtime']],
    ]);
    expect(withContext.problems.map((p) => [p.severity, p.code])).toEqual([
      ['warning', 'npm.yarn-lock.workspace-not-locked'],
      ['warning', 'npm.yarn-lock.unresolved'],
    ]);
  });
});

describe('yarn classic entries', () => {
  it('keeps one node per version and source, and names packages after their name field', () => {
    const lockfile = [
      '# yarn lockfile v1',
      '',
      '',
      'left-pad@^1.3.0:',
      '  version "1.3.0"',
      '  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e"',
      '',
      'left-pad@1.3.0:',
      '  version "1.3.0"',
      '  resolved "https://npm.pkg.github.com/download/left-pad/-/left-pad-1.3.0.tgz"',
      '',
      '"my-pad@https://example.com/pads/pad-2.0.0.tgz":',
      '  name pad',
      '  version "2.0.0"',
      '  resolved "https://example.com/pads/pad-2.0.0.tgz"',
      '',
    ].join('\n');
    const graph = parseYarnLock(lockfile, 'yarn.lock', {
      root: pkg({
        dependencies: { 'left-pad': '^1.3.0', 'my-pad': 'https://example.com/pads/pad-2.0.0.tgz' },
      }),
      workspaces: new Map(),
    });
    expect(graph.problems).toEqual([]);
    expect([...graph.nodes.values()].map((n) => [n.key, n.name, n.purl])).toEqual([
      ['left-pad@1.3.0', 'left-pad', 'pkg:npm/left-pad@1.3.0'],
      [
        'left-pad@1.3.0 (https://npm.pkg.github.com/download/left-pad/-/left-pad-1.3.0.tgz)',
        'left-pad',
        'pkg:npm/left-pad@1.3.0?repository_url=https%3A%2F%2Fnpm.pkg.github.com%2Fdownload',
      ],
      ['pad@2.0.0', 'pad', 'pkg:npm/pad@2.0.0?download_url=https%3A%2F%2Fexample.com%2Fpads%2Fpad-2.0.0.tgz'],
    ]);
    expect(graph.importers[0]!.edges.map((e) => [e.name, e.to])).toEqual([
      ['left-pad', { node: 'left-pad@1.3.0' }],
      ['my-pad', { node: 'pad@2.0.0' }],
    ]);
  });
});

describe('yarn berry resolutions', () => {
  const lockfile = [
    '__metadata:',
    '  version: 8',
    '  cacheKey: 10c0',
    '',
    '"app@workspace:.":',
    '  version: 0.0.0-use.local',
    '  resolution: "app@workspace:."',
    '  dependencies:',
    '    a: "npm:^1.0.0"',
    '    b: "npm:^1.0.0"',
    '  languageName: unknown',
    '  linkType: soft',
    '',
    '"a@npm:^1.0.0":',
    '  version: 1.0.0',
    '  resolution: "a@npm:1.0.0"',
    '  dependencies:',
    '    shared: "npm:^2.0.0"',
    '  languageName: node',
    '  linkType: hard',
    '',
    '"b@npm:^1.0.0":',
    '  version: 1.0.0',
    '  resolution: "b@npm:1.0.0"',
    '  dependencies:',
    '    shared: "npm:^2.0.0"',
    '  languageName: node',
    '  linkType: hard',
    '',
    '"shared@npm:2.5.0, shared@npm:^2.0.0":',
    '  version: 2.5.0',
    '  resolution: "shared@npm:2.5.0"',
    '  languageName: node',
    '  linkType: hard',
    '',
    '"shared@npm:2.1.0":',
    '  version: 2.1.0',
    '  resolution: "shared@npm:2.1.0"',
    '  languageName: node',
    '  linkType: hard',
    '',
    '"weird@exec:./generate.js::locator=app%40workspace%3A.":',
    '  version: 0.1.0',
    '  resolution: "weird@exec:./generate.js::locator=app%40workspace%3A."',
    '  languageName: node',
    '  linkType: hard',
    '',
  ].join('\n');

  it('applies a parent-scoped resolution only to the dependencies of that parent', () => {
    const root = Object.assign(pkg({ name: 'app', dependencies: { a: '^1.0.0', b: '^1.0.0' } }), {
      resolutions: { 'b/shared': '2.1.0' },
    });
    const graph = parseYarnLock(lockfile, 'yarn.lock', { root, workspaces: new Map() });
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.get('a@npm:1.0.0')!.edges[0]!.to).toEqual({ node: 'shared@npm:2.5.0' });
    expect(graph.nodes.get('b@npm:1.0.0')!.edges[0]!.to).toEqual({ node: 'shared@npm:2.1.0' });
  });

  it('gives packages of an unknown protocol an unknown source', () => {
    const graph = parseYarnLock(lockfile, 'yarn.lock', noContext);
    expect(graph.nodes.get('weird@exec:./generate.js::locator=app%40workspace%3A.')).toMatchObject({
      sourceKind: 'unknown',
      purl: 'pkg:npm/weird@0.1.0',
    });
  });
});

describe('bad input', () => {
  const classicFixture = readFileSync(path.join(fixtures, 'yarn-classic/yarn.lock'), 'utf8');
  const berryFixture = readFileSync(path.join(fixtures, 'yarn-berry/yarn.lock'), 'utf8');

  it('reports classic syntax errors with their line and column', () => {
    const content = '# yarn lockfile v1\n\n"a@^1.0.0":\n  version "1.0.0\n  resolved "https://x"\n';
    const graph = parseYarnLock(content, 'web/yarn.lock', noContext);
    expect(graph.nodes.size).toBe(0);
    expect(graph.problems.map((p) => p.severity)).toEqual(['error', 'warning']);
    expect(graph.problems[0]).toMatchObject({
      severity: 'error',
      code: 'npm.yarn-lock.invalid-syntax',
      file: 'web/yarn.lock',
      line: 4,
      column: 11,
    });
    expect(graph.problems[0]!.message).toMatch(/^web\/yarn\.lock:4:11: invalid yarn\.lock syntax: /);
    expect(graph.problems[0]!.hint).toBeTruthy();
  });

  it('reports berry syntax errors with their line and column', () => {
    const content =
      '__metadata:\n  version: 8\n\n"a@npm:1.0.0":\n  version: 1.0.0\n resolution: "a@npm:1.0.0"\n';
    const graph = parseYarnLock(content, 'yarn.lock', noContext);
    expect(graph.format).toBe('yarn berry (metadata 8)');
    expect(graph.problems).toMatchObject([
      { severity: 'error', code: 'npm.yarn-lock.invalid-syntax', line: 6, column: 2 },
    ]);
    expect(graph.problems[0]!.message).toContain('yarn.lock:6:2: invalid yarn.lock syntax: bad indentation');
  });

  it('keeps the entries before the break of a truncated file', () => {
    const cut = classicFixture.indexOf('  resolved "https://registry.yarnpkg.com/fsevents');
    const graph = parseYarnLock(classicFixture.slice(0, cut + 30), 'yarn.lock', noContext);
    expect(graph.problems[0]).toMatchObject({
      severity: 'error',
      code: 'npm.yarn-lock.invalid-syntax',
      line: 24,
    });
    expect([...graph.nodes.keys()]).toEqual([
      '@babel/runtime@7.26.9',
      'ansi-regex@5.0.1',
      'ansi-regex@6.1.0',
    ]);

    const berryCut = berryFixture.slice(0, berryFixture.indexOf('"react@npm:^18.3.1"') + 40);
    const berry = parseYarnLock(berryCut, 'yarn.lock', noContext);
    expect(berry.problems.filter((p) => p.severity === 'error')).toHaveLength(1);
    expect(berry.nodes.size).toBe(8);
  });

  it('reports entries of the wrong shape by their line, and keeps the others', () => {
    const classic =
      '# yarn lockfile v1\n\n\na@^1.0.0:\n  resolved "https://x/a.tgz"\n\nb@^2.0.0:\n  version "2.0.0"\n';
    const graph = parseYarnLock(classic, 'yarn.lock', noContext);
    expect([...graph.nodes.keys()]).toEqual(['b@2.0.0']);
    expect(graph.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'npm.yarn-lock.invalid-entry', line: 4, column: 1 }),
    );

    const berry =
      '__metadata:\n  version: 8\n\n"a@npm:1.0.0": just a string\n\n"b@npm:2.0.0":\n  version: 2.0.0\n';
    const berryGraph = parseYarnLock(berry, 'yarn.lock', noContext);
    expect(berryGraph.nodes.size).toBe(0);
    expect(berryGraph.problems.map((p) => [p.code, p.line])).toEqual([
      ['npm.yarn-lock.invalid-entry', 4],
      ['npm.yarn-lock.invalid-entry', 6],
    ]);
    expect(berryGraph.problems[1]!.message).toBe(
      'yarn.lock:6:1: entry "b@npm:2.0.0" has no resolution; it is left out of the inventory',
    );
  });

  it('reports a document that is not a mapping of entries', () => {
    const twoDocuments = parseYarnLock('__metadata:\n  version: 8\n---\n- a\n- b\n', 'yarn.lock', noContext);
    expect(twoDocuments.nodes.size).toBe(0);
    expect(twoDocuments.problems[0]).toMatchObject({
      severity: 'error',
      code: 'npm.yarn-lock.wrong-shape',
      message: 'yarn.lock:1:1: not a yarn.lock: expected a single document in the stream, but found more',
    });
    const list = parseYarnLock('__metadata:\n- a\n', 'yarn.lock', noContext);
    expect(list.format).toBe('yarn berry (metadata unknown)');
    expect(list.problems).toMatchObject([
      {
        severity: 'error',
        code: 'npm.yarn-lock.wrong-shape',
        line: 1,
        message: expect.stringContaining('has no version'),
      },
    ]);
  });

  it('ignores hostile keys without polluting any prototype', () => {
    const classic = [
      '# yarn lockfile v1',
      '',
      '"__proto__":',
      '  version "6.6.6"',
      '',
      'a@^1.0.0:',
      '  version "1.0.0"',
      '  dependencies:',
      '    "__proto__" "^1.0.0"',
      '    constructor "^1.0.0"',
      '',
      'constructor@^1.0.0:',
      '  version "1.0.0"',
      '',
    ].join('\n');
    const graph = parseYarnLock(classic, 'yarn.lock', {
      root: pkg({ name: 'x', dependencies: { a: '^1.0.0', hasOwnProperty: '^1.0.0' } }),
      workspaces: new Map(),
    });
    expect(({} as Record<string, unknown>).version).toBeUndefined();
    expect([...graph.nodes.keys()]).toEqual(['a@1.0.0', 'constructor@1.0.0']);
    expect(graph.nodes.get('a@1.0.0')!.edges).toEqual([
      { name: 'constructor', spec: '^1.0.0', kind: 'runtime', to: { node: 'constructor@1.0.0' } },
    ]);
    expect(graph.problems.map((p) => p.code)).toEqual([
      'npm.yarn-lock.ignored-key',
      'npm.yarn-lock.unresolved',
    ]);

    const berry = [
      '__metadata:',
      '  version: 8',
      '',
      '__proto__:',
      '  version: 6.6.6',
      '  resolution: "__proto__@npm:6.6.6"',
      '',
      '"app@workspace:.":',
      '  version: 0.0.0-use.local',
      '  resolution: "app@workspace:."',
      '  dependencies:',
      '    __proto__: "npm:^6.0.0"',
      '',
    ].join('\n');
    const berryGraph = parseYarnLock(berry, 'yarn.lock', noContext);
    expect(({} as Record<string, unknown>).resolution).toBeUndefined();
    expect([...berryGraph.nodes.keys()]).toEqual(['__proto__@npm:6.6.6']);
    expect(berryGraph.importers[0]!.edges).toEqual([
      { name: '__proto__', spec: '^6.0.0', kind: 'runtime', to: null },
    ]);
  });

  it('refuses nesting deep enough to exhaust the stack, by its line', () => {
    const lines = ['# yarn lockfile v1', '', 'a@^1.0.0:', '  version "1.0.0"', '', 'b@^1.0.0:'];
    for (let depth = 1; depth <= 5000; depth++) lines.push(`${'  '.repeat(depth)}k${depth}:`);
    const graph = parseYarnLock(lines.join('\n'), 'yarn.lock', noContext);
    expect(graph.problems[0]).toMatchObject({
      severity: 'error',
      code: 'npm.yarn-lock.invalid-syntax',
      line: 39,
    });
    expect([...graph.nodes.keys()]).toEqual(['a@1.0.0']);
  });

  it('reports merge conflict markers where they start', () => {
    const content = classicFixture.replace('ansi-regex@^6.0.1:', '<<<<<<< HEAD\nansi-regex@^6.0.1:');
    const graph = parseYarnLock(content, 'yarn.lock', noContext);
    expect(graph.problems[0]).toMatchObject({ code: 'npm.yarn-lock.invalid-syntax', line: 17, column: 1 });
    expect(graph.problems[0]!.message).toContain('merge conflict');
  });

  it('summarises declared dependencies missing from the lockfile in one warning', () => {
    const root = pkg({ name: 'x', dependencies: { a: '^1.0.0', b: '^2.0.0', c: '^3.0.0' } });
    const graph = parseYarnLock('# yarn lockfile v1\n\n\na@^1.0.0:\n  version "1.0.0"\n', 'yarn.lock', {
      root,
      workspaces: new Map(),
    });
    expect(graph.importers[0]!.edges.map((e) => e.to)).toEqual([{ node: 'a@1.0.0' }, null, null]);
    expect(graph.problems).toEqual([
      {
        severity: 'warning',
        code: 'npm.yarn-lock.unresolved',
        message: 'yarn.lock: 2 declared dependencies have no entry in the lockfile (b@^2.0.0, c@^3.0.0)',
        file: 'yarn.lock',
        hint: 'The lockfile is out of date with its package.json files: run `yarn install` and commit the lockfile.',
      },
    ]);
  });

  it('warns when a classic lockfile has no package.json to attribute it to', () => {
    const graph = parseYarnLock(classicFixture, 'yarn.lock', noContext);
    expect(graph.importers).toEqual([]);
    expect(graph.nodes.size).toBe(15);
    expect(graph.problems.map((p) => p.code)).toEqual(['npm.yarn-lock.no-package-json']);
  });

  it('reads CRLF files and a classic file without its header the same way', () => {
    const context = loadNpmContext(path.join(fixtures, 'yarn-classic'));
    const crlf = parseYarnLock(classicFixture.replace(/\n/g, '\r\n'), 'yarn.lock', context);
    const headless = parseYarnLock(classicFixture.replace(/^#.*\n/gm, ''), 'yarn.lock', context);
    const berryCrlf = parseYarnLock(
      berryFixture.replace(/\n/g, '\r\n'),
      'yarn.lock',
      loadNpmContext(path.join(fixtures, 'yarn-berry')),
    );
    for (const graph of [crlf, headless, berryCrlf]) {
      expect(graph.problems).toEqual([]);
      expect(graph.nodes.size).toBe(15);
    }
    expect(reached(crlf, '.')).toEqual(reached(parseFixture('yarn-classic'), '.'));
  });

  it('never throws on arbitrary bytes', () => {
    for (const content of [
      '',
      '\u0000\u0001',
      '{"lockfileVersion": 3}',
      ':::',
      '"',
      '__metadata: [',
      'a:\n\tb',
    ]) {
      const graph = parseYarnLock(content, 'yarn.lock', noContext);
      expect(graph.manifest).toBe('yarn.lock');
    }
  });
});
