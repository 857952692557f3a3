import type { GraphNode, Importer } from '../../core/graph.js';
import { basename } from '../../core/paths.js';
import { isRecord } from './json.js';
import type { LockfileContext } from './lockfile.js';
import type { LockfileGraphPart, NodeIdentity, ReadContext, TargetOf } from './package-lock-common.js';
import {
  fieldDefect,
  CODE,
  entryDependencies,
  makeNode,
  PACKAGES_SECTIONS,
  resolveEdges,
  stringField,
} from './package-lock-common.js';
import { guessedRootImporter, importerFromPackageJson } from './package-lock-importers.js';
import type { InstallTree, LockEntry } from './package-lock-tree.js';
import { buildInstallTree, MAX_INSTALL_PATH_LENGTH, splitInstallPath } from './package-lock-tree.js';
import { workspaceMembers } from './workspaces.js';

/** What the folders of a `packages` map are: symlinks, workspace members, or stale leftovers. */
interface Layout {
  /** Link entry → the folder it points to (undefined when it names none). */
  links: Map<string, string | undefined>;
  /** Workspace folders, lockfile order first, then members only the package.json files know of. */
  workspaces: Set<string>;
  stale: Set<string>;
  /** Folder → the name a link gives it, for folder entries that carry no `name`. */
  linkNames: Map<string, string>;
}

/**
 * lockfileVersion 2 and 3: `packages` keyed by install path. Every entry but the root, the workspace folders,
 * the links and stale folders is a node keyed by its install path; a link resolves to the workspace it points
 * to (an importer) or to the folder entry of a `file:` dependency (a node).
 */
export function readPackages(
  packages: Record<string, unknown>,
  lock: { name?: string; version?: string },
  context: LockfileContext,
  read: ReadContext,
): LockfileGraphPart {
  const tree = buildInstallTree(collectEntries(packages, read));
  const layout = classifyFolders(tree.entries, context, read);
  const nodes = new Map<string, GraphNode>();
  for (const [key, entry] of tree.entries) {
    if (key === '' || layout.links.has(key) || layout.workspaces.has(key) || layout.stale.has(key)) continue;
    const node = makeNode(key, packageIdentity(key, entry, layout, read), entry, read.file);
    if (node) nodes.set(key, node);
    else read.issues.add('invalid-name', ['packages', key], `package "${key}" has no valid package name`);
  }
  const targetOf = targetResolver(layout, nodes);
  for (const [key, node] of nodes) {
    const deps = entryDependencies(tree.entries.get(key)!, false);
    node.edges = resolveEdges(tree, targetOf, key, deps, read.unresolved);
  }
  const importers = [rootImporter(tree, targetOf, lock, context, nodes, read)];
  for (const folder of layout.workspaces) {
    importers.push(workspaceImporter(folder, tree, targetOf, context, read));
  }
  return { importers, nodes };
}

function collectEntries(packages: Record<string, unknown>, read: ReadContext): Map<string, LockEntry> {
  const entries = new Map<string, LockEntry>();
  for (const [key, entry] of Object.entries(packages)) {
    if (!isRecord(entry)) {
      read.issues.add('invalid-entry', ['packages', key], `package "${key}" is not an object`);
    } else if (key.length > MAX_INSTALL_PATH_LENGTH) {
      read.issues.add(
        'invalid-path',
        ['packages', key],
        `package path "${key.slice(0, 60)}…" is too long to exist`,
      );
    } else {
      const defect = fieldDefect(entry, PACKAGES_SECTIONS);
      const label = key === '' ? 'the root package' : `package "${key}"`;
      if (defect) read.issues.add('invalid-field', ['packages', key], `${label}: ${defect}`);
      entries.set(key, entry);
    }
  }
  return entries;
}

function classifyFolders(
  entries: ReadonlyMap<string, LockEntry>,
  context: LockfileContext,
  read: ReadContext,
): Layout {
  const layout: Layout = { links: new Map(), workspaces: new Set(), stale: new Set(), linkNames: new Map() };
  const linked = new Set<string>();
  for (const [key, entry] of entries) {
    if (entry.link !== true) continue;
    const target = stringField(entry, 'resolved');
    layout.links.set(key, target);
    if (target === undefined) {
      read.issues.add('invalid-link', ['packages', key], `link "${key}" has no "resolved" folder`);
      continue;
    }
    linked.add(target);
    const name = splitInstallPath(key)?.name;
    if (name !== undefined && !layout.linkNames.has(target)) layout.linkNames.set(target, name);
  }
  const folders = [...entries.keys()].filter((k) => k !== '' && !layout.links.has(k) && !splitInstallPath(k));
  const root = entries.get('');
  const globs = [...workspaceGlobs(root?.workspaces), ...(context.root?.workspaces ?? [])];
  const globbed = new Set(workspaceMembers('.', globs, folders));
  for (const folder of folders) {
    const extraneous = entries.get(folder)!.extraneous === true;
    const member = globbed.has(folder) && (linked.has(folder) || !extraneous);
    if (context.workspaces.has(folder) || member) layout.workspaces.add(folder);
    else if (extraneous && !linked.has(folder)) layout.stale.add(folder);
  }
  for (const folder of [...context.workspaces.keys()].sort()) layout.workspaces.add(folder);
  if (layout.stale.size > 0) read.problems.push(staleProblem(read.file, layout.stale));
  return layout;
}

