/**
 * Attribution notices: for each first-party project, a plain-text file listing every third-party component
 * it ships (reached through runtime, optional, peer or provided dependencies; development-only ones are not
 * shipped), grouped by license, then the full text of each license once, from the SPDX license list. A
 * component whose license is not known, or a license the SPDX list has no text for (an unmapped name, a
 * `LicenseRef-`), says so in plain words instead of a text.
 *
 * Files: `notices/<project>.txt`, `<project>` being the project's file name stem (see per-project.ts).
 * Pure: the inventory and the license texts in, files out. Values from the inventory are cleaned (control
 * characters replaced, cut) before they are written.
 */
import { clean } from '../check/sanitize.js';
import type { Component, Inventory, Project, Scope } from '../core/model.js';
import { parseSpdxExpression, spdxLicenses } from '../core/spdx-expression.js';
import type { LicenseTexts } from '../licenses/license-texts.js';
import { compareCodeUnits } from './cyclonedx-values.js';
import type { ReportFile } from './index.js';
import { projectFileStems } from './per-project.js';
import { packageName, plural } from './report-values.js';

/** The scopes whose components end up in what the project distributes. */
export const SHIPPED_SCOPES: readonly Scope[] = ['runtime', 'optional', 'peer', 'provided'];

const WIDTH = 80;
const HEAVY_RULE = '='.repeat(WIDTH);
const LIGHT_RULE = '-'.repeat(WIDTH);
const NO_LICENSE = 'no known license';

export function renderNotices(inventory: Inventory, texts: LicenseTexts): ReportFile[] {
  const stems = projectFileStems(inventory.projects);
  const shipped = shippedComponents(inventory);
  return [...inventory.projects]
    .sort((a, b) => compareCodeUnits(a.id, b.id))
    .map((project) => ({
      path: `notices/${stems.get(project.id)!}.txt`,
      content: renderNotice(inventory, project, shipped.get(project.id) ?? [], texts),
    }));
}

/** Every project's notice one after the other (what `--stdout notice` prints). */
export function renderNoticesText(inventory: Inventory, texts: LicenseTexts): string {
  return renderNotices(inventory, texts)
    .map((file) => file.content)
    .join('\n\n');
}

/** Per project id, the components it ships, by purl. */
function shippedComponents(inventory: Inventory): Map<string, Component[]> {
  const byProject = new Map<string, Component[]>();
  for (const component of [...inventory.components].sort((a, b) => compareCodeUnits(a.purl, b.purl))) {
    const projects = new Set(
      component.usedBy.filter((u) => u.scopes.some((s) => SHIPPED_SCOPES.includes(s))).map((u) => u.project),
    );
    for (const project of projects) {
      let components = byProject.get(project);
      if (!components) byProject.set(project, (components = []));
      components.push(component);
    }
  }
  return byProject;
}

