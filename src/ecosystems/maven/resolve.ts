/**
 * The transitive dependency graph of a POM as Maven 3 (maven-resolver 1.6, Maven 3.8) resolves it, pure
 * given a ModelSource that hands out the effective model of any artifact and the versions a repository
 * lists.
 *
 * Maven collects the whole "dirty" tree, then its ConflictResolver keeps one node per
 * `groupId:artifactId:extension:classifier`. Walking breadth-first and letting the first occurrence of each
 * artifact win gives the same tree, because the winner is the nearest occurrence and, among equally near
 * ones, the first in declaration order; losers' subtrees are never followed. Then:
 * - a dependency's own test and provided dependencies, and its optional ones, are not followed; exclusions
 *   declared on any edge of the path apply to the whole subtree below it;
 * - the root's dependencyManagement sets versions, scopes, optional flags and system paths of transitive
 *   dependencies (ClassicDependencyManager);
 * - version ranges are hard constraints: the winner must satisfy every range that any occurrence of the
 *   artifact asks for, so a nearer plain version, even a direct one, gives way to a farther range (Maven
 *   backtracks; here the walk runs again with the constraints learnt, a few times at most); a range
 *   resolves to the highest version available in it; a range nothing satisfies constrains nothing;
 * - an artifact's scope is not that of its winning path: it is the scope of the direct dependency when
 *   there is one, else the widest scope it is reached with over every occurrence (JavaScopeSelector), each
 *   derived from the final scope of the dependency that declares it (JavaScopeDeriver). Optional likewise.
 *
 * Two simplifications, both about occurrences that lose on their declared coordinates: their POM is not
 * read, so a relocation they would have followed is not (Maven reads every POM of its dirty tree); and two
 * declarations of one artifact by the same POM keep the first, where Maven keeps the higher version (the
 * model builder already merged duplicates, so only types that map to one extension and classifier, such
 * as `test-jar` and `jar` + `tests`, can meet there).
 *
 * Nothing here throws on bad input: cycles end where the artifact already won, relocation loops, missing
 * POMs, unsatisfiable ranges and the size and depth bounds are problems, and the graph goes on.
 */
import type { Problem } from '../../core/model.js';
import type { EffectiveDependency, EffectiveModel } from './effective-model.js';
import type { Coordinates, Exclusion, Repository } from './pom-model.js';
import { artifactType } from './resolve-artifact-types.js';
import {
  conflictKey,
  effectiveClassifier,
  excludes,
  RootManagement,
  unionExclusions,
  type Managed,
} from './resolve-management.js';
import { deriveScope, NON_TRANSITIVE_SCOPES, widestScope } from './resolve-scope.js';
import { isRange, isSnapshot, parseRange, pickVersion, rangeContains, type VersionRange } from './version.js';

export type ModelOutcome =
  { ok: true; model: EffectiveModel } | { ok: false; reason: string; tried: string[] };

/** Where the resolver gets other artifacts' models and the versions a repository lists. */
export interface ModelSource {
  model(coordinates: Coordinates, repositories: readonly Repository[]): Promise<ModelOutcome>;
  /** The versions `maven-metadata.xml` lists, over every repository that may hold the artifact. */
  versions(groupId: string, artifactId: string, repositories: readonly Repository[]): Promise<string[]>;
  /**
   * The versions the scanned tree builds of this artifact, if any. A range is satisfied by them first,
   * snapshots included (as Maven's workspace reader does for a reactor); the repositories only when none fits.
   */
  firstPartyVersions?(groupId: string, artifactId: string): Promise<string[]>;
}

export interface ResolveOptions {
  /** Most artifacts in the graph (default 10,000); beyond, a problem and the graph stops growing. */
  maxNodes?: number;
  /** Deepest level whose dependencies are followed (default 100; direct dependencies are level 1). */
  maxDepth?: number;
  /** Most ModelSource requests in flight (default 16). */
  concurrency?: number;
}

export const DEFAULT_MAX_NODES = 10_000;
export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_CONCURRENCY = 16;
/** Longest chain of relocations followed. */
export const MAX_RELOCATIONS = 16;
/** Walks made to satisfy version ranges learnt along the way (Maven's backtracking). */
export const MAX_CONSTRAINT_ROUNDS = 8;

export interface ResolvedNode {
  /** `groupId:artifactId:type:classifier`, the classifier empty when there is none. */
  key: string;
  groupId: string;
  artifactId: string;
  /** The version picked; the range as written when it could not be resolved. */
  version: string;
  /** As written (`jar` by default; `test-jar`, `pom`, `lutece-plugin`...). */
  type: string;
  /** The file extension the type stands for (`lutece-plugin` is a jar, as its artifact handler says). */
  extension: string;
  /** As declared, or implied by the type (`test-jar`: `tests`). */
  classifier?: string;
  /** The effective scope: compile, runtime, provided, test or system. */
  scope: string;
  optional: boolean;
  /** 1 for a direct dependency. */
  depth: number;
  /** `groupId:artifactId:version` from the root's direct dependency to this one, both included. */
  path: string[];
  /** `groupId:artifactId:version` that was asked for, when a relocation led here. */
  relocatedFrom?: string;
  systemPath?: string;
  /** The version range asked for, when the version came from one. */
  range?: string;
  /** Why its version or its POM could not be resolved (a problem says so too); its dependencies are missing. */
  unresolved?: string;
  /**
   * The `<dependency>` of the root's effective model that `path` starts from: the source of the POM
   * that declares it (the root, a parent or one of their profiles: a path or a repository URL) and its line.
   */
  declaredAt: { file: string; line: number };
}

