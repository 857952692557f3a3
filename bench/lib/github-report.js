import { alignTable } from './table.js';

/** Route kinds in the order the crawl sends them; any other kind the emulator logs is appended. */
const KINDS = [
  'listing',
  'graphql',
  'repository',
  'commit',
  'tree',
  'blob',
  'contents',
  'rate_limit',
  'other',
];
const REQUEST_GOAL = 1.25;
const TIME_GOAL = 1.5;

/**
 * The table of the runs (requests by kind against the lower bound, crawl phase against
 * requests x latency / concurrency), its legend, the notes, and the goals judged per run.
 */
export function renderGithubReport(setup, bound, runs) {
  const lines = [];
  const kinds = KINDS.filter((k) => runs.some((r) => r.phase.kinds.has(k)));
  for (const run of runs) for (const k of run.phase.kinds.keys()) if (!kinds.includes(k)) kinds.push(k);
  const header = [
    'run',
    ...kinds,
    'requests',
    'bound',
    'req÷bound',
    'crawl s',
    'req×lat÷conc s',
    'crawl÷that',
    'in flight',
    'wall s',
    'bound×lat÷conc s',
    'wall÷that',
  ];
  const rows = [header];
  for (const run of runs) {
    const p = run.phase;
    const ideal = idealSeconds(p.crawlCount, setup);
    rows.push([
      run.label,
      ...kinds.map((k) => String(p.kinds.get(k) ?? 0)),
      String(p.count),
      String(boundFor(run, bound)),
      ratio(p.count, boundFor(run, bound)),
      (p.windowMs / 1000).toFixed(2),
      ideal.toFixed(2),
      ideal > 0 ? ratio(p.windowMs / 1000, ideal) : '-',
      p.crawlCount > 0 ? p.meanInFlight.toFixed(2) : '-',
      run.result.ok ? run.result.seconds.toFixed(2) : 'failed',
      idealSeconds(boundFor(run, bound), setup).toFixed(2),
      run.result.ok ? ratio(run.result.seconds, idealSeconds(boundFor(run, bound), setup)) : '-',
    ]);
  }
  const right = new Set(header.map((_, i) => i).filter((i) => i > 0));
  lines.push(...alignTable(rows, right), '');
  lines.push(
    'Columns per route kind: requests the emulator served (its log); requests: all of them;',
    `bound: cold = listing pages + trees + distinct manifest and license file blobs (${bound.listingPages} + ${bound.trees} + ` +
      `${bound.blobShas.size} = ${bound.total}); warm = the listing pages (${bound.listingPages}), no tree, no blob;`,
    "crawl s: first request received to last answer sent, on the emulator's side, late reads left out (below);",
    `req×lat÷conc s: the crawl's requests x ${setup.latencyMs} ms / ${setup.concurrency} (the HTTP client's limit per host);`,
    'in flight: mean requests open at once over the crawl phase; wall s: the whole CLI process, start to exit;',
    `bound×lat÷conc s: the bound's requests x ${setup.latencyMs} ms / ${setup.concurrency}, the fastest a crawl ` +
      'of the bound could be; wall÷that: wall s against it (the CLI also parses, resolves and writes).',
    `The bound counts REST listing pages; GraphQL lists ${bound.pagesPerQuery} pages a query with every HEAD, ` +
      `${bound.graphqlQueries} ${bound.graphqlQueries === 1 ? 'query' : 'queries'} here, so a crawl can go under it.`,
    '',
  );
  lines.push('Notes:');
  for (const run of runs) lines.push(...notesFor(run, bound));
  lines.push('');
  lines.push(...goals(setup, bound, runs));
  return lines.join('\n');
}

function boundFor(run, bound) {
  return run.temperature === 'cold' ? bound.total : bound.listingPages;
}

function idealSeconds(requests, setup) {
  return (requests * setup.latencyMs) / setup.concurrency / 1000;
}

function ratio(a, b) {
  return b > 0 ? `${(a / b).toFixed(2)}x` : '-';
}

