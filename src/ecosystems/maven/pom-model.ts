/**
 * A POM as Maven reads it (RawPom: one file, nothing inherited or interpolated) and as Maven builds it
 * (EffectiveModel: parents merged, profiles applied, properties interpolated, BOMs imported, management
 * applied). Values keep `${...}` until interpolation; every element keeps its line for problems.
 */

export interface Coordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

/** Where a value was declared: the POM file (subject path or repository URL) and line. */
export interface Origin {
  pom: string;
  line: number;
}

export interface ParentRef {
  groupId?: string;
  artifactId?: string;
  version?: string;
  /** As written; undefined when absent (Maven's default `../pom.xml`), '' when explicitly empty (no lookup). */
  relativePath?: string;
  line: number;
}

export interface Exclusion {
  groupId: string;
  artifactId: string;
}

export interface Dependency {
  groupId?: string;
  artifactId?: string;
  version?: string;
  /** Default `jar`. */
  type?: string;
  classifier?: string;
  scope?: string;
  /** `true`/`false` as written (it may be a `${property}`). */
  optional?: string;
  systemPath?: string;
  exclusions: Exclusion[];
  line: number;
}

export interface Repository {
  id?: string;
  url?: string;
  /** `releases.enabled` / `snapshots.enabled`, as written. */
  releases?: string;
  snapshots?: string;
  line: number;
}

export interface License {
  name?: string;
  url?: string;
  distribution?: string;
  comments?: string;
  line: number;
}

export interface Scm {
  url?: string;
  connection?: string;
  developerConnection?: string;
  tag?: string;
}

export interface Relocation {
  groupId?: string;
  artifactId?: string;
  version?: string;
  message?: string;
}

export interface Activation {
  activeByDefault?: string;
  jdk?: string;
  property?: { name?: string; value?: string };
  os?: { name?: string; family?: string; arch?: string; version?: string };
  file?: { exists?: string; missing?: string };
}

/** The parts of a profile that change the dependency model. */
export interface Profile {
  id?: string;
  activation?: Activation;
  properties: Map<string, string>;
  dependencies: Dependency[];
  dependencyManagement: Dependency[];
  repositories: Repository[];
  modules: string[];
  line: number;
}

export interface RawPom {
  /** Where it was read from (subject-relative path, or the repository URL). */
  source: string;
  modelVersion?: string;
  groupId?: string;
  artifactId?: string;
  version?: string;
  packaging?: string;
  name?: string;
  description?: string;
  url?: string;
  parent?: ParentRef;
  properties: Map<string, string>;
  dependencies: Dependency[];
  dependencyManagement: Dependency[];
  profiles: Profile[];
  modules: string[];
  repositories: Repository[];
  pluginRepositories: Repository[];
  licenses: License[];
  scm?: Scm;
  organization?: { name?: string; url?: string };
  /** Counted, never listed: a count is all the inventory needs and names are personal data. */
  developers: number;
  contributors: number;
  relocation?: Relocation;
  /** `child.project.url.inherit.append.path` and the scm equivalent, as written. */
  inheritAppendPath: { url?: string; scm?: string };
}