function renderNotice(
  inventory: Inventory,
  project: Project,
  components: readonly Component[],
  texts: LicenseTexts,
): string {
  const groups = groupByLicense(components);
  const lines = [
    'THIRD-PARTY SOFTWARE NOTICES',
    '',
    `Project:   ${projectTitle(project)}`,
    `Generated: ${clean(inventory.generatedAt.slice(0, 10), 10)} by ${clean(inventory.tool.name, 60)} ${clean(inventory.tool.version, 40)}`,
    '',
  ];
  if (components.length === 0) {
    lines.push(
      'This project ships no third-party component: it has no runtime, optional, peer or',
      'provided dependency (development-only dependencies are not shipped).',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `This project ships ${plural(components.length, 'third-party component')}: its runtime, optional, peer and`,
    'provided dependencies (development-only dependencies are not shipped, nor listed).',
    'Each component is listed under its license; the full text of each license follows,',
    "once. The packages' own files were not read: copyright notices they carry are not",
    'reproduced here.',
    '',
    'Licenses:',
    ...groups.map(([license, members]) => `  ${license}: ${plural(members.length, 'component')}`),
  );
  for (const [license, members] of groups) lines.push('', ...groupLines(license, members));
  const licenseTexts = licenseTextLines(components, texts);
  if (licenseTexts.length > 0) lines.push('', ...licenseTexts);
  return `${lines.join('\n')}\n`;
}

function projectTitle(project: Project): string {
  const name = project.name === undefined ? '' : clean(project.name, 100);
  const version = project.version === undefined ? '' : ` ${clean(project.version, 60)}`;
  const id = clean(project.id, 200);
  return name === '' ? id : `${name}${version} (${id})`;
}

/** Components by concluded expression, in code-unit order, the components without one last. */
function groupByLicense(components: readonly Component[]): [string, Component[]][] {
  const groups = new Map<string, Component[]>();
  for (const component of components) {
    const expression = component.license.expression;
    const parsed = expression === undefined ? undefined : parseSpdxExpression(expression);
    const key = expression === undefined ? NO_LICENSE : clean(parsed?.ok ? parsed.expression : expression);
    let members = groups.get(key);
    if (!members) groups.set(key, (members = []));
    members.push(component);
  }
  const rank = (key: string) => (key === NO_LICENSE ? 1 : 0);
  return [...groups].sort((a, b) => rank(a[0]) - rank(b[0]) || compareCodeUnits(a[0], b[0]));
}

function groupLines(license: string, members: readonly Component[]): string[] {
  const lines = [
    HEAVY_RULE,
    license === NO_LICENSE ? 'Components without a known license' : license,
    HEAVY_RULE,
  ];
  if (license === NO_LICENSE) {
    lines.push(
      '',
      'The inventory has no license for these components, so no license text is included for',
      "them: find each one's license in its source before distributing it.",
    );
  }
  const sorted = [...members].sort(
    (a, b) => compareCodeUnits(packageName(a), packageName(b)) || compareCodeUnits(a.purl, b.purl),
  );
  for (const component of sorted) lines.push('', ...componentLines(component, license === NO_LICENSE));
  return lines;
}

function componentLines(component: Component, unknown: boolean): string[] {
  const lines = [`  ${clean(packageName(component), 200)} ${clean(component.version, 100)}`];
  lines.push(`    ${clean(component.purl, 300)}`);
  const source = sourceUrl(component);
  if (source) lines.push(`    ${clean(source, 300)}`);
  if (unknown) lines.push(`    ${unknownText(component)}`);
  return lines;
}

function sourceUrl(component: Component): string | undefined {
  const registry = component.registry?.status === 'found' ? component.registry : undefined;
  return registry?.repository?.url ?? registry?.homepage;
}

function unknownText(component: Component): string {
  const { declared, reason } = component.license;
  const said =
    declared.length === 0
      ? 'nothing declared'
      : `declared ${declared.map((d) => `"${clean(d, 100)}"`).join(', ')}`;
  return reason ? `${said}: ${clean(reason, 300)}` : said;
}

/** Each license and exception of the shipped components' expressions, with its full text or why there is none. */
function licenseTextLines(components: readonly Component[], texts: LicenseTexts): string[] {
  const terms = new Map<string, { kind: 'license' | 'exception'; declaredBy: Set<string> }>();
  for (const component of components) {
    const expression = component.license.expression;
    if (expression === undefined) continue;
    const parsed = parseSpdxExpression(expression);
    if (!parsed.ok) continue;
    // `GPL-2.0+` needs the GPL-2.0 text: an or-later license is the same text with a wider grant.
    for (const license of spdxLicenses(parsed.node)) {
      note(terms, license.id, 'license', component);
      if (license.exception !== undefined) note(terms, license.exception, 'exception', component);
    }
  }
  if (terms.size === 0) return [];
  const lines = [HEAVY_RULE, 'LICENSE TEXTS', HEAVY_RULE];
  for (const [id, term] of [...terms].sort((a, b) => compareCodeUnits(a[0], b[0]))) {
    // a LicenseRef- is by definition not on the SPDX list
    const body = id.includes('LicenseRef-')
      ? undefined
      : term.kind === 'license'
        ? texts.license(id)
        : texts.exception(id);
    lines.push('', LIGHT_RULE, clean(id), LIGHT_RULE, '');
    if (body !== undefined) lines.push(body.trimEnd());
    else lines.push(...missingTextLines(id, term.kind, [...term.declaredBy].sort(compareCodeUnits)));
  }
  return lines;
}

function note(
  terms: Map<string, { kind: 'license' | 'exception'; declaredBy: Set<string> }>,
  id: string,
  kind: 'license' | 'exception',
  component: Component,
): void {
  let term = terms.get(id);
  if (!term) terms.set(id, (term = { kind, declaredBy: new Set() }));
  const { unmapped, declared } = component.license;
  for (const value of unmapped !== undefined && unmapped.length > 0 ? unmapped : declared) {
    term.declaredBy.add(value);
  }
}

function missingTextLines(id: string, kind: 'license' | 'exception', declared: readonly string[]): string[] {
  if (id === 'LicenseRef-UNLICENSED') {
    return [
      'No license text: the author declares the package UNLICENSED (npm), that is not licensed',
      "for use by others. Shipping it needs the author's permission.",
    ];
  }
  if (id.startsWith('LicenseRef-')) {
    const values = declared.slice(0, 5).map((d) => `"${clean(d, 100)}"`);
    const more = declared.length > 5 ? ` and ${declared.length - 5} more` : '';
    return [
      'No license text: this is not a license of the SPDX list, and the inventory only has what',
      `the components declare${values.length > 0 ? ` (${values.join(', ')}${more})` : ''}. Find the`,
      'license text in the source of the components listed under it.',
    ];
  }
  return [
    `No text: the SPDX license list installed with oss-inventory has no text for this ${kind};`,
    `read it at https://spdx.org/licenses/${encodeURIComponent(id)}.html`,
  ];
}
