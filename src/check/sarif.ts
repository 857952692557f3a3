import { createHash } from 'node:crypto';
import type { Violation } from '../core/policy-model.js';
import {
  componentIndex,
  isFailing,
  titleText,
  usageLocation,
  usageText,
  violationLines,
  type Usage,
} from './describe.js';
import type { CheckReport } from './index.js';
import { clean, safeJson } from './sanitize.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Key of the fingerprint GitHub code scanning uses to follow one alert from run to run. */
const FINGERPRINT_KEY = 'ossInventoryLicense/v1';

interface RuleText {
  id: string;
  name: string;
  short: string;
  full: string;
  help: string;
}

/**
 * One rule per kind of verdict. The license itself is in each result's message and properties: a rule per
 * license would repeat the policy and scatter one problem over as many rules as there are licenses.
 */
const RULES: Record<Violation['verdict'], RuleText> = {
  denied: {
    id: 'license/denied',
    name: 'DeniedLicense',
    short: 'A dependency is under a license the policy denies',
    full: 'The license of this dependency, or every branch of its license expression, is on a deny list of the license policy.',
    help: 'Remove the dependency or replace it with one under an allowed license. If it must stay, add the waiver printed in the message to the waivers of the policy, with a reason, an owner and an expiry date.',
  },
  'not-allowed': {
    id: 'license/not-allowed',
    name: 'LicenseNotAllowed',
    short: 'A dependency is under a license the policy does not allow',
    full: 'The policy lists the licenses it allows, and the license of this dependency is not among them.',
    help: 'Replace the dependency with one under an allowed license, or have its license added to the allow list. If it must stay as it is, add the waiver printed in the message to the waivers of the policy.',
  },
  review: {
    id: 'license/review',
    name: 'LicenseToReview',
    short: 'A dependency is under a license the policy wants reviewed',
    full: 'The license of this dependency is on a review list of the license policy: it needs a decision before it can be relied on.',
    help: 'Have the license reviewed for this use, then allow it in the policy or add the waiver printed in the message.',
  },
  unknown: {
    id: 'license/unknown',
    name: 'UnknownLicense',
    short: 'The license of a dependency is not known',
    full: 'No SPDX license could be concluded for this dependency: none is declared, or what is declared is not a license oss-inventory recognises.',
    help: 'Find the license in the dependency repository or LICENSE file and record it with a curation in the policy (purl, license, reason), or replace the dependency, or add the waiver printed in the message.',
  },
};
const RULE_ORDER: Violation['verdict'][] = ['denied', 'not-allowed', 'unknown', 'review'];

/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: one result per violation and manifest location
 * (the line that declares the dependency leading to it, else the manifest), so that every project that
 * brings a component in gets its own alert, followed from run to run by a fingerprint that ignores the
 * version and the line number.
 */
export function renderSarif(report: CheckReport): string {
  const components = componentIndex(report.inventory);
  const results = [
    ...report.result.violations.flatMap((v) => violationResults(report, v, components, 'new')),
    ...report.result.preexisting.flatMap((v) => violationResults(report, v, components, 'unchanged')),
  ];
  return safeJson({
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(report.tool.informationUri ? { informationUri: report.tool.informationUri } : {}),
            rules: RULE_ORDER.map((verdict) => ruleDescriptor(RULES[verdict])),
          },
        },
        invocations: [
          { executionSuccessful: true, endTimeUtc: report.result.checkedAt, exitCode: exitCodeOf(report) },
        ],
        results,
        properties: {
          policy: clean(report.result.policy),
          components: report.result.components,
          waived: report.result.waived.length,
          ...(report.base ? { base: clean(report.base) } : {}),
        },
      },
    ],
  });
}

function ruleDescriptor(rule: RuleText) {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.short },
    fullDescription: { text: rule.full },
    help: { text: rule.help },
    properties: { tags: ['license', 'compliance', 'supply-chain'] },
  };
}

function violationResults(
  report: CheckReport,
  violation: Violation,
  components: ReturnType<typeof componentIndex>,
  state: 'new' | 'unchanged',
) {
  const rule = RULES[violation.verdict];
  const text = violationLines(report, violation, components.get(violation.component.purl)).join('\n');
  const properties = {
    purl: clean(violation.component.purl),
    ...(violation.license.expression ? { license: clean(violation.license.expression) } : {}),
    ...(violation.license.category ? { category: violation.license.category } : {}),
    offending: violation.offending.map((o) => clean(o)),
    verdict: violation.verdict,
    waiverSnippet: violation.waiverSnippet,
  };
  return distinctLocations(report, violation.usages).map(({ file, line, usages }) => ({
    ruleId: rule.id,
    ruleIndex: RULE_ORDER.indexOf(violation.verdict),
    level: violation.severity,
    message: { text: `${titleText(violation)}\n${text}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(file) },
          ...(line !== undefined ? { region: { startLine: line } } : {}),
        },
        message: { text: usages.map((u) => usageText(report, u)).join('\n') },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(rule.id, violation, file) },
    ...(report.base ? { baselineState: state } : {}),
    properties,
  }));
}

/**
 * The places that bring the component in, one per file and line. A violation with no usage (which the
 * policy evaluation does not produce) points at the rule in the policy file instead, since a SARIF result
 * needs a location.
 */
function distinctLocations(
  report: CheckReport,
  usages: readonly Usage[],
): { file: string; line?: number; usages: Usage[] }[] {
  const byPlace = new Map<string, { file: string; line?: number; usages: Usage[] }>();
  for (const usage of usages) {
    const { file, line } = usageLocation(report, usage);
    const key = `${file}\u0000${line ?? ''}`;
    const place = byPlace.get(key);
    if (place) place.usages.push(usage);
    else byPlace.set(key, { file, line, usages: [usage] });
  }
  if (byPlace.size === 0) return [{ file: report.result.policy.split('#')[0]!, usages: [] }];
  return [...byPlace.values()];
}

/** A relative URI reference: each path segment percent-encoded (`@` may stay, as RFC 3986 allows). */
function toUri(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(clean(segment, 255)).replace(/%40/g, '@'))
    .join('/');
}

function fingerprint(ruleId: string, violation: Violation, file: string): string {
  const offending = [...violation.offending].sort().join(' ');
  return createHash('sha256')
    .update([ruleId, violation.component.ecosystem, violation.component.name, offending, file].join('\u0000'))
    .digest('hex');
}

function exitCodeOf(report: CheckReport): number {
  return report.result.violations.some((v) => isFailing(v, report.failOn)) ? 1 : 0;
}
