import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../src/core/graph.js';
import { walkGraph } from '../src/core/graph.js';
import type { LockfileContext } from '../src/ecosystems/npm/lockfile.js';
import { parsePackageLock } from '../src/ecosystems/npm/package-lock.js';
import { loadNpmContext } from './helpers/npm-context.js';

const fixtures = fileURLToPath(new URL('../fixtures/npm/', import.meta.url));
const NO_CONTEXT: LockfileContext = { workspaces: new Map() };

function fixture(
  name: string,
  lockfile = 'package-lock.json',
): { content: string; context: LockfileContext } {
  const folder = join(fixtures, name);
  return { content: readFileSync(join(folder, lockfile), 'utf8'), context: loadNpmContext(folder) };
}

function parseFixture(name: string, lockfile = 'package-lock.json'): DependencyGraph {
  const { content, context } = fixture(name, lockfile);
  return parsePackageLock(content, lockfile, context);
}

/** Mutates a fixture's JSON and parses the result, for the variants that do not deserve a fixture of their own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the edits reach anywhere into lockfile JSON
function parseEdited(name: string, edit: (lock: Record<string, any>) => void, context?: LockfileContext) {
  const { content, context: fixtureContext } = fixture(name);
  const lock = JSON.parse(content);
  edit(lock);
  return parsePackageLock(
    `${JSON.stringify(lock, null, 2)}\n`,
    'package-lock.json',
    context ?? fixtureContext,
  );
}

/** `name@version scopes [direct]` of every node an importer reaches, sorted. */
function components(graph: DependencyGraph, importer = '.'): string[] {
  return walkGraph(graph)
    .filter((reach) => reach.importer === importer)
    .map((reach) => {
      const node = graph.nodes.get(reach.node)!;
      return `${node.name}@${node.version} ${reach.scopes.join('+')}${reach.direct ? ' direct' : ''}`;
    })
    .sort();
}

const problemCodes = (graph: DependencyGraph) => graph.problems.map((p) => `${p.severity} ${p.code}`);

