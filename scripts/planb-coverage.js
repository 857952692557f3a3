// Plan-B coverage of inventories: of the components that need a plan B (EOL, ABANDONED, AT_RISK), how many
// have at least one option of confidence curated or better (authoritative, or curated: our catalog and the
// organisation's decisions), per class and per ecosystem, against the goal of 90% of the EOL and ABANDONED
// ones; and the packages left uncovered that matter most (highest plan-B priority, then most projects).
//
//   node scripts/planb-coverage.js [--json] [--top N] INVENTORY.json...
//
// Components are counted once per purl (the first inventory that holds one wins); the uncovered list groups
// a package's versions.
import { plain, runInventoryScript } from './lib/inventory-script.js';

export const NEEDING = ['EOL', 'ABANDONED', 'AT_RISK'];
const STRONG = new Set(['authoritative', 'curated']);
const GOAL = 0.9;
const USAGE = 'usage: node scripts/planb-coverage.js [--json] [--top N] INVENTORY.json...';

/** Whether the component has an option of confidence curated or better. */
export function covered(component) {
  return (component.planB?.options ?? []).some((o) => STRONG.has(o.confidence));
}

function packageName(component) {
  return component.group
    ? `${component.group}${component.ecosystem === 'maven' ? ':' : '/'}${component.name}`
    : component.name;
}

function cell() {
  return { needing: 0, covered: 0, inferred: 0 };
}

/** The counts per class and per ecosystem, and the uncovered packages sorted by exposure. */
export function coverage(list) {
  const byClass = new Map(NEEDING.map((c) => [c, cell()]));
  const byEcosystem = new Map();
  const uncovered = new Map();
  let withoutPlanB = 0;
  for (const component of list) {
    const cls = component.health?.class;
    if (!NEEDING.includes(cls)) continue;
    if (!component.planB) withoutPlanB++;
    const perClass = byEcosystem.get(component.ecosystem) ?? new Map(NEEDING.map((c) => [c, cell()]));
    byEcosystem.set(component.ecosystem, perClass);
    const isCovered = covered(component);
    const hasInferred = (component.planB?.options ?? []).some((o) => o.confidence === 'inferred');
    for (const counts of [byClass.get(cls), perClass.get(cls)]) {
      counts.needing++;
      if (isCovered) counts.covered++;
      else if (hasInferred) counts.inferred++;
    }
    if (isCovered) continue;
    const key = `${component.ecosystem} ${packageName(component)}`;
    const entry = uncovered.get(key) ?? {
      ecosystem: component.ecosystem,
      package: packageName(component),
      class: cls,
      versions: [],
      priority: 0,
      projects: 0,
      reasons: new Set(),
    };
    entry.versions.push(component.version);
    entry.priority = Math.max(entry.priority, component.health.priority ?? 0);
    entry.projects = Math.max(entry.projects, component.health.exposure?.projects ?? 0);
    if (NEEDING.indexOf(cls) < NEEDING.indexOf(entry.class)) entry.class = cls;
    for (const r of component.health.reasons ?? []) {
      if (r.code !== 'repository-signals-missing') entry.reasons.add(r.code);
    }
    uncovered.set(key, entry);
  }
  const top = [...uncovered.values()]
    .map((e) => ({ ...e, reasons: [...e.reasons] }))
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        b.projects - a.projects ||
        NEEDING.indexOf(a.class) - NEEDING.indexOf(b.class) ||
        a.package.localeCompare(b.package),
    );
  return { byClass, byEcosystem, uncovered: top, withoutPlanB };
}

function sum(cells) {
  return cells.reduce(
    (a, c) => ({
      needing: a.needing + c.needing,
      covered: a.covered + c.covered,
      inferred: a.inferred + c.inferred,
    }),
    cell(),
  );
}

function share(n, total) {
  return total === 0 ? '-' : `${((100 * n) / total).toFixed(1)}%`;
}

function show(c) {
  return c.needing === 0 ? '0' : `${c.covered}/${c.needing} (${share(c.covered, c.needing)})`;
}

function print(d, top) {
  const lines = [];
  const ecosystems = [...d.byEcosystem.keys()].sort();
  const all = sum([...d.byClass.values()]);
  const dying = sum(['EOL', 'ABANDONED'].map((c) => d.byClass.get(c)));
  lines.push(
    'components needing a plan B, and how many have an option of confidence curated or better:',
    '',
    `| class | all | ${ecosystems.join(' | ')} |`,
    `|---|---:|${ecosystems.map(() => '---:').join('|')}|`,
  );
  const row = (label, total, pick) =>
    lines.push(
      `| ${label} | ${show(total)} | ${ecosystems.map((e) => show(pick(d.byEcosystem.get(e)))).join(' | ')} |`,
    );
  for (const cls of NEEDING) row(cls, d.byClass.get(cls), (m) => m.get(cls));
  row('EOL + ABANDONED', dying, (m) => sum([m.get('EOL'), m.get('ABANDONED')]));
  row('all three', all, (m) => sum([...m.values()]));
  lines.push(
    '',
    `goal: ${GOAL * 100}% of the EOL and ABANDONED components; reached ${share(dying.covered, dying.needing)}` +
      ` (${dying.covered >= GOAL * dying.needing ? 'met' : 'not met'})`,
    `only an inferred option (an active fork): ${all.inferred}`,
  );
  if (d.withoutPlanB > 0) lines.push(`no planB field (made before plan B existed): ${d.withoutPlanB}`);
  lines.push(
    '',
    `top ${Math.min(top, d.uncovered.length)} of ${d.uncovered.length} uncovered packages by exposure:`,
  );
  lines.push(
    '| ecosystem | package | class | priority | projects | versions | reasons |',
    '|---|---|---|---:|---:|---|---|',
  );
  for (const e of d.uncovered.slice(0, top)) {
    lines.push(
      `| ${e.ecosystem} | ${e.package} | ${e.class} | ${e.priority} | ${e.projects} | ${e.versions.join(', ')} | ${e.reasons.join(', ')} |`,
    );
  }
  return lines.join('\n');
}

runInventoryScript({
  url: import.meta.url,
  usage: USAGE,
  defaultTop: 25,
  summarise: coverage,
  json: (d, options) => ({
    byClass: plain(d.byClass),
    byEcosystem: Object.fromEntries([...d.byEcosystem].map(([e, m]) => [e, plain(m)])),
    uncovered: d.uncovered.slice(0, options.top),
    uncoveredPackages: d.uncovered.length,
    withoutPlanB: d.withoutPlanB,
  }),
  text: (d, options) => print(d, options.top),
});
