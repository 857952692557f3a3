/**
 * The effective-model builder: a POM as Maven 3 builds it (DefaultModelBuilder), pure given a PomLoader.
 *
 * 1. The parent chain: each POM gets its active profiles injected, then its parent is looked for at
 *    `relativePath` in the tree (checked against the coordinates), else in the repositories known so far.
 * 2. Inheritance, from Maven's super POM down to the POM.
 * 3. Interpolation of the merged model with the POM's own context (so `${project.version}` in a parent's
 *    dependency is the child's version, as in Maven).
 * 4. Import-scoped BOMs in dependencyManagement, each built the same way, recursively.
 * 5. Management injection into the dependencies, then defaults.
 *
 * Nothing here throws on bad input: an unresolvable parent or BOM, a cycle, an undefined property or a
 * chain too long is a Problem and the build goes on with what is known.
 */
import type { Problem, Severity } from '../../core/model.js';
import { dirname, join } from '../../core/paths.js';
import type {
  ActiveProfile,
  EffectiveDependency,
  EffectiveLicense,
  EffectiveModel,
  EffectiveRepository,
  ImportedBom,
  ManagedDependency,
  ParentLink,
  SourceDeclaration,
} from './effective-model.js';
import { CENTRAL_URL, inherit, layerOf, normalizeUrl, superPom, SUPER_POM } from './inheritance.js';
import type { SourcedDependency, SourcedRepository, WorkingModel } from './inheritance.js';
import {
  Interpolator,
  MAX_INTERPOLATED_LENGTH,
  MAX_INTERPOLATION_DEPTH,
  type InterpolationSources,
} from './interpolate.js';
import {
  dropUndefined,
  importManagement,
  injectManagement,
  isImport,
  toManaged,
  type NamedDependency,
} from './management.js';
import type { LoadedPom, PomLoader, PomOrigin } from './pom-loader.js';
import type { Coordinates, ParentRef, RawPom, Repository, Scm } from './pom-model.js';
import { selectActiveProfiles } from './profiles.js';
import { isRange, parseRange, rangeContains } from './version.js';

export type * from './effective-model.js';

export interface EffectiveOptions {
  /** The Java version `<jdk>` activation is checked against (default '17'). */
  javaVersion?: string;
  /** -D properties: they win over the POM's properties and activate `<property>` profiles. */
  properties?: Record<string, string>;
  /** The environment, for `${env.X}` and `env.X` profile properties. */
  env?: Record<string, string>;
  /** Longest parent chain, and deepest chain of BOM imports, followed (default 32). */
  maxDepth?: number;
  /** Where `pom` was read from; by default the tree at `pom.source`, or the repository when it is a URL. */
  origin?: PomOrigin;
  /** Shares the dependencyManagement of imported BOMs between builds made with the same options. */
  cache?: EffectiveModelCache;
}

export const DEFAULT_JAVA_VERSION = '17';
export const DEFAULT_MAX_DEPTH = 32;
/** Distinct BOMs one build may load (Spring Boot's chain imports about 80): a bound against hostile fan-out. */
export const MAX_IMPORTED_BOMS = 1000;

type BomOutcome =
  | { ok: true; management: ManagedDependency[]; origin: PomOrigin; version?: string; problems: Problem[] }
  /** `problem` is absent when it was already reported (BOMs beyond MAX_IMPORTED_BOMS). */
  | { ok: false; problem?: Problem };

/** Imported BOMs already built (only finished builds are kept, so concurrent builds cannot wait on each other). */
export class EffectiveModelCache {
  private readonly boms = new Map<string, BomOutcome>();

  get(key: string): BomOutcome | undefined {
    return this.boms.get(key);
  }

  set(key: string, outcome: BomOutcome): void {
    this.boms.set(key, outcome);
  }
}

export async function buildEffectiveModel(
  pom: RawPom,
  loader: PomLoader,
  options: EffectiveOptions = {},
): Promise<EffectiveModel> {
  const settings = settingsOf(options);
  return new Builder(loader, settings).build(pom, options.origin ?? originOf(pom.source), [], []);
}

interface Settings {
  javaVersion: string;
  user: ReadonlyMap<string, string>;
  system: ReadonlyMap<string, string>;
  maxDepth: number;
  cache: EffectiveModelCache;
  signature: string;
}