describe('package-lock v3', () => {
  const graph = parseFixture('package-lock-v3');

  it('reads every package with its scopes and direct flag', () => {
    expect(graph.format).toBe('package-lock v3');
    expect(graph.locked).toBe(true);
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.size).toBe(15);
    expect(components(graph)).toEqual([
      '@types/debug@4.1.12 dev direct',
      '@types/ms@0.7.34 dev',
      'debug@4.3.4 runtime direct',
      'fsevents@2.3.3 optional direct',
      'humanize-ms@1.2.1 dev direct',
      'js-tokens@4.0.0 runtime+peer',
      'left-pad@1.3.0 runtime direct',
      'local-util@0.1.0 runtime direct',
      'loose-envify@1.4.0 runtime+peer',
      'ms@2.1.2 runtime',
      'ms@2.1.3 runtime+dev direct',
      'react@18.2.0 runtime+peer direct',
      'semver@6.3.1 runtime direct',
      'tiny-tarball@1.0.0 runtime direct',
      'use-sync-external-store@1.2.0 runtime direct',
    ]);
  });

  it('describes the root as the only importer, with the kinds the root entry declares', () => {
    expect(graph.importers.map((i) => `${i.path} ${i.name}@${i.version}`)).toEqual(['. fixture-app@1.0.0']);
    expect(graph.importers[0]!.edges.map((e) => `${e.name} ${e.kind} ${JSON.stringify(e.to)}`)).toEqual([
      'react peer {"node":"node_modules/react"}',
      'debug runtime {"node":"node_modules/debug"}',
      'left-pad runtime {"node":"node_modules/left-pad"}',
      'local-util runtime {"node":"vendor/local-util"}',
      'ms runtime {"node":"node_modules/ms"}',
      'semver6 runtime {"node":"node_modules/semver6"}',
      'tiny-tarball runtime {"node":"node_modules/tiny-tarball"}',
      'use-sync-external-store runtime {"node":"node_modules/use-sync-external-store"}',
      'fsevents optional {"node":"node_modules/fsevents"}',
      '@types/debug dev {"node":"node_modules/@types/debug"}',
      'humanize-ms dev {"node":"node_modules/humanize-ms"}',
    ]);
  });

  it('resolves a nested copy before the hoisted one', () => {
    expect(graph.nodes.get('node_modules/debug')!.edges).toEqual([
      { name: 'ms', spec: '2.1.2', kind: 'runtime', to: { node: 'node_modules/debug/node_modules/ms' } },
    ]);
    expect(graph.nodes.get('node_modules/humanize-ms')!.edges).toEqual([
      { name: 'ms', spec: '^2.0.0', kind: 'runtime', to: { node: 'node_modules/ms' } },
    ]);
  });

  it('names an alias by its real package and keeps the alias on the edge', () => {
    const alias = graph.nodes.get('node_modules/semver6')!;
    expect([alias.name, alias.version, alias.purl, alias.sourceKind]).toEqual([
      'semver',
      '6.3.1',
      'pkg:npm/semver@6.3.1',
      'registry',
    ]);
    expect(graph.importers[0]!.edges.find((e) => e.to && 'node' in e.to && e.to.node === alias.key)).toEqual({
      name: 'semver6',
      spec: 'npm:semver@^6.3.1',
      kind: 'runtime',
      to: { node: 'node_modules/semver6' },
    });
  });

  it('tells git, tarball and file dependencies apart in sourceKind and purl', () => {
    const pick = (key: string) => {
      const n = graph.nodes.get(key)!;
      return [n.sourceKind, n.resolved, n.purl];
    };
    expect(pick('node_modules/left-pad')).toEqual([
      'git',
      'git+ssh://git@github.com/stevemao/left-pad.git#7aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75',
      'pkg:npm/left-pad@1.3.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fstevemao%2Fleft-pad.git%407aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75',
    ]);
    expect(pick('node_modules/tiny-tarball')).toEqual([
      'tarball',
      'https://cdn.example.org/packages/tiny-tarball-1.0.0.tgz',
      'pkg:npm/tiny-tarball@1.0.0?download_url=https%3A%2F%2Fcdn.example.org%2Fpackages%2Ftiny-tarball-1.0.0.tgz',
    ]);
    expect(pick('vendor/local-util')).toEqual([
      'file',
      'file:vendor/local-util',
      'pkg:npm/local-util@0.1.0?download_url=file%3Avendor%2Flocal-util',
    ]);
    expect(pick('node_modules/debug')).toEqual([
      'registry',
      'https://registry.npmjs.org/debug/-/debug-4.3.4.tgz',
      'pkg:npm/debug@4.3.4',
    ]);
  });

  it('resolves the dependencies of a file: dependency from its own folder', () => {
    expect(graph.nodes.get('vendor/local-util')!.edges).toEqual([
      { name: 'ms', spec: '^2.1.1', kind: 'runtime', to: { node: 'node_modules/ms' } },
    ]);
  });

  it('keeps the lockfile license and integrity, and nothing when the lockfile has none', () => {
    const debug = graph.nodes.get('node_modules/debug')!;
    expect(debug.license).toEqual({ value: 'MIT', source: 'lockfile', evidence: 'package-lock.json' });
    expect(debug.integrity).toBe(
      'sha512-PRWFHuSU3eDtQJPvnNY7Jcket1j0t5OuOsFzPPzsekD52Zl8qUfFIPEiswXqIvHWGVHOgX+7G/vCNNhehwxfkQ==',
    );
    expect(graph.nodes.get('node_modules/react')!.license).toBeUndefined();
    expect(graph.nodes.get('node_modules/left-pad')!.integrity).toBeUndefined();
  });

  it('turns peerDependencies into peer edges, and peerDependenciesMeta alone into nothing', () => {
    expect(graph.nodes.get('node_modules/use-sync-external-store')!.edges).toEqual([
      {
        name: 'react',
        spec: '^16.8.0 || ^17.0.0 || ^18.0.0',
        kind: 'peer',
        to: { node: 'node_modules/react' },
      },
    ]);
    expect(graph.nodes.get('node_modules/debug')!.edges.map((e) => e.name)).toEqual(['ms']);
  });
});

