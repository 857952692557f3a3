import type { LicenseSource, Problem, Scope, SourceKind } from './model.js';

/**
 * What an ecosystem parser makes of one lockfile (or of a lone manifest): the packages it locks,
 * the first-party importers (workspace members) that depend on them, and the edges between them.
 * Parsers build it from file content alone; `walkGraph` then computes direct/transitive and scopes,
 * because most lockfiles (yarn, pnpm) do not record whether a package is dev-only.
 */
export interface DependencyGraph {
  /** Subject-relative POSIX path of the lockfile (or package.json when nothing is locked). */
  manifest: string;
  /** Human-readable format, e.g. `package-lock v3`, `yarn berry (metadata 8)`, `pnpm 9.0`. */
  format: string;
  /** False for a package.json without lockfile: nodes carry declared ranges, not versions. */
  locked: boolean;
  importers: Importer[];
  /** Every package the lockfile holds, by a key unique within this graph. */
  nodes: Map<string, GraphNode>;
  problems: Problem[];
}

/** A first-party package.json that the lockfile covers. */
export interface Importer {
  /** Folder of its package.json relative to the lockfile's folder, POSIX, `.` for the same folder. */
  path: string;
  name?: string;
  version?: string;
  edges: GraphEdge[];
}

export interface GraphNode {
  key: string;
  /** The real package name (an alias `foo: npm:bar@1` gives a node named `bar`). */
  name: string;
  /** The resolved version; the declared range when `locked` is false. */
  version: string;
  purl: string;
  sourceKind: SourceKind;
  resolved?: string;
  integrity?: string;
  /** License as declared where the parser found it (npm lockfiles only, and only sometimes), raw. */
  license?: DeclaredLicense;
  edges: GraphEdge[];
}

export interface DeclaredLicense {
  value: string;
  source: LicenseSource;
  /** Subject-relative path of the file that declared it. */
  evidence: string;
}

export type EdgeKind = Scope;

export interface GraphEdge {
  /** The dependency name as declared (an alias name stays the alias). */
  name: string;
  /** The version range or specifier as declared. */
  spec: string;
  kind: EdgeKind;
  /** Where the edge resolves: a node of this graph, or another importer (workspace link), or nothing. */
  to: { node: string } | { importer: string } | null;
}

/** One importer's view of one node after the walk. */
export interface Reach {
  importer: string;
  node: string;
  scopes: Scope[];
  direct: boolean;
  /** The declared spec when direct. */
  requested?: string;
  /** Node keys from the importer's direct dependency to this node (both included). */
  path: string[];
}

const SCOPE_RANK: Record<Scope, number> = { runtime: 0, optional: 1, peer: 2, dev: 3 };

/** Scope of a path given the scope so far and the kind of the next edge (first edge: `from` is null). */
function propagate(from: Scope | null, edge: EdgeKind): Scope | null {
  if (from === null) return edge;
  if (edge === 'dev') return null; // a dependency's own devDependencies are never installed
  if (from === 'runtime') return edge === 'optional' ? 'optional' : 'runtime';
  return from;
}

/**
 * Breadth-first walk from every importer. Each (node, scope) state is visited once per importer, so
 * the first path that reaches a node is a shortest one and cycles terminate. Paths are kept as parent
 * links and spelled out once per reached node, so the walk stays linear in the size of the graph.
 * Workspace links are followed through the linked importer's non-dev dependencies, as the package
 * manager installs them, without making the importer itself a component.
 */
export function walkGraph(graph: DependencyGraph): Reach[] {
  const importers = new Map(graph.importers.map((i) => [i.path, i]));
  const reaches: Reach[] = [];
  for (const importer of graph.importers) {
    type State = { at: { node: string } | { importer: string }; scope: Scope; parent: number; key?: string };
    const states: State[] = [];
    const firstState = new Map<string, { reach: Reach; state: number }>();
    const seen = new Set<string>();
    const enqueue = (edge: GraphEdge, from: Scope | null, parent: number, direct: boolean) => {
      const target = edge.to;
      if (!target) return;
      const scope = propagate(from, edge.kind);
      if (scope === null) return;
      const key = 'node' in target ? target.node : undefined;
      const id = 'node' in target ? `n:${target.node}` : `i:${target.importer}`;
      if (seen.has(`${scope}|${id}`)) return;
      seen.add(`${scope}|${id}`);
      if ('importer' in target && target.importer === importer.path) return;
      states.push({ at: target, scope, parent, key });
      if (key === undefined) return;
      const first = firstState.get(key);
      if (!first) {
        const reach: Reach = { importer: importer.path, node: key, scopes: [scope], direct, path: [] };
        if (direct) reach.requested = edge.spec;
        firstState.set(key, { reach, state: states.length - 1 });
      } else if (!first.reach.scopes.includes(scope)) {
        first.reach.scopes.push(scope);
      }
    };
    for (const edge of importer.edges) enqueue(edge, null, -1, true);
    for (let head = 0; head < states.length; head++) {
      const state = states[head]!;
      if ('node' in state.at) {
        for (const edge of graph.nodes.get(state.at.node)?.edges ?? [])
          enqueue(edge, state.scope, head, false);
      } else {
        for (const edge of importers.get(state.at.importer)?.edges ?? []) {
          if (edge.kind !== 'dev') enqueue(edge, state.scope, head, false);
        }
      }
    }
    for (const { reach, state } of firstState.values()) {
      for (let i = state; i >= 0; i = states[i]!.parent) {
        const key = states[i]!.key;
        if (key !== undefined) reach.path.push(key);
      }
      reach.path.reverse();
      reach.scopes.sort((a, b) => SCOPE_RANK[a] - SCOPE_RANK[b]);
      reaches.push(reach);
    }
  }
  return reaches;
}

export function sortScopes(scopes: Iterable<Scope>): Scope[] {
  return [...new Set(scopes)].sort((a, b) => SCOPE_RANK[a] - SCOPE_RANK[b]);
}
