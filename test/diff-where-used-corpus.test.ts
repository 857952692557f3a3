import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffInventories } from '../src/core/diff.js';
import type { Inventory } from '../src/core/model.js';
import { parseWhereUsedQuery, whereUsed as findWhereUsed } from '../src/core/where-used.js';
import { runCli } from './helpers/cli.js';

/**
 * `diff` and `where-used` on the inventory of the whole GitHub corpus (../shared/corpus/github: the 30
 * Lutece repositories and the 12 JavaScript ones), scanned offline once: one subject per organisation, so
 * project ids read `lutece-platform:lutece-core/files`. Where-used answers are compared with what a plain
 * reading of the corpus files says; timings are printed.
 */
const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(repo, '../shared/corpus');
const github = path.join(corpus, 'github');
const present = existsSync(corpus);
if (!present) console.warn('skipping the diff and where-used corpus tests: ../shared/corpus is absent');

// The scan's default excludes, as paths relative to a scanned folder.
const EXCLUDED =
  /(^|\/)(node_modules|\.git|fixtures|__fixtures__|testdata)\/|(^|\/)src\/(it|test\/resources)\//;

/** Every file of that name in the corpus (per `org/repo/files/...`, relative to the org), excludes applied. */
function corpusFiles(name: string, org?: string): { org: string; path: string; text: string }[] {
  const out: { org: string; path: string; text: string }[] = [];
  for (const o of readdirSync(github).sort()) {
    if (org !== undefined && o !== org) continue;
    for (const r of readdirSync(path.join(github, o)).sort()) {
      const base = path.join(github, o, r, 'files');
      if (!existsSync(base)) continue;
      for (const entry of readdirSync(base, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || entry.name !== name) continue;
        const relative = path
          .relative(base, path.join(entry.parentPath, entry.name))
          .split(path.sep)
          .join('/');
        if (EXCLUDED.test(relative)) continue;
        out.push({
          org: o,
          path: `${r}/files/${relative}`,
          text: readFileSync(path.join(base, relative), 'utf8'),
        });
      }
    }
  }
  return out;
}

interface WhereUsedJson {
  packages: {
    display: string;
    projects: string[];
    versions: { usages: { project: string; direct: boolean; declaredAt?: { file: string } }[] }[];
  }[];
}

