/** The "changes since the previous inventory" section: static HTML from diffInventories, no script needed. */
import type { ComponentRef, FieldChange, InventoryDiff, ProjectRef } from '../../core/diff.js';
import { componentName } from './categories.js';
import { escapeHtml, formatCount, formatTime, plural } from './escape.js';

/** Longer lists are cut: `oss-inventory diff` gives them whole. */
const MAX_ROWS = 100;
/** Field changes about the license (`license.expression`, `license.category`...). */
const isLicenseField = (change: FieldChange) => change.field.startsWith('license');

export function renderChanges(diff: InventoryDiff): string {
  const { projects, components } = diff;
  const upgrades = components.versionChanges.filter((v) => v.direction === 'upgrade');
  const downgrades = components.versionChanges.filter((v) => v.direction === 'downgrade');
  const others = components.versionChanges.filter((v) => v.direction === 'change');
  const licenseChanges = [
    ...components.changed
      .filter((c) => c.changes.some(isLicenseField))
      .map((c) => ({ label: label(c.component), changes: c.changes })),
    ...components.versionChanges
      .filter((v) => v.changes.some(isLicenseField))
      .map((v) => ({ label: `${label(v.previous)} → ${v.current.version}`, changes: v.changes })),
  ];
  const figures: [string, string, number][] = [
    ['diff-projects-added', 'Projects added', projects.added.length],
    ['diff-projects-removed', 'Projects removed', projects.removed.length],
    ['diff-components-added', 'Components added', components.added.length],
    ['diff-components-removed', 'Components removed', components.removed.length],
    ['diff-upgraded', 'Upgraded', upgrades.length],
    ['diff-downgraded', 'Downgraded', downgrades.length],
    ['diff-license-changes', 'License changes', licenseChanges.length],
  ];
  if (diff.violations) {
    figures.push(['diff-violations-new', 'New violations', diff.violations.added.length]);
    figures.push(['diff-violations-resolved', 'Resolved violations', diff.violations.resolved.length]);
  }
  const lists = [
    details('License changes', licenseChanges, ['Component', 'What changed'], (c) => [
      escapeHtml(c.label),
      c.changes.filter(isLicenseField).map(fieldChange).join('<br>'),
    ]),
    details('Components added', components.added, ['Component', 'License', 'Projects'], componentCells),
    details('Components removed', components.removed, ['Component', 'License', 'Projects'], componentCells),
    details('Upgraded', upgrades, ['Component', 'From', 'To'], (v) => [
      escapeHtml(componentName(v.current)),
      escapeHtml(v.previous.version),
      escapeHtml(v.current.version),
    ]),
    details('Downgraded', downgrades, ['Component', 'From', 'To'], (v) => [
      escapeHtml(componentName(v.current)),
      escapeHtml(v.previous.version),
      escapeHtml(v.current.version),
    ]),
    details(
      'Other version changes (versions that cannot be ordered)',
      others,
      ['Component', 'From', 'To'],
      (v) => [
        escapeHtml(componentName(v.current)),
        escapeHtml(v.previous.version),
        escapeHtml(v.current.version),
      ],
    ),
    details('Projects added', projects.added, ['Project', 'Name'], projectCells),
    details('Projects removed', projects.removed, ['Project', 'Name'], projectCells),
    details('Projects changed', projects.changed, ['Project', 'What changed'], (p) => [
      escapeHtml(p.project.id),
      p.changes.map(fieldChange).join('<br>'),
    ]),
    details('Components changed in place', components.changed, ['Component', 'What changed'], (c) => [
      escapeHtml(label(c.component)),
      [
        ...c.changes.map(fieldChange),
        ...(c.usedBy?.added.length ? [`now used by ${escapeHtml(c.usedBy.added.join(', '))}`] : []),
        ...(c.usedBy?.removed.length ? [`no longer used by ${escapeHtml(c.usedBy.removed.join(', '))}`] : []),
      ].join('<br>'),
    ]),
  ];
  if (diff.violations) {
    const violationCells = (v: (typeof diff.violations.added)[number]) => [
      escapeHtml(`${v.component.name} ${v.component.version}`),
      escapeHtml(v.rule),
    ];
    lists.push(details('New violations', diff.violations.added, ['Component', 'Rule'], violationCells));
    lists.push(
      details('Resolved violations', diff.violations.resolved, ['Component', 'Rule'], violationCells),
    );
  }
  return (
    `<p>Since the inventory of ${escapeHtml(formatTime(diff.previous.generatedAt))} ` +
    `(${plural(diff.previous.projects, 'project')}, ${plural(diff.previous.components, 'component')}).</p>` +
    `<dl class="figures small">${figures
      .map(
        ([id, name, count]) =>
          `<div class="figure"><dt>${name}</dt><dd><span class="big" id="${id}">${formatCount(count)}</span></dd></div>`,
      )
      .join('')}</dl>` +
    lists.join('')
  );
}

function label(ref: ComponentRef): string {
  return `${componentName(ref)} ${ref.version}`;
}

function fieldChange(change: FieldChange): string {
  return `${escapeHtml(change.field)}: ${escapeHtml(change.before ?? '(none)')} → ${escapeHtml(change.after ?? '(none)')}`;
}

function componentCells(ref: ComponentRef): string[] {
  return [
    escapeHtml(label(ref)),
    `<code>${escapeHtml(ref.license ?? '')}</code>`,
    formatCount(ref.projects.length),
  ];
}

function projectCells(ref: ProjectRef): string[] {
  return [escapeHtml(ref.id), escapeHtml([ref.name, ref.version].filter(Boolean).join(' '))];
}

function details<T>(title: string, items: T[], headers: string[], cells: (item: T) => string[]): string {
  if (items.length === 0) return '';
  const rows = items.slice(0, MAX_ROWS).map((item) => {
    const [first, ...rest] = cells(item);
    return `<tr><th scope="row">${first}</th>${rest.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const cut =
    items.length > MAX_ROWS
      ? `<p class="more">and ${formatCount(items.length - MAX_ROWS)} more: <code>oss-inventory diff</code> lists them all.</p>`
      : '';
  return (
    `<details><summary>${escapeHtml(title)} (${formatCount(items.length)})</summary><div class="table-scroll"><table>` +
    `<caption class="visually-hidden">${escapeHtml(title)}</caption><thead><tr>${headers
      .map((h) => `<th scope="col">${h}</th>`)
      .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${cut}</details>`
  );
}
