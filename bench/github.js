#!/usr/bin/env node
// GitHub crawl benchmark (issue 6, part of `npm run bench`): every organisation of
// ../shared/corpus/github/ crawled in one CLI run through the GitHub API emulator with 100 ms latency per
// request, cold cache then warm. What it measures and how: bench/README.md.
// It reports goals as met or missed and never fails on a timing: it exits 0 unless it crashes.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crawlLowerBound } from './lib/github-bound.js';
import { crawlPhase, startGithubEmulatorChild } from './lib/github-emulator-child.js';
import { renderGithubReport } from './lib/github-report.js';
import { runGithubScan } from './lib/github-runs.js';
import { startMavenRepositoryServer } from './lib/maven-repository-server.js';
import { writeMirrorSettings } from './lib/maven-runs.js';
import { isolatedEnv } from './lib/registry-runs.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const githubDir = path.resolve(repoRoot, '..', 'shared', 'corpus', 'github');
const emulatorScript = path.join(repoRoot, 'test', 'servers', 'github-emulator.js');
const LATENCY_MS = 100;
/** Not a real token: the emulator is started without one and accepts any. */
const TOKEN = 'bench-github-token-not-a-real-one';

const log = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
  if (!existsSync(githubDir)) {
    console.log(
      `skipping the GitHub benchmark: ${githubDir} is absent (../shared/corpus holds what it crawls)`,
    );
    return;
  }
  if (!existsSync(path.join(repoRoot, 'dist', 'cli', 'index.js'))) {
    console.log('skipping the GitHub benchmark: dist/ is missing; run `npm run build` first');
    return;
  }
  const bound = await crawlLowerBound(githubDir, repoRoot);
  const { DEFAULT_CONCURRENCY_PER_HOST } = await import(
    pathToFileURL(path.join(repoRoot, 'dist', 'net', 'http-client.js')).href
  );
  const setup = { latencyMs: LATENCY_MS, concurrency: DEFAULT_CONCURRENCY_PER_HOST };

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-github-'));
  try {
    const loadBefore = os.loadavg()[0];
    const home = path.join(workDir, 'home');
    mkdirSync(home);
    // The npm registry and every Maven repository: an empty folder served on 127.0.0.1, so that each
    // lookup is a quick 404 and nothing reaches the network. A port where nothing listens would do the
    // same in principle, but the HTTP client retries a refused connection 4 times with backoff, for each
    // of the thousands of lookups: the cold run then takes more than 10 minutes.
    mkdirSync(path.join(workDir, 'nothing'));
    const nothing = await startMavenRepositoryServer({ dir: path.join(workDir, 'nothing') });
    const settingsFile = path.join(workDir, 'settings.xml');
    writeMirrorSettings(settingsFile, {
      mirrorUrl: nothing.url,
      localRepository: path.join(workDir, 'm2-repository'),
    });
    const env = { ...isolatedEnv(home), GITHUB_TOKEN: TOKEN };
    delete env.GH_TOKEN;
    let runs;
    try {
      runs = await measure({ workDir, settingsFile, env, bound, nothing });
    } finally {
      await nothing.close();
    }
    printHeader(bound, setup, [loadBefore, os.loadavg()[0]]);
    console.log(renderGithubReport(setup, bound, runs));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** One CLI run over every organisation on a new cache folder, then again on the same folder. */
async function measure({ workDir, settingsFile, env, bound, nothing }) {
  const orgs = bound.orgs.map((o) => o.org);
  log(`starting the GitHub emulator (${LATENCY_MS} ms latency) in a child process`);
  const emulator = await startGithubEmulatorChild(emulatorScript, {
    corpus: githubDir,
    latencyMs: LATENCY_MS,
  });
  const runs = [];
  try {
    for (const temperature of ['cold', 'warm']) {
      const label = `${temperature}, ${LATENCY_MS} ms latency`;
      log(label);
      const mark = emulator.mark();
      const nothingMark = nothing.mark();
      const result = await runGithubScan({
        repoRoot,
        orgs,
        githubUrl: emulator.url,
        registryUrl: nothing.url,
        settingsFile,
        cacheDir: path.join(workDir, 'cache'),
        outDir: path.join(workDir, `out-${temperature}`),
        cwd: workDir,
        env,
      });
      await emulator.settle();
      const elsewhere = nothing.requestsSince(nothingMark).length;
      const phase = crawlPhase(emulator.requestsSince(mark), bound.blobShas);
      runs.push({ label, temperature, result, phase, elsewhere });
    }
  } finally {
    await emulator.stop();
  }
  return runs;
}

function printHeader(bound, setup, loads) {
  const cpus = os.cpus();
  console.log(
    'GitHub crawl benchmark: every organisation of the corpus in one CLI run, through the GitHub API emulator',
  );
  console.log(
    `Node.js ${process.version} on ${os.platform()}-${os.arch()}, ${cpus.length} CPU(s) ${cpus[0]?.model ?? ''}`.trim() +
      ', shared by the CLI, the emulator (a child process) and anything else running',
  );
  const busy = Math.max(...loads) > cpus.length ? ': busier than the CPUs, wall times are inflated' : '';
  console.log(`Load average (1 min) ${loads.map((l) => l.toFixed(1)).join(' at start, ')} at end${busy}`);
  console.log('');
  console.log(
    `Corpus: ${githubDir}, ${bound.orgs.length} organisations, ` +
      `${bound.orgs.reduce((n, o) => n + o.repositories, 0)} repositories, ${bound.manifests} manifests kept by the ` +
      `default excludes and ${bound.licenseFiles} license files (${bound.blobShas.size} distinct blob shas, ` +
      `${bound.repoBlobs} distinct repository+sha)`,
  );
  for (const o of bound.orgs) {
    console.log(
      `  ${o.org}: ${o.repositories} repositories (${o.listingPages} listing page${o.listingPages > 1 ? 's' : ''}), ` +
        `${o.trees} with a tree, ${o.skipped} archived or forks, ${o.empty} empty; ${o.manifests} manifests, ` +
        `${o.licenseFiles} license files`,
    );
  }
  console.log(
    `Emulator: test/servers/github-emulator.js --corpus ${githubDir} --latency ${setup.latencyMs}, in a child process; ` +
      'the npm registry and the Maven mirror of * are an empty folder served on 127.0.0.1 (every lookup a 404, ' +
      'no latency, not counted as GitHub requests)',
  );
  console.log('Runs: cold = a new --cache-dir; warm = the same cache folder again, the corpus unchanged');
  console.log('');
}

await main();
