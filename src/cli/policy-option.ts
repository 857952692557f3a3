/**
 * The `--policy FILE` option of the commands that show violations in their reports (`scan`, `report`):
 * the file, else the configuration's `policy:` section, else no policy. Loaded and refused as `check`
 * does: every error listed with its file, line and column (exit 2), warnings printed.
 */
import path from 'node:path';
import type { ConfigIssue } from '../config/types.js';
import type { Policy, PolicyPosition } from '../core/policy-model.js';
import { loadPolicy } from '../policy/load.js';
import type { LoadedConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import { printable, type Log } from './log.js';

export async function resolvePolicyOption(
  file: string | undefined,
  loaded: LoadedConfig,
  cwd: string,
  now: Date,
  log: Log,
): Promise<Policy | undefined> {
  if (file === undefined) return loaded.config.policy ? relativePolicy(loaded.config.policy, cwd) : undefined;
  const { policy, errors, warnings } = await loadPolicy(path.resolve(cwd, file), now);
  for (const w of warnings) log.warn(issueText(w, cwd));
  if (errors.length > 0 || !policy) {
    const lines = errors.map((e) => `  ${issueText(e, cwd)}`);
    throw new CliError(
      `invalid policy (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      EXIT.usage,
    );
  }
  log.verbose(`policy: ${path.resolve(cwd, file)}`);
  return relativePolicy(policy, cwd);
}

function issueText(issue: ConfigIssue, cwd: string): string {
  return printable(`${shownPath(issue.file, cwd)}:${issue.line}:${issue.column}: ${issue.message}`);
}

/**
 * The policy with its file names relative to the working folder, as the user wrote them: rules name them,
 * and a report must not depend on where the working folder is.
 */
export function relativePolicy(policy: Policy, cwd: string): Policy {
  const shown = (file: string) => {
    const hash = file.indexOf('#');
    return hash < 0 ? shownPath(file, cwd) : `${shownPath(file.slice(0, hash), cwd)}${file.slice(hash)}`;
  };
  const at = (p: PolicyPosition): PolicyPosition => ({ ...p, file: shown(p.file) });
  return {
    ...policy,
    file: shown(policy.file),
    curations: policy.curations.map((c) => ({ ...c, at: at(c.at) })),
    waivers: policy.waivers.map((w) => ({ ...w, at: at(w.at) })),
    ...(policy.positions
      ? { positions: new Map([...policy.positions].map(([key, p]) => [key, at(p)])) }
      : {}),
  };
}

/** A path relative to the working folder when it is inside it, else as it is. */
function shownPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative)
    ? file
    : relative.split(path.sep).join('/');
}
