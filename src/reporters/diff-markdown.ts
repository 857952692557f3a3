import { clean } from '../check/sanitize.js';
import type { ComponentRef, DiffSide, FieldChange } from '../core/diff.js';
import type { Violation } from '../core/policy-model.js';
import {
  changeText,
  code,
  shownProjects,
  summaryOf,
  text,
  unversionedPurl,
  usageOf,
  type DiffReport,
} from './diff-common.js';

/**
 * The diff as GitHub-flavoured Markdown, to paste into an issue or a wiki page: the summary, then one table
 * per kind of change (empty ones left out). Identifiers (purls, versions, licenses, project ids) are code
 * spans; free text is escaped; every cell is cleaned of control characters and `|` is escaped.
 */
export function renderDiffMarkdown(report: DiffReport): string {
  const { diff } = report;
  const out: string[] = [
    '## Inventory changes',
    '',
    `- previous: ${side(report.previousFile, diff.previous)}`,
    `- current: ${side(report.currentFile, diff.current)}`,
    '',
    `**${text(summaryOf(diff))}**`,
    '',
  ];
  const table = (title: string, header: string[], rows: string[][]) => {
    if (rows.length === 0) return;
    out.push(`### ${title} (${rows.length})`, '', row(header), row(header.map(() => '---')));
    for (const cells of rows) out.push(row(cells));
    out.push('');
  };
  const { projects, components, violations } = diff;
  const projectRow = (p: (typeof projects.added)[number]) => [
    code(p.id),
    p.name === undefined ? '' : code(p.name),
    p.version === undefined ? '' : code(p.version),
    p.ecosystem,
  ];
  table('Projects added', ['Project', 'Name', 'Version', 'Ecosystem'], projects.added.map(projectRow));
  table('Projects removed', ['Project', 'Name', 'Version', 'Ecosystem'], projects.removed.map(projectRow));
  table(
    'Projects changed',
    ['Project', 'Changes'],
    projects.changed.map((p) => [code(p.project.id), changes(p.changes)]),
  );
  // The health column appears once inventories carry health.
  const withHealth = [...components.added, ...components.removed].some((c) => c.health !== undefined);
  const componentHeader = ['Component', 'License', 'Scopes', ...(withHealth ? ['Health'] : []), 'Used by'];
  const componentRow = (c: ComponentRef) => [
    code(c.purl),
    license(c),
    usageOf(c),
    ...(withHealth ? [c.health ?? ''] : []),
    projectList(c.projects),
  ];
  table('Components added', componentHeader, components.added.map(componentRow));
  table('Components removed', componentHeader, components.removed.map(componentRow));
  table(
    'Versions changed',
    ['Package', 'Previous', 'Current', 'Change', 'Other changes', 'Used by'],
    components.versionChanges.map((v) => [
      code(unversionedPurl(v.previous.purl)),
      code(v.previous.version),
      code(v.current.version),
      v.direction,
      changes(v.changes),
      projectList(v.current.projects),
    ]),
  );
  table(
    'Components changed',
    ['Component', 'Changes'],
    components.changed.map((c) => [
      code(c.component.purl),
      [
        changes(c.changes),
        c.usedBy && c.usedBy.added.length > 0 ? `now used by ${projectList(c.usedBy.added)}` : '',
        c.usedBy && c.usedBy.removed.length > 0 ? `no longer used by ${projectList(c.usedBy.removed)}` : '',
      ]
        .filter((part) => part !== '')
        .join('<br>'),
    ]),
  );
  if (violations) {
    const header = ['Severity', 'Component', 'License', 'Rule'];
    table(`New violations of ${code(violations.policy, false)}`, header, violations.added.map(violationRow));
    table(
      `Violations of ${code(violations.policy, false)} resolved`,
      header,
      violations.resolved.map(violationRow),
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function side(file: string, facts: DiffSide): string {
  return (
    `${code(file, false)} (${text(facts.generatedAt)}, ${text(`${facts.tool.name} ${facts.tool.version}`)}: ` +
    `${facts.projects} project${facts.projects === 1 ? '' : 's'}, ` +
    `${facts.components} component${facts.components === 1 ? '' : 's'})`
  );
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function license(component: ComponentRef): string {
  const expression = component.license === undefined ? 'no license' : code(component.license);
  return component.category ? `${expression} (${component.category})` : expression;
}

function changes(list: readonly FieldChange[]): string {
  return list.map((c) => `${text(c.field)}: ${code(changeText(c, '→'))}`).join('<br>');
}

function projectList(projects: readonly string[]): string {
  const { shown, more } = shownProjects(projects);
  return shown.map((p) => code(p)).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function violationRow(violation: Violation): string[] {
  const { expression, category } = violation.license;
  return [
    violation.severity,
    code(violation.component.purl),
    (expression === undefined ? 'no license' : code(expression)) + (category ? ` (${category})` : ''),
    text(clean(violation.rule, 400)),
  ];
}
