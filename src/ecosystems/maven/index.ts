import { mavenLicenseValue } from '../../core/license.js';
import pLimit, { type LimitFunction } from 'p-limit';
import type { DependencyGraph, GraphEdge, GraphNode, Reach } from '../../core/graph.js';
import type { ProjectManifest } from '../../core/inventory.js';
import type { ComponentFacts, DeclarationSite, Problem, Scope, SourceRepository } from '../../core/model.js';
import { mavenPurl } from '../../core/purl.js';
import { mavenSourceRepository, type PomSourceField } from '../../core/source-repository.js';
import { dirname, join } from '../../core/paths.js';
import type { TargetRef } from '../../core/planb.js';
import type {
  EcosystemPlugin,
  EcosystemScan,
  NetworkContext,
  PackagesDescribed,
  ScanContext,
  SubjectFiles,
} from '../types.js';
import { buildEffectiveModel, EffectiveModelCache, type EffectiveModel } from './effective.js';
import { createPomLoader, TreeIndex } from './loader.js';
import { describeMavenPackages } from './describe.js';
import { mavenRepositoryFacts } from './metadata.js';
import type { PomLoader, PomLookup } from './pom-loader.js';
import type { RawPom, Repository } from './pom-model.js';
import { openMavenRepositories } from './run-repositories.js';
import { resolveDependencies, type ModelOutcome, type ModelSource, type ResolvedNode } from './resolve.js';

/**
 * Maven: every pom.xml is a first-party project whose effective model is built as Maven 3 builds it
 * (parents from the tree or the repositories, profiles, interpolation, BOM imports, management), and
 * whose direct dependencies become components. Licenses come from each dependency's own effective POM.
 */
export const mavenEcosystem: EcosystemPlugin = {
  id: 'maven',
  manifestNames: ['pom.xml'],
  scan: scanMaven,
  resolveFacts: resolvePomLicenses,
  describePackages: describeTargets,
};

/** What one run shares between its subjects: parsed POMs, lookups, repositories, built BOMs. */
interface MavenRun {
  tree: TreeIndex;
  lookups: Map<string, Promise<PomLookup>>;
  repositories: Awaited<ReturnType<typeof openMavenRepositories>>;
  cache: EffectiveModelCache;
  /** The repositories each graph's POM may use, for its dependencies' own POMs. */
  repositoriesOf: WeakMap<DependencyGraph, Repository[]>;
  /** The repositories the POMs of each subject declare, by subject name, in manifest order: plan B's targets. */
  subjectRepositories: Map<string, Repository[]>;
  /** Bounds the POMs built and looked up at once (the HTTP client bounds requests per host on its own). */
  limit: LimitFunction;
  /** The environment for `${env.X}`. */
  env: Record<string, string>;
  /** Effective models of other artifacts, by groupId:artifactId:version. */
  models: Map<string, Promise<ModelOutcome>>;
}

const runs = new WeakMap<readonly SubjectFiles[], Promise<MavenRun>>();

function runOf(context: ScanContext): Promise<MavenRun> {
  let run = runs.get(context.subjects);
  if (!run) {
    run = (async () => ({
      tree: new TreeIndex(context.subjects),
      lookups: new Map(),
      repositories: await openMavenRepositories(context.network, context.maven),
      cache: new EffectiveModelCache(),
      repositoriesOf: new WeakMap(),
      subjectRepositories: new Map(),
      limit: pLimit(16),
      env: definedEnv(context.network?.env),
      models: new Map(),
    }))();
    runs.set(context.subjects, run);
  }
  return run;
}