function settingsOf(options: EffectiveOptions): Settings {
  const javaVersion = options.javaVersion ?? DEFAULT_JAVA_VERSION;
  const user = new Map(Object.entries(options.properties ?? {}));
  const system = new Map<string, string>([['java.version', javaVersion]]);
  for (const [name, value] of Object.entries(options.env ?? {})) system.set(`env.${name}`, value);
  const requested = options.maxDepth;
  const maxDepth =
    requested !== undefined && Number.isFinite(requested)
      ? Math.max(0, Math.floor(requested))
      : DEFAULT_MAX_DEPTH;
  return {
    javaVersion,
    user,
    system,
    maxDepth,
    cache: options.cache ?? new EffectiveModelCache(),
    signature: JSON.stringify([javaVersion, [...user], [...system]]),
  };
}

function originOf(source: string): PomOrigin {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source)
    ? { kind: 'repository', url: source }
    : { kind: 'tree', path: source };
}

/** One POM of the parent chain, nearest first. */
interface LineageEntry {
  pom: RawPom;
  origin: PomOrigin;
  model: WorkingModel;
  activeProfiles: ActiveProfile[];
  versionAskedFor?: string;
}

interface Lineage {
  entries: LineageEntry[];
  /** False when the chain stopped early: an unloadable parent, a cycle, the depth limit. */
  complete: boolean;
}

class Builder {
  private bomsLoaded = 0;

  constructor(
    private readonly loader: PomLoader,
    private readonly settings: Settings,
  ) {}

  /**
   * `importChain`: the models whose dependencyManagement import led here (for cycles);
   * `baseRepositories`: the importing model's repositories, which Maven also searches for a BOM's parents.
   */
  async build(
    pom: RawPom,
    origin: PomOrigin,
    importChain: readonly string[],
    baseRepositories: readonly SourcedRepository[],
  ): Promise<EffectiveModel> {
    const problems = new Problems();
    const lineage = await this.walkLineage(pom, origin, baseRepositories, problems);
    const merged = assemble(lineage);
    const interpolator = new Interpolator(this.sourcesFor(merged));
    const model = interpolateModel(merged, pom.source, interpolator);
    reportInterpolation(interpolator, pom.source, problems);
    this.checkCoordinates(model.coordinates, pom, problems);
    const dependencies = this.named(model.dependencies, 'dependencies', problems);
    const declaredManagement = this.named(model.dependencyManagement, 'dependencyManagement', problems);
    const ownId = `${model.coordinates.groupId}:${model.coordinates.artifactId}:${model.coordinates.version}`;
    const { management, imports } = await this.importBoms(
      declaredManagement,
      model.repositories,
      [...importChain, ownId],
      problems,
    );
    const effectiveDependencies = injectManagement(dependencies, management);
    reportMissingVersions(effectiveDependencies, lineage.complete, problems);
    return dropUndefined({
      ...model,
      source: pom.source,
      origin,
      parents: this.parentLinks(lineage),
      parentChainComplete: lineage.complete,
      dependencies: effectiveDependencies,
      dependencyManagement: management,
      imports,
      developers: merged.developers,
      contributors: merged.contributors,
      activeProfiles: lineage.entries.flatMap((e) => e.activeProfiles),
      sourceDeclarations: sourceDeclarationsOf(lineage),
      problems: problems.list,
    });
  }

  // ---- 1. the parent chain ----

  private async walkLineage(
    pom: RawPom,
    origin: PomOrigin,
    baseRepositories: readonly SourcedRepository[],
    problems: Problems,
  ): Promise<Lineage> {
    const entries: LineageEntry[] = [];
    const seen = new Set<string>();
    const known = new KnownSoFar(this.settings, baseRepositories);
    let current: LoadedPom = { pom, origin };
    for (;;) {
      const entry = this.lineageEntry(current, problems);
      entries.push(entry);
      for (const key of identities(current)) seen.add(key);
      known.add(entry.model);
      const ref = current.pom.parent;
      if (!ref) return { entries, complete: true };
      if (entries.length - 1 >= this.settings.maxDepth) {
        problems.add(
          'error',
          'maven.parent.too-deep',
          current.pom.source,
          ref.line,
          `the parent chain is longer than ${this.settings.maxDepth} POMs; the parents beyond are ignored`,
          'Check the <parent> elements for a loop through many POMs, or raise the limit.',
        );
        return { entries, complete: false };
      }
      const parent = await this.resolveParent(current, ref, known, problems);
      if (!parent) return { entries, complete: false };
      if (identities(parent).some((key) => seen.has(key))) {
        const chain = [...entries.map((e) => rawId(e.pom)), rawId(parent.pom)].join(' -> ');
        problems.add(
          'error',
          'maven.parent.cycle',
          current.pom.source,
          ref.line,
          `the parents form a cycle: ${chain}`,
          'Fix the <parent> elements so that no POM is its own ancestor.',
        );
        return { entries, complete: false };
      }
      checkParentPackaging(parent.pom, current.pom.source, ref.line, problems);
      current = parent;
    }
  }

