/**
 * The license pass of the pipeline: every component's and project's declared license values normalised to
 * one SPDX expression with its category (src/core/license.ts). Where the license came from (`source`,
 * `evidence`) is kept; a license with nothing declared keeps the reason it already gives.
 */
import { normaliseLicense, type LicenseKnowledge } from './license.js';
import type { ComponentLicense, Inventory, Project, ProjectLicense } from './model.js';

export function concludeLicenses(inventory: Inventory, knowledge: LicenseKnowledge): Inventory {
  return {
    ...inventory,
    projects: inventory.projects.map((project) => concludeProject(project, knowledge)),
    components: inventory.components.map((component) => ({
      ...component,
      license: concludeLicense(component.license, knowledge),
    })),
  };
}

function concludeProject(project: Project, knowledge: LicenseKnowledge): Project {
  if (!project.license) return project;
  const { detected, github, conflict } = project.license;
  // the reason the manifest reader gave ("not yet mapped") is replaced by the conclusion's
  const license: ProjectLicense = { ...concludeLicense(project.license, knowledge, false), detected };
  if (github !== undefined) license.github = github;
  if (conflict !== undefined) license.conflict = conflict;
  return { ...project, license };
}

/** The license with `expression`, `category`, `mappings`, `unmapped`, `status` and `reason` concluded. */
export function concludeLicense(
  license: ComponentLicense,
  knowledge: LicenseKnowledge,
  keepReason = true,
): ComponentLicense {
  // Concluded from something else than declared values (a curation, a license file, GitHub): kept as is.
  if (license.curated || (license.declared.length === 0 && license.expression !== undefined)) return license;
  if (license.declared.length === 0) {
    return withOrigin({ status: 'unknown', declared: [], category: 'unknown' }, license, license.reason);
  }
  const n = normaliseLicense(license.declared, knowledge);
  const out: ComponentLicense = { status: n.status, declared: n.declared };
  if (n.expression !== undefined) out.expression = n.expression;
  if (n.category !== undefined) out.category = n.category;
  if (n.mappings.length > 0) out.mappings = n.mappings;
  if (n.unmapped.length > 0) out.unmapped = n.unmapped;
  // A reason given upstream (`"license" is a URL...`) stops mattering once the value maps.
  const reason =
    n.status === 'known' ? undefined : joinReasons(keepReason ? license.reason : undefined, n.reason);
  return withOrigin(out, license, reason || undefined);
}

/** The upstream reason and the normaliser's, once each: concluding a concluded license changes nothing. */
function joinReasons(upstream: string | undefined, own: string | undefined): string | undefined {
  if (!upstream || !own) return upstream || own;
  return upstream.includes(own) ? upstream : `${upstream}; ${own}`;
}

function withOrigin(
  out: ComponentLicense,
  from: ComponentLicense,
  reason: string | undefined,
): ComponentLicense {
  if (from.source !== undefined) out.source = from.source;
  if (from.evidence !== undefined) out.evidence = from.evidence;
  if (reason !== undefined) out.reason = reason;
  return out;
}
