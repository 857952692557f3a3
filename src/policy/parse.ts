/**
 * The policy file (`policy.yaml`, or the `policy:` section of `.oss-inventory.yaml`): YAML checked against
 * `policy.schema.json`, then what a schema cannot say: license ids and categories, SPDX expressions, purls,
 * version ranges, dates. Every issue is listed with its line and column, the closest valid id suggested for a
 * misspelt one. A past `expires` is a warning (the waiver simply stops counting); everything else is an
 * error, and a policy with errors is not returned. Pure: content and clock in, policy and issues out.
 */
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../policy.schema.json' with { type: 'json' };
import type { ConfigIssue } from '../config/types.js';
import {
  closest,
  displayPath,
  isPlainObject,
  readYaml,
  schemaIssues,
  showValue,
  sortByPosition,
  type Locator,
  type PendingIssue,
} from '../config/yaml-document.js';
import { LICENSE_CATEGORIES, SCOPES } from '../core/model.js';
import { parsePackagePattern } from '../core/package-pattern.js';
import type { Curation, LicenseRuleList, Policy, PolicyPosition, Waiver } from '../core/policy-model.js';
import { parseSpdxExpression, SPDX_LICENSE_IDS, termKey } from '../core/spdx-expression.js';

// spdx-correct ships no typings.
const spdxCorrect = createRequire(import.meta.url)('spdx-correct') as (text: string) => string | null;

export interface PolicyResult {
  /** Only when there are no errors. */
  policy?: Policy;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** The policy's checks beyond the schema, before placing: `policy` is built when there are no errors. */
export interface PolicyCheck {
  policy?: Policy;
  errors: PendingIssue[];
  warnings: PendingIssue[];
}

// Compiled when a policy is first read: a scan without one never needs it.
let validate: ValidateFunction | undefined;
const validator = (): ValidateFunction =>
  (validate ??= new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true }).compile(schema));

const CATEGORIES = LICENSE_CATEGORIES.filter((c) => c !== 'unknown');
const LISTS = ['allow', 'deny', 'review'] as const;
type ListName = (typeof LISTS)[number];
const LIST_STRENGTH: Record<ListName, number> = { allow: 1, review: 2, deny: 3 };
const SPDX_EXAMPLES = 'an SPDX expression like BSD-3-Clause or (Apache-2.0 OR MIT)';

/**
 * Parses a policy file's content. `now` is the clock for expiry dates: a waiver already past is a warning.
 * Never throws.
 */
export function parsePolicy(content: string, file: string, now?: Date): PolicyResult {
  const read = readYaml(content, file, 'policy');
  if (!read.ok) return { errors: read.errors, warnings: read.warnings };
  if (read.value === null || read.value === undefined) {
    return {
      errors: [
        {
          file,
          line: 1,
          column: 1,
          message: 'the policy is empty; write at least licenses: with allow or deny',
        },
      ],
      warnings: read.warnings,
    };
  }
  const schemaErrors = schemaIssues(validator(), read.value, 'policy.schema.json');
  const checked = checkPolicyValue(read.value, [], read.locator, file, now);
  const errors = read.locator.place([...schemaErrors, ...checked.errors]);
  const warnings = sortByPosition([...read.warnings, ...read.locator.place(checked.warnings)]);
  if (errors.length > 0) return { errors, warnings };
  return { ...(checked.policy ? { policy: checked.policy } : {}), errors, warnings };
}

/**
 * Checks a policy value at `prefix` of a document (`[]` for a policy file, `['policy']` in the configuration)
 * and builds the Policy (`file` names it in messages) when nothing is wrong. Values of the wrong type are
 * skipped: the schema reports them.
 */
