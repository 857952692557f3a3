import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBomCount } from './bom.js';
import { lastToolLine, median, runTimed } from './measure.js';

const CLI_RUNS = 3;
const PARSE_RUNS = 5;
const PARSE_ONLY_SCRIPT = fileURLToPath(new URL('./parse-only.js', import.meta.url));

/**
 * Every measurement resolves to a row: `{ tool, ok, seconds, peakKiB, components, reason, detail }`.
 * `reason` explains a failure; `detail` is a note printed under the table.
 */

/** Ours, the whole pipeline: walk the repository, parse every manifest, build and write the inventory. */
export async function measureOursCli(testCase, { repoRoot, workDir }) {
  const tool = 'oss-inventory scan (full CLI)';
  const runs = [];
  let components;
  for (let i = 0; i < CLI_RUNS; i++) {
    const out = path.join(workDir, `ours-cli-${i}`);
    const args = [
      path.join(repoRoot, 'bin', 'oss-inventory.js'),
      'scan',
      testCase.filesDir,
      '--format',
      'inventory-json',
      '--out',
      out,
      '-q',
      // Like the peers, no registry or repository lookup: the lockfile alone.
      '--offline',
      '--no-cache',
    ];
    // The temp folder as working directory, so no .oss-inventory.yaml of this checkout is picked up.
    const run = await runTimed(process.execPath, args, { cwd: workDir });
    if (!run.ok) return failedRow(tool, run.reason);
    const inventory = readJson(path.join(out, 'inventory.json'));
    if (inventory.error) return failedRow(tool, inventory.error);
    if (!Array.isArray(inventory.value.components))
      return failedRow(tool, 'inventory.json has no components array');
    components = inventory.value.components.length;
    runs.push(run);
  }
  return {
    tool,
    ok: true,
    seconds: median(runs.map((r) => r.seconds)),
    peakKiB: Math.max(...runs.map((r) => r.peakKiB)),
    components,
    detail: `median of ${CLI_RUNS} runs (${runs.map((r) => r.seconds.toFixed(2)).join(', ')} s), peak = highest of them`,
  };
}

/** Ours, the built parser alone on the lockfile's content, in a child process so its peak RSS is its own. */
export async function measureOursParse(testCase, { repoRoot }) {
  const tool = `${testCase.parser.export} (parse only)`;
  const modulePath = path.join(repoRoot, 'dist', 'ecosystems', 'npm', testCase.parser.module);
  const args = [
    '--expose-gc',
    PARSE_ONLY_SCRIPT,
    modulePath,
    testCase.parser.export,
    testCase.lockfile,
    testCase.parser.name,
    String(PARSE_RUNS),
  ];
  const run = await runTimed(process.execPath, args, { cwd: repoRoot });
  if (!run.ok) return failedRow(tool, run.reason);
  let result;
  try {
    result = JSON.parse(run.stdout.trim().split('\n').pop());
  } catch {
    return failedRow(tool, `no result line from parse-only.js: ${lastToolLine(run.stdout)}`);
  }
  const errors = result.errors ? `; ${result.errors} error problem(s), first: ${result.firstError}` : '';
  return {
    tool,
    ok: true,
    seconds: result.medianMs / 1000,
    peakKiB: run.peakKiB,
    components: result.purls,
    detail:
      `median of ${PARSE_RUNS} parses (${result.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms), ` +
      `format "${result.format}", ${result.nodes} nodes, ${result.purls} distinct purls, ` +
      `the graph retains ${retained(result.retainedBytes, testCase.size)}${errors}`,
  };
}

/** Environment that keeps both peers off the network: no license or metadata fetching, no host allowed. */
export function peerEnv(workDir) {
  return {
    ...process.env,
    FETCH_LICENSE: 'false',
    CDXGEN_FETCH_PKG_METADATA: 'false',
    // An allow-list naming no real host: any request cdxgen still attempts is refused, not sent.
    CDXGEN_ALLOWED_HOSTS: 'no-network.invalid',
    CDXGEN_TEMP_DIR: workDir,
    // cyclonedx-npm runs `npm ls`; offline keeps npm from asking the registry anything.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
}

/**
 * cyclonedx-npm reads the tree through `npm ls --package-lock-only`, in the lockfile's own folder (it only
 * reads there). --ignore-npm-errors: npm ls flags real-world locks with a few invalid or missing entries
 * (vendure's has five), and without it the tool exits 254 and writes no BOM.
 */
export async function measureCyclonedxNpm(testCase, { peer, workDir }) {
  const tool = `cyclonedx-npm ${peer.version}`;
  const out = path.join(workDir, `cyclonedx-npm-${slug(testCase)}.cdx.json`);
  const args = [
    peer.script,
    '--package-lock-only',
    '--ignore-npm-errors',
    '--no-validate',
    '--output-format',
    'JSON',
    '--output-file',
    out,
    path.join(path.dirname(testCase.lockfile), 'package.json'),
  ];
  const run = await runTimed(process.execPath, args, {
    cwd: path.dirname(testCase.lockfile),
    env: peerEnv(workDir),
  });
  return peerRow(tool, run, out);
}

/** cdxgen on the repository folder, type js, from the lockfiles only: no install, no babel, no network. */
export async function measureCdxgen(testCase, { peer, workDir }) {
  const tool = `cdxgen ${peer.version}`;
  const out = path.join(workDir, `cdxgen-${slug(testCase)}.cdx.json`);
  const args = [
    peer.script,
    '-t',
    'js',
    '--no-install-deps',
    '--no-babel',
    '--no-validate',
    '-o',
    out,
    testCase.filesDir,
  ];
  const cwd = path.join(workDir, `cdxgen-cwd-${slug(testCase)}`);
  mkdirSync(cwd, { recursive: true });
  const run = await runTimed(process.execPath, args, { cwd, env: peerEnv(workDir) });
  return peerRow(tool, run, out);
}

function peerRow(tool, run, out) {
  if (!run.ok) return failedRow(tool, run.reason);
  const bom = readBomCount(out);
  if (bom.error) return failedRow(tool, bom.error);
  const nested = bom.components - bom.topLevel;
  const details = [];
  if (nested) details.push(`${bom.topLevel} top-level components and ${nested} nested ones`);
  const blocked = blockedHosts(`${run.stdout}\n${run.stderr}`);
  if (blocked.length > 0) details.push(`tried the network and was refused: ${blocked.join(', ')}`);
  return {
    tool,
    ok: true,
    seconds: run.seconds,
    peakKiB: run.peakKiB,
    components: bom.components,
    detail: details.join('; '),
  };
}

/** Hosts cdxgen reports refusing under CDXGEN_ALLOWED_HOSTS. */
function blockedHosts(output) {
  const hosts = new Set();
  for (const match of output.matchAll(/Access to the remote host '([^']+)' is not permitted/g))
    hosts.add(match[1]);
  return [...hosts];
}

export function failedRow(tool, reason) {
  return { tool, ok: false, seconds: null, peakKiB: null, components: null, reason, detail: '' };
}

function readJson(file) {
  try {
    return { value: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (error) {
    return { error: `cannot read ${path.basename(file)}: ${error.message}` };
  }
}

function retained(bytes, lockfileSize) {
  if (bytes === null) return 'an unmeasured heap (no --expose-gc)';
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB of heap (${(bytes / lockfileSize).toFixed(1)}x the lockfile)`;
}

function slug(testCase) {
  return `${testCase.repo.replace('/', '_')}-${testCase.parser.name}`;
}
