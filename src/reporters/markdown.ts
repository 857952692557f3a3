/**
 * A Markdown summary of an inventory, short enough to paste into an issue, a pull request or a wiki page:
 * counts, licenses by category, unknown licenses, projects whose license files contradict their manifests,
 * the components most projects use, maintainer health and the components that need a plan B (when health
 * was assessed), the policy violations (when a policy was given) and the problems.
 * Every list shows its first entries and says how many more there are; the inventory has the rest.
 *
 * Every value from the inventory is hostile (it comes from the scanned repositories): identifiers are
 * written as code spans (no emphasis, link, HTML, math or @mention can come out of them), free text is
 * backslash-escaped with its @names and #numbers put in code spans, both without control characters and
 * cut to a readable length, and `|` is escaped inside tables.
 */
import { clean } from '../check/sanitize.js';
import {
  LICENSE_CATEGORIES,
  SCOPES,
  type Component,
  type Inventory,
  type LicenseCategory,
  type PlanB,
  type Problem,
} from '../core/model.js';
import type { ComponentRef, InventoryDiff } from '../core/diff.js';
import type { CheckResult, Violation } from '../core/policy-model.js';
import { compareCodeUnits } from './cyclonedx-values.js';
import { summaryOf } from './diff-common.js';
import type { ReportContext } from './index.js';
import {
  countBy,
  ecosystemCounts,
  firstWayOut,
  healthCounts,
  optionTarget,
  packageKey,
  packageName,
  planBQueue,
  plural,
} from './report-values.js';

/** How many rows each table shows before "and N more". */
export const MARKDOWN_LIMITS = {
  licenses: 10,
  unknown: 10,
  conflicts: 10,
  exposures: 10,
  planB: 50,
  violations: 20,
  changes: 15,
  problems: 15,
  subjects: 5,
} as const;

export function renderMarkdown(inventory: Inventory, context: ReportContext = {}): string {
  const sections = [
    header(inventory),
    summary(inventory, context.check),
    licenses(inventory),
    unknownLicenses(inventory),
    licenseConflicts(inventory),
    exposures(inventory),
    health(inventory),
    context.check ? violations(context.check) : undefined,
    context.changes ? changes(context.changes) : undefined,
    problems(inventory),
  ];
  return `${sections
    .filter((s): s is string[] => s !== undefined && s.length > 0)
    .map((s) => s.join('\n'))
    .join('\n\n')}\n`;
}

function header(inventory: Inventory): string[] {
  const subjects = [...inventory.subjects].map((s) => s.name).sort(compareCodeUnits);
  const shown = subjects.slice(0, MARKDOWN_LIMITS.subjects).map((s) => code(s, false));
  const more = subjects.length - shown.length;
  const of =
    subjects.length === 0
      ? ''
      : ` of ${shown.join(', ')}${more > 0 ? ` and ${plural(more, 'more subject', 'more subjects')}` : ''}`;
  return [
    `# Open source inventory${of}`,
    '',
    `Generated ${generatedText(inventory.generatedAt)} by ${code(`${inventory.tool.name} ${inventory.tool.version}`, false)}.`,
  ];
}

function generatedText(generatedAt: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(generatedAt);
  return match ? `on ${match[1]} at ${match[2]} UTC` : `at ${code(generatedAt, false)}`;
}

