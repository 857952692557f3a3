/**
 * Curations: the policy's corrections of component licenses, applied before the policy is evaluated.
 *
 * A curation beats every declared source. When several curations match one component, one whose version is
 * pinned (a version in the purl or a `versions` range) beats a version-less one; among equals, the first
 * written in the policy wins. Applying curations twice changes nothing: `curated.previous` stays the license
 * the component had before any curation.
 */
import type { ComponentLicense, Inventory, LicenseCategory } from './model.js';
import {
  indexPatterns,
  parsePackagePattern,
  componentKey,
  versionMatches,
  type PackagePattern,
} from './package-pattern.js';
import type { Curation } from './policy-model.js';
import { categoryOfLicense, expressionCategory, parseSpdxExpression } from './spdx-expression.js';

interface CompiledCuration {
  curation: Curation;
  pattern: PackagePattern;
  pinned: boolean;
  expression: string;
  category?: LicenseCategory;
}

/**
 * The inventory with curated component licenses (a new inventory; components that no curation matches are
 * shared with the input). `categories`, when given, sets the curated license's category. Curations whose purl,
 * range or license does not parse are skipped: loading the policy reports them.
 */
export function applyCurations(
  inventory: Inventory,
  curations: readonly Curation[],
  categories?: ReadonlyMap<string, LicenseCategory>,
): Inventory {
  if (curations.length === 0) return inventory;
  const index = indexPatterns(compile(curations, categories), (c) => c.pattern);
  if (index.size === 0) return inventory;
  let changed = false;
  const components = inventory.components.map((component) => {
    const candidates = index.get(componentKey(component));
    const chosen = candidates && pick(candidates.filter((c) => versionMatches(c.pattern, component)));
    if (!chosen) return component;
    changed = true;
    return { ...component, license: curatedLicense(component.license, chosen) };
  });
  return changed ? { ...inventory, components } : inventory;
}

function compile(
  curations: readonly Curation[],
  categories: ReadonlyMap<string, LicenseCategory> | undefined,
): CompiledCuration[] {
  const compiled: CompiledCuration[] = [];
  for (const curation of curations) {
    const parsed = parsePackagePattern(curation.purl, curation.versions);
    const license = parseSpdxExpression(curation.license);
    if (!parsed.ok || !license.ok) continue;
    const pattern = parsed.pattern;
    compiled.push({
      curation,
      pattern,
      pinned: pattern.version !== undefined || pattern.versions !== undefined,
      expression: license.expression,
      ...(categories
        ? { category: expressionCategory(license.node, (l) => categoryOfLicense(l, categories)) }
        : {}),
    });
  }
  return compiled;
}

/** A pinned curation before a version-less one; the first written among equals (candidates keep file order). */
function pick(matching: readonly CompiledCuration[]): CompiledCuration | undefined {
  return matching.find((c) => c.pinned) ?? matching[0];
}

function curatedLicense(current: ComponentLicense, chosen: CompiledCuration): ComponentLicense {
  const alreadyCurated = current.source === 'curation' && current.curated !== undefined;
  const previous = alreadyCurated ? current.curated?.previous : describe(current);
  const { curation } = chosen;
  return {
    status: 'known',
    declared: current.declared,
    expression: chosen.expression,
    ...(chosen.category === undefined ? {} : { category: chosen.category }),
    mappings: ['curation'],
    source: 'curation',
    evidence: `${curation.at.file}:${curation.at.line}`,
    curated: { reason: curation.reason, ...(previous === undefined ? {} : { previous }) },
  };
}

/** What the license was: its expression, else its declared values. */
function describe(license: ComponentLicense): string | undefined {
  if (license.expression !== undefined) return license.expression;
  return license.declared.length > 0 ? license.declared.join(' OR ') : undefined;
}
