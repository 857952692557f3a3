import { describe, expect, it } from 'vitest';
import type { DependencyGraph, GraphEdge, GraphNode } from '../src/core/graph.js';
import { buildInventory, type SubjectScan } from '../src/core/inventory.js';

function node(key: string, edges: GraphEdge[] = [], extra: Partial<GraphNode> = {}): GraphNode {
  const at = key.lastIndexOf('@');
  const [name, version] = [key.slice(0, at), key.slice(at + 1)];
  return {
    key,
    name,
    version,
    purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
    sourceKind: 'registry',
    edges,
    ...extra,
  };
}
const to = (key: string, kind: GraphEdge['kind'] = 'runtime'): GraphEdge => ({
  name: key,
  spec: '^1',
  kind,
  to: { node: key },
});

function lockGraph(
  manifest: string,
  importers: DependencyGraph['importers'],
  nodes: GraphNode[],
): DependencyGraph {
  return {
    manifest,
    format: 'test',
    locked: true,
    importers,
    nodes: new Map(nodes.map((n) => [n.key, n])),
    problems: [],
  };
}

function subject(
  name: string,
  graphs: DependencyGraph[],
  projects: SubjectScan['ecosystems'][0]['projects'],
): SubjectScan {
  return {
    subject: { name, type: 'directory', location: `/src/${name}` },
    ecosystems: [{ ecosystem: 'npm', projects, graphs }],
    manifestsRead: graphs.length + projects.length,
    excluded: [],
    problems: [],
  };
}

const tool = { name: 'oss-inventory', version: '0.0.0-test' };
const run = { offline: false, network: [] };

