import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError, loadConfig } from '../config/load.js';
import { CONFIG_FILE_NAMES, MAX_CONFIG_BYTES, type ConfigIssue } from '../config/types.js';
import { oversizedIssue } from '../config/yaml-document.js';
import { parsePolicy, type PolicyResult } from './parse.js';

/**
 * Reads the policy: a policy file, or the `policy:` section when `file` is a `.oss-inventory.yaml`. `now` is
 * the clock a past waiver date is warned against. Never throws: a file that cannot be read is one error.
 */
export async function loadPolicy(file: string, now: Date): Promise<PolicyResult> {
  if ((CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(file)))
    return policyOfConfig(file, now);
  const failed = (message: string): PolicyResult => ({ errors: [wholeFile(file, message)], warnings: [] });
  try {
    const info = await stat(file);
    if (!info.isFile()) return failed('cannot read the policy file: it is not a regular file');
    // Checked before reading, so that a huge file (or a wrong path to one) is never loaded into memory.
    if (info.size > MAX_CONFIG_BYTES)
      return { errors: [oversizedIssue(file, info.size, 'policy')], warnings: [] };
    return parsePolicy(await readFile(file, 'utf8'), file, now);
  } catch (error) {
    return failed(`cannot read the policy file: ${describeFsError(error)}`);
  }
}

async function policyOfConfig(file: string, now: Date): Promise<PolicyResult> {
  const { config, errors, warnings } = await loadConfig(file, { now });
  if (errors.length > 0) return { errors, warnings };
  if (!config.policy) {
    return {
      errors: [wholeFile(file, 'the configuration has no policy: section; add one, or give a policy file')],
      warnings,
    };
  }
  return { policy: config.policy, errors, warnings };
}

function wholeFile(file: string, message: string): ConfigIssue {
  return { file, line: 1, column: 1, message };
}