export interface ResolvedEdge {
  /** A node key, or `root`. */
  from: string;
  to: string;
}

export type OmissionReason = 'nearer' | 'conflict' | 'excluded' | 'optional' | 'scope';

/**
 * A dependency that is not in the graph, and why (diagnostics; each (key, version, reason) once). `nearer`
 * is recorded only for another version than the one that won: repeated occurrences of the winning version
 * are the normal case.
 */
export interface OmittedDependency {
  key: string;
  /** The version or range asked for ('' when none). */
  version: string;
  reason: OmissionReason;
}

export interface Resolution {
  /**
   * Breadth-first: nearest first, in declaration order; an artifact no version of which satisfies every
   * range asked for comes last, unresolved.
   */
  nodes: ResolvedNode[];
  /**
   * After mediation: every declared dependency that survives selection points at the node its artifact
   * resolved to, wherever that node sits in the tree (`path` gives the tree itself).
   */
  edges: ResolvedEdge[];
  omitted: OmittedDependency[];
  problems: Problem[];
}

export async function resolveDependencies(
  root: EffectiveModel,
  source: ModelSource,
  options: ResolveOptions = {},
): Promise<Resolution> {
  return new Resolver(root, source, options).resolve();
}

const ROOT = -1;

/** One `<dependency>` of a POM in the graph, after the selectors and the root's management. */
interface Item {
  /** Index of the winner that declares it, or ROOT. */
  parent: number;
  groupId: string;
  artifactId: string;
  /** `groupId:artifactId:extension:classifier`: what Maven mediates on. */
  key: string;
  /** Version or range; undefined when nothing gives one. */
  spec?: string;
  type: string;
  classifier: string;
  scope: string;
  optional: boolean;
  /** Set by the root's management: then not derived from the parent's (Maven's managed bits). */
  managedScope: boolean;
  managedOptional: boolean;
  systemPath?: string;
  exclusions: readonly Exclusion[];
  /** The direct dependency the path starts from, for problems. */
  site: Site;
}

interface Site {
  file: string;
  line: number;
}

/** Exclusions of every edge on a path, innermost first (shared between siblings). */
interface ExclusionChain {
  exclusions: readonly Exclusion[];
  up: ExclusionChain | null;
}

/** What an occurrence of an artifact resolved to. */
interface Resolved {
  /** The item after relocations. */
  item: Item;
  version: string;
  range?: string;
  model?: EffectiveModel;
  relocatedFrom?: string;
  unresolved?: string;
  /** No version satisfies the ranges other occurrences ask for. */
  rejected?: boolean;
  /** Relocated to an artifact an exclusion on the path removes. */
  excluded?: boolean;
}

interface Winner extends Resolved {
  key: string;
  conflictKey: string;
  depth: number;
  exclusions: ExclusionChain | null;
  /** Repositories its dependencies are looked for in: those of the path plus those its POM declares. */
  childRepositories: readonly Repository[];
}

/** An occurrence, kept for scopes, optional flags, edges and range constraints once the walk is over. */
interface Occurrence {
  parent: number;
  groupId: string;
  artifactId: string;
  conflictKey: string;
  scope: string;
  optional: boolean;
  managedScope: boolean;
  managedOptional: boolean;
  /** The range it asks for: a hard constraint on the winner. */
  range?: VersionRange;
}

class Walk {
  readonly winners: Winner[] = [];
  readonly winnerOf = new Map<string, number>();
  readonly occurrences: Occurrence[] = [];
  readonly omitted = new Map<string, OmittedDependency>();
  readonly problems: Problem[] = [];
  /** Artifacts whose every occurrence so far was rejected by a range: the first of them. */
  readonly rejected = new Map<string, Item>();
  truncated = false;
  tooDeep = false;

  omit(
    item: Pick<Item, 'groupId' | 'artifactId' | 'type' | 'classifier'>,
    version: string,
    reason: OmissionReason,
  ): void {
    const key = nodeKey(item);
    const id = `${key}|${version}|${reason}`;
    if (!this.omitted.has(id)) this.omitted.set(id, { key, version, reason });
  }
}

type VersionPick =
  { ok: true; version: string; range?: string } | { ok: false; unresolved?: string; rejected?: true };

class Resolver {
  private readonly management: RootManagement;
  private readonly maxNodes: number;
  private readonly maxDepth: number;
  private readonly limit: Limiter;
  private readonly models = new Map<string, Promise<ModelOutcome>>();
  private readonly versionLists = new Map<string, Promise<string[]>>();
  private readonly rootKey: string;
  private constraints = new Map<string, VersionRange[]>();

