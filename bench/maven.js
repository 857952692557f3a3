#!/usr/bin/env node
// Maven benchmark (issue 4, part of `npm run bench`): the effective models of every Lutece POM of the
// corpus in one CLI run, against a local Maven repository holding what Maven Central has of the POMs
// the run needs, cold cache then warm. What it measures and how: bench/README.md.
// It reports goals as met or missed and never fails on a timing: it exits 0 unless it crashes.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assembleFromCentral, CENTRAL_URL } from './lib/maven-central.js';
import { renderMavenReport } from './lib/maven-report.js';
import { startMavenRepositoryServer } from './lib/maven-repository-server.js';
import { runMavenScan, writeMirrorSettings } from './lib/maven-runs.js';
import { isolatedEnv } from './lib/registry-runs.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');
const lutece = path.join(corpusDir, 'github', 'lutece-platform');
const m2Repository = path.join(os.homedir(), '.m2', 'repository');
/** Latency of each answer of the local repository in the measured runs, about a request to Central. */
const LATENCY_MS = 50;
/** Each discovery round reveals one more level of parents and imported BOMs; real chains are short. */
const MAX_ROUNDS = 12;
/**
 * The command of the issue, with the default excludes (which skip 193 of the 225 POMs: integration-test
 * and fixture POMs under src/it, src/test/resources and fixtures), then every POM of the corpus.
 */
const CASES = [
  { title: 'default excludes', extraArgs: [] },
  { title: 'every POM (--no-default-excludes)', extraArgs: ['--no-default-excludes'] },
];

const log = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
  if (!existsSync(lutece)) {
    console.log(
      `skipping the Maven benchmark: ${lutece} is absent (../shared/corpus holds the POMs it measures)`,
    );
    return;
  }
  if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'index.js'))) {
    console.log('skipping the Maven benchmark: dist/ is missing; run `npm run build` first');
    return;
  }
  const dirs = readdirSync(lutece, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(lutece, entry.name, 'files')))
    .map((entry) => path.join(lutece, entry.name, 'files'))
    .sort();
  if (dirs.length === 0) {
    console.log(`skipping the Maven benchmark: no ${path.join(lutece, '*', 'files')} folder`);
    return;
  }

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-maven-'));
  const repoDir = path.join(workDir, 'repository');
  const home = path.join(workDir, 'home');
  const localRepository = path.join(workDir, 'empty-local-repository');
  for (const dir of [repoDir, home, localRepository]) mkdirSync(dir);
  const server = await startMavenRepositoryServer({ dir: repoDir, latencyMs: 0 });
  try {
    const loadBefore = os.loadavg()[0];
    const settingsFile = path.join(workDir, 'settings.xml');
    writeMirrorSettings(settingsFile, { mirrorUrl: server.url, localRepository });
    // Where each path was looked for, shared by the cases: the repository only grows.
    const outcomes = new Map();
    const cases = [];
    for (const { title, extraArgs } of CASES) {
      const context = { workDir, dirs, settingsFile, env: isolatedEnv(home), extraArgs, id: cases.length };
      log(`${title}: finding the files the run needs`);
      const discovery = await discover(context, server, repoDir, outcomes);
      if (!discovery.ok) {
        console.log(`Maven benchmark not run: ${discovery.reason}`);
        return;
      }
      if (![...outcomes.values()].some((o) => o === 'm2' || o === 'central')) {
        const failures = [...new Set([...outcomes.values()].filter((o) => o.startsWith('failed')))];
        console.log(
          `skipping the Maven benchmark: no POM the run needs could be had from ${CENTRAL_URL} or ` +
            `~/.m2/repository${failures.length ? ` (${failures.slice(0, 2).join('; ')})` : ''}`,
        );
        return;
      }
      const runs = await measureAll(context, server);
      cases.push({ title, discovery, runs, repositoryFiles: servedFiles(outcomes) });
    }
    const { DEFAULT_CONCURRENCY_PER_HOST } = await import(
      pathToFileURL(path.join(repoRoot, 'dist', 'net', 'http-client.js')).href
    );
    console.log(
      renderMavenReport({
        dirs,
        cases,
        outcomes,
        latencyMs: LATENCY_MS,
        concurrency: DEFAULT_CONCURRENCY_PER_HOST,
        centralUrl: CENTRAL_URL,
        loads: [loadBefore, os.loadavg()[0]],
      }),
    );
  } finally {
    await server.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function servedFiles(outcomes) {
  return new Set([...outcomes].filter(([, o]) => o === 'm2' || o === 'central').map(([p]) => p));
}

function scan(context, cache, out, offline = false) {
  return runMavenScan({
    repoRoot,
    dirs: context.dirs,
    extraArgs: context.extraArgs,
    settingsFile: context.settingsFile,
    cacheDir: path.join(context.workDir, `case-${context.id}`, cache),
    outDir: path.join(context.workDir, `case-${context.id}`, out),
    cwd: context.workDir,
    env: context.env,
    offline,
  });
}

/**
 * Which files the run needs, from the run itself: cold runs (a new cache each, no latency) against the
 * repository as assembled so far; every path answered 404 is looked for on Maven Central (or in
 * ~/.m2/repository) once. A parent or BOM found this way may name its own parent
 * or BOMs, asked for only by the next run; the rounds stop when a run asks for nothing new.
 */
async function discover(context, server, repoDir, outcomes) {
  const rounds = [];
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    log(`discovery round ${round}: cold run against the repository assembled so far`);
    const mark = server.mark();
    const result = await scan(context, `cache-discovery-${round}`, `out-discovery-${round}`);
    if (!result.ok) return { ok: false, reason: `the discovery run ${round} failed: ${result.reason}` };
    const missing = server
      .requestsSince(mark)
      .filter((r) => r.status === 404)
      .map((r) => r.path);
    const tried = await assembleFromCentral(missing, repoDir, {
      m2Repository: existsSync(m2Repository) ? m2Repository : null,
      outcomes,
      env: process.env,
    });
    const added = [...tried.values()].filter((o) => o === 'm2' || o === 'central').length;
    rounds.push({ round, requests: server.requestsSince(mark).length, tried: tried.size, added });
    log(`  ${tried.size} new path(s) looked for, ${added} added to the repository`);
    if (added === 0) return { ok: true, rounds, converged: true };
  }
  return { ok: true, rounds, converged: false };
}

/**
 * Cold then warm on one cache with latency; the same without latency (the CPU-bound time); then the
 * warm cache --offline, which sends nothing.
 */
async function measureAll(context, server) {
  const runs = [];
  const measure = async (label, temperature, latencyMs, cache, offline = false) => {
    log(label);
    server.setLatency(latencyMs);
    const mark = server.mark();
    const result = await scan(context, cache, `out-${runs.length}`, offline);
    runs.push({ label, temperature, latencyMs, result, requests: server.requestsSince(mark) });
  };
  await measure(`cold, ${LATENCY_MS} ms latency`, 'cold', LATENCY_MS, 'cache-measured');
  await measure(`warm, ${LATENCY_MS} ms latency`, 'warm', LATENCY_MS, 'cache-measured');
  await measure('cold, no latency', 'cold', 0, 'cache-no-latency');
  await measure('warm, no latency', 'warm', 0, 'cache-no-latency');
  // No request at all: what the warm runs spend on 404s shows against this one.
  await measure('warm, --offline', 'offline', 0, 'cache-no-latency', true);
  return runs;
}

await main();
