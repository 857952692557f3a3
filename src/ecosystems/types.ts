import type { DependencyGraph } from '../core/graph.js';
import type { ProjectManifest } from '../core/inventory.js';
import type { ComponentFacts, Ecosystem, Problem } from '../core/model.js';
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

/**
 * One ecosystem behind one registry line (`src/ecosystems/index.ts`): the file names it reads, and a
 * scan that turns those files into projects and dependency graphs. Parsing is pure; the reader is the
 * only I/O it is handed.
 */
export interface EcosystemPlugin {
  id: Ecosystem;
  manifestNames: readonly string[];
  scan(manifests: readonly string[], reader: SubjectReader): Promise<EcosystemScan>;
  /** Looks up what the lockfiles do not say (licenses, registry facts), when the run allows the network or a cache. */
  resolveFacts?(graphs: readonly DependencyGraph[], context: FactsContext): Promise<ResolvedFacts>;
}

/** What a resolver needs to look facts up: the HTTP layer, the subject (for its config files), the run's clock. */
export interface FactsContext {
  client: HttpClient;
  reader: SubjectReader;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  now: Date;
  /** The `--registry` flag. */
  registry?: string;
}

export interface ResolvedFacts {
  /** By purl. */
  facts: Map<string, ComponentFacts>;
  problems: Problem[];
}
