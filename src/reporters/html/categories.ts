import {
  LICENSE_CATEGORIES,
  type Component,
  type HealthClass,
  type LicenseCategory,
} from '../../core/model.js';

/** How each license category is named and drawn. Colours keep at least 4.5:1 against white. */
export const CATEGORY_STYLE: Record<LicenseCategory, { label: string; color: string }> = {
  'public-domain': { label: 'Public domain', color: '#2f6b1f' },
  permissive: { label: 'Permissive', color: '#1d4ed8' },
  'weak-copyleft': { label: 'Weak copyleft', color: '#9a4a00' },
  'strong-copyleft': { label: 'Strong copyleft', color: '#b91c1c' },
  'network-copyleft': { label: 'Network copyleft', color: '#7e22ce' },
  proprietary: { label: 'Proprietary', color: '#1f2937' },
  unknown: { label: 'Unknown', color: '#5b6472' },
};

/**
 * How each health class is named and drawn, like the license categories. Colours keep at least 4.5:1
 * against white.
 */
export const HEALTH_STYLE: Record<HealthClass, { label: string; color: string }> = {
  EOL: { label: 'End of life', color: '#7f1d1d' },
  ABANDONED: { label: 'Abandoned', color: '#b91c1c' },
  AT_RISK: { label: 'At risk', color: '#9a4a00' },
  UNKNOWN: { label: 'Unknown', color: '#5b6472' },
  MAINTAINED: { label: 'Maintained', color: '#1d4ed8' },
  HEALTHY: { label: 'Healthy', color: '#2f6b1f' },
};

/** Categories that call for a look: everything but public domain and permissive. */
export const WATCHED_CATEGORIES: ReadonlySet<LicenseCategory> = new Set(
  LICENSE_CATEGORIES.filter((c) => c !== 'public-domain' && c !== 'permissive'),
);

/** A component's category; `unknown` when the inventory concluded none. */
export function categoryOf(component: Component): LicenseCategory {
  return component.license.category ?? 'unknown';
}

/** How many distinct projects use the component. */
export function projectCount(component: Component): number {
  if (component.usedBy.length < 2) return component.usedBy.length;
  return new Set(component.usedBy.map((u) => u.project)).size;
}

/** `@babel/runtime`, `org.slf4j:slf4j-api`, `left-pad`. */
export function componentName(component: { ecosystem: string; group?: string; name: string }): string {
  if (!component.group) return component.name;
  return component.ecosystem === 'maven'
    ? `${component.group}:${component.name}`
    : `${component.group}/${component.name}`;
}
