/**
 * The HTML report: one self-contained file for people. The summary (figures, license categories, top
 * exposures, maintainer health and the components that need a plan B, policy outcome, changes since a
 * previous inventory, problems by code) is static HTML with inline SVG charts, readable without script;
 * the tables of components, projects, violations and problems are rendered by an inline script from the
 * data embedded once as JSON, one page of rows at a time.
 *
 * Nothing is fetched when the page is viewed: CSS and script are inline, and a Content-Security-Policy
 * allows only those two (by hash), so it works from a file:// URL and as a CI artifact. Pure and
 * deterministic: the same inventory (and options) gives the same bytes; all text is escaped.
 */
import { createHash } from 'node:crypto';
import type { InventoryDiff } from '../core/diff.js';
import type { Inventory } from '../core/model.js';
import type { CheckResult } from '../core/policy-model.js';
import { renderChanges } from './html/changes.js';
import { CLIENT_SCRIPT } from './html/client.js';
import { buildReportData } from './html/data.js';
import { escapeHtml, formatTime, jsonForScript } from './html/escape.js';
import { STYLES } from './html/styles.js';
import {
  computeSummary,
  renderExposures,
  renderGlance,
  renderHealth,
  renderLicenses,
  renderPolicySummary,
  renderProblemSummary,
  section,
} from './html/summary.js';

export interface HtmlOptions {
  /** What changed since an earlier inventory. */
  changes?: InventoryDiff;
  /** The policy check of this inventory: the report shows its violations. */
  check?: CheckResult;
}

const NO_SCRIPT =
  '<noscript><p>This table needs JavaScript; the summary above does not. The same data is in inventory.json.</p></noscript>';

export function renderHtml(inventory: Inventory, options: HtmlOptions = {}): string {
  const { changes, check } = options;
  const summary = computeSummary(inventory);
  const subjects = inventory.subjects.map((s) => s.name).join(', ') || 'nothing scanned';
  const sections: [string, string, string][] = [
    ['summary', 'Summary', renderGlance(summary, check)],
    ['licenses', 'Licenses', renderLicenses(summary)],
    ['exposures', 'Exposures', renderExposures(summary)],
  ];
  if (summary.health) sections.push(['health', 'Health', renderHealth(summary.health)]);
  if (changes) sections.push(['changes', 'Changes', section('changes', 'Changes', renderChanges(changes))]);
  if (check) {
    sections.push([
      'policy',
      'Policy',
      section('policy', 'Policy violations', renderPolicySummary(check) + tableApp('violations')),
    ]);
  }
  sections.push(
    [
      'components',
      'Components',
      section(
        'components',
        'Components',
        '<p>Every third-party component, with its license and the evidence for it, and every project that uses it. ' +
          'Search, filter and sort; open a row for the details.</p>' +
          tableApp('components'),
      ),
    ],
    ['projects', 'Projects', section('projects', 'Projects', tableApp('projects'))],
    [
      'problems',
      'Problems',
      section(
        'problems',
        'Problems',
        renderProblemSummary(summary) + (inventory.problems.length ? tableApp('problems') : ''),
      ),
    ],
  );

  const style = STYLES;
  const script = CLIENT_SCRIPT;
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(style)}'`,
    `script-src '${sha256(script)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `Open source inventory: ${subjects}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(`${inventory.tool.name} ${inventory.tool.version}`)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to the content</a>',
    `<header class="top"><div class="wrap"><h1>Open source inventory</h1><p>${escapeHtml(subjects)} · ` +
      `${escapeHtml(formatTime(inventory.generatedAt))}${inventory.run.offline ? ' · scanned offline' : ''}</p></div></header>`,
    `<nav class="sections" aria-label="Sections"><div class="wrap"><ul>${sections
      .map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`)
      .join('')}</ul></div></nav>`,
    `<main id="main" tabindex="-1"><div class="wrap">${sections.map(([, , html]) => html).join('\n')}</div></main>`,
    `<footer><div class="wrap">Made by ${escapeHtml(`${inventory.tool.name} ${inventory.tool.version}`)} from an inventory ` +
      `of schema ${escapeHtml(inventory.schemaVersion)}. This page needs no network: everything it shows is in it.</div></footer>`,
    `<script type="application/json" id="report-data">${jsonForScript(buildReportData(inventory, check))}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function tableApp(id: string): string {
  return `<div class="table-app" id="${id}-app">${NO_SCRIPT}</div>`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
