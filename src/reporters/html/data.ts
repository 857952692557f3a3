/**
 * The data the report's script renders its tables from, embedded once as JSON. Usage strings (project
 * ids, manifests, dependency path elements), which repeat across thousands of usages, are interned in
 * `strings` and referenced by index, as are the plan-B labels, sources and evidence and the health reasons
 * (survival plans and missing-signal messages repeat too); everything else is plain. Links are computed
 * here, once, and only http(s) URLs become links (see safeHref).
 */
import {
  HEALTH_SEVERITY,
  LICENSE_CATEGORIES,
  type Component,
  type ComponentLicense,
  type Ecosystem,
  type Health,
  type HealthClass,
  type Inventory,
  type LicenseCategory,
  type PlanB,
  type PlanBOption,
  type Problem,
  type Project,
  type Scope,
  type SourceKind,
  type Subject,
  type Usage,
} from '../../core/model.js';
import type { CheckResult, Violation } from '../../core/policy-model.js';
import { CATEGORY_STYLE, HEALTH_STYLE, categoryOf, componentName, projectCount } from './categories.js';
import { compareText, safeHref } from './escape.js';

/**
 * Columns of the components table, in order. The script has one definition per id; a column for a field
 * the inventory gains later is one more id here and one more definition there. The health and plan-B
 * columns follow when the inventory has health, and the policy verdict when a policy was checked.
 */
export const COMPONENT_COLUMNS = [
  'component',
  'version',
  'ecosystem',
  'license',
  'category',
  'scopes',
  'direct',
  'usedBy',
] as const;
export const HEALTH_COLUMNS = ['health', 'planB'] as const;
export type ComponentColumn = (typeof COMPONENT_COLUMNS)[number] | (typeof HEALTH_COLUMNS)[number] | 'policy';

export interface ReportData {
  /** The license categories in order, with their labels. */
  categories: { id: LicenseCategory; label: string }[];
  /** The health classes from the worst to the best, with their labels, when the inventory has health. */
  healthClasses?: { id: HealthClass; label: string }[];
  strings: string[];
  subjects: SubjectRow[];
  columns: ComponentColumn[];
  components: ComponentRow[];
  projects: ProjectRow[];
  problems: Problem[];
  violations?: ViolationRow[];
}

export interface SubjectRow {
  name: string;
  type: Subject['type'];
  location: string;
  /** The repository's web page, for a GitHub subject. */
  href?: string;
  /** Prefix of a file's URL at the commit read (`https://github.com/o/r/blob/<sha>/`). */
  blob?: string;
  /** Prefix of a folder's URL at the commit read. */
  tree?: string;
}

/**
 * One usage: project id, manifest, scopes (`runtime, dev`), direct (1) or not (0), dependency path, the
 * declaring file and line (or null), the declared range (or null). Strings are indexes into `strings`.
 */
export type UsageTuple = [
  number,
  number,
  number,
  0 | 1,
  number[],
  number | null,
  number | null,
  number | null,
];

export interface LicenseRow {
  status: ComponentLicense['status'];
  category: LicenseCategory;
  expression?: string;
  declared: string[];
  mappings?: string[];
  unmapped?: string[];
  source?: string;
  /** The file, registry document or POM that declared it: an index into `strings` (they repeat a lot). */
  evidence?: number;
  /** The evidence as a link, when it is a URL or a file of a GitHub subject: an index into `strings`. */
  evidenceHref?: number;
  curated?: string;
  previous?: string;
  reason?: string;
}

export interface ComponentRow {
  purl: string;
  ecosystem: Ecosystem;
  /** `@babel/runtime`, `org.slf4j:slf4j-api`. */
  name: string;
  version: string;
  locked: boolean;
  scopes: Scope[];
  direct: boolean;
  sourceKind: SourceKind;
  /** Where it is downloaded from: a link when it is an http(s) URL, else the text. */
  resolved?: string;
  resolvedHref?: string;
  repositoryHref?: string;
  homepageHref?: string;
  deprecated?: string;
  latest?: string;
  registryMissing?: string;
  mavenType?: string;
  license: LicenseRow;
  /** Distinct projects that use it. */
  projects: number;
  usages: UsageTuple[];
  policy?: { verdict: string; severity: string; rule: string };
  health?: HealthRow;
  planB?: PlanBRow;
}

