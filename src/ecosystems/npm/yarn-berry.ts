import type { DependencyGraph, GraphEdge, GraphNode, Importer } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import type { LockfileContext } from './lockfile.js';
import type { PackageJson } from './package-json.js';
import type { NpmSource } from './spec.js';
import { classifySource, npmPurlFor } from './spec.js';
import { Resolutions } from './yarn-resolutions.js';
import type { EdgeTarget, KeyLines } from './yarn-shared.js';
import {
  aliasTarget,
  declaredKinds,
  importerFromPackageJson,
  isMapping,
  normaliseFolder,
  optionalNames,
  ownEntries,
  ownField,
  ownString,
  sortImporters,
  splitDescriptor,
  stringEntries,
  entryProblem,
  Unresolved,
} from './yarn-shared.js';

const PROTOCOL = /^([a-z][a-z0-9+.-]*):/i;
/** Yarn's placeholder version for workspaces and `link:` packages. */
const LOCAL_VERSION = '0.0.0-use.local';

interface Workspace {
  path: string;
  name: string;
  resolution: string;
  value: object;
}

/**
 * Yarn berry (metadata 4 and later). Entries are keyed by comma-joined descriptors and identified by
 * their `resolution` locator, which is the node key. Workspace entries (`name@workspace:path`) are
 * the importers. Descriptors are matched as yarn stores them: ranges without a protocol mean `npm:`
 * (older lockfiles write dependencies without it), `file:`/`link:`/`portal:`/`patch:` descriptors are
 * bound to the package that declares them (`::locator=`), and yarn's built-in compatibility patches
 * (`typescript`, `resolve`, `fsevents`) replace the npm descriptor they wrap.
 */
export function buildBerryGraph(
  doc: Record<string, unknown>,
  file: string,
  context: LockfileContext,
  lines: KeyLines,
  problems: Problem[],
): DependencyGraph {
  const index = indexEntries(doc, file, lines, problems);
  const target = edgeTargets(index, new Resolutions(context.root));
  const unresolved = new Unresolved();
  for (const [resolution, value] of index.entryOf) {
    index.nodes.get(resolution)!.edges = packageEdges(
      value,
      (name, range) => target(name, range, resolution),
      unresolved,
    );
  }
  const importers = [...index.workspaces.values()].map((ws) =>
    workspaceImporter(ws, memberPackageJson(context, ws.path), target, unresolved),
  );
  for (const [path, pkg] of contextMembers(context)) {
    if (index.workspaces.has(path)) continue;
    problems.push(unlockedWorkspace(file, path));
    const parent = `${pkg.name ?? ''}@workspace:${path}`;
    importers.push(
      importerFromPackageJson(path, pkg, (name, spec) => target(name, spec, parent), unresolved),
    );
  }
  const warning = unresolved.problem(file);
  if (warning) problems.push(warning);

  const metadataVersion = ownString(ownField(doc, '__metadata'), 'version');
  if (metadataVersion === undefined) problems.push(noMetadataVersion(file, lines.lineOf('__metadata')));
  return {
    manifest: file,
    format: `yarn berry (metadata ${metadataVersion ?? 'unknown'})`,
    locked: true,
    importers: sortImporters(importers),
    nodes: index.nodes,
    problems,
  };
}

interface BerryIndex {
  /** Packages by resolution (locator). */
  nodes: Map<string, GraphNode>;
  /** The lockfile entry of each node, to read its dependencies once every descriptor is known. */
  entryOf: Map<string, object>;
  byDescriptor: Map<string, EdgeTarget>;
  /** npm descriptor → the built-in patch descriptor that replaces it. */
  patchedBy: Map<string, string>;
  workspaces: Map<string, Workspace>;
}

function indexEntries(
  doc: Record<string, unknown>,
  file: string,
  lines: KeyLines,
  problems: Problem[],
): BerryIndex {
  const index: BerryIndex = {
    nodes: new Map(),
    entryOf: new Map(),
    byDescriptor: new Map(),
    patchedBy: new Map(),
    workspaces: new Map(),
  };
  for (const [key, value] of ownEntries(doc)) {
    if (key === '__metadata') continue;
    const resolution = ownString(value, 'resolution');
    if (!isMapping(value) || resolution === undefined) {
      const what = isMapping(value) ? 'has no resolution' : 'is not a mapping of fields';
      problems.push(entryProblem(file, lines.lineOf(key), key, what));
      continue;
    }
    const target = entryTarget(index, resolution, value);
    if (target === undefined) {
      problems.push(entryProblem(file, lines.lineOf(key), key, 'has no version'));
      continue;
    }
    for (const descriptor of key.split(/\s*,\s*/)) {
      if (descriptor === '') continue;
      index.byDescriptor.set(descriptor, target);
      for (const wrapped of builtinPatchTarget(descriptor)) index.patchedBy.set(wrapped, descriptor);
    }
  }
  return index;
}

