import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { walkGraph } from '../src/core/graph.js';
import { parseYarnLock } from '../src/ecosystems/npm/yarn-lock.js';
import { loadNpmContext } from './helpers/npm-context.js';

const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const has = existsSync(corpus);
if (!has) console.warn('skipping: ../shared/corpus is absent');

/** Every yarn.lock under `<corpus>/{github,large}/ORG/REPO/files/`, as corpus-relative paths. */
function yarnLockfiles(): string[] {
  const found: string[] = [];
  const stack = ['github', 'large'].filter((top) => existsSync(path.join(corpus, top)));
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const entry of readdirSync(path.join(corpus, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules') stack.push(child);
      else if (entry.isFile() && entry.name === 'yarn.lock' && child.split('/')[3] === 'files')
        found.push(child);
    }
  }
  return found.sort();
}

/**
 * Classic, counted on the text: distinct `version` + `resolved` pairs among the top-level entries (the
 * corpus README's method). An entry without `resolved` (a `file:` folder) counts by its key instead, so
 * that two different folders at the same version are not taken for one package.
 */
function classicCount(content: string): number {
  const identities = new Set<string>();
  let key = '';
  let version = '';
  let resolved = '';
  const flush = () => {
    if (key) identities.add(`${version}|${resolved || key}`);
  };
  for (const line of content.split(/\r?\n/)) {
    if (/^[^\s#]/.test(line)) {
      flush();
      [key, version, resolved] = [line, '', ''];
    }
    version = /^ {2}version "(.*)"$/.exec(line)?.[1] ?? version;
    resolved = /^ {2}resolved "(.*)"$/.exec(line)?.[1] ?? resolved;
  }
  flush();
  return identities.size;
}

/**
 * Berry, counted on the text: one package per `resolution:` line, minus the workspaces, minus the
 * `patch:` resolutions whose patched package is itself locked (same name and version, hence same purl).
 */
function berryCount(content: string): number {
  const resolutions = [...content.matchAll(/^ {2}resolution: "(.*)"$/gm)].map((m) => m[1]!);
  const locked = new Set(resolutions);
  const packages = resolutions.filter((r) => !/^@?[^@]+@workspace:/.test(r));
  const patchesOfLocked = packages.filter((r) => {
    const patch = /^@?[^@]+@patch:([^#]+)#/.exec(r);
    return patch !== null && locked.has(decodeURIComponent(patch[1]!));
  });
  return packages.length - patchesOfLocked.length;
}

describe.skipIf(!has)('yarn.lock files of the corpus', () => {
  const lockfiles = has ? yarnLockfiles() : [];

  it('include both formats', () => {
    const heads = lockfiles.map((f) => readFileSync(path.join(corpus, f), 'utf8').includes('__metadata:'));
    expect(heads.filter(Boolean).length).toBeGreaterThanOrEqual(5);
    expect(heads.filter((berry) => !berry).length).toBeGreaterThanOrEqual(6);
  });

  for (const lockfile of lockfiles) {
    it(`${lockfile}: no problem, one purl per locked package, every package reached`, () => {
      const folder = path.dirname(path.join(corpus, lockfile));
      const content = readFileSync(path.join(corpus, lockfile), 'utf8');
      const graph = parseYarnLock(content, 'yarn.lock', loadNpmContext(folder));

      // Zero problems, warnings included: every declared dependency resolves once the root resolutions are applied.
      expect(graph.problems).toEqual([]);
      const purls = new Set([...graph.nodes.values()].map((n) => n.purl));
      const independent = graph.format.startsWith('yarn berry') ? berryCount(content) : classicCount(content);
      expect(purls.size).toBe(independent);

      // Every package is installed for some workspace. The unpatched twin of a patch is not reached itself,
      // but it shares its purl with the patched package, which is.
      const reachedPurls = new Set(walkGraph(graph).map((r) => graph.nodes.get(r.node)!.purl));
      expect([...purls].filter((p) => !reachedPurls.has(p))).toEqual([]);
    });
  }

  it('parses the largest lockfile well under a second', () => {
    const largest = lockfiles
      .map((f) => ({ f, size: readFileSync(path.join(corpus, f)).length }))
      .sort((a, b) => b.size - a.size)[0]!;
    const content = readFileSync(path.join(corpus, largest.f), 'utf8');
    const context = loadNpmContext(path.dirname(path.join(corpus, largest.f)));
    const timings: number[] = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      parseYarnLock(content, 'yarn.lock', context);
      timings.push(performance.now() - start);
    }
    console.log(
      `${largest.f} (${largest.size} bytes): ${timings.map((t) => `${t.toFixed(0)} ms`).join(', ')}`,
    );
    expect(Math.min(...timings)).toBeLessThan(1000);
  });
});
