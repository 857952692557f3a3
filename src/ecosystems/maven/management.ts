/**
 * dependencyManagement as Maven 3 applies it, once the model is interpolated: import-scoped BOMs merged
 * after the POM's own entries (first declaration wins), then management injected into the dependencies.
 */
import type { EffectiveDependency, ManagedDependency, ManagementSource } from './effective-model.js';
import { managementKey, type SourcedDependency } from './inheritance.js';

export type NamedDependency = SourcedDependency & { groupId: string; artifactId: string };

export function isImport(d: Pick<SourcedDependency, 'scope' | 'type'>): boolean {
  return d.scope === 'import' && (d.type ?? 'jar') === 'pom';
}

export function toManaged(d: NamedDependency): ManagedDependency {
  return dropUndefined({
    groupId: d.groupId,
    artifactId: d.artifactId,
    version: d.version,
    type: d.type ?? 'jar',
    classifier: d.classifier,
    scope: d.scope,
    optional: d.optional === undefined ? undefined : isTrue(d.optional),
    systemPath: d.systemPath,
    exclusions: d.exclusions,
    line: d.line,
    declaredIn: d.declaredIn,
  });
}

/**
 * Maven's DefaultDependencyManagementImporter: the POM's own (and inherited) entries first, then each
 * imported BOM's entries, in declaration order, that no earlier entry manages.
 */
export function importManagement(
  own: readonly ManagedDependency[],
  imported: readonly (readonly ManagedDependency[])[],
): ManagedDependency[] {
  const merged = new Map<string, ManagedDependency>();
  for (const entry of own) merged.set(managementKey(entry), entry);
  for (const bom of imported) {
    for (const entry of bom) {
      const key = managementKey(entry);
      if (!merged.has(key)) merged.set(key, entry);
    }
  }
  return [...merged.values()];
}

/**
 * Maven's DefaultDependencyManagementInjector then ModelNormalizer defaults: version, scope, systemPath
 * and (when the dependency has none) exclusions come from the entry with the same
 * `groupId:artifactId:type:classifier`; `optional` is never managed; scope defaults to `compile`.
 */
export function injectManagement(
  dependencies: readonly NamedDependency[],
  management: readonly ManagedDependency[],
): EffectiveDependency[] {
  const byKey = new Map<string, ManagedDependency>();
  for (const entry of management)
    if (!byKey.has(managementKey(entry))) byKey.set(managementKey(entry), entry);
  return dependencies.map((d) => {
    const managed = byKey.get(managementKey(d));
    const version = d.version ?? managed?.version;
    const result: EffectiveDependency = {
      groupId: d.groupId,
      artifactId: d.artifactId,
      version,
      type: d.type ?? 'jar',
      classifier: d.classifier,
      scope: d.scope ?? managed?.scope ?? 'compile',
      optional: d.optional !== undefined && isTrue(d.optional),
      systemPath: d.systemPath ?? managed?.systemPath,
      exclusions: d.exclusions.length > 0 ? d.exclusions : (managed?.exclusions ?? []),
      line: d.line,
      declaredIn: d.declaredIn,
    };
    if (d.version === undefined && managed?.version !== undefined) result.managedBy = sourceOf(managed);
    return dropUndefined(result);
  });
}

function sourceOf(entry: ManagedDependency): ManagementSource {
  const source: ManagementSource = { declaredIn: entry.declaredIn, line: entry.line };
  if (entry.importedFrom) source.importedFrom = entry.importedFrom;
  return source;
}

/** Maven reads `optional` with Boolean.valueOf: `true` in any case is true, anything else false. */
export function isTrue(value: string): boolean {
  return value.trim().toLowerCase() === 'true';
}

/** Leaves optional fields out rather than set to undefined, so results compare and serialise cleanly. */
export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
