import os from 'node:os';
import path from 'node:path';
import { sumLedger } from './maven-runs.js';
import { alignTable } from './table.js';

/** Goal of issue 4: POM requests of a cold run at most this many times the distinct POMs it needs. */
export const REQUEST_GOAL_COLD = 1.0;

const HEADER = [
  'run',
  'sent (ledger)',
  'requests (server)',
  'POM requests',
  'distinct POMs',
  'POM req÷distinct',
  'metadata requests',
  '404s',
  'models',
  'models/s',
  'in flight',
  'wall s',
];
const RIGHT_ALIGNED = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

/** What kind of repository file a request path names. */
export function fileKind(requestPath) {
  const name = requestPath.slice(requestPath.lastIndexOf('/') + 1);
  if (name.endsWith('.pom')) return 'pom';
  if (name === 'maven-metadata.xml') return 'metadata';
  return 'other';
}

/**
 * The server's view of one run: requests by kind and status, distinct paths, paths asked more than once,
 * and the network phase (first request received to last answer sent) with the mean number of requests
 * open at once over it (the sum of the answer times over the phase).
 */
export function requestStats(requests) {
  const byKind = { pom: 0, metadata: 0, other: 0 };
  const statuses = new Map();
  const times = new Map();
  let first = Infinity;
  let last = -Infinity;
  let busyMs = 0;
  for (const r of requests) {
    byKind[fileKind(r.path)]++;
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    times.set(r.path, (times.get(r.path) ?? 0) + 1);
    first = Math.min(first, r.at - r.ms);
    last = Math.max(last, r.at);
    busyMs += r.ms;
  }
  const distinct = { pom: 0, metadata: 0, other: 0 };
  for (const p of times.keys()) distinct[fileKind(p)]++;
  // A version folder's metadata is asked for a SNAPSHOT's file name; an artifact's, for a version range.
  const snapshotMetadata = requests.filter(
    (r) => fileKind(r.path) === 'metadata' && /-SNAPSHOT\/maven-metadata\.xml$/.test(r.path),
  ).length;
  const repeated = [...times].filter(([, n]) => n > 1);
  const windowMs = requests.length > 0 ? last - first : 0;
  return {
    count: requests.length,
    byKind,
    snapshotMetadata,
    distinct,
    statuses,
    notFound: statuses.get(404) ?? 0,
    found: requests.filter((r) => r.status === 200 || r.status === 304).length,
    repeated,
    windowMs,
    meanInFlight: windowMs > 0 ? busyMs / windowMs : 0,
  };
}

/**
 * The whole report: header, then per case its description, table, notes and goals. `cases`:
 * `[{ title, discovery, runs, repositoryFiles }]` where `runs` is `[{ label, temperature, latencyMs,
 * result, requests }]` (`result` from runMavenScan, `requests` the server's log of the run) and
 * `repositoryFiles` the paths the local repository held; `outcomes`: where each path was looked for.
 */
export function renderMavenReport({ dirs, cases, outcomes, latencyMs, concurrency, centralUrl, loads }) {
  const lines = header({ dirs, latencyMs, centralUrl, loads });
  const summary = [];
  cases.forEach((c, i) => {
    const stats = c.runs.map((run) => requestStats(run.requests));
    const coldIndex = c.runs.findIndex((run) => run.temperature === 'cold' && run.result.ok);
    const cold = coldIndex >= 0 ? { run: c.runs[coldIndex], stats: stats[coldIndex] } : undefined;
    lines.push('', `Case ${i + 1}: ${c.title}`, ...caseLines(c, cold, outcomes, dirs));
    lines.push(
      '',
      ...alignTable(
        [HEADER, ...c.runs.map((run, j) => tableRow(run, stats[j], cold?.stats.distinct))],
        RIGHT_ALIGNED,
      ),
    );
    if (i === 0) lines.push('', ...LEGEND);
    const notes = c.runs.flatMap((run, j) => notesOf(run, stats[j], concurrency));
    lines.push('', 'Notes:', ...caseNotes(c.runs).map((n) => `  ${n}`), ...notes.map((n) => `  ${n}`));
    const judged = goals(c.runs, stats, cold?.stats.distinct);
    lines.push('', ...judged.lines);
    summary.push(`${c.title} ${judged.met}/${judged.judged}`);
  });
  lines.push('', `Summary: request goals met on ${summary.join(', ')} runs.`);
  return lines.join('\n');
}

