import { posix } from 'node:path';
import type { DependencyGraph, EdgeKind, GraphEdge, GraphNode, Importer } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import { isRecord } from './json.js';
import type { LockfileContext, LockfileParser } from './lockfile.js';
import type { PackageJson } from './package-json.js';
import { ShapeIssues, loadLockfileYaml, problemAt } from './pnpm-document.js';
import type { PnpmGrammar } from './pnpm-dep-path.js';
import { parseKey, refToTarget, withoutSuffix } from './pnpm-dep-path.js';
import { readResolution } from './pnpm-resolution.js';
import type { NpmSource } from './spec.js';
import { classifySource, npmPurlFor } from './spec.js';

type Entry = Record<string, unknown>;

interface Build {
  file: string;
  grammar: PnpmGrammar;
  context: LockfileContext;
  issues: ShapeIssues;
  importerPaths: ReadonlySet<string>;
  nodes: Map<string, GraphNode>;
  /** Keys of injected workspace packages (`file:` folders that are importers) → importer path. */
  injected: Map<string, string>;
  unresolved: { count: number; examples: string[] };
}

/** A node whose edges are read once every node exists. */
interface Pending {
  node: GraphNode;
  meta: Entry;
  deps: Entry;
  section: string;
}

const UNRESOLVED_EXAMPLES = 5;

/**
 * pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x. Nodes are the `packages` entries (5.x, 6.x) or
 * the `snapshots` entries (9.x, metadata from the matching `packages` entry; peer variants are
 * separate nodes sharing a purl). Importers come from `importers`, or from the top-level
 * dependency sections of a lockfile without workspaces.
 */
export const parsePnpmLock: LockfileParser = (content, file, context) => {
  const loaded = loadLockfileYaml(content, file);
  if (!loaded.ok) return emptyGraph(file, 'pnpm', [loaded.problem]);
  const doc = loaded.value;
  if (!isRecord(doc)) {
    const what = 'a pnpm lockfile must hold a YAML mapping with `lockfileVersion`';
    return emptyGraph(file, 'pnpm', [problemAt(content, file, 'npm.pnpm-lock.not-a-mapping', what, {})]);
  }
  const version = readVersion(doc, content, file);
  if (!version.grammar) return emptyGraph(file, version.format, version.problems);

  const issues = new ShapeIssues(content, file);
  const importerEntries = readImporterEntries(doc, issues);
  const build: Build = {
    file,
    grammar: version.grammar,
    context,
    issues,
    importerPaths: new Set(importerEntries.map(([path]) => path)),
    nodes: new Map(),
    injected: new Map(),
    unresolved: { count: 0, examples: [] },
  };
  const pending = readNodes(build, doc);
  for (const item of pending) item.node.edges = packageEdges(build, item);
  const importers = importerEntries.map(([path, entry]) => readImporter(build, path, entry));
  return {
    manifest: file,
    format: version.format,
    locked: true,
    importers,
    nodes: build.nodes,
    problems: [...version.problems, ...issues.problems(), ...unresolvedProblems(build)],
  };
};

function emptyGraph(file: string, format: string, problems: Problem[]): DependencyGraph {
  return { manifest: file, format, locked: true, importers: [], nodes: new Map(), problems };
}

function readVersion(
  doc: Entry,
  content: string,
  file: string,
): { grammar?: PnpmGrammar; format: string; problems: Problem[] } {
  const raw = doc.lockfileVersion;
  if (typeof raw !== 'string' || raw === '') {
    const what = 'no `lockfileVersion`: this is not a pnpm lockfile or it is damaged';
    const at = { needle: 'lockfileVersion' };
    return {
      format: 'pnpm',
      problems: [problemAt(content, file, 'npm.pnpm-lock.missing-version', what, at)],
    };
  }
  const format = `pnpm ${raw}`;
  const major = Number.parseInt(raw, 10);
  if (major === 5) return { grammar: 'v5', format, problems: [] };
  if (major === 6) return { grammar: 'v6', format, problems: [] };
  if (major === 9) return { grammar: 'v9', format, problems: [] };
  if (major > 9) {
    const warning: Problem = {
      severity: 'warning',
      code: 'npm.pnpm-lock.newer-version',
      message: `${file}: lockfile version ${raw} is newer than 9.x; it was read as 9.x`,
      file,
      hint: 'Check the inventory of this lockfile by hand, and report the version to the oss-inventory maintainers.',
    };
    return { grammar: 'v9', format, problems: [warning] };
  }
  const what = `lockfile version ${raw} is not supported (5.x, 6.x and 9.x are)`;
  const problem = problemAt(content, file, 'npm.pnpm-lock.unsupported-version', what, {
    needle: 'lockfileVersion',
  });
  return {
    format,
    problems: [{ ...problem, hint: 'Regenerate the lockfile with a released pnpm, version 7 or later.' }],
  };
}

