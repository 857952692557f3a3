import type { Problem } from '../../core/model.js';
import type { Coordinates, RawPom, Repository } from './pom-model.js';

/** Where a POM came from: the scanned tree (first party), the local repository (~/.m2) or a remote repository. */
export type PomOrigin =
  | { kind: 'tree'; path: string }
  | { kind: 'local-repository'; path: string }
  | { kind: 'repository'; url: string; repositoryId?: string };

export interface LoadedPom {
  pom: RawPom;
  origin: PomOrigin;
  /**
   * Set when the POM is a first-party one from the tree whose version differs from the one asked for
   * (e.g. the range `[8.0.0-SNAPSHOT,)` satisfied by the tree's 8.0.2-SNAPSHOT).
   */
  versionAskedFor?: string;
}

export type PomLookup = { ok: true; loaded: LoadedPom } | { ok: false; problem: Problem; tried: string[] };

/**
 * How the effective-model builder gets other POMs. It is the builder's only I/O: the tree (for
 * `relativePath` parents and sibling modules) and the Maven repositories (through src/net). The
 * builder stays pure given a loader; tests give it one over fixture files.
 */
export interface PomLoader {
  /** The POM at a subject-relative path, parsed; `undefined` when there is no file there. */
  fromTree(path: string): Promise<{ ok: true; pom: RawPom } | { ok: false; problem: Problem } | undefined>;
  /**
   * The POM of an artifact: first party from the tree when the tree builds it, else the local repository,
   * else the given repositories in order (then Maven Central). `version` may be a range: the loader picks
   * the version (tree first, else maven-metadata.xml) and says which in `loaded.pom.version`.
   */
  artifact(coordinates: Coordinates, repositories: readonly Repository[]): Promise<PomLookup>;
}
