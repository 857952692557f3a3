import type { Violation } from '../core/policy-model.js';
import {
  componentIndex,
  isFailing,
  summaryText,
  titleText,
  usageLocation,
  violationLines,
} from './describe.js';
import type { CheckReport } from './index.js';

/**
 * GitHub Actions workflow commands: one `::error` (or `::warning` for a license to review that does not
 * fail the check) per place that brings a violating component in, annotating that manifest line in the
 * pull request, then one summary line. Violations already in the base inventory get no annotation.
 */
export function renderGitHub(report: CheckReport): string {
  const components = componentIndex(report.inventory);
  const lines: string[] = [];
  for (const violation of report.result.violations) {
    const command = isFailing(violation, report.failOn) ? 'error' : 'warning';
    const message = violationLines(report, violation, components.get(violation.component.purl)).join('\n');
    const title = titleText(violation);
    for (const place of places(report, violation)) {
      const props = [
        ...(place ? [`file=${escapeProperty(place.file)}`] : []),
        ...(place?.line !== undefined ? [`line=${place.line}`] : []),
        `title=${escapeProperty(title)}`,
      ];
      lines.push(`::${command} ${props.join(',')}::${escapeData(message)}`);
    }
  }
  lines.push(`oss-inventory check: ${summaryText(report.result, report.failOn)}`);
  return `${lines.join('\n')}\n`;
}

/** One per distinct file and line; a violation with no usage gets one annotation with no file. */
function places(report: CheckReport, violation: Violation): ({ file: string; line?: number } | undefined)[] {
  const seen = new Map<string, { file: string; line?: number }>();
  for (const usage of violation.usages) {
    const place = usageLocation(report, usage);
    seen.set(`${place.file}\u0000${place.line ?? ''}`, place);
  }
  return seen.size > 0 ? [...seen.values()] : [undefined];
}

/** As @actions/core escapes a command's message: `%`, CR and LF. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** As @actions/core escapes a command's property values: the message's escapes, plus `:` and `,`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
