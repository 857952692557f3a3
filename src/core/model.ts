/**
 * The inventory model (DESIGN.md section 3). Every output format renders this and only this;
 * `inventory.schema.json` describes it exactly.
 */

export const INVENTORY_SCHEMA_VERSION = '1.0.0';

export type Ecosystem = 'npm' | 'maven';

/**
 * How a dependency is reached from a project: shipped and used at run time, optional, as a peer (npm),
 * provided by the platform at run time (Maven `provided` and `system`), or only to build and test
 * (npm devDependencies, Maven `test`).
 */
export type Scope = 'runtime' | 'optional' | 'peer' | 'provided' | 'dev';
export const SCOPES: readonly Scope[] = ['runtime', 'optional', 'peer', 'provided', 'dev'];

export type Severity = 'error' | 'warning' | 'info';

/** Anything that could not be read, parsed or resolved. Data in the report, never a crash, never a silent drop. */
export interface Problem {
  severity: Severity;
  /** Stable machine-readable code, e.g. `npm.lockfile.invalid-json`. */
  code: string;
  message: string;
  /** Name of the subject the file belongs to. */
  subject?: string;
  /** Subject-relative POSIX path of the file concerned, when there is one. */
  file?: string;
  line?: number;
  column?: number;
  /** What the user can do about it. */
  hint?: string;
}

/**
 * Where a license came from: a manifest or lockfile, an installed copy, a registry document, a POM of the
 * parent chain, the text of a license file, GitHub's detection, or a curation in the policy.
 */
export type LicenseSource =
  'lockfile' | 'node_modules' | 'package.json' | 'registry' | 'pom' | 'license-file' | 'github' | 'curation';

/** License families, from the least to the most demanding; `unknown` when nothing can be concluded. */
export const LICENSE_CATEGORIES = [
  'public-domain',
  'permissive',
  'weak-copyleft',
  'strong-copyleft',
  'network-copyleft',
  'proprietary',
  'unknown',
] as const;
export type LicenseCategory = (typeof LICENSE_CATEGORIES)[number];

/**
 * How the declared values became the SPDX expression: already valid SPDX, a deprecated or misspelt id
 * corrected, a row of the shipped alias table, an organisation mapping from the configuration, a license
 * file's text, or a curation.
 */
export type LicenseMapping = 'spdx' | 'corrected' | 'alias' | 'organisation' | 'license-file' | 'curation';

export interface ComponentLicense {
  /** `known` when every declared value maps to SPDX; `unknown` says why not in `reason`. */
  status: 'known' | 'unknown';
  /** The raw declared values, as found (control characters removed, very long values cut). */
  declared: string[];
  /**
   * The concluded SPDX expression. A value no table maps stays in it as `LicenseRef-unmapped-...`, so that
   * `Apache-2.0 OR <unmapped>` still passes a policy that allows Apache-2.0.
   */
  expression?: string;
  category?: LicenseCategory;
  /** How each declared value was mapped, in the order of `declared`. */
  mappings?: LicenseMapping[];
  /** Declared values that nothing maps: the work queue of the alias table. */
  unmapped?: string[];
  source?: LicenseSource;
  /**
   * Subject-relative path of the file that declared it, the URL of the registry document, or for Maven
   * the POM (its URL, or its path in the scanned tree) of the artifact or of the parent that declared it.
   */
  evidence?: string;
  /** A curation's reason, when the policy set this license. */
  curated?: { reason: string; previous?: string };
  reason?: string;
}

/** A license found by reading a license file's text and comparing it with the SPDX license texts. */
export interface DetectedLicense {
  /** SPDX id (or expression when the file holds several texts). */
  expression: string;
  /** Subject-relative path of the file. */
  file: string;
  /** 0..1: how much of the file's text matches the SPDX text. */
  confidence: number;
}

/** A first-party project's own license: what its manifests declare, what its files and GitHub say. */
export interface ProjectLicense extends ComponentLicense {
  detected: DetectedLicense[];
  /** The SPDX id GitHub detected for the repository, for a project at the root of a GitHub subject. */
  github?: string;
  /** Set when the declared and detected licenses disagree, saying how. */
  conflict?: string;
}

