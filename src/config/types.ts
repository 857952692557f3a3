import type { HealthOverrideEntry, HealthThresholds } from '../core/health.js';
import type { PlanBEntry } from '../core/planb.js';
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
  'spdx-json',
  'html',
  'markdown',
  'csv',
  'notice',
] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What `scan` and `merge` write when neither `--format` nor `scan.formats` says: the inventory and the SBOMs. */
export const DEFAULT_OUTPUT_FORMATS: readonly OutputFormat[] = [
  'inventory-json',
  'inventory-yaml',
  'cyclonedx-json',
  'cyclonedx-xml',
];

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

/** The `health:` section: maintainer health (src/core/health.ts) and the lookups it needs. */
export interface HealthConfig {
  /** `false` skips health and its lookups, like `--no-health`. Default true. */
  enabled?: boolean;
  /**
   * How long the source repositories' signals read from GitHub are used from the cache, as a duration
   * (`7d`, `36h`, `0` for never; the syntax of `parseDuration` in src/net/retry.ts). Default 7 days.
   */
  repositoryTtl?: string;
  /** Overrides of the classification thresholds; the others keep their defaults (DEFAULT_HEALTH_THRESHOLDS). */
  thresholds?: Partial<HealthThresholds>;
  /** The organisation's own overrides (feature-complete, end of life), tried before the shipped list. */
  overrides?: HealthOverrideEntry[];
  /** A YAML file of more overrides (`overrides:` list, same shape), relative to the configuration file. */
  overridesFile?: string;
}

/** The `planB:` section: the organisation's decisions (src/core/planb.ts), before the shipped catalog. */
export interface PlanBConfig {
  decisions?: PlanBEntry[];
}

export interface Config {
  scan?: ScanConfig;
  licenses?: LicensesConfig;
  health?: HealthConfig;
  planB?: PlanBConfig;
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
