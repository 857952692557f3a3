import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { isLicenseFileName } from '../core/license-text.js';
import type { Problem } from '../core/model.js';
import type { SubjectReader } from '../ecosystems/types.js';

/**
 * Folders skipped unless `--no-default-excludes`: installed packages, VCS metadata and test fixtures,
 * which are not what the project ships. node_modules and .git are pruned without being read; manifests
 * under the other excluded folders are counted in the report.
 */
export const DEFAULT_EXCLUDES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/fixtures/**',
  '**/__fixtures__/**',
  '**/testdata/**',
  '**/src/it/**',
  '**/src/test/resources/**',
] as const;

/** Excludes whose folders are pruned without being read: their manifests are not counted. */
export const PRUNED_UNREAD: ReadonlySet<string> = new Set(['**/node_modules/**', '**/.git/**']);
const MAX_DEPTH = 64;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface LocalTreeOptions {
  manifestNames: ReadonlySet<string>;
  excludes: readonly string[];
}

export interface ExcludedCount {
  pattern: string;
  manifests: number;
  folders: number;
}

/** A license file (LICENSE, COPYING...) and its size in bytes, when the source knows it. */
export interface LicenseFileEntry {
  path: string;
  size?: number;
}

export interface LocalTree {
  /** The real path of the root. */
  root: string;
  /** Subject-relative POSIX paths of the manifests found, sorted. */
  manifests: string[];
  /** License files of the root folder and of every folder holding a manifest, sorted by path. */
  licenseFiles?: LicenseFileEntry[];
  excluded: ExcludedCount[];
  problems: Problem[];
  reader: SubjectReader;
}

export class SubjectNotFoundError extends Error {}

export interface Exclusion {
  pattern: string;
  matchesFile: (p: string) => boolean;
  matchesFolder: (p: string) => boolean;
}

/** An exclude pattern, matched against file paths and, without its trailing `/**`, folder paths. */
export function compileExclusion(pattern: string): Exclusion {
  const clean = pattern.replace(/^\.\//, '');
  const folderPattern = clean.endsWith('/**') ? clean.slice(0, -3) : clean;
  return {
    pattern,
    matchesFile: picomatch(clean, { dot: true }),
    matchesFolder: picomatch(folderPattern, { dot: true }),
  };
}

/** Walks a directory tree for manifests without following directory symlinks, so loops cannot hang it. */
export async function openLocalTree(location: string, options: LocalTreeOptions): Promise<LocalTree> {
  let root: string;
  try {
    root = await realpath(location);
    if (!(await stat(root)).isDirectory()) throw new SubjectNotFoundError(`${location} is not a directory`);
  } catch (error) {
    if (error instanceof SubjectNotFoundError) throw error;
    throw new SubjectNotFoundError(`${location}: ${describeFsError(error)}`);
  }
  const exclusions = options.excludes.map(compileExclusion);
  const counts = new Map(options.excludes.map((p) => [p, { pattern: p, manifests: 0, folders: 0 }]));
  const manifests: string[] = [];
  const licenseFiles: LicenseFileEntry[] = [];
  const problems: Problem[] = [];

  const stack: { rel: string; depth: number; excludedBy?: string }[] = [{ rel: '', depth: 0 }];
  while (stack.length > 0) {
    const { rel, depth, excludedBy } = stack.pop()!;
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (error) {
      problems.push(folderProblem(rel, `cannot be read: ${describeFsError(error)}`));
      continue;
    }
    const licenseHere: string[] = [];
    let manifestHere = false;
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth + 1 > MAX_DEPTH) {
          problems.push(
            folderProblem(child, `is nested more than ${MAX_DEPTH} folders deep and was not read`),
          );
          continue;
        }
        const exclusion = excludedBy ? undefined : exclusions.find((e) => e.matchesFolder(child));
        if (exclusion) {
          counts.get(exclusion.pattern)!.folders++;
          if (PRUNED_UNREAD.has(exclusion.pattern)) continue;
        }
        stack.push({ rel: child, depth: depth + 1, excludedBy: excludedBy ?? exclusion?.pattern });
      } else if ((entry.isFile() || entry.isSymbolicLink()) && options.manifestNames.has(entry.name)) {
        const exclusion = excludedBy ?? exclusions.find((e) => e.matchesFile(child))?.pattern;
        if (exclusion) counts.get(exclusion)!.manifests++;
        else if (entry.isFile() || (await isFileInside(root, child))) {
          manifests.push(child);
          manifestHere = true;
        }
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isLicenseFileName(entry.name)) {
        if (!excludedBy && !exclusions.some((e) => e.matchesFile(child))) licenseHere.push(child);
      }
    }
    if (rel === '' || manifestHere) licenseFiles.push(...(await sizedFiles(root, licenseHere)));
  }
  manifests.sort();
  licenseFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const excluded = [...counts.values()].filter((c) => c.manifests > 0 || c.folders > 0);
  return { root, manifests, licenseFiles, excluded, problems, reader: localReader(root) };
}

/** The files that are regular files inside the root (symlinks followed only that far), with their sizes. */
async function sizedFiles(root: string, files: readonly string[]): Promise<LicenseFileEntry[]> {
  const sized: LicenseFileEntry[] = [];
  for (const rel of files) {
    try {
      const target = await realpath(path.join(root, rel));
      const info = await stat(target);
      if (isInside(root, target) && info.isFile()) sized.push({ path: rel, size: info.size });
    } catch {
      // gone or unreadable since it was listed: not a license file to read
    }
  }
  return sized;
}

async function isFileInside(root: string, rel: string): Promise<boolean> {
  try {
    const target = await realpath(path.join(root, rel));
    return isInside(root, target) && (await stat(target)).isFile();
  } catch {
    return false;
  }
}

function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + path.sep);
}

/** Reads subject-relative paths, refusing anything that resolves outside the root (`..`, absolute, symlinks out). */
function localReader(root: string): SubjectReader {
  const resolve = async (rel: string): Promise<string> => {
    const joined = path.resolve(root, rel);
    if (!isInside(root, joined)) throw new Error(`${rel}: path leaves the scanned folder`);
    const real = await realpath(joined);
    if (!isInside(root, real)) throw new Error(`${rel}: symbolic link points outside the scanned folder`);
    return real;
  };
  return {
    async read(rel) {
      const file = await resolve(rel);
      const info = await lstat(file);
      if (info.size > MAX_MANIFEST_BYTES) {
        throw new Error(
          `${rel}: ${info.size} bytes is more than the ${MAX_MANIFEST_BYTES} bytes a manifest may have`,
        );
      }
      return readFile(file, 'utf8');
    },
    async exists(rel) {
      try {
        await resolve(rel);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function folderProblem(rel: string, what: string): Problem {
  return {
    severity: 'warning',
    code: 'source.folder-skipped',
    message: `folder ${rel || '.'} ${what}`,
    file: rel || '.',
    hint: 'Check the folder permissions, or exclude it with --exclude.',
  };
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return error instanceof Error ? error.message : String(error);
}