  constructor(
    private readonly root: EffectiveModel,
    private readonly source: ModelSource,
    options: ResolveOptions,
  ) {
    this.management = new RootManagement(root.dependencyManagement);
    this.maxNodes = bound(options.maxNodes, DEFAULT_MAX_NODES);
    this.maxDepth = bound(options.maxDepth, DEFAULT_MAX_DEPTH);
    this.limit = limiter(Math.max(1, bound(options.concurrency, DEFAULT_CONCURRENCY)));
    const { groupId, artifactId } = root.coordinates;
    this.rootKey = conflictKey(groupId, artifactId, root.packaging, '');
  }

  async resolve(): Promise<Resolution> {
    let walk = await this.walk();
    for (let round = 1; await this.learnConstraints(walk); round++) {
      if (round >= MAX_CONSTRAINT_ROUNDS) {
        walk.problems.push({
          severity: 'warning',
          code: 'maven.resolve.ranges-unsettled',
          message: `${this.root.source}: the version ranges of the graph still conflict after ${MAX_CONSTRAINT_ROUNDS} walks; some versions may not satisfy every range asking for them`,
          file: this.root.source,
          hint: 'Check the version ranges the dependencies declare for the same artifact.',
        });
        break;
      }
      walk = await this.walk();
    }
    this.addRejected(walk);
    return this.result(walk);
  }

  // ---- the walk ----

  private async walk(): Promise<Walk> {
    const walk = new Walk();
    let level = this.directItems();
    for (let depth = 1; level.length > 0 && !walk.truncated; depth++) {
      const first = walk.winners.length;
      await this.settle(level, depth, walk);
      level = this.expand(walk, first, depth);
    }
    return walk;
  }

  private directItems(): Item[] {
    return this.root.dependencies.map((dep) => {
      const classifier = effectiveClassifier(dep.type, dep.classifier);
      const key = conflictKey(dep.groupId, dep.artifactId, dep.type, classifier);
      const managed = this.management.get(key);
      const item: Item = {
        parent: ROOT,
        groupId: dep.groupId,
        artifactId: dep.artifactId,
        key,
        type: dep.type,
        classifier,
        scope: dep.scope,
        optional: dep.optional,
        managedScope: false,
        managedOptional: false,
        exclusions: unionExclusions(dep.exclusions, managed?.exclusions ?? []),
        site: { file: dep.declaredIn, line: dep.line },
      };
      if (dep.version !== undefined) item.spec = dep.version;
      if (dep.systemPath !== undefined) item.systemPath = dep.systemPath;
      return item;
    });
  }

  /** Decides the winners among one level's occurrences, in order. */
  private async settle(level: Item[], depth: number, walk: Walk): Promise<void> {
    // The first occurrence of each artifact no earlier level decided is the likely winner: fetch those
    // together. A later one is only fetched when the first did not win (rejected, relocated away).
    const firstOf = new Set<string>();
    const likely: number[] = [];
    const room = this.maxNodes - walk.winners.length;
    for (let i = 0; i < level.length && likely.length < room; i++) {
      const key = level[i]!.key;
      if (key === this.rootKey || walk.winnerOf.has(key) || firstOf.has(key)) continue;
      firstOf.add(key);
      likely.push(i);
    }
    const results = await Promise.all(likely.map((i) => this.resolveItem(level[i]!, walk)));
    const prefetched = new Map<number, Resolved>();
    for (let k = 0; k < likely.length; k++) prefetched.set(likely[k]!, results[k]!);
    for (let i = 0; i < level.length; i++) {
      const item = level[i]!;
      const key = item.key;
      if (key === this.rootKey) {
        this.selfReference(item, walk);
        continue;
      }
      if (walk.winnerOf.has(key)) {
        this.lose(item, key, walk);
        continue;
      }
      const resolved = prefetched.get(i) ?? (await this.resolveItem(item, walk));
      if (resolved.excluded) {
        walk.omit(resolved.item, resolved.version, 'excluded');
        continue;
      }
      const finalKey = resolved.item.key;
      if (finalKey !== key) {
        if (finalKey === this.rootKey) {
          this.selfReference(resolved.item, walk);
          continue;
        }
        if (walk.winnerOf.has(finalKey)) {
          this.lose({ ...resolved.item, spec: resolved.version }, finalKey, walk);
          continue;
        }
      }
      this.record(resolved.item, finalKey, walk);
      if (resolved.rejected) {
        walk.omit(resolved.item, resolved.item.spec ?? '', 'conflict');
        if (!walk.rejected.has(finalKey)) walk.rejected.set(finalKey, resolved.item);
        continue;
      }
      if (walk.winners.length >= this.maxNodes) {
        this.truncate(walk);
        return;
      }
      this.win(resolved, finalKey, depth, walk);
    }
  }

