/**
 * The model before interpolation, with provenance: one POM with its active profiles injected (a layer),
 * then the layers of the parent chain merged into it as Maven 3's inheritance assembler does. Values
 * still hold `${...}`: Maven interpolates after inheritance, with the child's properties.
 */
import type {
  Dependency,
  License,
  ParentRef,
  Profile,
  RawPom,
  Relocation,
  Repository,
  Scm,
} from './pom-model.js';

export interface SourcedDependency extends Dependency {
  /** Source of the POM that declared it. */
  declaredIn: string;
}

export interface SourcedRepository extends Repository {
  declaredIn: string;
}

export interface SourcedLicenses {
  licenses: License[];
  declaredIn: string;
}

export interface WorkingModel {
  source: string;
  groupId?: string;
  artifactId?: string;
  version?: string;
  packaging?: string;
  name?: string;
  description?: string;
  parent?: ParentRef;
  url?: string;
  /** `child.project.url.inherit.append.path`, own or inherited. */
  urlAppendPath?: string;
  scm?: Scm;
  /** `child.scm.*.inherit.append.path`, own or inherited. */
  scmAppendPath?: string;
  organization?: { name?: string; url?: string };
  properties: Map<string, string>;
  dependencies: SourcedDependency[];
  dependencyManagement: SourcedDependency[];
  repositories: SourcedRepository[];
  licenses?: SourcedLicenses;
  developers: number;
  contributors: number;
  relocation?: Relocation;
  modules: string[];
}

export const SUPER_POM = 'maven:super-pom';
export const CENTRAL_URL = 'https://repo.maven.apache.org/maven2';

/** What Maven's super POM adds to every model that matters here: Maven Central, last. */
export function superPom(): WorkingModel {
  return {
    source: SUPER_POM,
    properties: new Map(),
    dependencies: [],
    dependencyManagement: [],
    repositories: [{ id: 'central', url: CENTRAL_URL, snapshots: 'false', line: 0, declaredIn: SUPER_POM }],
    developers: 0,
    contributors: 0,
    modules: [],
  };
}

/** Maven's management key: `groupId:artifactId:type[:classifier]`, type `jar` when absent. */
export function managementKey(d: Pick<Dependency, 'groupId' | 'artifactId' | 'type' | 'classifier'>): string {
  const base = `${d.groupId ?? ''}:${d.artifactId ?? ''}:${d.type ?? 'jar'}`;
  return d.classifier === undefined ? base : `${base}:${d.classifier}`;
}

/**
 * One POM as the parent chain sees it: duplicates merged (the last declaration wins, at the place of the
 * first, as Maven does; the POM parser reports them), then the active profiles injected in order, each
 * dominating what came before.
 */
export function layerOf(pom: RawPom, activeProfiles: readonly Profile[]): WorkingModel {
  const source = pom.source;
  const sourced = (d: Dependency): SourcedDependency => ({ ...d, declaredIn: source });
  const model: WorkingModel = {
    source,
    groupId: pom.groupId,
    artifactId: pom.artifactId,
    version: pom.version,
    packaging: pom.packaging,
    name: pom.name,
    description: pom.description,
    parent: pom.parent,
    url: pom.url,
    urlAppendPath: pom.inheritAppendPath.url,
    scm: pom.scm ? { ...pom.scm } : undefined,
    scmAppendPath: pom.inheritAppendPath.scm,
    organization: pom.organization ? { ...pom.organization } : undefined,
    properties: new Map(pom.properties),
    dependencies: dedupe(pom.dependencies.map(sourced)),
    dependencyManagement: dedupe(pom.dependencyManagement.map(sourced)),
    repositories: pom.repositories.map((r) => ({ ...r, declaredIn: source })),
    licenses: pom.licenses.length > 0 ? { licenses: pom.licenses, declaredIn: source } : undefined,
    developers: pom.developers,
    contributors: pom.contributors,
    relocation: pom.relocation,
    modules: [...pom.modules],
  };
  for (const profile of activeProfiles) {
    for (const [key, value] of profile.properties) model.properties.set(key, value);
    model.dependencies = overlay(model.dependencies, profile.dependencies.map(sourced), managementKey);
    model.dependencyManagement = overlay(
      model.dependencyManagement,
      profile.dependencyManagement.map(sourced),
      managementKey,
    );
    model.repositories = overlay(
      model.repositories,
      profile.repositories.map((r) => ({ ...r, declaredIn: source })),
      repositoryKey,
    );
    model.modules = [...new Set([...model.modules, ...profile.modules])];
  }
  return model;
}

function dedupe(list: SourcedDependency[]): SourcedDependency[] {
  const byKey = new Map<string, SourcedDependency>();
  for (const d of list) byKey.set(managementKey(d), d);
  return byKey.size === list.length ? list : [...byKey.values()];
}

