import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The registry side of the license-enrichment benchmark: which lockfile to use, and a folder of synthetic
 * packuments that answers every name@version the scan looks up.
 */

const TARBALL_HOST = 'https://registry.npmjs.org/';
const FIRST_RELEASE = Date.UTC(2019, 0, 1);
const HOUR_MS = 60 * 60 * 1000;

/** Same rule as the resolver's: a name it would refuse is never asked for, so it gets no packument. */
const VALID_NAME = /^(?:@[^\s/@]+\/)?[^\s/@._][^\s/]*$/;

/**
 * Every case of `findLargeLockfiles`, with the distinct registry name@version and names of its lockfile
 * as the built parser sees them, largest first.
 */
export async function rankByRegistryPackages(cases, repoRoot) {
  const ranked = [];
  for (const testCase of cases) {
    const modulePath = path.join(repoRoot, 'dist', 'ecosystems', 'npm', testCase.parser.module);
    const parse = (await import(pathToFileURL(modulePath).href))[testCase.parser.export];
    const graph = parse(readFileSync(testCase.lockfile, 'utf8'), testCase.parser.name, {
      root: undefined,
      workspaces: new Map(),
    });
    const counts = countRegistryPackages([graph]);
    ranked.push({ testCase, format: graph.format, ...counts });
  }
  return ranked.sort((a, b) => b.nameVersions - a.nameVersions);
}

function countRegistryPackages(graphs) {
  const nameVersions = new Set();
  const names = new Set();
  for (const graph of graphs) {
    if (!graph.locked) continue;
    for (const node of graph.nodes.values()) {
      if (node.sourceKind !== 'registry') continue;
      nameVersions.add(`${node.name}@${node.version}`);
      names.add(node.name);
    }
  }
  return { nameVersions: nameVersions.size, names: names.size };
}

/**
 * One packument per distinct name into `dir` (`NAME.json`, `@scope/NAME.json`, the fixture registry's
 * layout), in the registry's shape and holding every version used. Sizes are not realistic: one version
 * document per used version, where real packuments list every version ever published.
 */
export function writePackuments(dir, packages) {
  const byName = new Map();
  const refused = [];
  for (const { name, version } of packages) {
    if (!VALID_NAME.test(name) || name.length > 214) {
      refused.push(name);
      continue;
    }
    const versions = byName.get(name) ?? [];
    versions.push(version);
    byName.set(name, versions);
  }
  const root = path.resolve(dir);
  let bytes = 0;
  let clock = FIRST_RELEASE;
  for (const [name, versions] of byName) {
    const file = path.resolve(root, `${name}.json`);
    if (!file.startsWith(root + path.sep)) {
      refused.push(name);
      continue;
    }
    versions.sort(compareVersions);
    const body = JSON.stringify(packument(name, versions, clock));
    clock += versions.length * HOUR_MS;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
    bytes += Buffer.byteLength(body);
  }
  return { names: byName.size, bytes, refused };
}

function packument(name, versions, firstRelease) {
  const maintainers = [{ name: 'bench-maintainer', email: 'bench-maintainer@example.com' }];
  const repository = { type: 'git', url: `git+https://github.com/example/${name.replace('@', '')}.git` };
  const unscoped = name.slice(name.lastIndexOf('/') + 1);
  const time = { created: new Date(firstRelease).toISOString() };
  const documents = {};
  versions.forEach((version, i) => {
    time[version] = new Date(firstRelease + i * HOUR_MS).toISOString();
    documents[version] = {
      name,
      version,
      license: 'MIT',
      repository,
      maintainers,
      dist: {
        tarball: `${TARBALL_HOST}${name}/-/${unscoped}-${version}.tgz`,
        integrity: `sha512-${createHash('sha512').update(`${name}@${version}`).digest('base64')}`,
      },
    };
  });
  time.modified = time[versions[versions.length - 1]];
  return {
    _id: name,
    name,
    'dist-tags': { latest: versions[versions.length - 1] },
    versions: documents,
    time,
    maintainers,
    license: 'MIT',
    repository,
  };
}

/**
 * Semver order, close enough for picking `latest` among real published versions: numeric
 * major.minor.patch, then a prerelease sorts before its release, prerelease identifiers compared
 * numerically when both are numbers. Build metadata is ignored.
 */
function compareVersions(a, b) {
  const [coreA, preA] = splitVersion(a);
  const [coreB, preB] = splitVersion(b);
  for (let i = 0; i < 3; i++) {
    const diff = (coreA[i] ?? 0) - (coreB[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  const partsA = preA.split('.');
  const partsB = preB.split('.');
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const x = partsA[i];
    const y = partsB[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    const diff = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function splitVersion(version) {
  const withoutBuild = version.split('+')[0];
  const dash = withoutBuild.indexOf('-');
  const core = dash < 0 ? withoutBuild : withoutBuild.slice(0, dash);
  const pre = dash < 0 ? undefined : withoutBuild.slice(dash + 1);
  return [core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre];
}
