import type { CheckReport } from './index.js';
import { safeJson } from './sanitize.js';

/** The CheckResult as it is: `policy`, `checkedAt`, `components`, `violations`, `waived`, `preexisting`. */
export function renderJson(report: CheckReport): string {
  return safeJson(report.result);
}