  private lineageEntry(loaded: LoadedPom, problems: Problems): LineageEntry {
    const { pom } = loaded;
    const selection = selectActiveProfiles(pom.profiles, {
      javaVersion: this.settings.javaVersion,
      property: (name) => this.settings.user.get(name) ?? this.settings.system.get(name),
    });
    if (selection.unevaluated.length > 0) {
      problems.add(
        'info',
        'maven.profile.activation-not-evaluated',
        pom.source,
        undefined,
        `os and file profile activation is not evaluated, so ${selection.unevaluated.join(', ')} ${selection.unevaluated.length === 1 ? 'is' : 'are'} taken as inactive`,
        'Dependencies declared only in those profiles are not listed.',
      );
    }
    for (const profile of selection.invalid) {
      problems.add(
        'warning',
        'maven.profile.invalid-activation',
        pom.source,
        profile.line,
        `profile ${profile.id ?? ''} has a <property> activation without a name; it is never active`,
        'Give the <property> a <name>.',
      );
    }
    const model = layerOf(pom, selection.active);
    const entry: LineageEntry = {
      pom,
      origin: loaded.origin,
      model,
      activeProfiles: selection.active.map((p) => ({ id: p.id ?? 'default', declaredIn: pom.source })),
    };
    if (loaded.versionAskedFor !== undefined) entry.versionAskedFor = loaded.versionAskedFor;
    return entry;
  }

  private async resolveParent(
    child: LoadedPom,
    ref: ParentRef,
    known: KnownSoFar,
    problems: Problems,
  ): Promise<LoadedPom | undefined> {
    const file = child.pom.source;
    if (!ref.groupId || !ref.artifactId || !ref.version) {
      problems.add(
        'error',
        'maven.parent.incomplete',
        file,
        ref.line,
        `<parent> needs a groupId, an artifactId and a version`,
        'Complete the <parent> element.',
      );
      return undefined;
    }
    if (child.origin.kind === 'tree' && ref.relativePath !== '') {
      const local = await this.parentFromTree(child.origin.path, ref, file, problems);
      if (local) return local;
    }
    // Maven would not interpolate a parent's coordinates; with a ${revision} parent outside the tree the
    // properties known so far are the best guess, and the lookup says what it asked for.
    const site = { file, line: ref.line };
    const wanted: Coordinates = {
      groupId: known.interpolate(ref.groupId, site),
      artifactId: known.interpolate(ref.artifactId, site),
      version: known.interpolate(ref.version, site),
    };
    const lookup = await this.loader.artifact(wanted, known.repositories());
    if (!lookup.ok) {
      const tried = lookup.tried.length > 0 ? `; tried ${lookup.tried.join(', ')}` : '';
      problems.add(
        'error',
        'maven.parent.unresolvable',
        file,
        ref.line,
        `parent ${coordinatesId(wanted)} could not be resolved: ${lookup.problem.message}${tried}`,
        'Make the parent POM reachable (a repository in the POM or settings.xml, or the local repository); what it would add (managed versions, licenses, properties) is missing meanwhile.',
      );
      return undefined;
    }
    return lookup.loaded;
  }