const LEGEND = [
  'sent (ledger): requests the CLI put on the wire (`run.network` of its inventory, one host here);',
  'requests (server): requests the local repository received; POM requests: those for a .pom file;',
  "distinct POMs: the .pom paths of the case's first cold run (found or 404): the POMs the run needs;",
  'metadata requests: maven-metadata.xml (version ranges, SNAPSHOT versions); 404s: answered 404;',
  'models: effective models built = projects (one per pom.xml read) + dependency POMs whose license was',
  '  read from their own effective model; models/s: models / wall s;',
  'in flight: mean requests open at once on the server over its network phase (first request to last',
  '  answer); 1.00 means one request at a time;',
  'wall s: the whole CLI process, start to exit; --offline sends nothing and reads the warm cache.',
];

function header({ dirs, latencyMs, centralUrl, loads }) {
  const cpus = os.cpus();
  const busy = Math.max(...loads) > cpus.length ? ': busier than the CPUs, wall times are inflated' : '';
  const root = path.dirname(path.dirname(dirs[0]));
  return [
    'Maven benchmark: effective models of the Lutece POMs of the corpus, one CLI run, against a local Maven repository',
    `Node.js ${process.version} on ${os.platform()}-${os.arch()}, ${cpus.length} CPU(s) ${cpus[0]?.model ?? ''}`.trim() +
      ', shared by the CLI, this process (the repository server) and anything else running',
    `Load average (1 min) ${loads.map((l) => l.toFixed(1)).join(' at start, ')} at end${busy}`,
    '',
    `Scanned in one run: the ${dirs.length} folders ${path.join(root, '*', 'files')}`,
    `Local repository: a static server on 127.0.0.1 (bench/lib/maven-repository-server.js), the mirror of * in ` +
      'the settings.xml given with --maven-settings, whose local repository is an empty folder. It holds what ' +
      `the runs asked for and Maven Central has: POMs Maven downloaded into ~/.m2/repository are copied, the ` +
      `others fetched once from ${centralUrl}; the rest stays 404 (the Lutece artifacts live on ` +
      "dev.lutece.paris.fr, which the bench does not fetch from: this project's machines cannot reach it).",
    `Measured runs: ${latencyMs} ms latency per answer (about a request to Central), then none; warm = the ` +
      'same cache folder again.',
  ];
}

function caseLines(c, cold, outcomes, dirs) {
  const lines = [];
  const first = c.runs.find((run) => run.result.ok)?.result;
  if (first) {
    const excluded = first.excluded
      .map((e) => `${e.manifests} under ${e.pattern} in ${e.subject.replace(/\/files$/, '')}`)
      .join(', ');
    lines.push(
      `  ${count(first.manifestsRead)} manifests read in ${dirs.length} folders, ${count(first.projects)} Maven projects` +
        (excluded ? `; skipped by the default excludes: ${excluded}` : ''),
    );
  }
  const held = [...c.repositoryFiles];
  const source = (kind) => held.filter((p) => outcomes.get(p) === kind).length;
  const rounds = c.discovery.rounds.map((r) => `${r.added}`).join(' + ');
  lines.push(
    `  Local repository: ${count(held.length)} files (${kinds(held)}): ${count(source('m2'))} from ~/.m2/repository, ` +
      `${count(source('central'))} from Maven Central; ${c.discovery.rounds.length} discovery rounds (${rounds} new files)` +
      (c.discovery.converged ? '' : `, NOT CONVERGED after ${c.discovery.rounds.length} rounds`),
  );
  if (!cold) return lines;
  const asked = new Set(cold.run.requests.map((r) => r.path));
  const heldAsked = held.filter((p) => asked.has(p)).length;
  const missing = [...new Set(cold.run.requests.filter((r) => r.status === 404).map((r) => r.path))];
  const failed = missing.filter((p) => outcomes.get(p)?.startsWith('failed'));
  lines.push(
    `  The cold run asked for ${count(heldAsked)} of the ${count(held.length)} files held, and for ${count(missing.length)} ` +
      `paths answered 404 (${kinds(missing)}), groups ${groupsOf(missing)}`,
  );
  if (failed.length > 0) {
    const reasons = [...new Set(failed.map((p) => outcomes.get(p)))].slice(0, 3).join('; ');
    lines.push(
      `  ${count(failed.length)} of those 404s could not be fetched from Central, not absent there: ${reasons}`,
    );
  }
  return lines;
}