async function scanMaven(subject: SubjectFiles, context: ScanContext): Promise<EcosystemScan> {
  const run = await runOf(context);
  const loader = createPomLoader(subject, run.tree, run.repositories.client, run.lookups);
  const problems: Problem[] = [];
  const projects: ProjectManifest[] = [];
  const graphs: DependencyGraph[] = [];
  const aggregators = new Map<string, string>();
  // POMs are built concurrently (the loader shares lookups), then gathered in manifest order.
  const built = await Promise.all(
    subject.manifests.map((path) => run.limit(() => buildProject(subject, path, loader, run, context))),
  );
  for (const one of built) {
    if (!one) continue;
    problems.push(...one.problems);
    if (!one.model) continue;
    const folder = dirname(one.path);
    for (const module of one.model.modules) aggregators.set(join(folder, module), folder);
    projects.push(projectOf(one.model, one.path));
    run.repositoriesOf.set(one.graph!, one.model.repositories);
    graphs.push(one.graph!);
  }
  run.subjectRepositories.set(
    subject.name,
    distinctRepositories(built.flatMap((b) => b?.model?.repositories ?? [])),
  );
  for (const project of projects) {
    const root = aggregators.get(project.path);
    if (root !== undefined && root !== project.path) project.workspaceRoot = root;
  }
  problems.push(...run.repositories.takeProblems());
  return { projects, graphs, problems };
}

async function buildProject(
  subject: SubjectFiles,
  path: string,
  loader: PomLoader,
  run: MavenRun,
  context: ScanContext,
): Promise<
  { path: string; problems: Problem[]; model?: EffectiveModel; graph?: DependencyGraph } | undefined
> {
  const parsed = await run.tree.read(subject, path);
  if (!parsed) return undefined;
  if (!parsed.ok) return { path, problems: [parsed.problem] };
  const model = await buildEffectiveModel(parsed.pom, loader, {
    javaVersion: context.maven?.javaVersion,
    env: run.env,
    cache: run.cache,
    origin: { kind: 'tree', path },
  });
  const problems = [...model.problems];
  const sites = declarationSites(model, parsed.pom, subject.name);
  const graph = await graphOf(model, path, run, loader, context, problems, sites);
  return { path, problems, model, graph };
}

function projectOf(model: EffectiveModel, path: string): ProjectManifest {
  const { groupId, artifactId, version } = model.coordinates;
  const licenses = model.licenses
    .map((l) => mavenLicenseValue(l.name, l.url))
    .filter((l): l is string => Boolean(l));
  return {
    path: dirname(path),
    manifest: path,
    name: groupId && artifactId ? `${groupId}:${artifactId}` : artifactId || undefined,
    version: version || undefined,
    licenses: licenses.length > 0 ? licenses : undefined,
    publishes: groupId && artifactId && version ? [mavenPurl(groupId, artifactId, version)] : [],
  };
}

const SCOPE_KIND: Record<string, Scope> = {
  compile: 'runtime',
  runtime: 'runtime',
  provided: 'provided',
  system: 'provided',
  test: 'dev',
};

/**
 * The POM's dependency graph as Maven resolves it (resolve.ts: nearest wins, scope table, exclusions,
 * optional, the root's management, ranges, relocation), with the reaches it computed: Maven's own
 * mediation decides scopes and paths, not the generic walk.
 */
