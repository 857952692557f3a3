import { sortScopes, walkGraph, type DependencyGraph, type GraphNode } from './graph.js';
import {
  INVENTORY_SCHEMA_VERSION,
  type Component,
  type ComponentFacts,
  type ComponentLicense,
  type MavenFacts,
  type Ecosystem,
  type Inventory,
  type Problem,
  type Project,
  type ProjectLicense,
  type RunInfo,
  type Subject,
} from './model.js';
import { dirname, join } from './paths.js';

/** A first-party manifest found in a subject (package.json, later pom.xml). */
export interface ProjectManifest {
  /** Folder of the manifest, subject-relative, `.` for the root. */
  path: string;
  manifest: string;
  name?: string;
  version?: string;
  /** The project's declared licenses, raw; several are a choice (several Maven `<license>` elements). */
  licenses?: string[];
  /** Folder of the workspace root this project belongs to, when it is a workspace member. */
  workspaceRoot?: string;
  /** purls of what the project builds (its package, its Maven artifact). */
  publishes?: string[];
}

/** Everything one subject gave: per ecosystem, its projects and dependency graphs. */
export interface SubjectScan {
  subject: Subject;
  ecosystems: { ecosystem: Ecosystem; projects: ProjectManifest[]; graphs: DependencyGraph[] }[];
  manifestsRead: number;
  excluded: { pattern: string; folders: number; manifests: number }[];
  problems: Problem[];
}

export interface InventoryInput {
  subjects: SubjectScan[];
  generatedAt: string;
  tool: { name: string; version: string };
  run: RunInfo;
  /** What resolvers found, by purl: applied over what the lockfiles say. */
  facts?: ReadonlyMap<string, ComponentFacts>;
  /** Problems of the run rather than of one subject (no GitHub token...): they carry no subject. */
  problems?: readonly Problem[];
}

/**
 * Assembles the inventory: one project per first-party manifest, one component per distinct purl with
 * every usage that brings it in, everything in a stable order so that the same input gives the same bytes.
 */
export function buildInventory(input: InventoryInput): Inventory {
  const projects = new Map<string, Project>();
  const components = new Map<string, Component>();
  const problems: Problem[] = [...(input.problems ?? [])];
  const dependsOn = new Map<Project | Component, Set<string>>();

  for (const scan of input.subjects) {
    const subject = scan.subject.name;
    problems.push(...scan.problems.map((p) => ({ ...p, subject })));
    for (const { ecosystem, projects: manifests, graphs } of scan.ecosystems) {
      for (const m of manifests) {
        const project = ensureProject(projects, subject, ecosystem, m.path);
        Object.assign(project, definedOnly({ name: m.name, version: m.version }));
        if (m.licenses?.length) project.license = declaredProjectLicense(m.licenses, m.manifest);
        addSorted(project.manifests, m.manifest);
        if (m.workspaceRoot !== undefined) project.workspaceRoot = projectId(subject, m.workspaceRoot);
        if (m.publishes?.length) project.publishes = [...m.publishes].sort();
      }
      for (const graph of graphs) {
        addGraph(graph, { subject, ecosystem, projects, components, problems, dependsOn });
      }
    }
  }

  linkInternalComponents(projects, components);
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    tool: input.tool,
    run: input.run,
    subjects: input.subjects.map((s) => s.subject),
    stats: {
      manifestsRead: input.subjects.reduce((n, s) => n + s.manifestsRead, 0),
      excluded: input.subjects.flatMap((s) => s.excluded.map((e) => ({ subject: s.subject.name, ...e }))),
    },
    projects: [...projects.values()].map((p) => withDependsOn(p, dependsOn)).sort(byKey((p) => p.id)),
    components: [...components.values()]
      .map((c) => finishComponent(applyFacts(withDependsOn(c, dependsOn), input.facts?.get(c.purl))))
      .sort(byKey((c) => c.purl)),
    problems: distinct(problems).sort(compareProblems),
  };
}

/** A component that a scanned project publishes is internal: it links to the projects that build it. */
function linkInternalComponents(projects: Map<string, Project>, components: Map<string, Component>): void {
  const builders = new Map<string, string[]>();
  for (const project of projects.values()) {
    for (const purl of project.publishes ?? []) {
      builders.set(withoutQualifiers(purl), [...(builders.get(withoutQualifiers(purl)) ?? []), project.id]);
    }
  }
  for (const component of components.values()) {
    const builtBy = builders.get(withoutQualifiers(component.purl));
    if (builtBy) component.builtBy = [...builtBy].sort();
  }
}

