import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

const CLI_TIMEOUT_MS = 10 * 60 * 1000;
/** Bytes of the CLI's stderr kept for a failure message. */
const KEEP_STDERR = 4000;

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

function timedRun(command, args, { cwd, env }) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-KEEP_STDERR)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CLI_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not start it: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      const last = stderr.trim().split('\n').pop() ?? '';
      if (timedOut) resolve({ ok: false, reason: `timed out after ${CLI_TIMEOUT_MS / 1000} s` });
      else if (code !== 0 || signal) {
        resolve({ ok: false, reason: `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${last}` });
      } else resolve({ ok: true, seconds });
    });
  });
}
