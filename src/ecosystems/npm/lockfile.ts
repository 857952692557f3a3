import type { DependencyGraph } from '../../core/graph.js';
import type { PackageJson } from './package-json.js';

/** What a lockfile parser knows besides the lockfile: the package.json files it covers. */
export interface LockfileContext {
  /** The package.json next to the lockfile, when there is one. */
  root?: PackageJson;
  /** Workspace members of the root, by folder relative to the lockfile's folder (POSIX, no `./`). */
  workspaces: ReadonlyMap<string, PackageJson>;
}

/** Pure: lockfile content and its subject-relative path in, dependency graph out. Never throws. */
export type LockfileParser = (content: string, file: string, context: LockfileContext) => DependencyGraph;