describe('package-lock v2', () => {
  it('reads `packages` and ignores the legacy `dependencies` tree', () => {
    const graph = parseFixture('package-lock-v2');
    expect(graph.format).toBe('package-lock v2');
    expect(graph.problems).toEqual([]);
    expect(graph.importers.map((i) => `${i.path} ${i.name}@${i.version}`)).toEqual([
      '. fixture-app-v2@2.4.0',
    ]);
    expect(components(graph)).toEqual([
      '@types/debug@4.1.12 dev direct',
      '@types/ms@0.7.34 dev',
      'debug@4.3.4 runtime direct',
      'fsevents@2.3.3 optional direct',
      'humanize-ms@1.2.1 dev direct',
      'js-tokens@4.0.0 runtime+peer',
      'left-pad@1.3.0 runtime direct',
      'loose-envify@1.4.0 runtime+peer',
      'ms@2.1.2 runtime',
      'ms@2.1.3 runtime+dev direct',
      'react@18.2.0 runtime+peer direct',
      'semver@6.3.1 runtime direct',
      'tiny-tarball@1.0.0 runtime direct',
      'use-sync-external-store@1.2.0 runtime direct',
    ]);
  });

  it('takes nothing from the legacy tree when `packages` is there', () => {
    const graph = parseEdited('package-lock-v2', (lock) => {
      lock.dependencies['only-in-legacy'] = {
        version: '9.9.9',
        resolved: 'https://registry.npmjs.org/x/-/x-9.9.9.tgz',
      };
    });
    expect([...graph.nodes.values()].some((n) => n.name === 'only-in-legacy')).toBe(false);
    expect(graph.nodes.size).toBe(14);
  });

  it('falls back to the legacy tree, with a warning, when `packages` is missing', () => {
    const graph = parseEdited('package-lock-v2', (lock) => delete lock.packages);
    expect(problemCodes(graph)).toEqual(['warning npm.package-lock.missing-packages']);
    expect(graph.problems[0]!.message).toBe(
      'package-lock.json:1:1: no "packages"; read from the legacy "dependencies" tree instead',
    );
    expect(graph.nodes.size).toBe(14);
  });
});