  /**
   * The parent at `relativePath` (default `../pom.xml`; a folder means its pom.xml), used only when its
   * groupId and artifactId match, and its version too, or is inside the range <parent> asks for.
   */
  private async parentFromTree(
    childPath: string,
    ref: ParentRef,
    file: string,
    problems: Problems,
  ): Promise<LoadedPom | undefined> {
    const written = ref.relativePath?.trim().replace(/\\/g, '/');
    const target = join(dirname(childPath), written ?? '../pom.xml');
    if (target === '..' || target.startsWith('../')) return undefined;
    const path = /\.xml$/i.test(target) ? target : join(target, 'pom.xml');
    const found = await this.loader.fromTree(path);
    if (found === undefined) return undefined;
    if (!found.ok) {
      problems.push(found.problem);
      return undefined;
    }
    const candidate = found.pom;
    const groupId = candidate.groupId ?? candidate.parent?.groupId;
    const version = candidate.version ?? candidate.parent?.version;
    if (groupId !== ref.groupId || candidate.artifactId !== ref.artifactId) {
      // Maven warns too; with the default relativePath it is common (an aggregator above a module whose
      // parent is elsewhere), hence only information then.
      problems.add(
        written === undefined ? 'info' : 'warning',
        'maven.parent.relative-path-mismatch',
        file,
        ref.line,
        `'parent.relativePath' points at ${groupId ?? '?'}:${candidate.artifactId ?? '?'} (${path}) instead of ${ref.groupId}:${ref.artifactId}; the parent is looked for in the repositories`,
        'Set <relativePath/> (empty) when the parent is not in the tree, or fix the path.',
      );
      return undefined;
    }
    if (version !== undefined && version !== ref.version && !versionAccepted(ref.version!, version))
      return undefined;
    return { pom: candidate, origin: { kind: 'tree', path } };
  }

  private parentLinks(lineage: Lineage): ParentLink[] {
    // Each parent's coordinates in its own context: its properties merged with those above it.
    const links: ParentLink[] = [];
    const properties = new Map<string, string>();
    for (let i = lineage.entries.length - 1; i >= 1; i--) {
      const entry = lineage.entries[i]!;
      for (const [name, v] of entry.model.properties) properties.set(name, v);
      const raw = {
        groupId: entry.pom.groupId ?? entry.pom.parent?.groupId,
        artifactId: entry.pom.artifactId,
        version: entry.pom.version ?? entry.pom.parent?.version,
      };
      const interpolator = new Interpolator({
        project: (field) =>
          field === 'groupId' || field === 'artifactId' || field === 'version' ? raw[field] : undefined,
        userProperties: this.settings.user,
        modelProperties: properties,
        systemProperties: this.settings.system,
      });
      const site = { file: entry.pom.source, line: 0 };
      const link: ParentLink = {
        coordinates: {
          groupId: interpolator.interpolate(raw.groupId ?? '', site, false),
          artifactId: interpolator.interpolate(raw.artifactId ?? '', site, false),
          version: interpolator.interpolate(raw.version ?? '', site, false),
        },
        origin: entry.origin,
        source: entry.pom.source,
      };
      if (entry.versionAskedFor !== undefined) link.versionAskedFor = entry.versionAskedFor;
      links.push(link);
    }
    return links.reverse();
  }

  // ---- 3. interpolation context ----

  private sourcesFor(model: WorkingModel): InterpolationSources {
    const fields = new Map<string, string | undefined>([
      ['groupId', model.groupId],
      ['artifactId', model.artifactId],
      ['version', model.version],
      ['packaging', model.packaging ?? 'jar'],
      ['name', model.name],
      ['description', model.description],
      ['url', model.url],
      ['parent.groupId', model.parent?.groupId],
      ['parent.artifactId', model.parent?.artifactId],
      ['parent.version', model.parent?.version],
      ['parent.relativePath', model.parent ? (model.parent.relativePath ?? '../pom.xml') : undefined],
      ['organization.name', model.organization?.name],
      ['organization.url', model.organization?.url],
      ['scm.url', model.scm?.url],
      ['scm.connection', model.scm?.connection],
      ['scm.developerConnection', model.scm?.developerConnection],
      ['scm.tag', model.scm?.tag],
    ]);
    return {
      project: (field) => fields.get(field),
      userProperties: this.settings.user,
      modelProperties: model.properties,
      systemProperties: this.settings.system,
    };
  }

  private checkCoordinates(coordinates: Coordinates, pom: RawPom, problems: Problems): void {
    const missing = (['groupId', 'artifactId', 'version'] as const).filter((k) => coordinates[k] === '');
    if (missing.length > 0) {
      problems.add(
        'error',
        'maven.model.missing-coordinates',
        pom.source,
        undefined,
        `the POM has no ${missing.join(', ')} (neither declared nor inherited)`,
        'Declare them, or make the parent they are inherited from resolvable.',
      );
    }
  }

