import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { timedRun } from './timed-run.js';

/**
 * The environment of the measured runs: this one without what could send the requests elsewhere or add
 * a registry setting the bench does not choose (`npm run` exports `npm_config_*`; a proxy variable would
 * route 127.0.0.1 through the proxy), and a home folder of our own, so no user `.npmrc` is read.
 */
export function isolatedEnv(home) {
  const env = { HOME: home, USERPROFILE: home };
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_config_') || lower.endsWith('_proxy') || lower === 'home') continue;
    if (lower === 'userprofile' || lower === 'xdg_cache_home') continue;
    env[key] = value;
  }
  return env;
}

/**
 * `oss-inventory scan <filesDir> --registry <url> --cache-dir <cacheDir> --format inventory-json -o <out> -q`
 * (`--offline` instead of `--registry` when `registryUrl` is null), timed from spawn to exit, then what its
 * inventory says: the ledger (`run.network`), the distinct name@version the registry lookups were for (the
 * locked registry components carrying a `registry` outcome, found or missing), and how many of them got
 * registry facts and a license from the registry.
 */
export async function runCliScan({ repoRoot, filesDir, registryUrl, cacheDir, outDir, cwd, env }) {
  const args = [
    path.join(repoRoot, 'bin', 'oss-inventory.js'),
    'scan',
    filesDir,
    ...(registryUrl === null ? ['--offline'] : ['--registry', registryUrl]),
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
  return {
    ok: true,
    seconds: run.seconds,
    ledger: sumLedger(inventory.run?.network ?? []),
    enrichment: enrichmentOf(inventory.components ?? []),
    lookedUp: lookedUpPackages(inventory.components ?? []),
  };
}

function lookedUpPackages(components) {
  const packages = new Map();
  for (const c of components) {
    if (c.sourceKind !== 'registry' || !c.locked || c.registry === undefined) continue;
    const name = c.group ? `${c.group}/${c.name}` : c.name;
    const key = `${name}@${c.version}`;
    if (!packages.has(key)) packages.set(key, { name, version: c.version });
  }
  return [...packages.values()];
}

/**
 * The resolver alone, in this process, on the scan's packages: a new HTTP client on `cacheDir` with the
 * CLI's defaults (so a second call on the same folder is a warm run of a new process), timed around
 * `resolveNpmFacts` only.
 */
export async function runResolver({ repoRoot, packages, registryUrl, cacheDir }) {
  const dist = (relative) => import(pathToFileURL(path.join(repoRoot, 'dist', relative)).href);
  const { resolveNpmFacts } = await dist('ecosystems/npm/registry/resolver.js');
  const { createHttpClient } = await dist('net/http-client.js');
  const client = createHttpClient({ cacheDir, userAgent: 'oss-inventory-bench', env: {} });
  const npmrc = { registry: registryUrl, scopes: new Map(), credentials: new Map() };
  try {
    const start = performance.now();
    const results = await resolveNpmFacts(packages, { client, npmrc, now: new Date() });
    const seconds = (performance.now() - start) / 1000;
    let found = 0;
    const failures = new Map();
    for (const result of results.values()) {
      if (result.ok) found++;
      else failures.set(result.code, (failures.get(result.code) ?? 0) + 1);
    }
    return { ok: true, seconds, ledger: sumLedger(client.ledger()), found, failures };
  } catch (error) {
    return { ok: false, reason: `resolveNpmFacts threw: ${error.message}` };
  } finally {
    await client.close();
  }
}

/** The ledger summed over hosts (the bench talks to one). */
function sumLedger(entries) {
  const total = { sent: 0, fromCache: 0, revalidated: 0, failed: 0, retried: 0, bytes: 0 };
  for (const entry of entries) for (const key of Object.keys(total)) total[key] += entry[key] ?? 0;
  return total;
}

function enrichmentOf(components) {
  let registryComponents = 0;
  let found = 0;
  let licenseFromRegistry = 0;
  const missingReasons = new Map();
  for (const c of components) {
    if (c.sourceKind !== 'registry' || !c.locked) continue;
    registryComponents++;
    if (c.registry?.status === 'found') found++;
    else if (c.registry?.status === 'missing') {
      missingReasons.set(c.registry.reason, (missingReasons.get(c.registry.reason) ?? 0) + 1);
    }
    if (c.license?.source === 'registry' && c.license.status === 'known') licenseFromRegistry++;
  }
  const [firstMissing] = missingReasons.keys();
  return { registryComponents, found, licenseFromRegistry, firstMissing };
}