function staleProblem(file: string, stale: ReadonlySet<string>) {
  return {
    severity: 'info' as const,
    code: `${CODE}.stale-folder`,
    message:
      `${file}: ignored ${stale.size} extraneous folder ${stale.size === 1 ? 'entry' : 'entries'} that no link ` +
      `points to and no package.json backs (left over from a removed workspace): ${[...stale].join(', ')}`,
    file,
    hint: 'Run `npm install` to drop them from the lockfile.',
  };
}

function workspaceGlobs(value: unknown): string[] {
  const list = isRecord(value) ? value.packages : value;
  return Array.isArray(list) ? list.filter((g): g is string => typeof g === 'string') : [];
}

function packageIdentity(key: string, entry: LockEntry, layout: Layout, read: ReadContext): NodeIdentity {
  const inNodeModules = splitInstallPath(key);
  const name =
    stringField(entry, 'name') ?? inNodeModules?.name ?? layout.linkNames.get(key) ?? basename(key);
  const version = stringField(entry, 'version');
  // A `file:` folder without a version is legitimate; an installed package always has one.
  if (version === undefined && inNodeModules) {
    read.issues.add('missing-version', ['packages', key], `package "${key}" has no "version"`);
  }
  // A folder outside node_modules is a `file:` dependency, located by its path.
  const resolved = stringField(entry, 'resolved') ?? (inNodeModules ? undefined : `file:${key}`);
  return { name, version: version ?? '', resolved };
}

function targetResolver(layout: Layout, nodes: ReadonlyMap<string, GraphNode>): TargetOf {
  const folderTarget = (folder: string) => {
    if (folder === '') return { importer: '.' };
    if (layout.workspaces.has(folder)) return { importer: folder };
    return nodes.has(folder) ? { node: folder } : undefined;
  };
  return (key) => {
    if (!layout.links.has(key)) return nodes.has(key) ? { node: key } : undefined;
    const target = layout.links.get(key);
    return target === undefined ? undefined : folderTarget(target);
  };
}

function rootImporter(
  tree: InstallTree,
  targetOf: TargetOf,
  lock: { name?: string; version?: string },
  context: LockfileContext,
  nodes: ReadonlyMap<string, GraphNode>,
  read: ReadContext,
): Importer {
  const entry = tree.entries.get('');
  const fallback = { name: context.root?.name ?? lock.name, version: context.root?.version ?? lock.version };
  if (entry) return importerFromEntry('', entry, fallback, tree, targetOf, read);
  if (context.root) return importerFromPackageJson('', context.root, tree, targetOf, read.unresolved);
  return guessedRootImporter(lock, tree.entries, nodes, read);
}

function workspaceImporter(
  folder: string,
  tree: InstallTree,
  targetOf: TargetOf,
  context: LockfileContext,
  read: ReadContext,
): Importer {
  const entry = tree.entries.get(folder);
  const pkg = context.workspaces.get(folder);
  if (!entry && pkg) return importerFromPackageJson(folder, pkg, tree, targetOf, read.unresolved);
  return importerFromEntry(folder, entry ?? {}, pkg, tree, targetOf, read);
}

function importerFromEntry(
  folder: string,
  entry: LockEntry,
  fallback: { name?: string; version?: string } | undefined,
  tree: InstallTree,
  targetOf: TargetOf,
  read: ReadContext,
): Importer {
  const importer: Importer = { path: folder === '' ? '.' : folder, edges: [] };
  const name = stringField(entry, 'name') ?? fallback?.name;
  const version = stringField(entry, 'version') ?? fallback?.version;
  if (name !== undefined) importer.name = name;
  if (version !== undefined) importer.version = version;
  importer.edges = resolveEdges(tree, targetOf, folder, entryDependencies(entry, true), read.unresolved);
  return importer;
}
