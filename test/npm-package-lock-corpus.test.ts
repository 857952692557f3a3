import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../src/core/graph.js';
import { walkGraph } from '../src/core/graph.js';
import { parsePackageLock } from '../src/ecosystems/npm/package-lock.js';
import { loadNpmContext } from './helpers/npm-context.js';

const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const has = existsSync(corpus);
if (!has) console.warn('skipping: ../shared/corpus is absent');

const LOCKFILE_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);

interface CorpusLockfile {
  /** e.g. `large/vendure-ecommerce/vendure:docs/package-lock.json` */
  label: string;
  path: string;
  /** Path relative to the repository, as a scan would name it. */
  file: string;
}

function corpusLockfiles(): CorpusLockfile[] {
  const found: CorpusLockfile[] = [];
  for (const group of ['github', 'large']) {
    const groupDir = join(corpus, group);
    if (!existsSync(groupDir)) continue;
    for (const org of readdirSync(groupDir).sort()) {
      for (const repo of readdirSync(join(groupDir, org)).sort()) {
        const files = join(groupDir, org, repo, 'files');
        for (const path of lockfilesUnder(files)) {
          const file = relative(files, path).split('\\').join('/');
          found.push({ label: `${group}/${org}/${repo}:${file}`, path, file });
        }
      }
    }
  }
  return found;
}

function lockfilesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') stack.push(full);
      else if (entry.isFile() && LOCKFILE_NAMES.has(entry.name)) out.push(full);
    }
  }
  return out.sort();
}

interface PackagesEntry {
  name?: string;
  version?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  extraneous?: boolean;
}

interface V1Entry {
  version?: string;
  dependencies?: Record<string, V1Entry>;
}

interface Lock {
  lockfileVersion?: number;
  packages?: Record<string, PackagesEntry>;
  dependencies?: Record<string, V1Entry>;
}

/**
 * Independent count (corpus README), read straight off the JSON without resolving anything.
 * v2/v3: distinct name@version over `packages` keys minus the root, the link entries and the folders outside
 * node_modules (workspace folders; the corpus has no `file:` folder dependency, which would be a component).
 * The name is the entry's `name` (aliases) or the key after its last `node_modules/`.
 */
function independentCountV2(lock: Lock): number {
  const seen = new Set<string>();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.link === true || !key.includes('node_modules/')) continue;
    seen.add(
      `${entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`,
    );
  }
  return seen.size;
}

/** v1: distinct name@version over every nested `dependencies` entry, the version as written. */
function independentCountV1(lock: Lock): number {
  const seen = new Set<string>();
  const stack: Record<string, V1Entry>[] = [lock.dependencies ?? {}];
  while (stack.length > 0) {
    for (const [name, entry] of Object.entries(stack.pop()!)) {
      seen.add(`${name}@${entry.version}`);
      if (entry.dependencies) stack.push(entry.dependencies);
    }
  }
  return seen.size;
}

/** `packages` keys minus the root, or every nested v1 entry: the README's "packages" column. */
function entryCount(lock: Lock): number {
  if (lock.packages) return Object.keys(lock.packages).length - 1;
  let count = 0;
  const stack: Record<string, V1Entry>[] = [lock.dependencies ?? {}];
  while (stack.length > 0) {
    for (const entry of Object.values(stack.pop()!)) {
      count++;
      if (entry.dependencies) stack.push(entry.dependencies);
    }
  }
  return count;
}

/** The "packages" column of the corpus README, by lockfile. */
const README_ENTRY_COUNTS: Record<string, number> = {
  'github/betagouv/api.gouv.fr:package-lock.json': 968,
  'github/betagouv/signup-front:package-lock.json': 2456,
  'github/etalab/catalogage-donnees:client/package-lock.json': 533,
  'github/etalab/dashboard_api_entreprise:package-lock.json': 1697,
  'github/MTES-MCT/monitor-ui:e2e/release/sample/package-lock.json': 339,
  'github/MTES-MCT/monitor-ui:package-lock.json': 2703,
  'github/MTES-MCT/potentiel:package-lock.json': 1717,
  'large/highlight/highlight:e2e/react-native/package-lock.json': 1236,
  'large/vendure-ecommerce/vendure:docs/package-lock.json': 225,
  'large/vendure-ecommerce/vendure:package-lock.json': 3976,
};