function summary(inventory: Inventory, check: CheckResult | undefined): string[] {
  const { components } = inventory;
  const direct = components.filter((c) => c.direct).length;
  const known = components.filter((c) => c.license.status === 'known').length;
  const byEcosystem = ecosystemCounts(inventory)
    .map(([e, n]) => `${e} ${n.toLocaleString('en')}`)
    .join(', ');
  const byScope = SCOPES.map((s) => [s, components.filter((c) => c.scopes.includes(s)).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n.toLocaleString('en')}`)
    .join(', ');
  const rows: [string, string][] = [
    ['Projects', inventory.projects.length.toLocaleString('en')],
    ['Components', `${components.length.toLocaleString('en')}${byEcosystem ? ` (${byEcosystem})` : ''}`],
    [
      'Direct / transitive',
      `${direct.toLocaleString('en')} / ${(components.length - direct).toLocaleString('en')}`,
    ],
  ];
  if (byScope) rows.push(['By scope', byScope]);
  rows.push([
    'Licenses known / unknown',
    `${known.toLocaleString('en')} / ${(components.length - known).toLocaleString('en')}`,
  ]);
  if (check) rows.push(['Policy violations', `${violationCounts(check)} (policy ${code(check.policy)})`]);
  rows.push(['Problems', problemCounts(inventory.problems)]);
  return ['## Summary', '', ...table(['', 'Count'], rows, ['---', '--:'])];
}

function violationCounts(check: CheckResult): string {
  const errors = check.violations.filter((v) => v.severity === 'error').length;
  const parts = [plural(errors, 'error'), plural(check.violations.length - errors, 'warning')];
  if (check.waived.length > 0) parts.push(`${check.waived.length.toLocaleString('en')} waived`);
  return parts.join(', ');
}

function problemCounts(problems: readonly Problem[]): string {
  const count = (severity: Problem['severity']) => problems.filter((p) => p.severity === severity).length;
  return [
    plural(count('error'), 'error'),
    plural(count('warning'), 'warning'),
    plural(count('info'), 'note'),
  ].join(', ');
}

function categoryOf(component: Component): LicenseCategory {
  return component.license.category ?? 'unknown';
}

function licenses(inventory: Inventory): string[] {
  const total = inventory.components.length;
  if (total === 0) return [];
  const byCategory = new Map(countBy(inventory.components, categoryOf));
  const categoryRows = LICENSE_CATEGORIES.filter((c) => byCategory.has(c)).map(
    (c): [string, string, string] => [
      code(c),
      byCategory.get(c)!.toLocaleString('en'),
      share(byCategory.get(c)!, total),
    ],
  );
  const byExpression = countBy(inventory.components, (c) => c.license.expression ?? '');
  const expressionRows = byExpression
    .filter(([e]) => e !== '')
    .slice(0, MARKDOWN_LIMITS.licenses)
    .map(([e, n]): [string, string, string] => [code(e), n.toLocaleString('en'), share(n, total)]);
  const distinct = byExpression.filter(([e]) => e !== '').length;
  return [
    '## Licenses',
    '',
    ...table(['Category', 'Components', 'Share'], categoryRows, ['---', '--:', '--:']),
    '',
    ...table(['License', 'Components', 'Share'], expressionRows, ['---', '--:', '--:']),
    ...more(distinct - expressionRows.length, 'license', 'licenses'),
  ];
}

function share(n: number, total: number): string {
  return `${((100 * n) / total).toFixed(1)}%`;
}

/** Unknown licenses grouped by what was declared (nothing, or the raw values), with an example and its evidence. */
function unknownLicenses(inventory: Inventory): string[] {
  const unknown = inventory.components.filter((c) => c.license.status === 'unknown');
  if (unknown.length === 0) return [];
  const groups = new Map<string, Component[]>();
  for (const component of [...unknown].sort((a, b) => compareCodeUnits(a.purl, b.purl))) {
    const key = component.license.declared.join('\n');
    let members = groups.get(key);
    if (!members) groups.set(key, (members = []));
    members.push(component);
  }
  const ordered = [...groups].sort((a, b) => b[1].length - a[1].length || compareCodeUnits(a[0], b[0]));
  const rows = ordered.slice(0, MARKDOWN_LIMITS.unknown).map(([, members]): string[] => {
    const example = members[0]!;
    const { declared, evidence, reason } = example.license;
    return [
      declared.length === 0 ? 'nothing declared' : declared.map((d) => code(d)).join(' or '),
      members.length.toLocaleString('en'),
      code(`${packageName(example)}@${example.version}`),
      [evidence ? code(evidence) : '', reason ? text(reason) : ''].filter(Boolean).join(': '),
    ];
  });
  const rest = ordered.slice(MARKDOWN_LIMITS.unknown).reduce((n, [, members]) => n + members.length, 0);
  return [
    '## Unknown licenses',
    '',
    `${plural(unknown.length, 'component')} without a license that maps to SPDX, by what they declare:`,
    '',
    ...table(['Declared', 'Components', 'Example', 'Evidence'], rows, ['---', '--:', '---', '---']),
    ...more(
      ordered.length - rows.length,
      'declared value',
      'declared values',
      ` (${plural(rest, 'component')})`,
    ),
  ];
}

function licenseConflicts(inventory: Inventory): string[] {
  const conflicting = inventory.projects
    .filter((p) => p.license?.conflict !== undefined)
    .sort((a, b) => compareCodeUnits(a.id, b.id));
  if (conflicting.length === 0) return [];
  const rows = conflicting
    .slice(0, MARKDOWN_LIMITS.conflicts)
    .map((p) => [
      code(p.id),
      p.license?.expression ? code(p.license.expression) : 'none concluded',
      text(p.license?.conflict ?? ''),
    ]);
  return [
    '## License conflicts of projects',
    '',
    `${plural(conflicting.length, 'project declares', 'projects declare')} a license that its license file contradicts:`,
    '',
    ...table(['Project', 'Concluded', 'Conflict'], rows),
    ...more(conflicting.length - rows.length, 'project', 'projects'),
  ];
}

interface Exposure {
  example: Component;
  projects: Set<string>;
  versions: Set<string>;
  licenses: Set<string>;
}

/** The packages (all versions together) that the most projects use. */
function exposures(inventory: Inventory): string[] {
  if (inventory.components.length === 0) return [];
  const byPackage = new Map<string, Exposure>();
  for (const component of inventory.components) {
    const key = packageKey(component);
    let exposure = byPackage.get(key);
    if (!exposure) {
      exposure = { example: component, projects: new Set(), versions: new Set(), licenses: new Set() };
      byPackage.set(key, exposure);
    }
    for (const usage of component.usedBy) exposure.projects.add(usage.project);
    exposure.versions.add(component.version);
    exposure.licenses.add(component.license.expression ?? '');
  }
  const ranked = [...byPackage]
    .sort((a, b) => b[1].projects.size - a[1].projects.size || compareCodeUnits(a[0], b[0]))
    .slice(0, MARKDOWN_LIMITS.exposures);
  const rows = ranked.map(([, e]) => [
    code(packageName(e.example)),
    e.projects.size.toLocaleString('en'),
    list([...e.versions].sort(compareCodeUnits), 4),
    list([...e.licenses].sort(compareCodeUnits), 3, (l) => (l === '' ? 'no license' : code(l))),
  ]);
  return [
    '## Top exposures',
    '',
    'The packages the most projects use (all versions together):',
    '',
    ...table(['Package', 'Projects', 'Versions', 'Licenses'], rows, ['---', '--:', '---', '---']),
  ];
}

function list(
  values: readonly string[],
  max: number,
  show: (value: string) => string = (v) => code(v),
): string {
  const shown = values.slice(0, max).map(show);
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

/**
 * Components per health class, then those that need a plan B (EOL, ABANDONED, AT_RISK), the highest plan-B
 * priority first, with what makes them so, who uses them and the first way out. Left out when no component
 * was assessed (`--no-health`).
 */
function health(inventory: Inventory): string[] {
  const { classes, unassessed } = healthCounts(inventory.components);
  if (classes.length === 0) return [];
  const assessed = inventory.components.length - unassessed;
  const classRows = classes.map(([h, n]): string[] => [code(h), n.toLocaleString('en'), share(n, assessed)]);
  const { queue, curated } = planBQueue(inventory.components);
  const lines = [
    '## Maintainer health and plan B',
    '',
    ...table(['Health', 'Components', 'Share'], classRows, ['---', '--:', '--:']),
  ];
  if (unassessed > 0)
    lines.push('', `${plural(unassessed, 'component was', 'components were')} not assessed.`);
  lines.push('');
  if (queue.length === 0) {
    lines.push('No component needs a plan B: none is EOL, ABANDONED or AT_RISK.');
    return lines;
  }
  lines.push(
    `${plural(queue.length, 'component needs', 'components need')} a plan B (EOL, ABANDONED or AT_RISK), ` +
      `the highest priority first; ${curated.toLocaleString('en')} of them ${curated === 1 ? 'has' : 'have'} ` +
      'an option of confidence curated or better:',
    '',
  );
  const rows = queue.slice(0, MARKDOWN_LIMITS.planB).map((c) => {
    const projects = [...new Set(c.usedBy.map((u) => u.project))].sort(compareCodeUnits);
    return [
      code(`${packageName(c)}@${c.version}`),
      code(c.health!.class),
      c.health!.priority.toLocaleString('en'),
      list(
        c.health!.reasons.map((r) => r.code),
        4,
      ),
      projects.length === 0 ? 'none' : list(projects, 3),
      wayOut(c.planB),
    ];
  });
  return [
    ...lines,
    ...table(['Component', 'Health', 'Priority', 'Reasons', 'Projects', 'First way out'], rows, [
      '---',
      '---',
      '--:',
      '---',
      '---',
      '---',
    ]),
    ...more(queue.length - rows.length, 'component', 'components'),
  ];
}

/** `successor `pkg:npm/sass` (curated, license `MIT`, flagged `target-unhealthy`)`, or why there is none. */
function wayOut(planB: PlanB | undefined): string {
  const option = firstWayOut(planB);
  if (!option) return planB ? text(planB.status.replace(/-/g, ' ')) : 'not assessed';
  const target = optionTarget(option);
  const notes = [
    text(option.confidence),
    ...(option.targetLicense ? [`license ${code(option.targetLicense)}`] : []),
    ...(option.flags?.length ? [`flagged ${option.flags.map((f) => code(f)).join(', ')}`] : []),
  ];
  return `${text(option.kind)}${target ? ` ${code(target)}` : ''} (${notes.join(', ')})`;
}

function violations(check: CheckResult): string[] {
  const lines = ['## Policy violations', ''];
  if (check.violations.length === 0) {
    lines.push(
      `No violation: the ${plural(check.components, 'component')} checked pass the policy ${code(check.policy, false)}` +
        (check.waived.length > 0
          ? `, ${check.waived.length.toLocaleString('en')} of them thanks to a waiver.`
          : '.'),
    );
    return lines;
  }
  lines.push(`Against the policy ${code(check.policy, false)}: ${violationCounts(check)}.`, '');
  const rows = check.violations
    .slice(0, MARKDOWN_LIMITS.violations)
    .map((v) => [
      v.severity,
      code(`${v.component.name}@${v.component.version}`),
      violationLicense(v),
      text(v.rule, 300),
      projectsOf(v),
    ]);
  return [
    ...lines,
    ...table(['Severity', 'Component', 'License', 'Rule', 'Projects'], rows),
    ...more(check.violations.length - rows.length, 'violation', 'violations'),
  ];
}

function violationLicense(violation: Violation): string {
  const { expression, category } = violation.license;
  if (!expression) return 'no license';
  return category ? `${code(expression)} (${category})` : code(expression);
}

function projectsOf(violation: Violation): string {
  const projects = [...new Set(violation.usages.map((u) => u.project))].sort(compareCodeUnits);
  return list(projects, 3);
}

/**
 * What changed since the previous inventory: the counts, then the version changes, the components added and
 * removed and the license changes, in that order, the first of them in a table.
 */
function changes(diff: InventoryDiff): string[] {
  const rows = changeRows(diff);
  const shown = rows.slice(0, MARKDOWN_LIMITS.changes);
  const lines = [
    '## Changes since the previous inventory',
    '',
    `The previous inventory was generated ${generatedText(diff.previous.generatedAt)}: ${text(summaryOf(diff))}.`,
  ];
  if (shown.length === 0) return lines;
  return [
    ...lines,
    '',
    ...table(['Change', 'Package', 'Before', 'After'], shown),
    ...(rows.length > shown.length
      ? [
          '',
          `And ${plural(rows.length - shown.length, 'more change')}: \`oss-inventory diff\` lists them all.`,
        ]
      : []),
  ];
}

