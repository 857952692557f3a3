import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../config.schema.json' with { type: 'json' };
import policySchema from '../../policy.schema.json' with { type: 'json' };
import { checkExpression, checkPolicyValue } from '../policy/parse.js';
import { checkHealthOverride } from '../core/health-overrides.js';
import type { Config, ConfigResult, HealthConfig, LicensesConfig, PlanBConfig } from './types.js';
import {
  displayPath,
  isPlainObject,
  readYaml,
  schemaIssues,
  showValue,
  sortByPosition,
  type PendingIssue,
} from './yaml-document.js';

export { formatConfigIssue, oversizedIssue } from './yaml-document.js';

// Compiled when a configuration is first read: most runs have none, and compiling costs a tenth of a second.
let validate: ValidateFunction | undefined;
const validator = (): ValidateFunction =>
  (validate ??= new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true })
    .addSchema(policySchema, 'policy.schema.json')
    .compile(schema));

export interface ParseConfigOptions {
  /** The clock the policy's waiver dates are checked against; without it, past dates are not warned about. */
  now?: Date;
}

/**
 * Parses and validates the content of `.oss-inventory.yaml` against `config.schema.json` (its `policy:`
 * section against `policy.schema.json` and the policy's own checks). `file` only names the file in the issues.
 * Never throws: YAML syntax errors, schema violations, alias bombs and oversized content are issues with the
 * line and column of the offending text.
 */
export function parseConfig(content: string, file: string, options: ParseConfigOptions = {}): ConfigResult {
  const read = readYaml(content, file, 'configuration');
  if (!read.ok) return { config: {}, errors: read.errors, warnings: read.warnings };
  const { value, locator } = read;
  const warnings = [...read.warnings];
  if (value === null || value === undefined) return { config: {}, errors: [], warnings };

  const schemaErrors = schemaIssues(validator(), value, 'config.schema.json');
  const policy = isPlainObject(value) && Object.hasOwn(value, 'policy') ? value.policy : undefined;
  const policyCheck = checkPolicyValue(policy, ['policy'], locator, `${file}#policy`, options.now);
  const mappings = checkMappings(value);
  const semanticErrors = [...policyCheck.errors, ...mappings.errors, ...checkHealthOverrides(value)];
  const errors = locator.place([...schemaErrors, ...semanticErrors]);

  const sections = validSections(value, [...schemaErrors, ...semanticErrors]);
  const listWarnings = [...repeatedEntries(sections), ...absoluteExcludes(sections)];
  warnings.push(...locator.place([...listWarnings, ...policyCheck.warnings, ...mappings.warnings]));
  const config = withoutRepeats(sections);
  // The schema has checked the section's shape.
  if (sections.licenses) config.licenses = { ...sections.licenses, ...mappings.normalised } as LicensesConfig;
  // The schema has checked the section's shape, and checkHealthOverrides its overrides.
  if (sections.health) config.health = sections.health as HealthConfig;
  if (policyCheck.policy && Object.hasOwn(sections, 'policy')) config.policy = policyCheck.policy;
  // The schema has checked the section's shape; src/pipeline/planb.ts parses its purls and ranges.
  if (sections.planB) config.planB = sections.planB as PlanBConfig;
  return { config, errors, warnings: sortByPosition(warnings) };
}

type Sections = Record<string, Record<string, unknown>>;

/**
 * The sections of a validated value that have no error; a root that is not a mapping has none. Sections are
 * copied by name from the schema, so unknown keys never reach the config.
 */
function validSections(value: unknown, errors: readonly PendingIssue[]): Sections {
  const sections: Sections = {};
  if (!isPlainObject(value)) return sections;
  const broken = new Set(errors.map((e) => e.segments[0]).filter((s) => s !== undefined));
  for (const name of Object.keys(schema.properties)) {
    if (broken.has(name) || !Object.hasOwn(value, name)) continue;
    const section: unknown = value[name];
    if (isPlainObject(section)) sections[name] = section;
  }
  return sections;
}

/** Sections whose lists are plain values: repeats are dropped from those. */
const LIST_SECTIONS = ['scan'];

function* lists(sections: Sections): Generator<{ segments: string[]; list: unknown[] }> {
  for (const name of LIST_SECTIONS) {
    const section = sections[name];
    if (!section) continue;
    for (const [key, list] of Object.entries(section)) {
      if (Array.isArray(list)) yield { segments: [name, key], list };
    }
  }
}