/**
 * v1 writes an alias's version as `npm:real@version` under the alias name, which the independent count keeps
 * apart from `real@version`; the parser names the node by the real package, so the two agree except where the
 * real name@version is also installed under its own name. Nowhere in the corpus, hence all zeros.
 */
const V1_ALIAS_OVERLAP: Record<string, number> = {
  'github/betagouv/signup-front:package-lock.json': 0,
  'github/etalab/dashboard_api_entreprise:package-lock.json': 0,
};

/**
 * Where the walk and npm's flags differ, and why. In vendure, these are reached through optional peer
 * dependencies (`ts-node` → `@swc/core` → `@swc/helpers`, `typeorm` → `sqlite3` → ... → `p-map`). npm does not install a
 * package for an optional peer alone, so its flags ignore such edges; the graph keeps them as `optional` edges
 * (the package is used when present), which adds the optional scope to packages npm installs only for dev.
 */
const FLAG_DISAGREEMENTS: Record<string, string[]> = {
  'large/vendure-ecommerce/vendure:package-lock.json': [
    'node_modules/@swc/helpers dev-only for npm, reached dev+optional',
    'node_modules/aggregate-error dev-only for npm, reached dev+optional',
    'node_modules/clean-stack dev-only for npm, reached dev+optional',
    'node_modules/indent-string dev-only for npm, reached dev+optional',
    'node_modules/p-map dev-only for npm, reached dev+optional',
  ],
};

function parse(lockfile: CorpusLockfile): { graph: DependencyGraph; lock: Lock; ms: number } {
  const content = readFileSync(lockfile.path, 'utf8');
  const context = loadNpmContext(dirname(lockfile.path));
  const started = performance.now();
  const graph = parsePackageLock(content, lockfile.file, context);
  return { graph, lock: JSON.parse(content) as Lock, ms: performance.now() - started };
}

/** Union, over every importer, of the scopes a node is reached with. */
function scopesByNode(graph: DependencyGraph): Map<string, Set<string>> {
  const scopes = new Map<string, Set<string>>();
  for (const reach of walkGraph(graph)) {
    let set = scopes.get(reach.node);
    if (!set) scopes.set(reach.node, (set = new Set()));
    for (const scope of reach.scopes) set.add(scope);
  }
  return scopes;
}

