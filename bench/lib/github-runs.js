import { readFileSync } from 'node:fs';
import path from 'node:path';
import { timedRun } from './timed-run.js';

/**
 * `oss-inventory scan --github-org ORG... --github-url URL --registry URL --maven-settings FILE
 * --cache-dir DIR --format inventory-json -o OUT -q` with GITHUB_TOKEN in the environment, timed from
 * spawn to exit, then what its inventory says.
 */
export async function runGithubScan({
  repoRoot,
  orgs,
  githubUrl,
  registryUrl,
  settingsFile,
  cacheDir,
  outDir,
  cwd,
  env,
}) {
  const args = [
    path.join(repoRoot, 'bin', 'oss-inventory.js'),
    'scan',
    ...orgs.flatMap((org) => ['--github-org', org]),
    '--github-url',
    githubUrl,
    '--registry',
    registryUrl,
    '--maven-settings',
    settingsFile,
    '--cache-dir',
    cacheDir,
    '--format',
    'inventory-json',
    '-o',
    outDir,
    '-q',
  ];
  const run = await timedRun(process.execPath, args, { cwd, env });
  if (!run.ok) return { ok: false, reason: run.reason };
  let inventory;
  try {
    inventory = JSON.parse(readFileSync(path.join(outDir, 'inventory.json'), 'utf8'));
  } catch (error) {
    return { ok: false, reason: `cannot read the inventory it wrote: ${error.message}` };
  }
  return { ok: true, seconds: run.seconds, summary: summarize(inventory, new URL(githubUrl).host) };
}

function summarize(inventory, githubHost) {
  const problems = new Map();
  for (const p of inventory.problems ?? []) problems.set(p.code, (problems.get(p.code) ?? 0) + 1);
  const githubLedger = (inventory.run?.network ?? []).filter((e) => e.host === githubHost);
  return {
    subjects: (inventory.subjects ?? []).length,
    projects: (inventory.projects ?? []).length,
    components: (inventory.components ?? []).length,
    problems: [...problems.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    ledger: githubLedger,
  };
}
