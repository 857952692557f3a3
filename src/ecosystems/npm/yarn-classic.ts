import type { DependencyGraph, GraphEdge, GraphNode, Importer } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import type { LockfileContext } from './lockfile.js';
import type { NpmSource } from './spec.js';
import { classifySource, npmPurlFor } from './spec.js';
import type { EdgeTarget, KeyLines } from './yarn-shared.js';
import {
  aliasTarget,
  entryProblem,
  importerFromPackageJson,
  isMapping,
  ownField,
  ownEntries,
  ownString,
  sortImporters,
  splitDescriptor,
  stringEntries,
  Unresolved,
} from './yarn-shared.js';

interface LockedEntry {
  value: object;
  /** Every descriptor (`name@range`) the entry's key lists. */
  descriptors: string[];
}

/**
 * Yarn classic (v1). Entries are keyed by descriptors; the reader hands back one object per entry under
 * each of its descriptors, so grouping by object identity recovers the entries. The lockfile knows no
 * workspaces: importers are the package.json files of the context, and a dependency on a member's name
 * that the lockfile does not hold is a link to that member.
 */
export function buildClassicGraph(
  doc: Record<string, unknown>,
  file: string,
  context: LockfileContext,
  lines: KeyLines,
  problems: Problem[],
): DependencyGraph {
  const nodes = new Map<string, GraphNode>();
  const byDescriptor = new Map<string, string>();
  const entryOf = new Map<string, object>();
  const byIdentity = new Map<string, string>();

  for (const { value, descriptors } of groupEntries(doc, file, lines, problems)) {
    const version = ownString(value, 'version');
    if (version === undefined) {
      problems.push(
        entryProblem(file, lines.lineOf(descriptors[0]!), descriptors.join(', '), 'has no version'),
      );
      continue;
    }
    const resolved = ownString(value, 'resolved');
    const { name, range } = realPackage(descriptors[0]!, ownString(value, 'name'));
    const identity = `${name}@${version}\n${resolved ?? range}`;
    let key = byIdentity.get(identity);
    if (key === undefined) {
      key = uniqueKey(nodes, `${name}@${version}`, resolved ?? range);
      byIdentity.set(identity, key);
      nodes.set(key, classicNode(key, name, version, range, value));
      entryOf.set(key, value);
    }
    for (const descriptor of descriptors) byDescriptor.set(descriptor, key);
  }

  const members = memberFolders(context);
  const unresolved = new Unresolved();
  const resolve = (name: string, spec: string): EdgeTarget | null => {
    const key = byDescriptor.get(`${name}@${spec}`);
    if (key !== undefined) return { node: key };
    const member = members.get(name);
    return member === undefined ? null : { importer: member };
  };

  for (const [key, value] of entryOf) nodes.get(key)!.edges = entryEdges(value, resolve, unresolved);

  const importers: Importer[] = [];
  if (context.root) importers.push(importerFromPackageJson('.', context.root, resolve, unresolved));
  else problems.push(noPackageJson(file, nodes.size));
  for (const [path, pkg] of context.workspaces) {
    importers.push(importerFromPackageJson(path, pkg, resolve, unresolved));
  }
  const warning = unresolved.problem(file);
  if (warning) problems.push(warning);

  return {
    manifest: file,
    format: 'yarn classic v1',
    locked: true,
    importers: sortImporters(importers),
    nodes,
    problems,
  };
}

function groupEntries(
  doc: Record<string, unknown>,
  file: string,
  lines: KeyLines,
  problems: Problem[],
): LockedEntry[] {
  const entries = new Map<object, LockedEntry>();
  for (const [descriptor, value] of ownEntries(doc)) {
    if (!isMapping(value)) {
      problems.push(entryProblem(file, lines.lineOf(descriptor), descriptor, 'is not a mapping of fields'));
      continue;
    }
    const entry = entries.get(value);
    if (entry) entry.descriptors.push(descriptor);
    else entries.set(value, { value, descriptors: [descriptor] });
  }
  return [...entries.values()];
}

/**
 * The real package an entry locks: its `name` field when yarn wrote one (a package whose name differs
 * from the declared one), else the alias target for `alias@npm:real@range`, else the declared name.
 */
function realPackage(descriptor: string, lockedName: string | undefined): { name: string; range: string } {
  const { name, range } = splitDescriptor(descriptor);
  const alias = aliasTarget(range);
  return { name: lockedName ?? alias?.name ?? name, range: alias?.range ?? range };
}

function uniqueKey(nodes: Map<string, GraphNode>, base: string, variant: string): string {
  if (!nodes.has(base)) return base;
  let key = `${base} (${variant})`;
  for (let n = 2; nodes.has(key); n++) key = `${base} (${variant}) #${n}`;
  return key;
}

function classicNode(key: string, name: string, version: string, range: string, value: object): GraphNode {
  const resolved = ownString(value, 'resolved');
  // Entries without `resolved` are `file:` folders and `link:`s: their range says where they come from.
  const source = resolved === undefined ? classifySource(range) : classicSource(resolved);
  return {
    key,
    name,
    version,
    purl: npmPurlFor(name, version, source),
    sourceKind: source.kind,
    resolved,
    integrity: ownString(value, 'integrity'),
    edges: [],
  };
}

/** Yarn classic fetches GitHub dependencies as codeload tarballs; they are git sources all the same. */
function classicSource(resolved: string): NpmSource {
  const codeload = /^https:\/\/codeload\.github\.com\/([^/]+)\/([^/]+)\/tar\.gz\/([^/?#]+)/.exec(resolved);
  return classifySource(
    codeload ? `git+https://github.com/${codeload[1]}/${codeload[2]}.git#${codeload[3]}` : resolved,
  );
}

function entryEdges(
  value: object,
  resolve: (name: string, spec: string) => EdgeTarget | null,
  unresolved: Unresolved,
): GraphEdge[] {
  const edges = new Map<string, GraphEdge>();
  for (const [name, spec] of stringEntries(ownField(value, 'optionalDependencies'))) {
    edges.set(name, { name, spec, kind: 'optional', to: resolve(name, spec) });
  }
  for (const [name, spec] of stringEntries(ownField(value, 'dependencies'))) {
    if (!edges.has(name)) edges.set(name, { name, spec, kind: 'runtime', to: resolve(name, spec) });
  }
  return [...edges.values()].map((edge) => unresolved.note(edge));
}

/** Workspace members by package name, for dependencies that yarn links instead of locking. */
function memberFolders(context: LockfileContext): Map<string, string> {
  const members = new Map<string, string>();
  for (const [path, pkg] of context.workspaces)
    if (pkg.name && !members.has(pkg.name)) members.set(pkg.name, path);
  if (context.root?.name && !members.has(context.root.name)) members.set(context.root.name, '.');
  return members;
}

function noPackageJson(file: string, packages: number): Problem {
  return {
    severity: 'warning',
    code: 'npm.yarn-lock.no-package-json',
    message: `${file}: no package.json next to this yarn classic lockfile; its ${packages} packages cannot be attributed to a project`,
    file,
    hint: 'A yarn.lock is only meaningful next to the package.json it was installed from; scan the folder that holds both.',
  };
}