describe('package-lock v1', () => {
  const graph = parseFixture('package-lock-v1');

  it('reads the nested tree, with importer edges from package.json', () => {
    expect(graph.format).toBe('package-lock v1');
    expect(graph.problems).toEqual([]);
    expect(graph.importers.map((i) => `${i.path} ${i.name}@${i.version}`)).toEqual([
      '. fixture-app-v1@0.9.0',
    ]);
    expect(components(graph)).toEqual([
      '@types/debug@4.1.12 dev direct',
      '@types/ms@0.7.34 dev',
      'debug@4.3.4 runtime direct',
      'fsevents@2.3.3 optional direct',
      'humanize-ms@1.2.1 dev direct',
      'js-tokens@4.0.0 peer',
      'left-pad@7aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75 runtime direct',
      'local-util@file:vendor/local-util runtime direct',
      'loose-envify@1.4.0 peer',
      'ms@2.1.2 runtime',
      'ms@2.1.3 runtime+dev direct',
      'react@18.2.0 peer direct',
      'semver@6.3.1 runtime direct',
      'tiny-tarball@https://cdn.example.org/packages/tiny-tarball-1.0.0.tgz runtime direct',
      'use-sync-external-store@1.2.0 runtime direct',
    ]);
  });

  it('resolves requires through the nested entries first', () => {
    expect(graph.nodes.get('node_modules/debug')!.edges).toEqual([
      { name: 'ms', spec: '2.1.2', kind: 'runtime', to: { node: 'node_modules/debug/node_modules/ms' } },
    ]);
    expect(graph.nodes.get('node_modules/local-util')!.edges).toEqual([
      { name: 'ms', spec: '^2.1.1', kind: 'runtime', to: { node: 'node_modules/ms' } },
    ]);
  });

  it('reads specifiers written as versions: alias, git, tarball, file', () => {
    const pick = (key: string) => {
      const n = graph.nodes.get(key)!;
      return [n.name, n.version, n.sourceKind, n.resolved, n.purl];
    };
    expect(pick('node_modules/semver6')).toEqual([
      'semver',
      '6.3.1',
      'registry',
      'https://registry.npmjs.org/semver/-/semver-6.3.1.tgz',
      'pkg:npm/semver@6.3.1',
    ]);
    expect(pick('node_modules/left-pad')).toEqual([
      'left-pad',
      '7aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75',
      'git',
      'github:stevemao/left-pad#7aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75',
      'pkg:npm/left-pad@7aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fstevemao%2Fleft-pad%407aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75',
    ]);
    expect(pick('node_modules/tiny-tarball')).toEqual([
      'tiny-tarball',
      'https://cdn.example.org/packages/tiny-tarball-1.0.0.tgz',
      'tarball',
      'https://cdn.example.org/packages/tiny-tarball-1.0.0.tgz',
      'pkg:npm/tiny-tarball@https:%2F%2Fcdn.example.org%2Fpackages%2Ftiny-tarball-1.0.0.tgz?download_url=https%3A%2F%2Fcdn.example.org%2Fpackages%2Ftiny-tarball-1.0.0.tgz',
    ]);
    expect(pick('node_modules/local-util')).toEqual([
      'local-util',
      'file:vendor/local-util',
      'file',
      'file:vendor/local-util',
      'pkg:npm/local-util@file:vendor%2Flocal-util?download_url=file%3Avendor%2Flocal-util',
    ]);
  });

  it('marks an edge to an entry flagged optional as optional', () => {
    const edited = parseEdited('package-lock-v1', (lock) => {
      lock.dependencies.debug.requires['fsevents'] = '^2.3.3';
    });
    expect(edited.nodes.get('node_modules/debug')!.edges.map((e) => `${e.name} ${e.kind}`)).toEqual([
      'ms runtime',
      'fsevents optional',
    ]);
  });

  it('guesses the direct dependencies, with a warning, when there is no package.json', () => {
    const { content } = fixture('package-lock-v1');
    const guessed = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(problemCodes(guessed)).toEqual(['warning npm.package-lock.no-root-manifest']);
    expect(guessed.importers.map((i) => `${i.path} ${i.name}@${i.version}`)).toEqual([
      '. fixture-app-v1@0.9.0',
    ]);
    expect(components(guessed)).toEqual([
      '@types/debug@4.1.12 dev direct',
      '@types/ms@0.7.34 dev',
      'debug@4.3.4 runtime direct',
      'fsevents@2.3.3 optional direct',
      'humanize-ms@1.2.1 dev direct',
      'js-tokens@4.0.0 dev',
      'left-pad@7aa20d42875ea8fcb2bc6e4c6c75bff8e4d48a75 runtime direct',
      'local-util@file:vendor/local-util runtime direct',
      'loose-envify@1.4.0 dev',
      'ms@2.1.2 runtime',
      'ms@2.1.3 runtime+dev',
      'react@18.2.0 dev direct',
      'semver@6.3.1 runtime direct',
      'tiny-tarball@https://cdn.example.org/packages/tiny-tarball-1.0.0.tgz runtime direct',
      'use-sync-external-store@1.2.0 runtime direct',
    ]);
  });
});