  private win(resolved: Resolved, key: string, depth: number, walk: Walk): void {
    const { item } = resolved;
    const parent = item.parent === ROOT ? undefined : walk.winners[item.parent]!;
    const chain = parent ? parent.exclusions : null;
    const repositories = parent ? parent.childRepositories : this.root.repositories;
    walk.winnerOf.set(key, walk.winners.length);
    walk.rejected.delete(key);
    const winner: Winner = {
      item,
      version: resolved.version,
      key: nodeKey(item),
      conflictKey: key,
      depth,
      exclusions: item.exclusions.length > 0 ? { exclusions: item.exclusions, up: chain } : chain,
      childRepositories: resolved.model
        ? aggregateRepositories(repositories, resolved.model.repositories)
        : repositories,
    };
    if (resolved.range !== undefined) winner.range = resolved.range;
    if (resolved.model !== undefined) winner.model = resolved.model;
    if (resolved.relocatedFrom !== undefined) winner.relocatedFrom = resolved.relocatedFrom;
    if (resolved.unresolved !== undefined) winner.unresolved = resolved.unresolved;
    walk.winners.push(winner);
  }

  private lose(item: Item, key: string, walk: Walk): void {
    this.record(item, key, walk);
    const winner = walk.winners[walk.winnerOf.get(key)!]!;
    const version = item.spec ?? '';
    if (version !== winner.version) walk.omit(item, version, 'nearer');
  }

  private record(item: Item, key: string, walk: Walk): void {
    const occurrence: Occurrence = {
      parent: item.parent,
      groupId: item.groupId,
      artifactId: item.artifactId,
      conflictKey: key,
      scope: item.scope,
      optional: item.optional,
      managedScope: item.managedScope,
      managedOptional: item.managedOptional,
    };
    if (item.spec !== undefined && isRange(item.spec)) {
      const parsed = parseRange(item.spec);
      if (parsed.ok && parsed.range.kind === 'range') occurrence.range = parsed.range;
    }
    walk.occurrences.push(occurrence);
  }

  /** A dependency on the project itself: a problem when the project declares it, a cycle otherwise. */
  private selfReference(item: Item, walk: Walk): void {
    walk.omit(item, item.spec ?? '', 'nearer');
    if (item.parent !== ROOT) return;
    walk.problems.push({
      severity: 'error',
      code: 'maven.resolve.self-dependency',
      message: `${item.site.file}:${item.site.line}: the project ${this.root.coordinates.groupId}:${this.root.coordinates.artifactId} depends on itself; the dependency is ignored`,
      file: item.site.file,
      line: item.site.line,
      hint: 'Remove the <dependency> on the project itself (a test-jar of it needs <type>test-jar</type>).',
    });
  }

  private truncate(walk: Walk): void {
    walk.truncated = true;
    walk.problems.push({
      severity: 'error',
      code: 'maven.resolve.too-many-nodes',
      message: `${this.root.source}: the dependency graph has more than ${this.maxNodes} artifacts; the rest is not resolved`,
      file: this.root.source,
      hint: 'Check the dependencies for a generated or hostile POM, or raise the limit.',
    });
  }

  /** The occurrences one level down: each new winner's dependencies, through the selectors. */
  private expand(walk: Walk, first: number, depth: number): Item[] {
    const next: Item[] = [];
    for (let w = first; w < walk.winners.length; w++) {
      const winner = walk.winners[w]!;
      if (
        !winner.model ||
        winner.item.scope === 'system' ||
        artifactType(winner.item.type).includesDependencies
      )
        continue;
      if (depth >= this.maxDepth) {
        if (winner.model.dependencies.length > 0) this.tooDeep(winner, walk);
        continue;
      }
      for (const dep of winner.model.dependencies) {
        const item = this.transitiveItem(dep, w, winner, walk);
        if (item) next.push(item);
      }
    }
    return next;
  }

  private tooDeep(winner: Winner, walk: Walk): void {
    if (walk.tooDeep) return;
    walk.tooDeep = true;
    walk.problems.push({
      severity: 'warning',
      code: 'maven.resolve.too-deep',
      message: `${this.root.source}: the dependency graph is deeper than ${this.maxDepth} levels (at ${winner.item.groupId}:${winner.item.artifactId}:${winner.version}); deeper dependencies are not resolved`,
      file: winner.item.site.file,
      line: winner.item.site.line,
      hint: 'Check the dependencies for a chain of generated POMs, or raise the limit.',
    });
  }

  /** Maven's selectors (test/provided and optional dependencies are not transitive; exclusions), then management. */
  private transitiveItem(
    dep: EffectiveDependency,
    parent: number,
    winner: Winner,
    walk: Walk,
  ): Item | undefined {
    const classifier = effectiveClassifier(dep.type, dep.classifier);
    const coordinates = { groupId: dep.groupId, artifactId: dep.artifactId, type: dep.type, classifier };
    const key = conflictKey(dep.groupId, dep.artifactId, dep.type, classifier);
    if (NON_TRANSITIVE_SCOPES.has(dep.scope)) {
      walk.omit(coordinates, dep.version ?? '', 'scope');
      return undefined;
    }
    if (dep.optional) {
      walk.omit(coordinates, dep.version ?? '', 'optional');
      return undefined;
    }
    if (isExcluded(winner.exclusions, dep.groupId, dep.artifactId)) {
      walk.omit(coordinates, dep.version ?? '', 'excluded');
      return undefined;
    }
    const item: Item = {
      parent,
      ...coordinates,
      key,
      scope: dep.scope,
      optional: false,
      managedScope: false,
      managedOptional: false,
      exclusions: dep.exclusions,
      site: winner.item.site,
    };
    if (dep.version !== undefined) item.spec = dep.version;
    if (dep.systemPath !== undefined) item.systemPath = dep.systemPath;
    return this.manage(item, true);
  }

