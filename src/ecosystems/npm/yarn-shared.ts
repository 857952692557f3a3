import type { EdgeKind, GraphEdge } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import { declaredDependencies } from './declared.js';
import type { PackageJson } from './package-json.js';
import { parseAlias } from './spec.js';

/** `name@range` → name and range; the name may be scoped (`@scope/name@range`). */
export function splitDescriptor(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0);
  return at <= 0
    ? { name: descriptor, range: '' }
    : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** Own string-keyed entries of a parsed mapping; anything else (a scalar, a list) has none. */
export function ownEntries(value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value);
}

export function isMapping(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field of a parsed entry, read only when the entry itself holds it (never from a prototype). */
export function ownField(value: unknown, field: string): unknown {
  return isMapping(value) && Object.hasOwn(value, field)
    ? (value as Record<string, unknown>)[field]
    : undefined;
}

export function ownString(value: unknown, field: string): string | undefined {
  const v = ownField(value, field);
  return typeof v === 'string' ? v : undefined;
}

/** A `{name: range}` mapping as a Map, keeping string values only. */
export function stringEntries(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of ownEntries(value)) if (typeof v === 'string') out.set(k, v);
  return out;
}

/** Names whose `{name: {optional: true}}` meta marks them optional (dependenciesMeta, peerDependenciesMeta). */
export function optionalNames(meta: unknown): Set<string> {
  const out = new Set<string>();
  for (const [name, value] of ownEntries(meta)) if (ownField(value, 'optional') === true) out.add(name);
  return out;
}

/**
 * The kind of each dependency a package.json declares, and which names are peers only. Yarn never installs
 * a package's own peer dependencies (classic ignores them, berry expects the parent to provide them).
 */
export interface DeclaredKinds {
  kinds: Map<string, EdgeKind>;
  specs: Map<string, string>;
  peerOnly: Set<string>;
}

export function declaredKinds(pkg: PackageJson | undefined): DeclaredKinds {
  const kinds = new Map<string, EdgeKind>();
  const specs = new Map<string, string>();
  const peerOnly = new Set<string>();
  if (!pkg) return { kinds, specs, peerOnly };
  for (const dep of declaredDependencies(pkg)) {
    kinds.set(dep.name, dep.kind);
    specs.set(dep.name, dep.spec);
  }
  for (const name of Object.keys(pkg.peerDependencies)) {
    const installed = [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies].some((deps) =>
      Object.hasOwn(deps, name),
    );
    if (!installed) peerOnly.add(name);
  }
  return { kinds, specs, peerOnly };
}

/** Collects edges that point nowhere, and reports them as one warning per graph. */
export class Unresolved {
  private readonly names: string[] = [];

  note(edge: GraphEdge): GraphEdge {
    if (edge.to === null) this.names.push(`${edge.name}@${edge.spec}`);
    return edge;
  }

  problem(file: string): Problem | undefined {
    if (this.names.length === 0) return undefined;
    const distinct = [...new Set(this.names)];
    const first = distinct.slice(0, 5).join(', ');
    const more = distinct.length > 5 ? ', ...' : '';
    return {
      severity: 'warning',
      code: 'npm.yarn-lock.unresolved',
      message: `${file}: ${this.names.length} declared ${this.names.length === 1 ? 'dependency has' : 'dependencies have'} no entry in the lockfile (${first}${more})`,
      file,
      hint: 'The lockfile is out of date with its package.json files: run `yarn install` and commit the lockfile.',
    };
  }
}

/**
 * Line of each top-level entry key, built on first use: parsed entries carry no position, and the
 * problems about one entry must still name its line.
 */
export class KeyLines {
  private lines: Map<string, number> | undefined;

  constructor(private readonly content: string) {}

  lineOf(key: string): number {
    this.lines ??= indexKeyLines(this.content);
    return this.lines.get(key) ?? this.lines.get(key.split(/\s*,\s*/)[0]!) ?? 1;
  }
}

function indexKeyLines(content: string): Map<string, number> {
  const lines = new Map<string, number>();
  let lineNumber = 0;
  for (const raw of content.split('\n')) {
    lineNumber++;
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith(' ') || line.startsWith('#')) continue;
    const key = topLevelKey(line);
    if (key === undefined) continue;
    const whole = unquote(key);
    if (!lines.has(whole)) lines.set(whole, lineNumber);
    for (const part of key.split(/\s*,\s*/)) {
      const descriptor = unquote(part);
      if (!lines.has(descriptor)) lines.set(descriptor, lineNumber);
    }
  }
  return lines;
}

/** The key of `key:` (an entry) or of `"key": value` (a scalar where an entry should be). */
function topLevelKey(line: string): string | undefined {
  if (line.endsWith(':')) return line.slice(0, -1);
  const end = line.startsWith('"') ? line.indexOf('":', 1) + 1 : line.indexOf(': ');
  return end > 0 ? line.slice(0, end) : undefined;
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

export function entryProblem(file: string, line: number, key: string, what: string): Problem {
  return {
    severity: 'error',
    code: 'npm.yarn-lock.invalid-entry',
    message: `${file}:${line}:1: entry "${key}" ${what}; it is left out of the inventory`,
    file,
    line,
    column: 1,
    hint: 'Regenerate the lockfile with `yarn install` and scan again.',
  };
}

/** Importer folders as POSIX paths relative to the lockfile folder, `.` for the folder itself. */
export function normaliseFolder(path: string): string {
  const trimmed = path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

export function sortImporters<T extends { path: string }>(importers: T[]): T[] {
  const rank = (path: string) => (path === '.' ? '' : path);
  return importers.sort((a, b) => (rank(a.path) < rank(b.path) ? -1 : rank(a.path) > rank(b.path) ? 1 : 0));
}

/** Where a dependency edge leads: a locked package, or another workspace member. */
export type EdgeTarget = { node: string } | { importer: string };

/**
 * An importer built from its package.json: every declared dependency, resolved by `resolve`. A peer-only
 * dependency gets an edge only when the lockfile holds a package for it (yarn does not install it).
 */
export function importerFromPackageJson(
  path: string,
  pkg: PackageJson,
  resolve: (name: string, spec: string) => EdgeTarget | null,
  unresolved: Unresolved,
): { path: string; name?: string; version?: string; edges: GraphEdge[] } {
  const { peerOnly } = declaredKinds(pkg);
  const edges: GraphEdge[] = [];
  for (const dep of declaredDependencies(pkg)) {
    const to = resolve(dep.name, dep.spec);
    if (peerOnly.has(dep.name) && to === null) continue;
    edges.push(unresolved.note({ name: dep.name, spec: dep.spec, kind: dep.kind, to }));
  }
  return { path, name: pkg.name, version: pkg.version, edges };
}

/** `npm:real-name@range` aliases only: a plain `npm:^1.0.0` range names no other package. */
export function aliasTarget(range: string): { name: string; range: string } | undefined {
  if (!range.startsWith('npm:')) return undefined;
  const body = range.slice(4);
  return body.indexOf('@', body.startsWith('@') ? 1 : 0) > 0 ? parseAlias(range) : undefined;
}
