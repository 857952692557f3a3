import { clean } from '../check/sanitize.js';
import type { ComponentRef, DiffSide, FieldChange } from '../core/diff.js';
import type { Violation } from '../core/policy-model.js';
import {
  changeText,
  licenseOf,
  projectDetails,
  shownProjects,
  summaryOf,
  unversionedPurl,
  usageOf,
  type DiffReport,
} from './diff-common.js';

const INDENT = '      ';
const MARKERS = { upgrade: '↑', downgrade: '↓', change: '~' } as const;

/**
 * The diff for a terminal: the two inventories, one section per kind of change (empty ones left out), one
 * line per item with the changed fields under it, and a summary line. Every value is cleaned (control
 * characters become `?`, long values are cut).
 */
export function renderDiffText(report: DiffReport): string {
  const { diff } = report;
  const out: string[] = [
    `previous: ${side(report.previousFile, diff.previous)}`,
    `current:  ${side(report.currentFile, diff.current)}`,
    '',
  ];
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) out.push(title, ...lines, '');
  };
  const { projects, components, violations } = diff;
  section(
    heading('Projects added', projects.added.length),
    projects.added.map((p) => `  + ${clean(p.id)}  ${clean(projectDetails(p))}`),
  );
  section(
    heading('Projects removed', projects.removed.length),
    projects.removed.map((p) => `  - ${clean(p.id)}  ${clean(projectDetails(p))}`),
  );
  section(
    heading('Projects changed', projects.changed.length),
    projects.changed.flatMap((p) => [`  ~ ${clean(p.project.id)}`, ...fieldLines(p.changes)]),
  );
  section(
    heading('Components added', components.added.length),
    components.added.map((c) => componentLine('+', c)),
  );
  section(
    heading('Components removed', components.removed.length),
    components.removed.map((c) => componentLine('-', c)),
  );
  section(
    heading('Versions changed', components.versionChanges.length),
    components.versionChanges.flatMap((v) => [
      `  ${MARKERS[v.direction]} ${clean(unversionedPurl(v.previous.purl))}  ` +
        `${clean(v.previous.version)} -> ${clean(v.current.version)} (${v.direction})` +
        usedBy(v.current.projects),
      ...fieldLines(v.changes),
    ]),
  );
  section(
    heading('Components changed', components.changed.length),
    components.changed.flatMap((c) => [
      `  ~ ${clean(c.component.purl)}`,
      ...fieldLines(c.changes),
      ...(c.usedBy ? usedByLines(c.usedBy) : []),
    ]),
  );
  if (violations) {
    const policy = clean(violations.policy);
    section(
      heading(`New violations of ${policy}`, violations.added.length),
      violations.added.flatMap((v) => violationLines(v, v.severity === 'error' ? '✖' : '⚠')),
    );
    section(
      heading(`Violations of ${policy} resolved`, violations.resolved.length),
      violations.resolved.flatMap((v) => violationLines(v, '✔')),
    );
  }
  out.push(summaryOf(diff));
  return `${out.join('\n')}\n`;
}

function side(file: string, facts: DiffSide): string {
  return (
    `${clean(file)} (${clean(facts.generatedAt)}, ${clean(facts.tool.name)} ${clean(facts.tool.version)}: ` +
    `${plural(facts.projects, 'project')}, ${plural(facts.components, 'component')})`
  );
}

function heading(title: string, n: number): string {
  return `${title} (${n})`;
}

function componentLine(marker: string, component: ComponentRef): string {
  return (
    `  ${marker} ${clean(component.purl)}  ${clean(licenseOf(component))}  ${usageOf(component)}` +
    (component.health ? `  health ${component.health}` : '') +
    usedBy(component.projects)
  );
}

function usedBy(projects: readonly string[]): string {
  if (projects.length === 0) return '';
  const { shown, more } = shownProjects(projects);
  return `  used by ${shown.map((p) => clean(p)).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function fieldLines(changes: readonly FieldChange[]): string[] {
  const width = Math.max(...changes.map((c) => c.field.length));
  return changes.map((c) => `${INDENT}${c.field.padEnd(width)}  ${clean(changeText(c, '->'))}`);
}

function usedByLines(change: { added: string[]; removed: string[] }): string[] {
  const list = (projects: string[]) => {
    const { shown, more } = shownProjects(projects);
    return shown.map((p) => clean(p)).join(', ') + (more > 0 ? ` and ${more} more` : '');
  };
  return [
    ...(change.added.length > 0 ? [`${INDENT}now used by   ${list(change.added)}`] : []),
    ...(change.removed.length > 0 ? [`${INDENT}no longer by  ${list(change.removed)}`] : []),
  ];
}

function violationLines(violation: Violation, marker: string): string[] {
  const license = violation.license.expression ?? 'no license';
  const category = violation.license.category ? ` (${violation.license.category})` : '';
  return [
    `  ${marker} ${clean(violation.component.purl)}  ${clean(license)}${category}`,
    `${INDENT}${clean(violation.rule, 400)}`,
  ];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
