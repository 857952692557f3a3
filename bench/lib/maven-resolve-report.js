import { sumLedger } from './maven-runs.js';

const REQUESTS_GOAL = 1.0;
const SPEED_GOAL = 3;
const SHOW_DIFFERENCES = 5;

const verdict = (met) => (met ? 'met' : 'MISSED');
const secondsText = (s) => `${s.toFixed(2)} s`;

/** What the repository server saw during one run. */
export function requestFigures(requests) {
  const poms = requests.filter((r) => r.path.endsWith('.pom'));
  const metadata = requests.filter((r) => /(^|\/)maven-metadata[^/]*\.xml$/.test(r.path));
  return {
    total: requests.length,
    poms: poms.length,
    metadata: metadata.length,
    other: requests.length - poms.length - metadata.length,
    notFound: requests.filter((r) => r.status === 404).length,
    distinctPoms: new Set(poms.map((r) => r.path)).size,
    distinctMetadata: new Set(metadata.map((r) => r.path)).size,
  };
}

function differences(label, items) {
  if (items.length === 0) return [];
  const shown = items.slice(0, SHOW_DIFFERENCES).join(', ');
  const more = items.length > SHOW_DIFFERENCES ? `, and ${items.length - SHOW_DIFFERENCES} more` : '';
  return [`    ${label} (${items.length}): ${shown}${more}`];
}

function renderCase(c, runs) {
  const lines = [`## ${c.project.title}`, ''];
  lines.push(
    `discovery: ${c.discovery.rounds} cold run(s) to assemble the repository` +
      (c.discovery.converged ? '' : ' (NOT converged: the repository may still lack files)'),
  );
  if (c.failed) return [...lines, `not measured: a run failed: ${c.failed}`, ''];

  const cold = requestFigures(c.cold[0].requests);
  const warm = requestFigures(c.warm[0].requests);
  const coldLedger = sumLedger(c.cold[0].ledger);
  const warmLedger = sumLedger(c.warm[0].ledger);
  const ratio = cold.distinctPoms ? cold.total / cold.distinctPoms : 0;
  lines.push(
    '',
    '| requests (first cold run)          |  count |',
    '| ---------------------------------- | -----: |',
    `| sent, server log                   | ${String(cold.total).padStart(6)} |`,
    `| sent, ledger (run.network)         | ${String(coldLedger.sent).padStart(6)} |`,
    `|   POM requests                     | ${String(cold.poms).padStart(6)} |`,
    `|   maven-metadata.xml requests      | ${String(cold.metadata).padStart(6)} |`,
    `|   other requests                   | ${String(cold.other).padStart(6)} |`,
    `|   answered 404                     | ${String(cold.notFound).padStart(6)} |`,
    `| distinct artifacts (distinct POMs) | ${String(cold.distinctPoms).padStart(6)} |`,
    '',
    `requests / distinct artifacts: ${ratio.toFixed(2)}x (goal ${REQUESTS_GOAL.toFixed(1)}x): ` +
      verdict(ratio <= REQUESTS_GOAL) +
      (cold.distinctMetadata ? `; ${cold.distinctMetadata} distinct metadata path(s)` : ''),
    `warm run: ${warm.total} request(s) sent (ledger: ${warmLedger.sent} sent, ${warmLedger.fromCache} from ` +
      `cache, ${warmLedger.revalidated} revalidated)`,
    '',
  );

  const { cold: coldS, warm: warmS, mvn: mvnS } = c.seconds;
  const row = (label, seconds, detail) =>
    `| ${label.padEnd(36)} | ${secondsText(seconds).padStart(8)} | ${(mvnS / seconds).toFixed(1).padStart(6)}x | ${detail}`;
  const each = (rs) => rs.map((r) => r.seconds.toFixed(2)).join(', ');
  lines.push(
    `| wall time, median of ${runs}              |  seconds | mvn÷it  | runs (s)`,
    '| ------------------------------------ | -------: | ------: | --------',
    row('ours, cold (new cache, empty local)', coldS, each(c.cold)),
    row('ours, warm cache', warmS, each(c.warm)),
    row('mvn -o, warm ~/.m2', mvnS, `${each(c.mvn)}  (${c.mvn[0].command})`),
    '',
    `at least ${SPEED_GOAL}x faster than mvn: cold ${verdict(mvnS / coldS >= SPEED_GOAL)}, ` +
      `warm ${verdict(mvnS / warmS >= SPEED_GOAL)}`,
    '',
  );

  const ours = c.cold[0].artifacts;
  const theirs = new Set(c.mvnArtifacts.keys());
  const onlyOurs = [...ours].filter((a) => !theirs.has(a)).sort();
  const onlyMvn = [...theirs].filter((a) => !ours.has(a)).sort();
  lines.push(
    `components (third-party groupId:artifactId:version): ours ${ours.size}, mvn ${theirs.size} ` +
      (onlyOurs.length || onlyMvn.length ? '(differ)' : '(the same set)'),
    ...differences('only in ours', onlyOurs),
    ...differences('only in mvn', onlyMvn),
    '',
  );
  return lines;
}

export function renderResolveReport({ cases, outcomes, runs, mvnVersion, centralUrl }) {
  const counts = { m2: 0, central: 0, absent: 0, failed: 0 };
  for (const outcome of outcomes.values()) {
    if (outcome.startsWith('failed')) counts.failed++;
    else counts[outcome]++;
  }
  const lines = [
    '# Maven resolution benchmark',
    '',
    `Ours: the built CLI (node bin/oss-inventory.js scan), one mirror of * to a local static repository ` +
      `(no latency); mvn ${mvnVersion} offline on the same POMs with the ~/.m2/repository it just warmed.`,
    `Repository assembled from the runs' own 404s: ${counts.m2} POM(s) copied from ~/.m2/repository, ` +
      `${counts.central} file(s) fetched from ${centralUrl}, ${counts.absent} absent there` +
      (counts.failed ? `, ${counts.failed} failed` : '') +
      '.',
    '',
  ];
  for (const c of cases) lines.push(...renderCase(c, runs));
  return lines.join('\n');
}
