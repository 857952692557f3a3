import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../src/core/graph.js';
import { walkGraph } from '../src/core/graph.js';
import type { Scope } from '../src/core/model.js';
import type { LockfileContext } from '../src/ecosystems/npm/lockfile.js';
import type { PackageJson } from '../src/ecosystems/npm/package-json.js';
import { parsePackageJson } from '../src/ecosystems/npm/package-json.js';
import { parseKey, refToTarget, suffixIndex, withoutSuffix } from '../src/ecosystems/npm/pnpm-dep-path.js';
import { parsePnpmLock } from '../src/ecosystems/npm/pnpm-lock.js';
import { hostedGitUrl, readResolution } from '../src/ecosystems/npm/pnpm-resolution.js';

const fixtures = fileURLToPath(new URL('../fixtures/npm/', import.meta.url));

function packageJson(path: string): PackageJson {
  const parsed = parsePackageJson(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.value;
}

function parseFixture(name: string, workspaces: string[] = []): DependencyGraph {
  const dir = join(fixtures, name);
  const context: LockfileContext = {
    root: packageJson(join(dir, 'package.json')),
    workspaces: new Map(workspaces.map((folder) => [folder, packageJson(join(dir, folder, 'package.json'))])),
  };
  return parsePnpmLock(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8'), 'pnpm-lock.yaml', context);
}

const noContext: LockfileContext = { workspaces: new Map() };

function parse(content: string): DependencyGraph {
  return parsePnpmLock(content, 'pnpm-lock.yaml', noContext);
}

interface Seen {
  id: string;
  scopes: Scope[];
  direct: boolean;
}

/** What one importer reaches after the walk, as name@version, sorted. */
function components(graph: DependencyGraph, importer = '.'): Seen[] {
  const seen = walkGraph(graph)
    .filter((reach) => reach.importer === importer)
    .map((reach) => {
      const node = graph.nodes.get(reach.node)!;
      return { id: `${node.name}@${node.version}`, scopes: reach.scopes, direct: reach.direct };
    });
  const order = (s: Seen) => `${s.id} ${s.scopes.join(',')} ${s.direct}`;
  return seen.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

function node(graph: DependencyGraph, key: string) {
  const found = graph.nodes.get(key);
  if (!found) throw new Error(`no node ${key}`);
  return found;
}

describe('pnpm-lock.yaml 5.x (fixtures/npm/pnpm-v5)', () => {
  const graph = parseFixture('pnpm-v5');

  it('reads the lockfile without problems', () => {
    expect(graph.format).toBe('pnpm 5.4');
    expect(graph.locked).toBe(true);
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.size).toBe(16);
  });

  it('gives the components with their scopes', () => {
    expect(components(graph)).toEqual([
      { id: '@sindresorhus/is@4.6.0', scopes: ['runtime'], direct: true },
      { id: 'ansi-regex@5.0.1', scopes: ['runtime', 'dev'], direct: true },
      { id: 'ansi-regex@6.0.1', scopes: ['runtime'], direct: false },
      { id: 'ansi-styles@5.2.0', scopes: ['dev'], direct: false },
      { id: 'fsevents@2.3.2', scopes: ['optional'], direct: true },
      { id: 'is-positive@3.1.0', scopes: ['runtime'], direct: true },
      { id: 'js-tokens@4.0.0', scopes: ['runtime'], direct: false },
      { id: 'left-pad@1.3.0', scopes: ['runtime'], direct: true },
      { id: 'local-helper@link:../local-helper', scopes: ['runtime'], direct: true },
      { id: 'loose-envify@1.4.0', scopes: ['runtime'], direct: false },
      { id: 'pretty-format@27.5.1', scopes: ['dev'], direct: true },
      { id: 'react-dom@18.2.0', scopes: ['runtime'], direct: true },
      { id: 'react-is@17.0.2', scopes: ['dev'], direct: false },
      { id: 'react@18.2.0', scopes: ['runtime'], direct: true },
      { id: 'scheduler@0.23.0', scopes: ['runtime'], direct: false },
      { id: 'strip-ansi@7.1.0', scopes: ['runtime'], direct: true },
    ]);
  });

  it('reads the top-level importer with its specifiers', () => {
    expect(graph.importers).toEqual([
      {
        path: '.',
        name: 'demo-app',
        version: '1.0.0',
        edges: [
          {
            name: '@sindresorhus/is',
            spec: '^4.6.0',
            kind: 'runtime',
            to: { node: '/@sindresorhus/is/4.6.0' },
          },
          {
            name: 'ansi-regex-v5',
            spec: 'npm:ansi-regex@^5.0.1',
            kind: 'runtime',
            to: { node: '/ansi-regex/5.0.1' },
          },
          {
            name: 'is-positive',
            spec: 'github:kevva/is-positive#97edff6f525f192a3f83cea1944765f769ae2678',
            kind: 'runtime',
            to: { node: 'github.com/kevva/is-positive/97edff6f525f192a3f83cea1944765f769ae2678' },
          },
          {
            name: 'left-pad',
            spec: 'https://example.com/tarballs/left-pad-1.3.0.tgz',
            kind: 'runtime',
            to: { node: '@example.com/tarballs/left-pad-1.3.0.tgz' },
          },
          {
            name: 'local-helper',
            spec: 'link:../local-helper',
            kind: 'runtime',
            to: { node: 'link:../local-helper' },
          },
          { name: 'react', spec: '^18.2.0', kind: 'runtime', to: { node: '/react/18.2.0' } },
          {
            name: 'react-dom',
            spec: '^18.2.0',
            kind: 'runtime',
            to: { node: '/react-dom/18.2.0_react@18.2.0' },
          },
          { name: 'strip-ansi', spec: '^7.1.0', kind: 'runtime', to: { node: '/strip-ansi/7.1.0' } },
          { name: 'pretty-format', spec: '^27.5.1', kind: 'dev', to: { node: '/pretty-format/27.5.1' } },
          { name: 'fsevents', spec: '^2.3.2', kind: 'optional', to: { node: '/fsevents/2.3.2' } },
        ],
      },
    ]);
  });

  it('names packages from their key, or from their entry when they do not come from the registry', () => {
    expect(node(graph, '/@sindresorhus/is/4.6.0')).toEqual({
      key: '/@sindresorhus/is/4.6.0',
      name: '@sindresorhus/is',
      version: '4.6.0',
      purl: 'pkg:npm/%40sindresorhus/is@4.6.0',
      sourceKind: 'registry',
      integrity:
        'sha512-z4STHEWTEdZPfK0EWc1xmyHPnfXBV+EhcNXmaJWMLwepi+P4H3QpFkaLaNBQY2Ld5hmbJ+sLXXgEGZH/KbOn0A==',
      edges: [],
    });
    expect(
      node(graph, 'github.com/kevva/is-positive/97edff6f525f192a3f83cea1944765f769ae2678'),
    ).toMatchObject({
      name: 'is-positive',
      version: '3.1.0',
      sourceKind: 'git',
      resolved:
        'https://codeload.github.com/kevva/is-positive/tar.gz/97edff6f525f192a3f83cea1944765f769ae2678',
      purl:
        'pkg:npm/is-positive@3.1.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fkevva%2Fis-positive.git' +
        '%4097edff6f525f192a3f83cea1944765f769ae2678',
    });
    expect(node(graph, '@example.com/tarballs/left-pad-1.3.0.tgz')).toMatchObject({
      name: 'left-pad',
      version: '1.3.0',
      sourceKind: 'tarball',
      resolved: 'https://example.com/tarballs/left-pad-1.3.0.tgz',
      purl: 'pkg:npm/left-pad@1.3.0?download_url=https%3A%2F%2Fexample.com%2Ftarballs%2Fleft-pad-1.3.0.tgz',
    });
    expect(node(graph, 'link:../local-helper')).toEqual({
      key: 'link:../local-helper',
      name: 'local-helper',
      version: 'link:../local-helper',
      purl: 'pkg:npm/local-helper@link:..%2Flocal-helper',
      sourceKind: 'link',
      resolved: 'link:../local-helper',
      edges: [],
    });
  });

  it('marks resolved peers as peer edges with their declared range', () => {
    expect(node(graph, '/react-dom/18.2.0_react@18.2.0').edges).toEqual([
      { name: 'loose-envify', spec: '1.4.0', kind: 'runtime', to: { node: '/loose-envify/1.4.0' } },
      { name: 'react', spec: '^18.2.0', kind: 'peer', to: { node: '/react/18.2.0' } },
      { name: 'scheduler', spec: '0.23.0', kind: 'runtime', to: { node: '/scheduler/0.23.0' } },
    ]);
  });
});

describe('pnpm-lock.yaml 6.x (fixtures/npm/pnpm-v6)', () => {
  const graph = parseFixture('pnpm-v6');

  it('reads the lockfile without problems', () => {
    expect(graph.format).toBe('pnpm 6.0');
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.size).toBe(16);
    expect(graph.importers.map((i) => [i.path, i.name, i.version])).toEqual([['.', 'demo-app', '1.0.0']]);
  });

  it('gives the components with their scopes', () => {
    expect(components(graph)).toEqual([
      { id: '@sindresorhus/is@4.6.0', scopes: ['runtime'], direct: true },
      { id: 'ansi-regex@5.0.1', scopes: ['runtime', 'dev'], direct: true },
      { id: 'ansi-regex@6.0.1', scopes: ['runtime'], direct: false },
      { id: 'ansi-styles@5.2.0', scopes: ['dev'], direct: false },
      { id: 'fsevents@2.3.2', scopes: ['optional'], direct: true },
      { id: 'is-positive@3.1.0', scopes: ['runtime'], direct: true },
      { id: 'js-tokens@4.0.0', scopes: ['runtime'], direct: false },
      { id: 'left-pad@1.3.0', scopes: ['runtime'], direct: true },
      { id: 'loose-envify@1.4.0', scopes: ['runtime'], direct: false },
      { id: 'pretty-format@27.5.1', scopes: ['dev'], direct: true },
      { id: 'react-dom@18.2.0', scopes: ['runtime'], direct: true },
      { id: 'react-is@17.0.2', scopes: ['dev'], direct: false },
      { id: 'react@18.2.0', scopes: ['runtime'], direct: true },
      { id: 'scheduler@0.23.0', scopes: ['runtime'], direct: false },
      { id: 'shared-utils@0.1.0', scopes: ['runtime'], direct: true },
      { id: 'strip-ansi@7.1.0', scopes: ['runtime'], direct: true },
    ]);
  });

  it('resolves aliases, peer-suffixed versions and local folders from inline specifiers', () => {
    const edges = graph.importers[0]!.edges;
    expect(edges.find((e) => e.name === 'ansi-regex-v5')).toEqual({
      name: 'ansi-regex-v5',
      spec: 'npm:ansi-regex@^5.0.1',
      kind: 'runtime',
      to: { node: '/ansi-regex@5.0.1' },
    });
    expect(edges.find((e) => e.name === 'react-dom')?.to).toEqual({
      node: '/react-dom@18.2.0(react@18.2.0)',
    });
    expect(node(graph, '/ansi-regex@5.0.1').name).toBe('ansi-regex');
    expect(node(graph, 'file:vendor/shared-utils')).toEqual({
      key: 'file:vendor/shared-utils',
      name: 'shared-utils',
      version: '0.1.0',
      purl: 'pkg:npm/shared-utils@0.1.0?download_url=file%3Avendor%2Fshared-utils',
      sourceKind: 'file',
      resolved: 'file:vendor/shared-utils',
      edges: [{ name: 'js-tokens', spec: '4.0.0', kind: 'runtime', to: { node: '/js-tokens@4.0.0' } }],
    });
  });
});

describe('pnpm-lock.yaml 9.x (fixtures/npm/pnpm-v9)', () => {
  const graph = parseFixture('pnpm-v9');

  it('reads the lockfile without problems', () => {
    expect(graph.format).toBe('pnpm 9.0');
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.size).toBe(16);
    expect(graph.importers.map((i) => [i.path, i.name, i.version])).toEqual([['.', 'demo-app', '1.0.0']]);
  });

  it('gives the components with their scopes', () => {
    expect(components(graph)).toEqual([
      { id: '@sindresorhus/is@4.6.0', scopes: ['runtime'], direct: true },
      { id: 'ansi-regex@5.0.1', scopes: ['runtime', 'dev'], direct: true },
      { id: 'ansi-regex@6.0.1', scopes: ['runtime'], direct: false },
      { id: 'ansi-styles@5.2.0', scopes: ['dev'], direct: false },
      { id: 'fsevents@2.3.2', scopes: ['optional'], direct: true },
      { id: 'is-positive@3.1.0', scopes: ['runtime'], direct: true },
      { id: 'js-tokens@4.0.0', scopes: ['runtime'], direct: false },
      { id: 'left-pad@1.3.0', scopes: ['runtime'], direct: true },
      { id: 'loose-envify@1.4.0', scopes: ['runtime'], direct: false },
      { id: 'pretty-format@27.5.1', scopes: ['dev'], direct: true },
      { id: 'react-dom@18.2.0', scopes: ['runtime'], direct: true },
      { id: 'react-is@17.0.2', scopes: ['dev'], direct: false },
      { id: 'react@18.2.0', scopes: ['runtime'], direct: true },
      { id: 'scheduler@0.23.0', scopes: ['runtime'], direct: false },
      { id: 'strip-ansi@7.1.0', scopes: ['runtime'], direct: true },
      { id: 'tiny-git@0.2.0', scopes: ['runtime'], direct: true },
    ]);
  });

  it('takes edges from snapshots and metadata from packages', () => {
    expect(node(graph, 'react-dom@18.2.0(react@18.2.0)')).toEqual({
      key: 'react-dom@18.2.0(react@18.2.0)',
      name: 'react-dom',
      version: '18.2.0',
      purl: 'pkg:npm/react-dom@18.2.0',
      sourceKind: 'registry',
      integrity:
        'sha512-2JdTLMBPPGbvWv5T5ugimhp0b1RXeRTeSZOj195w7dlfVVrIinTtFC2s10Pt2zZRpEQvCcuuDwMYDEA0Bnys9Q==',
      edges: [
        { name: 'loose-envify', spec: '1.4.0', kind: 'runtime', to: { node: 'loose-envify@1.4.0' } },
        { name: 'react', spec: '^18.2.0', kind: 'peer', to: { node: 'react@18.2.0' } },
        { name: 'scheduler', spec: '0.23.0', kind: 'runtime', to: { node: 'scheduler@0.23.0' } },
      ],
    });
  });

  it('reads git, tarball and alias references', () => {
    const edges = graph.importers[0]!.edges;
    expect(edges.find((e) => e.name === 'ansi-regex-v5')?.to).toEqual({ node: 'ansi-regex@5.0.1' });
    expect(
      node(
        graph,
        'is-positive@https://codeload.github.com/kevva/is-positive/tar.gz/97edff6f525f192a3f83cea1944765f769ae2678',
      ),
    ).toMatchObject({ name: 'is-positive', version: '3.1.0', sourceKind: 'git' });
    expect(node(graph, 'left-pad@https://example.com/tarballs/left-pad-1.3.0.tgz')).toMatchObject({
      name: 'left-pad',
      version: '1.3.0',
      sourceKind: 'tarball',
    });
    expect(
      node(
        graph,
        'tiny-git@git+https://git.example.org/demo/tiny-git.git#1f3c0d3e5a7b9c2d4e6f8a0b1c3d5e7f9a1b3c5d',
      ),
    ).toMatchObject({
      name: 'tiny-git',
      version: '0.2.0',
      sourceKind: 'git',
      resolved: 'git+https://git.example.org/demo/tiny-git.git#1f3c0d3e5a7b9c2d4e6f8a0b1c3d5e7f9a1b3c5d',
      purl:
        'pkg:npm/tiny-git@0.2.0?vcs_url=git%2Bhttps%3A%2F%2Fgit.example.org%2Fdemo%2Ftiny-git.git' +
        '%401f3c0d3e5a7b9c2d4e6f8a0b1c3d5e7f9a1b3c5d',
    });
  });
});