async function graphOf(
  model: EffectiveModel,
  path: string,
  run: MavenRun,
  loader: PomLoader,
  context: ScanContext,
  problems: Problem[],
  siteOf: (node: ResolvedNode) => DeclarationSite | undefined,
): Promise<DependencyGraph> {
  const resolution = await resolveDependencies(model, modelSource(run, loader, context));
  problems.push(...resolution.problems.map((p) => (p.file ? p : { ...p, file: path })));
  const nodes = new Map<string, GraphNode>();
  const keyOfGav = new Map<string, string>();
  for (const node of resolution.nodes) {
    const qualifiers = {
      ...(node.type !== 'jar' ? { type: node.type } : {}),
      ...(node.classifier ? { classifier: node.classifier } : {}),
    };
    const unlocked = node.unresolved !== undefined;
    nodes.set(node.key, {
      key: node.key,
      name: `${node.groupId}:${node.artifactId}`,
      group: node.groupId,
      version: node.version,
      purl: mavenPurl(node.groupId, node.artifactId, unlocked ? '' : node.version, qualifiers),
      sourceKind: node.scope === 'system' ? 'file' : 'registry',
      edges: [],
      maven: {
        type: node.type,
        ...(node.classifier ? { classifier: node.classifier } : {}),
        scope: node.scope,
        optional: node.optional,
      },
      ...(unlocked ? { unlocked } : {}),
    });
    const gav = `${node.groupId}:${node.artifactId}:${node.version}`;
    if (!keyOfGav.has(gav)) keyOfGav.set(gav, node.key);
  }
  const byKey = new Map(resolution.nodes.map((n) => [n.key, n]));
  const importerEdges: GraphEdge[] = [];
  for (const edge of resolution.edges) {
    const target = byKey.get(edge.to);
    if (!target) continue;
    const graphEdge: GraphEdge = {
      name: `${target.groupId}:${target.artifactId}`,
      spec: target.range ?? target.version,
      kind: kindOf(target),
      to: { node: edge.to },
    };
    if (edge.from === 'root') {
      const site = siteOf(target);
      if (site) graphEdge.declaredAt = site;
      importerEdges.push(graphEdge);
    } else nodes.get(edge.from)?.edges.push(graphEdge);
  }
  const reaches: Reach[] = resolution.nodes.map((node) => {
    const site = siteOf(node);
    return {
      importer: '.',
      node: node.key,
      scopes: [kindOf(node)],
      direct: node.depth === 1,
      ...(node.depth === 1 ? { requested: declaredVersion(model, node) } : {}),
      path: node.path.map((gav) => keyOfGav.get(gav) ?? node.key),
      ...(site ? { declaredAt: site } : {}),
    };
  });
  const { groupId, artifactId, version } = model.coordinates;
  return {
    manifest: path,
    format: 'pom.xml',
    locked: true,
    importers: [
      {
        path: '.',
        name: groupId && artifactId ? `${groupId}:${artifactId}` : undefined,
        version,
        edges: importerEdges,
      },
    ],
    nodes,
    reaches,
    problems: [],
  };
}

/**
 * Where the direct dependency a node's path starts from is declared, when that is a file of the subject:
 * the POM itself or a parent of the same subject; a parent from a repository or another subject is none.
 * Sources are subject-relative paths, so another subject's `pom.xml` reads like this one's: then only
 * the lines where this POM's own <dependency> elements start are taken as this POM's.
 */
function declarationSites(
  model: EffectiveModel,
  pom: RawPom,
  subjectName: string,
): (node: ResolvedNode) => DeclarationSite | undefined {
  const inSubject = new Set<string>();
  const elsewhere = new Set<string>();
  for (const { origin, source } of [model, ...model.parents]) {
    const local =
      origin.kind === 'tree' && (origin.path === source || origin.path === `${subjectName}:${source}`);
    (local ? inSubject : elsewhere).add(source);
  }
  const ownLines = new Set(
    [...pom.dependencies, ...pom.profiles.flatMap((p) => p.dependencies)].map((d) => d.line),
  );
  return ({ declaredAt: { file, line } }) => {
    if (!inSubject.has(file) || line < 1) return undefined;
    if (elsewhere.has(file) && !(file === model.source && ownLines.has(line))) return undefined;
    return { file, line };
  };
}

function kindOf(node: ResolvedNode): Scope {
  const scope = SCOPE_KIND[node.scope] ?? 'runtime';
  return node.optional && scope === 'runtime' ? 'optional' : scope;
}

/** The version a direct dependency declares (or management gives it), as written. */
function declaredVersion(model: EffectiveModel, node: ResolvedNode): string {
  const declared = model.dependencies.find(
    (d) => d.groupId === node.groupId && d.artifactId === node.artifactId,
  );
  return declared?.version ?? node.range ?? node.version;
}

