import type { DeclaredLicense, DependencyGraph, GraphNode } from '../../core/graph.js';
import { detectLicenseText, type PreparedTemplates } from '../../core/license-text.js';
import { dirname, join } from '../../core/paths.js';
import { spdxLicenseTemplates } from '../../licenses/spdx-texts.js';
import type { SubjectReader } from '../types.js';
import { isRecord } from './json.js';
import { declaredLicense } from './package-json.js';

/** An installed copy's license file larger than this is not read. */
const MAX_LICENSE_FILE_BYTES = 1024 * 1024;

/**
 * The names an installed package's license file is looked for under, in order (the reader cannot list a
 * folder, and file names are case-sensitive): the first that exists is the one read.
 */
const LICENSE_FILE_NAMES = [
  'LICENSE',
  'LICENSE.md',
  'LICENSE.txt',
  'LICENCE',
  'LICENCE.md',
  'LICENCE.txt',
  'License',
  'License.md',
  'License.txt',
  'license',
  'license.md',
  'license.txt',
  'COPYING',
  'LICENSE-MIT',
  'UNLICENSE',
];

/**
 * Fills the license of locked nodes that the lockfile left without one from an existing install:
 * `node_modules/<name>/package.json` (or the node's own install path for package-lock keys), when its
 * version is the locked one; when that package.json declares no license, from the text of the package's
 * LICENSE file (at most one file per package, under 1 MiB). Nothing is read when the lockfile's folder
 * has no node_modules; the SPDX texts are loaded only when a license file is met.
 */
export async function addInstalledLicenses(
  graph: DependencyGraph,
  reader: SubjectReader,
  templates: () => Promise<PreparedTemplates> = spdxLicenseTemplates,
): Promise<void> {
  if (!graph.locked) return;
  const folder = dirname(graph.manifest);
  if (!(await reader.exists(join(folder, 'node_modules')))) return;
  for (const node of graph.nodes.values()) {
    if (node.license || node.sourceKind === 'link') continue;
    const installed = join(folder, installPath(node));
    const file = join(installed, 'package.json');
    const declared = await readInstalled(reader, file, node);
    if (declared === undefined) continue;
    if (declared) node.license = { value: declared, source: 'node_modules', evidence: file };
    else {
      const fromFile = await licenseFromFile(reader, installed, templates);
      if (fromFile) node.license = fromFile;
    }
  }
}

function installPath(node: GraphNode): string {
  return node.key.startsWith('node_modules/') ? node.key : `node_modules/${node.name}`;
}

/** The installed copy's declared license, '' when it declares none, undefined when it is not the locked version. */
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
  return declaredLicense(raw) ?? '';
}

async function licenseFromFile(
  reader: SubjectReader,
  folder: string,
  templates: () => Promise<PreparedTemplates>,
): Promise<DeclaredLicense | undefined> {
  let file: string | undefined;
  for (const name of LICENSE_FILE_NAMES) {
    if (await reader.exists(join(folder, name))) {
      file = join(folder, name);
      break;
    }
  }
  if (file === undefined) return undefined;
  let text: string;
  let prepared: PreparedTemplates;
  try {
    text = await reader.read(file);
    if (text.length > MAX_LICENSE_FILE_BYTES) return undefined;
    prepared = await templates();
  } catch {
    return undefined; // an unreadable file (or a folder named LICENSE) says nothing
  }
  const detected = detectLicenseText(text, prepared);
  return detected && { value: detected.expression, source: 'license-file', evidence: file };
}