/** Records the entry as a workspace or a package; undefined when a package entry has no version. */
function entryTarget(index: BerryIndex, resolution: string, value: object): EdgeTarget | undefined {
  const { name, range: reference } = splitDescriptor(resolution);
  if (reference.startsWith('workspace:')) {
    const path = normaliseFolder(reference.slice('workspace:'.length));
    if (!index.workspaces.has(path)) index.workspaces.set(path, { path, name, resolution, value });
    return { importer: path };
  }
  const version = ownString(value, 'version');
  if (version === undefined) return undefined;
  if (!index.nodes.has(resolution)) {
    index.nodes.set(resolution, berryNode(resolution, name, version, reference));
    index.entryOf.set(resolution, value);
  }
  return { node: resolution };
}

/** Where the dependency `name: range` of the package `parent` (a locator) leads. */
function edgeTargets(
  index: BerryIndex,
  resolutions: Resolutions,
): (name: string, range: string, parent: string) => EdgeTarget | null {
  const lookup = (name: string, range: string, boundTo: string | undefined): EdgeTarget | null => {
    for (const candidate of PROTOCOL.test(range) ? [range] : [range, `npm:${range}`]) {
      const descriptor = `${name}@${candidate}`;
      const found =
        index.byDescriptor.get(index.patchedBy.get(descriptor) ?? descriptor) ??
        (boundTo === undefined
          ? undefined
          : index.byDescriptor.get(`${descriptor}::locator=${encodeURIComponent(boundTo)}`));
      if (found) return found;
    }
    return null;
  };
  const rootLocator = index.workspaces.get('.')?.resolution;
  return (name, range, parent) => {
    const { name: parentName, range: reference } = splitDescriptor(parent);
    const rewritten = resolutions.rewrite(name, range, { name: parentName, reference });
    // yarn binds a rewritten descriptor to the root workspace, where the resolutions are declared
    const found = rewritten === undefined ? null : lookup(name, rewritten, rootLocator);
    return found ?? lookup(name, range, parent);
  };
}

/**
 * The npm descriptors a built-in compatibility patch replaces: for
 * `resolve@patch:resolve@npm%3A^1.22.1#optional!builtin<compat/resolve>`, yarn installs the patched
 * package wherever `resolve@npm:^1.22.1` is asked for.
 */