/** Other artifacts' effective models, for the resolver and the licenses, built once per run. */
function modelSource(run: MavenRun, loader: PomLoader, context: ScanContext): ModelSource {
  return {
    model: (coordinates, repositories) => {
      const key = `${coordinates.groupId}:${coordinates.artifactId}:${coordinates.version}`;
      let found = run.models.get(key);
      if (!found) {
        found = (async (): Promise<ModelOutcome> => {
          const lookup = await loader.artifact(coordinates, repositories);
          if (!lookup.ok) return { ok: false, reason: lookup.problem.message, tried: lookup.tried };
          const model = await buildEffectiveModel(lookup.loaded.pom, loader, {
            javaVersion: context.maven?.javaVersion,
            env: run.env,
            cache: run.cache,
            origin: lookup.loaded.origin,
          });
          return { ok: true, model };
        })();
        run.models.set(key, found);
      }
      return found;
    },
    versions: async (groupId, artifactId, repositories) => {
      const metadata = await run.repositories.client?.fetchMetadata(groupId, artifactId, repositories);
      return metadata?.versions.map((v) => v.version) ?? [];
    },
    firstPartyVersions: async (groupId, artifactId) =>
      (await run.tree.candidates(groupId, artifactId)).map((c) => c.version),
  };
}

/**
 * Plan B's targets, each through the repositories of the subjects whose components name it (the ones
 * their POMs declare, in the order of the run's subjects, with settings.xml's and Maven Central);
 * licenses from their effective POMs, read as the first of those subjects reads POMs.
 */
async function describeTargets(
  refs: readonly TargetRef[],
  context: ScanContext & { network: NetworkContext },
): Promise<PackagesDescribed> {
  const run = await runOf(context);
  const naming = (ref: TargetRef) => context.subjects.filter((s) => ref.subjects.includes(s.name));
  const sources = new Map<SubjectFiles, ModelSource>();
  const sourceOf = (subject: SubjectFiles) => {
    let source = sources.get(subject);
    if (!source) {
      const loader = createPomLoader(subject, run.tree, run.repositories.client, run.lookups);
      source = modelSource(run, loader, context);
      sources.set(subject, source);
    }
    return source;
  };
  const descriptions = await describeMavenPackages(refs, {
    client: run.repositories.client,
    limit: run.limit,
    repositories: (ref) =>
      distinctRepositories(naming(ref).flatMap((s) => run.subjectRepositories.get(s.name) ?? [])),
    model: async (coordinates, ref, repositories) => {
      const subject = naming(ref)[0] ?? context.subjects[0];
      const found = subject ? await sourceOf(subject).model(coordinates, repositories) : undefined;
      if (!found?.ok) return { licenses: [] };
      const repository = sourceRepositoryOf(found.model);
      return {
        licenses: licenseOf(found.model)?.declared ?? [],
        // an scm inherited from another group's parent says nothing of this artifact's repository
        ...(repository && repository.confidence !== 'low' ? { repository: repository.url } : {}),
      };
    },
  });
  return { descriptions, problems: run.repositories.takeProblems() };
}