  /** Dependencies without groupId or artifactId are reported and left out: nothing can be resolved from them. */
  private named(list: SourcedDependency[], where: string, problems: Problems): NamedDependency[] {
    const named: NamedDependency[] = [];
    for (const d of list) {
      if (d.groupId && d.artifactId) named.push(d as NamedDependency);
      else {
        problems.add(
          'error',
          'maven.dependency.missing-coordinates',
          d.declaredIn,
          d.line,
          `a dependency in <${where}> has no ${d.groupId ? 'artifactId' : 'groupId'}; it is ignored`,
          'Complete the <dependency> element.',
        );
      }
    }
    return named;
  }

  // ---- 4. import-scoped BOMs ----

  private async importBoms(
    declared: NamedDependency[],
    repositories: EffectiveRepository[],
    chain: string[],
    problems: Problems,
  ): Promise<{ management: ManagedDependency[]; imports: ImportedBom[] }> {
    const own: ManagedDependency[] = [];
    const imported: ManagedDependency[][] = [];
    const imports: ImportedBom[] = [];
    for (const entry of declared) {
      if (!isImport(entry)) {
        if (entry.scope === 'import') {
          problems.add(
            'warning',
            'maven.bom.not-pom',
            entry.declaredIn,
            entry.line,
            `${entry.groupId}:${entry.artifactId} has scope import but type ${entry.type ?? 'jar'}; only a type pom is imported`,
            'Add <type>pom</type> to import it as a BOM.',
          );
        }
        own.push(toManaged(entry));
        continue;
      }
      const bom: ImportedBom = {
        coordinates: { groupId: entry.groupId, artifactId: entry.artifactId, version: entry.version ?? '' },
        declaredIn: entry.declaredIn,
        line: entry.line,
      };
      imports.push(bom);
      const management = await this.importBom(bom, repositories, chain, problems);
      if (management) imported.push(management);
    }
    return { management: importManagement(own, imported), imports };
  }

  private async importBom(
    bom: ImportedBom,
    repositories: EffectiveRepository[],
    chain: string[],
    problems: Problems,
  ): Promise<ManagedDependency[] | undefined> {
    const id = coordinatesId(bom.coordinates);
    if (bom.coordinates.version === '' || bom.coordinates.version.includes('${')) {
      problems.add(
        'error',
        'maven.bom.missing-version',
        bom.declaredIn,
        bom.line,
        `imported BOM ${id} has no usable version`,
        'Give the import-scoped dependency a version (or define the property it uses).',
      );
      return undefined;
    }
    if (chain.includes(id)) {
      problems.add(
        'error',
        'maven.bom.cycle',
        bom.declaredIn,
        bom.line,
        `the import-scoped BOMs form a cycle: ${[...chain, id].join(' -> ')}`,
        'Remove the import that leads back to a BOM already being imported.',
      );
      return undefined;
    }
    if (chain.length > this.settings.maxDepth) {
      problems.add(
        'error',
        'maven.bom.too-deep',
        bom.declaredIn,
        bom.line,
        `BOM imports are nested more than ${this.settings.maxDepth} deep; ${id} is not imported`,
        'Check the BOMs for a chain of imports through many POMs.',
      );
      return undefined;
    }
    const outcome = await this.bomOutcome(bom.coordinates, repositories, chain);
    if (!outcome.ok) {
      if (!outcome.problem) return undefined;
      problems.push({
        ...outcome.problem,
        file: bom.declaredIn,
        line: bom.line,
        message: `${bom.declaredIn}:${bom.line}: ${outcome.problem.message}`,
      });
      return undefined;
    }
    bom.origin = outcome.origin;
    if (outcome.version !== undefined && outcome.version !== bom.coordinates.version)
      bom.resolvedVersion = outcome.version;
    // A BOM's own information notes (its inactive os profiles...) say nothing about this POM.
    for (const p of outcome.problems) if (p.severity !== 'info') problems.push(p);
    const via = coordinatesId({ ...bom.coordinates, version: outcome.version ?? bom.coordinates.version });
    return outcome.management.map((m) => ({ ...m, importedFrom: [via, ...(m.importedFrom ?? [])] }));
  }

