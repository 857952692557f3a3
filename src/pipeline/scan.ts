import path from 'node:path';
import { applyCurations } from '../core/curation.js';
import { buildInventory, type SubjectScan } from '../core/inventory.js';
import { categoryOf, type LicenseKnowledge } from '../core/license.js';
import { concludeLicenses } from '../core/license-conclusion.js';
import type { Curation } from '../core/policy-model.js';
import type { ComponentFacts, Ecosystem, Inventory, Problem, Subject } from '../core/model.js';
import type { TargetRef } from '../core/planb.js';
import type {
  MavenScanOptions,
  NetworkContext,
  PackagesDescribed,
  ScanContext,
} from '../ecosystems/types.js';
import { basename } from '../core/paths.js';
import { ECOSYSTEMS, MANIFEST_NAMES } from '../ecosystems/index.js';
import { openGitHubSubjects, type GitHubSourceOptions } from '../sources/github.js';
import { openLocalTree, type LocalTree } from '../sources/local.js';
import { runHealth, type HealthRequest } from './health.js';
import type { DescribeTargets } from './planb-targets.js';
import { detectProjectLicenses } from './project-licenses.js';
import { TOOL } from '../tool.js';

export interface ScanRequest {
  /** Local folders to scan, as the user wrote them. */
  paths: readonly string[];
  /** Folder that relative paths are resolved against. */
  cwd: string;
  excludes: readonly string[];
  /** ISO 8601 time written into the inventory. */
  generatedAt: string;
  /** Told of each subject as it starts, for progress output. */
  onSubject?: (location: string) => void;
  /** Registry and repository lookups; without it only what the files say is used. */
  network?: NetworkContext;
  maven?: MavenScanOptions;
  /** GitHub organisations, users and repositories to crawl through the API (needs `network`). */
  github?: GitHubRequest;
  /** What maps declared licenses to SPDX: the shipped tables and the organisation's own mappings. */
  licenses: LicenseKnowledge;
  /** The policy's curations: they set a component's license whatever was declared. */
  curations?: readonly Curation[];
  /** Maintainer health: its lookups (Maven metadata, repository signals) and classes. Absent: none. */
  health?: HealthRequest;
}

export type GitHubRequest = Omit<GitHubSourceOptions, 'manifestNames' | 'excludes' | 'client'>;

/**
 * The scan pipeline: source → ecosystem parsers → resolvers → inventory → licenses concluded (declared values
 * mapped to SPDX, license files read, curations applied) → health (when asked). Throws SubjectNotFoundError
 * for a missing path.
 */
export async function scan(request: ScanRequest): Promise<Inventory> {
  const { trees, problems } = await openSubjects(request);
  const { subjects, facts, describeTargets } = await scanEcosystems(trees, request);
  const run = { offline: request.network?.offline ?? false, network: request.network?.ledger() ?? [] };
  const built = buildInventory({
    subjects,
    generatedAt: request.generatedAt,
    tool: TOOL,
    run,
    facts,
    problems,
  });
  const knowledge = request.licenses;
  const concluded = await detectProjectLicenses(
    concludeLicenses(built, knowledge),
    new Map(trees.map(({ subject, tree }) => [subject.name, tree])),
    { categorise: (expression) => categoryOf(expression, knowledge) },
  );
  const curated = applyCurations(concluded, request.curations ?? [], knowledge.categories);
  if (!request.health) return curated;
  const targets = request.network
    ? { describe: describeTargets, licenses: knowledge, offline: request.network.offline }
    : undefined;
  const assessed = await runHealth(curated, request.health, request.network, targets);
  // The health pass asks GitHub too: the run's requests are counted once it is done.
  const network = request.network?.ledger();
  return network ? { ...assessed, run: { ...assessed.run, network } } : assessed;
}

interface OpenedSubject {
  subject: Subject;
  tree: LocalTree;
}

/** The local folders, then the GitHub repositories, each as a tree of manifests with a reader. */
async function openSubjects(request: ScanRequest): Promise<{ trees: OpenedSubject[]; problems: Problem[] }> {
  const opened: LocalTree[] = [];
  for (const location of request.paths) {
    request.onSubject?.(location);
    const root = path.resolve(request.cwd, location);
    opened.push(await openLocalTree(root, { manifestNames: MANIFEST_NAMES, excludes: request.excludes }));
  }
  const names = subjectNames(opened.map((tree) => tree.root));
  const trees: OpenedSubject[] = opened.map((tree, i) => ({
    subject: { name: names[i]!, type: 'directory', location: request.paths[i]! },
    tree,
  }));
  if (!request.github || !request.network) return { trees, problems: [] };
  const crawled = await openGitHubSubjects({
    ...request.github,
    manifestNames: MANIFEST_NAMES,
    excludes: request.excludes,
    client: request.network.client,
  });
  for (const { tree, name, location, ...repository } of crawled.subjects) {
    trees.push({ subject: { name, type: 'github', location, repository }, tree });
  }
  return { trees, problems: crawled.problems };
}

