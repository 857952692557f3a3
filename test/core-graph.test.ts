import { describe, expect, it } from 'vitest';
import { walkGraph, type DependencyGraph, type GraphEdge, type GraphNode } from '../src/core/graph.js';

function node(key: string, edges: GraphEdge[] = []): GraphNode {
  const [name, version] = key.split('@') as [string, string];
  return { key, name, version, purl: `pkg:npm/${name}@${version}`, sourceKind: 'registry', edges };
}
const to = (key: string, kind: GraphEdge['kind'] = 'runtime'): GraphEdge => ({
  name: key.split('@')[0]!,
  spec: '^1',
  kind,
  to: { node: key },
});

function graph(importers: DependencyGraph['importers'], nodes: GraphNode[]): DependencyGraph {
  return {
    manifest: 'package-lock.json',
    format: 'test',
    locked: true,
    importers,
    nodes: new Map(nodes.map((n) => [n.key, n])),
    problems: [],
  };
}

const summary = (g: DependencyGraph) =>
  walkGraph(g)
    .map(
      (r) =>
        `${r.importer} ${r.node} ${r.scopes.join('+')} ${r.direct ? 'direct' : 'transitive'} ${r.path.join('>')}`,
    )
    .sort();

describe('walkGraph', () => {
  it('gives direct dependencies the kind of their declaration and transitive ones the kind of their root', () => {
    const g = graph(
      [{ path: '.', edges: [to('a@1'), to('d@1', 'dev'), to('p@1', 'peer'), to('o@1', 'optional')] }],
      [
        node('a@1', [to('b@1')]),
        node('b@1'),
        node('d@1', [to('e@1')]),
        node('e@1'),
        node('p@1'),
        node('o@1', [to('f@1')]),
        node('f@1'),
      ],
    );
    expect(summary(g)).toEqual([
      '. a@1 runtime direct a@1',
      '. b@1 runtime transitive a@1>b@1',
      '. d@1 dev direct d@1',
      '. e@1 dev transitive d@1>e@1',
      '. f@1 optional transitive o@1>f@1',
      '. o@1 optional direct o@1',
      '. p@1 peer direct p@1',
    ]);
  });

  it('records every scope through which a shared package is reached', () => {
    const g = graph(
      [{ path: '.', edges: [to('a@1'), to('d@1', 'dev')] }],
      [node('a@1', [to('s@1')]), node('d@1', [to('s@1')]), node('s@1')],
    );
    expect(summary(g)).toContain('. s@1 runtime+dev transitive a@1>s@1');
  });

  it('turns a runtime path optional at an optional edge, and ignores devDependencies of dependencies', () => {
    const g = graph(
      [{ path: '.', edges: [to('a@1')] }],
      [node('a@1', [to('o@1', 'optional'), to('x@1', 'dev')]), node('o@1'), node('x@1')],
    );
    expect(summary(g)).toEqual(['. a@1 runtime direct a@1', '. o@1 optional transitive a@1>o@1']);
  });

  it('keeps a shortest path and terminates on cycles', () => {
    const g = graph(
      [{ path: '.', edges: [to('a@1'), to('c@1')] }],
      [node('a@1', [to('b@1')]), node('b@1', [to('c@1'), to('a@1')]), node('c@1', [to('a@1')])],
    );
    expect(summary(g)).toEqual([
      '. a@1 runtime direct a@1',
      '. b@1 runtime transitive a@1>b@1',
      '. c@1 runtime direct c@1',
    ]);
  });

  it('follows workspace links through the linked member runtime dependencies, not its dev ones', () => {
    const g = graph(
      [
        { path: '.', edges: [{ name: 'lib', spec: '*', kind: 'runtime', to: { importer: 'packages/lib' } }] },
        { path: 'packages/lib', edges: [to('a@1'), to('t@1', 'dev')] },
      ],
      [node('a@1'), node('t@1')],
    );
    expect(summary(g)).toEqual([
      '. a@1 runtime transitive a@1',
      'packages/lib a@1 runtime direct a@1',
      'packages/lib t@1 dev direct t@1',
    ]);
  });

  it('skips unresolved edges', () => {
    const g = graph([{ path: '.', edges: [{ name: 'gone', spec: '^1', kind: 'runtime', to: null }] }], []);
    expect(walkGraph(g)).toEqual([]);
  });

  it('walks a deep chain without recursion', () => {
    const nodes = Array.from({ length: 5_000 }, (_, i) =>
      node(`n${i}@1`, i < 4_999 ? [to(`n${i + 1}@1`)] : []),
    );
    const reaches = walkGraph(graph([{ path: '.', edges: [to('n0@1')] }], nodes));
    expect(reaches).toHaveLength(5_000);
  });
});