function changeRows(diff: InventoryDiff): string[][] {
  const { versionChanges, added, removed, changed } = diff.components;
  const withLicense = (c: ComponentRef) =>
    `${code(c.version)}, ${c.license ? code(c.license) : 'no license'}`;
  return [
    ...versionChanges.map((v) => [
      v.direction,
      code(packageName(v.current)),
      withLicense(v.previous),
      withLicense(v.current),
    ]),
    ...added.map((c) => ['added', code(packageName(c)), '', withLicense(c)]),
    ...removed.map((c) => ['removed', code(packageName(c)), withLicense(c), '']),
    ...changed.flatMap((c) =>
      c.changes
        .filter((f) => f.field.startsWith('license.'))
        .map((f) => [
          f.field.replace('license.', 'license '),
          code(`${packageName(c.component)}@${c.component.version}`),
          f.before === undefined ? '' : code(f.before),
          f.after === undefined ? '' : code(f.after),
        ]),
    ),
  ];
}

function problems(inventory: Inventory): string[] {
  if (inventory.problems.length === 0) return [];
  const severityRank: Record<Problem['severity'], number> = { error: 0, warning: 1, info: 2 };
  const groups = new Map<string, Problem[]>();
  for (const problem of inventory.problems) {
    const key = `${problem.severity}\u0000${problem.code}`;
    let members = groups.get(key);
    if (!members) groups.set(key, (members = []));
    members.push(problem);
  }
  const ordered = [...groups.values()].sort(
    (a, b) =>
      severityRank[a[0]!.severity] - severityRank[b[0]!.severity] ||
      b.length - a.length ||
      compareCodeUnits(a[0]!.code, b[0]!.code),
  );
  const rows = ordered.slice(0, MARKDOWN_LIMITS.problems).map((members) => {
    const example = members[0]!;
    return [
      code(example.code),
      example.severity,
      members.length.toLocaleString('en'),
      text(example.message, 200),
    ];
  });
  return [
    '## Problems',
    '',
    ...table(['Code', 'Severity', 'Count', 'Example'], rows, ['---', '---', '--:', '---']),
    ...more(ordered.length - rows.length, 'kind of problem', 'kinds of problem'),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Markdown text

function table(
  headers: readonly string[],
  rows?: readonly (readonly string[])[],
  align?: readonly string[],
): string[] {
  const head = [row(headers), row(align ?? headers.map(() => '---'))];
  return rows === undefined ? head : [...head, ...rows.map(row)];
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function more(n: number, singular: string, pluralForm: string, suffix = ''): string[] {
  return n > 0
    ? ['', `And ${plural(n, `more ${singular}`, `more ${pluralForm}`)}${suffix}: see the inventory.`]
    : [];
}

/**
 * A code span holding the value as it is (control characters replaced, cut to `max`): nothing inside is
 * Markdown. The fence is one backtick longer than the longest run of backticks in the value. In a table
 * cell, `|` must still be escaped (GFM splits cells before it reads code spans).
 */
export function code(value: string, inTable = true, max = 120): string {
  let shown = clean(value, max);
  if (inTable) shown = shown.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

// What Markdown (CommonMark, GFM tables and strikethrough, GitHub's math) acts on inside a line; the
// characters that matter only at the start of a line (`#`, `-`, `+`, `>`...) never start one here.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~$&]/g;
// What GitHub turns into a notification or a link when it stands in plain text.
const MENTION_OR_REFERENCE = /((?<![\w@])@[A-Za-z0-9][\w./-]*|(?<![\w&])#\d+)/g;

/**
 * Free text (a message, a rule, a reason): control characters replaced, cut to `max`, every Markdown
 * punctuation backslash-escaped, and @names and #numbers put in code spans so that pasting the report
 * into an issue notifies nobody and links nothing.
 */
export function text(value: string, max = 200): string {
  return clean(value, max)
    .split(MENTION_OR_REFERENCE)
    .map((part, i) => (i % 2 === 1 ? code(part) : part.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)))
    .join('');
}
