import type { Violation } from '../core/policy-model.js';
import {
  componentIndex,
  countViolations,
  evidenceText,
  expiredWaiverText,
  fixLines,
  isFailing,
  MAX_USAGES_SHOWN,
  summaryText,
  usageText,
} from './describe.js';
import type { CheckReport } from './index.js';
import { clean } from './sanitize.js';

/** Plain ANSI SGR sequences; used only when the report asks for colour (a terminal, NO_COLOR unset). */
interface Style {
  error(s: string): string;
  warning(s: string): string;
  ok(s: string): string;
  label(s: string): string;
  strong(s: string): string;
}

const ANSI: Style = {
  error: (s) => `\u001b[31m${s}\u001b[39m`,
  warning: (s) => `\u001b[33m${s}\u001b[39m`,
  ok: (s) => `\u001b[32m${s}\u001b[39m`,
  label: (s) => `\u001b[2m${s}\u001b[22m`,
  strong: (s) => `\u001b[1m${s}\u001b[22m`,
};
const PLAIN: Style = { error: (s) => s, warning: (s) => s, ok: (s) => s, label: (s) => s, strong: (s) => s };

const INDENT = '    ';
const LABEL_WIDTH = 9;

/**
 * The human report: one block per violation saying what, why, where from and what to do, then the
 * violations already in the base inventory and the waivers in force, one line each, then a summary.
 */
export function renderText(report: CheckReport): string {
  const style = report.color ? ANSI : PLAIN;
  const components = componentIndex(report.inventory);
  const out: string[] = [];
  for (const violation of report.result.violations) {
    out.push(...violationBlock(report, violation, components, style), '');
  }
  if (report.result.preexisting.length > 0) {
    out.push(style.strong('Already in the base inventory (not failing):'));
    for (const v of report.result.preexisting) {
      out.push(`  ${marker(v, report, style)} ${clean(v.component.purl)}  ${headLicense(v)}`);
    }
    out.push('');
  }
  if (report.result.waived.length > 0) {
    out.push(style.strong('Waived:'));
    for (const w of report.result.waived) {
      const license = w.license ? `  ${clean(w.license)}` : '';
      out.push(
        `  ${clean(w.purl)}${license}  until ${clean(w.expires)}, ${clean(w.waiver.file)}:${w.waiver.line}` +
          ` (owner ${clean(w.owner, 80)}: ${clean(w.reason, 120)})`,
      );
    }
    out.push('');
  }
  out.push(summaryLine(report, style));
  return `${out.join('\n')}\n`;
}

function violationBlock(
  report: CheckReport,
  violation: Violation,
  components: ReturnType<typeof componentIndex>,
  style: Style,
): string[] {
  const lines = [
    `${marker(violation, report, style)} ${style.strong(clean(violation.component.purl))}  ${headLicense(violation)}`,
  ];
  const entry = (label: string, text: string) =>
    lines.push(`${INDENT}${style.label(label.padEnd(LABEL_WIDTH))}${text}`);
  const more = (text: string) => lines.push(`${INDENT}${' '.repeat(LABEL_WIDTH)}${text}`);

  entry('rule', clean(violation.rule, 400));
  entry('evidence', evidenceText(violation, components.get(violation.component.purl)));
  violation.usages.slice(0, MAX_USAGES_SHOWN).forEach((usage, i) => {
    if (i === 0) entry('used by', usageText(report, usage));
    else more(usageText(report, usage));
  });
  if (violation.usages.length > MAX_USAGES_SHOWN) {
    more(`... and ${violation.usages.length - MAX_USAGES_SHOWN} more (see --format json)`);
  }
  const expired = expiredWaiverText(violation);
  if (expired) entry('waiver', expired);
  const [first, ...rest] = fixLines(violation, report.result.policy);
  entry('fix', first!);
  for (const line of rest) more(line);
  return lines;
}

/** `GPL-3.0-only  (strong-copyleft)`: the expression, then its category apart. */
function headLicense(violation: Violation): string {
  const expression = violation.license.expression ? clean(violation.license.expression) : 'no license';
  return violation.license.category ? `${expression}  (${violation.license.category})` : expression;
}

function marker(violation: Violation, report: CheckReport, style: Style): string {
  if (violation.severity === 'error') return style.error('✖');
  return isFailing(violation, report.failOn) ? style.error('⚠') : style.warning('⚠');
}

function summaryLine(report: CheckReport, style: Style): string {
  const { failing, errors, warnings } = countViolations(report.result, report.failOn);
  const text = summaryText(report.result, report.failOn);
  if (failing > 0) return style.error(`✖ ${text}`);
  if (errors + warnings > 0) return style.warning(`⚠ ${text}`);
  return style.ok(`✔ ${text}`);
}