describe('pnpm-lock.yaml workspaces (fixtures/npm/pnpm-workspaces)', () => {
  const graph = parseFixture('pnpm-workspaces', ['packages/app', 'packages/config', 'packages/ui']);

  it('reads every importer with its package.json name and version', () => {
    expect(graph.format).toBe('pnpm 9.0');
    expect(graph.problems).toEqual([]);
    expect(graph.importers.map((i) => [i.path, i.name, i.version])).toEqual([
      ['.', 'demo-monorepo', '0.0.0'],
      ['packages/app', '@demo/app', '1.4.0'],
      ['packages/config', '@demo/config', '2.0.0'],
      ['packages/ui', '@demo/ui', '0.3.0'],
    ]);
  });

  it('links workspace members, plain and injected, as importers rather than nodes', () => {
    expect(graph.importers[1]!.edges.slice(0, 2)).toEqual([
      { name: '@demo/config', spec: 'workspace:*', kind: 'runtime', to: { importer: 'packages/config' } },
      { name: '@demo/ui', spec: 'workspace:*', kind: 'runtime', to: { importer: 'packages/ui' } },
    ]);
    expect([...graph.nodes.keys()]).toEqual([
      'js-tokens@4.0.0',
      'loose-envify@1.4.0',
      'object-assign@4.1.1',
      'react@17.0.2',
      'react@18.2.0',
      'typescript@5.1.6',
      'use-sync-external-store@1.2.0(react@17.0.2)',
      'use-sync-external-store@1.2.0(react@18.2.0)',
    ]);
  });

  it('keeps peer variants as separate nodes sharing one purl', () => {
    expect(node(graph, 'use-sync-external-store@1.2.0(react@17.0.2)').purl).toBe(
      'pkg:npm/use-sync-external-store@1.2.0',
    );
    expect(node(graph, 'use-sync-external-store@1.2.0(react@18.2.0)').purl).toBe(
      'pkg:npm/use-sync-external-store@1.2.0',
    );
  });

  it('takes the kind of an auto-installed peer of a member from its package.json', () => {
    expect(graph.importers[2]!.edges).toEqual([
      { name: 'typescript', spec: '^5.0.0', kind: 'peer', to: { node: 'typescript@5.1.6' } },
    ]);
  });

  it('gives each importer its components', () => {
    expect(components(graph, '.')).toEqual([{ id: 'typescript@5.1.6', scopes: ['dev'], direct: true }]);
    expect(components(graph, 'packages/app')).toEqual([
      { id: 'js-tokens@4.0.0', scopes: ['runtime'], direct: false },
      { id: 'loose-envify@1.4.0', scopes: ['runtime'], direct: false },
      { id: 'object-assign@4.1.1', scopes: ['runtime'], direct: false },
      { id: 'react@17.0.2', scopes: ['runtime'], direct: false },
      { id: 'react@18.2.0', scopes: ['runtime'], direct: true },
      { id: 'typescript@5.1.6', scopes: ['runtime', 'dev'], direct: true },
      { id: 'use-sync-external-store@1.2.0', scopes: ['runtime'], direct: false },
      { id: 'use-sync-external-store@1.2.0', scopes: ['runtime'], direct: true },
    ]);
    expect(components(graph, 'packages/config')).toEqual([
      { id: 'typescript@5.1.6', scopes: ['peer'], direct: true },
    ]);
    expect(components(graph, 'packages/ui')).toEqual([
      { id: 'js-tokens@4.0.0', scopes: ['runtime', 'dev'], direct: false },
      { id: 'loose-envify@1.4.0', scopes: ['runtime', 'dev'], direct: false },
      { id: 'object-assign@4.1.1', scopes: ['runtime', 'dev'], direct: false },
      { id: 'react@17.0.2', scopes: ['runtime', 'dev'], direct: true },
      { id: 'use-sync-external-store@1.2.0', scopes: ['runtime'], direct: true },
    ]);
  });
});

