import type { EdgeKind, GraphEdge, GraphNode, Importer } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import { positionAt } from '../../core/text-position.js';
import type { DeclaredDependency } from './declared.js';
import { isRecord } from './json.js';
import { declaredLicense } from './package-json.js';
import type { InstallTree, LockEntry } from './package-lock-tree.js';
import { classifySource, npmPurlFor } from './spec.js';

export const CODE = 'npm.package-lock';

/** What both lockfile layouts share while they are read: the file, and the problems found so far. */
export interface ReadContext {
  content: string;
  file: string;
  issues: ShapeIssues;
  unresolved: UnresolvedEdges;
  /** Problems that are neither shape defects nor unresolved edges. */
  problems: Problem[];
}

export interface LockfileGraphPart {
  importers: Importer[];
  nodes: Map<string, GraphNode>;
}

/** The sections of an entry that map dependency names to specifiers, per layout. */
export const PACKAGES_SECTIONS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'devDependencies',
];
export const V1_SECTIONS = ['requires'];
const STRING_FIELDS = ['name', 'version', 'resolved', 'integrity'];

/** The first field of an entry that has the wrong type (it is then read as absent), described. */
export function fieldDefect(entry: LockEntry, sections: readonly string[]): string | undefined {
  for (const field of STRING_FIELDS) {
    const value = Object.hasOwn(entry, field) ? entry[field] : undefined;
    if (value !== undefined && typeof value !== 'string') return `"${field}" is not a string`;
  }
  for (const field of [...sections, 'peerDependenciesMeta']) {
    const value = Object.hasOwn(entry, field) ? entry[field] : undefined;
    if (value === undefined) continue;
    if (!isRecord(value)) return `"${field}" is not an object`;
    if (field !== 'peerDependenciesMeta' && Object.values(value).some((spec) => typeof spec !== 'string')) {
      return `"${field}" holds a specifier that is not a string`;
    }
  }
  return undefined;
}

