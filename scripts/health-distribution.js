// Health distribution of inventories: the share of components in each class (overall and per ecosystem),
// why each UNKNOWN component is unknown, and how far the signals went (source repositories found, their
// confidence, repository signals read or missing and why).
//
//   node scripts/health-distribution.js [--json] INVENTORY.json...
//
// Components are counted once per purl (the first inventory that holds one wins). A reason is shown with its
// package-specific parts (URLs, names, versions) replaced by placeholders, so that alike reasons group.
import { plain, runInventoryScript } from './lib/inventory-script.js';

const CLASSES = ['EOL', 'ABANDONED', 'AT_RISK', 'MAINTAINED', 'HEALTHY', 'UNKNOWN'];
const MISSING_NOTES = ['registry-facts-missing', 'source-repository-unknown', 'repository-signals-missing'];
const USAGE = 'usage: node scripts/health-distribution.js [--json] INVENTORY.json...';

/** A reason with what is particular to one package replaced, so that alike reasons count together. */
export function generalise(reason) {
  return String(reason)
    .replace(/https?:\/\/[^\s,;)]*[^\s,;):.]/g, '<url>')
    .replace(/\b[\w.-]+\/[\w.-]+ \(renamed/g, '<owner/name> (renamed')
    .replace(/repository [\w.-]+\/[\w.-]+/g, 'repository <owner/name>')
    .replace(/\b\d+(\.\d+){1,3}(-[\w.]+)?\b/g, '<version>')
    .replace(/\s+/g, ' ')
    .trim();
}

function increment(map, key, by = 1) {
  map.set(key, (map.get(key) ?? 0) + by);
}

export function distribution(list) {
  const classes = new Map(CLASSES.map((c) => [c, 0]));
  const perEcosystem = new Map();
  const unknownReasons = new Map();
  const unassessed = [];
  const sources = { withRepository: 0, confidence: new Map(), from: new Map() };
  const signals = { found: 0, missing: new Map() };
  for (const component of list) {
    const eco = perEcosystem.get(component.ecosystem) ?? new Map(CLASSES.map((c) => [c, 0]));
    perEcosystem.set(component.ecosystem, eco);
    const repository = component.sourceRepository;
    if (repository) {
      sources.withRepository++;
      increment(sources.confidence, repository.confidence);
      increment(sources.from, repository.from.replace(/ \(.*\)$/, ''));
    }
    if (component.repositorySignals?.status === 'found') signals.found++;
    else if (component.repositorySignals)
      increment(signals.missing, generalise(component.repositorySignals.reason));
    const health = component.health;
    if (!health) {
      unassessed.push(component.purl);
      continue;
    }
    increment(classes, health.class);
    increment(eco, health.class);
    if (health.class !== 'UNKNOWN') continue;
    const why = health.reasons
      .filter((r) => MISSING_NOTES.includes(r.code) || r.code === 'no-dates')
      .filter((r) => r.code !== 'no-dates' || health.reasons.length === 1)
      .map((r) => `${r.code}: ${generalise(r.values?.reason ?? r.message)}`)
      .join(' + ');
    increment(unknownReasons, why || 'no reason recorded');
  }
  return { total: list.length, classes, perEcosystem, unknownReasons, unassessed, sources, signals };
}

function share(n, total) {
  return total === 0 ? '0.0%' : `${((100 * n) / total).toFixed(1)}%`;
}

function sorted(map) {
  return [...map].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

function print(d) {
  const lines = [];
  const assessed = d.total - d.unassessed.length;
  lines.push(`components: ${d.total} (${assessed} with a health class)`, '');
  const ecosystems = [...d.perEcosystem.keys()].sort();
  lines.push(
    `| class | all | ${ecosystems.join(' | ')} |`,
    `|---|---:|${ecosystems.map(() => '---:').join('|')}|`,
  );
  for (const c of CLASSES) {
    const cells = ecosystems.map((e) => {
      const eco = d.perEcosystem.get(e);
      const total = [...eco.values()].reduce((a, b) => a + b, 0);
      return `${eco.get(c)} (${share(eco.get(c), total)})`;
    });
    lines.push(
      `| ${c} | ${d.classes.get(c)} (${share(d.classes.get(c), assessed)}) | ${cells.join(' | ')} |`,
    );
  }
  lines.push('', `UNKNOWN: ${d.classes.get('UNKNOWN')} (${share(d.classes.get('UNKNOWN'), assessed)}), why:`);
  for (const [why, n] of sorted(d.unknownReasons)) lines.push(`  ${String(n).padStart(6)}  ${why}`);
  lines.push(
    '',
    `source repository known: ${d.sources.withRepository} (${share(d.sources.withRepository, d.total)})` +
      `; confidence: ${
        sorted(d.sources.confidence)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '-'
      }` +
      `; from: ${
        sorted(d.sources.from)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '-'
      }`,
    `repository signals read: ${d.signals.found} (${share(d.signals.found, d.total)}); missing, why:`,
  );
  for (const [why, n] of sorted(d.signals.missing)) lines.push(`  ${String(n).padStart(6)}  ${why}`);
  if (d.unassessed.length > 0) {
    lines.push(
      '',
      `no health class (made with --no-health or before health existed): ${d.unassessed.length}`,
    );
  }
  return lines.join('\n');
}

runInventoryScript({
  url: import.meta.url,
  usage: USAGE,
  summarise: distribution,
  json: (d) => ({
    total: d.total,
    classes: plain(d.classes),
    perEcosystem: Object.fromEntries([...d.perEcosystem].map(([e, m]) => [e, plain(m)])),
    unknownReasons: plain(d.unknownReasons),
    unassessed: d.unassessed.length,
    sourceRepositories: {
      known: d.sources.withRepository,
      confidence: plain(d.sources.confidence),
      from: plain(d.sources.from),
    },
    repositorySignals: { found: d.signals.found, missing: plain(d.signals.missing) },
  }),
  text: print,
});
