/**
 * What changed between two inventories (pure): projects added, removed and changed; components added,
 * removed, moved to another version (upgrade or downgrade, in the ecosystem's version order) and changed in
 * place (license, scopes, the projects that use them); with a policy, the violations that appeared and those
 * that went away.
 *
 * A component is identified by its purl. Components of the same package (ecosystem, group, name and, for
 * Maven, type and classifier) found only before in some versions and only after in others are paired as
 * version changes: first the pairs that share the most projects (the project moved from one version to the
 * other), then the rest in version order; what stays unpaired is added or removed.
 *
 * Changes are listed as generic field changes (`{field, before, after}`): a field the inventory gains is
 * one more entry of COMPONENT_FIELDS or PROJECT_FIELDS, not a new shape.
 */
import { PackageURL } from 'packageurl-js';
import { compareVersions } from '../ecosystems/maven/version.js';
import type {
  Component,
  Ecosystem,
  HealthClass,
  Inventory,
  LicenseCategory,
  Project,
  Scope,
} from './model.js';
import type { Policy, Violation } from './policy-model.js';
import { evaluatePolicy } from './policy.js';
import { compareSemver, parseSemver } from './version-range.js';

export interface DiffOptions {
  /** Evaluate both inventories against this policy to report new and resolved violations. */
  policy?: Policy;
  /** The clock of the policy's waivers (default: the current inventory's `generatedAt`). */
  now?: Date;
  /** Category of every SPDX license id, for the policy (see loadLicenseKnowledge); default: none known. */
  categories?: ReadonlyMap<string, LicenseCategory>;
}

/** One side of the diff, in brief. */
export interface DiffSide {
  generatedAt: string;
  tool: { name: string; version: string };
  projects: number;
  components: number;
}

export interface ProjectRef {
  id: string;
  ecosystem: Ecosystem;
  name?: string;
  version?: string;
}

export interface ComponentRef {
  purl: string;
  ecosystem: Ecosystem;
  group?: string;
  name: string;
  version: string;
  /** The concluded SPDX expression. */
  license?: string;
  category?: LicenseCategory;
  licenseStatus: 'known' | 'unknown';
  /** The health class, when health was assessed. */
  health?: HealthClass;
  direct: boolean;
  scopes: Scope[];
  /** Ids of the projects that use it, sorted. */
  projects: string[];
}

/** One field that differs; `before` or `after` is absent when the field is not set on that side. */
export interface FieldChange {
  /** The field's path in the inventory (`license.expression`); lists are compared joined with `, `. */
  field: string;
  before?: string;
  after?: string;
}

export interface ProjectChange {
  project: ProjectRef;
  changes: FieldChange[];
}

/** A component of the same purl in both inventories, with what differs. */
export interface ComponentChange {
  component: ComponentRef;
  changes: FieldChange[];
  /**
   * Projects present in both inventories that started or stopped using it (projects added or removed are
   * reported as such, not here).
   */
  usedBy?: { added: string[]; removed: string[] };
}

export type VersionDirection = 'upgrade' | 'downgrade' | 'change';

/** The same package in another version; `change` when the versions cannot be ordered (git refs, ranges). */
export interface VersionChange {
  previous: ComponentRef;
  current: ComponentRef;
  direction: VersionDirection;
  /** Fields other than the version that differ (the license before and after). */
  changes: FieldChange[];
}

export interface ViolationDiff {
  policy: string;
  /** Violations of the current inventory the previous one did not have. */
  added: Violation[];
  /** Violations of the previous inventory the current one no longer has. */
  resolved: Violation[];
}

export interface InventoryDiff {
  previous: DiffSide;
  current: DiffSide;
  projects: { added: ProjectRef[]; removed: ProjectRef[]; changed: ProjectChange[] };
  components: {
    added: ComponentRef[];
    removed: ComponentRef[];
    versionChanges: VersionChange[];
    changed: ComponentChange[];
  };
  /** Present when a policy was given. */
  violations?: ViolationDiff;
}

interface Field<T> {
  name: string;
  value(item: T): string | undefined;
  /**
   * Compared only when both sides have a value: absent means "not assessed" (a run without health checks),
   * not "none".
   */
  onlyWhenBothSet?: boolean;
}

