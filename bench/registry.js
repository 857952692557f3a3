#!/usr/bin/env node
// License-enrichment benchmark (issue 3, part of `npm run bench`): the registry lookups of the largest
// corpus lockfile against the fixture registry with injected latency, cold cache then warm, through the
// full CLI and through the resolver alone. What it measures and how: bench/README.md.
// It reports goals as met or missed and never fails on a timing: it exits 0 unless it crashes.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findLargeLockfiles } from './lib/corpus.js';
import { rankByRegistryPackages, writePackuments } from './lib/registry-packuments.js';
import { renderRegistryReport } from './lib/registry-report.js';
import { isolatedEnv, runCliScan, runResolver } from './lib/registry-runs.js';
import { serverPhase, startRegistryChild } from './lib/registry-server.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');
const serverScript = path.join(repoRoot, 'test', 'servers', 'npm-registry.js');
const LATENCY_MS = 50;

const log = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
  if (!existsSync(corpusDir)) {
    console.log(
      `skipping the registry benchmark: ${corpusDir} is absent (../shared/corpus holds the lockfiles it measures)`,
    );
    return;
  }
  if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'index.js'))) {
    console.log('skipping the registry benchmark: dist/ is missing; run `npm run build` first');
    return;
  }
  const cases = findLargeLockfiles(corpusDir);
  if (cases.length === 0) {
    console.log(`skipping the registry benchmark: no root lockfile under ${path.join(corpusDir, 'large')}`);
    return;
  }

  log('ranking the large lockfiles by distinct registry name@version');
  const ranked = await rankByRegistryPackages(cases, repoRoot);
  const chosen = ranked[0];
  const { DEFAULT_NAMES_IN_FLIGHT } = await import(
    pathToFileURL(path.join(repoRoot, 'dist', 'ecosystems', 'npm', 'registry', 'resolver.js')).href
  );
  const { DEFAULT_CONCURRENCY_PER_HOST: CONCURRENCY_PER_HOST } = await import(
    pathToFileURL(path.join(repoRoot, 'dist', 'net', 'http-client.js')).href
  );

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-registry-'));
  try {
    const loadBefore = os.loadavg()[0];
    const home = path.join(workDir, 'home');
    mkdirSync(home);
    const context = { workDir, filesDir: chosen.testCase.filesDir, env: isolatedEnv(home) };
    // What the scan looks up, read from the CLI's own output: an --offline run with an empty cache sends
    // nothing, and every component it would have looked up carries a `registry` outcome. It is also the
    // CLI's wall time without any network phase.
    log(`${chosen.testCase.repo}: offline full CLI, for what the scan looks up`);
    const offline = await scanWith(context, null, 'cache-offline', 'out-offline');
    if (!offline.ok) {
      console.log(
        `registry benchmark not run: the offline scan of ${chosen.testCase.repo} failed: ${offline.reason}`,
      );
      return;
    }
    const packages = offline.lookedUp;
    const registryDir = path.join(workDir, 'registry');
    log(`writing ${packages.length} name@version into synthetic packuments`);
    const written = writePackuments(registryDir, packages);
    const setup = {
      nameVersions: packages.length,
      names: new Set(packages.map((p) => p.name)).size,
      latencyMs: LATENCY_MS,
      namesInFlight: DEFAULT_NAMES_IN_FLIGHT,
      concurrencyPerHost: CONCURRENCY_PER_HOST,
      concurrency: Math.min(CONCURRENCY_PER_HOST, DEFAULT_NAMES_IN_FLIGHT),
    };
    const runs = await measureAll(context, registryDir, packages);
    printHeader({ ranked, chosen, offline, written, setup, loads: [loadBefore, os.loadavg()[0]] });
    console.log(renderRegistryReport(setup, runs));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function scanWith({ workDir, filesDir, env }, registryUrl, cache, out) {
  return runCliScan({
    repoRoot,
    filesDir,
    registryUrl,
    cacheDir: path.join(workDir, cache),
    outDir: path.join(workDir, out),
    cwd: workDir,
    env,
  });
}

/** Full CLI cold then warm on one cache folder, then the resolver alone cold then warm on another. */
async function measureAll(context, registryDir, packages) {
  log(`starting the fixture registry (${LATENCY_MS} ms latency) in a child process`);
  const server = await startRegistryChild(serverScript, { dir: registryDir, latencyMs: LATENCY_MS });
  const runs = [];
  const measure = async (label, temperature, kind, run) => {
    log(label);
    const mark = server.mark();
    const result = await run();
    await server.settle();
    runs.push({ label, temperature, kind, result, server: serverPhase(server.requestsSince(mark)) });
  };
  try {
    for (const temperature of ['cold', 'warm']) {
      await measure(`${temperature}, full CLI`, temperature, 'cli', () =>
        scanWith(context, server.url, 'cache-cli', `out-${temperature}`),
      );
    }
    const cacheDir = path.join(context.workDir, 'cache-resolver');
    for (const temperature of ['cold', 'warm']) {
      await measure(`${temperature}, resolver only`, temperature, 'resolver', () =>
        runResolver({ repoRoot, packages, registryUrl: server.url, cacheDir }),
      );
    }
  } finally {
    await server.stop();
  }
  return runs;
}

function printHeader({ ranked, chosen, offline, written, setup, loads }) {
  const cpus = os.cpus();
  const label = (r) => `${r.testCase.repo} ${r.testCase.parser.name}`;
  const others = ranked
    .slice(1)
    .map((r) => `${label(r)} ${r.nameVersions.toLocaleString('en')}`)
    .join('; ');
  console.log(
    'Registry benchmark: license enrichment of the largest corpus lockfile against the fixture registry',
  );
  console.log(
    `Node.js ${process.version} on ${os.platform()}-${os.arch()}, ${cpus.length} CPU(s) ${cpus[0]?.model ?? ''}`.trim() +
      `, shared by the CLI (or this process), the fixture registry (a child process) and anything else running`,
  );
  const busy = Math.max(...loads) > cpus.length ? ': busier than the CPUs, wall times are inflated' : '';
  console.log(`Load average (1 min) ${loads.map((l) => l.toFixed(1)).join(' at start, ')} at end${busy}`);
  console.log('');
  console.log(
    `Lockfile: ${label(chosen)} (${chosen.format}), ${chosen.nameVersions.toLocaleString('en')} distinct registry ` +
      `name@version of ${chosen.names.toLocaleString('en')} names (largest; then ${others || 'none'})`,
  );
  console.log(
    `oss-inventory scan of ${chosen.testCase.repo}: looks up ${setup.nameVersions.toLocaleString('en')} name@version ` +
      `of ${setup.names.toLocaleString('en')} names; with --offline (no request, the same parsing, assembly and ` +
      `rendering) it takes ${offline.seconds.toFixed(2)} s`,
  );
  console.log(
    `Fixture registry: ${written.names.toLocaleString('en')} synthetic packuments, ${(written.bytes / 1e6).toFixed(1)} MB ` +
      `(only the versions used, license MIT; real packuments list every version ever published and are far ` +
      `larger), ${setup.latencyMs} ms latency per request` +
      (written.refused.length ? `; ${written.refused.length} invalid name(s) left out` : ''),
  );
  console.log(
    `Concurrency: min(concurrencyPerHost ${setup.concurrencyPerHost}, namesInFlight ${setup.namesInFlight}) = ${setup.concurrency}`,
  );
  console.log('');
}

await main();
