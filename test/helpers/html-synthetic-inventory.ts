import type {
  Component,
  Health,
  HealthClass,
  Inventory,
  LicenseCategory,
  PlanB,
  PlanBOption,
  Project,
  Subject,
} from '../../src/core/model.js';

const LICENSES: [string, LicenseCategory][] = [
  ['MIT', 'permissive'],
  ['Apache-2.0', 'permissive'],
  ['ISC', 'permissive'],
  ['BSD-3-Clause', 'permissive'],
  ['MIT', 'permissive'],
  ['LGPL-2.1-only', 'weak-copyleft'],
  ['GPL-3.0-only', 'strong-copyleft'],
  ['CC0-1.0', 'public-domain'],
];

const CLASSES: HealthClass[] = [
  'EOL',
  'ABANDONED',
  'AT_RISK',
  'UNKNOWN',
  'MAINTAINED',
  'MAINTAINED',
  'MAINTAINED',
  'HEALTHY',
  'HEALTHY',
  'HEALTHY',
];
const WEIGHT: Partial<Record<HealthClass, number>> = { EOL: 4, ABANDONED: 3, AT_RISK: 2, UNKNOWN: 1 };
const SURVIVE: PlanBOption[] = [
  ['pin this version and mirror it in an internal registry', 'low'],
  ['fork it internally and apply security fixes yourselves', 'high'],
  ['buy a support contract covering it', 'medium'],
].map(([label, effort]) => ({
  kind: 'survive',
  label: label!,
  confidence: 'suggested',
  source: 'oss-inventory',
  effort: effort as PlanBOption['effort'],
}));

/** Health and plan B as a scan writes them: one component in ten of each class but the healthy ones. */
function healthAndPlanB(
  i: number,
  name: string,
  usedBy: Component['usedBy'],
): { health: Health; planB: PlanB } {
  const cls = CLASSES[i % CLASSES.length]!;
  const projects = new Set(usedBy.map((u) => u.project)).size;
  const months = 1 + (i % 40);
  const health: Health = {
    class: cls,
    reasons: [
      { code: 'recent-release', message: `last release ${months} months ago (npm registry)` },
      {
        code: 'repository-signals-missing',
        message: `the signals of https://github.com/example/${name} were not read: no GitHub token`,
      },
    ],
    score: 50,
    priority: (WEIGHT[cls] ?? 0) * projects,
    exposure: { projects, directProjects: 0, runtimeProjects: projects, devOnly: false },
    assessedAt: '2024-05-01T00:00:00.000Z',
  };
  if (cls === 'EOL') {
    return {
      health,
      planB: {
        status: 'options',
        options: [
          {
            kind: 'successor',
            target: `pkg:npm/${name}-next`,
            confidence: 'authoritative',
            source: 'npm deprecation',
            evidence: `${name} moved to ${name}-next`,
            targetLicense: 'MIT',
          },
          ...SURVIVE,
        ],
      },
    };
  }
  if (cls === 'ABANDONED' || cls === 'AT_RISK')
    return { health, planB: { status: 'none-found', options: SURVIVE } };
  return { health, planB: { status: 'not-needed', options: [] } };
}

/**
 * A deterministic inventory of `count` npm components spread over 20 GitHub repositories of 5 projects each,
 * for the speed measurements of the HTML report: every component is used by 1 to 6 projects through a
 * dependency path of 2 to 6 steps; one in 40 has an unknown license; each has health and a plan B, three in
 * ten needing one (EOL, ABANDONED, AT_RISK).
 */
export function syntheticInventory(count: number): Inventory {
  const subjects: Subject[] = [];
  const projects: Project[] = [];
  for (let s = 0; s < 20; s++) {
    const name = `acme/repo-${String(s).padStart(2, '0')}`;
    subjects.push({
      name,
      type: 'github',
      location: `https://github.com/${name}`,
      repository: {
        defaultBranch: 'main',
        ref: 'main',
        headSha: `${String(s).padStart(2, '0')}`.repeat(20),
        archived: false,
        fork: false,
        pushedAt: '2024-04-01T00:00:00Z',
        license: 'MIT',
        topics: [],
        description: null,
      },
    });
    for (let p = 0; p < 5; p++) {
      const path = p === 0 ? '.' : `packages/app-${p}`;
      projects.push({
        id: `${name}:${path}`,
        subject: name,
        path,
        ecosystem: 'npm',
        name: `app-${s}-${p}`,
        version: '1.0.0',
        manifests: [p === 0 ? 'package.json' : `${path}/package.json`, 'package-lock.json'],
        locked: true,
        dependsOn: [],
      });
    }
  }
  const components: Component[] = [];
  for (let i = 0; i < count; i++) {
    const scoped = i % 7 === 0;
    const name = `pkg-${String(i).padStart(5, '0')}`;
    const version = `${i % 13}.${i % 7}.${i % 5}`;
    const [expression, category] = LICENSES[i % LICENSES.length]!;
    const unknown = i % 40 === 39;
    const purl = `pkg:npm/${scoped ? '%40scope/' : ''}${name}@${version}`;
    const users = 1 + (i % 6);
    const usedBy = [];
    for (let u = 0; u < users; u++) {
      const project = projects[(i * 7 + u * 13) % projects.length]!;
      const depth = 2 + ((i + u) % 5);
      const path = [`${project.name}@1.0.0`];
      for (let d = 1; d < depth - 1; d++)
        path.push(`pkg-${String((i + d * 31) % count).padStart(5, '0')}@1.0.0`);
      path.push(`${scoped ? '@scope/' : ''}${name}@${version}`);
      usedBy.push({
        project: project.id,
        manifest: 'package-lock.json',
        scopes: [u % 3 === 0 ? ('dev' as const) : ('runtime' as const)],
        direct: depth === 2,
        path,
        ...(depth === 2 ? { declaredAt: { file: project.manifests[0]!, line: 10 + (i % 30) } } : {}),
      });
    }
    components.push({
      purl,
      ecosystem: 'npm',
      ...(scoped ? { group: '@scope' } : {}),
      name,
      version,
      locked: true,
      scopes: [...new Set(usedBy.flatMap((u) => u.scopes))].sort(),
      direct: usedBy.some((u) => u.direct),
      sourceKind: 'registry',
      resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
      license: unknown
        ? {
            status: 'unknown',
            declared: ['SEE LICENSE IN LICENSE'],
            category: 'unknown',
            reason: 'not mapped',
          }
        : {
            status: 'known',
            declared: [expression],
            expression,
            category,
            mappings: ['spdx'],
            source: 'lockfile',
            evidence: 'package-lock.json',
          },
      registry: {
        status: 'found',
        document: `https://registry.npmjs.org/${name}`,
        repository: { url: `https://github.com/example/${name}` },
        homepage: `https://example.org/${name}`,
        funding: [],
      },
      dependsOn: [],
      usedBy,
      ...healthAndPlanB(i, name, usedBy),
    });
  }
  components.sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
  return {
    schemaVersion: '1.0.0',
    generatedAt: '2024-05-01T00:00:00.000Z',
    tool: { name: 'oss-inventory', version: '0.1.0' },
    run: { offline: true, network: [] },
    subjects,
    stats: { manifestsRead: 200, excluded: [] },
    projects,
    components,
    problems: [],
  };
}
