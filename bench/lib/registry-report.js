import { alignTable } from './table.js';
/** Goals of issue 3 for the license-enrichment case. */
export const REQUEST_GOAL_COLD = 1.0;
export const WALL_GOAL = 1.3;

const HEADER = [
  'run',
  'sent (ledger)',
  'requests (server)',
  'sent÷name@version',
  'network s',
  'bound s',
  'network÷bound',
  'in flight',
  'wall s',
];
const RIGHT_ALIGNED = new Set([1, 2, 3, 4, 5, 6, 7, 8]);

/**
 * The table and the goals. `setup`: `{ nameVersions, names, latencyMs, concurrency }`; `runs`:
 * `[{ label, temperature: 'cold'|'warm', kind: 'cli'|'resolver', result, server }]` where `result` comes
 * from registry-runs.js and `server` from `serverPhase`.
 */
export function renderRegistryReport(setup, runs) {
  const rows = [HEADER, ...runs.map((run) => tableRow(setup, run))];
  const lines = [...alignTable(rows, RIGHT_ALIGNED), ''];
  lines.push(
    'sent (ledger): requests our HTTP client put on the wire (for the CLI, `run.network` of its inventory);',
    'requests (server): the lines the fixture registry printed, one per request it answered;',
    "network s: full CLI: first request received to last answer sent, on the server's side;",
    '  resolver only: resolveNpmFacts alone, timed in this process;',
    `bound s: sent x ${setup.latencyMs} ms / ${setup.concurrency}, the shortest possible network phase;`,
    `in flight: mean requests open at once on the server over the network phase (at most ${setup.concurrency});`,
    'wall s: the whole CLI process (start to exit), or resolveNpmFacts alone.',
  );
  const notes = runs.flatMap((run) => notesOf(run));
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((n) => `  ${n}`));
  lines.push('', ...renderGoals(setup, runs));
  return lines.join('\n');
}

function tableRow(setup, run) {
  const { label, result, server } = run;
  if (!result.ok) return [label, 'FAILED', '-', '-', '-', '-', '-', '-', '-'];
  const sent = result.ledger.sent;
  const network = networkSeconds(run);
  const bound = lowerBound(setup, sent);
  return [
    label,
    count(sent),
    count(server.count),
    times(sent / setup.nameVersions),
    network === null ? '-' : seconds(network),
    seconds(bound),
    bound > 0 && network !== null ? times(network / bound) : '-',
    server.count > 0 ? server.meanInFlight.toFixed(1) : '-',
    seconds(result.seconds),
  ];
}

/** The full CLI's network phase is read on the server's side; the resolver's is its own wall time. */
function networkSeconds({ kind, result, server }) {
  if (kind === 'resolver') return result.seconds;
  return server.count > 0 ? server.windowMs / 1000 : null;
}

export function lowerBound({ latencyMs, concurrency }, requests) {
  return (requests * latencyMs) / concurrency / 1000;
}

function notesOf({ label, kind, result, server }) {
  if (!result.ok) return [`${label}: FAILED: ${result.reason}`];
  const l = result.ledger;
  const statuses = [...server.statuses].map(([status, n]) => `${count(n)} x ${status}`).join(', ') || 'none';
  const notes = [
    `${label}: ledger ${count(l.sent)} sent (${count(l.retried)} retried), ${count(l.fromCache)} from cache, ` +
      `${count(l.revalidated)} revalidated, ${count(l.failed)} failed, ${mb(l.bytes)} received; server answers: ${statuses}`,
  ];
  if (kind === 'cli') {
    const e = result.enrichment;
    notes.push(
      `${label}: ${count(e.found)} of ${count(e.registryComponents)} locked registry components have registry facts, ` +
        `${count(e.licenseFromRegistry)} a license from the registry` +
        (e.firstMissing ? `; first reason for a missing one: ${e.firstMissing}` : ''),
    );
  } else {
    const failures = [...result.failures].map(([code, n]) => `${count(n)} ${code}`).join(', ');
    notes.push(
      `${label}: facts for ${count(result.found)} name@version${failures ? `; failed: ${failures}` : ''}`,
    );
  }
  return notes;
}

function renderGoals(setup, runs) {
  const lines = [
    `Goal 1: requests sent at most ${REQUEST_GOAL_COLD.toFixed(1)}x the distinct name@version cold, 0 warm ` +
      `(${count(setup.nameVersions)} name@version of ${count(setup.names)} names: one packument per name)`,
  ];
  let met = 0;
  let judged = 0;
  for (const { label, temperature, result } of runs) {
    if (!result.ok) {
      lines.push(`  ${label}: not judged: the run failed`);
      continue;
    }
    judged++;
    const sent = result.ledger.sent;
    const ok = temperature === 'cold' ? sent / setup.nameVersions <= REQUEST_GOAL_COLD : sent === 0;
    if (ok) met++;
    lines.push(
      `  ${label}: ${count(sent)} sent = ${times(sent / setup.nameVersions)}: ${ok ? 'met' : 'MISSED'}`,
    );
  }

  lines.push(
    '',
    `Goal 2: network phase within ${WALL_GOAL}x the lower bound requests x ${setup.latencyMs} ms / ${setup.concurrency} (cold runs)`,
  );
  let wallMet = 0;
  let wallJudged = 0;
  for (const run of runs) {
    const { label, temperature, result, server } = run;
    if (temperature !== 'cold') continue;
    if (!result.ok) {
      lines.push(`  ${label}: not judged: the run failed`);
      continue;
    }
    const network = networkSeconds(run);
    const bound = lowerBound(setup, result.ledger.sent);
    if (network === null || bound === 0) {
      lines.push(`  ${label}: not judged: no request was sent`);
      continue;
    }
    wallJudged++;
    const ratio = network / bound;
    const ok = ratio <= WALL_GOAL;
    if (ok) wallMet++;
    lines.push(
      `  ${label}: ${seconds(network)} s for a bound of ${seconds(bound)} s = ${times(ratio)}, ` +
        `${server.meanInFlight.toFixed(1)} of ${setup.concurrency} requests in flight on average: ${ok ? 'met' : 'MISSED'}`,
    );
  }
  lines.push(
    '',
    `Summary: request goal met on ${met}/${judged} runs; wall-time goal met on ${wallMet}/${wallJudged} cold runs.`,
  );
  return lines;
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

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
