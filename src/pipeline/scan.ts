import path from 'node:path';
import { buildInventory, type SubjectScan } from '../core/inventory.js';
import type { ComponentFacts, Inventory, Subject } from '../core/model.js';
import type { HttpClient } from '../net/types.js';
import { basename } from '../core/paths.js';
import { ECOSYSTEMS, MANIFEST_NAMES } from '../ecosystems/index.js';
import { openLocalTree } from '../sources/local.js';
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
  /** Registry lookups, through this client; without it only what the files say is used. */
  network?: NetworkSettings;
}

export interface NetworkSettings {
  client: HttpClient;
  offline: boolean;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** The `--registry` flag. */
  registry?: string;
}

/** The scan pipeline: source → ecosystem parsers → resolvers → inventory. Throws SubjectNotFoundError for a missing path. */
export async function scan(request: ScanRequest): Promise<Inventory> {
  const subjects: SubjectScan[] = [];
  const facts = new Map<string, ComponentFacts>();
  const names = new Set<string>();
  for (const location of request.paths) {
    request.onSubject?.(location);
    const tree = await openLocalTree(path.resolve(request.cwd, location), {
      manifestNames: MANIFEST_NAMES,
      excludes: request.excludes,
    });
    const subject: Subject = {
      name: uniqueName(basename(tree.root) || 'root', names),
      type: 'directory',
      location,
    };
    const result: SubjectScan = {
      subject,
      ecosystems: [],
      manifestsRead: tree.manifests.length,
      excluded: tree.excluded,
      problems: [...tree.problems],
    };
    for (const ecosystem of ECOSYSTEMS) {
      const names = new Set(ecosystem.manifestNames);
      const manifests = tree.manifests.filter((m) => names.has(basename(m)));
      if (manifests.length === 0) continue;
      const found = await ecosystem.scan(manifests, tree.reader);
      result.ecosystems.push({ ecosystem: ecosystem.id, projects: found.projects, graphs: found.graphs });
      result.problems.push(...found.problems);
      if (request.network && ecosystem.resolveFacts) {
        const resolved = await ecosystem.resolveFacts(found.graphs, {
          ...request.network,
          reader: tree.reader,
          now: new Date(request.generatedAt),
        });
        for (const [purl, f] of resolved.facts) facts.set(purl, f);
        result.problems.push(...resolved.problems);
      }
    }
    subjects.push(result);
  }
  const run = { offline: request.network?.offline ?? false, network: request.network?.client.ledger() ?? [] };
  return buildInventory({ subjects, generatedAt: request.generatedAt, tool: TOOL, run, facts });
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}-${i}`;
  taken.add(candidate);
  return candidate;
}
