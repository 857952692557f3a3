#!/usr/bin/env node
// Lockfile benchmark (`npm run bench`): ours (full CLI and parser alone) against cyclonedx-npm and cdxgen
// on the large lockfiles of ../shared/corpus/large/. What it measures and how: bench/README.md.
// It reports goals as met or missed and never fails on a timing: it exits 0 unless it crashes.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLargeLockfiles } from './lib/corpus.js';
import { GNU_TIME, hasGnuTime, runTimed } from './lib/measure.js';
import { ensurePeers } from './lib/peers.js';
import { renderReport } from './lib/report.js';
import {
  failedRow,
  measureCdxgen,
  measureCyclonedxNpm,
  measureOursCli,
  measureOursParse,
} from './lib/tools.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');
const peersDir = path.join(repoRoot, 'bench', 'peers');

const log = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
  if (!existsSync(corpusDir)) {
    console.log(
      `skipping the lockfile benchmark: ${corpusDir} is absent (../shared/corpus holds the lockfiles it measures)`,
    );
    return;
  }
  if (!hasGnuTime()) {
    console.log(
      `skipping the lockfile benchmark: GNU time (${GNU_TIME}) is needed for peak memory (apt-get install time)`,
    );
    return;
  }
  const cases = findLargeLockfiles(corpusDir);
  if (cases.length === 0) {
    console.log(`skipping the lockfile benchmark: no root lockfile under ${path.join(corpusDir, 'large')}`);
    return;
  }

  const peers = await ensurePeers(peersDir, log);
  if (peers.error) log(`peer tools unavailable, reported as failed: ${peers.error}`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-'));
  try {
    const loadBefore = os.loadavg()[0];
    const idle = await runTimed(process.execPath, ['-e', '0']);
    const results = [];
    for (const testCase of cases) {
      results.push(await measureCase(testCase, peers, workDir));
    }
    printHeader(peers, [loadBefore, os.loadavg()[0]]);
    console.log(renderReport(results, idle.ok ? idle.peakKiB : null));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measureCase(testCase, peers, workDir) {
  const label = `${testCase.repo} ${testCase.parser.name}`;
  const context = { repoRoot, workDir };
  log(`${label}: ours, full CLI`);
  const cli = await measureOursCli(testCase, context);
  log(`${label}: ours, parse only`);
  const parse = await measureOursParse(testCase, context);
  const peerRows = [];
  // cyclonedx-npm reads npm lockfiles only; cdxgen reads them all.
  const wanted = testCase.parser.npmLock ? ['cyclonedx-npm', 'cdxgen'] : ['cdxgen'];
  for (const id of wanted) {
    const peer = peers.tools?.[id];
    if (!peer) {
      peerRows.push(failedRow(id, peers.error));
      continue;
    }
    log(`${label}: ${id} ${peer.version}`);
    const measure = id === 'cdxgen' ? measureCdxgen : measureCyclonedxNpm;
    peerRows.push(await measure(testCase, { peer, workDir }));
  }
  return { testCase, cli, parse, peers: peerRows };
}

function printHeader(peers, loads) {
  const cpus = os.cpus();
  const versions = peers.tools ? Object.entries(peers.tools).map(([id, t]) => `${id} ${t.version}`) : [];
  console.log('Lockfile benchmark: oss-inventory against the peer SBOM tools, same files, same run');
  console.log(
    `Node.js ${process.version} on ${os.platform()}-${os.arch()}, ${cpus.length} CPU(s) ${cpus[0]?.model ?? ''}`.trim() +
      `, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB; peers: ${versions.join(', ') || 'none'}`,
  );
  const busy = loads.some((load) => load > cpus.length)
    ? ': busier than the CPUs, wall times are inflated'
    : '';
  console.log(`Load average (1 min) ${loads.map((l) => l.toFixed(1)).join(' at start, ')} at end${busy}`);
  if (peers.note) console.log(`Peer install: ${peers.note}`);
  console.log('Peers run from the lockfiles only: no install, no license or metadata fetching, no network.');
  console.log('');
}

await main();
