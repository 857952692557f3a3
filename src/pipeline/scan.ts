import path from 'node:path';
import { buildInventory, type SubjectScan } from '../core/inventory.js';
import type { ComponentFacts, Inventory, Subject } from '../core/model.js';
import type { NetworkContext } from '../ecosystems/types.js';
import { basename } from '../core/paths.js';
import { ECOSYSTEMS, MANIFEST_NAMES } from '../ecosystems/index.js';
import { openLocalTree, type LocalTree } from '../sources/local.js';
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
}

/** The scan pipeline: source → ecosystem parsers → resolvers → inventory. Throws SubjectNotFoundError for a missing path. */
export async function scan(request: ScanRequest): Promise<Inventory> {
  const names = new Set<string>();
  const trees: { subject: Subject; tree: LocalTree }[] = [];
  for (const location of request.paths) {
    request.onSubject?.(location);
    const tree = await openLocalTree(path.resolve(request.cwd, location), {
      manifestNames: MANIFEST_NAMES,
      excludes: request.excludes,
    });
    const name = uniqueName(basename(tree.root) || 'root', names);
    trees.push({ subject: { name, type: 'directory', location }, tree });
  }

  const now = new Date(request.generatedAt);
  const facts = new Map<string, ComponentFacts>();
  const subjects: SubjectScan[] = [];
  for (const ecosystem of ECOSYSTEMS) {
    const files = trees.map(({ subject, tree }) => ({
      name: subject.name,
      manifests: tree.manifests.filter((m) => ecosystem.manifestNames.includes(basename(m))),
      reader: tree.reader,
    }));
    const context = { subjects: files, network: request.network, now };
    for (const [i, subjectFiles] of files.entries()) {
      if (subjectFiles.manifests.length === 0) continue;
      const found = await ecosystem.scan(subjectFiles, context);
      const result = (subjects[i] ??= emptyScan(trees[i]!.subject, trees[i]!.tree));
      result.ecosystems.push({ ecosystem: ecosystem.id, projects: found.projects, graphs: found.graphs });
      result.problems.push(...found.problems);
      if (request.network && ecosystem.resolveFacts) {
        const resolved = await ecosystem.resolveFacts(found.graphs, subjectFiles, {
          ...context,
          network: request.network,
        });
        for (const [purl, f] of resolved.facts) facts.set(purl, f);
        result.problems.push(...resolved.problems);
      }
    }
  }
  const all = trees.map(({ subject, tree }, i) => subjects[i] ?? emptyScan(subject, tree));
  const run = { offline: request.network?.offline ?? false, network: request.network?.client.ledger() ?? [] };
  return buildInventory({ subjects: all, generatedAt: request.generatedAt, tool: TOOL, run, facts });
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

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}-${i}`;
  taken.add(candidate);
  return candidate;
}