describe('pnpm-lock.yaml 5.x workspaces and peer suffixes', () => {
  const graph = parse(`lockfileVersion: 5.3

importers:

  .:
    specifiers: {}

  packages/a:
    specifiers:
      '@testing-library/react': ^13.4.0
      react: ^18.2.0
      styled-jsx: 5.1.1
    dependencies:
      '@testing-library/react': 13.4.0_biqbaboplfbrettd7655fr4n2y
      react: 18.2.0
      styled-jsx: 5.1.1_@babel+core@7.22.5+react@18.2.0

  packages/b:
    specifiers:
      '@t/a': workspace:*
      emoji: npm:@types/emoji@^1.0.0
    dependencies:
      '@t/a': link:../a
      emoji: /@types/emoji/1.0.0

packages:

  /@babel/core/7.22.5:
    resolution: {integrity: sha512-a}
    dev: false

  /@testing-library/react/13.4.0_biqbaboplfbrettd7655fr4n2y:
    resolution: {integrity: sha512-b}
    peerDependencies:
      react: ^18.0.0
    dependencies:
      react: 18.2.0
    dev: false

  /@types/emoji/1.0.0:
    resolution: {integrity: sha512-c}
    dev: false

  /react/18.2.0:
    resolution: {integrity: sha512-d}
    dev: false

  /styled-jsx/5.1.1_@babel+core@7.22.5+react@18.2.0:
    resolution: {integrity: sha512-e}
    peerDependencies:
      '@babel/core': '*'
      react: '>= 16.8.0'
    peerDependenciesMeta:
      '@babel/core':
        optional: true
    dependencies:
      '@babel/core': 7.22.5
      react: 18.2.0
    dev: false
`);

  it('reads hashed and `+` peer suffixes, scoped aliases and workspace links', () => {
    expect(graph.problems).toEqual([]);
    expect([...graph.nodes.values()].map((n) => `${n.key} → ${n.name}@${n.version}`)).toEqual([
      '/@babel/core/7.22.5 → @babel/core@7.22.5',
      '/@testing-library/react/13.4.0_biqbaboplfbrettd7655fr4n2y → @testing-library/react@13.4.0',
      '/@types/emoji/1.0.0 → @types/emoji@1.0.0',
      '/react/18.2.0 → react@18.2.0',
      '/styled-jsx/5.1.1_@babel+core@7.22.5+react@18.2.0 → styled-jsx@5.1.1',
    ]);
    expect(graph.importers.map((i) => i.path)).toEqual(['.', 'packages/a', 'packages/b']);
    expect(graph.importers[2]!.edges).toEqual([
      { name: '@t/a', spec: 'workspace:*', kind: 'runtime', to: { importer: 'packages/a' } },
      {
        name: 'emoji',
        spec: 'npm:@types/emoji@^1.0.0',
        kind: 'runtime',
        to: { node: '/@types/emoji/1.0.0' },
      },
    ]);
    expect(node(graph, '/styled-jsx/5.1.1_@babel+core@7.22.5+react@18.2.0').edges).toEqual([
      { name: '@babel/core', spec: '*', kind: 'optional', to: { node: '/@babel/core/7.22.5' } },
      { name: 'react', spec: '>= 16.8.0', kind: 'peer', to: { node: '/react/18.2.0' } },
    ]);
  });

  it('reaches a linked member’s dependencies', () => {
    expect(components(graph, 'packages/b')).toEqual([
      { id: '@babel/core@7.22.5', scopes: ['optional'], direct: false },
      { id: '@testing-library/react@13.4.0', scopes: ['runtime'], direct: false },
      { id: '@types/emoji@1.0.0', scopes: ['runtime'], direct: true },
      { id: 'react@18.2.0', scopes: ['runtime'], direct: false },
      { id: 'styled-jsx@5.1.1', scopes: ['runtime'], direct: false },
    ]);
  });
});

