#!/usr/bin/env node
// Plan-B target checks benchmark (issue 9): the registry requests plan B adds to a scan to check its targets,
// against the lower bound (one document per distinct target the inventory does not hold), and their time,
// cold and warm, on the real registries this machine reaches (npm, Maven Central).
//
//   node bench/planb.js [--inventory inventory.json]
//
// The inventory: the one given (it must have health), else an offline scan of ../shared/corpus/github from the
// default cache (run a scan of it online once first). The targets are those of its draft plan B
// (planBTargets). Two runs on one fresh cache folder: cold, then warm. Maven targets are described without
// their license here (no subject to load parent POMs from), so their requests are the metadata and the
// release POM. It exits 0 unless it crashes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'github');

async function main() {
  const dist = (file) => pathToFileURL(path.join(repoRoot, 'dist', file)).href;
  if (!existsSync(path.join(repoRoot, 'dist', 'core', 'planb.js'))) {
    console.log('skipping the plan-B benchmark: dist/ is missing; run `npm run build` first');
    return;
  }
  const inventory = readInventory(argument('--inventory'));
  if (!inventory) return;
  const { assignPlanB, planBTargets } = await import(dist('core/planb.js'));
  const { loadPlanBKnowledge } = await import(dist('pipeline/planb.js'));
  const { describePlanBTargets } = await import(dist('pipeline/planb-targets.js'));
  const { loadLicenseKnowledge } = await import(dist('licenses/knowledge.js'));
  const { createHttpClient } = await import(dist('net/http-client.js'));
  const { ECOSYSTEMS } = await import(dist('ecosystems/index.js'));

  const { knowledge } = loadPlanBKnowledge();
  const draft = assignPlanB(inventory, knowledge);
  const refs = planBTargets(draft);
  const licenses = await loadLicenseKnowledge();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-planb-'));
  const subject = {
    name: 'bench',
    manifests: [],
    reader: { read: () => Promise.reject(new Error('none')), exists: async () => false },
  };
  const runs = [];
  try {
    for (const label of ['cold', 'warm']) {
      const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-bench', env: {} });
      const network = {
        client,
        withProxies: () => client,
        ledger: () => client.ledger(),
        offline: false,
        env: process.env,
        homedir: os.homedir(),
      };
      const context = { subjects: [subject], network, now: new Date(inventory.generatedAt), health: true };
      const describe = async (wanted) => {
        const described = new Map();
        const problems = [];
        for (const ecosystem of ECOSYSTEMS) {
          const mine = wanted.filter((r) => r.ecosystem === ecosystem.id);
          if (mine.length === 0 || !ecosystem.describePackages) continue;
          const answer = await ecosystem.describePackages(mine, context);
          for (const [key, d] of answer.descriptions) described.set(key, d);
          problems.push(...answer.problems);
        }
        return { descriptions: described, problems };
      };
      const started = performance.now();
      const checked = await describePlanBTargets(draft, { describe, licenses, offline: false });
      const planned = assignPlanB(inventory, { ...knowledge, targets: checked.targets });
      const seconds = (performance.now() - started) / 1000;
      runs.push({ label, seconds, ledger: client.ledger(), checked, planned });
      await client.close();
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  report(inventory, draft, refs, runs);
}

function report(inventory, draft, refs, runs) {
  const count = (inv, test) =>
    inv.components.reduce((n, c) => n + (c.planB?.options ?? []).filter(test).length, 0);
  const npm = refs.filter((r) => r.ecosystem === 'npm').length;
  console.log('# Plan-B targets checked against their registries\n');
  console.log(
    `components: ${inventory.components.length}; plan-B options with a target: ${count(draft, (o) => o.target !== undefined)}`,
  );
  console.log(
    `distinct targets the inventory does not hold (the lower bound of requests): ${refs.length} (npm ${npm}, Maven ${refs.length - npm})\n`,
  );
  console.log(
    '| run | requests sent | from cache | ratio to the lower bound | seconds | targets found | not found | unanswered |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const run of runs) {
    const sent = run.ledger.reduce((n, h) => n + h.sent, 0);
    const cached = run.ledger.reduce((n, h) => n + h.fromCache, 0);
    const facts = [...run.checked.targets.values()];
    const status = (s) => facts.filter((f) => f.status === s).length;
    const ratio = refs.length === 0 ? '-' : `${(sent / refs.length).toFixed(2)}x`;
    console.log(
      `| ${run.label} | ${sent} | ${cached} | ${ratio} | ${run.seconds.toFixed(1)} | ${status('found')} | ${status('not-found')} | ${status('unknown')} |`,
    );
  }
  const [cold] = runs;
  const dropped =
    count(draft, (o) => o.target !== undefined) - count(cold.planned, (o) => o.target !== undefined);
  const flags = {};
  for (const c of cold.planned.components)
    for (const o of c.planB?.options ?? []) for (const f of o.flags ?? []) flags[f] = (flags[f] ?? 0) + 1;
  console.log(
    `\noptions dropped (target unpublished, deprecated or relocated): ${dropped}; flags: ${JSON.stringify(flags)}`,
  );
  console.log('Requests per host (cold):');
  for (const host of cold.ledger) console.log(`  ${host.host}: ${host.sent} sent, ${host.failed} failed`);
}

function argument(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The inventory given, else an offline scan of the corpus from the default cache. */
function readInventory(file) {
  if (file) return JSON.parse(readFileSync(file, 'utf8'));
  if (!existsSync(corpus)) {
    console.log('skipping the plan-B benchmark: ../shared/corpus is absent and no --inventory was given');
    return undefined;
  }
  const out = mkdtempSync(path.join(os.tmpdir(), 'oss-inventory-bench-planb-scan-'));
  try {
    execFileSync(
      process.execPath,
      [
        path.join(repoRoot, 'bin', 'oss-inventory.js'),
        'scan',
        corpus,
        '--offline',
        '-f',
        'inventory-json',
        '-o',
        out,
        '-q',
      ],
      { stdio: 'inherit' },
    );
    return JSON.parse(readFileSync(path.join(out, 'inventory.json'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

await main();