/** Importer folders (normalised) with their entries; a lockfile without workspaces is its own importer. */
function readImporterEntries(doc: Entry, issues: ShapeIssues): [string, Entry][] {
  const raw = doc.importers;
  if (raw === undefined || raw === null) return [['.', doc]];
  if (!isRecord(raw)) {
    issues.add('invalid-section', 'importers', 'importers:', '`importers` is not a mapping');
    return [];
  }
  const out: [string, Entry][] = [];
  for (const [path, entry] of Object.entries(raw)) {
    const value = asEntry(entry);
    if (value) out.push([normalizeFolder(path), value]);
    else issues.add('invalid-entry', 'importers', path, `importer "${path}" is not a mapping`);
  }
  return out;
}

/** null (an entry written with nothing under it) reads as an empty entry; scalars and lists are wrong. */
function asEntry(value: unknown): Entry | undefined {
  if (value === null || value === undefined) return Object.create(null) as Entry;
  return isRecord(value) ? value : undefined;
}

function section(build: Build, doc: Entry, name: string): Map<string, unknown> {
  const value = doc[name];
  if (value === undefined || value === null) return new Map();
  if (isRecord(value)) return new Map(Object.entries(value));
  build.issues.add('invalid-section', name, `${name}:`, `\`${name}\` is not a mapping`);
  return new Map();
}

function readNodes(build: Build, doc: Entry): Pending[] {
  const packages = section(build, doc, 'packages');
  const pending: Pending[] = [];
  if (build.grammar !== 'v9') {
    for (const [key, entry] of packages) addNode(build, pending, key, entry, entry, 'packages');
    return pending;
  }
  if ((doc.snapshots === undefined || doc.snapshots === null) && packages.size > 0) {
    build.issues.add(
      'missing-section',
      'packages',
      'packages:',
      `\`snapshots\` is absent, \`packages\` is not`,
    );
  }
  const described = new Set<string>();
  for (const [key, snapshot] of section(build, doc, 'snapshots')) {
    const base = withoutSuffix(key);
    described.add(base);
    const meta = packages.get(base);
    if (meta === undefined) build.issues.add('missing-metadata', 'snapshots', key, `"${key}"`);
    addNode(build, pending, key, meta, snapshot, 'snapshots');
  }
  // A package without any snapshot is still locked; it gets a node without edges.
  for (const [key, meta] of packages) {
    if (!described.has(key)) addNode(build, pending, key, meta, null, 'packages');
  }
  return pending;
}

function addNode(
  build: Build,
  pending: Pending[],
  key: string,
  metaValue: unknown,
  depsValue: unknown,
  sectionName: string,
): void {
  const meta = asEntry(metaValue);
  const deps = asEntry(depsValue);
  if (!meta || !deps) {
    // In 9.x the metadata is the `packages` entry (the key without its suffix), the edges the snapshot.
    const where = meta ? { section: sectionName, key } : { section: 'packages', key: withoutSuffix(key) };
    build.issues.add('invalid-entry', where.section, where.key, `"${where.key}" is not a mapping`);
    return;
  }
  const identity = identify(build.grammar, key, meta);
  if (!identity) {
    build.issues.add('invalid-entry', sectionName, key, `"${key}" names no package and version`);
    return;
  }
  const resolution = readResolution(meta.resolution);
  if (resolution.directory !== undefined) {
    const folder = normalizeFolder(resolution.directory);
    if (build.importerPaths.has(folder)) {
      build.injected.set(key, folder);
      return;
    }
  }
  const purl = purlOf(identity.name, identity.version, resolution.source);
  if (!purl) {
    build.issues.add('invalid-entry', sectionName, key, `"${key}" names no valid package`);
    return;
  }
  const node: GraphNode = {
    key,
    name: identity.name,
    version: identity.version,
    purl,
    sourceKind: resolution.source.kind,
    edges: [],
  };
  if (resolution.resolved) node.resolved = resolution.resolved;
  if (resolution.integrity) node.integrity = resolution.integrity;
  build.nodes.set(key, node);
  pending.push({ node, meta, deps, section: sectionName });
}