  private manage(item: Item, manageVersion: boolean): Item {
    const managed: Managed | undefined = this.management.get(item.key);
    if (!managed) return item;
    const out: Item = { ...item, exclusions: unionExclusions(item.exclusions, managed.exclusions) };
    if (manageVersion && managed.version !== undefined) out.spec = managed.version;
    if (managed.scope !== undefined) {
      out.scope = managed.scope;
      out.managedScope = true;
      if (managed.scope !== 'system') delete out.systemPath;
    }
    if (out.scope === 'system' && managed.systemPath !== undefined) out.systemPath = managed.systemPath;
    if (managed.optional !== undefined) {
      out.optional = managed.optional;
      out.managedOptional = true;
    }
    return out;
  }

  // ---- versions, models, relocations ----

  private async resolveItem(item: Item, walk: Walk): Promise<Resolved> {
    const parent = item.parent === ROOT ? undefined : walk.winners[item.parent]!;
    const repositories = parent ? parent.childRepositories : this.root.repositories;
    const chain = parent ? parent.exclusions : null;
    let current = item;
    const visited: string[] = [];
    let relocatedFrom: string | undefined;
    for (;;) {
      const picked = await this.pick(current, repositories);
      if (!picked.ok) {
        const resolved: Resolved = { item: current, version: current.spec ?? '' };
        if (picked.rejected) resolved.rejected = true;
        if (picked.unresolved !== undefined) resolved.unresolved = picked.unresolved;
        return withRelocation(resolved, relocatedFrom);
      }
      const base: Resolved = { item: current, version: picked.version };
      if (picked.range !== undefined) base.range = picked.range;
      if (current.scope === 'system') return withRelocation(base, relocatedFrom);
      const id = `${current.groupId}:${current.artifactId}:${picked.version}`;
      const outcome = await this.model(current, picked.version, repositories);
      if (!outcome.ok) {
        const tried = outcome.tried.length > 0 ? `; tried ${outcome.tried.join(', ')}` : '';
        return withRelocation({ ...base, unresolved: `${outcome.reason}${tried}` }, relocatedFrom);
      }
      const relocation = outcome.model.relocation;
      if (!relocation) return withRelocation({ ...base, model: outcome.model }, relocatedFrom);
      visited.push(id);
      const target = {
        groupId: relocation.groupId || current.groupId,
        artifactId: relocation.artifactId || current.artifactId,
        version: relocation.version || picked.version,
      };
      const targetId = `${target.groupId}:${target.artifactId}:${target.version}`;
      if (visited.includes(targetId) || visited.length > MAX_RELOCATIONS) {
        return this.relocationLoop(item, [...visited, targetId], walk);
      }
      relocatedFrom ??= id;
      const moved: Item = {
        ...current,
        groupId: target.groupId,
        artifactId: target.artifactId,
        key: conflictKey(target.groupId, target.artifactId, current.type, current.classifier),
        spec: target.version,
      };
      if (isExcluded(chain, target.groupId, target.artifactId)) {
        return { item: moved, version: target.version, excluded: true };
      }
      // Maven processes the relocated dependency again; management then applies to the new artifact, but
      // not its version when only the version moved.
      const sameArtifact = target.groupId === current.groupId && target.artifactId === current.artifactId;
      current = item.parent === ROOT ? moved : this.manage(moved, !sameArtifact);
    }
  }

  private relocationLoop(item: Item, chain: string[], walk: Walk): Resolved {
    const reason = `the relocations form a loop: ${chain.join(' -> ')}`;
    walk.problems.push({
      severity: 'error',
      code: 'maven.resolve.relocation-loop',
      message: `${item.groupId}:${item.artifactId}: ${reason}; its dependencies are not resolved`,
      file: item.site.file,
      line: item.site.line,
      hint: 'The POMs of those versions relocate to each other: depend on the artifact that holds the code.',
    });
    return { item, version: item.spec ?? '', unresolved: reason };
  }

  /** The version an occurrence asks for, given the ranges other occurrences of the artifact impose. */
  private async pick(item: Item, repositories: readonly Repository[]): Promise<VersionPick> {
    const spec = item.spec?.trim();
    const name = `${item.groupId}:${item.artifactId}`;
    if (spec === undefined || spec === '') {
      return { ok: false, unresolved: `no version: neither the POM nor the dependencyManagement gives one` };
    }
    const constraints = this.constraints.get(item.key) ?? [];
    // the common case, a plain version nothing constrains, needs no parsing
    if (constraints.length === 0 && !SPECIAL.test(spec)) return { ok: true, version: spec };
    const parsed = parseRange(spec);
    if (!parsed.ok) return { ok: false, unresolved: parsed.reason };
    const acceptable = (v: string) => constraints.every((c) => rangeContains(c, v));
    if (parsed.range.kind === 'soft') {
      if (item.scope === 'system' || acceptable(spec)) return { ok: true, version: spec };
      return { ok: false, rejected: true };
    }
    const { candidates, listed } = await this.available(item, parsed.range, repositories);
    if (candidates.length === 0) return { ok: false, unresolved: whyNone(name, spec, parsed.range, listed) };
    const version = pickVersion(parsed.range, candidates.filter(acceptable), { allowSnapshots: true });
    return version === undefined ? { ok: false, rejected: true } : { ok: true, version, range: spec };
  }

