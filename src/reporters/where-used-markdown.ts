import type { WhereUsedPackage } from '../core/where-used.js';
import { code, text } from './diff-common.js';
import { howText, noMatchText, type WhereUsedReport } from './where-used-text.js';

/**
 * Where-used as GitHub-flavoured Markdown: one table per package, one row per project using a version.
 * Identifiers are code spans, free text is escaped.
 */
export function renderWhereUsedMarkdown(report: WhereUsedReport): string {
  const { result } = report;
  const title = `## Where ${code(result.query, false)} is used`;
  if (result.packages.length === 0) {
    return `${[
      title,
      ...noMatchText(report)
        .split('\n')
        .map((line) => text(line)),
    ].join('\n\n')}\n`;
  }
  const out = [title, ''];
  for (const pkg of result.packages) out.push(...packageTable(pkg), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function packageTable(pkg: WhereUsedPackage): string[] {
  const rows = [
    `### ${code(pkg.display, false)} (${pkg.ecosystem}): ${pkg.versions.length} version${pkg.versions.length === 1 ? '' : 's'}, ` +
      `${pkg.projects.length} project${pkg.projects.length === 1 ? '' : 's'}`,
    '',
    '| Version | License | Project | Scopes | How | Declared at |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const version of pkg.versions) {
    const license =
      (version.license === undefined ? 'no license' : code(version.license)) +
      (version.category ? ` (${version.category})` : '');
    for (const usage of version.usages) {
      const where = usage.declaredAt
        ? code(`${usage.declaredAt.file}:${usage.declaredAt.line}`)
        : `${code(usage.manifest)}`;
      rows.push(
        `| ${code(version.version)}${version.locked ? '' : ' (not locked)'} | ${license} | ${code(usage.project)} | ` +
          `${usage.scopes.join(', ')} | ${code(howText(usage))} | ${where} |`,
      );
    }
  }
  return rows;
}