/** What the package registry says about the component's version (npm: the packument). */
export interface RegistryFacts {
  status: 'found';
  /** URL of the document the facts were read from, without credentials. */
  document: string;
  /** The deprecation message of this version ('' when deprecated without one). */
  deprecated?: string;
  repository?: { url: string; directory?: string };
  homepage?: string;
  funding: string[];
  /** How many maintainers the package has: counted, never named. */
  maintainers?: number;
  publishedAt?: string;
  /** The `latest` dist-tag; `deprecated` holds its deprecation message when the latest version is deprecated too. */
  latest?: { version: string; publishedAt?: string; deprecated?: string };
  /** The most recent publication of any version (not only `latest`: a fix on an older line counts). */
  lastReleaseAt?: string;
  releasesLast12Months?: number;
}

/** The registry could not tell: offline with nothing cached, not found, unreachable, or a malformed answer. */
export interface RegistryMissing {
  status: 'missing';
  reason: string;
  /**
   * Set when the registry itself says the package or this version was published and then removed (npm:
   * `time.unpublished`, or a version in `time` but not in `versions`): when, if it says. A plain 404 never
   * sets it: a private package answers 404 too.
   */
  unpublished?: { at?: string };
}

/** Maintenance health classes, from the worst to the best; `UNKNOWN` when there is not enough data to tell. */
export const HEALTH_CLASSES = ['EOL', 'ABANDONED', 'AT_RISK', 'MAINTAINED', 'HEALTHY', 'UNKNOWN'] as const;
export type HealthClass = (typeof HEALTH_CLASSES)[number];

/**
 * The classes in the order a reader sorts them, the worst first: what has no data (UNKNOWN) comes before
 * what is known to be alive, never with the healthy ones.
 */
export const HEALTH_SEVERITY: readonly HealthClass[] = [
  'EOL',
  'ABANDONED',
  'AT_RISK',
  'UNKNOWN',
  'MAINTAINED',
  'HEALTHY',
];

/** The classes whose components need a plan B: they get every plan-B source. */
export const NEEDS_PLAN_B: ReadonlySet<HealthClass> = new Set<HealthClass>(['EOL', 'ABANDONED', 'AT_RISK']);

/** The component's source repository, normalised (https://host/owner/name, no .git), with how sure we are. */
export interface SourceRepository {
  url: string;
  host: string;
  owner?: string;
  name?: string;
  directory?: string;
  confidence: 'high' | 'medium' | 'low';
  /** Where it was read: `npm repository`, `pom scm/url (groupId:artifactId:version)`, `pom url`, `homepage`, `first-party`. */
  from: string;
}

/** What the source repository says (GitHub GraphQL), read at `readAt`. People are counted, never named. */
export interface RepositorySignals {
  /** `missing` says why in `reason`: not GitHub, not found, no token, offline... */
  status: 'found' | 'missing';
  reason?: string;
  readAt: string;
  archived?: boolean;
  disabled?: boolean;
  pushedAt?: string | null;
  lastCommitAt?: string | null;
  commitsLast90Days?: number;
  commitsLast365Days?: number;
  activeCommittersLast12Months?: number;
  lastReleaseAt?: string | null;
  lastReleaseTag?: string | null;
  securityPolicy?: boolean;
  fundingLinks?: number;
}

/** Maven repository facts (maven-metadata.xml and the POMs), like RegistryFacts for npm. */
export interface MavenRepositoryFacts {
  status: 'found';
  /** URL of the maven-metadata.xml read, without credentials. */
  document: string;
  latest?: string;
  release?: string;
  /** The metadata's `lastUpdated`, as an ISO 8601 date-time. */
  lastUpdated?: string;
  /** How many versions the metadata lists. */
  versions: number;
  releasesLast12Months?: number;
  /** When the used version was published. */
  publishedAt?: string;
  /** When the latest release was published. */
  latestPublishedAt?: string;
  /** The POM's distributionManagement/relocation, of the used version or of the latest release. */
  relocation?: { groupId?: string; artifactId?: string; version?: string; message?: string };
}

/** Why a component got its health class, with the values behind it. */
export interface HealthReason {
  code: string;
  message: string;
  values?: Record<string, string | number | boolean | null>;
}

/** The organisation's exposure to a component. */
export interface HealthExposure {
  projects: number;
  directProjects: number;
  runtimeProjects: number;
  devOnly: boolean;
}

export interface Health {
  class: HealthClass;
  reasons: HealthReason[];
  /** 0-100, for sorting only. */
  score: number;
  /** Plan-B priority: higher first (a dying runtime dependency used by many projects first). */
  priority: number;
  exposure: HealthExposure;
  /** When the signals were read (the run's time). */
  assessedAt: string;
}

