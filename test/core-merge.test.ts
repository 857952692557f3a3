import { describe, expect, it } from 'vitest';
import type { DependencyGraph, GraphEdge, GraphNode } from '../src/core/graph.js';
import { buildInventory, type SubjectScan } from '../src/core/inventory.js';
import { mergeInventories } from '../src/core/merge.js';
import type { ComponentFacts, Inventory, RunInfo } from '../src/core/model.js';

function node(key: string, edges: GraphEdge[] = [], extra: Partial<GraphNode> = {}): GraphNode {
  const at = key.lastIndexOf('@');
  const [name, version] = [key.slice(0, at), key.slice(at + 1)];
  return { key, name, version, purl: `pkg:npm/${name}@${version}`, sourceKind: 'registry', edges, ...extra };
}
const to = (key: string, kind: GraphEdge['kind'] = 'runtime'): GraphEdge => ({
  name: key.slice(0, key.lastIndexOf('@')),
  spec: '^1',
  kind,
  to: { node: key },
});

function graph(manifest: string, edges: GraphEdge[], nodes: GraphNode[], locked = true): DependencyGraph {
  return {
    manifest,
    format: 'test',
    locked,
    importers: [{ path: '.', edges }],
    nodes: new Map(nodes.map((n) => [n.key, n])),
    problems: [],
  };
}

function subject(
  name: string,
  type: 'directory' | 'github',
  graphs: DependencyGraph[],
  extra: Partial<SubjectScan> & { publishes?: string[] } = {},
): SubjectScan {
  const { publishes, ...rest } = extra;
  return {
    subject: { name, type, location: type === 'github' ? `https://github.com/${name}` : `./${name}` },
    ecosystems: [
      {
        ecosystem: 'npm',
        projects: [{ path: '.', manifest: 'package.json', name, ...(publishes ? { publishes } : {}) }],
        graphs,
      },
    ],
    manifestsRead: graphs.length + 1,
    excluded: [],
    problems: [],
    ...rest,
  };
}

const mavenCore = (scope: string, optional: boolean): GraphNode =>
  node('org.x:core@1.0', [], {
    group: 'org.x',
    purl: 'pkg:maven/org.x/core@1.0?type=jar',
    maven: { type: 'jar', scope, optional },
  });
const mit = { value: 'MIT', source: 'lockfile' as const, evidence: 'package-lock.json' };

const app = subject(
  'app',
  'directory',
  [
    graph('package-lock.json', [to('b@1'), to('lib@2', 'dev')], [node('b@1'), node('lib@2')]),
    graph('sub/package.json', [to('x@^1')], [node('x@^1', [], { purl: 'pkg:npm/x' })], false),
  ],
  {
    excluded: [{ pattern: '**/test/**', folders: 2, manifests: 3 }],
    problems: [{ severity: 'warning', code: 'test.app', message: 'app warning', file: 'package.json' }],
  },
);
const repoA = subject('org/a-repo', 'github', [
  graph(
    'package-lock.json',
    [to('b@1', 'dev')],
    [
      node('b@1', [], {
        license: mit,
        resolved: 'https://registry.npmjs.org/b/-/b-1.tgz',
        integrity: 'sha1-x',
      }),
    ],
  ),
]);
const repoB = subject(
  'org/b-repo',
  'github',
  [graph('pom.xml', [to('org.x:core@1.0')], [mavenCore('compile', true)])],
  {
    problems: [
      { severity: 'error', code: 'test.b', message: 'b error', file: 'pom.xml', line: 3, column: 1 },
    ],
  },
);
const repoC = subject(
  'org/c-repo',
  'github',
  [
    graph('pom.xml', [to('org.x:core@1.0', 'dev')], [mavenCore('test', false)]),
    graph('web/package.json', [to('x@^2')], [node('x@^2', [], { purl: 'pkg:npm/x' })], false),
  ],
  {
    publishes: ['pkg:npm/lib@2'],
    excluded: [{ pattern: 'node_modules', folders: 1, manifests: 0 }],
    problems: [{ severity: 'warning', code: 'test.app', message: 'app warning', file: 'package.json' }],
  },
);
const facts = new Map<string, ComponentFacts>([
  [
    'pkg:npm/lib@2',
    { registry: { status: 'found', document: 'https://registry.npmjs.org/lib', funding: [] } },
  ],
]);
const tool = { name: 'oss-inventory', version: '0.0.0-test' };
const host = (name: string, sent: number, fromCache = 1) => ({
  host: name,
  sent,
  fromCache,
  revalidated: 0,
  failed: 0,
  retried: 0,
  bytes: 10 * sent,
});