describe('pnpm dependency paths', () => {
  it('finds the parenthesised suffix, nested or not', () => {
    expect(suffixIndex('a@1.0.0')).toBe(-1);
    expect(suffixIndex('a@1.0.0(b@2.0.0)')).toBe(7);
    expect(suffixIndex('a@1.0.0(b@2.0.0(c@3.0.0))(d@1.0.0)')).toBe(7);
    expect(suffixIndex('a@1.0.0(patch_hash=xyz)(b@2.0.0)')).toBe(7);
    expect(suffixIndex('a@1.0.0)')).toBe(-1);
    expect(withoutSuffix('/@s/a@1.0.0(@s/b@2.0.0)')).toBe('/@s/a@1.0.0');
  });

  it('turns references into keys in each grammar', () => {
    expect(refToTarget('v5', 'a', '1.0.0_b@2.0.0')).toEqual({ kind: 'key', key: '/a/1.0.0_b@2.0.0' });
    expect(refToTarget('v5', 'alias', '/@s/real/1.0.0')).toEqual({ kind: 'key', key: '/@s/real/1.0.0' });
    expect(refToTarget('v5', 'a', 'file:../a')).toEqual({ kind: 'key', key: 'file:../a' });
    expect(refToTarget('v6', 'a', '1.0.0(@s/b@2.0.0)')).toEqual({ kind: 'key', key: '/a@1.0.0(@s/b@2.0.0)' });
    expect(refToTarget('v6', 'alias', '/real@1.0.0')).toEqual({ kind: 'key', key: '/real@1.0.0' });
    expect(refToTarget('v6', 'a', 'github.com/u/a/abc')).toEqual({ kind: 'key', key: 'github.com/u/a/abc' });
    expect(refToTarget('v9', 'a', '1.0.0(b@2.0.0)')).toEqual({ kind: 'key', key: 'a@1.0.0(b@2.0.0)' });
    expect(refToTarget('v9', 'alias', 'real@1.0.0')).toEqual({ kind: 'key', key: 'real@1.0.0' });
    expect(refToTarget('v9', 'alias', '@s/real@1.0.0')).toEqual({ kind: 'key', key: '@s/real@1.0.0' });
    expect(refToTarget('v9', 'a', 'https://h/a.tgz')).toEqual({ kind: 'key', key: 'a@https://h/a.tgz' });
    expect(refToTarget('v9', 'a', 'git+https://t@h/a.git#1')).toEqual({
      kind: 'key',
      key: 'a@git+https://t@h/a.git#1',
    });
    expect(refToTarget('v9', 'a', 'file:x(b@1.0.0)')).toEqual({ kind: 'key', key: 'a@file:x(b@1.0.0)' });
    expect(refToTarget('v9', 'a', 'link:../a')).toEqual({ kind: 'link', path: '../a' });
  });

  it('reads name and version from registry keys only', () => {
    expect(parseKey('v5', '/@s/a/1.0.0-rc.1_b@2.0.0')).toEqual({ name: '@s/a', version: '1.0.0-rc.1' });
    expect(parseKey('v5', 'github.com/u/a/abc')).toBeUndefined();
    expect(parseKey('v6', '/@s/a@1.0.0(b@2.0.0)')).toEqual({ name: '@s/a', version: '1.0.0' });
    expect(parseKey('v6', '@host/a.tgz')).toBeUndefined();
    expect(parseKey('v9', '@s/a@1.0.0(b@2.0.0(c@1.0.0))')).toEqual({ name: '@s/a', version: '1.0.0' });
    expect(parseKey('v9', 'noversion')).toBeUndefined();
  });
});

