import type { DependencyGraph, GraphNode } from '../../core/graph.js';
import { dirname, join } from '../../core/paths.js';
import type { SubjectReader } from '../types.js';
import { isRecord } from './json.js';
import { declaredLicense } from './package-json.js';

/**
 * Fills the license of locked nodes that the lockfile left without one from an existing install:
 * `node_modules/<name>/package.json` (or the node's own install path for package-lock keys), when its
 * version is the locked one. Nothing is read when the lockfile's folder has no node_modules.
 */
export async function addInstalledLicenses(graph: DependencyGraph, reader: SubjectReader): Promise<void> {
  if (!graph.locked) return;
  const folder = dirname(graph.manifest);
  if (!(await reader.exists(join(folder, 'node_modules')))) return;
  for (const node of graph.nodes.values()) {
    if (node.license || node.sourceKind === 'link') continue;
    const file = join(folder, installPath(node), 'package.json');
    const declared = await readInstalled(reader, file, node);
    if (declared) node.license = { value: declared, source: 'node_modules', evidence: file };
  }
}

function installPath(node: GraphNode): string {
  return node.key.startsWith('node_modules/') ? node.key : `node_modules/${node.name}`;
}

async function readInstalled(
  reader: SubjectReader,
  file: string,
  node: GraphNode,
): Promise<string | undefined> {
  if (!(await reader.exists(file))) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(await reader.read(file));
  } catch {
    return undefined; // a broken installed copy is not evidence of anything
  }
  if (!isRecord(raw) || raw.version !== node.version) return undefined;
  return declaredLicense(raw);
}
