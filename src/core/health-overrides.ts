/**
 * Health overrides: packages the organisation or our shipped list (data/health-overrides.yaml) knows more
 * about than the signals say. `feature-complete`: done on purpose, no release expected, so never ABANDONED
 * and not AT_RISK for staleness. `end-of-life`: its maintainers declared it dead: EOL whatever the signals.
 * Each entry cites where that is said. Pure: entries in, an index out; nothing here reads files.
 */
import type { Component } from './model.js';
import {
  componentKey,
  indexPatterns,
  parsePackagePattern,
  versionMatches,
  type PackagePattern,
} from './package-pattern.js';

export const HEALTH_OVERRIDE_STATUSES = ['feature-complete', 'end-of-life'] as const;
export type HealthOverrideStatus = (typeof HEALTH_OVERRIDE_STATUSES)[number];

/** One override as written (config `health.overrides`, `health.overridesFile`, data/health-overrides.yaml). */
export interface HealthOverrideEntry {
  /** A purl; without a version it means every version. */
  purl: string;
  /** Only these versions (npm semver range, Maven range). */
  versions?: string;
  status: HealthOverrideStatus;
  /** What the citation says. */
  reason: string;
  /** Where it is said (a URL). */
  citation: string;
  /** What to use instead, when the citation names it. */
  successor?: string;
}

export interface HealthOverride extends HealthOverrideEntry {
  /** Where the entry was written: `configuration`, a file path, `data/health-overrides.yaml`. */
  origin: string;
}

interface CompiledOverride {
  override: HealthOverride;
  pattern: PackagePattern;
  pinned: boolean;
}

/** An entry that cannot be used, with where it was written and why. */
export interface HealthOverrideIssue {
  origin: string;
  index: number;
  message: string;
}

export interface HealthOverrides {
  /**
   * The override for a component: the organisation's before the shipped ones (in the order given), and
   * within one origin, one pinned to versions before a version-less one.
   */
  find(component: Component): HealthOverride | undefined;
  readonly size: number;
}

/**
 * Indexes overrides, in priority order (the organisation's first). Entries that are not objects, or whose
 * status, purl or versions cannot be used, are left out and listed in `issues`.
 */
export function indexHealthOverrides(lists: readonly { origin: string; entries: readonly unknown[] }[]): {
  overrides: HealthOverrides;
  issues: HealthOverrideIssue[];
} {
  const compiled: CompiledOverride[] = [];
  const issues: HealthOverrideIssue[] = [];
  for (const { origin, entries } of lists) {
    entries.forEach((entry, index) => {
      const checked = checkHealthOverride(entry);
      if (!checked.ok) {
        issues.push({ origin, index, message: checked.reason });
        return;
      }
      compiled.push({
        override: { ...checked.entry, origin },
        pattern: checked.pattern,
        pinned: checked.pattern.version !== undefined || checked.pattern.versions !== undefined,
      });
    });
  }
  const index = indexPatterns(compiled, (c) => c.pattern);
  return {
    issues,
    overrides: {
      size: compiled.length,
      find(component) {
        const candidates = index.get(componentKey(component));
        if (!candidates) return undefined;
        const matching = candidates.filter((c) => versionMatches(c.pattern, component));
        // Stable: among the matching ones of the first origin that has any, a pinned one first.
        const first = matching[0];
        if (!first) return undefined;
        const sameOrigin = matching.filter((c) => c.override.origin === first.override.origin);
        return (sameOrigin.find((c) => c.pinned) ?? first).override;
      },
    },
  };
}

export type HealthOverrideCheck =
  { ok: true; entry: HealthOverrideEntry; pattern: PackagePattern } | { ok: false; reason: string };

/** Whether a value is a usable override entry; the reason names the field at fault. Never throws. */
export function checkHealthOverride(value: unknown): HealthOverrideCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'an override is a mapping with purl, status, reason and citation' };
  }
  const field = (name: string): unknown =>
    Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
  const text = (name: string): string | undefined => {
    const v = field(name);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const purl = text('purl');
  const status = text('status');
  const reason = text('reason');
  const citation = text('citation');
  if (purl === undefined) return { ok: false, reason: 'purl: give the package URL, e.g. pkg:npm/left-pad' };
  if (status === undefined || !(HEALTH_OVERRIDE_STATUSES as readonly string[]).includes(status)) {
    return { ok: false, reason: `status: use ${HEALTH_OVERRIDE_STATUSES.join(' or ')}` };
  }
  if (reason === undefined) return { ok: false, reason: 'reason: say in a sentence what the citation says' };
  if (citation === undefined) return { ok: false, reason: 'citation: give the URL where it is said' };
  const versions = field('versions');
  if (versions !== undefined && typeof versions !== 'string') {
    return { ok: false, reason: 'versions: a version range as a string' };
  }
  const parsed = parsePackagePattern(purl, versions);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: parsed.part === 'purl' ? `purl: ${parsed.reason}` : `versions: ${parsed.reason}`,
    };
  }
  const successor = text('successor');
  return {
    ok: true,
    pattern: parsed.pattern,
    entry: {
      purl,
      ...(versions !== undefined ? { versions } : {}),
      status: status as HealthOverrideStatus,
      reason,
      citation,
      ...(successor !== undefined ? { successor } : {}),
    },
  };
}

/** No overrides at all. */
export const NO_HEALTH_OVERRIDES: HealthOverrides = { size: 0, find: () => undefined };