  private async bomOutcome(
    coordinates: Coordinates,
    repositories: EffectiveRepository[],
    chain: string[],
  ): Promise<BomOutcome> {
    const key = `${coordinatesId(coordinates)} ${this.settings.signature}`;
    const cached = this.settings.cache.get(key);
    if (cached) return cached;
    if (++this.bomsLoaded > MAX_IMPORTED_BOMS) {
      if (this.bomsLoaded > MAX_IMPORTED_BOMS + 1) return { ok: false };
      return {
        ok: false,
        problem: {
          severity: 'error',
          code: 'maven.bom.too-many',
          message: `more than ${MAX_IMPORTED_BOMS} BOMs are imported; ${coordinatesId(coordinates)} and the ones after it are not`,
          hint: 'Check the BOMs for imports that fan out without end.',
        },
      };
    }
    const lookup = await this.loader.artifact(coordinates, repositories);
    let outcome: BomOutcome;
    if (!lookup.ok) {
      const tried = lookup.tried.length > 0 ? `; tried ${lookup.tried.join(', ')}` : '';
      outcome = {
        ok: false,
        problem: {
          severity: 'error',
          code: 'maven.bom.unresolvable',
          message: `imported BOM ${coordinatesId(coordinates)} could not be resolved: ${lookup.problem.message}${tried}`,
          hint: 'Make the BOM reachable (a repository in the POM or settings.xml, or the local repository); the versions it manages are missing meanwhile.',
        },
      };
    } else {
      const base = repositories.filter((r) => r.declaredIn !== SUPER_POM);
      const model = await this.build(lookup.loaded.pom, lookup.loaded.origin, chain, base);
      outcome = {
        ok: true,
        management: model.dependencyManagement,
        origin: lookup.loaded.origin,
        version: model.coordinates.version || undefined,
        problems: model.problems,
      };
    }
    this.settings.cache.set(key, outcome);
    return outcome;
  }
}

// ---- helpers ----

/** Merges the chain from Maven's super POM down to the POM. */
function assemble(lineage: Lineage): WorkingModel {
  const entries = lineage.entries;
  let model = inherit(entries[entries.length - 1]!.model, superPom());
  for (let i = entries.length - 2; i >= 0; i--) model = inherit(entries[i]!.model, model);
  if (!lineage.complete) {
    // The parent could not be loaded: its <parent> element still tells what the POM would inherit.
    const ref = entries[entries.length - 1]!.pom.parent;
    model = { ...model, groupId: model.groupId ?? ref?.groupId, version: model.version ?? ref?.version };
  }
  return model;
}

/** For `url` and each `scm` URL, the nearest POM of the chain that writes it (as Maven inherits them). */
function sourceDeclarationsOf(lineage: Lineage): SourceDeclaration[] {
  const declarations: SourceDeclaration[] = [];
  const fields: [SourceDeclaration['field'], (m: WorkingModel) => string | undefined][] = [
    ['scm.url', (m) => m.scm?.url],
    ['scm.connection', (m) => m.scm?.connection],
    ['scm.developerConnection', (m) => m.scm?.developerConnection],
    ['url', (m) => m.url],
  ];
  for (const [field, read] of fields) {
    const depth = lineage.entries.findIndex((entry) => read(entry.model) !== undefined);
    if (depth >= 0) declarations.push({ field, depth, raw: read(lineage.entries[depth]!.model)! });
  }
  return declarations;
}