/** The score is left out: it only sorts within a class, and the table sorts by class. */
export interface HealthRow {
  class: HealthClass;
  priority: number;
  /** Projects using it, declaring it directly, using it at run time, and 1 when only to build and test. */
  exposure: [number, number, number, 0 | 1];
  /** Each reason's code and message, as indexes into `strings`. */
  reasons: [number, number][];
}

export interface PlanBRow {
  status: PlanB['status'];
  options: PlanBOptionRow[];
}

/** An option; `label`, `source` and `evidence` are indexes into `strings`. */
export interface PlanBOptionRow {
  kind: PlanBOption['kind'];
  target?: string;
  label?: number;
  confidence: PlanBOption['confidence'];
  source: number;
  evidence?: number;
  /** The evidence as a link, when it is an http(s) URL: an index into `strings`. */
  evidenceHref?: number;
  effort?: PlanBOption['effort'];
  targetLicense?: string;
  flags?: string[];
}

export interface ProjectRow {
  id: string;
  subject: number;
  path: string;
  ecosystem: Ecosystem;
  name?: string;
  version?: string;
  license?: LicenseRow & {
    detected: { expression: string; file: string; confidence: number }[];
    github?: string;
    conflict?: string;
  };
  manifests: string[];
  locked: boolean;
  workspaceRoot?: string;
  publishes?: string[];
  /** Direct dependencies. */
  direct: number;
  /** Distinct components it reaches, and how many of them have an unknown license. */
  components: number;
  unknown: number;
  folderHref?: string;
}

export interface ViolationRow {
  severity: Violation['severity'];
  verdict: Violation['verdict'];
  rule: string;
  purl: string;
  name: string;
  version: string;
  ecosystem: Ecosystem;
  license?: string;
  category?: LicenseCategory;
  declared: string[];
  offending: string[];
  evidence?: string;
  usages: {
    project: string;
    manifest: string;
    scopes: Scope[];
    direct: boolean;
    path: string[];
    declaredAt?: { file: string; line: number };
  }[];
  waiverSnippet: string;
  expiredWaiver?: string;
  /** Present in the base inventory too (`check --base`): reported, not failing. */
  preexisting: boolean;
}

class Interner {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  id(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.index.set(value, id);
    }
    return id;
  }
}

export function buildReportData(inventory: Inventory, check?: CheckResult): ReportData {
  const strings = new Interner();
  const subjects = inventory.subjects.map(subjectRow);
  const subjectIndex = new Map(inventory.subjects.map((s, i) => [s.name, i]));
  const links = new Map(subjects.map((s) => [s.name, s]));
  const projectSubject = new Map(inventory.projects.map((p) => [p.id, p.subject]));
  const policy = policyByPurl(check);

  const components = inventory.components.map((c) => {
    // A file path is relative to its subject: it can be linked only when one subject uses the component.
    const used = new Set(c.usedBy.map((u) => projectSubject.get(u.project)));
    const only = used.size === 1 ? [...used][0] : undefined;
    const subject = only === undefined ? undefined : links.get(only);
    return componentRow(c, strings, policy.get(c.purl), (file) => blobHref(subject, file));
  });
  const reach = projectReach(inventory.components);
  const projects = inventory.projects.map((p) =>
    projectRow(p, strings, subjectIndex.get(p.subject) ?? -1, links.get(p.subject), reach.get(p.id)),
  );
  const health = inventory.components.some((c) => c.health !== undefined);
  const data: ReportData = {
    categories: LICENSE_CATEGORIES.map((id) => ({ id, label: CATEGORY_STYLE[id].label })),
    strings: strings.strings,
    subjects,
    columns: [
      ...COMPONENT_COLUMNS,
      ...(health ? HEALTH_COLUMNS : []),
      ...(check ? (['policy'] as const) : []),
    ],
    components,
    projects,
    problems: inventory.problems,
  };
  if (health) data.healthClasses = HEALTH_SEVERITY.map((id) => ({ id, label: HEALTH_STYLE[id].label }));
  if (check) {
    data.violations = [
      ...check.violations.map((v) => violationRow(v, false)),
      ...check.preexisting.map((v) => violationRow(v, true)),
    ];
  }
  return data;
}

function subjectRow(subject: Subject): SubjectRow {
  const row: SubjectRow = { name: subject.name, type: subject.type, location: subject.location };
  if (subject.type !== 'github') return row;
  const href = safeHref(subject.location)?.replace(/\/+$/, '');
  if (!href) return row;
  row.href = href;
  const commit = subject.repository?.headSha ?? subject.repository?.ref;
  if (commit) {
    row.blob = `${href}/blob/${encodeURIComponent(commit)}/`;
    row.tree = `${href}/tree/${encodeURIComponent(commit)}/`;
  }
  return row;
}