/** The component fields compared, in the order they are reported. */
export const COMPONENT_FIELDS: readonly Field<Component>[] = [
  { name: 'license.expression', value: (c) => c.license.expression },
  { name: 'license.category', value: (c) => c.license.category },
  { name: 'license.status', value: (c) => c.license.status },
  { name: 'scopes', value: (c) => c.scopes.join(', ') },
  { name: 'direct', value: (c) => String(c.direct) },
  { name: 'health.class', value: (c) => c.health?.class, onlyWhenBothSet: true },
];

/** The project fields compared, in the order they are reported. */
export const PROJECT_FIELDS: readonly Field<Project>[] = [
  { name: 'name', value: (p) => p.name },
  { name: 'version', value: (p) => p.version },
  { name: 'license.expression', value: (p) => p.license?.expression },
  { name: 'locked', value: (p) => String(p.locked) },
  { name: 'health.class', value: (p) => p.health?.class, onlyWhenBothSet: true },
];

export function diffInventories(
  previous: Inventory,
  current: Inventory,
  options: DiffOptions = {},
): InventoryDiff {
  const projects = diffProjects(previous.projects, current.projects);
  const removedProjects = new Set(projects.removed.map((p) => p.id));
  const addedProjects = new Set(projects.added.map((p) => p.id));
  const components = diffComponents(
    previous.components,
    current.components,
    (id) => removedProjects.has(id) || addedProjects.has(id),
  );
  const diff: InventoryDiff = {
    previous: sideOf(previous),
    current: sideOf(current),
    projects,
    components,
  };
  if (options.policy) diff.violations = diffViolations(previous, current, options.policy, options);
  return diff;
}

/** True when the two inventories differ in nothing the diff reports. */
export function isEmptyDiff(diff: InventoryDiff): boolean {
  const { projects, components, violations } = diff;
  return (
    projects.added.length + projects.removed.length + projects.changed.length === 0 &&
    components.added.length +
      components.removed.length +
      components.versionChanges.length +
      components.changed.length ===
      0 &&
    (violations === undefined || violations.added.length + violations.resolved.length === 0)
  );
}

