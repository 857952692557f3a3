/**
 * The report's summary: figures computed from the inventory (and the check result), rendered as static
 * HTML that needs no script. Lists are cut to their top entries; the tables below hold everything.
 */
import {
  LICENSE_CATEGORIES,
  type Component,
  type Ecosystem,
  type HealthClass,
  type Inventory,
  type LicenseCategory,
  type Problem,
  type Project,
  type Severity,
} from '../../core/model.js';
import type { CheckResult } from '../../core/policy-model.js';
import { firstWayOut, healthCounts, optionTarget, planBQueue } from '../report-values.js';
import {
  CATEGORY_STYLE,
  HEALTH_STYLE,
  WATCHED_CATEGORIES,
  categoryOf,
  componentName,
  projectCount,
} from './categories.js';
import { compareText, escapeHtml, formatCount, formatShare, plural, shorten } from './escape.js';
import { barChart } from './svg.js';

const TOP = 10;
const TOP_UNKNOWN = 15;
const TOP_CONFLICTS = 50;
const TOP_PLAN_B = 15;
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

interface Exposure {
  component: Component;
  projects: number;
}

export interface Summary {
  projects: number;
  projectsByEcosystem: Map<Ecosystem, number>;
  components: number;
  componentsByEcosystem: Map<Ecosystem, number>;
  direct: number;
  categories: { category: LicenseCategory; count: number }[];
  licenses: { expression: string; count: number }[];
  distinctLicenses: number;
  unknown: Exposure[];
  conflicts: Project[];
  exposures: Exposure[];
  watched: Exposure[];
  watchedTotal: number;
  problems: Record<Severity, number>;
  problemCodes: { severity: Severity; code: string; count: number; example: string }[];
  /** Set when the inventory has health. */
  health?: HealthSummary;
}

export interface HealthSummary {
  /** Components per class, the worst first, classes with none left out. */
  classes: [HealthClass, number][];
  assessed: number;
  unassessed: number;
  /** The components that need a plan B (EOL, ABANDONED, AT_RISK), highest priority first. */
  queue: Component[];
  /** How many of them have an option of confidence curated or better. */
  curated: number;
}

export function computeSummary(inventory: Inventory): Summary {
  const exposures = inventory.components
    .map((component) => ({ component, projects: projectCount(component) }))
    .sort(byExposure);
  const categoryCounts = new Map<LicenseCategory, number>();
  const licenseCounts = new Map<string, number>();
  for (const c of inventory.components) {
    const category = categoryOf(c);
    categoryCounts.set(category, (categoryCounts.get(category) ?? 0) + 1);
    if (c.license.expression)
      licenseCounts.set(c.license.expression, (licenseCounts.get(c.license.expression) ?? 0) + 1);
  }
  const watched = exposures.filter((e) => WATCHED_CATEGORIES.has(categoryOf(e.component)));
  const { classes, unassessed } = healthCounts(inventory.components);
  const summary: Summary = {
    projects: inventory.projects.length,
    projectsByEcosystem: countBy(inventory.projects, (p) => p.ecosystem),
    components: inventory.components.length,
    componentsByEcosystem: countBy(inventory.components, (c) => c.ecosystem),
    direct: inventory.components.filter((c) => c.direct).length,
    categories: LICENSE_CATEGORIES.map((category) => ({
      category,
      count: categoryCounts.get(category) ?? 0,
    })),
    licenses: [...licenseCounts]
      .map(([expression, count]) => ({ expression, count }))
      .sort((a, b) => b.count - a.count || compareText(a.expression, b.expression)),
    distinctLicenses: licenseCounts.size,
    unknown: exposures.filter((e) => categoryOf(e.component) === 'unknown'),
    conflicts: inventory.projects.filter((p) => p.license?.conflict),
    exposures: exposures.slice(0, TOP),
    watched: watched.slice(0, TOP),
    watchedTotal: watched.length,
    problems: {
      error: inventory.problems.filter((p) => p.severity === 'error').length,
      warning: inventory.problems.filter((p) => p.severity === 'warning').length,
      info: inventory.problems.filter((p) => p.severity === 'info').length,
    },
    problemCodes: problemCodes(inventory.problems),
  };
  if (classes.length > 0) {
    const assessed = inventory.components.length - unassessed;
    summary.health = { classes, assessed, unassessed, ...planBQueue(inventory.components) };
  }
  return summary;
}

function byExposure(a: Exposure, b: Exposure): number {
  return b.projects - a.projects || compareText(a.component.purl, b.component.purl);
}