function inventory(subjects: SubjectScan[], generatedAt: string, run: RunInfo): Inventory {
  return buildInventory({ subjects, generatedAt, tool, run, facts });
}

describe('mergeInventories', () => {
  const whole = inventory([app, repoA, repoB, repoC], '2026-01-02T00:00:00.000Z', {
    offline: false,
    network: [host('api.github.com', 5, 2), host('registry.npmjs.org', 3)],
  });
  const first = inventory([app, repoB], '2026-01-01T00:00:00.000Z', {
    offline: false,
    network: [host('api.github.com', 2), host('registry.npmjs.org', 3)],
  });
  const second = inventory([repoA, repoC], '2026-01-02T00:00:00.000Z', {
    offline: false,
    network: [host('api.github.com', 3)],
  });

  it('gives byte for byte the inventory of a single run over the union, whatever the order of the parts', () => {
    expect(JSON.stringify(mergeInventories([second, first]))).toBe(JSON.stringify(whole));
    expect(JSON.stringify(mergeInventories([first, second]))).toBe(JSON.stringify(whole));
  });

  it('merges what the halves knew apart: license, resolved URL, Maven scopes, builders, declared ranges', () => {
    const merged = mergeInventories([second, first]);
    const b = merged.components.find((c) => c.purl === 'pkg:npm/b@1')!;
    expect([b.license.status, b.resolved, b.scopes, b.direct]).toEqual([
      'known',
      'https://registry.npmjs.org/b/-/b-1.tgz',
      ['runtime', 'dev'],
      true,
    ]);
    const core = merged.components.find((c) => c.purl === 'pkg:maven/org.x/core@1.0?type=jar')!;
    expect(core.maven).toEqual({ type: 'jar', scopes: ['compile', 'test'], optional: false });
    const lib = merged.components.find((c) => c.purl === 'pkg:npm/lib@2')!;
    expect([lib.builtBy, lib.registry?.status]).toEqual([['org/c-repo:.'], 'found']);
    expect(merged.components.find((c) => c.purl === 'pkg:npm/x')!.version).toBe('^1 || ^2');
    expect(merged.subjects.map((s) => s.name)).toEqual(['app', 'org/a-repo', 'org/b-repo', 'org/c-repo']);
    expect(merged.problems.map((p) => p.code)).toEqual(['test.app', 'test.b', 'test.app']);
    expect(merged.run.network).toEqual([host('api.github.com', 5, 2), host('registry.npmjs.org', 3)]);
    expect(merged.generatedAt).toBe('2026-01-02T00:00:00.000Z');
  });

  it('refuses parts of different tool or schema versions, and a subject met twice', () => {
    expect(() => mergeInventories([first, { ...second, tool: { ...tool, version: '9.9.9' } }])).toThrow(
      /written by oss-inventory 0.0.0-test and oss-inventory 9.9.9/,
    );
    expect(() => mergeInventories([first, { ...second, schemaVersion: '2.0.0' }])).toThrow(
      /schema versions 1.0.0 and 2.0.0/,
    );
    expect(() => mergeInventories([first, first])).toThrow(/subject app is in more than one inventory/);
    expect(() => mergeInventories([])).toThrow(/at least one inventory/);
  });
});
