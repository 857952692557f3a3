/**
 * The sentences every format of `check` shares: what is wrong, where it comes from, what to do. All values
 * from the inventory and the policy pass through `clean`.
 */
import type { Component, ComponentLicense, Inventory } from '../core/model.js';
import type { CheckResult, Violation } from '../core/policy-model.js';
import type { CheckReport, FailOn } from './index.js';
import { clean } from './sanitize.js';

export type Usage = Violation['usages'][number];

/** Most usages listed for one violation in the text and annotation messages; the rest are counted. */
export const MAX_USAGES_SHOWN = 5;
/** Longest dependency path printed whole: its first and last elements are kept. */
const MAX_PATH_ELEMENTS = 8;

/** True when the violation fails the check under `--fail-on`. */
export function isFailing(violation: Violation, failOn: FailOn): boolean {
  return violation.severity === 'error' || failOn === 'warning';
}

/** A subject-relative path as the working folder sees it (see CheckReport.subjectRoots). */
export function repositoryPath(
  report: Pick<CheckReport, 'subjectRoots'>,
  subject: string,
  file: string,
): string {
  const root = report.subjectRoots.get(subject);
  return root ? `${root}/${file}` : file;
}

/** The manifest line that brings the dependency in, else the manifest. */
export function usageLocation(
  report: Pick<CheckReport, 'subjectRoots'>,
  usage: Usage,
): { file: string; line?: number } {
  if (usage.declaredAt) {
    return {
      file: repositoryPath(report, usage.subject, usage.declaredAt.file),
      line: usage.declaredAt.line,
    };
  }
  return { file: repositoryPath(report, usage.subject, usage.manifest) };
}

/** `app:. (package.json:12, runtime): app@1.0.0 > lib@2.0.0 > left-pad@1.3.0` */
export function usageText(report: Pick<CheckReport, 'subjectRoots'>, usage: Usage): string {
  const where = usageLocation(report, usage);
  const at = clean(where.line === undefined ? where.file : `${where.file}:${where.line}`);
  const scopes = usage.scopes.length > 0 ? `, ${usage.scopes.join(', ')}` : '';
  return `${clean(usage.project)} (${at}${scopes}): ${pathText(usage.path)}`;
}

export function pathText(path: readonly string[]): string {
  const shown =
    path.length <= MAX_PATH_ELEMENTS
      ? path.map((p) => clean(p, 100))
      : [
          ...path.slice(0, 3).map((p) => clean(p, 100)),
          `(${path.length - 6} more)`,
          ...path.slice(-3).map((p) => clean(p, 100)),
        ];
  return shown.join(' > ');
}

/** `GPL-3.0-only (strong-copyleft)`, or `no license` when none could be concluded. */
export function licenseText(violation: Violation): string {
  const expression = violation.license.expression ? clean(violation.license.expression) : 'no license';
  return violation.license.category ? `${expression} (${violation.license.category})` : expression;
}

/** Components by purl, to find what the violation does not carry: how the license was mapped, and why unknown. */
export function componentIndex(inventory: Inventory): ReadonlyMap<string, Component> {
  return new Map(inventory.components.map((c) => [c.purl, c]));
}

/**
 * Where the license was read and how it became the expression, e.g.
 * `license "GPL-3.0" in lockfile package-lock.json (corrected to GPL-3.0-only)`.
 */
export function evidenceText(violation: Violation, component: Component | undefined): string {
  const { declared, expression } = violation.license;
  const where = sourceText(violation.license.source, violation.license.evidence);
  if (declared.length === 0) {
    const reason = component?.license.reason ? `: ${clean(component.license.reason)}` : '';
    return `no license declared${where ? ` (looked in ${where})` : ''}${reason}`;
  }
  const values = declared
    .slice(0, 3)
    .map((d) => JSON.stringify(clean(d)))
    .join(', ');
  const more = declared.length > 3 ? ` and ${declared.length - 3} more` : '';
  const how = mappingText(component?.license, expression, declared);
  return `license ${values}${more}${where ? ` in ${where}` : ''}${how}`;
}

