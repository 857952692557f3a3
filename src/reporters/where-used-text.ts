import { clean } from '../check/sanitize.js';
import type {
  WhereUsedPackage,
  WhereUsedResult,
  WhereUsedUsage,
  WhereUsedVersion,
} from '../core/where-used.js';

/** A where-used answer to render, with the inventory it was read from. */
export interface WhereUsedReport {
  result: WhereUsedResult;
  inventoryFile: string;
  components: number;
}

/**
 * Where-used for a terminal: per package, its versions oldest first with their license, and under each the
 * projects that use it: scopes, direct (with the range requested) or the dependency path that brings it in,
 * and the manifest line that declares it. Nothing found: says so, with close names.
 */
export function renderWhereUsedText(report: WhereUsedReport): string {
  const { result } = report;
  if (result.packages.length === 0) return `${noMatchText(report)}\n`;
  const blocks = result.packages.map((pkg) => packageLines(pkg).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

/** `No component matches "lodahs" in inventory.json (4 components). Did you mean: lodash?` */
export function noMatchText(report: WhereUsedReport): string {
  const { result } = report;
  const head = `No component matches "${clean(result.query)}" in ${clean(report.inventoryFile)} (${plural(report.components, 'component')}).`;
  if (result.suggestions.length === 0) return head;
  return `${head}\nDid you mean: ${result.suggestions.map((s) => clean(s)).join(', ')}?`;
}

function packageLines(pkg: WhereUsedPackage): string[] {
  const lines = [
    `${clean(pkg.display)} (${pkg.ecosystem}): ${plural(pkg.versions.length, 'version')}, ` +
      `used by ${plural(pkg.projects.length, 'project')}`,
  ];
  for (const version of pkg.versions) {
    lines.push(`  ${versionHead(version)}`);
    for (const usage of version.usages) lines.push(`    ${usageText(usage)}`);
  }
  return lines;
}

function versionHead(version: WhereUsedVersion): string {
  const license = version.license === undefined ? 'no license' : clean(version.license);
  const category = version.category ? ` (${version.category})` : '';
  const locked = version.locked ? '' : ' (not locked)';
  return `${clean(version.version)}${locked}  ${license}${category}  ${clean(version.purl)}`;
}

/** `acme:web  runtime  direct ^4.17.21  package.json:12`, `acme:web  dev  via jest@29.0.0 > ...  package.json:30`. */
export function usageText(usage: WhereUsedUsage): string {
  const where = usage.declaredAt
    ? `declared at ${clean(usage.declaredAt.file)}:${usage.declaredAt.line}`
    : `in ${clean(usage.manifest)}`;
  return `${clean(usage.project)}  ${usage.scopes.join(', ') || 'no scope'}  ${clean(howText(usage))}  ${where}`;
}

/** `direct ^1.2.0`, or the path between the project and the component: `via a@1.0.0 > b@2.0.0`. */
export function howText(usage: WhereUsedUsage): string {
  if (usage.direct) return usage.requested === undefined ? 'direct' : `direct ${usage.requested}`;
  const between = usage.path.slice(1, -1);
  return between.length === 0 ? 'transitive' : `via ${between.join(' > ')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