/** Facts a resolver gathered for one component, applied when the inventory is assembled. */
export interface ComponentFacts {
  license?: ComponentLicense;
  registry?: RegistryFacts | RegistryMissing;
  /** Maven metadata and POM facts, read for health (src/ecosystems/maven/metadata.ts). */
  mavenRepository?: MavenRepositoryFacts | RegistryMissing;
  /** Where the source lives, when the resolver read it (Maven: the effective POM's scm and url). */
  sourceRepository?: SourceRepository;
}

/** One place that brings a component in. */
export interface Usage {
  project: string;
  /** The manifest (lockfile or package.json) that records the dependency. */
  manifest: string;
  scopes: Scope[];
  direct: boolean;
  /** The version range as declared, for direct dependencies. */
  requested?: string;
  /** One shortest dependency path from the project to the component, as `name@version` strings, both ends included. */
  path: string[];
  /**
   * Where the project's manifest declares the direct dependency that brings the component in (the
   * component itself when direct): the subject-relative package.json or pom.xml (a parent POM of the
   * tree for an inherited dependency) and the 1-based line. Absent when no manifest line is known.
   */
  declaredAt?: DeclarationSite;
}

/** A line of a subject's file: the subject-relative path and the 1-based line. */
export interface DeclarationSite {
  file: string;
  line: number;
}

export interface Component {
  /** Package URL; also the component's identity and its CycloneDX bom-ref. */
  purl: string;
  ecosystem: Ecosystem;
  /** Namespace (npm scope with its `@`, Maven groupId) when there is one. */
  group?: string;
  name: string;
  /** Resolved version, or the declared range when nothing is locked (`locked: false`). */
  version: string;
  locked: boolean;
  /** Union of the scopes of every usage. */
  scopes: Scope[];
  /** True when at least one project depends on it directly. */
  direct: boolean;
  /** Where it comes from: registry, git, tarball, file, link. */
  sourceKind: SourceKind;
  resolved?: string;
  integrity?: string;
  license: ComponentLicense;
  /** Registry facts, when registry lookups ran for this component. */
  registry?: RegistryFacts | RegistryMissing;
  /** purls of the components it depends on. */
  dependsOn: string[];
  usedBy: Usage[];
  /** Ids of the scanned projects that build this component: an internal dependency. */
  builtBy?: string[];
  /** What Maven says of the artifact, for a Maven component. */
  maven?: MavenFacts;
  /** Where the component's source lives. */
  sourceRepository?: SourceRepository;
  /** What the source repository says, when it was read. */
  repositorySignals?: RepositorySignals;
  /** What the Maven repository's metadata and POMs say, for a Maven component. */
  mavenRepository?: MavenRepositoryFacts | RegistryMissing;
  /** Maintenance health, when it was assessed. */
  health?: Health;
  /** What to switch to, or how to survive (src/core/planb.ts), when health was assessed. */
  planB?: PlanB;
}

/** Plan-B option kinds: another package, a fork, a newer version, a platform feature, removal, or a survival plan. */
export const PLANB_KINDS = [
  'successor',
  'maintained-fork',
  'upgrade',
  'native',
  'alternative',
  'remove',
  'survive',
] as const;
export type PlanBKind = (typeof PLANB_KINDS)[number];

/** How sure an option is, from the most to the least. */
export const PLANB_CONFIDENCES = ['authoritative', 'curated', 'inferred', 'suggested'] as const;
export type PlanBConfidence = (typeof PLANB_CONFIDENCES)[number];

export interface PlanBOption {
  kind: PlanBKind;
  /** The package to switch to, as a purl (with a version when one is named). */
  target?: string;
  /** A platform feature (`native`) or a survival plan (`survive`), or a note on the target. */
  label?: string;
  confidence: PlanBConfidence;
  /** Where the option comes from: `maven relocation`, `npm deprecation`, `configuration (planB.decisions[0])`... */
  source: string;
  /** A URL or the quoted text that says so. */
  evidence?: string;
  effort?: 'low' | 'medium' | 'high';
  /** The target's license (SPDX expression), as the inventory or the target's registry gives it. */
  targetLicense?: string;
  /**
   * `target-unhealthy`, `license-family-differs`; and, kept only on an organisation's decision (otherwise
   * the option is dropped), `target-end-of-life` and `target-not-found`.
   */
  flags?: string[];
}

