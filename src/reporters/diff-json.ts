import { safeJson } from '../check/sanitize.js';
import type { DiffReport } from './diff-common.js';

/**
 * The diff for machines: the InventoryDiff (src/core/diff.ts) with the two files named in `previous` and
 * `current`. Strings are cut and escaped as in the check's JSON (safeJson).
 */
export function renderDiffJson(report: DiffReport): string {
  const { diff } = report;
  return safeJson({
    previous: { file: report.previousFile, ...diff.previous },
    current: { file: report.currentFile, ...diff.current },
    projects: diff.projects,
    components: diff.components,
    ...(diff.violations ? { violations: diff.violations } : {}),
  });
}
