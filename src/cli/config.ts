import path from 'node:path';
import { findConfigFile } from '../config/find.js';
import type { Config } from '../config/types.js';
import { CliError, EXIT } from './exit-codes.js';
import { printable, type Log } from './log.js';

export interface LoadedConfig {
  config: Config;
  /** Folder that relative paths in the configuration are resolved against: the config file's own. */
  baseDir: string;
}

/** The configuration in force: `--config FILE`, else `.oss-inventory.yaml` found from `cwd` upward, else none. */
export async function loadCliConfig(
  cwd: string,
  explicit: string | undefined,
  log: Log,
): Promise<LoadedConfig> {
  const file = explicit ? path.resolve(cwd, explicit) : await findConfigFile(cwd);
  if (!file) return { config: {}, baseDir: cwd };
  // Loaded on demand: the YAML parser and the schema validator cost start-up time a run without config need not pay.
  const { loadConfig } = await import('../config/load.js');
  const { formatConfigIssue } = await import('../config/parse.js');
  const { config, errors, warnings } = await loadConfig(file);
  for (const w of warnings) log.warn(printable(formatConfigIssue(w)));
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${printable(formatConfigIssue(e))}`);
    throw new CliError(`invalid configuration (${errors.length} errors):\n${lines.join('\n')}`, EXIT.usage);
  }
  log.verbose(`configuration: ${file}`);
  return { config, baseDir: path.dirname(file) };
}