  /**
   * The versions a range may resolve to: those the tree builds inside it, else those the repositories
   * list inside it, snapshots only when a bound of the range is one.
   */
  private async available(
    artifact: { groupId: string; artifactId: string },
    range: VersionRange,
    repositories: readonly Repository[],
  ): Promise<{ candidates: string[]; listed: string[] }> {
    const tree = await this.firstPartyVersions(artifact);
    const inTree = tree.filter((v) => rangeContains(range, v));
    if (inTree.length > 0) return { candidates: inTree, listed: tree };
    const listed = await this.versions(artifact, repositories);
    const snapshots = asksForSnapshots(range);
    const candidates = listed.filter((v) => (snapshots || !isSnapshot(v)) && rangeContains(range, v));
    return { candidates, listed: [...tree, ...listed] };
  }

  private model(item: Item, version: string, repositories: readonly Repository[]): Promise<ModelOutcome> {
    const coordinates = { groupId: item.groupId, artifactId: item.artifactId, version };
    const key = `${coordinates.groupId}:${coordinates.artifactId}:${version}|${signature(repositories)}`;
    let pending = this.models.get(key);
    if (!pending) {
      pending = this.limit(async () => {
        try {
          return await this.source.model(coordinates, repositories);
        } catch (error) {
          return { ok: false, reason: `the model could not be built: ${messageOf(error)}`, tried: [] };
        }
      });
      this.models.set(key, pending);
    }
    return pending;
  }

  private versions(
    artifact: { groupId: string; artifactId: string },
    repositories: readonly Repository[],
  ): Promise<string[]> {
    const { groupId, artifactId } = artifact;
    return this.listing(`${groupId}:${artifactId}|${signature(repositories)}`, () =>
      this.source.versions(groupId, artifactId, repositories),
    );
  }

  private firstPartyVersions(artifact: { groupId: string; artifactId: string }): Promise<string[]> {
    const { groupId, artifactId } = artifact;
    const source = this.source;
    if (!source.firstPartyVersions) return Promise.resolve([]);
    return this.listing(`${groupId}:${artifactId}|tree`, () =>
      source.firstPartyVersions!(groupId, artifactId),
    );
  }

  /** A version list asked once per resolution; a source that fails lists nothing. */
  private listing(key: string, ask: () => Promise<string[]>): Promise<string[]> {
    let pending = this.versionLists.get(key);
    if (!pending) {
      pending = this.limit(async () => {
        try {
          return await ask();
        } catch {
          return [];
        }
      });
      this.versionLists.set(key, pending);
    }
    return pending;
  }

  // ---- range constraints (Maven's backtracking) ----

  /**
   * Adds the ranges a winner does not satisfy to the constraints; true when the walk must run again. A
   * range no available version satisfies constrains nothing: Maven drops such a dependency from the graph.
   */
  private async learnConstraints(walk: Walk): Promise<boolean> {
    let learnt = false;
    for (const occurrence of walk.occurrences) {
      const range = occurrence.range;
      if (!range) continue;
      const w = walk.winnerOf.get(occurrence.conflictKey);
      if (w === undefined) continue;
      const winner = walk.winners[w]!;
      if (winner.unresolved !== undefined || rangeContains(range, winner.version)) continue;
      const known = this.constraints.get(occurrence.conflictKey) ?? [];
      if (known.some((c) => c.spec === range.spec)) continue;
      const parent = occurrence.parent === ROOT ? undefined : walk.winners[occurrence.parent]!;
      const repositories = parent ? parent.childRepositories : this.root.repositories;
      const { candidates } = await this.available(occurrence, range, repositories);
      if (candidates.length === 0) continue;
      this.constraints.set(occurrence.conflictKey, [...known, range]);
      learnt = true;
    }
    return learnt;
  }

  /** An artifact every occurrence of which was rejected by the ranges: a node that says so. */
  private addRejected(walk: Walk): void {
    for (const [key, item] of walk.rejected) {
      if (walk.winnerOf.has(key) || walk.winners.length >= this.maxNodes) continue;
      const ranges = new Set((this.constraints.get(key) ?? []).map((c) => c.spec));
      if (item.spec) ranges.add(item.spec);
      const reason = `no version satisfies all of ${[...ranges].join(', ')}`;
      const depth = item.parent === ROOT ? 1 : walk.winners[item.parent]!.depth + 1;
      this.win({ item, version: item.spec ?? '', unresolved: reason }, key, depth, walk);
      walk.problems.push({
        severity: 'error',
        code: 'maven.resolve.version-conflict',
        message: `${item.groupId}:${item.artifactId}: ${reason} (Maven fails the build here)`,
        file: item.site.file,
        line: item.site.line,
        hint: 'Align the version ranges, or pin the version in the root dependencyManagement.',
      });
    }
  }

  // ---- scopes, optional flags, the result ----