/** Name and version: the entry's own fields (non-registry packages), else those written in the key. */
function identify(
  grammar: PnpmGrammar,
  key: string,
  meta: Entry,
): { name: string; version: string } | undefined {
  const parsed = parseKey(grammar, key);
  const name = nonEmpty(meta.name) ?? parsed?.name;
  const version = nonEmpty(meta.version) ?? parsed?.version;
  return name && version ? { name, version } : undefined;
}

/** undefined when the name cannot make a purl (`@scope/` with no name). */
function purlOf(name: string, version: string, source: NpmSource): string | undefined {
  try {
    return npmPurlFor(name, version, source);
  } catch {
    return undefined;
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Edges of a package. Resolved peers are listed among `dependencies`; `peerDependencies` (of the
 * package's metadata) tells which of them are peers, `peerDependenciesMeta` which peers are optional.
 */
function packageEdges(build: Build, item: Pending): GraphEdge[] {
  const peers = stringEntries(item.meta.peerDependencies);
  const optionalPeers = optionalPeerNames(item.meta.peerDependenciesMeta);
  const from = `${item.node.name}@${item.node.version}`;
  const edges: GraphEdge[] = [];
  for (const [name, ref] of dependencyRefs(build, item, 'dependencies')) {
    const range = peers.get(name);
    const kind: EdgeKind = range === undefined ? 'runtime' : optionalPeers.has(name) ? 'optional' : 'peer';
    edges.push({ name, spec: range ?? ref, kind, to: resolveRef(build, name, ref, '.', from) });
  }
  for (const [name, ref] of dependencyRefs(build, item, 'optionalDependencies')) {
    edges.push({ name, spec: ref, kind: 'optional', to: resolveRef(build, name, ref, '.', from) });
  }
  return edges;
}

function dependencyRefs(build: Build, item: Pending, field: string): [string, string][] {
  const value = item.deps[field];
  if (value === undefined || value === null) return [];
  const where = `"${item.node.key}" ${field}`;
  if (!isRecord(value)) {
    build.issues.add('invalid-entry', item.section, item.node.key, `${where} is not a mapping`);
    return [];
  }
  const out: [string, string][] = [];
  for (const [name, ref] of Object.entries(value)) {
    if (typeof ref === 'string' && ref !== '') out.push([name, ref]);
    else build.issues.add('invalid-dependency', item.section, item.node.key, `${where}: "${name}"`);
  }
  return out;
}

const NO_ENTRIES: ReadonlyMap<string, string> = new Map();
const NO_NAMES: ReadonlySet<string> = new Set();

function stringEntries(value: unknown): ReadonlyMap<string, string> {
  if (!isRecord(value)) return NO_ENTRIES;
  const out = new Map<string, string>();
  for (const [name, spec] of Object.entries(value)) if (typeof spec === 'string') out.set(name, spec);
  return out;
}

function optionalPeerNames(value: unknown): ReadonlySet<string> {
  if (!isRecord(value)) return NO_NAMES;
  const out = new Set<string>();
  for (const [name, meta] of Object.entries(value)) {
    if (isRecord(meta) && meta.optional === 'true') out.add(name);
  }
  return out;
}

/** `base`: the folder a `link:` reference is relative to (the importer's, or the lockfile's). */
function resolveRef(build: Build, name: string, ref: string, base: string, from: string): GraphEdge['to'] {
  const target = refToTarget(build.grammar, name, ref);
  if (target.kind === 'link') return linkTarget(build, name, joinFolder(base, target.path));
  const importer = build.injected.get(target.key);
  if (importer !== undefined) return { importer };
  if (build.nodes.has(target.key)) return { node: target.key };
  noteUnresolved(build, `${name}@${ref} (${from})`);
  return null;
}

function noteUnresolved(build: Build, what: string): void {
  build.unresolved.count++;
  if (build.unresolved.examples.length < UNRESOLVED_EXAMPLES) build.unresolved.examples.push(what);
}

/** A link to an importer is a workspace edge; a link to any other folder is a `link` node. */
function linkTarget(build: Build, name: string, folder: string): GraphEdge['to'] {
  if (build.importerPaths.has(folder)) return { importer: folder };
  const key = `link:${folder}`;
  if (build.nodes.has(key)) return { node: key };
  const pkg = build.context.workspaces.get(folder);
  const nodeName = pkg?.name ?? name;
  const version = pkg?.version ?? key;
  const source = classifySource(key);
  const purl = purlOf(nodeName, version, source);
  if (!purl) return null;
  build.nodes.set(key, {
    key,
    name: nodeName,
    version,
    purl,
    sourceKind: source.kind,
    resolved: key,
    edges: [],
  });
  return { node: key };
}

const IMPORTER_SECTIONS: readonly [string, EdgeKind][] = [
  ['dependencies', 'runtime'],
  ['devDependencies', 'dev'],
  ['optionalDependencies', 'optional'],
];

function readImporter(build: Build, path: string, entry: Entry): Importer {
  const pkg = path === '.' ? build.context.root : build.context.workspaces.get(path);
  const specifiers = stringEntries(entry.specifiers);
  const edges: GraphEdge[] = [];
  const from = `importer ${path}`;
  for (const [field, kind] of IMPORTER_SECTIONS) {
    const deps = entry[field];
    if (deps === undefined || deps === null) continue;
    if (!isRecord(deps)) {
      build.issues.add('invalid-entry', 'importers', path, `importer "${path}" ${field} is not a mapping`);
      continue;
    }
    for (const [name, value] of Object.entries(deps)) {
      const dep = importerDependency(value, specifiers.get(name));
      if (!dep) {
        build.issues.add('invalid-dependency', 'importers', path, `importer "${path}" ${field}: "${name}"`);
        continue;
      }
      const to = resolveRef(build, name, dep.ref, path, from);
      edges.push({ name, spec: dep.spec, kind: importerKind(kind, name, pkg), to });
    }
  }
  const importer: Importer = { path, edges };
  if (pkg?.name !== undefined) importer.name = pkg.name;
  if (pkg?.version !== undefined) importer.version = pkg.version;
  return importer;
}

/** 5.x: `name: ref` with the range under `specifiers`; 6.x and 9.x: `name: {specifier, version}`. */
function importerDependency(
  value: unknown,
  specifier: string | undefined,
): { ref: string; spec: string } | undefined {
  if (typeof value === 'string' && value !== '') return { ref: value, spec: specifier ?? value };
  if (!isRecord(value) || typeof value.version !== 'string' || value.version === '') return undefined;
  const spec = typeof value.specifier === 'string' ? value.specifier : (specifier ?? value.version);
  return { ref: value.version, spec };
}

/** pnpm installs a project's own peers (auto-install-peers) among its `dependencies`; package.json knows. */
function importerKind(kind: EdgeKind, name: string, pkg: PackageJson | undefined): EdgeKind {
  if (kind !== 'runtime' || !pkg) return kind;
  if (Object.hasOwn(pkg.dependencies, name) || !Object.hasOwn(pkg.peerDependencies, name)) return kind;
  return pkg.optionalPeers.has(name) ? 'optional' : 'peer';
}

function normalizeFolder(path: string): string {
  const normal = posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '');
  return normal === '' || normal === './' ? '.' : normal;
}

function joinFolder(base: string, relative: string): string {
  return normalizeFolder(relative.startsWith('/') ? relative : posix.join(base, relative));
}

function unresolvedProblems(build: Build): Problem[] {
  const { count, examples } = build.unresolved;
  if (count === 0) return [];
  const more = count > examples.length ? `, and ${count - examples.length} more` : '';
  return [
    {
      severity: 'warning',
      code: 'npm.pnpm-lock.unresolved-dependency',
      message: `${build.file}: ${count} dependencies have no entry in the lockfile: ${examples.join(', ')}${more}`,
      file: build.file,
      hint: 'The lockfile is incomplete or out of date: run `pnpm install` and scan again.',
    },
  ];
}
