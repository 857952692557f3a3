import { FAILSAFE_SCHEMA, load, YAMLException } from 'js-yaml';
import picomatch from 'picomatch';
import type { Problem } from '../../core/model.js';
import { relativeTo } from '../../core/paths.js';

/**
 * Which package.json folders are members of the workspace rooted at `root`, given its globs
 * (package.json `workspaces`, or pnpm-workspace.yaml `packages`). Globs match folders relative to the
 * root; a leading `!` excludes. The root itself is never its own member.
 */
export function workspaceMembers(
  root: string,
  globs: readonly string[],
  folders: Iterable<string>,
): string[] {
  const clean = (g: string) => g.replace(/^\.\//, '').replace(/\/+$/, '');
  const include = globs.filter((g) => !g.startsWith('!')).map(clean);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => clean(g.slice(1)));
  if (include.length === 0) return [];
  const isIncluded = picomatch(include, { dot: false });
  const isExcluded = exclude.length ? picomatch(exclude) : () => false;
  const members: string[] = [];
  for (const folder of folders) {
    const rel = relativeTo(root, folder);
    if (rel === undefined || rel === '.') continue;
    if (isIncluded(rel) && !isExcluded(rel)) members.push(rel);
  }
  return members.sort();
}

export type WorkspaceFileResult = { ok: true; globs: string[] } | { ok: false; problem: Problem };

/** The `packages` globs of a pnpm-workspace.yaml. */
export function parsePnpmWorkspace(content: string, file: string): WorkspaceFileResult {
  let value: unknown;
  try {
    value = load(content, { schema: FAILSAFE_SCHEMA, filename: file });
  } catch (error) {
    const mark = error instanceof YAMLException ? error.mark : undefined;
    const line = mark ? mark.line + 1 : 1;
    const column = mark ? mark.column + 1 : 1;
    const reason = error instanceof YAMLException ? error.reason : String(error);
    return {
      ok: false,
      problem: {
        severity: 'error',
        code: 'npm.pnpm-workspace.invalid-yaml',
        message: `${file}:${line}:${column}: invalid YAML: ${reason}`,
        file,
        line,
        column,
        hint: 'Fix the YAML syntax of pnpm-workspace.yaml and scan again.',
      },
    };
  }
  const packages =
    value && typeof value === 'object' ? (value as Record<string, unknown>).packages : undefined;
  return { ok: true, globs: Array.isArray(packages) ? packages.filter((p) => typeof p === 'string') : [] };
}