function sourceText(source: string | undefined, evidence: string | undefined): string {
  const at = evidence ? clean(evidence) : '';
  switch (source) {
    case undefined:
      return at;
    case 'lockfile':
      return `lockfile ${at}`.trim();
    case 'registry':
      return `registry ${at}`.trim();
    case 'pom':
      return `POM ${at}`.trim();
    case 'node_modules':
      return `installed package ${at}`.trim();
    case 'license-file':
      return `license file ${at}`.trim();
    case 'curation':
      return `curation ${at}`.trim();
    case 'github':
      return `GitHub's license detection ${at}`.trim();
    default:
      return `${clean(source)} ${at}`.trim();
  }
}

function mappingText(
  license: ComponentLicense | undefined,
  expression: string | undefined,
  declared: readonly string[],
): string {
  const unmapped = license?.unmapped ?? [];
  if (unmapped.length > 0) {
    const shown = unmapped
      .slice(0, 3)
      .map((u) => JSON.stringify(clean(u)))
      .join(', ');
    return ` (not a license oss-inventory recognises: ${shown})`;
  }
  if (!expression || (declared.length === 1 && declared[0] === expression)) return '';
  const mappings = new Set(license?.mappings ?? []);
  const target = clean(expression);
  if (mappings.has('curation')) return ` (set to ${target} by a curation)`;
  if (mappings.has('organisation')) return ` (mapped to ${target} by an organisation mapping)`;
  if (mappings.has('alias')) return ` (mapped to ${target} by the alias table)`;
  if (mappings.has('corrected')) return ` (corrected to ${target})`;
  return ` (read as ${target})`;
}

/**
 * What the developer can do: a sentence, then the YAML to paste. An unknown license is fixed by finding it
 * and recording it (a curation snippet); any violation can be waived (the evaluation's waiver snippet).
 */
export function fixLines(violation: Violation, policyFile: string): string[] {
  const lines = policyFixLines(violation, policyFile);
  const planB = planBText(violation);
  if (!planB) return lines;
  const [first = '', ...rest] = lines;
  return [`use ${planB} instead; or ${first}`, ...rest];
}

function policyFixLines(violation: Violation, policyFile: string): string[] {
  const policy = clean(policyFile);
  const waiver = waiverLines(violation);
  switch (violation.verdict) {
    case 'unknown':
      return [
        `find its license (its repository, its LICENSE file) and record it in ${policy}:`,
        ...curationLines(violation),
        'or replace it; or waive it by adding:',
        ...waiver,
      ];
    case 'review':
      return [`have its license reviewed, then allow it in ${policy} or waive it by adding:`, ...waiver];
    default:
      return [`remove or replace it; or waive it by adding to ${policy}:`, ...waiver];
  }
}

/**
 * The waiver snippet as lines, each cleaned (it quotes values from the inventory), under a `waivers:` key
 * when the snippet is only the list entry: pasted as shown into a policy without waivers, or its entry under
 * the existing `waivers:`.
 */
function waiverLines(violation: Violation): string[] {
  const lines = violation.waiverSnippet
    .replace(/\n+$/, '')
    .split('\n')
    .slice(0, 40)
    .map((line) => clean(line, 400));
  return lines[0]?.startsWith('waivers:') ? lines : ['waivers:', ...lines];
}

/** A curation for this component's version, its license and reason left for the developer to write. */
function curationLines(violation: Violation): string[] {
  const { purl, version } = violation.component;
  return [
    'curations:',
    `  - purl: ${JSON.stringify(clean(versionlessPurl(purl)))}`,
    `    versions: ${JSON.stringify(clean(version, 100))}`,
    '    license: "<its SPDX expression, e.g. MIT>"',
    '    reason: "<where the license is stated>"',
  ];
}

