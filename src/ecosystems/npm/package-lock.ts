import type { DependencyGraph } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import { basename } from '../../core/paths.js';
import { positionAt } from '../../core/text-position.js';
import { isRecord, parseJson } from './json.js';
import type { LockfileContext, LockfileParser } from './lockfile.js';
import type { LockfileGraphPart, ReadContext } from './package-lock-common.js';
import { CODE, locatePath, ShapeIssues, UnresolvedEdges } from './package-lock-common.js';
import { readPackages } from './package-lock-packages.js';
import { readV1 } from './package-lock-v1.js';

const NEWEST_KNOWN_VERSION = 3;
const VERSION_HINT =
  'npm writes lockfileVersion 1 (npm 5-6), 2 (npm 7-8) or 3 (npm 9 and later): regenerate the lockfile with ' +
  '`npm install --package-lock-only` and scan again.';

/** package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 to 3 (and later ones, read as 3). */
export const parsePackageLock: LockfileParser = (content, file, context) => {
  const base = basename(file) === 'npm-shrinkwrap.json' ? 'npm-shrinkwrap' : 'package-lock';
  const graph: DependencyGraph = {
    manifest: file,
    format: base,
    locked: true,
    importers: [],
    nodes: new Map(),
    problems: [],
  };
  const json = parseJson(content, file, `${CODE}.invalid-json`);
  if (!json.ok) {
    graph.problems.push(json.problem);
    return graph;
  }
  if (!isRecord(json.value)) {
    graph.problems.push(notAnObject(content, file));
    return graph;
  }
  const lock = json.value;
  const read: ReadContext = {
    content,
    file,
    issues: new ShapeIssues(),
    unresolved: new UnresolvedEdges(),
    problems: [],
  };
  const version = lockfileVersion(lock, read);
  graph.format = version === undefined ? `${base} (unknown version)` : `${base} v${version}`;
  const part = readLock(lock, version, context, read);
  if (part) {
    graph.importers = part.importers;
    graph.nodes = part.nodes;
  }
  const unresolved = read.unresolved.problem(file);
  graph.problems = [
    ...read.problems,
    ...read.issues.problems(content, file),
    ...(unresolved ? [unresolved] : []),
  ];
  return graph;
};

/** The lockfileVersion, or undefined (with an error) when it is missing or not a version npm could write. */
function lockfileVersion(lock: Record<string, unknown>, read: ReadContext): number | undefined {
  const value = lock.lockfileVersion;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) {
    if (value > NEWEST_KNOWN_VERSION) read.problems.push(newerVersion(read.file, value, read.content));
    return value;
  }
  const { line, column } =
    value === undefined ? { line: 1, column: 1 } : locatePath(read.content, ['lockfileVersion']);
  const what =
    value === undefined ? 'no "lockfileVersion"' : `unknown "lockfileVersion" ${JSON.stringify(value)}`;
  read.problems.push({
    severity: 'error',
    code: `${CODE}.${value === undefined ? 'missing-version' : 'unknown-version'}`,
    message: `${read.file}:${line}:${column}: ${what}; the entries are read by their shape`,
    file: read.file,
    line,
    column,
    hint: VERSION_HINT,
  });
  return undefined;
}

function newerVersion(file: string, version: number, content: string): Problem {
  const { line, column } = locatePath(content, ['lockfileVersion']);
  return {
    severity: 'info',
    code: `${CODE}.newer-version`,
    message: `${file}:${line}:${column}: lockfileVersion ${version} is newer than ${NEWEST_KNOWN_VERSION}; read as version ${NEWEST_KNOWN_VERSION}`,
    file,
    line,
    column,
    hint: 'Check the components against `npm ls --all` if anything looks missing.',
  };
}

/** Version 1 has a nested `dependencies` tree, version 2 both, version 3 and later only `packages`. */
function readLock(
  lock: Record<string, unknown>,
  version: number | undefined,
  context: LockfileContext,
  read: ReadContext,
): LockfileGraphPart | undefined {
  const identity = {
    name: typeof lock.name === 'string' ? lock.name : undefined,
    version: typeof lock.version === 'string' ? lock.version : undefined,
  };
  const packagesLayout = version === undefined ? lock.packages !== undefined : version >= 2;
  if (packagesLayout && isRecord(lock.packages)) return readPackages(lock.packages, identity, context, read);
  if (packagesLayout) {
    read.problems.push(noPackages(lock, version, read));
    if (!isRecord(lock.dependencies)) return undefined;
  }
  if (lock.dependencies !== undefined && !isRecord(lock.dependencies)) {
    read.issues.add('invalid-dependencies', ['dependencies'], '"dependencies" is not an object');
    return undefined;
  }
  return readV1(isRecord(lock.dependencies) ? lock.dependencies : {}, identity, context, read);
}

function noPackages(lock: Record<string, unknown>, version: number | undefined, read: ReadContext): Problem {
  const missing = lock.packages === undefined;
  const { line, column } = missing ? { line: 1, column: 1 } : locatePath(read.content, ['packages']);
  const fallback = isRecord(lock.dependencies) ? '; read from the legacy "dependencies" tree instead' : '';
  // Version 2 is defined as version 1 plus `packages`: its legacy tree is a complete, if older, description.
  const legacyIsFine = version === 2 && isRecord(lock.dependencies);
  return {
    severity: legacyIsFine ? 'warning' : 'error',
    code: `${CODE}.${missing ? 'missing-packages' : 'invalid-packages'}`,
    message: `${read.file}:${line}:${column}: ${missing ? 'no "packages"' : '"packages" is not an object'}${fallback}`,
    file: read.file,
    line,
    column,
    hint: VERSION_HINT,
  };
}

function notAnObject(content: string, file: string): Problem {
  const first = content.search(/\S/);
  const { line, column } = positionAt(content, first < 0 ? 0 : first);
  return {
    severity: 'error',
    code: `${CODE}.not-an-object`,
    message: `${file}:${line}:${column}: a lockfile must hold a JSON object`,
    file,
    line,
    column,
    hint: 'Regenerate the lockfile with `npm install --package-lock-only` and scan again.',
  };
}