function withoutQualifiers(purl: string): string {
  const cut = purl.search(/[?#]/);
  return cut < 0 ? purl : purl.slice(0, cut);
}

interface GraphContext {
  subject: string;
  ecosystem: Ecosystem;
  projects: Map<string, Project>;
  components: Map<string, Component>;
  problems: Problem[];
  /** purls each project or component depends on, collected as sets and sorted once at the end. */
  dependsOn: Map<Project | Component, Set<string>>;
}

function addGraph(graph: DependencyGraph, ctx: GraphContext): void {
  const folder = dirname(graph.manifest);
  const labels = new Map<string, string>();
  const label = (key: string) => {
    let text = labels.get(key);
    if (text === undefined) {
      const node = graph.nodes.get(key)!;
      text = `${node.name}@${node.version}`;
      labels.set(key, text);
    }
    return text;
  };
  for (const node of graph.nodes.values()) ensureComponent(ctx, node, graph);
  const importers = new Map<string, { project: Project; label: string }>();
  for (const importer of graph.importers) {
    const project = ensureProject(ctx.projects, ctx.subject, ctx.ecosystem, join(folder, importer.path));
    addSorted(project.manifests, graph.manifest);
    if (!graph.locked) project.locked = false;
    project.name ??= importer.name;
    project.version ??= importer.version;
    const projectLabel = `${project.name ?? project.id}${project.version ? `@${project.version}` : ''}`;
    importers.set(importer.path, { project, label: projectLabel });
  }
  const reached = new Set<string>();
  for (const reach of graph.reaches ?? walkGraph(graph)) {
    const node = graph.nodes.get(reach.node)!;
    const component = ctx.components.get(node.purl)!;
    const { project, label: projectLabel } = importers.get(reach.importer)!;
    reached.add(node.purl);
    component.usedBy.push({
      project: project.id,
      manifest: graph.manifest,
      scopes: reach.scopes,
      direct: reach.direct,
      ...(reach.requested !== undefined ? { requested: reach.requested } : {}),
      path: [projectLabel, ...reach.path.map(label)],
      ...(reach.declaredAt
        ? { declaredAt: { file: reach.declaredAt.file, line: reach.declaredAt.line } }
        : {}),
    });
    if (reach.direct) setOf(ctx.dependsOn, project).add(component.purl);
  }
  // A node counts as reached when its purl is: yarn keeps a patched package beside its original.
  const unreached = [...graph.nodes.values()].filter((n) => !reached.has(n.purl)).map((n) => n.key);
  if (unreached.length > 0) {
    ctx.problems.push({
      severity: 'info',
      subject: ctx.subject,
      code: 'graph.unreachable-entries',
      message: `${graph.manifest}: ${unreached.length} entries are not reachable from any project of the lockfile (e.g. ${unreached
        .slice(0, 3)
        .map(label)
        .join(', ')}); they are listed as components with no usage`,
      file: graph.manifest,
      hint: 'Extraneous lockfile entries usually disappear when the lockfile is regenerated.',
    });
  }
}

function ensureComponent(ctx: GraphContext, node: GraphNode, graph: DependencyGraph): Component {
  let component = ctx.components.get(node.purl);
  if (!component) {
    const { group, name } = splitName(node);
    component = {
      purl: node.purl,
      ecosystem: ctx.ecosystem,
      ...(group !== undefined ? { group } : {}),
      name,
      version: node.version,
      locked: graph.locked && !node.unlocked,
      scopes: [],
      direct: false,
      sourceKind: node.sourceKind,
      ...definedOnly({ resolved: node.resolved, integrity: node.integrity }),
      license: unknownLicense(node, graph),
      dependsOn: [],
      usedBy: [],
    };
    ctx.components.set(node.purl, component);
  } else if (!graph.locked && !component.locked && !component.version.split(' || ').includes(node.version)) {
    component.version = [...component.version.split(' || '), node.version].sort().join(' || ');
  }
  if (node.license && component.license.status === 'unknown') component.license = knownLicense(node.license);
  if (node.maven) component.maven = mergeMaven(component.maven, node.maven);
  component.resolved ??= node.resolved;
  component.integrity ??= node.integrity;
  for (const edge of node.edges) {
    if (edge.to && 'node' in edge.to) {
      const target = graph.nodes.get(edge.to.node);
      if (target && target.purl !== node.purl) setOf(ctx.dependsOn, component).add(target.purl);
    }
  }
  return component;
}

function mergeMaven(known: MavenFacts | undefined, found: NonNullable<GraphNode['maven']>): MavenFacts {
  const { scope, optional, ...artifact } = found;
  if (!known) return { ...artifact, scopes: [scope], optional };
  return {
    ...known,
    scopes: known.scopes.includes(scope) ? known.scopes : [...known.scopes, scope].sort(),
    optional: known.optional && optional,
  };
}

/** Namespace and bare name: the node's group (Maven), else an npm scope (`@scope/name`). */
function splitName(node: GraphNode): { group?: string; name: string } {
  if (node.group !== undefined) return { group: node.group, name: node.name.slice(node.group.length + 1) };
  const slash = node.name.startsWith('@') ? node.name.indexOf('/') : -1;
  return slash > 0
    ? { group: node.name.slice(0, slash), name: node.name.slice(slash + 1) }
    : { name: node.name };
}

function setOf<K>(sets: Map<K, Set<string>>, key: K): Set<string> {
  let set = sets.get(key);
  if (!set) sets.set(key, (set = new Set()));
  return set;
}

function withDependsOn<T extends Project | Component>(
  item: T,
  sets: Map<Project | Component, Set<string>>,
): T {
  const set = sets.get(item);
  if (set) item.dependsOn = [...set].sort();
  return item;
}

/** A license the lockfile or the install declared wins over the registry's: it is what was installed. */
function applyFacts(component: Component, facts: ComponentFacts | undefined): Component {
  if (!facts) return component;
  if (facts.registry) component.registry = facts.registry;
  if (facts.mavenRepository) component.mavenRepository = facts.mavenRepository;
  if (facts.sourceRepository) component.sourceRepository = facts.sourceRepository;
  if (component.license.status !== 'unknown') return component;
  if (facts.license) component.license = facts.license;
  else if (facts.registry?.status === 'missing') {
    component.license = {
      ...component.license,
      reason: `${component.license.reason}; registry: ${facts.registry.reason}`,
    };
  }
  return component;
}

function finishComponent(component: Component): Component {
  component.usedBy.sort(
    (a, b) => compareStrings(a.project, b.project) || compareStrings(a.manifest, b.manifest),
  );
  component.scopes = sortScopes(component.usedBy.flatMap((u) => u.scopes));
  component.direct = component.usedBy.some((u) => u.direct);
  return component;
}

function knownLicense(declared: NonNullable<GraphNode['license']>): ComponentLicense {
  return {
    status: 'known',
    declared: [declared.value],
    source: declared.source,
    evidence: declared.evidence,
  };
}

/** As declared; `concludeLicenses` maps it to SPDX and license files add what they say. */
function declaredProjectLicense(declared: string[], manifest: string): ProjectLicense {
  return {
    status: 'unknown',
    declared,
    source: manifest.endsWith('pom.xml') ? 'pom' : 'package.json',
    evidence: manifest,
    reason: 'declared, not yet mapped to SPDX',
    detected: [],
  };
}

/** Why no license is known yet, as precisely as the lockfile allows; registry facts may still supply one. */
function unknownLicense(node: GraphNode, graph: DependencyGraph): ComponentLicense {
  const reason =
    !graph.locked || node.unlocked
      ? `not locked: ${node.version ? 'only a version range is declared' : 'no version is known'}, so no document can tell the license`
      : node.sourceKind !== 'registry'
        ? `a ${node.sourceKind} dependency: its license is only in its own files, which are not read`
        : 'not declared in the manifest or lockfile, nor in an installed copy';
  return { status: 'unknown', declared: [], reason };
}

export function projectId(subject: string, path: string): string {
  return `${subject}:${path}`;
}

function ensureProject(
  projects: Map<string, Project>,
  subject: string,
  ecosystem: Ecosystem,
  path: string,
): Project {
  const id = projectId(subject, path);
  let project = projects.get(id);
  if (!project) {
    project = { id, subject, path, ecosystem, manifests: [], locked: true, dependsOn: [] };
    projects.set(id, project);
  }
  return project;
}

function addSorted(list: string[], value: string): void {
  if (list.includes(value)) return;
  list.push(value);
  list.sort();
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareStrings(key(a), key(b));
}

/** The same problem met twice (a parent's BOM seen from each module) is reported once. */
export function distinct(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.subject, p.file, p.line, p.column, p.code, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function compareProblems(a: Problem, b: Problem): number {
  const key = (p: Problem) =>
    [p.subject ?? '', p.file ?? '', String(p.line ?? 0).padStart(9, '0'), p.code, p.message].join('\u0000');
  return byKey(key)(a, b);
}
