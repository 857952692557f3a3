/**
 * A POM as Maven builds it: the parent chain merged, active profiles injected, `${...}` interpolated,
 * import-scoped BOMs expanded and dependencyManagement applied. Every list element says which POM
 * declared it, so a license or a version can be traced to its file.
 */
import type { Problem } from '../../core/model.js';
import type { PomOrigin } from './pom-loader.js';
import type { Coordinates, Exclusion, License, Relocation, Repository, Scm } from './pom-model.js';

/** One POM of the parent chain. */
export interface ParentLink {
  /** Its own coordinates (groupId/version from its own parent when it does not declare them), interpolated. */
  coordinates: Coordinates;
  origin: PomOrigin;
  /** Its source (subject-relative path or URL), as the POM's `source`. */
  source: string;
  /** Set when the loader served a first-party POM whose version differs from the one asked for. */
  versionAskedFor?: string;
}

/** Where dependencyManagement supplied a value: the managing entry. */
export interface ManagementSource {
  declaredIn: string;
  line: number;
  /** The chain of imported BOMs (`groupId:artifactId:version`) the managing entry came through, outermost first. */
  importedFrom?: string[];
}

export interface EffectiveDependency {
  groupId: string;
  artifactId: string;
  /** As declared or managed; may be a range. Undefined when nothing gives one (a problem names its line). */
  version?: string;
  /** Default `jar`. */
  type: string;
  classifier?: string;
  /** Default `compile`. */
  scope: string;
  optional: boolean;
  systemPath?: string;
  exclusions: Exclusion[];
  line: number;
  /** Source of the POM that declared it (the POM itself, a parent, or one of their active profiles). */
  declaredIn: string;
  /** Set when dependencyManagement supplied the version. */
  managedBy?: ManagementSource;
}

export interface ManagedDependency {
  groupId: string;
  artifactId: string;
  version?: string;
  type: string;
  classifier?: string;
  /** Only when declared: management has no default scope. */
  scope?: string;
  optional?: boolean;
  systemPath?: string;
  exclusions: Exclusion[];
  line: number;
  declaredIn: string;
  /** For an entry imported from a BOM: the chain of BOMs (`groupId:artifactId:version`) it came through, outermost first. */
  importedFrom?: string[];
}

/** An import-scoped BOM of the effective dependencyManagement. */
export interface ImportedBom {
  /** As declared (interpolated); `version` may be a range. */
  coordinates: Coordinates;
  declaredIn: string;
  line: number;
  /** Where the loader found it; absent when it could not be resolved or built (a problem says why). */
  origin?: PomOrigin;
  /** The version the loader picked, when it differs from the declared one (a range). */
  resolvedVersion?: string;
}

export interface EffectiveRepository extends Repository {
  /** Source of the POM that declared it; `maven:super-pom` for Maven Central. */
  declaredIn: string;
}

export interface EffectiveLicense extends License {
  /** Source of the POM of the chain that declared the licenses (the nearest that declares any). */
  declaredIn: string;
}

export interface ActiveProfile {
  id: string;
  declaredIn: string;
}

export interface EffectiveModel {
  /** The POM's source (subject-relative path or URL). */
  source: string;
  origin: PomOrigin;
  /** Interpolated; groupId and version from the parent when absent; '' when unknown (a problem says so). */
  coordinates: Coordinates;
  /** Default `jar`. */
  packaging: string;
  name?: string;
  description?: string;
  /** Nearest first. Stops at the first parent that could not be resolved (a problem says so). */
  parents: ParentLink[];
  /**
   * False when the chain stopped early (a parent that could not be loaded, a cycle, the depth limit): what
   * the missing parents would have added (managed versions, licenses, properties) is missing.
   */
  parentChainComplete: boolean;
  /** Effective: the chain's properties merged (child wins), then interpolated where possible. */
  properties: Map<string, string>;
  dependencies: EffectiveDependency[];
  /** Own and inherited entries first, then those of imported BOMs (the first declaration wins). */
  dependencyManagement: ManagedDependency[];
  /** The import-scoped BOMs, in declaration order; their entries are in `dependencyManagement`. */
  imports: ImportedBom[];
  /** Own and active profiles', then the parents', Maven Central (the super POM's) last; the first of an id wins. */
  repositories: EffectiveRepository[];
  /** From the nearest POM of the chain that declares any: Maven does not merge license lists. */
  licenses: EffectiveLicense[];
  url?: string;
  scm?: Scm;
  organization?: { name?: string; url?: string };
  /** Counted, never listed. */
  developers: number;
  contributors: number;
  relocation?: Relocation;
  /** Own and active profiles' modules, as written (interpolated): modules are not inherited. */
  modules: string[];
  /** Profiles active in the POM and its parents, the POM's first. */
  activeProfiles: ActiveProfile[];
  /** Which POM of the chain wrote the `url` and `scm` URLs the model has: how sure a repository URL is. */
  sourceDeclarations?: SourceDeclaration[];
  problems: Problem[];
}

/** The nearest POM of the parent chain that writes one of the URL fields. */
export interface SourceDeclaration {
  field: 'url' | 'scm.url' | 'scm.connection' | 'scm.developerConnection';
  /** 0: this POM; 1: its parent (`parents[0]`); ... */
  depth: number;
  /** As that POM wrote it, before interpolation and before inheritance appended the child's folder. */
  raw: string;
}
