import { isLicenseFileName } from '../core/license-text.js';
import type { ExcludedCount, LicenseFileEntry, LocalTreeOptions } from './local.js';
import { compileExclusion, PRUNED_UNREAD, type Exclusion } from './local.js';

/** One entry of a git tree, its path relative to the repository root. */
export interface GitTreeEntry {
  path: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

/** A git tree as GET /repos/{o}/{r}/git/trees/{sha} answers it, paths relative to that tree. */
export interface GitTreeAnswer {
  entries: GitTreeEntry[];
  truncated: boolean;
}

export type FetchGitTree = (sha: string, recursive: boolean) => Promise<GitTreeAnswer>;

export function parentOf(p: string): string {
  const slash = p.lastIndexOf('/');
  return slash < 0 ? '' : p.slice(0, slash);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * Chooses the manifests of a repository's tree with the semantics of local.ts: a folder matching an
 * exclusion excludes everything under it (counted against the first pattern that matched it, the
 * manifests under node_modules and .git not counted at all), and a manifest can also be excluded itself.
 */
export class ManifestSelector {
  readonly #exclusions: Exclusion[];
  readonly #names: ReadonlySet<string>;
  /** Folder → the pattern excluding it or one of its ancestors (null: not excluded). */
  readonly #folders = new Map<string, string | null>([['', null]]);

  constructor(options: LocalTreeOptions) {
    this.#exclusions = options.excludes.map(compileExclusion);
    this.#names = options.manifestNames;
  }

  /** Whether the walk may skip the folder's contents without reading them. */
  pruned(folder: string): boolean {
    const pattern = this.#excludedBy(folder);
    return pattern !== null && PRUNED_UNREAD.has(pattern);
  }

  /** The manifests, what the exclusions skipped, and the license files of the root and manifest folders. */
  select(entries: Iterable<GitTreeEntry>): {
    manifests: string[];
    excluded: ExcludedCount[];
    licenseFiles: LicenseFileEntry[];
  } {
    const counts = new Map(
      this.#exclusions.map((e) => [e.pattern, { pattern: e.pattern, manifests: 0, folders: 0 }]),
    );
    const manifests: string[] = [];
    const licenses: LicenseFileEntry[] = [];
    for (const entry of entries) {
      const inherited = this.#excludedBy(parentOf(entry.path));
      if (entry.type === 'tree') {
        const own = inherited === null ? this.#excludedBy(entry.path) : null;
        if (own !== null) counts.get(own)!.folders++;
      } else if (entry.type === 'blob' && this.#names.has(baseName(entry.path))) {
        const pattern = inherited ?? this.#exclusions.find((e) => e.matchesFile(entry.path))?.pattern;
        if (pattern === undefined) manifests.push(entry.path);
        else if (!PRUNED_UNREAD.has(pattern)) counts.get(pattern)!.manifests++;
      } else if (entry.type === 'blob' && isLicenseFileName(baseName(entry.path))) {
        if (inherited === null && !this.#exclusions.some((e) => e.matchesFile(entry.path)))
          licenses.push({ path: entry.path, ...(entry.size !== undefined ? { size: entry.size } : {}) });
      }
    }
    manifests.sort();
    const folders = new Set(['', ...manifests.map(parentOf)]);
    const licenseFiles = licenses
      .filter((l) => folders.has(parentOf(l.path)))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const excluded = [...counts.values()].filter((c) => c.manifests > 0 || c.folders > 0);
    return { manifests, excluded, licenseFiles };
  }

  /** Memoised, and iterative over the ancestors so that a deep path cannot exhaust the stack. */
  #excludedBy(folder: string): string | null {
    const known = this.#folders.get(folder);
    if (known !== undefined) return known;
    const unknown: string[] = [];
    let current = folder;
    while (!this.#folders.has(current)) {
      unknown.push(current);
      current = parentOf(current);
    }
    let pattern: string | null = this.#folders.get(current)!;
    for (let i = unknown.length - 1; i >= 0; i--) {
      const path = unknown[i]!;
      pattern ??= this.#exclusions.find((e) => e.matchesFolder(path))?.pattern ?? null;
      this.#folders.set(path, pattern);
    }
    return pattern;
  }
}

/**
 * Every entry of the tree `rootSha`: one recursive request when GitHub sends it whole; when it answers
 * `truncated`, that tree's direct children, then each subtree the same way (pruned folders unread).
 */
export async function readWholeTree(
  fetchTree: FetchGitTree,
  rootSha: string,
  pruned: (folder: string) => boolean,
): Promise<GitTreeEntry[]> {
  const entries: GitTreeEntry[] = [];
  const queue = [{ prefix: '', sha: rootSha }];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    const { prefix, sha } = next;
    const at = (p: string) => (prefix === '' ? p : `${prefix}/${p}`);
    const whole = await fetchTree(sha, true);
    if (!whole.truncated) {
      for (const entry of whole.entries) entries.push({ ...entry, path: at(entry.path) });
      continue;
    }
    const level = await fetchTree(sha, false);
    for (const entry of level.entries) {
      const path = at(entry.path);
      entries.push({ ...entry, path });
      if (entry.type === 'tree' && !pruned(path)) queue.push({ prefix: path, sha: entry.sha });
    }
  }
  return entries;
}