describe('npm workspaces (package-lock v3)', () => {
  const graph = parseFixture('npm-workspaces');

  it('makes the root and every workspace folder an importer', () => {
    expect(graph.problems).toEqual([]);
    expect(graph.importers.map((i) => `${i.path} ${i.name}@${i.version}`)).toEqual([
      '. acme-monorepo@undefined',
      'packages/api @acme/api@1.2.0',
      'packages/web @acme/web@0.3.0',
    ]);
    expect(graph.nodes.size).toBe(15);
    expect([...graph.nodes.values()].some((n) => n.name.startsWith('@acme/'))).toBe(false);
  });

  it('links a member depending on another member to that importer, not to a node', () => {
    const web = graph.importers.find((i) => i.path === 'packages/web')!;
    expect(web.edges.find((e) => e.name === '@acme/api')).toEqual({
      name: '@acme/api',
      spec: '^1.2.0',
      kind: 'runtime',
      to: { importer: 'packages/api' },
    });
  });

  it('gives each importer its own components', () => {
    expect(components(graph, '.')).toEqual([
      '@types/debug@4.1.12 dev direct',
      '@types/ms@0.7.34 dev',
      'humanize-ms@1.2.1 dev direct',
      'ms@2.1.3 dev',
    ]);
    expect(components(graph, 'packages/api')).toEqual([
      'debug@4.3.4 runtime direct',
      'fsevents@2.3.3 optional direct',
      'ms@2.1.2 runtime',
      'ms@2.1.3 runtime direct',
      'semver@6.3.1 runtime direct',
    ]);
    expect(components(graph, 'packages/web')).toEqual([
      'debug@4.3.4 runtime',
      'fsevents@2.3.3 optional',
      'humanize-ms@1.2.1 dev direct',
      'js-tokens@4.0.0 runtime+peer',
      'left-pad@1.3.0 runtime direct',
      'loose-envify@1.4.0 runtime+peer',
      'ms@2.0.0 runtime direct',
      'ms@2.1.2 runtime',
      'ms@2.1.3 runtime+dev',
      'react@18.2.0 runtime+peer direct',
      'semver@6.3.1 runtime',
      'tiny-tarball@1.0.0 runtime direct',
      'use-sync-external-store@1.2.0 runtime direct',
    ]);
  });

  it("resolves a member's dependencies from its own node_modules first", () => {
    const web = graph.importers.find((i) => i.path === 'packages/web')!;
    expect(web.edges.find((e) => e.name === 'ms')!.to).toEqual({ node: 'packages/web/node_modules/ms' });
    const api = graph.importers.find((i) => i.path === 'packages/api')!;
    expect(api.edges.find((e) => e.name === 'ms')!.to).toEqual({ node: 'node_modules/ms' });
  });

  it('knows the members from the package.json files when the root entry lists no workspaces', () => {
    const edited = parseEdited('npm-workspaces', (lock) => delete lock.packages[''].workspaces);
    expect(edited.importers.map((i) => i.path)).toEqual(['.', 'packages/api', 'packages/web']);
    expect(edited.problems).toEqual([]);
  });

  it('makes a linked folder that is no workspace a file component', () => {
    const edited = parseEdited(
      'npm-workspaces',
      (lock) => {
        lock.packages[''].workspaces = ['packages/api'];
      },
      { root: undefined, workspaces: new Map() },
    );
    expect(edited.importers.map((i) => i.path)).toEqual(['.', 'packages/api']);
    const web = edited.nodes.get('packages/web')!;
    expect([web.name, web.version, web.sourceKind, web.purl]).toEqual([
      '@acme/web',
      '0.3.0',
      'file',
      'pkg:npm/%40acme/web@0.3.0?download_url=file%3Apackages%2Fweb',
    ]);
  });

  it('ignores, with an info problem, an extraneous folder that nothing links to', () => {
    const edited = parseEdited('npm-workspaces', (lock) => {
      lock.packages['packages/old'] = {
        name: '@acme/old',
        version: '0.0.1',
        extraneous: true,
        dependencies: { gone: '^1' },
      };
    });
    expect(problemCodes(edited)).toEqual(['info npm.package-lock.stale-folder']);
    expect(edited.problems[0]!.message).toBe(
      'package-lock.json: ignored 1 extraneous folder entry that no link points to and no package.json backs ' +
        '(left over from a removed workspace): packages/old',
    );
    expect(edited.importers.map((i) => i.path)).toEqual(['.', 'packages/api', 'packages/web']);
    expect(edited.nodes.has('packages/old')).toBe(false);
  });
});

describe('npm-shrinkwrap.json', () => {
  const graph = parseFixture('shrinkwrap', 'npm-shrinkwrap.json');

  it('reads like a package-lock, under its own name', () => {
    expect(graph.format).toBe('npm-shrinkwrap v3');
    expect(graph.manifest).toBe('npm-shrinkwrap.json');
    expect(graph.problems).toEqual([]);
    expect(graph.importers.map((i) => `${i.path} ${i.name}@${i.version}`)).toEqual(['. fixture-cli@3.1.0']);
    expect(components(graph)).toEqual([
      '@types/debug@4.1.12 dev direct',
      '@types/ms@0.7.34 dev',
      'debug@4.3.4 runtime direct',
      'fsevents@2.3.3 optional direct',
      'humanize-ms@1.2.1 dev direct',
      'left-pad@1.3.0 runtime direct',
      'ms@2.1.2 runtime',
      'ms@2.1.3 runtime+dev direct',
      'semver@6.3.1 runtime direct',
      'tiny-tarball@1.0.0 runtime direct',
      'ws@8.18.1 runtime direct',
    ]);
  });

  it('leaves optional peers that are not installed unresolved, without a warning', () => {
    expect(graph.nodes.get('node_modules/ws')!.edges).toEqual([
      { name: 'bufferutil', spec: '^4.0.1', kind: 'optional', to: null },
      { name: 'utf-8-validate', spec: '>=5.0.2', kind: 'optional', to: null },
    ]);
  });
});