/** Every ecosystem over every subject: projects and graphs, then the facts its resolver looks up. */
async function scanEcosystems(
  trees: readonly OpenedSubject[],
  request: ScanRequest,
): Promise<{
  subjects: SubjectScan[];
  facts: Map<string, ComponentFacts>;
  describeTargets: DescribeTargets;
}> {
  const subjects = trees.map(({ subject, tree }) => emptyScan(subject, tree));
  const facts = new Map<string, ComponentFacts>();
  const now = new Date(request.generatedAt);
  const contexts = new Map<Ecosystem, ScanContext>();
  for (const ecosystem of ECOSYSTEMS) {
    const files = trees.map(({ subject, tree }) => ({
      name: subject.name,
      manifests: tree.manifests.filter((m) => ecosystem.manifestNames.includes(basename(m))),
      reader: tree.reader,
    }));
    const context = {
      subjects: files,
      network: request.network,
      now,
      maven: request.maven,
      health: request.health !== undefined,
    };
    contexts.set(ecosystem.id, context);
    for (const [i, subjectFiles] of files.entries()) {
      if (subjectFiles.manifests.length === 0) continue;
      const result = subjects[i]!;
      const found = await guarded(ecosystem.id, 'scan', result, () => ecosystem.scan(subjectFiles, context));
      if (!found) continue;
      result.ecosystems.push({ ecosystem: ecosystem.id, projects: found.projects, graphs: found.graphs });
      result.problems.push(...found.problems);
      const network = request.network;
      if (!network || !ecosystem.resolveFacts) continue;
      const resolved = await guarded(ecosystem.id, 'lookups', result, () =>
        ecosystem.resolveFacts!(found.graphs, subjectFiles, { ...context, network }),
      );
      for (const [purl, f] of resolved?.facts ?? []) facts.set(purl, f);
      result.problems.push(...(resolved?.problems ?? []));
    }
  }
  return { subjects, facts, describeTargets: (refs) => describeTargets(refs, contexts, request.network) };
}

/** Each target asked of its ecosystem, with the context that ecosystem scanned with (its open repositories). */
async function describeTargets(
  refs: readonly TargetRef[],
  contexts: ReadonlyMap<Ecosystem, ScanContext>,
  network: NetworkContext | undefined,
): Promise<PackagesDescribed> {
  const described: PackagesDescribed = { descriptions: new Map(), problems: [] };
  if (!network) return described;
  for (const ecosystem of ECOSYSTEMS) {
    const context = contexts.get(ecosystem.id);
    const mine = refs.filter((ref) => ref.ecosystem === ecosystem.id);
    if (!context || !ecosystem.describePackages || mine.length === 0) continue;
    const { descriptions, problems } = await ecosystem.describePackages(mine, { ...context, network });
    for (const [key, description] of descriptions) described.descriptions.set(key, description);
    described.problems.push(...problems);
  }
  return described;
}

/**
 * A defect in one ecosystem must not cost the rest of the inventory: it becomes an error problem for
 * that subject, and the other ecosystems and subjects are still inventoried.
 */
async function guarded<T>(
  ecosystem: string,
  step: string,
  result: SubjectScan,
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    result.problems.push({
      severity: 'error',
      code: `internal.${ecosystem}.${step}`,
      message: `the ${ecosystem} ${step} of ${result.subject.name} failed unexpectedly: ${
        error instanceof Error ? error.message : String(error)
      }; its ${ecosystem} projects are missing from this inventory`,
      hint: 'This is a defect of oss-inventory: please report it with the message above.',
    });
    return undefined;
  }
}

function emptyScan(subject: Subject, tree: LocalTree): SubjectScan {
  return {
    subject,
    ecosystems: [],
    manifestsRead: tree.manifests.length,
    excluded: tree.excluded,
    problems: [...tree.problems],
  };
}

/**
 * Subject names, used in project ids: each folder's name, lengthened with its parents' names where two
 * subjects share it (`lutece-core/files` and `plugin-rest/files`), numbered only when even full paths clash.
 */
export function subjectNames(roots: readonly string[]): string[] {
  const segments = roots.map((root) => root.split(/[\\/]+/).filter(Boolean));
  const names = segments.map((parts) => parts.at(-1) ?? 'root');
  for (let depth = 2; ; depth++) {
    const clashing = names.map((name, i) => names.some((other, j) => j !== i && other === name));
    if (!clashing.includes(true)) return names;
    let lengthened = false;
    clashing.forEach((clash, i) => {
      if (clash && segments[i]!.length >= depth) {
        names[i] = segments[i]!.slice(-depth).join('/');
        lengthened = true;
      }
    });
    if (!lengthened) break;
  }
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}-${count}`;
  });
}