describe('pnpm resolutions', () => {
  it('classifies hosted-git archives as git', () => {
    expect(hostedGitUrl('https://codeload.github.com/u/r/tar.gz/abc')).toBe(
      'git+https://github.com/u/r.git#abc',
    );
    expect(hostedGitUrl('https://gitlab.com/api/v4/projects/u%2Fr/repository/archive.tar.gz?ref=abc')).toBe(
      'git+https://gitlab.com/u/r.git#abc',
    );
    expect(hostedGitUrl('https://bitbucket.org/u/r/get/abc.tar.gz')).toBe(
      'git+https://bitbucket.org/u/r.git#abc',
    );
    expect(hostedGitUrl('https://example.com/r.tgz')).toBeUndefined();
  });

  it('reads git, directory, tarball and registry resolutions', () => {
    expect(readResolution({ type: 'git', repo: 'git@github.com:u/r.git', commit: 'abc' })).toEqual({
      source: { kind: 'git', qualifiers: { vcs_url: 'git+https://github.com/u/r.git@abc' } },
      resolved: 'git+ssh://git@github.com/u/r.git#abc',
    });
    expect(readResolution({ type: 'directory', directory: '../x' })).toEqual({
      source: { kind: 'file', qualifiers: { download_url: 'file:../x' } },
      resolved: 'file:../x',
      directory: '../x',
    });
    expect(readResolution({ integrity: 'sha512-x', tarball: 'file:vendor/x-1.0.0.tgz' })).toEqual({
      source: { kind: 'tarball', qualifiers: { download_url: 'file:vendor/x-1.0.0.tgz' } },
      resolved: 'file:vendor/x-1.0.0.tgz',
      integrity: 'sha512-x',
    });
    expect(readResolution({ integrity: 'sha512-y' })).toEqual({
      source: { kind: 'registry', qualifiers: {} },
      integrity: 'sha512-y',
    });
    expect(readResolution('not a mapping')).toEqual({ source: { kind: 'registry', qualifiers: {} } });
  });
});

