import { sortScopes } from './graph.js';
import { refreshHealthExposure } from './health.js';
import { compareProblems, distinct } from './inventory.js';
import type {
  Component,
  Inventory,
  MavenFacts,
  NetworkLedgerEntry,
  Project,
  RunInfo,
  Subject,
} from './model.js';

/**
 * Combines inventories of disjoint slices of one scan (`scan --shard I/N`) into the inventory a single run
 * over all of them gives: same order, same merged components, same problems. Throws when the parts do
 * not come from the same schema and tool version, or when two parts hold the same subject.
 */
export function mergeInventories(parts: readonly Inventory[]): Inventory {
  // Each part counted only its own projects: the exposure behind health's priority is counted again.
  return refreshHealthExposure(mergeParts(parts));
}

function mergeParts(parts: readonly Inventory[]): Inventory {
  const first = parts[0];
  if (!first) throw new Error('nothing to merge: give at least one inventory');
  checkCompatible(parts);
  const subjects = orderSubjects(parts);
  const subjectRank = new Map(subjects.map((s, i) => [s.name, i]));
  const rankOf = (subject: string | undefined) => subjectRank.get(subject ?? '') ?? subjects.length;
  const projects = parts.flatMap((p) => p.projects).sort(byKey((p) => p.id));
  const subjectOfProject = new Map(projects.map((p) => [p.id, p.subject]));
  const builders = buildersByPurl(projects);

  return {
    schemaVersion: first.schemaVersion,
    generatedAt: parts.map((p) => p.generatedAt).reduce((a, b) => (b > a ? b : a)),
    tool: first.tool,
    run: mergeRuns(parts.map((p) => p.run)),
    subjects,
    stats: {
      manifestsRead: parts.reduce((n, p) => n + p.stats.manifestsRead, 0),
      excluded: stableSortBy(
        parts.flatMap((p) => p.stats.excluded),
        (e) => rankOf(e.subject),
      ),
    },
    projects,
    components: mergeComponents(parts, (c) =>
      Math.min(subjects.length, ...c.usedBy.map((u) => rankOf(subjectOfProject.get(u.project)))),
    ).map((c) => withBuilders(c, builders)),
    problems: distinct(parts.flatMap((p) => p.problems)).sort(compareProblems),
  };
}

function checkCompatible(parts: readonly Inventory[]): void {
  const first = parts[0]!;
  for (const part of parts.slice(1)) {
    if (part.schemaVersion !== first.schemaVersion) {
      throw new Error(
        `cannot merge inventories of schema versions ${first.schemaVersion} and ${part.schemaVersion}: rescan with one version of the tool`,
      );
    }
    if (part.tool.name !== first.tool.name || part.tool.version !== first.tool.version) {
      throw new Error(
        `cannot merge inventories written by ${first.tool.name} ${first.tool.version} and ${part.tool.name} ${part.tool.version}: rescan with one version of the tool`,
      );
    }
    if (JSON.stringify(part.run.scopes) !== JSON.stringify(first.run.scopes)) {
      throw new Error(
        'cannot merge inventories restricted to different scopes (--scope): rescan with the same',
      );
    }
  }
  const seen = new Set<string>();
  for (const subject of parts.flatMap((p) => p.subjects)) {
    if (seen.has(subject.name)) {
      throw new Error(
        `subject ${subject.name} is in more than one inventory: local folders are not sharded, scan them in one shard only`,
      );
    }
    seen.add(subject.name);
  }
}

/** As a single run orders them: local folders in the order given, then GitHub repositories by name. */
function orderSubjects(parts: readonly Inventory[]): Subject[] {
  const all = parts.flatMap((p) => p.subjects);
  const github = all.filter((s) => s.type === 'github').sort(byKey((s) => s.name));
  return [...all.filter((s) => s.type !== 'github'), ...github];
}

function mergeRuns(runs: readonly RunInfo[]): RunInfo {
  return {
    offline: runs.some((r) => r.offline),
    network: sumPerHost(runs.flatMap((r) => r.network)),
    ...(runs[0]!.scopes ? { scopes: runs[0]!.scopes } : {}),
  };
}

/** Per-host sums, sorted by host (what src/net's mergeLedgers does; core does not depend on net). */
function sumPerHost(entries: readonly NetworkLedgerEntry[]): NetworkLedgerEntry[] {
  const byHost = new Map<string, NetworkLedgerEntry>();
  for (const entry of entries) {
    const total = byHost.get(entry.host);
    if (!total) {
      byHost.set(entry.host, { ...entry });
      continue;
    }
    total.sent += entry.sent;
    total.fromCache += entry.fromCache;
    total.revalidated += entry.revalidated;
    total.failed += entry.failed;
    total.retried += entry.retried;
    total.bytes += entry.bytes;
  }
  return [...byHost.values()].sort(byKey((e) => e.host));
}

