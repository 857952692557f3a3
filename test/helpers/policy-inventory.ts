import { PackageURL } from 'packageurl-js';
import type {
  Component,
  ComponentLicense,
  Inventory,
  LicenseCategory,
  Project,
  Scope,
  Usage,
} from '../../src/core/model.js';
import type { Policy } from '../../src/core/policy-model.js';
import { parsePolicy } from '../../src/policy/parse.js';

/** A small category table for policy tests (helper A's data/license-categories.yaml has every id). */
export const CATEGORIES: ReadonlyMap<string, LicenseCategory> = new Map<string, LicenseCategory>([
  ['MIT', 'permissive'],
  ['ISC', 'permissive'],
  ['Apache-2.0', 'permissive'],
  ['BSD-3-Clause', 'permissive'],
  ['0BSD', 'public-domain'],
  ['CC0-1.0', 'public-domain'],
  ['Unlicense', 'public-domain'],
  ['LGPL-2.1-only', 'weak-copyleft'],
  ['LGPL-2.1-or-later', 'weak-copyleft'],
  ['LGPL-3.0-only', 'weak-copyleft'],
  ['MPL-2.0', 'weak-copyleft'],
  ['EPL-2.0', 'weak-copyleft'],
  ['CDDL-1.0', 'weak-copyleft'],
  ['GPL-2.0-only', 'strong-copyleft'],
  ['GPL-2.0-or-later', 'strong-copyleft'],
  ['GPL-3.0-only', 'strong-copyleft'],
  ['GPL-3.0-or-later', 'strong-copyleft'],
  ['AGPL-3.0-only', 'network-copyleft'],
]);

export function usage(project: string, scopes: Scope[], extra: Partial<Usage> = {}): Usage {
  return { project, manifest: 'package-lock.json', scopes, direct: true, path: [], ...extra };
}

/**
 * A component from its purl: `license` is an expression (status known, or unknown when it holds a
 * `LicenseRef-unmapped-`), or a full ComponentLicense; used by `acme:.` at run time unless `usedBy` says otherwise.
 */
export function component(
  purl: string,
  license: string | ComponentLicense | undefined,
  usedBy: Usage[] = [usage('acme:.', ['runtime'])],
): Component {
  const parsed = PackageURL.fromString(purl);
  const ecosystem = parsed.type === 'maven' ? 'maven' : 'npm';
  const concluded: ComponentLicense =
    license === undefined
      ? { status: 'unknown', declared: [], reason: 'no license declared' }
      : typeof license === 'string'
        ? {
            status: license.includes('LicenseRef-unmapped-') ? 'unknown' : 'known',
            declared: [license],
            expression: license,
            source: 'registry',
            evidence: 'https://registry.npmjs.org/x',
          }
        : license;
  return {
    purl,
    ecosystem,
    ...(parsed.namespace ? { group: parsed.namespace } : {}),
    name: parsed.name,
    version: parsed.version ?? '',
    locked: true,
    scopes: [...new Set(usedBy.flatMap((u) => u.scopes))],
    direct: usedBy.some((u) => u.direct),
    sourceKind: 'registry',
    license: concluded,
    dependsOn: [],
    usedBy,
  };
}

export function project(id: string, subject: string): Project {
  return {
    id,
    subject,
    path: id.slice(subject.length + 1),
    ecosystem: 'npm',
    manifests: ['package.json'],
    locked: true,
    dependsOn: [],
  };
}

export function inventoryOf(
  components: Component[],
  projects: Project[] = [project('acme:.', 'acme')],
): Inventory {
  return {
    schemaVersion: '1.0.0',
    generatedAt: '2026-01-15T10:00:00.000Z',
    tool: { name: 'oss-inventory', version: '0.1.0' },
    run: { offline: true, network: [] },
    subjects: [...new Set(projects.map((p) => p.subject))].map((name) => ({
      name,
      type: 'directory' as const,
      location: `/src/${name}`,
    })),
    stats: { manifestsRead: 1, excluded: [] },
    projects,
    components,
    problems: [],
  };
}

/** A policy from YAML text (as `policy.yaml`), failing the test when it has errors. */
export function policyOf(yaml: string, now = new Date('2026-01-15T10:00:00Z')): Policy {
  const result = parsePolicy(yaml, 'policy.yaml', now);
  if (!result.policy)
    throw new Error(result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  return result.policy;
}