function repeatedEntries(sections: Sections): PendingIssue[] {
  const found: PendingIssue[] = [];
  for (const { segments, list } of lists(sections)) {
    const firstIndex = new Map<unknown, number>();
    list.forEach((item: unknown, index) => {
      const first = firstIndex.get(item);
      if (first === undefined) {
        firstIndex.set(item, index);
        return;
      }
      const at = [...segments, String(index)];
      found.push({
        segments: at,
        message:
          `${displayPath(at)}: ${showValue(item)} is listed twice (first at ` +
          `${displayPath([...segments, String(first)])}); the repeat is ignored`,
      });
    });
  }
  return found;
}

/** The config: the `scan` section with repeated list entries (see `repeatedEntries`) dropped. */
function withoutRepeats(sections: Sections): Config {
  const config: Sections = {};
  if (sections.scan) config.scan = { ...sections.scan };
  for (const { segments, list } of lists(sections)) {
    const [name = '', key = ''] = segments;
    const target = config[name];
    if (target) target[key] = [...new Set(list)];
  }
  return config as Config;
}

/** Exclude patterns are matched against paths relative to each scanned root, so an absolute one never matches. */
function absoluteExcludes(sections: Sections): PendingIssue[] {
  const patterns = sections.scan?.exclude;
  if (!Array.isArray(patterns)) return [];
  const found: PendingIssue[] = [];
  patterns.forEach((pattern: unknown, index) => {
    if (typeof pattern !== 'string' || !/^(\/|[A-Za-z]:[\\/])/.test(pattern)) return;
    const at = ['scan', 'exclude', String(index)];
    found.push({
      segments: at,
      message:
        `${displayPath(at)}: ${JSON.stringify(pattern)} is absolute, but exclude patterns are matched against ` +
        'paths relative to each scanned root, so it never matches; write it relative, like "**/examples/**"',
    });
  });
  return found;
}

/** `health.overrides[i]`: a purl of an inventoried type, a version range that parses. */
function checkHealthOverrides(value: unknown): PendingIssue[] {
  const health = isPlainObject(value) && Object.hasOwn(value, 'health') ? value.health : undefined;
  const overrides =
    isPlainObject(health) && Object.hasOwn(health, 'overrides') ? health.overrides : undefined;
  if (!Array.isArray(overrides)) return [];
  const issues: PendingIssue[] = [];
  overrides.forEach((entry: unknown, index) => {
    // Shapes the schema refuses are reported by it.
    if (!isPlainObject(entry) || typeof entry.purl !== 'string' || typeof entry.status !== 'string') return;
    const checked = checkHealthOverride(entry);
    if (checked.ok) return;
    // status, reason and citation are the schema's to report; the purl and range are read here.
    const field = /^(purl|versions):/.exec(checked.reason)?.[1];
    if (!field) return;
    const segments = ['health', 'overrides', String(index), field];
    issues.push({ segments, message: `${displayPath(segments)}: ${checked.reason.replace(/^\w+: /, '')}` });
  });
  return issues;
}

/** `licenses.mappings[i].license` must be an SPDX expression; the config keeps it normalised. */
function checkMappings(value: unknown): {
  errors: PendingIssue[];
  warnings: PendingIssue[];
  normalised: { mappings?: unknown[] };
} {
  const errors: PendingIssue[] = [];
  const warnings: PendingIssue[] = [];
  const licenses = isPlainObject(value) && Object.hasOwn(value, 'licenses') ? value.licenses : undefined;
  const mappings =
    isPlainObject(licenses) && Object.hasOwn(licenses, 'mappings') ? licenses.mappings : undefined;
  if (!Array.isArray(mappings)) return { errors, warnings, normalised: {} };
  const normalised = mappings.map((mapping: unknown, index) => {
    if (!isPlainObject(mapping)) return mapping;
    if (!Object.hasOwn(mapping, 'names') && !Object.hasOwn(mapping, 'urls')) {
      const at = ['licenses', 'mappings', String(index)];
      errors.push({
        segments: at,
        message: `${displayPath(at)}: give names, urls or both: the declared licenses this mapping is for`,
      });
    }
    if (typeof mapping.license !== 'string' || mapping.license.trim() === '') return mapping;
    const segments = ['licenses', 'mappings', String(index), 'license'];
    const checked = checkExpression(mapping.license, segments);
    if (checked.error !== undefined) errors.push({ segments, message: checked.error });
    for (const message of checked.warnings) warnings.push({ segments, message });
    return checked.expression === undefined ? mapping : { ...mapping, license: checked.expression };
  });
  return { errors, warnings, normalised: { mappings: normalised } };
}