describe('buildInventory', () => {
  const app = subject(
    'app',
    [
      lockGraph(
        'package-lock.json',
        [
          { path: '.', name: 'app', version: '1.0.0', edges: [to('a@1'), to('@s/d@1', 'dev')] },
          { path: 'packages/w', name: 'w', edges: [to('a@1')] },
        ],
        [
          node('a@1', [to('b@1')], {
            license: { value: 'MIT', source: 'lockfile', evidence: 'package-lock.json' },
          }),
          node('b@1'),
          node('@s/d@1', [to('b@1')]),
          node('orphan@1'),
        ],
      ),
    ],
    [
      { path: '.', manifest: 'package.json', name: 'app', version: '1.0.0', licenses: ['ISC'] },
      { path: 'packages/w', manifest: 'packages/w/package.json', name: 'w', workspaceRoot: '.' },
    ],
  );
  const other = subject(
    'other',
    [lockGraph('yarn.lock', [{ path: '.', name: 'other', edges: [to('b@1', 'dev')] }], [node('b@1')])],
    [{ path: '.', manifest: 'package.json', name: 'other' }],
  );
  const inventory = buildInventory({
    subjects: [app, other],
    generatedAt: '2026-01-01T00:00:00.000Z',
    tool,
    run,
  });

  it('makes one project per first-party folder, with its manifests and workspace root', () => {
    expect(
      inventory.projects.map((p) => [p.id, p.name, p.manifests, p.workspaceRoot ?? null, p.dependsOn]),
    ).toEqual([
      ['app:.', 'app', ['package-lock.json', 'package.json'], null, ['pkg:npm/%40s/d@1', 'pkg:npm/a@1']],
      ['app:packages/w', 'w', ['package-lock.json', 'packages/w/package.json'], 'app:.', ['pkg:npm/a@1']],
      ['other:.', 'other', ['package.json', 'yarn.lock'], null, ['pkg:npm/b@1']],
    ]);
  });

  it('merges a component used by several projects and subjects, with one usage each', () => {
    const b = inventory.components.find((c) => c.purl === 'pkg:npm/b@1')!;
    expect(b.scopes).toEqual(['runtime', 'dev']);
    expect(b.direct).toBe(true);
    expect(b.usedBy).toEqual([
      {
        project: 'app:.',
        manifest: 'package-lock.json',
        scopes: ['runtime', 'dev'],
        direct: false,
        path: ['app@1.0.0', 'a@1', 'b@1'],
      },
      {
        project: 'app:packages/w',
        manifest: 'package-lock.json',
        scopes: ['runtime'],
        direct: false,
        path: ['w', 'a@1', 'b@1'],
      },
      {
        project: 'other:.',
        manifest: 'yarn.lock',
        scopes: ['dev'],
        direct: true,
        requested: '^1',
        path: ['other', 'b@1'],
      },
    ]);
  });

  it('splits scoped names into group and name, and keeps the lockfile license with its provenance', () => {
    const d = inventory.components.find((c) => c.purl === 'pkg:npm/%40s/d@1')!;
    expect([d.group, d.name, d.scopes, d.dependsOn]).toEqual(['@s', 'd', ['dev'], ['pkg:npm/b@1']]);
    expect(d.license).toMatchObject({ status: 'unknown' });
    const a = inventory.components.find((c) => c.purl === 'pkg:npm/a@1')!;
    expect(a.license).toEqual({
      status: 'known',
      declared: ['MIT'],
      source: 'lockfile',
      evidence: 'package-lock.json',
    });
  });

  it('keeps unreachable lockfile entries as components and says so', () => {
    const orphan = inventory.components.find((c) => c.purl === 'pkg:npm/orphan@1')!;
    expect(orphan.usedBy).toEqual([]);
    expect(inventory.problems).toEqual([
      expect.objectContaining({
        severity: 'info',
        code: 'graph.unreachable-entries',
        subject: 'app',
        file: 'package-lock.json',
      }),
    ]);
  });

  it('links a component that a scanned project publishes to that project', () => {
    const lib = subject(
      'lib',
      [lockGraph('yarn.lock', [{ path: '.', name: 'app2', edges: [to('b@1')] }], [node('b@1')])],
      [
        { path: '.', manifest: 'package.json', name: 'app2' },
        { path: 'b', manifest: 'b/package.json', name: 'b', version: '1', publishes: ['pkg:npm/b@1'] },
      ],
    );
    const linked = buildInventory({ subjects: [lib], generatedAt: '2026-01-01T00:00:00.000Z', tool, run });
    expect(linked.components.find((c) => c.purl === 'pkg:npm/b@1')!.builtBy).toEqual(['lib:b']);
    expect(linked.projects.find((p) => p.id === 'lib:b')!.publishes).toEqual(['pkg:npm/b@1']);
  });

  it('orders everything so that the same input gives the same output', () => {
    expect(inventory.components.map((c) => c.purl)).toEqual(
      [...inventory.components.map((c) => c.purl)].sort(),
    );
    const again = buildInventory({
      subjects: [app, other],
      generatedAt: '2026-01-01T00:00:00.000Z',
      tool,
      run,
    });
    expect(JSON.stringify(again)).toBe(JSON.stringify(inventory));
  });
});

describe('keepScopes', () => {
  it('keeps only usages through the given scopes and drops components no longer reached', async () => {
    const { keepScopes } = await import('../src/core/scope-filter.js');
    const subjectScan = subject(
      'app',
      [
        lockGraph(
          'package-lock.json',
          [{ path: '.', name: 'app', edges: [to('a@1'), to('d@1', 'dev')] }],
          [node('a@1', [to('s@1')]), node('d@1', [to('s@1')]), node('s@1')],
        ),
      ],
      [{ path: '.', manifest: 'package.json', name: 'app' }],
    );
    const full = buildInventory({
      subjects: [subjectScan],
      generatedAt: '2026-01-01T00:00:00.000Z',
      tool,
      run,
    });
    const runtime = keepScopes(full, ['runtime']);
    expect(runtime.components.map((c) => [c.purl, c.scopes])).toEqual([
      ['pkg:npm/a@1', ['runtime']],
      ['pkg:npm/s@1', ['runtime']],
    ]);
    expect(runtime.projects[0]!.dependsOn).toEqual(['pkg:npm/a@1']);
    expect(runtime.run.scopes).toEqual(['runtime']);
    expect(full.components).toHaveLength(3);
  });
});