/** Repositories once each (by id and URL), the first declaration kept: Maven's order. */
function distinctRepositories(repositories: readonly Repository[]): Repository[] {
  const seen = new Set<string>();
  return repositories.filter((r) => {
    const key = `${r.id ?? ''} ${r.url ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Each dependency's license from its own effective POM (the nearest POM of its chain that declares one). */
async function resolvePomLicenses(
  graphs: readonly DependencyGraph[],
  subject: SubjectFiles,
  context: ScanContext & { network: NetworkContext },
): Promise<{ facts: Map<string, ComponentFacts>; problems: Problem[] }> {
  const run = await runOf(context);
  const loader = createPomLoader(subject, run.tree, run.repositories.client, run.lookups);
  const wanted = new Map<string, { node: GraphNode; repositories: Repository[] }>();
  for (const graph of graphs) {
    for (const node of graph.nodes.values()) {
      if (wanted.has(node.purl) || node.sourceKind !== 'registry' || node.unlocked) continue;
      wanted.set(node.purl, { node, repositories: run.repositoriesOf.get(graph) ?? [] });
    }
  }
  const facts = new Map<string, ComponentFacts>();
  const failures: string[] = [];
  const source = modelSource(run, loader, context);
  await Promise.all(
    [...wanted].map(([purl, { node, repositories }]) =>
      run.limit(async () => {
        const [groupId, artifactId] = node.name.split(':') as [string, string];
        const found = await source.model({ groupId, artifactId, version: node.version }, repositories);
        if (!found.ok) {
          failures.push(`${node.name}:${node.version}`);
          facts.set(purl, { registry: { status: 'missing', reason: found.reason } });
          return;
        }
        const sourceRepository = sourceRepositoryOf(found.model);
        facts.set(purl, {
          license: licenseOf(found.model),
          ...(sourceRepository ? { sourceRepository } : {}),
        });
      }),
    ),
  );
  if (context.health) await addRepositoryFacts(wanted, facts, run);
  failures.sort();
  const problems: Problem[] = run.repositories.takeProblems();
  if (failures.length) {
    problems.push({
      severity: context.network.offline ? 'info' : 'warning',
      code: 'maven.license.pom-unavailable',
      message: `no POM found for ${failures.length} dependenc${failures.length === 1 ? 'y' : 'ies'} (${failures
        .slice(0, 3)
        .join(', ')}${failures.length > 3 ? ', ...' : ''}): their licenses stay unknown`,
      hint: 'Each component records the repositories tried; check the repositories, --maven-settings, or run online.',
    });
  }
  return { facts, problems };
}

/** Health's facts from the Maven repositories: each artifact's metadata, its latest POM, relocations, dates. */
async function addRepositoryFacts(
  wanted: Map<string, { node: GraphNode; repositories: Repository[] }>,
  facts: Map<string, ComponentFacts>,
  run: MavenRun,
): Promise<void> {
  const client = run.repositories.client;
  if (!client) return;
  await Promise.all(
    [...wanted].map(([purl, { node, repositories }]) =>
      run.limit(async () => {
        const [groupId, artifactId] = node.name.split(':') as [string, string];
        const coordinates = { groupId, artifactId, version: node.version };
        const mavenRepository = await mavenRepositoryFacts(coordinates, repositories, client);
        facts.set(purl, { ...facts.get(purl), mavenRepository });
      }),
    ),
  );
}

function licenseOf(model: EffectiveModel): ComponentFacts['license'] {
  const declared = model.licenses
    .map((l) => mavenLicenseValue(l.name, l.url))
    .filter((l): l is string => Boolean(l));
  if (declared.length === 0) {
    return {
      status: 'unknown',
      declared: [],
      source: 'pom',
      evidence: model.source,
      reason: model.parentChainComplete
        ? 'no POM of its parent chain declares a license'
        : 'its POM declares no license and its parent chain could not be read completely',
    };
  }
  return { status: 'known', declared, source: 'pom', evidence: model.licenses[0]!.declaredIn };
}

/** The repository the artifact's effective scm and url name, with the POM of the chain that wrote each. */
function sourceRepositoryOf(model: EffectiveModel): SourceRepository | undefined {
  const values: Record<PomSourceField, string | undefined> = {
    'scm.url': model.scm?.url,
    'scm.connection': model.scm?.connection,
    'scm.developerConnection': model.scm?.developerConnection,
    url: model.url,
  };
  const declarations = (model.sourceDeclarations ?? []).flatMap((d) => {
    const value = values[d.field];
    const declaredBy = d.depth === 0 ? model.coordinates : model.parents[d.depth - 1]?.coordinates;
    return value && declaredBy ? [{ ...d, value, declaredBy }] : [];
  });
  return mavenSourceRepository(model.coordinates, declarations);
}

function definedEnv(env: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) if (v !== undefined) out[k] = v;
  return out;
}