const V9_HEAD = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0
`;

describe('pnpm-lock.yaml: bad input', () => {
  it('reports invalid YAML with its line and column, and returns no nodes', () => {
    const graph = parse(`${V9_HEAD}
packages:

  a@1.0.0:
    resolution: {integrity: sha512-a}
   engines: {node: '>=8'}
`);
    expect(graph.nodes.size).toBe(0);
    expect(graph.problems).toEqual([
      {
        severity: 'error',
        code: 'npm.pnpm-lock.invalid-yaml',
        message: 'pnpm-lock.yaml:15:4: invalid YAML: bad indentation of a mapping entry',
        file: 'pnpm-lock.yaml',
        line: 15,
        column: 4,
        hint: 'Regenerate the lockfile with `pnpm install` (resolving any merge conflict first) and scan again.',
      },
    ]);
  });

  it('reports a file cut in the middle of an entry', () => {
    const full = readFileSync(join(fixtures, 'pnpm-v9', 'pnpm-lock.yaml'), 'utf8');
    // Cut inside the flow mapping of line 51; the parser notices where the stream ends, at 52:1.
    const cut = full.slice(0, full.indexOf('sha512-CCu8') + 20);
    const graph = parse(cut);
    expect(graph.nodes.size).toBe(0);
    expect(graph.problems.map((p) => [p.code, p.line, p.column, p.message])).toEqual([
      [
        'npm.pnpm-lock.invalid-yaml',
        52,
        1,
        'pnpm-lock.yaml:52:1: invalid YAML: unexpected end of the stream within a flow collection',
      ],
    ]);
  });

  it('reports a file cut at a line boundary: partial nodes, unresolved edges, missing snapshots', () => {
    const full = readFileSync(join(fixtures, 'pnpm-v9', 'pnpm-lock.yaml'), 'utf8');
    const graph = parse(full.slice(0, full.indexOf('  fsevents@2.3.2:')));
    expect([...graph.nodes.keys()]).toEqual([
      '@sindresorhus/is@4.6.0',
      'ansi-regex@5.0.1',
      'ansi-regex@6.0.1',
      'ansi-styles@5.2.0',
    ]);
    expect(graph.importers[0]!.edges.filter((e) => e.to === null).map((e) => e.name)).toEqual([
      'is-positive',
      'left-pad',
      'react',
      'react-dom',
      'strip-ansi',
      'tiny-git',
      'pretty-format',
      'fsevents',
    ]);
    expect(graph.problems).toEqual([
      {
        severity: 'error',
        code: 'npm.pnpm-lock.missing-section',
        message:
          'pnpm-lock.yaml:44:1: top-level sections missing (truncated file?) (1): `snapshots` is absent, `packages` is not',
        file: 'pnpm-lock.yaml',
        line: 44,
        column: 1,
        hint: 'Regenerate the lockfile with `pnpm install` (resolving any merge conflict first) and scan again.',
      },
      {
        severity: 'warning',
        code: 'npm.pnpm-lock.unresolved-dependency',
        message:
          'pnpm-lock.yaml: 8 dependencies have no entry in the lockfile: ' +
          'is-positive@https://codeload.github.com/kevva/is-positive/tar.gz/97edff6f525f192a3f83cea1944765f769ae2678 ' +
          '(importer .), left-pad@https://example.com/tarballs/left-pad-1.3.0.tgz (importer .), ' +
          'react@18.2.0 (importer .), react-dom@18.2.0(react@18.2.0) (importer .), strip-ansi@7.1.0 (importer .), ' +
          'and 3 more',
        file: 'pnpm-lock.yaml',
        hint: 'The lockfile is incomplete or out of date: run `pnpm install` and scan again.',
      },
    ]);
  });

  it('reports wrong shapes where they are and keeps what can be read', () => {
    const graph = parse(`${V9_HEAD}