export function checkPolicyValue(
  value: unknown,
  prefix: readonly string[],
  locator: Locator,
  file: string,
  now?: Date,
): PolicyCheck {
  const check = new PolicyChecker(prefix, locator, now);
  if (!isPlainObject(value)) return { errors: check.errors, warnings: check.warnings };
  const policy = check.policy(value, file);
  return { ...(check.errors.length === 0 ? { policy } : {}), errors: check.errors, warnings: check.warnings };
}

/**
 * Checks an SPDX expression written in a configuration or policy value: the normalised expression, or an error
 * message that suggests a correction. Deprecated ids are a warning (they are read as their replacement).
 */
export function checkExpression(
  value: string,
  segments: readonly string[],
): { expression?: string; error?: string; warnings: string[] } {
  const where = displayPath(segments);
  const parsed = parseSpdxExpression(value);
  if (!parsed.ok) {
    const suggestion = suggestExpression(value, parsed.unknownWord);
    return {
      error:
        `${where}: ${showValue(value)} is not a valid SPDX expression: ${parsed.message}${suggestion}; ` +
        `write ${SPDX_EXAMPLES}, or LicenseRef-<name> for a license SPDX does not list`,
      warnings: [],
    };
  }
  return {
    expression: parsed.expression,
    warnings: parsed.deprecated.map((d) => deprecatedWarning(where, d)),
  };
}

function deprecatedWarning(where: string, d: { written: string; replacement: string }): string {
  return `${where}: ${JSON.stringify(d.written)} is a deprecated SPDX id, read as ${JSON.stringify(d.replacement)}; write that instead`;
}

function suggestExpression(value: string, unknownWord: string | undefined): string {
  return didYouMeanText(suggestionFor(value, unknownWord));
}

/**
 * A correction: spdx-correct's reading of a plain name (`Apache 2` → `Apache-2.0`); in an expression with
 * operators, the expression with its one bad word corrected (`MIT OR Apach-2.0` → `MIT OR Apache-2.0`).
 */
function suggestionFor(value: string, unknownWord: string | undefined): string | undefined {
  if (value.length > 200) return undefined;
  if (!/[()]|\b(AND|OR|WITH)\b/i.test(value)) {
    return correct(value) ?? (unknownWord === undefined ? undefined : suggestId(unknownWord));
  }
  if (unknownWord === undefined) return undefined;
  const word = suggestId(unknownWord);
  if (word === undefined) return undefined;
  const corrected = parseSpdxExpression(value.replace(unknownWord, word));
  return corrected.ok ? corrected.expression : undefined;
}

function didYouMeanText(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
}