function repositoryKey(r: Repository): string {
  return r.id ?? '';
}

/** `over` dominates: an element with the key of one in `base` replaces it in place, new ones are appended. */
function overlay<T>(base: T[], over: T[], key: (t: T) => string): T[] {
  if (over.length === 0) return base;
  const merged = new Map<string, T>();
  for (const element of base) merged.set(key(element), element);
  for (const element of over) merged.set(key(element), element);
  return [...merged.values()];
}

/** `dominant` first, then the elements of `recessive` whose key it does not have. */
function underlay<T>(dominant: T[], recessive: T[], key: (t: T) => string): T[] {
  if (recessive.length === 0) return dominant;
  const merged = new Map<string, T>();
  for (const element of dominant) merged.set(key(element), element);
  for (const element of recessive) {
    const k = key(element);
    if (!merged.has(k)) merged.set(k, element);
  }
  return [...merged.values()];
}

/**
 * Maven 3 inheritance: the child keeps what it declares. groupId, version, description, url, scm,
 * organization, properties, dependencies, dependencyManagement, repositories, licenses and developers
 * come from the parent when absent or merged with it; artifactId, packaging, name, modules and
 * relocation never do. url and scm URLs get the child's folder (its artifactId) appended unless the
 * parent's `inherit.append.path` says false.
 */
export function inherit(child: WorkingModel, parent: WorkingModel): WorkingModel {
  const childPath = child.properties.get('project.directory') ?? child.artifactId ?? '';
  const urlAppend = parent.urlAppendPath?.trim() !== 'false';
  const scmAppend = parent.scmAppendPath?.trim() !== 'false';
  const extrapolate = (parentUrl: string | undefined, append: boolean) =>
    parentUrl === undefined || !append ? parentUrl : appendPath(parentUrl, childPath);
  const properties = new Map(parent.properties);
  for (const [key, value] of child.properties) properties.set(key, value);
  return {
    ...child,
    groupId: child.groupId ?? parent.groupId,
    version: child.version ?? parent.version,
    description: child.description ?? parent.description,
    url: child.url ?? extrapolate(parent.url, urlAppend),
    urlAppendPath: child.urlAppendPath ?? parent.urlAppendPath,
    scm: mergeScm(child.scm, parent.scm, (url) => extrapolate(url, scmAppend)),
    scmAppendPath: child.scmAppendPath ?? parent.scmAppendPath,
    organization:
      child.organization || parent.organization
        ? {
            name: child.organization?.name ?? parent.organization?.name,
            url: child.organization?.url ?? parent.organization?.url,
          }
        : undefined,
    properties,
    dependencies: underlay(child.dependencies, parent.dependencies, managementKey),
    dependencyManagement: underlay(child.dependencyManagement, parent.dependencyManagement, managementKey),
    repositories: underlay(child.repositories, parent.repositories, repositoryKey),
    licenses: child.licenses ?? parent.licenses,
    developers: child.developers > 0 ? child.developers : parent.developers,
    contributors: child.contributors > 0 ? child.contributors : parent.contributors,
  };
}

function mergeScm(
  child: Scm | undefined,
  parent: Scm | undefined,
  extrapolate: (url: string | undefined) => string | undefined,
): Scm | undefined {
  if (!parent) return child;
  return {
    url: child?.url ?? extrapolate(parent.url),
    connection: child?.connection ?? extrapolate(parent.connection),
    developerConnection: child?.developerConnection ?? extrapolate(parent.developerConnection),
    tag: child?.tag ?? parent.tag,
  };
}

/** Maven's InheritanceModelMerger.appendPath: one `/` between, and the parent URL's trailing `/` kept. */
export function appendPath(parentUrl: string, childPath: string): string {
  if (parentUrl.length === 0 || childPath.length === 0) return parentUrl;
  const endsWithSlash = parentUrl.endsWith('/');
  let url = parentUrl;
  if (childPath.startsWith('/')) {
    if (endsWithSlash) url = url.slice(0, -1);
  } else if (!endsWithSlash) url += '/';
  url += childPath;
  if (endsWithSlash && !childPath.endsWith('/')) url += '/';
  return url;
}

/** Maven's DefaultUrlNormalizer: `a/b/../c` becomes `a/c`. Each round shortens the URL, so it ends. */
export function normalizeUrl(url: string): string {
  let result = url;
  for (;;) {
    const index = result.indexOf('/../');
    if (index < 0) return result;
    if (index === 0) {
      result = result.slice(3);
      continue;
    }
    let parent = index - 1;
    while (parent >= 0 && result[parent] === '/') parent--;
    parent = parent < 0 ? -1 : result.lastIndexOf('/', parent);
    result = parent < 0 ? result.slice(index + 4) : result.slice(0, parent) + result.slice(index + 3);
  }
}
