/**
 * The root project's dependencyManagement as Maven 3's resolver applies it to the graph
 * (ClassicDependencyManager): keyed by `groupId:artifactId:extension:classifier`; for each attribute the
 * first entry that sets it wins; exclusions of all matching entries add up. Versions, scopes, optional
 * flags and system paths are applied to transitive dependencies only (the direct ones got them when the
 * effective model was built); exclusions to every dependency.
 */
import type { ManagedDependency } from './effective-model.js';
import type { Exclusion } from './pom-model.js';
import { artifactType } from './resolve-artifact-types.js';

export interface Managed {
  version?: string;
  scope?: string;
  optional?: boolean;
  systemPath?: string;
  exclusions: Exclusion[];
}

export function conflictKey(groupId: string, artifactId: string, type: string, classifier: string): string {
  return `${groupId}:${artifactId}:${artifactType(type).extension}:${classifier}`;
}

/** The classifier a dependency has: the declared one, else the one its type implies (`test-jar`: `tests`). */
export function effectiveClassifier(type: string, classifier: string | undefined): string {
  return classifier ?? artifactType(type).classifier;
}

export class RootManagement {
  private readonly entries = new Map<string, Managed>();

  constructor(management: readonly ManagedDependency[]) {
    for (const entry of management) {
      // import entries are consumed by the model builder; one left over manages nothing
      if (entry.scope === 'import') continue;
      const classifier = effectiveClassifier(entry.type, entry.classifier);
      const key = conflictKey(entry.groupId, entry.artifactId, entry.type, classifier);
      let managed = this.entries.get(key);
      if (!managed) {
        managed = { exclusions: [] };
        this.entries.set(key, managed);
      }
      if (managed.version === undefined && entry.version) managed.version = entry.version;
      if (managed.scope === undefined && entry.scope) managed.scope = entry.scope;
      if (managed.optional === undefined && entry.optional !== undefined) managed.optional = entry.optional;
      if (managed.systemPath === undefined && entry.systemPath) managed.systemPath = entry.systemPath;
      managed.exclusions = unionExclusions(managed.exclusions, entry.exclusions);
    }
  }

  get(key: string): Managed | undefined {
    return this.entries.get(key);
  }
}

export function unionExclusions(own: readonly Exclusion[], added: readonly Exclusion[]): Exclusion[] {
  if (added.length === 0) return [...own];
  const seen = new Set(own.map(exclusionId));
  const out = [...own];
  for (const exclusion of added) {
    const id = exclusionId(exclusion);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(exclusion);
    }
  }
  return out;
}

function exclusionId(e: Exclusion): string {
  return `${e.groupId}:${e.artifactId}`;
}

/** `*` matches any groupId or artifactId, as Maven's ExclusionDependencySelector reads it. */
export function excludes(exclusion: Exclusion, groupId: string, artifactId: string): boolean {
  return (
    (exclusion.groupId === '*' || exclusion.groupId === groupId) &&
    (exclusion.artifactId === '*' || exclusion.artifactId === artifactId)
  );
}