  private result(walk: Walk): Resolution {
    const { scopes, optionals } = settleScopes(walk);
    const paths: string[][] = [];
    const nodes = walk.winners.map((winner, w) => {
      const gav = `${winner.item.groupId}:${winner.item.artifactId}:${winner.version}`;
      const path = winner.item.parent === ROOT ? [gav] : [...paths[winner.item.parent]!, gav];
      paths.push(path);
      return this.nodeOf(winner, scopes[w]!, optionals[w]!, path);
    });
    const problems = [...walk.problems];
    for (const [w, node] of nodes.entries()) {
      if (node.unresolved === undefined) continue;
      const winner = walk.winners[w]!;
      problems.push({
        severity: 'warning',
        code: 'maven.resolve.unresolved',
        message: `${node.groupId}:${node.artifactId}:${node.version} (${node.scope}) could not be resolved: ${node.unresolved}; needed by ${node.path.join(' -> ')}`,
        file: winner.item.site.file,
        line: winner.item.site.line,
        hint: 'Make the artifact reachable (a repository in the POM or settings.xml, or the local repository); its own dependencies are missing meanwhile.',
      });
    }
    return { nodes, edges: edgesOf(walk), omitted: [...walk.omitted.values()], problems };
  }

  private nodeOf(winner: Winner, scope: string, optional: boolean, path: string[]): ResolvedNode {
    const { item } = winner;
    const node: ResolvedNode = {
      key: winner.key,
      groupId: item.groupId,
      artifactId: item.artifactId,
      version: winner.version,
      type: item.type,
      extension: artifactType(item.type).extension,
      scope,
      optional,
      depth: winner.depth,
      path,
      declaredAt: { file: item.site.file, line: item.site.line },
    };
    if (item.classifier !== '') node.classifier = item.classifier;
    if (winner.relocatedFrom !== undefined) node.relocatedFrom = winner.relocatedFrom;
    if (item.scope === 'system' && item.systemPath !== undefined) node.systemPath = item.systemPath;
    if (winner.range !== undefined) node.range = winner.range;
    else if (
      winner.unresolved !== undefined &&
      item.spec !== undefined &&
      parseRangeKind(item.spec) === 'range'
    )
      node.range = item.spec;
    if (winner.unresolved !== undefined) node.unresolved = winner.unresolved;
    return node;
  }
}

/**
 * Final scopes and optional flags, each computed once the final scopes of the dependencies declaring its
 * occurrences are known (Maven resolves conflicts in topological order). In a cycle, the nearest waiting
 * artifact goes first with what is known: its tree parent, nearer, is always settled by then.
 */
function settleScopes(walk: Walk): { scopes: string[]; optionals: boolean[] } {
  const n = walk.winners.length;
  const { occurrences } = walk;
  // occurrences grouped by the winner of their artifact, and dependents (winner -> winners it declares), as
  // flat offset tables: the graph may have 10,000 nodes
  const winnerOfOccurrence = new Int32Array(occurrences.length).fill(-1);
  const count = new Int32Array(n + 1);
  const waiting = new Int32Array(n);
  const dependentCount = new Int32Array(n + 1);
  for (let i = 0; i < occurrences.length; i++) {
    const occurrence = occurrences[i]!;
    const w = walk.winnerOf.get(occurrence.conflictKey);
    if (w === undefined) continue;
    winnerOfOccurrence[i] = w;
    count[w + 1]!++;
    if (occurrence.parent !== ROOT && occurrence.parent !== w) {
      waiting[w]!++;
      dependentCount[occurrence.parent + 1]!++;
    }
  }
  for (let w = 0; w < n; w++) {
    count[w + 1]! += count[w]!;
    dependentCount[w + 1]! += dependentCount[w]!;
  }
  const byWinner = new Int32Array(count[n]!);
  const dependents = new Int32Array(dependentCount[n]!);
  const fill = count.slice(0, n);
  const dependentFill = dependentCount.slice(0, n);
  for (let i = 0; i < occurrences.length; i++) {
    const occurrence = occurrences[i]!;
    const w = winnerOfOccurrence[i]!;
    if (w < 0) continue;
    byWinner[fill[w]!++] = i;
    if (occurrence.parent !== ROOT && occurrence.parent !== w)
      dependents[dependentFill[occurrence.parent]!++] = w;
  }
  const scopes: string[] = new Array<string>(n);
  const optionals: boolean[] = new Array<boolean>(n);
  const done = new Uint8Array(n);
  const ready: number[] = [];
  for (let w = n - 1; w >= 0; w--) if (waiting[w] === 0) ready.push(w);
  let lowest = 0;
  for (let settled = 0; settled < n; settled++) {
    let w = ready.pop();
    while (w !== undefined && done[w]) w = ready.pop();
    if (w === undefined) {
      while (done[lowest]) lowest++;
      w = lowest;
    }
    const own: Occurrence[] = [];
    for (let k = count[w]!; k < count[w + 1]!; k++) own.push(occurrences[byWinner[k]!]!);
    scopes[w] = scopeOf(walk.winners[w]!, own, scopes, done);
    optionals[w] = optionalOf(own, optionals, done);
    done[w] = 1;
    for (let k = dependentCount[w]!; k < dependentCount[w + 1]!; k++) {
      const d = dependents[k]!;
      if (--waiting[d]! === 0 && !done[d]) ready.push(d);
    }
  }
  return { scopes, optionals };
}

