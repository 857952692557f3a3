import { safeJson } from '../check/sanitize.js';
import type { WhereUsedReport } from './where-used-text.js';

/** Where-used for machines: the WhereUsedResult (src/core/where-used.ts) and the inventory it was read from. */
export function renderWhereUsedJson(report: WhereUsedReport): string {
  return safeJson({ inventory: report.inventoryFile, ...report.result });
}