describe.skipIf(!has)('package-lock.json: real-world corpus', () => {
  const lockfiles = has ? corpusLockfiles() : [];

  it('finds every npm lockfile of the corpus', () => {
    expect(lockfiles.map((l) => l.label)).toEqual([
      'github/MTES-MCT/monitor-ui:e2e/release/sample/package-lock.json',
      'github/MTES-MCT/monitor-ui:package-lock.json',
      'github/MTES-MCT/potentiel:package-lock.json',
      'github/betagouv/api.gouv.fr:package-lock.json',
      'github/betagouv/signup-front:package-lock.json',
      'github/etalab/catalogage-donnees:client/package-lock.json',
      'github/etalab/dashboard_api_entreprise:package-lock.json',
      'large/highlight/highlight:e2e/react-native/package-lock.json',
      'large/vendure-ecommerce/vendure:docs/package-lock.json',
      'large/vendure-ecommerce/vendure:package-lock.json',
    ]);
  });

  for (const lockfile of lockfiles) {
    it(`${lockfile.label}: no error, one purl per distinct locked name@version`, () => {
      const { graph, lock, ms } = parse(lockfile);
      expect(graph.problems.filter((p) => p.severity === 'error')).toEqual([]);

      const purls = new Set([...graph.nodes.values()].map((n) => n.purl));
      if (lock.lockfileVersion === 1) {
        expect(purls.size).toBe(independentCountV1(lock) - V1_ALIAS_OVERLAP[lockfile.label]!);
        expect(graph.nodes.size).toBe(README_ENTRY_COUNTS[lockfile.label]);
      } else {
        expect(purls.size).toBe(independentCountV2(lock));
        // Every `packages` entry but the root is a node, a link, an importer or a stale folder.
        const links = Object.values(lock.packages ?? {}).filter((e) => e.link === true).length;
        const folders = graph.importers.length - 1;
        const stale = graph.problems.filter((p) => p.code === 'npm.package-lock.stale-folder').length;
        expect(graph.nodes.size + links + folders + stale).toBe(README_ENTRY_COUNTS[lockfile.label]);
      }
      expect(entryCount(lock)).toBe(README_ENTRY_COUNTS[lockfile.label]);
      console.log(
        `${lockfile.label}: ${graph.format}, ${graph.importers.length} importers, ${graph.nodes.size} nodes, ` +
          `${purls.size} distinct purls, parsed in ${ms.toFixed(1)} ms; ` +
          `problems: ${graph.problems.map((p) => p.code).join(', ') || 'none'}`,
      );
    });
  }

  it('agrees with the dev and optional flags npm wrote, and reaches every package that is not extraneous', () => {
    for (const lockfile of lockfiles) {
      const { graph, lock } = parse(lockfile);
      if (lock.lockfileVersion === 1) continue; // v1 keeps nested copies that nothing resolves to: see below
      const scopes = scopesByNode(graph);
      const disagreements: string[] = [];
      for (const [key, node] of graph.nodes) {
        const entry = lock.packages![key]!;
        const reached = [...(scopes.get(key) ?? [])].sort().join('+');
        if (entry.extraneous === true) continue;
        if (reached === '') disagreements.push(`${key} unreached`);
        else if (entry.dev === true && entry.optional !== true && reached !== 'dev') {
          disagreements.push(`${key} dev-only for npm, reached ${reached}`);
        } else if (!entry.dev && !entry.optional && !entry.devOptional && !/runtime|peer/.test(reached)) {
          disagreements.push(`${key} needed in production for npm, reached ${reached} (${node.name})`);
        } else if (entry.optional === true && !entry.dev && /runtime/.test(reached)) {
          disagreements.push(`${key} optional for npm, reached ${reached}`);
        }
      }
      expect(disagreements, lockfile.label).toEqual(FLAG_DISAGREEMENTS[lockfile.label] ?? []);
    }
  });

  it('leaves unreached only the v1 nested copies that no require resolves to', () => {
    const label = 'github/etalab/dashboard_api_entreprise:package-lock.json';
    const lockfile = lockfiles.find((l) => l.label === label)!;
    const { graph } = parse(lockfile);
    const scopes = scopesByNode(graph);
    // npm 6 left these behind: the packages that required them now resolve to hoisted copies.
    expect([...graph.nodes.keys()].filter((key) => !scopes.has(key))).toEqual([
      'node_modules/@babel/helper-compilation-targets/node_modules/caniuse-lite',
      'node_modules/@babel/helper-compilation-targets/node_modules/electron-to-chromium',
      'node_modules/@babel/helper-compilation-targets/node_modules/node-releases',
      'node_modules/@vue/cli-service/node_modules/caniuse-lite',
      'node_modules/@vue/cli-service/node_modules/electron-to-chromium',
      'node_modules/@vue/cli-service/node_modules/escalade',
      'node_modules/@vue/cli-service/node_modules/node-releases',
      'node_modules/autoprefixer/node_modules/electron-to-chromium',
      'node_modules/autoprefixer/node_modules/escalade',
      'node_modules/autoprefixer/node_modules/node-releases',
      'node_modules/core-js-compat/node_modules/caniuse-lite',
      'node_modules/core-js-compat/node_modules/electron-to-chromium',
      'node_modules/core-js-compat/node_modules/node-releases',
    ]);
  });

  it('parses the largest package-lock well under a second', () => {
    const large = lockfiles.filter((l) => l.label.startsWith('large/vendure-ecommerce/vendure:package-lock'));
    expect(large).toHaveLength(1);
    const timings = [0, 1, 2].map(() => parse(large[0]!).ms);
    console.log(`${large[0]!.label}: parsed in ${timings.map((t) => `${t.toFixed(1)} ms`).join(', ')}`);
    expect(Math.min(...timings)).toBeLessThan(500);
  });
});