/**
 * One component per purl. A single run keeps the facts of the first subject that met the component, so
 * the copies are taken in the order of the first subject using them (`rank`), then in the parts' order.
 */
function mergeComponents(parts: readonly Inventory[], rank: (c: Component) => number): Component[] {
  const copies = new Map<string, { component: Component; rank: number; part: number }[]>();
  parts.forEach((part, index) => {
    for (const component of part.components) {
      let list = copies.get(component.purl);
      if (!list) copies.set(component.purl, (list = []));
      list.push({ component, rank: rank(component), part: index });
    }
  });
  const merged: Component[] = [];
  for (const list of copies.values()) {
    list.sort((a, b) => a.rank - b.rank || a.part - b.part);
    merged.push(list.map((c) => c.component).reduce(mergeComponent));
  }
  return merged.sort(byKey((c) => c.purl));
}

function mergeComponent(known: Component, other: Component): Component {
  const usedBy = [...known.usedBy, ...other.usedBy].sort(
    (a, b) => compareStrings(a.project, b.project) || compareStrings(a.manifest, b.manifest),
  );
  const registry = known.registry?.status === 'found' ? known.registry : (other.registry ?? known.registry);
  return inKeyOrder(known, {
    ...known,
    version: mergeVersion(known, other),
    scopes: sortScopes(usedBy.flatMap((u) => u.scopes)),
    direct: usedBy.some((u) => u.direct),
    resolved: known.resolved ?? other.resolved,
    integrity: known.integrity ?? other.integrity,
    license:
      known.license.status === 'known' || other.license.status !== 'known' ? known.license : other.license,
    dependsOn: sortedUnion(known.dependsOn, other.dependsOn),
    usedBy,
    maven: known.maven && other.maven ? mergeMaven(known.maven, other.maven) : (known.maven ?? other.maven),
    registry,
  });
}

/**
 * The component with its keys in the order a single run writes them, so that the JSON is byte-identical:
 * those of `template`, then the ones a single run adds late (Maven facts, a resolved URL found in a later
 * lockfile, builders, registry facts). Undefined values are left out.
 */
function inKeyOrder(template: Component, values: Component): Component {
  const late = ['maven', 'resolved', 'integrity', 'builtBy', 'registry', ...HEALTH_KEYS];
  const keys = Object.keys(template).filter(
    (k) => k !== 'builtBy' && k !== 'registry' && !HEALTH_KEYS.includes(k),
  );
  for (const key of late) if (!keys.includes(key)) keys.push(key);
  const source = values as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) ordered[key] = source[key];
  return ordered as unknown as Component;
}

/** What the health lookups and pass add, after everything else, in the order a single run adds them. */
const HEALTH_KEYS = ['mavenRepository', 'sourceRepository', 'repositorySignals', 'health', 'planB'];

/** Unlocked copies list every declared range, as a single run does; a locked version stays as it is. */
function mergeVersion(known: Component, other: Component): string {
  if (known.locked || other.locked) return known.version;
  return [...new Set([...known.version.split(' || '), ...other.version.split(' || ')])].sort().join(' || ');
}

function mergeMaven(known: MavenFacts, other: MavenFacts): MavenFacts {
  return {
    ...known,
    scopes: sortedUnion(known.scopes, other.scopes),
    optional: known.optional && other.optional,
  };
}

/** A component one shard uses may be built by a repository of another shard: links are recomputed. */
function withBuilders(component: Component, builders: ReadonlyMap<string, string[]>): Component {
  const builtBy = builders.get(withoutQualifiers(component.purl));
  return inKeyOrder(component, { ...component, builtBy: builtBy ? [...builtBy].sort() : undefined });
}

function buildersByPurl(projects: readonly Project[]): Map<string, string[]> {
  const builders = new Map<string, string[]>();
  for (const project of projects) {
    for (const purl of project.publishes ?? []) {
      const key = withoutQualifiers(purl);
      builders.set(key, [...(builders.get(key) ?? []), project.id]);
    }
  }
  return builders;
}

function withoutQualifiers(purl: string): string {
  const cut = purl.search(/[?#]/);
  return cut < 0 ? purl : purl.slice(0, cut);
}

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function stableSortBy<T>(items: T[], rank: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.item);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareStrings(key(a), key(b));
}
