#!/usr/bin/env node
// Maven resolution benchmark (issue 5, part of `npm run bench`): a Spring Boot application and a
// multi-module build resolved transitively by the CLI against a local repository holding what Maven
// Central has of the files the run asks for, cold cache then warm, and `mvn -o dependency:list` on the
// same POMs with a warm ~/.m2 in the same run. What it measures and how: bench/README.md.
// It reports goals as met or missed and never fails on a timing: it exits 0 unless it crashes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleFromCentral, CENTRAL_URL } from './lib/maven-central.js';
import { startMavenRepositoryServer } from './lib/maven-repository-server.js';
import { inventoryArtifacts, mvnArtifacts, runMvn, writeProjects } from './lib/maven-resolve-projects.js';
import { renderResolveReport } from './lib/maven-resolve-report.js';
import { runMavenScan, writeMirrorSettings } from './lib/maven-runs.js';
import { median } from './lib/measure.js';
import { isolatedEnv } from './lib/registry-runs.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const m2Repository = path.join(os.homedir(), '.m2', 'repository');
/** Each discovery round reveals one more level of parents, BOMs and dependencies. */
const MAX_ROUNDS = 40;
const RUNS = 3;

const log = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
  if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'index.js'))) {
    console.log('skipping the Maven resolution benchmark: dist/ is missing; run `npm run build` first');
    return;
  }
  const mvn = spawnSync('mvn', ['-B', '-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    console.log('skipping the Maven resolution benchmark: `mvn` is not available (it is the comparison)');
    return;
  }
  const mvnVersion = /Apache Maven ([\w.-]+)/.exec(mvn.stdout)?.[1] ?? 'unknown';

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-maven-resolve-'));
  const repoDir = path.join(workDir, 'repository');
  const home = path.join(workDir, 'home');
  for (const dir of [repoDir, home]) mkdirSync(dir);
  const server = await startMavenRepositoryServer({ dir: repoDir, latencyMs: 0 });
  try {
    const projects = writeProjects(workDir);
    const outcomes = new Map();
    const cases = [];
    for (const [id, project] of projects.entries()) {
      log(`${project.short}: warming ~/.m2 with mvn (online)`);
      const warm = await runMvn(project, { offline: false });
      if (!warm.ok) {
        console.log(
          `skipping the Maven resolution benchmark: mvn could not resolve ${project.short} online ` +
            `(Maven Central unreachable?): ${warm.reason}`,
        );
        return;
      }
      const context = { id, project, workDir, server, home, serial: 0 };
      log(`${project.short}: finding the files the run needs`);
      const discovery = await discover(context, repoDir, outcomes);
      if (!discovery.ok) {
        console.log(`Maven resolution benchmark not run: ${discovery.reason}`);
        return;
      }
      cases.push({ project, discovery, ...(await measure(context)) });
    }
    console.log(renderResolveReport({ cases, outcomes, runs: RUNS, mvnVersion, centralUrl: CENTRAL_URL }));
  } finally {
    await server.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** One CLI run of the case's project on `cache`, with a new empty local repository in its settings. */
async function scan(context, cache) {
  const run = `run-${context.id}-${context.serial++}`;
  const localRepository = path.join(context.workDir, run, 'empty-local-repository');
  mkdirSync(localRepository, { recursive: true });
  const settingsFile = path.join(context.workDir, run, 'settings.xml');
  writeMirrorSettings(settingsFile, { mirrorUrl: context.server.url, localRepository });
  const outDir = path.join(context.workDir, run, 'out');
  const mark = context.server.mark();
  const result = await runMavenScan({
    repoRoot,
    dirs: [context.project.dir],
    settingsFile,
    cacheDir: path.join(context.workDir, `case-${context.id}`, cache),
    outDir,
    cwd: context.workDir,
    env: isolatedEnv(context.home),
  });
  const requests = context.server.requestsSince(mark);
  if (!result.ok) return { ...result, requests };
  const inventory = JSON.parse(readFileSync(path.join(outDir, 'inventory.json'), 'utf8'));
  return { ...result, requests, artifacts: inventoryArtifacts(inventory) };
}

/**
 * Which files the run needs, from the run itself: cold runs against the repository as assembled so far;
 * every path answered 404 is copied from ~/.m2/repository or fetched from Maven Central once. A POM
 * found this way names its parent, BOMs and dependencies, asked for by the next run; the rounds stop
 * when a run asks for nothing new.
 */
async function discover(context, repoDir, outcomes) {
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const result = await scan(context, `cache-discovery-${round}`);
    if (!result.ok) return { ok: false, reason: `the discovery run ${round} failed: ${result.reason}` };
    const missing = result.requests.filter((r) => r.status === 404).map((r) => r.path);
    const tried = await assembleFromCentral(missing, repoDir, {
      m2Repository: existsSync(m2Repository) ? m2Repository : null,
      outcomes,
      env: process.env,
    });
    const added = [...tried.values()].filter((o) => o === 'm2' || o === 'central').length;
    log(`  discovery round ${round}: ${tried.size} new path(s) looked for, ${added} added`);
    if (added === 0) return { ok: true, rounds: round, converged: true };
  }
  return { ok: true, rounds: MAX_ROUNDS, converged: false };
}

/** RUNS cold CLI runs (a new cache each), RUNS warm ones on one cache, RUNS `mvn -o` runs. */
async function measure(context) {
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    log(`${context.project.short}: ours, cold ${i + 1}/${RUNS}`);
    cold.push(await scan(context, `cache-cold-${i}`));
  }
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    log(`${context.project.short}: ours, warm ${i + 1}/${RUNS}`);
    warm.push(await scan(context, 'cache-cold-0'));
  }
  const mvn = [];
  for (let i = 0; i < RUNS; i++) {
    log(`${context.project.short}: mvn -o, ${i + 1}/${RUNS}`);
    mvn.push(await runMvn(context.project, { offline: true }));
  }
  const failed = [...cold, ...warm, ...mvn].find((r) => !r.ok);
  if (failed) return { failed: failed.reason, cold, warm, mvn };
  return {
    cold,
    warm,
    mvn,
    seconds: {
      cold: median(cold.map((r) => r.seconds)),
      warm: median(warm.map((r) => r.seconds)),
      mvn: median(mvn.map((r) => r.seconds)),
    },
    mvnArtifacts: mvnArtifacts(context.project),
  };
}

await main();
