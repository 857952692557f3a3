import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { timedRun } from './timed-run.js';

/**
 * A settings.xml whose one mirror stands in for every repository (`*`: Central, dev.lutece.paris.fr and
 * whatever else the POMs declare), and whose local repository is an empty folder of the bench: the
 * CLI reads released POMs from the local repository before any request, so ~/.m2/repository would hide
 * the requests this bench counts.
 */
export function writeMirrorSettings(file, { mirrorUrl, localRepository }) {
  writeFileSync(
    file,
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<settings>',
      `  <localRepository>${escapeXml(localRepository)}</localRepository>`,
      '  <mirrors>',
      '    <mirror>',
      '      <id>bench-mirror</id>',
      '      <mirrorOf>*</mirrorOf>',
      `      <url>${escapeXml(mirrorUrl)}</url>`,
      '    </mirror>',
      '  </mirrors>',
      '</settings>',
      '',
    ].join('\n'),
  );
}

function escapeXml(text) {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * `oss-inventory scan <dirs...> [extraArgs] --maven-settings <settings> --cache-dir <cache> --format inventory-json -o <out> -q`
 * (plus `--offline` when asked), timed from spawn to exit, then what its inventory says (see summarize).
 */
export async function runMavenScan({
  repoRoot,
  dirs,
  extraArgs = [],
  settingsFile,
  cacheDir,
  outDir,
  cwd,
  env,
  offline,
}) {
  const args = [
    path.join(repoRoot, 'bin', 'oss-inventory.js'),
    'scan',
    ...dirs,
    ...extraArgs,
    ...(offline ? ['--offline'] : []),
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
  return { ok: true, seconds: run.seconds, ...summarize(inventory) };
}

/**
 * What one inventory says about the Maven run:
 * - `ledger`: `run.network`, one entry per host (requests sent, from cache, revalidated, failed, bytes);
 * - `projects`: Maven projects (one per pom.xml read, each an effective model);
 * - `dependencyModels`: Maven components whose license was read from their own effective POM (the
 *   dependency POMs the run built a model for); `dependencyMissing`: those whose POM was not found;
 *   `unlocked`: those with no version to look up (a range nothing satisfies, a version nobody manages);
 * - `problems`: counts by code; `manifestsRead` and `excluded` from `stats`.
 */
export function summarize(inventory) {
  const components = (inventory.components ?? []).filter((c) => c.ecosystem === 'maven');
  let dependencyModels = 0;
  let dependencyMissing = 0;
  let unlocked = 0;
  for (const c of components) {
    if (c.license?.source === 'pom') dependencyModels++;
    else if (c.registry?.status === 'missing') dependencyMissing++;
    if (!c.locked) unlocked++;
  }
  const problems = new Map();
  for (const p of inventory.problems ?? []) problems.set(p.code, (problems.get(p.code) ?? 0) + 1);
  return {
    ledger: inventory.run?.network ?? [],
    projects: (inventory.projects ?? []).filter((p) => p.ecosystem === 'maven').length,
    components: components.length,
    dependencyModels,
    dependencyMissing,
    unlocked,
    problems,
    manifestsRead: inventory.stats?.manifestsRead ?? 0,
    excluded: inventory.stats?.excluded ?? [],
  };
}

/** The ledger summed over hosts. */
export function sumLedger(entries) {
  const total = { sent: 0, fromCache: 0, revalidated: 0, failed: 0, retried: 0, bytes: 0 };
  for (const entry of entries) for (const key of Object.keys(total)) total[key] += entry[key] ?? 0;
  return total;
}