function scopeOf(winner: Winner, occurrences: Occurrence[], scopes: string[], done: Uint8Array): string {
  if (winner.item.scope === 'system') return 'system';
  const derived = new Set<string>();
  for (const occurrence of occurrences) {
    if (occurrence.parent === ROOT) return occurrence.scope;
    if (occurrence.managedScope) derived.add(occurrence.scope);
    else if (done[occurrence.parent]) derived.add(deriveScope(scopes[occurrence.parent]!, occurrence.scope));
  }
  return widestScope(derived) || winner.item.scope;
}

/** Optional only when every occurrence is: declared so, managed so, or below an optional dependency. */
function optionalOf(occurrences: Occurrence[], optionals: boolean[], done: Uint8Array): boolean {
  let optional = true;
  for (const occurrence of occurrences) {
    if (occurrence.parent === ROOT) return occurrence.optional;
    const derived =
      occurrence.optional || occurrence.managedOptional
        ? occurrence.optional
        : done[occurrence.parent]
          ? optionals[occurrence.parent]!
          : true;
    if (!derived) optional = false;
  }
  return optional;
}

function edgesOf(walk: Walk): ResolvedEdge[] {
  const edges: ResolvedEdge[] = [];
  const seen = new Set<number>();
  const width = walk.winners.length + 1;
  for (const occurrence of walk.occurrences) {
    const w = walk.winnerOf.get(occurrence.conflictKey);
    if (w === undefined || w === occurrence.parent) continue;
    const id = (occurrence.parent + 1) * width + w;
    if (seen.has(id)) continue;
    seen.add(id);
    const from = occurrence.parent === ROOT ? 'root' : walk.winners[occurrence.parent]!.key;
    edges.push({ from, to: walk.winners[w]!.key });
  }
  return edges;
}

// ---- small helpers ----

export function nodeKey(item: Pick<Item, 'groupId' | 'artifactId' | 'type' | 'classifier'>): string {
  return `${item.groupId}:${item.artifactId}:${item.type}:${item.classifier}`;
}

function isExcluded(chain: ExclusionChain | null, groupId: string, artifactId: string): boolean {
  for (let link = chain; link; link = link.up) {
    if (link.exclusions.some((e) => excludes(e, groupId, artifactId))) return true;
  }
  return false;
}

function withRelocation(resolved: Resolved, relocatedFrom: string | undefined): Resolved {
  if (relocatedFrom !== undefined) resolved.relocatedFrom = relocatedFrom;
  return resolved;
}

/** Characters of ranges, and of malformed versions parseRange rejects. */
const SPECIAL = /[[\](),]/;

/** Snapshots are candidates only when a bound of the range is one. */
function asksForSnapshots(range: VersionRange): boolean {
  if (range.kind === 'soft') return isSnapshot(range.spec);
  return range.restrictions.some(
    (r) => (r.lower && isSnapshot(r.lower.value)) || (r.upper && isSnapshot(r.upper.value)),
  );
}

function parseRangeKind(spec: string): 'soft' | 'range' | undefined {
  const parsed = parseRange(spec);
  return parsed.ok ? parsed.range.kind : undefined;
}

function whyNone(name: string, spec: string, range: VersionRange, listed: readonly string[]): string {
  if (listed.length === 0) return `no repository lists a version of ${name}`;
  const snapshots = listed.filter((v) => isSnapshot(v) && rangeContains(range, v));
  if (snapshots.length > 0) {
    return `only snapshots of ${name} are within ${spec} (${summarise(snapshots)}); a range resolves to a snapshot only when one of its bounds is one`;
  }
  return `none of the ${listed.length} versions of ${name} listed (${summarise(listed)}) is within ${spec}`;
}

function summarise(versions: readonly string[]): string {
  return versions.length <= 5 ? versions.join(', ') : `${versions.slice(0, 5).join(', ')}, ...`;
}

/** The path's repositories first, then those the POM adds (Maven's aggregateRepositories: the first of an id wins). */
function aggregateRepositories(
  base: readonly Repository[],
  added: readonly Repository[],
): readonly Repository[] {
  if (added === base || added.length === 0) return base;
  let known = repositoryIds.get(base);
  if (!known) {
    known = new Set(base.map(repositoryId));
    repositoryIds.set(base, known);
  }
  const extra = added.filter((r) => !known.has(repositoryId(r)));
  return extra.length === 0 ? base : [...base, ...extra];
}

const repositoryIds = new WeakMap<readonly Repository[], ReadonlySet<string>>();

function repositoryId(r: Repository): string {
  return r.id ?? r.url ?? '';
}

const signatures = new WeakMap<readonly Repository[], string>();

function signature(repositories: readonly Repository[]): string {
  let s = signatures.get(repositories);
  if (s === undefined) {
    s = repositories.map(repositoryId).join(',');
    signatures.set(repositories, s);
  }
  return s;
}

function bound(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : fallback;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `concurrency` tasks at once, in the order they were asked for. */
function limiter(concurrency: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < concurrency) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}