export interface PlanB {
  /**
   * `options`: at least one way out other than surviving; `none-found`: the component needs one and only
   * survival plans are known; `not-needed`: a healthy component with nothing known.
   */
  status: 'options' | 'not-needed' | 'none-found';
  /** Best first: the organisation's decisions, authoritative, curated, then survival plans. */
  options: PlanBOption[];
}

export interface MavenFacts {
  /** The dependency type (`jar`, `test-jar`, `pom`, `lutece-plugin`...). */
  type: string;
  classifier?: string;
  /** The Maven scopes (compile, runtime, provided, test, system) through which any project reaches it. */
  scopes: string[];
  /** True when every project reaches it only as an optional dependency. */
  optional: boolean;
}

export type SourceKind = 'registry' | 'git' | 'tarball' | 'file' | 'link' | 'unknown';

/** First-party code: a package.json (or later a pom.xml or repository) of what is scanned. */
export interface Project {
  /** `SUBJECT:PATH`, PATH being the project's folder relative to the subject (`.` for its root). */
  id: string;
  subject: string;
  path: string;
  ecosystem: Ecosystem;
  name?: string;
  version?: string;
  /** The project's own license: declared, detected from its files, concluded. */
  license?: ProjectLicense;
  /** Subject-relative paths of the manifests that describe it (package.json and the lockfiles that cover it). */
  manifests: string[];
  /** False when no lockfile covers it: its dependencies are declared ranges, not what gets installed. */
  locked: boolean;
  /** Workspace root (npm) or aggregator POM (Maven) this project is a member of, by project id. */
  workspaceRoot?: string;
  /** purls of what the project builds and publishes (its package name and version, its Maven coordinates). */
  publishes?: string[];
  /** purls of its direct dependencies. */
  dependsOn: string[];
  /** Maintenance health of the project's own repository, for a project of a GitHub subject. */
  health?: Health;
}

export interface Subject {
  /** Name used in project ids; unique within one inventory (`owner/name` for a GitHub repository). */
  name: string;
  type: 'directory' | 'github';
  /** The location as the user gave it, or the repository's web page. */
  location: string;
  /** What GitHub says of the repository, for a GitHub subject. */
  repository?: RepositoryFacts;
}

export interface RepositoryFacts {
  defaultBranch: string;
  /** The ref that was read, and its commit (null when nothing could be read: an empty repository). */
  ref: string;
  headSha: string | null;
  archived: boolean;
  fork: boolean;
  pushedAt: string | null;
  /** The SPDX id GitHub detected (`NOASSERTION` for a license it cannot name), or null. */
  license: string | null;
  topics: string[];
  description: string | null;
  /** Who can see it, as GitHub says; `internal`: the members of the enterprise. */
  visibility?: RepositoryVisibility;
}

export type RepositoryVisibility = 'public' | 'private' | 'internal';

export interface ScanStats {
  manifestsRead: number;
  /**
   * What each exclude pattern skipped: folders pruned and manifests left unread. node_modules and .git
   * are pruned without being read, so their manifests are not counted.
   */
  excluded: { subject: string; pattern: string; folders: number; manifests: number }[];
}

/** Requests made to one host during the run (see src/net). */
export interface NetworkLedgerEntry {
  host: string;
  /** Requests put on the wire (retries included). */
  sent: number;
  /** Answers served from the disk cache with no request. */
  fromCache: number;
  /** Conditional requests answered 304. */
  revalidated: number;
  /** Requests that ended in a failure. */
  failed: number;
  /** Retries (each one also counts in `sent`). */
  retried: number;
  /** Response body bytes received from the network. */
  bytes: number;
}

/** How the run went. Unlike the rest of the inventory it depends on the cache, so it differs between runs. */
export interface RunInfo {
  offline: boolean;
  network: NetworkLedgerEntry[];
  /** Set when the inventory was restricted to these scopes (`--scope`). */
  scopes?: Scope[];
}

export interface Inventory {
  schemaVersion: string;
  /** ISO 8601 UTC; from SOURCE_DATE_EPOCH when set so that runs are reproducible. */
  generatedAt: string;
  tool: { name: string; version: string };
  run: RunInfo;
  subjects: Subject[];
  stats: ScanStats;
  projects: Project[];
  components: Component[];
  problems: Problem[];
}
