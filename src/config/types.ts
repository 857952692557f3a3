import type { OrganisationMapping } from '../core/license.js';
import type { Policy } from '../core/policy-model.js';

/**
 * The configuration file `.oss-inventory.yaml`. `config.schema.json` describes the same shape; tests check that
 * its formats and keys match these. Every field is optional: the CLI applies its defaults to what is absent.
 */

/** Output formats `scan.formats` accepts, in the order the CLI lists them. */
export const OUTPUT_FORMATS = [
  'inventory-json',
  'inventory-yaml',
  'cyclonedx-json',
  'cyclonedx-xml',
] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** File names searched for, in order of preference within one folder. */
export const CONFIG_FILE_NAMES = ['.oss-inventory.yaml', '.oss-inventory.yml'] as const;

/** Larger files are refused unread: a real configuration is a few hundred bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** How many alias expansions a file may make before it is treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

export interface ScanConfig {
  /** Default subjects when none are given on the command line. */
  paths?: string[];
  /** Output folder. */
  out?: string;
  formats?: OutputFormat[];
  /** Extra picomatch patterns, relative to each scanned root. */
  exclude?: string[];
  /** `false` disables the built-in excludes. */
  defaultExcludes?: boolean;
  /** Problems make the scan exit 3. */
  strict?: boolean;
}

export interface LicensesConfig {
  /** Organisation mappings of declared names and URLs to SPDX, tried before the shipped alias table. */
  mappings?: OrganisationMapping[];
}

export interface Config {
  scan?: ScanConfig;
  licenses?: LicensesConfig;
  /** The `policy:` section, read like a policy file (`file` is `<config file>#policy`). */
  policy?: Policy;
}

/**
 * A problem with the configuration file. `message` starts with the path of the offending value
 * (`scan.formats[1]: ...`) and says what to do; `formatConfigIssue` prefixes `file:line:column:`. Problems
 * with the whole file (unreadable, too large) are at line 1, column 1.
 */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface ConfigResult {
  /** The sections without errors, repeated list entries dropped; `{}` when the YAML itself is broken. */
  config: Config;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}