/** The merged model with every value interpolated in the POM's own context. */
function interpolateModel(merged: WorkingModel, file: string, interpolator: Interpolator) {
  const value = (v: string | undefined, at = file, line = 0) =>
    interpolator.interpolateOptional(v, { file: at, line });
  const properties = new Map<string, string>();
  for (const [name, raw] of merged.properties) {
    properties.set(name, interpolator.interpolate(raw, { file, line: 0 }, false));
  }
  const licenses = merged.licenses;
  const url = value(merged.url);
  return {
    coordinates: {
      groupId: value(merged.groupId) ?? '',
      artifactId: value(merged.artifactId) ?? '',
      version: value(merged.version) ?? '',
    },
    packaging: value(merged.packaging) ?? 'jar',
    name: value(merged.name),
    description: value(merged.description),
    properties,
    repositories: merged.repositories.map((r): EffectiveRepository =>
      dropUndefined({
        ...r,
        id: value(r.id, r.declaredIn, r.line),
        url: value(r.url, r.declaredIn, r.line),
        releases: value(r.releases, r.declaredIn, r.line),
        snapshots: value(r.snapshots, r.declaredIn, r.line),
      }),
    ),
    dependencies: merged.dependencies.map((d) => interpolateDependency(d, interpolator)),
    dependencyManagement: merged.dependencyManagement.map((d) => interpolateDependency(d, interpolator)),
    licenses: (licenses?.licenses ?? []).map((l): EffectiveLicense =>
      dropUndefined({
        name: value(l.name, licenses!.declaredIn, l.line),
        url: value(l.url, licenses!.declaredIn, l.line),
        distribution: value(l.distribution, licenses!.declaredIn, l.line),
        comments: value(l.comments, licenses!.declaredIn, l.line),
        line: l.line,
        declaredIn: licenses!.declaredIn,
      }),
    ),
    url: url === undefined ? undefined : normalizeUrl(url),
    scm: merged.scm ? interpolateScm(merged.scm, (v) => value(v)) : undefined,
    organization: merged.organization
      ? dropUndefined({ name: value(merged.organization.name), url: value(merged.organization.url) })
      : undefined,
    relocation: merged.relocation
      ? dropUndefined({
          groupId: value(merged.relocation.groupId),
          artifactId: value(merged.relocation.artifactId),
          version: value(merged.relocation.version),
          message: value(merged.relocation.message),
        })
      : undefined,
    modules: merged.modules.map((m) => value(m)!),
  };
}

function interpolateDependency(d: SourcedDependency, interpolator: Interpolator): SourcedDependency {
  const site = { file: d.declaredIn, line: d.line };
  const v = (s: string | undefined) => interpolator.interpolateOptional(s, site);
  return dropUndefined({
    groupId: v(d.groupId),
    artifactId: v(d.artifactId),
    version: v(d.version),
    type: v(d.type),
    classifier: v(d.classifier),
    scope: v(d.scope),
    optional: v(d.optional),
    systemPath: v(d.systemPath),
    exclusions: d.exclusions.map((e) => ({
      groupId: interpolator.interpolate(e.groupId, site),
      artifactId: interpolator.interpolate(e.artifactId, site),
    })),
    line: d.line,
    declaredIn: d.declaredIn,
  });
}

function interpolateScm(scm: Scm, value: (v: string | undefined) => string | undefined): Scm {
  const normalized = (v: string | undefined) => {
    const interpolated = value(v);
    return interpolated === undefined ? undefined : normalizeUrl(interpolated);
  };
  return dropUndefined({
    url: normalized(scm.url),
    connection: normalized(scm.connection),
    developerConnection: normalized(scm.developerConnection),
    tag: value(scm.tag),
  });
}

function reportInterpolation(interpolator: Interpolator, file: string, problems: Problems): void {
  for (const failure of interpolator.failures) {
    const why =
      failure.kind === 'cycle'
        ? `the properties refer to themselves: ${failure.chain.join(' -> ')}`
        : failure.kind === 'too-deep'
          ? `${failure.expression} nests expressions more than ${MAX_INTERPOLATION_DEPTH} deep`
          : `${failure.expression} expands to more than ${MAX_INTERPOLATED_LENGTH} characters`;
    const what = `"${failure.value}" cannot be interpolated, ${why}`;
    problems.add(
      'error',
      `maven.interpolation.${failure.kind}`,
      failure.site.file,
      failure.site.line || undefined,
      `${what}; the value is left as written`,
      'Fix the property definitions.',
    );
  }
  if (interpolator.undefinedExpressions.size > 0) {
    const listed = [...interpolator.undefinedExpressions].map(
      ([expression, site]) => `${expression} (${site.file}${site.line ? `:${site.line}` : ''})`,
    );
    problems.add(
      'warning',
      'maven.interpolation.undefined',
      file,
      undefined,
      `${listed.length} undefined ${listed.length === 1 ? 'expression is' : 'expressions are'} left as written: ${listed.join(', ')}`,
      'Define the properties in the POM or a parent, or pass them with --maven-property / the environment.',
    );
  }
}

