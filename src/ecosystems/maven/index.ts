import { PackageURL } from 'packageurl-js';
import pLimit, { type LimitFunction } from 'p-limit';
import type { DependencyGraph, EdgeKind, GraphEdge, GraphNode } from '../../core/graph.js';
import type { ProjectManifest } from '../../core/inventory.js';
import type { ComponentFacts, Problem } from '../../core/model.js';
import { dirname, join } from '../../core/paths.js';
import type { EcosystemPlugin, EcosystemScan, NetworkContext, ScanContext, SubjectFiles } from '../types.js';
import { buildEffectiveModel, EffectiveModelCache, type EffectiveModel } from './effective.js';
import { createPomLoader, TreeIndex } from './loader.js';
import type { PomLoader, PomLookup } from './pom-loader.js';
import type { Repository } from './pom-model.js';
import { openMavenRepositories } from './run-repositories.js';
import { isRange } from './version.js';

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
};

/** What one run shares between its subjects: parsed POMs, lookups, repositories, built BOMs. */
interface MavenRun {
  tree: TreeIndex;
  lookups: Map<string, Promise<PomLookup>>;
  repositories: Awaited<ReturnType<typeof openMavenRepositories>>;
  cache: EffectiveModelCache;
  /** The repositories each graph's POM may use, for its dependencies' own POMs. */
  repositoriesOf: WeakMap<DependencyGraph, Repository[]>;
  /** Bounds the POMs built and looked up at once (the HTTP client bounds requests per host on its own). */
  limit: LimitFunction;
  /** The environment for `${env.X}`. */
  env: Record<string, string>;
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
      limit: pLimit(16),
      env: definedEnv(context.network?.env),
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
  const graph = await graphOf(model, path, loader, problems);
  return { path, problems, model, graph };
}

function projectOf(model: EffectiveModel, path: string): ProjectManifest {
  const { groupId, artifactId, version } = model.coordinates;
  const licenses = model.licenses.map((l) => l.name ?? l.url).filter((l): l is string => Boolean(l));
  return {
    path: dirname(path),
    manifest: path,
    name: groupId && artifactId ? `${groupId}:${artifactId}` : artifactId || undefined,
    version: version || undefined,
    license: licenses.length > 1 ? licenses.join(' OR ') : licenses[0],
    publishes: groupId && artifactId && version ? [mavenPurl(groupId, artifactId, version)] : [],
  };
}

const SCOPE_KIND: Record<string, EdgeKind> = {
  compile: 'runtime',
  runtime: 'runtime',
  provided: 'provided',
  system: 'provided',
  test: 'dev',
};

/** The POM's direct dependencies as a graph; a range is resolved to the version the tree or a repository offers. */
async function graphOf(
  model: EffectiveModel,
  path: string,
  loader: PomLoader,
  problems: Problem[],
): Promise<DependencyGraph> {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  for (const dep of model.dependencies) {
    // Without a version (its parent, which would manage it, could not be read) it is still listed, unlocked.
    let version = dep.version ?? '';
    let unlocked = dep.version === undefined;
    if (version && isRange(version)) {
      const found = await loader.artifact(
        { groupId: dep.groupId, artifactId: dep.artifactId, version },
        model.repositories,
      );
      if (found.ok && found.loaded.pom.version) version = found.loaded.pom.version;
      else {
        unlocked = true;
        if (!found.ok) problems.push({ ...found.problem, file: path, line: dep.line });
      }
    }
    const qualifiers = {
      ...(dep.type !== 'jar' ? { type: dep.type } : {}),
      ...(dep.classifier ? { classifier: dep.classifier } : {}),
    };
    const key = `${dep.groupId}:${dep.artifactId}:${dep.type}:${dep.classifier ?? ''}:${version}`;
    if (!nodes.has(key)) {
      nodes.set(key, {
        key,
        name: `${dep.groupId}:${dep.artifactId}`,
        group: dep.groupId,
        version,
        purl: mavenPurl(dep.groupId, dep.artifactId, version, qualifiers),
        sourceKind: dep.scope === 'system' ? 'file' : 'registry',
        edges: [],
        ...(unlocked ? { unlocked } : {}),
      });
    }
    edges.push({
      name: `${dep.groupId}:${dep.artifactId}`,
      spec: dep.version ?? '',
      kind: dep.optional ? 'optional' : (SCOPE_KIND[dep.scope] ?? 'runtime'),
      to: { node: key },
    });
  }
  const { groupId, artifactId, version } = model.coordinates;
  return {
    manifest: path,
    format: 'pom.xml (direct dependencies)',
    locked: true,
    importers: [
      { path: '.', name: groupId && artifactId ? `${groupId}:${artifactId}` : undefined, version, edges },
    ],
    nodes,
    problems: [],
  };
}

export function mavenPurl(
  groupId: string,
  artifactId: string,
  version: string,
  qualifiers?: Record<string, string>,
): string {
  const q = qualifiers && Object.keys(qualifiers).length ? qualifiers : undefined;
  return new PackageURL('maven', groupId, artifactId, version || undefined, q, undefined).toString();
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
  await Promise.all(
    [...wanted].map(([purl, { node, repositories }]) =>
      run.limit(async () => {
        const [groupId, artifactId] = node.name.split(':') as [string, string];
        const found = await loader.artifact({ groupId, artifactId, version: node.version }, repositories);
        if (!found.ok) {
          failures.push(`${node.name}:${node.version}`);
          facts.set(purl, { registry: { status: 'missing', reason: found.problem.message } });
          return;
        }
        const model = await buildEffectiveModel(found.loaded.pom, loader, {
          javaVersion: context.maven?.javaVersion,
          cache: run.cache,
          origin: found.loaded.origin,
        });
        facts.set(purl, { license: licenseOf(model) });
      }),
    ),
  );
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

function licenseOf(model: EffectiveModel): ComponentFacts['license'] {
  const declared = model.licenses.map((l) => l.name ?? l.url).filter((l): l is string => Boolean(l));
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

function definedEnv(env: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) if (v !== undefined) out[k] = v;
  return out;
}