function countBy<T, K>(items: T[], key: (item: T) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function problemCodes(problems: Problem[]): Summary['problemCodes'] {
  const byCode = new Map<string, Summary['problemCodes'][number]>();
  for (const p of problems) {
    const key = `${p.severity} ${p.code}`;
    const entry = byCode.get(key);
    if (entry) entry.count++;
    else byCode.set(key, { severity: p.severity, code: p.code, count: 1, example: p.message });
  }
  return [...byCode.values()].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      b.count - a.count ||
      compareText(a.code, b.code),
  );
}

// ---------------------------------------------------------------------------------------------------
// rendering

function figure(id: string, label: string, value: number, sub: string, href?: string): string {
  const number = `<span class="big" id="${id}">${formatCount(value)}</span>`;
  return (
    `<div class="figure"><dt>${escapeHtml(label)}</dt><dd>${href ? `<a href="${href}">${number}</a>` : number}` +
    `${sub ? `<span class="sub">${sub}</span>` : ''}</dd></div>`
  );
}

function ecosystemSplit(counts: Map<Ecosystem, number>): string {
  return [...counts]
    .sort(([a], [b]) => compareText(a, b))
    .map(
      ([ecosystem, count]) =>
        `${formatCount(count)} ${ecosystem === 'maven' ? 'Maven' : escapeHtml(ecosystem)}`,
    )
    .join(' · ');
}

