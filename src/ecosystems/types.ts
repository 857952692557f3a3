import type { DependencyGraph } from '../core/graph.js';
import type { ProjectManifest } from '../core/inventory.js';
import type { ComponentFacts, Ecosystem, NetworkLedgerEntry, Problem } from '../core/model.js';
import type { TargetFacts, TargetRef } from '../core/planb.js';
import type { HttpClient } from '../net/types.js';

/** Read access to the scanned subject, by subject-relative POSIX path. Rejects paths that leave it. */
export interface SubjectReader {
  read(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
}

export interface EcosystemScan {
  projects: ProjectManifest[];
  graphs: DependencyGraph[];
  problems: Problem[];
}

/** One subject's manifests for one ecosystem, and read access to the subject. */
export interface SubjectFiles {
  /** The subject's name (it prefixes project ids). */
  name: string;
  /** Subject-relative paths of this ecosystem's manifests, sorted. */
  manifests: readonly string[];
  reader: SubjectReader;
}

/** The network side of a run: the HTTP layer and what configures registries. */
export interface NetworkContext {
  client: HttpClient;
  /** A client like `client` whose proxies come from this environment instead (Maven settings.xml proxies). */
  withProxies(env: Readonly<Record<string, string>>): HttpClient;
  /** The requests of every client of the run, per host. */
  ledger(): NetworkLedgerEntry[];
  offline: boolean;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** The `--registry` flag. */
  registry?: string;
}

/** Maven's settings for a run. */
export interface MavenScanOptions {
  /** settings.xml to use (default ~/.m2/settings.xml when it exists). */
  settingsFile?: string;
  /** The Java version JDK-activated profiles are checked against (default 17). */
  javaVersion?: string;
  /** Read plain-http repositories over http when https fails (Maven 3.8+ refuses). */
  allowHttp?: boolean;
}

export interface ScanContext {
  /** Every subject of the run, so that an artifact one subject builds serves another as first party. */
  subjects: readonly SubjectFiles[];
  /** Absent when the run does no lookups. */
  network?: NetworkContext;
  /** The run's clock. */
  now: Date;
  maven?: MavenScanOptions;
  /**
   * Gather the facts maintainer health needs beyond licenses (Maven metadata, the latest version's POM).
   * Absent or false: those lookups are skipped (`--no-health`).
   */
  health?: boolean;
}

/**
 * One ecosystem behind one registry line (`src/ecosystems/index.ts`): the file names it reads, a scan
 * that turns one subject's files into projects and dependency graphs (parsing is pure; the reader and,
 * where the ecosystem needs them to build its model, the network are its only I/O), and a resolver that
 * looks up what the files do not say.
 */
export interface EcosystemPlugin {
  id: Ecosystem;
  manifestNames: readonly string[];
  scan(subject: SubjectFiles, context: ScanContext): Promise<EcosystemScan>;
  /** Licenses and registry facts for the scanned graphs, when the run allows the network or a cache. */
  resolveFacts?(
    graphs: readonly DependencyGraph[],
    subject: SubjectFiles,
    context: ScanContext & { network: NetworkContext },
  ): Promise<ResolvedFacts>;
  /**
   * What the registry says of packages that plan B names and the inventory does not hold (their latest
   * version, or the one named), by TargetRef.key. Never rejects: a failure is an `unknown` description.
   */
  describePackages?(
    refs: readonly TargetRef[],
    context: ScanContext & { network: NetworkContext },
  ): Promise<PackagesDescribed>;
}

export interface PackagesDescribed {
  /** By TargetRef.key. */
  descriptions: Map<string, PackageDescription>;
  /** What reading the registry settings met (a malformed `.npmrc`, a repository notice). */
  problems: Problem[];
}

/** TargetFacts as a registry gives them: the license as declared, before it is mapped to SPDX. */
export type PackageDescription =
  | Exclude<TargetFacts, { status: 'found' }>
  | (Omit<Extract<TargetFacts, { status: 'found' }>, 'license'> & { declaredLicenses: string[] });

export interface ResolvedFacts {
  /** By purl. */
  facts: Map<string, ComponentFacts>;
  problems: Problem[];
}