function correct(text: string): string | undefined {
  try {
    return spdxCorrect(text) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The id a misspelt one most likely meant: a close category, spdx-correct's guess, else a close SPDX id. */
function suggestId(word: string): string | undefined {
  if (word.length > 200) return undefined;
  return closest(word, CATEGORIES) ?? correct(word) ?? closest(word, SPDX_LICENSE_IDS);
}

class PolicyChecker {
  readonly errors: PendingIssue[] = [];
  readonly warnings: PendingIssue[] = [];
  private readonly positions = new Map<string, PolicyPosition>();
  private readonly today?: string;

  constructor(
    private readonly prefix: readonly string[],
    private readonly locator: Locator,
    now: Date | undefined,
  ) {
    if (now) this.today = now.toISOString().slice(0, 10);
  }

  policy(value: Record<string, unknown>, file: string): Policy {
    const licenses = this.ruleList(own(value, 'licenses'), ['licenses']);
    const policy: Policy = {
      file,
      licenses,
      curations: this.curations(own(value, 'curations')),
      waivers: this.waivers(own(value, 'waivers')),
      positions: this.positions,
    };
    const scopes = this.scopes(own(value, 'scopes'));
    if (scopes) policy.scopes = scopes;
    return policy;
  }

  private error(path: readonly string[], message: string): void {
    this.errors.push({ segments: [...this.prefix, ...path], message });
  }

  private warn(path: readonly string[], message: string): void {
    this.warnings.push({ segments: [...this.prefix, ...path], message });
  }

  private where(path: readonly string[]): string {
    return displayPath([...this.prefix, ...path]);
  }

  private at(path: readonly string[], atKey = false): PolicyPosition {
    return { file: this.locator.file, line: this.locator.position([...this.prefix, ...path], atKey).line };
  }

  private remember(path: readonly string[], atKey = false): void {
    this.positions.set(displayPath(path, atKey), this.at(path, atKey));
  }

  private scopes(value: unknown): Policy['scopes'] {
    if (!isPlainObject(value)) return undefined;
    const scopes: NonNullable<Policy['scopes']> = {};
    for (const scope of SCOPES) {
      const rules = own(value, scope);
      if (rules === undefined) continue;
      this.remember(['scopes', scope], true);
      if (rules === 'ignore') scopes[scope] = 'ignore';
      else if (isPlainObject(rules)) scopes[scope] = this.ruleList(rules, ['scopes', scope]);
    }
    return scopes;
  }

  private ruleList(
    value: unknown,
    path: readonly string[],
  ): LicenseRuleList & { unknown?: 'deny' | 'review' | 'allow' } {
    const rules: LicenseRuleList & { unknown?: 'deny' | 'review' | 'allow' } = {};
    if (!isPlainObject(value)) return rules;
    const seen = new Map<string, { list: ListName; index: number }>();
    for (const list of LISTS) {
      const entries = own(value, list);
      if (!Array.isArray(entries)) continue;
      this.remember([...path, list], true);
      const kept: string[] = [];
      entries.forEach((entry: unknown, index) => {
        if (typeof entry !== 'string') return;
        const entryPath = [...path, list, String(index)];
        const key = this.ruleEntry(entry, entryPath);
        if (key === undefined) return;
        this.remember(entryPath);
        kept.push(entry.trim());
        const first = seen.get(key);
        if (!first) {
          seen.set(key, { list, index });
          return;
        }
        const firstWhere = this.where([...path, first.list, String(first.index)]);
        if (first.list === list) {
          this.warn(
            entryPath,
            `${this.where(entryPath)}: ${showValue(entry)} is listed twice (first at ${firstWhere}); the repeat is ignored`,
          );
        } else {
          const winner = LIST_STRENGTH[list] > LIST_STRENGTH[first.list] ? list : first.list;
          this.warn(
            entryPath,
            `${this.where(entryPath)}: ${showValue(entry)} is also in ${firstWhere}; ${winner} wins`,
          );
        }
      });
      rules[list] = kept;
    }
    const unknown = own(value, 'unknown');
    if (unknown === 'deny' || unknown === 'review' || unknown === 'allow') {
      rules.unknown = unknown;
      this.remember([...path, 'unknown'], true);
    }
    return rules;
  }

  /** The key that tells repeats apart, or undefined (with an error) for an entry that is no id or category. */
  private ruleEntry(entry: string, path: readonly string[]): string | undefined {
    const where = this.where(path);
    const text = entry.trim();
    // The schema reports an empty entry.
    if (entry === '') return undefined;
    if ((CATEGORIES as readonly string[]).includes(text)) return text;
    if (text.toLowerCase() === 'unknown') {
      const rulePath = this.where([...path.slice(0, -2), 'unknown']);
      this.error(
        path,
        `${where}: "unknown" is not listed like a category; write ${rulePath}: deny (or review, allow) to say what an unknown license is`,
      );
      return undefined;
    }
    const parsed = parseSpdxExpression(text);
    if (parsed.ok && parsed.node.kind === 'license') {
      for (const d of parsed.deprecated) this.warn(path, deprecatedWarning(where, d));
      return termKey(parsed.node).toLowerCase();
    }
    if (parsed.ok) {
      this.error(
        path,
        `${where}: ${showValue(entry)} is an expression; a list takes license ids and categories one by one: list each license of it`,
      );
      return undefined;
    }
    const hint = didYouMeanText(
      closest(text.replace(/\s+/g, '-'), CATEGORIES) ?? suggestionFor(text, parsed.unknownWord),
    );
    this.error(
      path,
      `${where}: ${showValue(entry)} is neither an SPDX license id nor a category${hint}; use an id of https://spdx.org/licenses/, ` +
        `a LicenseRef-..., an id WITH an exception, or a category: ${CATEGORIES.join(', ')}`,
    );
    return undefined;
  }

  private curations(value: unknown): Curation[] {
    if (!Array.isArray(value)) return [];
    const curations: Curation[] = [];
    value.forEach((item: unknown, index) => {
      if (!isPlainObject(item)) return;
      const path = ['curations', String(index)];
      this.target(item, path);
      const license = this.expression(item, [...path, 'license']);
      const { purl, versions, reason } = item;
      if (typeof purl !== 'string' || typeof reason !== 'string' || license === undefined) return;
      curations.push({
        purl: purl.trim(),
        ...(typeof versions === 'string' ? { versions } : {}),
        license,
        reason,
        at: this.at(path),
      });
    });
    return curations;
  }

  private waivers(value: unknown): Waiver[] {
    if (!Array.isArray(value)) return [];
    const waivers: Waiver[] = [];
    value.forEach((item: unknown, index) => {
      if (!isPlainObject(item)) return;
      const path = ['waivers', String(index)];
      this.target(item, path);
      const license =
        own(item, 'license') === undefined ? undefined : this.expression(item, [...path, 'license']);
      this.expiry(own(item, 'expires'), [...path, 'expires']);
      const { purl, versions, reason, owner, expires, repositories } = item;
      if (typeof purl !== 'string' || typeof reason !== 'string' || typeof owner !== 'string') return;
      if (typeof expires !== 'string') return;
      waivers.push({
        purl: purl.trim(),
        ...(typeof versions === 'string' ? { versions } : {}),
        ...(license === undefined ? {} : { license }),
        reason,
        owner,
        expires,
        ...(Array.isArray(repositories)
          ? { repositories: repositories.filter((r) => typeof r === 'string') }
          : {}),
        at: this.at(path),
      });
    });
    return waivers;
  }

  /** The purl and version range of a curation or waiver. */
  private target(item: Record<string, unknown>, path: readonly string[]): void {
    const purl = own(item, 'purl');
    const versions = own(item, 'versions');
    if (typeof purl !== 'string' || purl.trim() === '') return;
    const parsed = parsePackagePattern(purl, typeof versions === 'string' ? versions : undefined);
    if (parsed.ok) return;
    if (parsed.part === 'versions') {
      const at = [...path, 'versions'];
      this.error(at, `${this.where(at)}: ${parsed.reason}`);
      return;
    }
    const at = [...path, 'purl'];
    this.error(
      at,
      `${this.where(at)}: ${showValue(purl)} is ${parsed.reason}; write it like pkg:npm/left-pad, ` +
        'pkg:npm/%40scope/name or pkg:maven/org.example/lib',
    );
  }

  private expression(item: Record<string, unknown>, path: readonly string[]): string | undefined {
    const value = own(item, 'license');
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    const checked = checkExpression(value, [...this.prefix, ...path]);
    if (checked.error !== undefined) this.error(path, checked.error);
    for (const warning of checked.warnings) this.warn(path, warning);
    return checked.expression;
  }

  private expiry(value: unknown, path: readonly string[]): void {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
    if (!isRealDate(value)) {
      this.error(
        path,
        `${this.where(path)}: ${value} is not a date of the calendar; write YYYY-MM-DD, like 2027-03-31`,
      );
      return;
    }
    if (this.today !== undefined && value < this.today) {
      this.warn(
        path,
        `${this.where(path)}: ${value} is already past (today is ${this.today}): the waiver no longer counts; ` +
          'give it a later date or remove it',
      );
    }
  }
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