describe('lockfileVersion', () => {
  it('reads a version above 3 as version 3, with an info problem', () => {
    const graph = parseEdited('package-lock-v3', (lock) => {
      lock.lockfileVersion = 4;
    });
    expect(graph.format).toBe('package-lock v4');
    expect(graph.problems).toEqual([
      {
        severity: 'info',
        code: 'npm.package-lock.newer-version',
        message: 'package-lock.json:4:3: lockfileVersion 4 is newer than 3; read as version 3',
        file: 'package-lock.json',
        line: 4,
        column: 3,
        hint: 'Check the components against `npm ls --all` if anything looks missing.',
      },
    ]);
    expect(graph.nodes.size).toBe(15);
  });

  it('reports a missing version as an error and still reads the entries by their shape', () => {
    const graph = parseEdited('package-lock-v3', (lock) => delete lock.lockfileVersion);
    expect(graph.format).toBe('package-lock (unknown version)');
    expect(problemCodes(graph)).toEqual(['error npm.package-lock.missing-version']);
    expect(graph.problems[0]).toMatchObject({ line: 1, column: 1 });
    expect(graph.problems[0]!.hint).toMatch(/npm install --package-lock-only/);
    expect(graph.nodes.size).toBe(15);
  });

  it('reports an unknown version where it is written', () => {
    const graph = parseEdited('package-lock-v1', (lock) => {
      lock.lockfileVersion = '1';
    });
    expect(graph.problems.map((p) => [p.code, p.line, p.column, p.message])).toEqual([
      [
        'npm.package-lock.unknown-version',
        4,
        3,
        'package-lock.json:4:3: unknown "lockfileVersion" "1"; the entries are read by their shape',
      ],
    ]);
    expect(graph.nodes.size).toBe(15);
  });
});

describe('unresolvable dependencies', () => {
  it('leaves the edge unresolved and summarises them in one warning', () => {
    const graph = parseEdited('package-lock-v3', (lock) => {
      lock.packages[''].dependencies['missing-one'] = '^1.0.0';
      lock.packages['node_modules/react'].dependencies['missing-two'] = '^2.0.0';
      lock.packages['node_modules/ms'].peerDependencies = { 'missing-peer': '*' };
    });
    expect(graph.importers[0]!.edges.find((e) => e.name === 'missing-one')).toEqual({
      name: 'missing-one',
      spec: '^1.0.0',
      kind: 'runtime',
      to: null,
    });
    expect(graph.problems).toEqual([
      {
        severity: 'warning',
        code: 'npm.package-lock.unresolved',
        message:
          'package-lock.json: 3 declared dependencies have no entry in the lockfile: ' +
          'missing-peer (peer dependency of node_modules/ms), missing-two (dependency of node_modules/react), ' +
          'missing-one (dependency of .)',
        file: 'package-lock.json',
        hint: 'Run `npm install` to bring the lockfile up to date with package.json, then scan again.',
      },
    ]);
  });
});