/** `pkg:npm/%40scope/name@1.0.0?q=1` gives `pkg:npm/%40scope/name`: a scope's `@` is percent-encoded in a purl. */
function versionlessPurl(purl: string): string {
  const end = purl.search(/[?#]/);
  const base = end < 0 ? purl : purl.slice(0, end);
  const at = base.lastIndexOf('@');
  return at > base.lastIndexOf('/') ? base.slice(0, at) : base;
}

export function expiredWaiverText(violation: Violation): string | undefined {
  const w = violation.expiredWaiver;
  if (!w) return undefined;
  return (
    `the waiver at ${clean(w.at.file)}:${w.at.line} (owner ${clean(w.owner)}) expired on ${clean(w.expires)}` +
    ' and no longer counts: renew it with a new date or fix the dependency'
  );
}

/** `pkg:npm/sass (curated, MIT, https://sass-lang.com/...)`: the plan B's target, confidence, license, evidence. */
export function planBText(violation: Violation): string | undefined {
  const p = violation.planB;
  if (!p) return undefined;
  const license = p.license ? `, ${clean(p.license)}` : '';
  const evidence = p.evidence ? `, ${clean(p.evidence, 200)}` : '';
  return `${clean(p.target)} (${clean(p.confidence)}${license}${evidence})`;
}

export interface Counts {
  errors: number;
  warnings: number;
  failing: number;
}

export function countViolations(result: CheckResult, failOn: FailOn): Counts {
  let errors = 0;
  let warnings = 0;
  let failing = 0;
  for (const v of result.violations) {
    if (v.severity === 'error') errors++;
    else warnings++;
    if (isFailing(v, failOn)) failing++;
  }
  return { errors, warnings, failing };
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning in 12 components (policy.yaml); 1 waived; 3 already in the base inventory` */
export function summaryText(result: CheckResult, failOn: FailOn): string {
  const { errors, warnings } = countViolations(result, failOn);
  const parts = [
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(result.components, 'component')} ` +
      `(policy ${clean(result.policy)})`,
  ];
  if (result.waived.length > 0) parts.push(`${result.waived.length.toLocaleString('en')} waived`);
  if (result.preexisting.length > 0) {
    parts.push(
      `${result.preexisting.length.toLocaleString('en')} already in the base inventory, not failing`,
    );
  }
  if (failOn === 'error' && warnings > 0 && errors === 0)
    parts.push('warnings do not fail (--fail-on warning)');
  return parts.join('; ');
}

/** Short title: `denied license GPL-3.0-only: geo-calc@1.3.0`. */
export function titleText(violation: Violation): string {
  const what: Record<Violation['verdict'], string> = {
    denied: 'denied license',
    'not-allowed': 'license not allowed',
    review: 'license to review',
    unknown: 'unknown license',
  };
  const license = violation.offending.length > 0 ? ` ${clean(violation.offending.join(' AND '), 100)}` : '';
  return `${what[violation.verdict]}${license}: ${clean(violation.component.name, 100)}@${clean(violation.component.version, 60)}`;
}

/** The whole story of one violation as plain lines, for the SARIF, annotation and JUnit messages. */
export function violationLines(
  report: Pick<CheckReport, 'subjectRoots' | 'result'>,
  violation: Violation,
  component: Component | undefined,
): string[] {
  const purl = clean(violation.component.purl);
  const lines = [
    violation.license.expression
      ? `${purl} is under ${licenseText(violation)}.`
      : `${purl} has no known license.`,
    `Rule: ${clean(violation.rule, 400)}`,
    `Evidence: ${evidenceText(violation, component)}`,
  ];
  for (const usage of violation.usages.slice(0, MAX_USAGES_SHOWN))
    lines.push(`Used by ${usageText(report, usage)}`);
  if (violation.usages.length > MAX_USAGES_SHOWN) {
    lines.push(`... and ${violation.usages.length - MAX_USAGES_SHOWN} more usages`);
  }
  const expired = expiredWaiverText(violation);
  if (expired) lines.push(`Waiver: ${expired}`);
  const [first, ...rest] = fixLines(violation, report.result.policy);
  lines.push(`Fix: ${first}`, ...rest);
  return lines;
}
