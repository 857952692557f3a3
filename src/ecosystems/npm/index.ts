import type { DependencyGraph } from '../../core/graph.js';
import type { Problem } from '../../core/model.js';
import { basename, dirname, join } from '../../core/paths.js';
import { npmPurl } from '../../core/purl.js';
import type { ProjectManifest } from '../../core/inventory.js';
import type { EcosystemPlugin, EcosystemScan, SubjectFiles, SubjectReader } from '../types.js';
import { addDeclarationSites } from './declaration-lines.js';
import { describeNpmTargets } from './describe.js';
import { addInstalledLicenses } from './installed-licenses.js';
import type { LockfileContext, LockfileParser } from './lockfile.js';
import { parsePackageJson, type PackageJson } from './package-json.js';
import { parsePackageLock } from './package-lock.js';
import { parsePnpmLock } from './pnpm-lock.js';
import { resolveRegistryFacts } from './registry-facts.js';
import { unlockedGraph } from './unlocked.js';
import { parsePnpmWorkspace, workspaceMembers } from './workspaces.js';
import { parseYarnLock } from './yarn-lock.js';

const LOCKFILE_PARSERS: Record<string, LockfileParser> = {
  'npm-shrinkwrap.json': parsePackageLock,
  'package-lock.json': parsePackageLock,
  'yarn.lock': parseYarnLock,
  'pnpm-lock.yaml': parsePnpmLock,
};

export const npmEcosystem: EcosystemPlugin = {
  id: 'npm',
  manifestNames: ['package.json', ...Object.keys(LOCKFILE_PARSERS), 'pnpm-workspace.yaml'],
  scan: scanNpm,
  resolveFacts: resolveRegistryFacts,
  describePackages: describeNpmTargets,
};

async function scanNpm({ manifests, reader }: SubjectFiles): Promise<EcosystemScan> {
  const problems: Problem[] = [];
  const packageJsons = await readPackageJsons(manifests, reader, problems);
  const workspaceRoots = await findWorkspaceRoots(manifests, packageJsons, reader, problems);

  const lockfiles = manifests.filter((m) => basename(m) in LOCKFILE_PARSERS);
  problems.push(...multipleLockfileWarnings(lockfiles));
  const graphs: DependencyGraph[] = [];
  const covered = new Set<string>();
  for (const lockfile of lockfiles) {
    const folder = dirname(lockfile);
    const members = workspaceRoots.get(folder) ?? [];
    const context: LockfileContext = {
      root: packageJsons.get(folder),
      workspaces: new Map(members.map((m) => [m, packageJsons.get(join(folder, m))!])),
    };
    const content = await readManifest(reader, lockfile, problems);
    if (content === undefined) continue;
    const graph = LOCKFILE_PARSERS[basename(lockfile)]!(content, lockfile, context);
    graphs.push(graph);
    for (const importer of graph.importers) covered.add(join(folder, importer.path));
  }
  for (const [folder, pkg] of packageJsons) {
    if (!covered.has(folder)) graphs.push(unlockedGraph(pkg, join(folder, 'package.json')));
  }
  for (const graph of graphs) addDeclarationSites(graph, (folder) => packageJsons.get(folder)?.lines);
  for (const graph of graphs) await addInstalledLicenses(graph, reader);

  const memberOf = new Map<string, string>();
  for (const [root, members] of workspaceRoots) for (const m of members) memberOf.set(join(root, m), root);
  const projects: ProjectManifest[] = [...packageJsons].map(([folder, pkg]) => ({
    path: folder,
    manifest: join(folder, 'package.json'),
    name: pkg.name,
    version: pkg.version,
    licenses: pkg.license === undefined ? undefined : [pkg.license],
    workspaceRoot: memberOf.get(folder),
    publishes: pkg.name && pkg.version ? [npmPurl(pkg.name, pkg.version)] : [],
  }));
  return { projects, graphs, problems: [...problems, ...graphs.flatMap((g) => g.problems)] };
}

async function readPackageJsons(
  manifests: readonly string[],
  reader: SubjectReader,
  problems: Problem[],
): Promise<Map<string, PackageJson>> {
  const out = new Map<string, PackageJson>();
  for (const file of manifests.filter((m) => basename(m) === 'package.json').sort()) {
    const content = await readManifest(reader, file, problems);
    if (content === undefined) continue;
    const parsed = parsePackageJson(content, file);
    if (parsed.ok) out.set(dirname(file), parsed.value);
    else problems.push(parsed.problem);
  }
  return out;
}

/** Workspace roots (package.json `workspaces` or pnpm-workspace.yaml) and their member folders, relative to the root. */
async function findWorkspaceRoots(
  manifests: readonly string[],
  packageJsons: ReadonlyMap<string, PackageJson>,
  reader: SubjectReader,
  problems: Problem[],
): Promise<Map<string, string[]>> {
  const globs = new Map<string, string[]>();
  for (const [folder, pkg] of packageJsons) if (pkg.workspaces.length) globs.set(folder, [...pkg.workspaces]);
  for (const file of manifests.filter((m) => basename(m) === 'pnpm-workspace.yaml')) {
    const content = await readManifest(reader, file, problems);
    if (content === undefined) continue;
    const parsed = parsePnpmWorkspace(content, file);
    if (!parsed.ok) problems.push(parsed.problem);
    else globs.set(dirname(file), [...(globs.get(dirname(file)) ?? []), ...parsed.globs]);
  }
  const roots = new Map<string, string[]>();
  for (const [root, patterns] of globs)
    roots.set(root, workspaceMembers(root, patterns, packageJsons.keys()));
  return roots;
}

function multipleLockfileWarnings(lockfiles: readonly string[]): Problem[] {
  const byFolder = new Map<string, string[]>();
  for (const file of lockfiles) byFolder.set(dirname(file), [...(byFolder.get(dirname(file)) ?? []), file]);
  const problems: Problem[] = [];
  for (const [folder, files] of byFolder) {
    if (files.length < 2) continue;
    problems.push({
      severity: 'warning',
      code: 'npm.lockfile.multiple',
      message: `${folder === '.' ? 'the root folder' : folder} holds ${files.length} lockfiles (${files
        .map(basename)
        .join(', ')}): each is inventoried, but only one of them describes what actually gets installed`,
      file: files[0],
      hint: 'Delete the lockfile of the package manager the project does not use, or exclude it with --exclude.',
    });
  }
  return problems;
}

async function readManifest(
  reader: SubjectReader,
  file: string,
  problems: Problem[],
): Promise<string | undefined> {
  try {
    return await reader.read(file);
  } catch (error) {
    problems.push({
      severity: 'error',
      code: 'npm.manifest.unreadable',
      message: `${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      file,
      hint: 'Check the file permissions, or exclude it with --exclude.',
    });
    return undefined;
  }
}