export function stringField(entry: LockEntry, field: string): string | undefined {
  const value = Object.hasOwn(entry, field) ? entry[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** `[name, spec]` pairs of a dependency map, non-string specs dropped. */
export function specEntries(value: unknown): [string, string][] {
  if (!isRecord(value)) return [];
  return Object.entries(value).filter((pair): pair is [string, string] => typeof pair[1] === 'string');
}

/**
 * The dependencies a lockfile entry declares, one per name, with the precedence npm 7+ (Arborist) gives them
 * when a name appears in several sections: each section overrides the ones before it, in the order peer,
 * dependencies, optionalDependencies, devDependencies. devDependencies only count for importers (the root and
 * workspaces), since npm never installs a dependency's own.
 */
export function entryDependencies(entry: LockEntry, withDev: boolean): DeclaredDependency[] {
  const out = new Map<string, DeclaredDependency>();
  const optionalPeers = optionalPeerNames(entry.peerDependenciesMeta);
  for (const [name, spec] of specEntries(entry.peerDependencies)) {
    out.set(name, { name, spec, kind: optionalPeers.has(name) ? 'optional' : 'peer' });
  }
  const sections: [unknown, EdgeKind][] = [
    [entry.dependencies, 'runtime'],
    [entry.optionalDependencies, 'optional'],
  ];
  if (withDev) sections.push([entry.devDependencies, 'dev']);
  for (const [section, kind] of sections) {
    for (const [name, spec] of specEntries(section)) out.set(name, { name, spec, kind });
  }
  return [...out.values()];
}

function optionalPeerNames(meta: unknown): Set<string> {
  const names = new Set<string>();
  if (!isRecord(meta)) return names;
  for (const [name, value] of Object.entries(meta)) {
    if (isRecord(value) && value.optional === true) names.add(name);
  }
  return names;
}

export interface NodeIdentity {
  name: string;
  version: string;
  /** Where it comes from, as classifySource reads it: the `resolved` URL or a specifier. */
  resolved?: string;
}

/** The node of a lockfile entry; undefined when its name cannot make a purl (empty, or a bare `@scope/`). */
export function makeNode(
  key: string,
  id: NodeIdentity,
  entry: LockEntry,
  file: string,
): GraphNode | undefined {
  const source = classifySource(id.resolved);
  let purl: string;
  try {
    purl = npmPurlFor(id.name, id.version, source);
  } catch {
    return undefined;
  }
  const node: GraphNode = {
    key,
    name: id.name,
    version: id.version,
    purl,
    sourceKind: source.kind,
    edges: [],
  };
  if (id.resolved !== undefined) node.resolved = id.resolved;
  const integrity = stringField(entry, 'integrity');
  if (integrity !== undefined) node.integrity = integrity;
  const license = declaredLicense(entry);
  if (license !== undefined) node.license = { value: license, source: 'lockfile', evidence: file };
  return node;
}

/** Where an install path leads an edge: a node, an importer (workspace link), or nowhere (undefined). */
export type TargetOf = (installPath: string) => GraphEdge['to'] | undefined;

/** Resolves declared dependencies from folder `from` the way Node does, recording the ones with no entry. */
export function resolveEdges(
  tree: InstallTree,
  targetOf: TargetOf,
  from: string,
  deps: readonly DeclaredDependency[],
  unresolved: UnresolvedEdges,
): GraphEdge[] {
  return deps.map((dep) => {
    const at = tree.resolve(from, dep.name);
    const to = at === undefined ? undefined : targetOf(at);
    // An optional dependency left out (another platform's binary, an optional peer) is how npm works, not a gap.
    if (to === undefined && dep.kind !== 'optional') unresolved.add(dep.name, dep.kind, from);
    return { name: dep.name, spec: dep.spec, kind: dep.kind, to: to ?? null };
  });
}

const EXAMPLES = 5;

export class UnresolvedEdges {
  private count = 0;
  private readonly examples: string[] = [];

  add(name: string, kind: EdgeKind, from: string): void {
    this.count++;
    if (this.examples.length >= EXAMPLES) return;
    this.examples.push(
      `${name} (${kind === 'peer' ? 'peer ' : ''}dependency of ${from === '' ? '.' : from})`,
    );
  }

  problem(file: string): Problem | undefined {
    if (this.count === 0) return undefined;
    const more = this.count > this.examples.length ? ', …' : '';
    return {
      severity: 'warning',
      code: `${CODE}.unresolved`,
      message:
        `${file}: ${this.count} declared ${this.count === 1 ? 'dependency has' : 'dependencies have'} no entry ` +
        `in the lockfile: ${this.examples.join(', ')}${more}`,
      file,
      hint: 'Run `npm install` to bring the lockfile up to date with package.json, then scan again.',
    };
  }
}

interface Issue {
  count: number;
  where: readonly string[];
  what: string;
}

/**
 * Malformed parts of a lockfile that was valid JSON, one error per kind of defect (with how many and where
 * the first one is) so that a lockfile with thousands of bad entries gives one readable problem.
 */
export class ShapeIssues {
  private readonly byCode = new Map<string, Issue>();

  /** `where` is the chain of JSON keys under which the defect sits; it locates the defect in the file. */
  add(code: string, where: readonly string[], what: string): void {
    const issue = this.byCode.get(code);
    if (issue) issue.count++;
    else this.byCode.set(code, { count: 1, where, what });
  }

  problems(content: string, file: string): Problem[] {
    return [...this.byCode].map(([code, issue]) => {
      const { line, column } = locatePath(content, issue.where);
      const others = issue.count > 1 ? ` (and ${issue.count - 1} more like it)` : '';
      return {
        severity: 'error',
        code: `${CODE}.${code}`,
        message: `${file}:${line}:${column}: ${issue.what}${others}`,
        file,
        line,
        column,
        hint: 'The lockfile is damaged or was edited by hand: regenerate it with `npm install` and scan again.',
      };
    });
  }
}

/**
 * Position of the last key of `path`, each key searched as `"key":` after the previous one, or 1:1 when the
 * file does not write them that way (escapes). Approximate by design: it is only run for an error message.
 */
export function locatePath(content: string, path: readonly string[]): { line: number; column: number } {
  let from = 0;
  let found = -1;
  for (const key of path) {
    found = findKey(content, JSON.stringify(key), from);
    if (found < 0) return { line: 1, column: 1 };
    from = found + 1;
  }
  return found < 0 ? { line: 1, column: 1 } : positionAt(content, found);
}

function findKey(content: string, quoted: string, from: number): number {
  for (let at = content.indexOf(quoted, from); at >= 0; at = content.indexOf(quoted, at + 1)) {
    let next = at + quoted.length;
    while (next < content.length && /\s/.test(content[next]!)) next++;
    if (content[next] === ':') return at;
  }
  return -1;
}