packages:

  a@1.0.0:
    resolution: {integrity: sha512-a}

  b@2.0.0: just a string

snapshots:

  a@1.0.0:
    dependencies:
      b: [2.0.0]
      c: 3.0.0

  b@2.0.0: {}
`);
    expect([...graph.nodes.keys()]).toEqual(['a@1.0.0']);
    expect(node(graph, 'a@1.0.0').edges).toEqual([{ name: 'c', spec: '3.0.0', kind: 'runtime', to: null }]);
    expect(graph.problems.map((p) => p.message)).toEqual([
      'pnpm-lock.yaml:16:3: entries that cannot be read (1): "b@2.0.0" is not a mapping',
      'pnpm-lock.yaml:20:3: dependencies whose reference is not a string (1): "a@1.0.0" dependencies: "b"',
      'pnpm-lock.yaml: 1 dependencies have no entry in the lockfile: c@3.0.0 (a@1.0.0)',
    ]);
    expect(graph.problems.map((p) => p.severity)).toEqual(['error', 'error', 'warning']);
  });

  it('reports a document that is not a mapping, and sections that are not mappings', () => {
    expect(parse('- just\n- a list\n').problems).toEqual([
      {
        severity: 'error',
        code: 'npm.pnpm-lock.not-a-mapping',
        message: 'pnpm-lock.yaml:1:1: a pnpm lockfile must hold a YAML mapping with `lockfileVersion`',
        file: 'pnpm-lock.yaml',
        line: 1,
        column: 1,
        hint: 'Regenerate the lockfile with `pnpm install` (resolving any merge conflict first) and scan again.',
      },
    ]);
    const graph = parse(`lockfileVersion: '6.0'\n\nimporters: [a, b]\n\npackages: oops\n`);
    expect(graph.problems.map((p) => [p.code, p.line, p.column, p.message])).toEqual([
      [
        'npm.pnpm-lock.invalid-section',
        3,
        1,
        'pnpm-lock.yaml:3:1: top-level sections that are not mappings (2): `importers` is not a mapping; `packages` is not a mapping',
      ],
    ]);
  });

  it('reports a missing or unsupported lockfile version', () => {
    expect(parse('packages: {}\n').problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['npm.pnpm-lock.missing-version', 1, 1],
    ]);
    const old = parse('# pnpm 3\nlockfileVersion: 4.0\n');
    expect(old.format).toBe('pnpm 4.0');
    expect(old.problems.map((p) => p.message)).toEqual([
      'pnpm-lock.yaml:2:1: lockfile version 4.0 is not supported (5.x, 6.x and 9.x are)',
    ]);
    const newer = parse(
      `${V9_HEAD.replace("'9.0'", "'10.0'")}\npackages:\n  a@1.0.0:\n    resolution: {integrity: x}\n\nsnapshots:\n  a@1.0.0: {}\n`,
    );
    expect(newer.nodes.size).toBe(1);
    expect(newer.problems.map((p) => [p.severity, p.code])).toEqual([
      ['warning', 'npm.pnpm-lock.newer-version'],
    ]);
  });

  it('reads the lockfile document after the one pnpm writes for its own installation', () => {
    const graph = parse(`---
