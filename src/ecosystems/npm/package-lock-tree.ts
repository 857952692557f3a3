/**
 * The folder tree a package-lock describes, keyed by install path (`node_modules/a/node_modules/@s/b`,
 * `packages/web`, `''` for the lockfile's folder), and Node's module resolution over it.
 */

export type LockEntry = Record<string, unknown>;

export interface InstallTree {
  readonly entries: ReadonlyMap<string, LockEntry>;
  /** The install path Node loads `name` from when it is required by code in folder `from`. */
  resolve(from: string, name: string): string | undefined;
}

/** Longer keys cannot be real install paths (PATH_MAX is 4096), and bounding them bounds the resolution cost. */
export const MAX_INSTALL_PATH_LENGTH = 4096;

const NODE_MODULES = 'node_modules/';

/** `node_modules/a/node_modules/@s/b` → parent folder `node_modules/a`, name `@s/b`; undefined outside node_modules. */
export function splitInstallPath(path: string): { parent: string; name: string } | undefined {
  const at = path.lastIndexOf(NODE_MODULES);
  if (at < 0 || (at > 0 && path.charCodeAt(at - 1) !== 47) /* '/' */) return undefined;
  const name = path.slice(at + NODE_MODULES.length);
  if (name === '') return undefined;
  return { parent: at === 0 ? '' : path.slice(0, at - 1), name };
}

/** A folder of the tree, created on first use; `parent` is where Node looks next, `null` above the root. */
interface Folder {
  path: string;
  children: Map<string, string> | undefined;
  parent?: Folder | null;
  /** name → where it resolves from here (null: nowhere), filled as resolutions pass through. */
  resolved?: Map<string, string | null>;
}

export function buildInstallTree(entries: ReadonlyMap<string, LockEntry>): InstallTree {
  const children = new Map<string, Map<string, string>>();
  const containerLengths = new Set<number>();
  for (const key of entries.keys()) {
    const split = key === '' ? undefined : splitInstallPath(key);
    if (!split) continue;
    let names = children.get(split.parent);
    if (!names) {
      names = new Map();
      children.set(split.parent, names);
      containerLengths.add(split.parent.length);
    }
    names.set(split.name, key);
  }

  const folders = new Map<string, Folder>();
  const folderAt = (path: string): Folder => {
    let folder = folders.get(path);
    if (!folder) {
      folder = { path, children: children.get(path) };
      folders.set(path, folder);
    }
    return folder;
  };
  // A folder outside node_modules (a workspace, a file: dependency) looks in each ancestor's node_modules.
  // Only ancestors of a length that some container has are worth hashing.
  const enclosingContainer = (dir: string): string => {
    for (let end = dir.lastIndexOf('/'); end > 0; end = dir.lastIndexOf('/', end - 1)) {
      if (!containerLengths.has(end)) continue;
      const up = dir.slice(0, end);
      if (children.has(up)) return up;
    }
    return '';
  };
  const parentOf = (folder: Folder): Folder | null => {
    if (folder.parent === undefined) {
      const split = folder.path === '' ? undefined : splitInstallPath(folder.path);
      folder.parent =
        folder.path === '' ? null : folderAt(split ? split.parent : enclosingContainer(folder.path));
    }
    return folder.parent;
  };

  return {
    entries,
    // Each (folder, name) is looked up once: later resolutions through the same folder stop there, so a
    // deep tree with many dependencies costs edges + depth × names, not edges × depth.
    resolve(from, name) {
      const passed: Folder[] = [];
      let found: string | null = null;
      for (let folder: Folder | null = folderAt(from); folder !== null; folder = parentOf(folder)) {
        const hit = folder.children?.get(name);
        if (hit !== undefined) {
          found = hit;
          break;
        }
        if (folder.resolved?.has(name)) {
          found = folder.resolved.get(name)!;
          break;
        }
        passed.push(folder);
      }
      for (const folder of passed) (folder.resolved ??= new Map()).set(name, found);
      return found ?? undefined;
    },
  };
}
