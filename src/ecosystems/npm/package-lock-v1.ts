import type { GraphEdge, GraphNode } from '../../core/graph.js';
import { isRecord } from './json.js';
import type { LockfileContext } from './lockfile.js';
import type { LockfileGraphPart, NodeIdentity, ReadContext, TargetOf } from './package-lock-common.js';
import {
  fieldDefect,
  makeNode,
  resolveEdges,
  specEntries,
  stringField,
  V1_SECTIONS,
} from './package-lock-common.js';
import { guessedRootImporter, importerFromPackageJson } from './package-lock-importers.js';
import type { LockEntry } from './package-lock-tree.js';
import { buildInstallTree, MAX_INSTALL_PATH_LENGTH, splitInstallPath } from './package-lock-tree.js';
import { classifySource, parseAlias } from './spec.js';

/**
 * lockfileVersion 1: a nested `dependencies` tree mirroring node_modules. Each entry becomes a node keyed by
 * its install path, and its `requires` resolve through its own nested entries, then its parents', up to the root.
 */
export function readV1(
  dependencies: Record<string, unknown>,
  lock: { name?: string; version?: string },
  context: LockfileContext,
  read: ReadContext,
): LockfileGraphPart {
  const tree = buildInstallTree(flattenTree(dependencies, read));
  const nodes = new Map<string, GraphNode>();
  for (const [key, entry] of tree.entries) {
    const name = splitInstallPath(key)!.name;
    const node = makeNode(key, v1Identity(name, entry), entry, read.file);
    if (node) nodes.set(key, node);
    else
      read.issues.add(
        'invalid-name',
        ['dependencies', name],
        `dependency "${name}" has no valid package name`,
      );
  }
  const targetOf: TargetOf = (key) => (nodes.has(key) ? { node: key } : undefined);
  for (const [key, node] of nodes) {
    const entry = tree.entries.get(key)!;
    const requires = specEntries(entry.requires).map(([name, spec]) => ({
      name,
      spec,
      kind: 'runtime' as const,
    }));
    const edges = resolveEdges(tree, targetOf, key, requires, read.unresolved);
    for (const edge of edges) if (isOptionalTarget(edge, tree.entries)) edge.kind = 'optional';
    node.edges = edges;
  }
  const root = context.root
    ? importerFromPackageJson('', context.root, tree, targetOf, read.unresolved)
    : guessedRootImporter(lock, tree.entries, nodes, read);
  return { importers: [root], nodes };
}

/** A folder name under node_modules: `name` or `@scope/name`, no other slash, not `.` or `..`. */
const INSTALL_NAME = /^(?:@[^/]+\/)?(?!\.\.?$)[^/]+$/;

/** The nested tree as a flat map of install paths, breadth first (no recursion on deep input). */
function flattenTree(dependencies: Record<string, unknown>, read: ReadContext): Map<string, LockEntry> {
  const entries = new Map<string, LockEntry>();
  const queue: { parent: string; deps: Record<string, unknown> }[] = [{ parent: '', deps: dependencies }];
  for (let head = 0; head < queue.length; head++) {
    const { parent, deps } = queue[head]!;
    for (const [name, entry] of Object.entries(deps)) {
      const key = parent === '' ? `node_modules/${name}` : `${parent}/node_modules/${name}`;
      if (!isRecord(entry)) {
        read.issues.add('invalid-entry', jsonPath(key), `dependency "${name}" is not an object`);
      } else if (key.length > MAX_INSTALL_PATH_LENGTH || !INSTALL_NAME.test(name)) {
        read.issues.add(
          'invalid-path',
          jsonPath(key),
          `dependency "${name}" does not make a valid install path`,
        );
      } else {
        const defect = fieldDefect(entry, V1_SECTIONS);
        if (defect) read.issues.add('invalid-field', jsonPath(key), `dependency "${name}": ${defect}`);
        entries.set(key, entry);
        if (isRecord(entry.dependencies)) queue.push({ parent: key, deps: entry.dependencies });
        else if (entry.dependencies !== undefined) {
          read.issues.add(
            'invalid-dependencies',
            jsonPath(key),
            `"dependencies" of "${name}" is not an object`,
          );
        }
      }
    }
  }
  return entries;
}

/** The JSON keys leading to the entry at an install path: `dependencies`, `a`, `dependencies`, `b`. */
function jsonPath(key: string): string[] {
  return key
    .slice('node_modules/'.length)
    .split('/node_modules/')
    .flatMap((name) => ['dependencies', name]);
}

/**
 * v1 writes what is not a registry version as the specifier it came from: `npm:real@1.2.3` for an alias,
 * `git+https://host/x.git#sha`, `file:../x`, a tarball URL. A git dependency is versioned by its commit;
 * a file or tarball dependency has no version but its location.
 */
export function v1Identity(folderName: string, entry: LockEntry): NodeIdentity {
  const version = stringField(entry, 'version') ?? '';
  const resolved = stringField(entry, 'resolved');
  const alias = parseAlias(version);
  if (alias) return { name: alias.name, version: alias.range, resolved };
  if (version === '' || /^v?\d/.test(version)) return { name: folderName, version, resolved };
  const location = resolved ?? version;
  const hash = version.lastIndexOf('#');
  const commit = classifySource(version).kind === 'git' && hash >= 0 ? version.slice(hash + 1) : '';
  return { name: folderName, version: commit || version, resolved: location };
}

/**
 * v1 `requires` do not say which dependencies are optional; an entry flagged `optional` is reached only
 * through optional dependencies, so an edge to it is optional.
 */
function isOptionalTarget(edge: GraphEdge, entries: ReadonlyMap<string, LockEntry>): boolean {
  return edge.to !== null && 'node' in edge.to && entries.get(edge.to.node)?.optional === true;
}