lockfileVersion: '9.0'

importers:

  .:
    configDependencies: {}
    packageManagerDependencies:
      pnpm:
        specifier: 10.0.0
        version: 10.0.0

packages:

  pnpm@10.0.0:
    resolution: {integrity: sha512-p}

snapshots:

  pnpm@10.0.0: {}

---
${V9_HEAD}
packages:

  a@1.0.0:
    resolution: {integrity: sha512-a}

snapshots:

  a@1.0.0: {}
`);
    expect(graph.problems).toEqual([]);
    expect([...graph.nodes.keys()]).toEqual(['a@1.0.0']);
  });

  it('is not fooled by hostile keys', () => {
    const graph = parse(`${V9_HEAD}      __proto__:
        specifier: ^1.0.0
        version: 1.0.0
      constructor:
        specifier: ^1.0.0
        version: 1.0.0
      toString:
        specifier: latest
        version: 1.0.0

packages:

  __proto__@1.0.0:
    resolution: {integrity: sha512-p}

  __proto__:
    polluted: yes

snapshots:

  __proto__@1.0.0:
    dependencies:
      __proto__: 1.0.0
      hasOwnProperty: 1.0.0

  a@1.0.0:
    dependencies:
      __proto__: 1.0.0
`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect([...graph.nodes.keys()]).toEqual(['__proto__@1.0.0', 'a@1.0.0']);
    expect(node(graph, '__proto__@1.0.0').edges).toEqual([
      { name: '__proto__', spec: '1.0.0', kind: 'runtime', to: { node: '__proto__@1.0.0' } },
      { name: 'hasOwnProperty', spec: '1.0.0', kind: 'runtime', to: null },
    ]);
    expect(graph.importers[0]!.edges.map((e) => [e.name, e.to])).toEqual([
      ['a', { node: 'a@1.0.0' }],
      ['__proto__', { node: '__proto__@1.0.0' }],
      ['constructor', null],
      ['toString', null],
    ]);
    expect(graph.problems.map((p) => [p.severity, p.code])).toEqual([
      ['error', 'npm.pnpm-lock.missing-metadata'],
      ['error', 'npm.pnpm-lock.invalid-entry'],
      ['warning', 'npm.pnpm-lock.unresolved-dependency'],
    ]);
  });

  it('survives deep nesting and long dependency chains without recursion', () => {
    const deep = parse(`lockfileVersion: '9.0'\npackages: ${'['.repeat(5000)}\n`);
    expect(deep.problems.map((p) => p.code)).toEqual(['npm.pnpm-lock.invalid-yaml']);

    const count = 20_000;
    const lines = [V9_HEAD.replace('version: 1.0.0', 'version: 0.0.0'), 'packages:', ''];
    for (let i = 0; i < count; i++)
      lines.push(`  p${i}@0.0.0:`, `    resolution: {integrity: sha512-${i}}`, '');
    lines.push('snapshots:', '');
    for (let i = 0; i < count; i++) {
      lines.push(
        i + 1 < count ? `  p${i}@0.0.0:\n    dependencies:\n      p${i + 1}: 0.0.0` : `  p${i}@0.0.0: {}`,
      );
    }
    const chain = parse(lines.join('\n').replace('      a:\n', '      p0:\n'));
    expect(chain.problems).toEqual([]);
    expect(chain.nodes.size).toBe(count);
    expect(chain.importers[0]!.edges.map((e) => e.to)).toEqual([{ node: 'p0@0.0.0' }]);
    expect(node(chain, 'p0@0.0.0').edges.map((e) => e.to)).toEqual([{ node: 'p1@0.0.0' }]);
    expect(node(chain, 'p19998@0.0.0').edges.map((e) => e.to)).toEqual([{ node: 'p19999@0.0.0' }]);
    expect(node(chain, 'p19999@0.0.0').edges).toEqual([]);
  });
});