function reportMissingVersions(
  dependencies: EffectiveDependency[],
  parentChainComplete: boolean,
  problems: Problems,
): void {
  for (const d of dependencies) {
    if (d.version !== undefined && d.version !== '') continue;
    problems.add(
      parentChainComplete ? 'error' : 'warning',
      'maven.dependency.missing-version',
      d.declaredIn,
      d.line,
      `${d.groupId}:${d.artifactId} has no version, and no dependencyManagement of the POM, its parents or imported BOMs gives one${parentChainComplete ? '' : ' (the unresolved parent probably does)'}`,
      'Declare a version, or make the parent or BOM that manages it resolvable.',
    );
  }
}

/** Maven refuses a parent whose packaging is not `pom`; here it is said and the parent used anyway. */
function checkParentPackaging(parent: RawPom, file: string, line: number, problems: Problems): void {
  const packaging = parent.packaging ?? 'jar';
  if (packaging === 'pom' || packaging.includes('${')) return;
  problems.add(
    'warning',
    'maven.parent.packaging',
    file,
    line,
    `parent ${rawId(parent)} has packaging "${packaging}"; a parent POM must have packaging "pom"`,
    'Maven refuses this parent; point <parent> at a POM with <packaging>pom</packaging>.',
  );
}

/**
 * What the walk up the parent chain knows before the model is merged: the properties seen so far (the
 * nearest POM's win) and the repositories to search for the next parent (the first of an id wins,
 * Maven Central last unless overridden), their URLs interpolated with those properties.
 */
class KnownSoFar {
  private readonly properties = new Map<string, string>();
  private readonly byId = new Map<string, Repository>();

  constructor(
    private readonly settings: Settings,
    base: readonly Repository[],
  ) {
    for (const r of base) this.addRepository(r);
  }

  add(model: WorkingModel): void {
    for (const [name, v] of model.properties) if (!this.properties.has(name)) this.properties.set(name, v);
    const interpolator = this.interpolator();
    for (const r of model.repositories) {
      if (r.url === undefined) continue;
      const url = interpolator.interpolate(r.url, { file: r.declaredIn, line: r.line }, false);
      // A URL still holding ${...} may be completed by a parent's property: the final model has it.
      if (!url.includes('${')) this.addRepository({ ...r, url });
    }
  }

  interpolate(value: string, site: { file: string; line: number }): string {
    return this.interpolator().interpolate(value, site, false);
  }

  repositories(): Repository[] {
    const list = [...this.byId.values()];
    if (!this.byId.has('central'))
      list.push({ id: 'central', url: CENTRAL_URL, snapshots: 'false', line: 0 });
    return list;
  }

  private addRepository(r: Repository): void {
    const id = r.id ?? '';
    if (!this.byId.has(id)) this.byId.set(id, r);
  }

  private interpolator(): Interpolator {
    return new Interpolator({
      project: () => undefined,
      userProperties: this.settings.user,
      modelProperties: this.properties,
      systemProperties: this.settings.system,
    });
  }
}

/** The keys a POM of the chain is known by, for cycles: its coordinates and, in the tree, its path. */
function identities(loaded: LoadedPom): string[] {
  const keys = [rawId(loaded.pom)];
  if (loaded.origin.kind === 'tree') keys.push(`tree:${loaded.origin.path}`);
  return keys;
}

/** The id Maven uses for cycles: groupId and version from <parent> when the POM does not declare them. */
function rawId(pom: RawPom): string {
  return `${pom.groupId ?? pom.parent?.groupId ?? ''}:${pom.artifactId ?? ''}:${pom.version ?? pom.parent?.version ?? ''}`;
}

function coordinatesId(c: Coordinates): string {
  return `${c.groupId}:${c.artifactId}:${c.version}`;
}

/** Another version in the tree is the parent only when <parent> asks for a range that contains it. */
function versionAccepted(asked: string, found: string): boolean {
  if (!isRange(asked)) return false;
  const range = parseRange(asked);
  return range.ok && rangeContains(range.range, found);
}

class Problems {
  readonly list: Problem[] = [];
  private readonly seen = new Set<string>();

  push(problem: Problem): void {
    const key = `${problem.code}\u0000${problem.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(problem);
  }

  add(
    severity: Severity,
    code: string,
    file: string,
    line: number | undefined,
    what: string,
    hint: string,
  ): void {
    const problem: Problem = {
      severity,
      code,
      message: `${file}${line ? `:${line}` : ''}: ${what}`,
      file,
      hint,
    };
    if (line) problem.line = line;
    this.push(problem);
  }
}
