import type { DeclarationSite, LicenseSource, Problem, Scope, SourceKind } from './model.js';

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
  /**
   * Set by an ecosystem that mediates its graph itself (Maven: nearest wins, scope table, management):
   * who reaches what, with which scopes and by which path. Otherwise `walkGraph` computes it.
   */
  reaches?: Reach[];
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
  /** The real package name (an alias `foo: npm:bar@1` gives a node named `bar`; Maven: `groupId:artifactId`). */
  name: string;
  /** The namespace when `name` starts with it and a separator (Maven's groupId); npm scopes are found in the name. */
  group?: string;
  /** The resolved version; the declared range when `locked` is false. */
  version: string;
  purl: string;
  sourceKind: SourceKind;
  resolved?: string;
  integrity?: string;
  /** Maven's own facts of the artifact as this graph resolved it. */
  maven?: { type: string; classifier?: string; scope: string; optional: boolean };
  /** True when only a version range is known for this node, though its graph is otherwise locked. */
  unlocked?: boolean;
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
  /**
   * For an importer's edge: the line of its manifest (package.json, pom.xml or the parent POM that
   * declares it) that declares the dependency, subject-relative.
   */
  declaredAt?: DeclarationSite;
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
  /** The `declaredAt` of the importer's edge that `path` starts from (a workspace link's, through a link). */
  declaredAt?: DeclarationSite;
}

const SCOPE_RANK: Record<Scope, number> = { runtime: 0, optional: 1, peer: 2, provided: 3, dev: 4 };

/** Scope of a path given the scope so far and the kind of the next edge (first edge: `from` is null). */
function propagate(from: Scope | null, edge: EdgeKind): Scope | null {
  if (from === null) return edge;
  // A dependency's own devDependencies (Maven: test) and provided dependencies are never installed with it.
  if (edge === 'dev' || edge === 'provided') return null;
  if (from === 'runtime') return edge === 'optional' ? 'optional' : 'runtime';
  return from;
}

const SCOPE_BITS: Record<Scope, number> = { runtime: 1, optional: 2, peer: 4, provided: 8, dev: 16 };

/**
 * Breadth-first walk from every importer. Each (node, scope) state is visited once per importer, so
 * the first path that reaches a node is a shortest one and cycles terminate. Paths are kept as parent
 * links and spelled out once per reached node, so the walk stays linear in the size of the graph.
 * Workspace links are followed through the linked importer's non-dev dependencies, as the package
 * manager installs them, without making the importer itself a component.
 */
export function walkGraph(graph: DependencyGraph): Reach[] {
  // Nodes are numbered 0..n-1 and importers n..n+m-1, so that the per-walk bookkeeping is typed arrays.
  const keys = [...graph.nodes.keys()];
  const index = new Map(keys.map((k, i) => [k, i]));
  const importerIndex = new Map(graph.importers.map((imp, i) => [imp.path, keys.length + i]));
  const targetOf = (edge: GraphEdge): number | undefined =>
    !edge.to ? undefined : 'node' in edge.to ? index.get(edge.to.node) : importerIndex.get(edge.to.importer);
  const edgesOf = (id: number): readonly GraphEdge[] =>
    id < keys.length ? graph.nodes.get(keys[id]!)!.edges : graph.importers[id - keys.length]!.edges;

  const total = keys.length + graph.importers.length;
  const seen = new Uint8Array(total);
  const firstState = new Int32Array(keys.length);
  const reaches: Reach[] = [];
  for (const [i, importer] of graph.importers.entries()) {
    const self = keys.length + i;
    seen.fill(0);
    firstState.fill(-1);
    const stateNode: number[] = [];
    const stateScope: Scope[] = [];
    const stateParent: number[] = [];
    const rootEdges = new Map<number, GraphEdge>();
    const byNode = new Map<number, Reach>();
    const enqueue = (edge: GraphEdge, from: Scope | null, parent: number) => {
      const target = targetOf(edge);
      if (target === undefined || target === self) return;
      const scope = propagate(from, edge.kind);
      if (scope === null || seen[target]! & SCOPE_BITS[scope]) return;
      seen[target]! |= SCOPE_BITS[scope];
      stateNode.push(target);
      stateScope.push(scope);
      stateParent.push(parent);
      if (parent < 0) rootEdges.set(stateNode.length - 1, edge);
      if (target >= keys.length) return;
      const reach = byNode.get(target);
      if (!reach) {
        firstState[target] = stateNode.length - 1;
        const direct = parent < 0;
        const created: Reach = {
          importer: importer.path,
          node: keys[target]!,
          scopes: [scope],
          direct,
          path: [],
        };
        if (direct) created.requested = edge.spec;
        byNode.set(target, created);
      } else if (!reach.scopes.includes(scope)) {
        reach.scopes.push(scope);
      }
    };
    for (const edge of importer.edges) enqueue(edge, null, -1);
    for (let head = 0; head < stateNode.length; head++) {
      const at = stateNode[head]!;
      const linkedImporter = at >= keys.length;
      for (const edge of edgesOf(at)) {
        if (!linkedImporter || edge.kind !== 'dev') enqueue(edge, stateScope[head]!, head);
      }
    }
    for (const [node, reach] of byNode) {
      let root = -1;
      for (let s = firstState[node]!; s >= 0; s = stateParent[s]!) {
        if (stateNode[s]! < keys.length) reach.path.push(keys[stateNode[s]!]!);
        root = s;
      }
      reach.path.reverse();
      const site = rootEdges.get(root)?.declaredAt;
      if (site) reach.declaredAt = { file: site.file, line: site.line };
      reach.scopes.sort((a, b) => SCOPE_RANK[a] - SCOPE_RANK[b]);
      reaches.push(reach);
    }
  }
  return reaches;
}

export function sortScopes(scopes: Iterable<Scope>): Scope[] {
  return [...new Set(scopes)].sort((a, b) => SCOPE_RANK[a] - SCOPE_RANK[b]);
}