function builtinPatchTarget(descriptor: string): string[] {
  const { range } = splitDescriptor(descriptor);
  if (!range.startsWith('patch:')) return [];
  const hash = range.indexOf('#');
  if (hash < 0 || !/builtin<compat\//.test(range.slice(hash))) return [];
  const inner = decode(range.slice('patch:'.length, hash));
  if (inner === undefined) return [];
  const { name, range: innerRange } = splitDescriptor(inner);
  return PROTOCOL.test(innerRange) ? [inner] : [inner, `${name}@npm:${innerRange}`];
}

function packageEdges(
  value: object,
  target: (name: string, range: string) => EdgeTarget | null,
  unresolved: Unresolved,
): GraphEdge[] {
  const optional = optionalNames(ownField(value, 'dependenciesMeta'));
  const edges = new Map<string, GraphEdge>();
  for (const [name, range] of stringEntries(ownField(value, 'optionalDependencies'))) {
    edges.set(name, { name, spec: declaredSpec(range), kind: 'optional', to: target(name, range) });
  }
  for (const [name, range] of stringEntries(ownField(value, 'dependencies'))) {
    if (edges.has(name)) continue;
    const kind = optional.has(name) ? 'optional' : 'runtime';
    edges.set(name, { name, spec: declaredSpec(range), kind, to: target(name, range) });
  }
  return [...edges.values()].map((edge) => unresolved.note(edge));
}

/**
 * A workspace's `dependencies` in the lockfile merge its dependencies and devDependencies: the kind
 * comes from its package.json when the context has it, else from `dependenciesMeta`, else runtime.
 */
function workspaceImporter(
  ws: Workspace,
  pkg: PackageJson | undefined,
  target: (name: string, range: string, parent: string) => EdgeTarget | null,
  unresolved: Unresolved,
): Importer {
  const declared = declaredKinds(pkg);
  const optional = optionalNames(ownField(ws.value, 'dependenciesMeta'));
  const edges: GraphEdge[] = [];
  const dependencies = stringEntries(ownField(ws.value, 'dependencies'));
  for (const [name, range] of dependencies) {
    const kind = declared.kinds.get(name) ?? (optional.has(name) ? 'optional' : 'runtime');
    const spec = declared.specs.get(name) ?? declaredSpec(range);
    edges.push(unresolved.note({ name, spec, kind, to: target(name, range, ws.resolution) }));
  }
  const optionalPeers = optionalNames(ownField(ws.value, 'peerDependenciesMeta'));
  for (const [name, range] of stringEntries(ownField(ws.value, 'peerDependencies'))) {
    if (dependencies.has(name)) continue;
    // Yarn does not install a workspace's own peers; an edge only when the lockfile holds a match.
    const to = target(name, range, ws.resolution);
    if (!to) continue;
    const kind = optionalPeers.has(name) ? 'optional' : 'peer';
    edges.push({ name, spec: declaredSpec(range), kind, to });
  }
  const lockedVersion = ownString(ws.value, 'version');
  const version = pkg?.version ?? (lockedVersion !== LOCAL_VERSION ? lockedVersion : undefined);
  return { path: ws.path, name: ws.name, version, edges };
}

/** The spec as the manifest wrote it: yarn 4 prefixes plain ranges with `npm:`. */
function declaredSpec(range: string): string {
  return range.startsWith('npm:') && !aliasTarget(range) ? range.slice(4) : range;
}

function berryNode(resolution: string, name: string, version: string, reference: string): GraphNode {
  const { source, resolved } = berrySource(reference);
  return {
    key: resolution,
    name,
    version,
    purl: npmPurlFor(name, version, source),
    sourceKind: source.kind,
    resolved,
    edges: [],
  };
}

/**
 * Where a locator's package comes from. A `patch:` locator wraps another locator: the package is the
 * wrapped one (same name, version and source), so it gets the same purl.
 */
function berrySource(locatorReference: string): { source: NpmSource; resolved?: string } {
  let reference = locatorReference;
  // a patch of a patch is legal; a hostile lockfile may nest them without end
  for (let depth = 0; depth < 8; depth++) {
    const paramsAt = reference.indexOf('::');
    const body = paramsAt < 0 ? reference : reference.slice(0, paramsAt);
    const params = paramsAt < 0 ? '' : reference.slice(paramsAt + 2);
    const protocol = PROTOCOL.exec(body)?.[1]?.toLowerCase();
    if (protocol === 'patch') {
      const inner = patchedReference(body);
      if (inner === undefined) break;
      reference = inner;
      continue;
    }
    if (protocol === 'npm') {
      const archive = new URLSearchParams(params).get('__archiveUrl') ?? undefined;
      return archive
        ? { source: classifySource(archive), resolved: archive }
        : { source: classifySource(undefined) };
    }
    if (protocol === 'file' || protocol === 'link' || protocol === 'portal') {
      const resolved = body.split('#')[0]!;
      return { source: classifySource(resolved), resolved };
    }
    const git = gitResolved(body);
    if (git) return { source: classifySource(git), resolved: git };
    if (protocol === 'http' || protocol === 'https') return { source: classifySource(body), resolved: body };
    break;
  }
  return { source: { kind: 'unknown', qualifiers: {} } };
}

/** The reference of the locator a `patch:` locator wraps (`patch:name@npm%3A1.0.0#...` → `npm:1.0.0`). */
function patchedReference(body: string): string | undefined {
  const hash = body.indexOf('#');
  const inner = decode(body.slice('patch:'.length, hash < 0 ? undefined : hash));
  return inner === undefined ? undefined : splitDescriptor(inner).range;
}

/** A git locator (`https://github.com/org/repo.git#commit=sha`) as `git+URL#sha`. */
function gitResolved(body: string): string | undefined {
  const hash = body.indexOf('#');
  const repo = hash < 0 ? body : body.slice(0, hash);
  const fragment = hash < 0 ? '' : body.slice(hash + 1);
  const committed = /(?:^|&)commit=([^&]+)/.exec(fragment);
  const isGit = committed !== null || /^(git\+|git:|ssh:|github:)/.test(repo) || /\.git$/.test(repo);
  if (!isGit) return undefined;
  const url = /^(git\+|git:)/.test(repo) ? repo : `git+${repo}`;
  const commit = committed?.[1] ?? (fragment && !fragment.includes('=') ? fragment : undefined);
  return commit ? `${url}#${commit}` : url;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function memberPackageJson(context: LockfileContext, path: string): PackageJson | undefined {
  return path === '.' ? context.root : context.workspaces.get(path);
}

function contextMembers(context: LockfileContext): [string, PackageJson][] {
  return [...(context.root ? [['.', context.root] as [string, PackageJson]] : []), ...context.workspaces];
}

function unlockedWorkspace(file: string, path: string): Problem {
  return {
    severity: 'warning',
    code: 'npm.yarn-lock.workspace-not-locked',
    message: `${file}: the workspace "${path}" has no entry in the lockfile; its dependencies are matched by their declared ranges`,
    file,
    hint: 'Run `yarn install` so that the lockfile covers every workspace, and commit it.',
  };
}

function noMetadataVersion(file: string, line: number): Problem {
  return {
    severity: 'error',
    code: 'npm.yarn-lock.wrong-shape',
    message: `${file}:${line}:1: __metadata has no version: yarn did not write this lockfile as it is`,
    file,
    line,
    column: 1,
    hint: 'Regenerate the lockfile with `yarn install` and scan again.',
  };
}
