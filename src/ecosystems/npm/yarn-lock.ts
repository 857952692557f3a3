import type { DependencyGraph } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import type { LockfileParser } from './lockfile.js';
import { buildBerryGraph } from './yarn-berry.js';
import { buildClassicGraph } from './yarn-classic.js';
import { KeyLines } from './yarn-shared.js';
import { readSyml } from './yarn-syml.js';

/** yarn.lock, classic (v1) or berry (metadata 4 and later), read with yarn's own parser. */
export const parseYarnLock: LockfileParser = (content, file, context) => {
  const read = readSyml(content, file);
  const problems: Problem[] = [...read.problems];
  const doc = read.doc ?? {};
  if (hasIgnoredKey(doc)) problems.push(ignoredKey(file));
  const lines = new KeyLines(content);
  try {
    return read.flavour === 'classic'
      ? buildClassicGraph(doc, file, context, lines, problems)
      : buildBerryGraph(doc, file, context, lines, problems);
  } catch (error) {
    // Only a bug can land here; the contract is still a graph with a problem, never a throw.
    return emptyGraph(file, read.flavour, [...problems, unexpected(file, error)]);
  }
};

/**
 * Yarn's classic reader builds entries with Object.assign, so a `__proto__` key replaces the prototype
 * of the document instead of becoming an entry. Nothing is polluted, but the entry is lost: say so.
 */
function hasIgnoredKey(doc: object): boolean {
  const proto: unknown = Object.getPrototypeOf(doc);
  return proto !== Object.prototype && proto !== null;
}

function ignoredKey(file: string): Problem {
  return {
    severity: 'warning',
    code: 'npm.yarn-lock.ignored-key',
    message: `${file}: an entry named "__proto__" was ignored`,
    file,
    hint: 'No package can be named "__proto__": check where this lockfile comes from.',
  };
}

function emptyGraph(file: string, flavour: string, problems: Problem[]): DependencyGraph {
  return {
    manifest: file,
    format: `yarn ${flavour}`,
    locked: true,
    importers: [],
    nodes: new Map(),
    problems,
  };
}

function unexpected(file: string, error: unknown): Problem {
  return {
    severity: 'error',
    code: 'npm.yarn-lock.unreadable',
    message: `${file}: the lockfile could not be read: ${error instanceof Error ? error.message : String(error)}`,
    file,
    hint: 'Please report this with the lockfile attached.',
  };
}