/** Link to a subject's file at the commit read; only for GitHub subjects. */
function blobHref(subject: SubjectRow | undefined, file: string): string | undefined {
  if (!subject?.blob || file.startsWith('/') || file.split('/').includes('..')) return undefined;
  return `${subject.blob}${encodePath(file)}`;
}

function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function licenseRow(
  license: ComponentLicense,
  strings: Interner,
  evidenceHref: (file: string) => string | undefined,
): LicenseRow {
  const row: LicenseRow = {
    status: license.status,
    category: license.category ?? 'unknown',
    declared: license.declared,
  };
  if (license.expression !== undefined) row.expression = license.expression;
  if (license.mappings?.length) row.mappings = license.mappings;
  if (license.unmapped?.length) row.unmapped = license.unmapped;
  if (license.source) row.source = license.source;
  if (license.evidence) {
    row.evidence = strings.id(license.evidence);
    const href = safeHref(license.evidence) ?? evidenceHref(license.evidence);
    if (href) row.evidenceHref = strings.id(href);
  }
  if (license.curated) {
    row.curated = license.curated.reason;
    if (license.curated.previous) row.previous = license.curated.previous;
  }
  if (license.reason) row.reason = license.reason;
  return row;
}

function componentRow(
  component: Component,
  strings: Interner,
  policy: ComponentRow['policy'],
  evidenceHref: (file: string) => string | undefined,
): ComponentRow {
  const row: ComponentRow = {
    purl: component.purl,
    ecosystem: component.ecosystem,
    name: componentName(component),
    version: component.version,
    locked: component.locked,
    scopes: component.scopes,
    direct: component.direct,
    sourceKind: component.sourceKind,
    license: licenseRow(component.license, strings, evidenceHref),
    projects: projectCount(component),
    usages: component.usedBy.map((u) => usageTuple(u, strings)),
  };
  if (component.resolved) {
    const href = safeHref(component.resolved);
    if (href) row.resolvedHref = href;
    else row.resolved = component.resolved;
  }
  const registry = component.registry;
  if (registry?.status === 'found') {
    const repository = safeHref(registry.repository?.url);
    const homepage = safeHref(registry.homepage);
    if (repository) row.repositoryHref = repository;
    if (homepage && homepage !== repository) row.homepageHref = homepage;
    if (registry.deprecated !== undefined) row.deprecated = registry.deprecated;
    if (registry.latest) row.latest = registry.latest.version;
  } else if (registry?.status === 'missing') {
    row.registryMissing = registry.reason;
  }
  if (component.maven) row.mavenType = component.maven.type;
  if (policy) row.policy = policy;
  if (component.health) row.health = healthRow(component.health, strings);
  if (component.planB) row.planB = planBRow(component.planB, strings);
  return row;
}

function healthRow(health: Health, strings: Interner): HealthRow {
  return {
    class: health.class,
    priority: health.priority,
    exposure: [
      health.exposure.projects,
      health.exposure.directProjects,
      health.exposure.runtimeProjects,
      health.exposure.devOnly ? 1 : 0,
    ],
    reasons: health.reasons.map((r): [number, number] => [strings.id(r.code), strings.id(r.message)]),
  };
}

function planBRow(planB: PlanB, strings: Interner): PlanBRow {
  return {
    status: planB.status,
    options: planB.options.map((o) => {
      const row: PlanBOptionRow = { kind: o.kind, confidence: o.confidence, source: strings.id(o.source) };
      if (o.target !== undefined) row.target = o.target;
      if (o.label !== undefined) row.label = strings.id(o.label);
      if (o.evidence !== undefined) {
        row.evidence = strings.id(o.evidence);
        // A URL is one word: a sentence that starts with one (a quoted message) stays text.
        const href = /\s/.test(o.evidence.trim()) ? undefined : safeHref(o.evidence);
        if (href) row.evidenceHref = strings.id(href);
      }
      if (o.effort !== undefined) row.effort = o.effort;
      if (o.targetLicense !== undefined) row.targetLicense = o.targetLicense;
      if (o.flags?.length) row.flags = o.flags;
      return row;
    }),
  };
}

