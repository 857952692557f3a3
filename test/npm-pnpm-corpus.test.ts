import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { walkGraph } from '../src/core/graph.js';
import type { LockfileContext } from '../src/ecosystems/npm/lockfile.js';
import type { PackageJson } from '../src/ecosystems/npm/package-json.js';
import { parsePackageJson } from '../src/ecosystems/npm/package-json.js';
import { parsePnpmLock } from '../src/ecosystems/npm/pnpm-lock.js';

const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const has = existsSync(corpus);
if (!has) console.warn('skipping: ../shared/corpus is absent');

interface CorpusLockfile {
  /** e.g. `large/novuhq/novu:pnpm-lock.yaml` */
  label: string;
  path: string;
  /** The repository's `files/` folder: every package.json of the repository is under it. */
  files: string;
}

function corpusLockfiles(): CorpusLockfile[] {
  const found: CorpusLockfile[] = [];
  for (const group of ['github', 'large']) {
    const groupDir = join(corpus, group);
    if (!existsSync(groupDir)) continue;
    for (const org of readdirSync(groupDir)) {
      for (const repo of readdirSync(join(groupDir, org))) {
        const files = join(groupDir, org, repo, 'files');
        for (const path of filesNamed(files, 'pnpm-lock.yaml')) {
          found.push({ label: `${group}/${org}/${repo}:${relative(files, path)}`, path, files });
        }
      }
    }
  }
  return found;
}

function filesNamed(root: string, name: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') stack.push(full);
      else if (entry.isFile() && entry.name === name) out.push(full);
    }
  }
  return out.sort();
}

/** Every package.json of the repository, by folder relative to the lockfile's folder. */
function contextFor(lockfile: CorpusLockfile): LockfileContext {
  const lockDir = dirname(lockfile.path);
  const workspaces = new Map<string, PackageJson>();
  let root: PackageJson | undefined;
  for (const path of filesNamed(lockfile.files, 'package.json')) {
    const parsed = parsePackageJson(readFileSync(path, 'utf8'), path);
    if (!parsed.ok) continue;
    const folder = relative(lockDir, dirname(path)).split('\\').join('/');
    if (folder === '') root = parsed.value;
    else workspaces.set(folder, parsed.value);
  }
  return { root, workspaces };
}

/**
 * The keys of a top-level section, read line by line (no YAML parser): lines indented by exactly two
 * spaces and ending with `:` (or `: {}`), until the next unindented line. Quotes are removed.
 */
function sectionKeys(text: string, section: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.indexOf(`${section}:`);
  if (start < 0) return [];
  const keys: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line !== '' && !line.startsWith(' ')) break;
    const match = /^ {2}(\S.*?):(?: \{\})?$/.exec(line);
    if (match) keys.push(match[1]!.replace(/^'(.*)'$/, '$1'));
  }
  return keys;
}

/**
 * Independent count (corpus README): `packages` keys as distinct name@version. 5.x writes peers after
 * `_` in the last path segment, 6.x in parentheses; 9.x keys carry no peers. The parser makes one node
 * per key (5.x, 6.x) or per snapshot (9.x), so peer variants are several nodes with one purl: e2esdk
 * (6.0) has 2292 keys but 2279 distinct name@version (13 peer variants); novu (9.0) has 7394
 * snapshots for 6769 `packages` keys; egapro (9.0) 1456 and 1456.
 */
function independentPackageCount(text: string): number {
  const version = /^lockfileVersion: '?(\d+)/m.exec(text)?.[1];
  const keys = sectionKeys(text, 'packages').map((key) => {
    if (version === '5') return key.replace(/^(\/.*\/[^/_]+)_[^/]*$/, '$1');
    if (version === '6') return key.replace(/\(.*$/, '');
    return key;
  });
  return new Set(keys).size;
}

describe.skipIf(!has)('pnpm-lock.yaml: real-world corpus', () => {
  const lockfiles = has ? corpusLockfiles() : [];

  it('finds the corpus pnpm lockfiles', () => {
    expect(lockfiles.map((l) => l.label)).toEqual([
      'github/SocialGouv/e2esdk:pnpm-lock.yaml',
      'github/SocialGouv/egapro:pnpm-lock.yaml',
      'large/novuhq/novu:pnpm-lock.yaml',
    ]);
  });

  for (const lockfile of lockfiles) {
    it(`${lockfile.label}: no error, one node purl per locked name@version, every importer`, () => {
      const text = readFileSync(lockfile.path, 'utf8');
      const graph = parsePnpmLock(text, 'pnpm-lock.yaml', contextFor(lockfile));

      expect(graph.problems).toEqual([]);
      const nodes = [...graph.nodes.values()];
      // Links to folders that are not importers become `link` nodes, which have no `packages` entry.
      const links = nodes.filter((n) => n.sourceKind === 'link');
      const locked = new Set(nodes.filter((n) => n.sourceKind !== 'link').map((n) => n.purl));
      expect(locked.size).toBe(independentPackageCount(text));
      expect(links).toEqual([]);
      expect(graph.importers.map((i) => i.path)).toEqual(sectionKeys(text, 'importers'));
      expect(graph.importers.filter((i) => i.name === undefined).map((i) => i.path)).toEqual([]);
      for (const importer of graph.importers) expect(importer.edges.every((e) => e.to !== null)).toBe(true);
      const reached = new Set(walkGraph(graph).map((r) => r.node));
      console.log(
        `${lockfile.label}: ${graph.format}, ${graph.importers.length} importers, ${graph.nodes.size} nodes, ` +
          `${locked.size} distinct purls, ${reached.size} nodes reached from the importers`,
      );
    });
  }

  it('parses the largest pnpm lockfile well under a second', () => {
    const large = lockfiles.filter((l) => l.label.startsWith('large/'));
    expect(large.length).toBeGreaterThan(0);
    for (const lockfile of large) {
      const text = readFileSync(lockfile.path, 'utf8');
      const context = contextFor(lockfile);
      const times: number[] = [];
      for (let run = 0; run < 5; run++) {
        const start = performance.now();
        parsePnpmLock(text, 'pnpm-lock.yaml', context);
        times.push(performance.now() - start);
      }
      const best = Math.min(...times);
      console.log(
        `${lockfile.label} (${(text.length / 1e6).toFixed(2)} MB): parse ` +
          `${times.map((t) => t.toFixed(0)).join(', ')} ms (best ${best.toFixed(0)} ms)`,
      );
      expect(best).toBeLessThan(1000);
    }
  });
});
