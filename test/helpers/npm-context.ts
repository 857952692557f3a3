import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LockfileContext } from '../../src/ecosystems/npm/lockfile.js';
import type { PackageJson } from '../../src/ecosystems/npm/package-json.js';
import { parsePackageJson } from '../../src/ecosystems/npm/package-json.js';
import { workspaceMembers } from '../../src/ecosystems/npm/workspaces.js';

/**
 * The LockfileContext of the lockfile in `folder`, from the package.json files on disk. Rule (the
 * orchestrator's, through the same `workspaceMembers`): the root is `folder/package.json`; the members
 * are the other folders under `folder`, outside node_modules, that hold a package.json and whose path
 * relative to `folder` matches one of the root's `workspaces` globs (leading `./` and trailing `/`
 * dropped) and none of its `!` globs.
 */
export function loadNpmContext(folder: string): LockfileContext {
  const root = readPackageJson(path.join(folder, 'package.json'));
  const workspaces = new Map<string, PackageJson>();
  if (!root) return { root, workspaces };
  for (const member of workspaceMembers('.', root.workspaces, packageFolders(folder))) {
    const pkg = readPackageJson(path.join(folder, member, 'package.json'));
    if (pkg) workspaces.set(member, pkg);
  }
  return { root, workspaces };
}

function readPackageJson(file: string): PackageJson | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = parsePackageJson(readFileSync(file, 'utf8'), file);
  return parsed.ok ? parsed.value : undefined;
}

/** Folders (POSIX, relative to `folder`, `.` for itself) holding a package.json, sorted. */
function packageFolders(folder: string): string[] {
  const found: string[] = [];
  const stack = ['.'];
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      const child = relative === '.' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') stack.push(child);
      else if (entry.isFile() && entry.name === 'package.json') found.push(relative);
    }
  }
  return found.sort();
}