function kinds(paths) {
  const pom = paths.filter((p) => fileKind(p) === 'pom').length;
  return `${count(pom)} POMs, ${count(paths.length - pom)} maven-metadata.xml`;
}

/** `fr.paris.lutece.plugins (41), ...`: the groupIds of repository paths, most frequent first. */
function groupsOf(paths) {
  const groups = new Map();
  for (const p of paths) {
    const segments = p.split('/');
    const drop = fileKind(p) === 'metadata' && !/-SNAPSHOT$/.test(segments.at(-2) ?? '') ? 2 : 3;
    const group = segments.slice(0, -drop).join('.');
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  const sorted = [...groups].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 6).map(([g, n]) => `${g} (${n})`);
  if (sorted.length > 6) shown.push(`${sorted.length - 6} more`);
  return shown.join(', ') || 'none';
}

/** What every run of a case has in common (models, problems), and any run that differs. */
function caseNotes(runs) {
  const ok = runs.filter((run) => run.result.ok);
  if (ok.length === 0) return [];
  const describe = (r) =>
    `${count(r.projects)} projects + ${count(r.dependencyModels)} dependency POMs = ` +
    `${count(r.projects + r.dependencyModels)} effective models; ${count(r.dependencyMissing)} dependencies ` +
    `without a POM, ${count(r.unlocked)} without a version to look up, of ${count(r.components)} Maven components`;
  const problems = (r) =>
    [...r.problems]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || 'none';
  const base = ok[0].result;
  const notes = [`every run: ${describe(base)}`, `every run: problems: ${problems(base)}`];
  for (const run of ok.slice(1)) {
    if (describe(run.result) !== describe(base)) notes.push(`${run.label}: BUT ${describe(run.result)}`);
    if (problems(run.result) !== problems(base))
      notes.push(`${run.label}: BUT problems: ${problems(run.result)}`);
  }
  return notes;
}

function tableRow(run, stats, needed) {
  const { label, result } = run;
  if (!result.ok) return [label, 'FAILED', ...Array(HEADER.length - 2).fill('-')];
  const models = result.projects + result.dependencyModels;
  return [
    label,
    count(sumLedger(result.ledger).sent),
    count(stats.count),
    count(stats.byKind.pom),
    needed ? count(needed.pom) : '-',
    needed?.pom ? times(stats.byKind.pom / needed.pom) : '-',
    count(stats.byKind.metadata),
    count(stats.notFound),
    count(models),
    (models / result.seconds).toFixed(1),
    stats.count > 0 ? stats.meanInFlight.toFixed(2) : '-',
    seconds(result.seconds),
  ];
}

