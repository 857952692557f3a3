import type { DependencyGraph, EdgeKind } from '../../core/graph.js';
import { dirname, join } from '../../core/paths.js';

export const DEPENDENCY_SECTIONS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'devDependencies',
] as const;
export type DependencySection = (typeof DEPENDENCY_SECTIONS)[number];

/** The 1-based line of each key of each dependency section of a package.json. */
export type DeclarationLines = ReadonlyMap<DependencySection, ReadonlyMap<string, number>>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSection = (key: string): key is DependencySection =>
  (DEPENDENCY_SECTIONS as readonly string[]).includes(key);

/**
 * Finds where each dependency of a package.json is declared, in one pass over the text that tracks
 * strings and nesting. Meant for text that JSON.parse accepted; on anything else it returns what it
 * found so far and never throws. Like JSON.parse, the last of duplicated keys wins.
 */
export function locateDeclarations(content: string): DeclarationLines {
  const sections = new Map<DependencySection, Map<string, number>>();
  // One entry per open container: true for an object. Only the first two levels matter, but the stack
  // keeps the count right below them.
  const objects: boolean[] = [];
  let expectKey = false;
  let rootKey: string | undefined;
  let section: Map<string, number> | undefined;
  let line = 1;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === NEWLINE) line++;
    else if (c === QUOTE) {
      const end = closingQuote(content, i + 1);
      if (end < 0) break;
      if (expectKey) {
        const depth = objects.length;
        if (depth === 1 || (depth === 2 && section)) {
          const key = decodeKey(content.slice(i + 1, end));
          if (depth === 1) rootKey = key;
          else if (key !== undefined) section!.set(key, line);
        }
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const object = c === OPEN_OBJECT;
      if (objects.length === 1 && object && rootKey !== undefined && isSection(rootKey)) {
        section = new Map();
        sections.set(rootKey, section);
      }
      objects.push(object);
      expectKey = object;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      objects.pop();
      if (objects.length === 1) section = undefined;
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = objects[objects.length - 1] === true;
    } else if (c === COLON) {
      expectKey = false;
      // A later duplicate of a section replaces it, whatever its value, as in JSON.parse.
      if (objects.length === 1 && rootKey !== undefined && isSection(rootKey)) sections.delete(rootKey);
    }
  }
  return sections;
}

/** Index of the quote that closes a string whose content starts at `from`, or -1. */
function closingQuote(content: string, from: number): number {
  for (let i = from; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
    else if (c === NEWLINE) return -1;
  }
  return -1;
}

/** The key as JSON.parse reads it: escapes decoded. */
function decodeKey(raw: string): string | undefined {
  if (!raw.includes('\\')) return raw;
  try {
    const value: unknown = JSON.parse(`"${raw}"`);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Sections to look in for an edge of this kind, the likeliest first (npm moves optional peers to optional). */
const SECTIONS_BY_KIND: Record<EdgeKind, readonly DependencySection[]> = {
  runtime: ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'],
  optional: ['optionalDependencies', 'peerDependencies', 'dependencies', 'devDependencies'],
  peer: ['peerDependencies', 'dependencies', 'optionalDependencies', 'devDependencies'],
  dev: ['devDependencies', 'dependencies', 'optionalDependencies', 'peerDependencies'],
  provided: ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'],
};

/** The line declaring `name` in the section the edge kind comes from, else in any section. */
export function declarationLine(lines: DeclarationLines, name: string, kind: EdgeKind): number | undefined {
  for (const section of SECTIONS_BY_KIND[kind]) {
    const line = lines.get(section)?.get(name);
    if (line !== undefined) return line;
  }
  return undefined;
}

/**
 * Sets `declaredAt` on every importer edge of the graph from the importer's own package.json: a
 * workspace member's edges point at the member's file, not at the lockfile's.
 */
export function addDeclarationSites(
  graph: DependencyGraph,
  linesOf: (folder: string) => DeclarationLines | undefined,
): void {
  const lockfileFolder = dirname(graph.manifest);
  for (const importer of graph.importers) {
    const folder = join(lockfileFolder, importer.path);
    const lines = linesOf(folder);
    if (!lines) continue;
    const file = join(folder, 'package.json');
    for (const edge of importer.edges) {
      const line = declarationLine(lines, edge.name, edge.kind);
      if (line !== undefined) edge.declaredAt = { file, line };
    }
  }
}