function notesFor(run, bound) {
  const p = run.phase;
  const notes = [];
  const statuses = [...p.statuses.entries()].map(([s, n]) => `${n} x ${s}`).join(', ') || 'none';
  notes.push(
    `  ${run.label}: emulator answers: ${statuses}; ${run.elsewhere} registry and Maven lookups (404s) on the side`,
  );
  if (!run.result.ok) {
    notes.push(`  ${run.label}: the CLI failed: ${run.result.reason}`);
    return notes;
  }
  const s = run.result.summary;
  notes.push(
    `  ${run.label}: inventory: ${s.subjects} repositories, ${s.projects} projects, ${s.components} components; ` +
      `problems: ${s.problems.map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}`,
  );
  for (const e of s.ledger) {
    notes.push(
      `  ${run.label}: ledger (${e.host}) ${e.sent} sent (${e.retried ?? 0} retried), ${e.fromCache} from cache, ` +
        `${e.revalidated} revalidated, ${e.failed} failed`,
    );
  }
  if (p.late.length > 0) {
    const when = p.late.map((l) => `+${(l.afterCrawlMs / 1000).toFixed(1)} s`).join(', ');
    notes.push(
      `  ${run.label}: ${p.late.length} late ${p.late.length === 1 ? 'read' : 'reads'} after the crawl (${when}): ` +
        'blobs outside the bound, asked for by the ecosystems while they resolve (a root .npmrc)',
    );
  }
  const outside = [...p.blobShas].filter((sha) => !bound.blobShas.has(sha));
  const missing = [...bound.blobShas].filter((sha) => !p.blobShas.has(sha));
  const blobRequests = p.kinds.get('blob') ?? 0;
  if (blobRequests > 0 || run.temperature === 'cold') {
    notes.push(
      `  ${run.label}: blobs: ${blobRequests} requests for ${p.blobShas.size} distinct shas; ` +
        `${outside.length} outside the manifests of the bound${outside.length ? ` (${outside.slice(0, 3).join(', ')}...)` : ''}, ` +
        `${run.temperature === 'cold' ? `${missing.length} manifests of the bound never asked for` : ''}`.replace(
          /, $/,
          '',
        ),
    );
  }
  return notes;
}

function goals(setup, bound, runs) {
  const lines = [];
  lines.push(
    `Goal 1: GitHub requests at most ${REQUEST_GOAL}x the lower bound cold; no tree and no blob request warm`,
  );
  for (const run of runs) {
    const p = run.phase;
    if (run.temperature === 'cold') {
      const r = p.count / bound.total;
      lines.push(
        `  ${run.label}: ${p.count} requests for a bound of ${bound.total} = ${r.toFixed(2)}x: ${r <= REQUEST_GOAL ? 'met' : 'MISSED'}`,
      );
    } else {
      const trees = p.kinds.get('tree') ?? 0;
      const blobs = (p.kinds.get('blob') ?? 0) + (p.kinds.get('contents') ?? 0);
      lines.push(
        `  ${run.label}: ${trees} tree and ${blobs} blob requests (${p.count} in all, ` +
          `${p.count - trees - blobs} of them listing, GraphQL, commit or other): ${trees + blobs === 0 ? 'met' : 'MISSED'}`,
      );
    }
  }
  lines.push('');
  lines.push(
    `Goal 2: crawl phase within ${TIME_GOAL}x of requests x ${setup.latencyMs} ms / ${setup.concurrency}`,
  );
  for (const run of runs) {
    const p = run.phase;
    const ideal = idealSeconds(p.crawlCount, setup);
    if (p.crawlCount === 0) {
      lines.push(`  ${run.label}: no request: met`);
      continue;
    }
    const r = p.windowMs / 1000 / ideal;
    lines.push(
      `  ${run.label}: ${(p.windowMs / 1000).toFixed(2)} s for ${p.crawlCount} x ${setup.latencyMs} ms / ${setup.concurrency} = ` +
        `${ideal.toFixed(2)} s: ${r.toFixed(2)}x: ${r <= TIME_GOAL ? 'met' : 'MISSED'}`,
    );
  }
  return lines;
}