function usageTuple(usage: Usage, strings: Interner): UsageTuple {
  return [
    strings.id(usage.project),
    strings.id(usage.manifest),
    strings.id(usage.scopes.join(', ')),
    usage.direct ? 1 : 0,
    usage.path.map((step) => strings.id(step)),
    usage.declaredAt ? strings.id(usage.declaredAt.file) : null,
    usage.declaredAt ? usage.declaredAt.line : null,
    usage.requested === undefined ? null : strings.id(usage.requested),
  ];
}

/** For each project: the distinct components it reaches, and how many have an unknown license. */
function projectReach(components: Component[]): Map<string, { components: number; unknown: number }> {
  const reach = new Map<string, { components: number; unknown: number }>();
  for (const component of components) {
    const unknown = categoryOf(component) === 'unknown' ? 1 : 0;
    for (const project of new Set(component.usedBy.map((u) => u.project))) {
      const counts = reach.get(project);
      if (counts) {
        counts.components++;
        counts.unknown += unknown;
      } else reach.set(project, { components: 1, unknown });
    }
  }
  return reach;
}

function projectRow(
  project: Project,
  strings: Interner,
  subject: number,
  links: SubjectRow | undefined,
  reach: { components: number; unknown: number } | undefined,
): ProjectRow {
  const row: ProjectRow = {
    id: project.id,
    subject,
    path: project.path,
    ecosystem: project.ecosystem,
    manifests: project.manifests,
    locked: project.locked,
    direct: project.dependsOn.length,
    components: reach?.components ?? 0,
    unknown: reach?.unknown ?? 0,
  };
  if (project.name !== undefined) row.name = project.name;
  if (project.version !== undefined) row.version = project.version;
  if (project.license) {
    const { detected, github, conflict } = project.license;
    row.license = {
      ...licenseRow(project.license, strings, (file) => blobHref(links, file)),
      detected: detected.map((d) => ({ expression: d.expression, file: d.file, confidence: d.confidence })),
      ...(github === undefined ? {} : { github }),
      ...(conflict === undefined ? {} : { conflict }),
    };
  }
  if (project.workspaceRoot) row.workspaceRoot = project.workspaceRoot;
  if (project.publishes?.length) row.publishes = project.publishes;
  if (links?.tree)
    row.folderHref = project.path === '.' ? links.href : `${links.tree}${encodePath(project.path)}`;
  else if (links?.href && project.path === '.') row.folderHref = links.href;
  return row;
}

function policyByPurl(check: CheckResult | undefined): Map<string, NonNullable<ComponentRow['policy']>> {
  const byPurl = new Map<string, NonNullable<ComponentRow['policy']>>();
  if (!check) return byPurl;
  for (const w of check.waived) {
    byPurl.set(w.purl, {
      verdict: 'waived',
      severity: 'info',
      rule: `waived until ${w.expires}: ${w.reason}`,
    });
  }
  for (const v of check.preexisting) {
    byPurl.set(v.component.purl, { verdict: `${v.verdict} (already there)`, severity: 'info', rule: v.rule });
  }
  for (const v of check.violations) {
    byPurl.set(v.component.purl, { verdict: v.verdict, severity: v.severity, rule: v.rule });
  }
  return byPurl;
}

function violationRow(violation: Violation, preexisting: boolean): ViolationRow {
  const { component, license } = violation;
  const row: ViolationRow = {
    severity: violation.severity,
    verdict: violation.verdict,
    rule: violation.rule,
    purl: component.purl,
    name: component.name,
    version: component.version,
    ecosystem: component.ecosystem,
    declared: license.declared,
    offending: violation.offending,
    usages: violation.usages
      .map((u) => ({
        project: u.project,
        manifest: u.manifest,
        scopes: u.scopes,
        direct: u.direct,
        path: u.path,
        ...(u.declaredAt ? { declaredAt: { file: u.declaredAt.file, line: u.declaredAt.line } } : {}),
      }))
      .sort((a, b) => compareText(a.project, b.project)),
    waiverSnippet: violation.waiverSnippet,
    preexisting,
  };
  if (license.expression !== undefined) row.license = license.expression;
  if (license.category !== undefined) row.category = license.category;
  if (license.evidence !== undefined) row.evidence = license.evidence;
  if (violation.expiredWaiver) {
    const { expires, owner, at } = violation.expiredWaiver;
    row.expiredWaiver = `expired ${expires} (owner ${owner}, ${at.file}:${at.line})`;
  }
  return row;
}