describe('bad input', () => {
  it('reports invalid JSON with its line and column', () => {
    const content =
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {}\n    "node_modules/a": {}\n  }\n}\n';
    const graph = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(graph.problems).toHaveLength(1);
    expect(graph.problems[0]).toMatchObject({
      severity: 'error',
      code: 'npm.package-lock.invalid-json',
      file: 'package-lock.json',
      line: 5,
      column: 5,
    });
    expect(graph.problems[0]!.message).toMatch(/^package-lock\.json:5:5: invalid JSON: /);
    expect(graph.nodes.size).toBe(0);
    expect(graph.importers).toEqual([]);
  });

  it('reports a truncated file at its end', () => {
    const { content } = fixture('package-lock-v3');
    const truncated = content.slice(0, content.indexOf('"node_modules/debug"'));
    const graph = parsePackageLock(truncated, 'package-lock.json', NO_CONTEXT);
    expect(graph.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['npm.package-lock.invalid-json', 48, 5],
    ]);
    expect(graph.nodes.size).toBe(0);
  });

  it('reports a lockfile that is not an object', () => {
    const graph = parsePackageLock('\n  ["lockfileVersion", 3]\n', 'package-lock.json', NO_CONTEXT);
    expect(graph.problems.map((p) => [p.code, p.line, p.column, p.message])).toEqual([
      ['npm.package-lock.not-an-object', 2, 3, 'package-lock.json:2:3: a lockfile must hold a JSON object'],
    ]);
  });

  it('reports `packages` of the wrong type', () => {
    const content = '{\n  "lockfileVersion": 3,\n  "packages": ["node_modules/a"]\n}\n';
    const graph = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(graph.problems.map((p) => [p.severity, p.code, p.line, p.column])).toEqual([
      ['error', 'npm.package-lock.invalid-packages', 3, 3],
    ]);
    expect(graph.nodes.size).toBe(0);
  });

  it('skips entries of the wrong shape, reads the rest, and reports them once with the first position', () => {
    const content = [
      '{',
      '  "lockfileVersion": 3,',
      '  "packages": {',
      '    "": { "dependencies": { "a": "^1.0.0", "b": "^1.0.0", "c": 7 } },',
      '    "node_modules/a": { "version": "1.0.0", "dependencies": ["b"] },',
      '    "node_modules/b": "1.0.0",',
      '    "node_modules/c": null,',
      '    "node_modules/d": { "dependencies": {} },',
      '    "node_modules/e": { "version": "1.0.0", "link": true }',
      '  }',
      '}',
    ].join('\n');
    const graph = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(graph.problems.map((p) => [p.severity, p.code, p.line, p.column, p.message])).toEqual([
      [
        'error',
        'npm.package-lock.invalid-field',
        4,
        5,
        'package-lock.json:4:5: the root package: "dependencies" holds a specifier that is not a string ' +
          '(and 1 more like it)',
      ],
      [
        'error',
        'npm.package-lock.invalid-entry',
        6,
        5,
        'package-lock.json:6:5: package "node_modules/b" is not an object (and 1 more like it)',
      ],
      [
        'error',
        'npm.package-lock.invalid-link',
        9,
        5,
        'package-lock.json:9:5: link "node_modules/e" has no "resolved" folder',
      ],
      [
        'error',
        'npm.package-lock.missing-version',
        8,
        5,
        'package-lock.json:8:5: package "node_modules/d" has no "version"',
      ],
      [
        'warning',
        'npm.package-lock.unresolved',
        undefined,
        undefined,
        'package-lock.json: 1 declared dependency has no entry in the lockfile: b (dependency of .)',
      ],
    ]);
    expect([...graph.nodes.keys()]).toEqual(['node_modules/a', 'node_modules/d']);
    expect(graph.nodes.get('node_modules/a')!.edges).toEqual([]);
  });

  it('points a v1 defect at the nested entry, not at an earlier key of the same name', () => {
    const content = [
      '{',
      '  "lockfileVersion": 1,',
      '  "dependencies": {',
      '    "ms": { "version": "2.1.3", "requires": "nothing" },',
      '    "debug": {',
      '      "version": "4.3.4",',
      '      "requires": { "ms": "2.1.2" },',
      '      "dependencies": {',
      '        "ms": "2.1.2"',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const graph = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(graph.problems.map((p) => [p.severity, p.code, p.message])).toEqual([
      [
        'warning',
        'npm.package-lock.no-root-manifest',
        'package-lock.json: neither the lockfile nor a package.json next to it says what the project depends on; ' +
          'taking the top-level packages that nothing else requires (1) as its direct dependencies',
      ],
      [
        'error',
        'npm.package-lock.invalid-field',
        'package-lock.json:4:5: dependency "ms": "requires" is not an object',
      ],
      ['error', 'npm.package-lock.invalid-entry', 'package-lock.json:9:9: dependency "ms" is not an object'],
    ]);
    // With its nested copy unreadable, debug's ms resolves to the hoisted one, as Node would find it.
    expect(components(graph)).toEqual(['debug@4.3.4 runtime direct', 'ms@2.1.3 runtime']);
  });

  it('treats hostile keys such as __proto__ as plain names, without polluting any prototype', () => {
    // Written as text: in a JavaScript object literal `__proto__` would set the prototype instead of a key.
    const content = [
      '{"lockfileVersion": 3, "packages": {',
      '  "__proto__": {"version": "6.6.6", "polluted": "yes"},',
      '  "": {"dependencies": {"__proto__": "1.0.0", "constructor": "^1.0.0", "hasOwnProperty": "*"}},',
      '  "node_modules/__proto__": {"version": "1.0.0", "dependencies": {"toString": "*"}, "polluted": "yes"},',
      '  "node_modules/constructor": {"version": "1.0.0", "license": "MIT"}',
      '}}',
    ].join('\n');
    const graph = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).version).toBeUndefined();
    expect(graph.importers[0]!.edges.map((e) => `${e.name} ${JSON.stringify(e.to)}`)).toEqual([
      '__proto__ {"node":"node_modules/__proto__"}',
      'constructor {"node":"node_modules/constructor"}',
      'hasOwnProperty null',
    ]);
    expect([...graph.nodes.values()].map((n) => `${n.key} ${n.name}@${n.version} ${n.sourceKind}`)).toEqual([
      '__proto__ __proto__@6.6.6 file',
      'node_modules/__proto__ __proto__@1.0.0 registry',
      'node_modules/constructor constructor@1.0.0 registry',
    ]);
    expect(problemCodes(graph)).toEqual(['warning npm.package-lock.unresolved']);
    expect(graph.problems[0]!.message).toContain('2 declared dependencies');
  });

  it('reads a hostile v1 tree with __proto__ entries', () => {
    const content =
      '{"lockfileVersion":1,"dependencies":{"__proto__":{"version":"1.0.0","requires":{"constructor":"*"},' +
      '"dependencies":{"constructor":{"version":"2.0.0"}}}}}';
    const graph = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(({} as Record<string, unknown>).version).toBeUndefined();
    expect([...graph.nodes.values()].map((n) => `${n.key} ${n.name}@${n.version}`)).toEqual([
      'node_modules/__proto__ __proto__@1.0.0',
      'node_modules/__proto__/node_modules/constructor constructor@2.0.0',
    ]);
    expect(graph.nodes.get('node_modules/__proto__')!.edges[0]!.to).toEqual({
      node: 'node_modules/__proto__/node_modules/constructor',
    });
  });

  it('survives a v1 tree nested thousands deep, rejecting install paths too long to exist', () => {
    const depth = 5000;
    const content = `{"lockfileVersion":1,"dependencies":${'{"a":{"version":"1.0.0","requires":{"a":"*"},"dependencies":'.repeat(depth)}{}${'}}'.repeat(depth)}}`;
    const started = performance.now();
    const graph = parsePackageLock(content, 'package-lock.json', NO_CONTEXT);
    expect(performance.now() - started).toBeLessThan(2000);
    // `node_modules/a` is 14 characters and each level adds 15: 273 levels fit in 4096.
    expect(graph.nodes.size).toBe(273);
    expect(problemCodes(graph)).toEqual([
      'warning npm.package-lock.no-root-manifest',
      'error npm.package-lock.invalid-path',
    ]);
  });

  it('bounds resolution on a deep chain of nested node_modules with many dependencies', () => {
    const packages: Record<string, unknown> = { '': { dependencies: { a: '*' } } };
    const deps = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`missing-${i}`, '*']));
    let key = 'node_modules/a';
    while (key.length < 4000) {
      packages[key] = { version: '1.0.0', dependencies: deps };
      key += '/node_modules/a';
    }
    const started = performance.now();
    const graph = parsePackageLock(
      JSON.stringify({ lockfileVersion: 3, packages }),
      'package-lock.json',
      NO_CONTEXT,
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(graph.nodes.size).toBe(266);
    expect(problemCodes(graph)).toEqual(['warning npm.package-lock.unresolved']);
  });
});
