/**
 * Which components a curation or a waiver is about: a purl (a version-less purl means every version; a version
 * in it means that version only; qualifiers in it must all be present) plus an optional version range.
 */
import { PackageURL } from 'packageurl-js';
import type { Component } from './model.js';
import { parseVersionRange, type VersionMatcher } from './version-range.js';

export interface PackagePattern {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: [string, string][];
  /** From `versions:`; absent when every version matches. */
  versions?: VersionMatcher;
}

/** `reason` completes "the purl is ..." (`part: 'purl'`) or says what is wrong with `versions`. */
export type PackagePatternParse =
  { ok: true; pattern: PackagePattern } | { ok: false; part: 'purl' | 'versions'; reason: string };

export function parsePackagePattern(purl: string, versions?: string): PackagePatternParse {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl.trim());
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      part: 'purl',
      reason: `not a valid package URL (${text.replace(/^Invalid purl: /, '')})`,
    };
  }
  if (parsed.type !== 'npm' && parsed.type !== 'maven') {
    return {
      ok: false,
      part: 'purl',
      reason: `a purl of type "${parsed.type}", which is never inventoried: use a pkg:npm/ or pkg:maven/ purl`,
    };
  }
  const pattern: PackagePattern = {
    type: parsed.type,
    name: parsed.name,
    qualifiers: Object.entries(parsed.qualifiers ?? {}).filter(
      (q): q is [string, string] => typeof q[1] === 'string',
    ),
  };
  if (parsed.namespace) pattern.namespace = parsed.namespace;
  if (parsed.version) pattern.version = parsed.version;
  if (versions !== undefined) {
    if (pattern.version !== undefined) {
      return {
        ok: false,
        part: 'versions',
        reason: 'the purl has a version and `versions` is set too: keep only one of them',
      };
    }
    const range = parseVersionRange(parsed.type, versions);
    if (!range.ok) return { ok: false, part: 'versions', reason: range.reason };
    pattern.versions = range.matches;
  }
  return { ok: true, pattern };
}

/** The package a pattern or component is about, version aside: the key of an index. */
export function patternKey(pattern: PackagePattern): string {
  return packageKey(pattern.type, pattern.namespace, pattern.name);
}

export function componentKey(component: Component): string {
  return packageKey(component.ecosystem, component.group, component.name);
}

/** npm names are compared without regard to case (the registry refuses a name that differs only by case). */
function packageKey(type: string, namespace: string | undefined, name: string): string {
  const key = `${type}/${namespace ?? ''}/${name}`;
  return type === 'npm' ? key.toLowerCase() : key;
}

/** Whether a component of the pattern's package (same `componentKey`) matches its version and qualifiers. */
export function versionMatches(pattern: PackagePattern, component: Component): boolean {
  if (pattern.version !== undefined && pattern.version !== component.version) return false;
  if (pattern.versions && !pattern.versions(component.version)) return false;
  if (pattern.qualifiers.length === 0) return true;
  const qualifiers = componentQualifiers(component.purl);
  return pattern.qualifiers.every(([key, value]) => qualifiers.get(key) === value);
}

function componentQualifiers(purl: string): Map<string, string> {
  try {
    return new Map(Object.entries(PackageURL.fromString(purl).qualifiers ?? {}) as [string, string][]);
  } catch {
    return new Map();
  }
}

/** Groups patterns by package so that matching 10,000 components is one lookup each. */
export function indexPatterns<T>(
  items: readonly T[],
  patternOf: (item: T) => PackagePattern | undefined,
): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const pattern = patternOf(item);
    if (!pattern) continue;
    const key = patternKey(pattern);
    const list = index.get(key);
    if (list) list.push(item);
    else index.set(key, [item]);
  }
  return index;
}
