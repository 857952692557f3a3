/**
 * The components as a spreadsheet: one row per component and project that uses it (a component three
 * projects use is three rows), components in purl order, then by project and manifest. A component that no
 * project uses still gets one row, with the project columns empty.
 *
 * The file is RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a comma, a quote or a
 * line break, quotes doubled. It is UTF-8 and starts with a byte order mark, because that is how Excel
 * tells UTF-8 from the machine's legacy code page (without it, `Licence générale` opens as `gÃ©nÃ©rale`);
 * LibreOffice, Google Sheets and Numbers skip the mark; a script reads it with Python's `utf-8-sig` or by
 * dropping the first character.
 *
 * Values come from the scanned repositories: control characters are replaced by `?`, long values are cut,
 * and a value a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return, or their full-width forms) gets a leading `'` (OWASP's CSV injection advice).
 *
 * Health and plan B: the class, its reason codes, and the first way out (the best option that is not a
 * survival plan) as `KIND TARGET-OR-LABEL (CONFIDENCE)`, else the plan's status, with the target's license
 * and flags. A component assessed without them (`--no-health`) has these cells empty.
 */
import { clean } from '../check/sanitize.js';
import { SCOPES, type Component, type Usage } from '../core/model.js';
import { compareCodeUnits } from './cyclonedx-values.js';
import { firstWayOut, optionTarget } from './report-values.js';

const BOM = '\uFEFF';
const LINE_END = '\r\n';
/** Longest value written whole; spreadsheets refuse cells over 32,767 characters. */
const MAX_CELL = 2000;

interface Column {
  header: string;
  value(component: Component, usage: Usage | undefined): string;
}

/**
 * The columns, in order. A later fact of the inventory (health, plan B) is one more entry here.
 */
export const CSV_COLUMNS: readonly Column[] = [
  { header: 'ecosystem', value: (c) => c.ecosystem },
  { header: 'group', value: (c) => c.group ?? '' },
  { header: 'name', value: (c) => c.name },
  { header: 'version', value: (c) => c.version },
  { header: 'purl', value: (c) => c.purl },
  { header: 'license', value: (c) => c.license.expression ?? '' },
  { header: 'license category', value: (c) => c.license.category ?? 'unknown' },
  { header: 'license status', value: (c) => c.license.status },
  { header: 'license source', value: (c) => c.license.source ?? '' },
  { header: 'license evidence', value: (c) => c.license.evidence ?? '' },
  { header: 'license declared', value: (c) => c.license.declared.join(' | ') },
  { header: 'health', value: (c) => c.health?.class ?? '' },
  { header: 'health reasons', value: (c) => c.health?.reasons.map((r) => r.code).join(' ') ?? '' },
  { header: 'plan B', value: (c) => planBCell(c) },
  { header: 'plan B license', value: (c) => firstWayOut(c.planB)?.targetLicense ?? '' },
  { header: 'plan B flags', value: (c) => firstWayOut(c.planB)?.flags?.join(' ') ?? '' },
  { header: 'project', value: (_c, u) => u?.project ?? '' },
  { header: 'scopes', value: (_c, u) => (u ? SCOPES.filter((s) => u.scopes.includes(s)).join(' ') : '') },
  { header: 'direct', value: (_c, u) => (u ? String(u.direct) : '') },
  { header: 'path', value: (_c, u) => u?.path.join(' > ') ?? '' },
  { header: 'manifest', value: (_c, u) => u?.manifest ?? '' },
  { header: 'declared in', value: (_c, u) => u?.declaredAt?.file ?? '' },
  { header: 'line', value: (_c, u) => (u?.declaredAt ? String(u.declaredAt.line) : '') },
];

/** The first way out as `KIND TARGET-OR-LABEL (CONFIDENCE)`; without one, the plan's status. */
function planBCell(component: Component): string {
  const option = firstWayOut(component.planB);
  if (!option) return component.planB?.status ?? '';
  const target = optionTarget(option);
  return `${option.kind}${target ? ` ${target}` : ''} (${option.confidence})`;
}

export function renderCsv(inventory: { components: readonly Component[] }): string {
  const lines = [CSV_COLUMNS.map((column) => field(column.header)).join(',')];
  const components = [...inventory.components].sort((a, b) => compareCodeUnits(a.purl, b.purl));
  for (const component of components) {
    const usages = [...component.usedBy].sort(
      (a, b) => compareCodeUnits(a.project, b.project) || compareCodeUnits(a.manifest, b.manifest),
    );
    for (const usage of usages.length > 0 ? usages : [undefined]) {
      lines.push(CSV_COLUMNS.map((column) => field(column.value(component, usage))).join(','));
    }
  }
  return `${BOM}${lines.join(LINE_END)}${LINE_END}`;
}

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** One RFC 4180 field: cleaned, guarded against formulas, quoted when it must be. */
export function field(value: string): string {
  let cell = FORMULA_START.test(value) ? `'${value}` : value;
  cell = clean(cell, MAX_CELL);
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