function notesOf({ label, result, latencyMs }, stats, concurrency) {
  if (!result.ok) return [`${label}: FAILED: ${result.reason}`];
  const l = sumLedger(result.ledger);
  const statuses = [...stats.statuses].map(([status, n]) => `${count(n)} x ${status}`).join(', ') || 'none';
  const hosts = result.ledger.map((e) => e.host).join(', ') || 'none';
  const notes = [
    `${label}: ledger (${hosts}) ${count(l.sent)} sent (${count(l.retried)} retried), ${count(l.fromCache)} from cache, ` +
      `${count(l.revalidated)} revalidated, ${count(l.failed)} failed, ${kb(l.bytes)} received; server answers: ${statuses}`,
  ];
  if (stats.repeated.length > 0) {
    const shown = stats.repeated.slice(0, 3).map(([p, n]) => `${p} x${n}`);
    notes.push(`${label}: ${count(stats.repeated.length)} paths asked more than once: ${shown.join(', ')}`);
  }
  if (stats.byKind.metadata > 0) {
    notes.push(
      `${label}: maven-metadata.xml: ${count(stats.byKind.metadata - stats.snapshotMetadata)} of artifacts ` +
        `(version ranges), ${count(stats.snapshotMetadata)} of SNAPSHOT versions`,
    );
  }
  if (stats.count > 0) {
    const serial = (stats.count * latencyMs) / 1000;
    const bound = serial / concurrency;
    notes.push(
      `${label}: network phase ${seconds(stats.windowMs / 1000)} s on the server's side, ` +
        `${stats.meanInFlight.toFixed(2)} requests in flight on average` +
        (latencyMs > 0
          ? `; one request at a time would take ${seconds(serial)} s (${count(stats.count)} x ${latencyMs} ms), ` +
            `${concurrency} at a time (the HTTP client's limit per host) ${seconds(bound)} s`
          : ''),
    );
  }
  return notes;
}

function goals(runs, stats, needed) {
  const lines = [
    `Goal 1: POM requests at most ${REQUEST_GOAL_COLD.toFixed(1)}x the distinct POMs needed, cold (404s count as requests)`,
  ];
  let met = 0;
  let judged = 0;
  const judge = (ok) => {
    judged++;
    if (ok) met++;
    return ok ? 'met' : 'MISSED';
  };
  runs.forEach((run, i) => {
    if (run.temperature !== 'cold') return;
    if (!run.result.ok || !needed) return lines.push(`  ${run.label}: not judged: the run failed`);
    const s = stats[i];
    const ratio = needed.pom > 0 ? s.byKind.pom / needed.pom : 0;
    lines.push(
      `  ${run.label}: ${count(s.byKind.pom)} POM requests for ${count(needed.pom)} distinct POMs = ${times(ratio)}` +
        ` (and ${count(s.byKind.metadata)} maven-metadata.xml requests for ${count(s.distinct.metadata)} distinct): ` +
        judge(ratio <= REQUEST_GOAL_COLD),
    );
  });
  lines.push(
    '',
    'Goal 2: no request for a file found before, warm (404s are counted apart; the HTTP cache keeps a 404',
    '  for a day, so a warm run within the day asks for nothing)',
  );
  runs.forEach((run, i) => {
    if (run.temperature !== 'warm') return;
    if (!run.result.ok) return lines.push(`  ${run.label}: not judged: the run failed`);
    const s = stats[i];
    const other = s.count - s.found - s.notFound;
    lines.push(
      `  ${run.label}: ${count(s.found)} requests for files found (${count(s.byKind.pom)} POM, ` +
        `${count(s.byKind.metadata)} metadata requests in all), ${count(s.notFound)} re-asked 404s` +
        (other ? `, ${count(other)} other` : '') +
        `: ${judge(s.found === 0 && other === 0)}`,
    );
  });
  return { lines, met, judged };
}

function count(n) {
  return n.toLocaleString('en');
}

function seconds(value) {
  return value < 1 ? value.toFixed(3) : value.toFixed(2);
}

function times(ratio) {
  return `${ratio.toFixed(2)}x`;
}

function kb(bytes) {
  return `${(bytes / 1e3).toFixed(0)} kB`;
}