export function renderGlance(summary: Summary, check: CheckResult | undefined): string {
  const unknown = summary.unknown.length;
  const figures = [
    figure(
      'fig-projects',
      'Projects',
      summary.projects,
      ecosystemSplit(summary.projectsByEcosystem),
      '#projects',
    ),
    figure(
      'fig-components',
      'Components',
      summary.components,
      `${formatCount(summary.direct)} direct · ${formatCount(summary.components - summary.direct)} transitive` +
        (summary.componentsByEcosystem.size > 1
          ? `<br>${ecosystemSplit(summary.componentsByEcosystem)}`
          : ''),
      '#components',
    ),
    figure(
      'fig-licenses',
      'Distinct licenses',
      summary.distinctLicenses,
      `${formatCount(summary.categories.find((c) => c.category === 'permissive')?.count ?? 0)} permissive components`,
      '#licenses',
    ),
    figure(
      'fig-unknown',
      'Unknown licenses',
      unknown,
      `${formatShare(unknown, summary.components)} of the components`,
      '#unknown-licenses',
    ),
    figure(
      'fig-conflicts',
      'License conflicts',
      summary.conflicts.length,
      'projects whose licenses disagree',
      '#conflicts',
    ),
  ];
  if (summary.health) {
    const { queue, curated } = summary.health;
    figures.push(
      figure(
        'fig-planb',
        'Need a plan B',
        queue.length,
        `end of life, abandoned or at risk<br>${formatCount(curated)} with a curated or better option`,
        '#health',
      ),
    );
  }
  if (check) {
    const errors = check.violations.filter((v) => v.severity === 'error').length;
    figures.push(
      figure(
        'fig-violations',
        'Policy violations',
        check.violations.length,
        `${formatCount(errors)} errors · ${formatCount(check.violations.length - errors)} to review` +
          `<br>${formatCount(check.waived.length)} waived · ${formatCount(check.preexisting.length)} already there`,
        '#policy',
      ),
    );
  }
  const { error, warning, info } = summary.problems;
  figures.push(
    figure(
      'fig-problems',
      'Problems',
      error + warning + info,
      `${formatCount(error)} errors · ${formatCount(warning)} warnings · ${formatCount(info)} notes`,
      '#problems',
    ),
  );
  return section('summary', 'At a glance', `<dl class="figures">${figures.join('')}</dl>`);
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(title)}</h2>${body}</section>`;
}

function table(
  caption: string,
  headers: string[],
  rows: string[][],
  numeric: ReadonlySet<number> = new Set(),
  narrow = false,
): string {
  const head = headers.map(
    (h) => `<th scope="col"${numeric.has(headers.indexOf(h)) ? ' class="num"' : ''}>${h}</th>`,
  );
  const body = rows.map(
    (cells) =>
      `<tr>${cells
        .map((cell, i) =>
          i === 0
            ? `<th scope="row">${cell}</th>`
            : `<td${numeric.has(i) ? ' class="num"' : ''}>${cell}</td>`,
        )
        .join('')}</tr>`,
  );
  return (
    `<div class="table-scroll"><table${narrow ? ' class="narrow"' : ''}><caption>${escapeHtml(caption)}</caption>` +
    `<thead><tr>${head.join('')}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table></div>`
  );
}

/** A health class as a badge, its reasons' messages (when given) as its tooltip. */
export function healthBadge(health: HealthClass, title?: string): string {
  const label = Object.hasOwn(HEALTH_STYLE, health) ? HEALTH_STYLE[health].label : health;
  return (
    `<span class="health health-${escapeHtml(health)}"${title ? ` title="${escapeHtml(title)}"` : ''}>` +
    `${escapeHtml(label)}</span>`
  );
}

export function categoryBadge(category: LicenseCategory): string {
  return `<span class="cat cat-${category}">${escapeHtml(CATEGORY_STYLE[category].label)}</span>`;
}

function more(shown: number, total: number, where: string): string {
  return total > shown ? `<p class="more">and ${formatCount(total - shown)} more: ${where}.</p>` : '';
}

function componentLabel(component: Component): string {
  return `${componentName(component)} ${component.version}`.trim();
}

export function renderLicenses(summary: Summary): string {
  const total = summary.components;
  const categoryRows = summary.categories.map(({ category, count }) => [
    categoryBadge(category),
    `<span id="cat-count-${category}">${formatCount(count)}</span>`,
    formatShare(count, total),
  ]);
  const chart = barChart(
    'chart-categories',
    'Components by license category',
    summary.categories.map((c) => `${CATEGORY_STYLE[c.category].label}: ${formatCount(c.count)}`).join('; '),
    summary.categories.map(({ category, count }) => ({
      label: CATEGORY_STYLE[category].label,
      value: count,
      color: CATEGORY_STYLE[category].color,
    })),
  );
  const topLicenses = summary.licenses
    .slice(0, TOP)
    .map(({ expression, count }) => [
      `<code>${escapeHtml(expression)}</code>`,
      formatCount(count),
      formatShare(count, total),
    ]);
  const unknownRows = summary.unknown
    .slice(0, TOP_UNKNOWN)
    .map(({ component, projects }) => [
      escapeHtml(componentLabel(component)),
      component.license.declared.length
        ? component.license.declared.map((d) => `<code>${escapeHtml(shorten(d, 80))}</code>`).join(', ')
        : '<em>nothing declared</em>',
      escapeHtml(shorten(component.license.reason ?? '', 160)),
      formatCount(projects),
    ]);
  const conflictRows = summary.conflicts
    .slice(0, TOP_CONFLICTS)
    .map((p) => [
      escapeHtml(p.name ? `${p.name} (${p.id})` : p.id),
      `<code>${escapeHtml(p.license?.expression ?? '')}</code>`,
      escapeHtml(p.license?.conflict ?? ''),
    ]);
  return section(
    'licenses',
    'Licenses',
    `<div class="pair"><div>${table('Components by license category', ['Category', 'Components', 'Share'], categoryRows, new Set([1, 2]))}</div>` +
      `<figure>${chart}<figcaption>Components by license category</figcaption></figure></div>` +
      `<div class="pair"><div>${table(
        `Most common licenses (${formatCount(summary.distinctLicenses)} distinct)`,
        ['License', 'Components', 'Share'],
        topLicenses,
        new Set([1, 2]),
      )}</div>` +
      `<div id="conflicts"><h3>License conflicts</h3>` +
      (conflictRows.length
        ? table(
            'Projects whose declared and detected licenses disagree',
            ['Project', 'License', 'Conflict'],
            conflictRows,
          ) + more(conflictRows.length, summary.conflicts.length, 'see the projects table')
        : '<p>No project has a license conflict.</p>') +
      `</div></div>` +
      `<div id="unknown-licenses"><h3>Unknown licenses</h3>` +
      (unknownRows.length
        ? table(
            'Components whose license could not be concluded, most used first',
            ['Component', 'Declared', 'Why', 'Projects'],
            unknownRows,
            new Set([3]),
          ) +
          more(
            unknownRows.length,
            summary.unknown.length,
            'filter the components table by the Unknown category',
          )
        : '<p>Every component has a known license.</p>') +
      `</div>`,
  );
}

function exposureRows(exposures: Exposure[]): string[][] {
  return exposures.map(({ component, projects }) => [
    escapeHtml(componentLabel(component)),
    `<code>${escapeHtml(component.license.expression ?? '')}</code> ${categoryBadge(categoryOf(component))}`,
    formatCount(projects),
  ]);
}

export function renderExposures(summary: Summary): string {
  const chart = barChart(
    'chart-exposures',
    'Most used components',
    summary.exposures
      .map((e) => `${componentLabel(e.component)}: ${plural(e.projects, 'project')}`)
      .join('; '),
    summary.exposures.map(({ component, projects }) => {
      const category = categoryOf(component);
      return {
        label: componentLabel(component),
        value: projects,
        color: CATEGORY_STYLE[category].color,
        detail: `${component.license.expression ?? 'no license'}, ${CATEGORY_STYLE[category].label.toLowerCase()}`,
      };
    }),
  );
  const headers = ['Component', 'License', 'Projects'];
  return section(
    'exposures',
    'Top exposures',
    '<p>The components used by the most projects: what a vulnerability, a license change or an abandoned maintainer would hit hardest. Bars take the colour of the license category.</p>' +
      `<div class="pair"><figure>${chart}<figcaption>Most used components, by number of projects</figcaption></figure>` +
      `<div>${table('Most used components', headers, exposureRows(summary.exposures), new Set([2]))}</div></div>` +
      (summary.watched.length
        ? table(
            'Most used components whose license calls for a look (copyleft, proprietary or unknown)',
            headers,
            exposureRows(summary.watched),
            new Set([2]),
          ) + more(summary.watched.length, summary.watchedTotal, 'see the components table')
        : '<p>No component has a copyleft, proprietary or unknown license.</p>'),
  );
}

/**
 * Components per health class (table and chart), then the components that need a plan B, the highest
 * priority first, with the first way out of each.
 */
export function renderHealth(health: HealthSummary): string {
  const { classes, assessed, unassessed, queue, curated } = health;
  const classRows = classes.map(([h, count]) => [
    healthBadge(h),
    `<span id="health-count-${h}">${formatCount(count)}</span>`,
    formatShare(count, assessed),
  ]);
  const chart = barChart(
    'chart-health',
    'Components by maintainer health',
    classes.map(([h, count]) => `${HEALTH_STYLE[h].label}: ${formatCount(count)}`).join('; '),
    classes.map(([h, count]) => ({
      label: HEALTH_STYLE[h].label,
      value: count,
      color: HEALTH_STYLE[h].color,
    })),
  );
  const queueRows = queue.slice(0, TOP_PLAN_B).map((component) => {
    const option = firstWayOut(component.planB);
    const way = option
      ? `${escapeHtml(option.kind)} <code>${escapeHtml(shorten(optionTarget(option), 120))}</code> ` +
        `<span class="muted">(${escapeHtml(option.confidence)})</span>` +
        (option.flags ?? []).map((f) => ` <span class="tag">${escapeHtml(f)}</span>`).join('')
      : `<span class="muted">${escapeHtml(component.planB ? component.planB.status.replace(/-/g, ' ') : 'not assessed')}</span>`;
    return [
      escapeHtml(componentLabel(component)),
      healthBadge(
        component.health!.class,
        shorten(component.health!.reasons.map((r) => `${r.code}: ${r.message}`).join('\n'), 1000),
      ),
      escapeHtml(shorten(component.health!.reasons.map((r) => r.code).join(', '), 200)),
      formatCount(projectCount(component)),
      way,
    ];
  });
  return section(
    'health',
    'Maintainer health and plan B',
    `<div class="pair"><div>${table('Components by maintainer health', ['Health', 'Components', 'Share'], classRows, new Set([1, 2]))}` +
      (unassessed > 0
        ? `<p class="more">${plural(unassessed, 'component was', 'components were')} not assessed.</p>`
        : '') +
      `</div><figure>${chart}<figcaption>Components by maintainer health</figcaption></figure></div>` +
      (queue.length
        ? `<p><span id="planb-needed">${formatCount(queue.length)}</span> ${queue.length === 1 ? 'component needs' : 'components need'} ` +
          `a plan B (end of life, abandoned or at risk); <span id="planb-curated">${formatCount(curated)}</span> of them ` +
          `${curated === 1 ? 'has' : 'have'} an option of confidence curated or better.</p>` +
          table(
            'Components that need a plan B, highest priority first',
            ['Component', 'Health', 'Reasons', 'Projects', 'First way out'],
            queueRows,
            new Set([3]),
          ) +
          more(queueRows.length, queue.length, 'filter the components table by health')
        : '<p>No component needs a plan B: none is end of life, abandoned or at risk.</p>'),
  );
}

export function renderProblemSummary(summary: Summary): string {
  const rows = summary.problemCodes.map((p) => [
    `<code>${escapeHtml(p.code)}</code>`,
    escapeHtml(p.severity),
    formatCount(p.count),
    escapeHtml(shorten(p.example, 200)),
  ]);
  return rows.length
    ? table('Problems by code', ['Code', 'Severity', 'Count', 'Example'], rows, new Set([2]))
    : '<p>No problem was met: every manifest was read and resolved.</p>';
}

export function renderPolicySummary(check: CheckResult): string {
  const errors = check.violations.filter((v) => v.severity === 'error').length;
  const rows = [
    ['Errors (fail the check)', formatCount(errors)],
    ['To review (warnings)', formatCount(check.violations.length - errors)],
    ['Waived', formatCount(check.waived.length)],
    ['Already there (in the base inventory)', formatCount(check.preexisting.length)],
    ['Components checked', formatCount(check.components)],
  ];
  return (
    `<p>Checked against <code>${escapeHtml(check.policy)}</code> on ${escapeHtml(check.checkedAt.slice(0, 10))}.</p>` +
    table('Policy check', ['Outcome', 'Count'], rows, new Set([1]), true)
  );
}