function sideOf(inventory: Inventory): DiffSide {
  return {
    generatedAt: inventory.generatedAt,
    tool: { name: inventory.tool.name, version: inventory.tool.version },
    projects: inventory.projects.length,
    components: inventory.components.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// projects

function diffProjects(previous: Project[], current: Project[]): InventoryDiff['projects'] {
  const before = new Map(previous.map((p) => [p.id, p]));
  const after = new Map(current.map((p) => [p.id, p]));
  const added: ProjectRef[] = [];
  const removed: ProjectRef[] = [];
  const changed: ProjectChange[] = [];
  for (const [id, project] of after) {
    const old = before.get(id);
    if (!old) {
      added.push(projectRef(project));
      continue;
    }
    const changes = fieldChanges(PROJECT_FIELDS, old, project);
    if (changes.length > 0) changed.push({ project: projectRef(project), changes });
  }
  for (const [id, project] of before) if (!after.has(id)) removed.push(projectRef(project));
  const byId = (a: ProjectRef, b: ProjectRef) => compareText(a.id, b.id);
  return {
    added: added.sort(byId),
    removed: removed.sort(byId),
    changed: changed.sort((a, b) => byId(a.project, b.project)),
  };
}

function projectRef(project: Project): ProjectRef {
  return {
    id: project.id,
    ecosystem: project.ecosystem,
    ...(project.name === undefined ? {} : { name: project.name }),
    ...(project.version === undefined ? {} : { version: project.version }),
  };
}

// ---------------------------------------------------------------------------------------------------
// components

function diffComponents(
  previous: Component[],
  current: Component[],
  projectAddedOrRemoved: (id: string) => boolean,
): InventoryDiff['components'] {
  const before = new Map(previous.map((c) => [c.purl, c]));
  const after = new Map(current.map((c) => [c.purl, c]));
  const onlyBefore = new Map<string, Component[]>();
  const onlyAfter = new Map<string, Component[]>();
  const changed: ComponentChange[] = [];
  const versionChanges: VersionChange[] = [];
  for (const [purl, component] of after) {
    const old = before.get(purl);
    if (!old) {
      push(onlyAfter, packageKey(component), component);
      continue;
    }
    // An unlocked component's purl has no version: its declared range can change under the same purl.
    if (old.version !== component.version) {
      versionChanges.push(versionChange(old, component));
      continue;
    }
    const change = componentChange(old, component, projectAddedOrRemoved);
    if (change) changed.push(change);
  }
  for (const [purl, component] of before) {
    if (!after.has(purl)) push(onlyBefore, packageKey(component), component);
  }

  const added: ComponentRef[] = [];
  const removed: ComponentRef[] = [];
  for (const [key, olds] of onlyBefore) {
    const news = onlyAfter.get(key) ?? [];
    onlyAfter.delete(key);
    const { pairs, unpairedBefore, unpairedAfter } = pairVersions(olds, news);
    for (const [old, now] of pairs) versionChanges.push(versionChange(old, now));
    for (const c of unpairedBefore) removed.push(componentRef(c));
    for (const c of unpairedAfter) added.push(componentRef(c));
  }
  for (const news of onlyAfter.values()) for (const c of news) added.push(componentRef(c));

  const byPurl = (a: ComponentRef, b: ComponentRef) => compareText(a.purl, b.purl);
  return {
    added: added.sort(byPurl),
    removed: removed.sort(byPurl),
    versionChanges: versionChanges.sort(
      (a, b) => byPurl(a.previous, b.previous) || byPurl(a.current, b.current),
    ),
    changed: changed.sort((a, b) => byPurl(a.component, b.component)),
  };
}

function versionChange(old: Component, now: Component): VersionChange {
  return {
    previous: componentRef(old),
    current: componentRef(now),
    direction: directionOf(old, now),
    changes: fieldChanges(COMPONENT_FIELDS, old, now),
  };
}

function componentChange(
  old: Component,
  now: Component,
  projectAddedOrRemoved: (id: string) => boolean,
): ComponentChange | undefined {
  const changes = fieldChanges(COMPONENT_FIELDS, old, now);
  const before = new Set(old.usedBy.map((u) => u.project));
  const after = new Set(now.usedBy.map((u) => u.project));
  const added = [...after].filter((id) => !before.has(id) && !projectAddedOrRemoved(id)).sort(compareText);
  const removed = [...before].filter((id) => !after.has(id) && !projectAddedOrRemoved(id)).sort(compareText);
  if (changes.length === 0 && added.length === 0 && removed.length === 0) return undefined;
  return {
    component: componentRef(now),
    changes,
    ...(added.length + removed.length > 0 ? { usedBy: { added, removed } } : {}),
  };
}

/**
 * Pairs the versions found only before with those found only after: most shared projects first, then the
 * rest in version order.
 */
function pairVersions(
  olds: Component[],
  news: Component[],
): { pairs: [Component, Component][]; unpairedBefore: Component[]; unpairedAfter: Component[] } {
  const byVersion = (a: Component, b: Component) => compareVersionsOf(a, b) || compareText(a.purl, b.purl);
  const sortedOld = [...olds].sort(byVersion);
  const sortedNew = [...news].sort(byVersion);
  const candidates: { i: number; j: number; shared: number }[] = [];
  const oldProjects = sortedOld.map((c) => new Set(c.usedBy.map((u) => u.project)));
  sortedNew.forEach((component, j) => {
    const projects = new Set(component.usedBy.map((u) => u.project));
    oldProjects.forEach((set, i) => {
      let shared = 0;
      for (const id of projects) if (set.has(id)) shared++;
      if (shared > 0) candidates.push({ i, j, shared });
    });
  });
  candidates.sort((a, b) => b.shared - a.shared || a.i - b.i || a.j - b.j);
  const oldTaken = new Set<number>();
  const newTaken = new Set<number>();
  const pairs: [Component, Component][] = [];
  for (const { i, j } of candidates) {
    if (oldTaken.has(i) || newTaken.has(j)) continue;
    oldTaken.add(i);
    newTaken.add(j);
    pairs.push([sortedOld[i] as Component, sortedNew[j] as Component]);
  }
  const restOld = sortedOld.filter((_, i) => !oldTaken.has(i));
  const restNew = sortedNew.filter((_, j) => !newTaken.has(j));
  const zipped = Math.min(restOld.length, restNew.length);
  for (let k = 0; k < zipped; k++) pairs.push([restOld[k] as Component, restNew[k] as Component]);
  return { pairs, unpairedBefore: restOld.slice(zipped), unpairedAfter: restNew.slice(zipped) };
}

function directionOf(old: Component, now: Component): VersionDirection {
  const order = orderVersions(old, now);
  if (order === undefined || order === 0) return 'change';
  return order < 0 ? 'upgrade' : 'downgrade';
}

/** Ecosystem order of two versions of a package, or undefined when they cannot be ordered. */
function orderVersions(a: Component, b: Component): number | undefined {
  if (!a.locked || !b.locked) return undefined;
  if (a.ecosystem === 'maven') return Math.sign(compareVersions(a.version, b.version));
  const x = parseSemver(a.version);
  const y = parseSemver(b.version);
  return x && y ? compareSemver(x, y) : undefined;
}

function compareVersionsOf(a: Component, b: Component): number {
  return orderVersions(a, b) ?? compareText(a.version, b.version);
}

/** Ecosystem, group, name and what else makes a package distinct (Maven type and classifier). */
function packageKey(component: Component): string {
  return JSON.stringify([
    component.ecosystem,
    component.group ?? '',
    component.name,
    component.maven?.type ?? '',
    component.maven?.classifier ?? '',
  ]);
}

function componentRef(component: Component): ComponentRef {
  const { license } = component;
  return {
    purl: component.purl,
    ecosystem: component.ecosystem,
    ...(component.group === undefined ? {} : { group: component.group }),
    name: component.name,
    version: component.version,
    ...(license.expression === undefined ? {} : { license: license.expression }),
    ...(license.category === undefined ? {} : { category: license.category }),
    licenseStatus: license.status,
    ...(component.health ? { health: component.health.class } : {}),
    direct: component.direct,
    scopes: [...component.scopes],
    projects: [...new Set(component.usedBy.map((u) => u.project))].sort(compareText),
  };
}

// ---------------------------------------------------------------------------------------------------
// violations

/**
 * A violation is the same on both sides when the same package (whatever its version) breaks the policy
 * the same way (verdict) with the same licenses: an upgrade that keeps a denied license is no news.
 */
function diffViolations(
  previous: Inventory,
  current: Inventory,
  policy: Policy,
  options: DiffOptions,
): ViolationDiff {
  const evaluate = {
    now: options.now ?? new Date(current.generatedAt),
    categories: options.categories ?? new Map<string, LicenseCategory>(),
  };
  const before = evaluatePolicy(previous, policy, evaluate).violations;
  const after = evaluatePolicy(current, policy, evaluate).violations;
  const beforeKeys = new Set(before.map(violationKey));
  const afterKeys = new Set(after.map(violationKey));
  return {
    policy: policy.file,
    added: after.filter((v) => !beforeKeys.has(violationKey(v))),
    resolved: before.filter((v) => !afterKeys.has(violationKey(v))),
  };
}

function violationKey(violation: Violation): string {
  return JSON.stringify([
    unversionedPurl(violation.component.purl),
    violation.verdict,
    [...violation.offending].sort(compareText),
  ]);
}

function unversionedPurl(purl: string): string {
  try {
    const p = PackageURL.fromString(purl);
    return new PackageURL(p.type, p.namespace, p.name, undefined, p.qualifiers, p.subpath).toString();
  } catch {
    return purl;
  }
}

// ---------------------------------------------------------------------------------------------------

function fieldChanges<T>(fields: readonly Field<T>[], before: T, after: T): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const old = field.value(before);
    const now = field.value(after);
    if (old === now) continue;
    if (field.onlyWhenBothSet && (old === undefined || now === undefined)) continue;
    changes.push({
      field: field.name,
      ...(old === undefined ? {} : { before: old }),
      ...(now === undefined ? {} : { after: now }),
    });
  }
  return changes;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
