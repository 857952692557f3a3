import type { EdgeKind, GraphEdge, GraphNode, Importer } from '../../core/graph.js';
import { declaredDependencies } from './declared.js';
import type { PackageJson } from './package-json.js';
import type { ReadContext, TargetOf, UnresolvedEdges } from './package-lock-common.js';
import { CODE, resolveEdges, stringField } from './package-lock-common.js';
import type { InstallTree, LockEntry } from './package-lock-tree.js';
import { splitInstallPath } from './package-lock-tree.js';

/** An importer whose dependencies come from its package.json, resolved from its folder (`''` for the root). */
export function importerFromPackageJson(
  path: string,
  pkg: PackageJson,
  tree: InstallTree,
  targetOf: TargetOf,
  unresolved: UnresolvedEdges,
): Importer {
  const importer: Importer = { path: path === '' ? '.' : path, edges: [] };
  if (pkg.name !== undefined) importer.name = pkg.name;
  if (pkg.version !== undefined) importer.version = pkg.version;
  importer.edges = resolveEdges(tree, targetOf, path, declaredDependencies(pkg), unresolved);
  return importer;
}

/**
 * With neither a root entry nor a package.json, what the project declares is unknown. The best guess is the
 * top-level packages that nothing else requires, with the kind npm flagged them with.
 */
export function guessedRootImporter(
  lock: { name?: string; version?: string },
  entries: ReadonlyMap<string, LockEntry>,
  nodes: ReadonlyMap<string, GraphNode>,
  read: ReadContext,
): Importer {
  const required = new Set<string>();
  for (const node of nodes.values()) {
    for (const edge of node.edges) {
      if (edge.to && 'node' in edge.to && edge.to.node !== node.key) required.add(edge.to.node);
    }
  }
  const edges: GraphEdge[] = [];
  for (const [key, entry] of entries) {
    const split = splitInstallPath(key);
    if (!split || split.parent !== '' || !nodes.has(key) || required.has(key)) continue;
    edges.push({
      name: split.name,
      spec: stringField(entry, 'version') ?? '',
      kind: flaggedKind(entry),
      to: { node: key },
    });
  }
  read.problems.push({
    severity: 'warning',
    code: `${CODE}.no-root-manifest`,
    message:
      `${read.file}: neither the lockfile nor a package.json next to it says what the project depends on; ` +
      `taking the top-level packages that nothing else requires (${edges.length}) as its direct dependencies`,
    file: read.file,
    hint: 'Scan the lockfile together with the package.json of its project.',
  });
  const importer: Importer = { path: '.', edges };
  if (lock.name !== undefined) importer.name = lock.name;
  if (lock.version !== undefined) importer.version = lock.version;
  return importer;
}

function flaggedKind(entry: LockEntry): EdgeKind {
  if (entry.dev === true || entry.devOptional === true) return 'dev';
  if (entry.optional === true) return 'optional';
  if (entry.peer === true) return 'peer';
  return 'runtime';
}
