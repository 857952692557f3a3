#!/usr/bin/env node
// Repository signals benchmark (issue 8): GitHub GraphQL points spent per 100 component repositories,
// measured through the GitHub API emulator, which validates each query against GitHub's schema and
// computes its cost by GitHub's rule (connection pages the query may need / 100, at least 1).
//
//   node bench/health.js [--inventory inventory.json]
//
// The components: those of the inventory given, else one per package installed in this repository's
// node_modules (and bench/peers/node_modules), each with the `repository` its package.json declares (the
// field the npm registry serves), plus one per repository of ../shared/corpus/github (which the emulator
// holds: those are read in full, the others answer NOT_FOUND, and both cost the same). Two runs on one
// cache folder: cold (every repository asked), then warm (the TTL cache answers, no query).
// It reports the goal (under 5 points per 100 repositories) as met or missed and exits 0 unless it crashes.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const githubDir = path.resolve(repoRoot, '..', 'shared', 'corpus', 'github');
const fixturesDir = path.join(repoRoot, 'fixtures', 'health', 'github');
const GOAL_POINTS_PER_100 = 5;
/** Not a real token: the emulator is started without one and accepts any. */
const TOKEN = 'bench-health-token-not-a-real-one';
const NOW = '2026-01-01T00:00:00.000Z';

async function main() {
  const dist = path.join(repoRoot, 'dist', 'pipeline', 'repository-signals.js');
  if (!existsSync(dist)) {
    console.log('skipping the health benchmark: dist/ is missing; run `npm run build` first');
    return;
  }
  const { addRepositorySignals } = await import(pathToFileURL(dist).href);
  const { createHttpClient } = await import(
    pathToFileURL(path.join(repoRoot, 'dist', 'net', 'http-client.js')).href
  );
  const { startGithubEmulator } = await import(
    pathToFileURL(path.join(repoRoot, 'test', 'servers', 'github-emulator.js')).href
  );
  const inventoryFile = argument('--inventory');
  const corpus = existsSync(githubDir) ? githubDir : fixturesDir;
  const inventory = inventoryFile ? readInventory(inventoryFile) : sampleInventory(corpus);

  const emulator = await startGithubEmulator({ corpus });
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-health-'));
  const runs = [];
  try {
    for (const label of ['cold', 'warm']) {
      const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-bench', env: {} });
      const before = emulator.requests.length;
      let stats;
      const started = performance.now();
      const out = await addRepositorySignals(inventory, {
        client,
        baseUrl: emulator.url,
        token: TOKEN,
        offline: false,
        cacheDir,
        onRead: (s) => (stats = s),
      });
      const seconds = (performance.now() - started) / 1000;
      await client.close();
      const queries = emulator.requests.slice(before).filter((r) => r.kind === 'graphql');
      const points = queries.reduce((sum, q) => sum + (q.graphql?.cost ?? 0), 0);
      const nodes = Math.max(0, ...queries.map((q) => q.graphql?.nodes ?? 0));
      const found = out.components.filter((c) => c.repositorySignals?.status === 'found').length;
      runs.push({ label, seconds, stats, queries: queries.length, points, nodes, found, out });
    }
  } finally {
    await emulator.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
  report(inventory, runs, inventoryFile ?? 'node_modules package.json files + corpus repositories', corpus);
}

function report(inventory, runs, source, corpus) {
  const [cold] = runs;
  const repositories = cold.stats.repositories;
  const per100 = repositories === 0 ? 0 : (cold.points * 100) / repositories;
  const withSource = cold.out.components.filter((c) => c.sourceRepository).length;
  console.log('# Repository signals: GitHub GraphQL points per 100 component repositories\n');
  console.log(`components: ${inventory.components.length} (${source})`);
  console.log(`emulator corpus: ${path.relative(repoRoot, corpus) || corpus}`);
  console.log(
    `components with a source repository: ${withSource}; distinct GitHub repositories read: ${repositories}\n`,
  );
  console.log(
    '| run | queries | points | largest query (nodes) | from cache | components with signals found | seconds |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const run of runs) {
    console.log(
      `| ${run.label} | ${run.queries} | ${run.points} | ${run.nodes.toLocaleString('en')} | ${run.stats.fromCache} | ${run.found} | ${run.seconds.toFixed(1)} |`,
    );
  }
  const verdict = per100 < GOAL_POINTS_PER_100 ? 'met' : 'MISSED';
  console.log(
    `\npoints per 100 repositories (cold): ${per100.toFixed(2)} (goal: under ${GOAL_POINTS_PER_100}: ${verdict})`,
  );
  console.log(
    'Each query holds 50 repositories with two history connections each: 100 connection pages, 1 point; ' +
      'Octokit throttling spaces GraphQL queries by a second.',
  );
}

function argument(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readInventory(file) {
  const inventory = JSON.parse(readFileSync(file, 'utf8'));
  return { ...inventory, generatedAt: NOW };
}

/** One npm component per installed package with a repository, and one per corpus repository. */
function sampleInventory(corpus) {
  const components = [];
  const seen = new Set();
  for (const root of [
    path.join(repoRoot, 'node_modules'),
    path.join(repoRoot, 'bench', 'peers', 'node_modules'),
  ]) {
    for (const manifest of packageManifests(root)) {
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      } catch {
        continue;
      }
      const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
      const key = `${pkg.name}@${pkg.version}`;
      if (!url || typeof pkg.name !== 'string' || seen.has(key)) continue;
      seen.add(key);
      const directory = typeof pkg.repository === 'object' ? pkg.repository?.directory : undefined;
      components.push(component(pkg.name, String(pkg.version), { url, ...(directory ? { directory } : {}) }));
    }
  }
  for (const org of subfolders(corpus)) {
    for (const name of subfolders(path.join(corpus, org))) {
      components.push(
        component(`corpus-${org}-${name}`, '1.0.0', { url: `https://github.com/${org}/${name}` }),
      );
    }
  }
  return {
    schemaVersion: '1.0.0',
    generatedAt: NOW,
    tool: { name: 'oss-inventory', version: 'bench' },
    run: { offline: false, network: [] },
    subjects: [],
    stats: { manifestsRead: 0, excluded: [] },
    projects: [],
    components,
    problems: [],
  };
}

function component(name, version, repository) {
  return {
    purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
    ecosystem: 'npm',
    name,
    version,
    locked: true,
    scopes: ['runtime'],
    direct: false,
    sourceKind: 'registry',
    license: { status: 'unknown', declared: [] },
    registry: { status: 'found', document: `https://registry.npmjs.org/${name}`, funding: [], repository },
    dependsOn: [],
    usedBy: [],
  };
}

function* packageManifests(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const folder = path.join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      yield* packageManifests(folder);
      continue;
    }
    if (existsSync(path.join(folder, 'package.json'))) yield path.join(folder, 'package.json');
    yield* packageManifests(path.join(folder, 'node_modules'));
  }
}

function subfolders(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