describe.skipIf(!present)('diff and where-used on the corpus inventory', () => {
  let tmp: string;
  let inventoryFile: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'oss-inventory-corpus-diff-'));
    const orgs = readdirSync(github)
      .sort()
      .map((org) => path.join(github, org));
    const started = performance.now();
    const result = await runCli(['scan', '--offline', ...orgs, '-f', 'inventory-json', '-o', tmp, '-q'], {
      cwd: repo,
      env: { SOURCE_DATE_EPOCH: '1714552200' },
    });
    expect(result.code, result.stderr).toBe(0);
    inventoryFile = path.join(tmp, 'inventory.json');
    console.log(`corpus scanned offline in ${Math.round(performance.now() - started)} ms`);
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  async function whereUsed(name: string): Promise<WhereUsedJson> {
    const started = performance.now();
    const result = await runCli(['where-used', name, '-i', inventoryFile, '-f', 'json'], { cwd: tmp });
    console.log(
      `where-used ${name}: ${Math.round(performance.now() - started)} ms (CLI, reading the inventory)`,
    );
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as WhereUsedJson;
  }

  it('where-used lutece-core: exactly the POMs outside fixtures whose <dependency> names it', async () => {
    const answer = await whereUsed('fr.paris.lutece:lutece-core');
    expect(answer.packages.map((p) => p.display)).toEqual(['fr.paris.lutece:lutece-core']);
    const declared = new Set(
      answer.packages.flatMap((p) => p.versions.flatMap((v) => v.usages.map((u) => u.declaredAt?.file))),
    );
    const expected = corpusFiles('pom.xml', 'lutece-platform')
      .filter(({ text }) =>
        (text.match(/<dependency>[\s\S]*?<\/dependency>/g) ?? []).some((block) =>
          /<artifactId>\s*lutece-core\s*<\/artifactId>/.test(block),
        ),
      )
      .map((f) => f.path);
    expect(expected.length).toBe(23);
    expect([...declared].sort()).toEqual(expected.sort());
    // The bare artifactId finds the same package.
    expect((await whereUsed('lutece-core')).packages).toEqual(answer.packages);
  });

  it('where-used react: its direct users are exactly the package.json files that declare it', async () => {
    const answer = await whereUsed('react');
    expect(answer.packages.map((p) => p.display)).toEqual(['react']);
    const direct = new Set(
      answer.packages.flatMap((p) =>
        p.versions.flatMap((v) =>
          v.usages.filter((u) => u.direct).map((u) => `${u.project.split(':')[0]}:${u.declaredAt?.file}`),
        ),
      ),
    );
    const declaring = corpusFiles('package.json')
      .filter(({ text }) => {
        const json = JSON.parse(text) as Record<string, unknown>;
        return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((key) => {
          const deps = json[key];
          return typeof deps === 'object' && deps !== null && Object.hasOwn(deps, 'react');
        });
      })
      .map((f) => `${f.org}:${f.path}`);
    expect(declaring.length).toBeGreaterThan(10);
    expect([...direct].sort()).toEqual(declaring.sort());
    // Projects that only reach react through another package come on top of those.
    expect(answer.packages[0]!.projects.length).toBeGreaterThan(declaring.length);
  });

  it('diff: the inventory against itself has no differences, against one without Lutece only the Lutece additions', async () => {
    const current = JSON.parse(await readFile(inventoryFile, 'utf8')) as Inventory;
    const lutece = new Set(current.projects.filter((p) => p.subject === 'lutece-platform').map((p) => p.id));
    // Last month's inventory, as a scan without the Lutece organisation would have written it.
    const previous: Inventory = {
      ...current,
      subjects: current.subjects.filter((s) => s.name !== 'lutece-platform'),
      projects: current.projects.filter((p) => !lutece.has(p.id)),
      components: current.components
        .map((c) => ({ ...c, usedBy: c.usedBy.filter((u) => !lutece.has(u.project)) }))
        .filter((c) => c.usedBy.length > 0),
      problems: current.problems.filter((p) => p.subject !== 'lutece-platform'),
    };
    await writeFile(path.join(tmp, 'previous.json'), JSON.stringify(previous));
    const onlyLutece = current.components.filter((c) => c.usedBy.every((u) => lutece.has(u.project)));

    const same = await runCli(['diff', 'inventory.json', 'inventory.json', '--exit-code'], { cwd: tmp });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout.endsWith('\nno differences\n')).toBe(true);

    const started = performance.now();
    const result = await runCli(['diff', 'previous.json', 'inventory.json', '-f', 'json'], { cwd: tmp });
    console.log(
      `diff of ${previous.components.length} and ${current.components.length} components: ` +
        `${Math.round(performance.now() - started)} ms (CLI, reading and validating both inventories)`,
    );
    expect(result.code, result.stderr).toBe(0);
    const diff = JSON.parse(result.stdout) as {
      projects: { added: { id: string }[]; removed: unknown[]; changed: unknown[] };
      components: {
        added: { purl: string }[];
        removed: unknown[];
        versionChanges: unknown[];
        changed: unknown[];
      };
    };
    expect(lutece.size).toBeGreaterThan(25);
    expect(diff.projects.added.map((p) => p.id)).toEqual([...lutece].sort());
    expect(diff.projects.removed).toEqual([]);
    expect(diff.projects.changed).toEqual([]);
    expect(diff.components.added.map((c) => c.purl)).toEqual(onlyLutece.map((c) => c.purl).sort());
    expect(diff.components.removed).toEqual([]);
    expect(diff.components.versionChanges).toEqual([]);
    expect(diff.components.changed).toEqual([]);

    for (const format of ['text', 'markdown']) {
      const first = await runCli(['diff', 'previous.json', 'inventory.json', '-f', format], { cwd: tmp });
      const second = await runCli(['diff', 'previous.json', 'inventory.json', '-f', format], { cwd: tmp });
      expect(first.code, first.stderr).toBe(0);
      expect(second.stdout).toBe(first.stdout);
      expect(first.stdout).toContain(`${lutece.size} projects added, ${onlyLutece.length} components added`);
    }
  });
  it('times the pure diff and lookup on the corpus inventory (reported, not asserted)', async () => {
    const inventory = JSON.parse(await readFile(inventoryFile, 'utf8')) as Inventory;
    const copy = structuredClone(inventory);
    let started = performance.now();
    const diff = diffInventories(inventory, copy);
    console.log(
      `diffInventories, ${inventory.components.length} components each: ${(performance.now() - started).toFixed(1)} ms`,
    );
    expect(diff.components.changed).toEqual([]);
    const query = parseWhereUsedQuery('lutece-core');
    if (!query.ok) throw new Error(query.reason);
    started = performance.now();
    const found = findWhereUsed(inventory, query.query);
    console.log(`whereUsed lutece-core: ${(performance.now() - started).toFixed(1)} ms`);
    const typo = parseWhereUsedQuery('lutece-cor');
    if (!typo.ok) throw new Error(typo.reason);
    started = performance.now();
    const suggested = findWhereUsed(inventory, typo.query);
    console.log(
      `whereUsed lutece-cor (no match, suggestions): ${(performance.now() - started).toFixed(1)} ms`,
    );
    expect(found.packages.length).toBe(1);
    expect(suggested.suggestions[0]).toBe('fr.paris.lutece:lutece-core');
  });
});
