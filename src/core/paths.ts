/** POSIX path helpers for subject-relative paths (`.` is the subject root). Pure string work, no file system. */

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash) || '.';
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function join(...parts: string[]): string {
  const out: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.length ? out.join('/') : '.';
}

/** `child` relative to `parent`, or undefined when it is not inside it. */
export function relativeTo(parent: string, child: string): string | undefined {
  if (parent === '.') return child;
  if (child === parent) return '.';
  return child.startsWith(`${parent}/`) ? child.slice(parent.length + 1) : undefined;
}
