import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RawPom } from '../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../src/ecosystems/maven/pom.js';

const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const lutece = path.join(corpus, 'github', 'lutece-platform');
const has = existsSync(lutece);
if (!has) console.warn('skipping: ../shared/corpus is absent');

/** Every pom.xml under `lutece-platform/REPO/files/`, as paths relative to lutece-platform/. */
function corpusPoms(): string[] {
  const found: string[] = [];
  for (const repository of readdirSync(lutece).sort()) {
    const stack = [`${repository}/files`];
    while (stack.length > 0) {
      const relative = stack.pop()!;
      const absolute = path.join(lutece, relative);
      if (!existsSync(absolute)) continue;
      for (const entry of readdirSync(absolute, { withFileTypes: true })) {
        const child = `${relative}/${entry.name}`;
        if (entry.isDirectory()) stack.push(child);
        else if (entry.isFile() && entry.name === 'pom.xml') found.push(child);
      }
    }
  }
  return found.sort();
}

interface IndexRow {
  repository: string;
  pomFiles: number;
  /** `groupId:artifactId:version [packaging]` and ` modules=N`, or undefined when there is no root POM. */
  root?: { coordinates: string; packaging: string; modules: number };
  parent?: string;
  /** The `<dependency>` elements of the root POM: total, and per place (deps, dm, plugin, profile-deps...). */
  dependencyElements?: { total: number; byPlace: Map<string, number> };
}

/** The rows of the README's "Index: github/lutece-platform" table. */
function readIndex(): IndexRow[] {
  const readme = readFileSync(path.join(corpus, 'README.md'), 'utf8');
  const section = readme.split('## Index: github/lutece-platform')[1]!.split('\n## ')[0]!;
  const rows: IndexRow[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (!cells[1]?.startsWith('lutece-platform/')) continue;
    const [, repository, pomFiles, , rootCell, parentCell, dependencyCell] = cells as string[];
    const root = /^(\S+) \[([^\]]+)\](?: modules=(\d+))?$/.exec(rootCell!);
    const counts = /^(\d+)(?: \((.*)\))?$/.exec(dependencyCell!);
    rows.push({
      repository: repository!.slice('lutece-platform/'.length),
      pomFiles: Number(pomFiles),
      root: root ? { coordinates: root[1]!, packaging: root[2]!, modules: Number(root[3] ?? 0) } : undefined,
      parent: parentCell === '—' ? undefined : parentCell,
      dependencyElements: counts
        ? {
            total: Number(counts[1]),
            byPlace: new Map(
              (counts[2] ?? '').split(', ').flatMap((part) => {
                const m = /^([a-z-]+) (\d+)$/.exec(part);
                return m ? [[m[1]!, Number(m[2])] as [string, number]] : [];
              }),
            ),
          }
        : undefined,
    });
  }
  return rows;
}

/** `<dependency>` start tags outside XML comments: an independent count made on the text. */
function dependencyTagsInText(content: string): number {
  return content.replace(/<!--[\s\S]*?-->/g, '').match(/<dependency>/g)?.length ?? 0;
}

function parseCorpusPom(relative: string): RawPom {
  const result = parsePom(readFileSync(path.join(lutece, relative), 'utf8'), relative);
  if (!result.ok) throw new Error(result.problem.message);
  return result.pom;
}

describe.skipIf(!has)('parsePom on the lutece-platform corpus', () => {
  // First, so that it measures a cold parser.
  it('parses the 193 POMs of tools-liberty-maven-plugin and all 225 corpus POMs well under a second', () => {
    const poms = corpusPoms();
    const contents = poms.map((relative) => readFileSync(path.join(lutece, relative), 'utf8'));
    const liberty = poms.flatMap((p, i) => (p.startsWith('tools-liberty-maven-plugin/') ? [i] : []));
    expect(liberty.length).toBe(193);
    let started = performance.now();
    for (const i of liberty) parsePom(contents[i]!, poms[i]!);
    const libertyMs = performance.now() - started;
    started = performance.now();
    contents.forEach((content, i) => parsePom(content, poms[i]!));
    const allMs = performance.now() - started;
    console.info(
      `parsePom: ${liberty.length} tools-liberty-maven-plugin POMs in ${libertyMs.toFixed(1)} ms, ` +
        `all ${poms.length} corpus POMs in ${allMs.toFixed(1)} ms`,
    );
    expect(libertyMs).toBeLessThan(1000);
    expect(allMs).toBeLessThan(1000);
  });

  it('parses every corpus pom.xml without any problem', () => {
    const poms = corpusPoms();
    expect(poms.length).toBe(225);
    const problems: string[] = [];
    for (const relative of poms) {
      const result = parsePom(readFileSync(path.join(lutece, relative), 'utf8'), relative);
      if (!result.ok) problems.push(result.problem.message);
      else problems.push(...result.problems.map((p) => p.message));
    }
    // Every corpus POM is one Maven accepts, so not even a warning is expected.
    expect(problems).toEqual([]);
  });

  it('reads the root POM of each repository as the README index describes it', () => {
    const rows = readIndex();
    expect(rows.length).toBe(30);
    expect(rows.filter((row) => row.root).length).toBe(27);
    expect(rows.find((row) => row.repository === 'tools-maven-global-pom')).toStrictEqual({
      repository: 'tools-maven-global-pom',
      pomFiles: 1,
      root: {
        coordinates: 'fr.paris.lutece.tools:lutece-global-pom:8.0.2-SNAPSHOT',
        packaging: 'pom',
        modules: 0,
      },
      parent: undefined,
      dependencyElements: {
        total: 22,
        byPlace: new Map([
          ['deps', 3],
          ['dm', 11],
          ['plugin', 5],
          ['profile-deps', 3],
        ]),
      },
    });
    const poms = corpusPoms();
    for (const row of rows) {
      const ofRepository = poms.filter((p) => p.startsWith(`${row.repository}/files/`));
      expect(ofRepository.length, row.repository).toBe(row.pomFiles);
      const rootPath = `${row.repository}/files/pom.xml`;
      expect(ofRepository.includes(rootPath), row.repository).toBe(row.root !== undefined);
      if (!row.root) continue;
      const pom = parseCorpusPom(rootPath);
      // The index shows Maven's view: coordinates inherited from the parent, packaging `jar` by default.
      const coordinates = [
        pom.groupId ?? pom.parent?.groupId,
        pom.artifactId,
        pom.version ?? pom.parent?.version,
      ].join(':');
      expect(coordinates, row.repository).toBe(row.root.coordinates);
      expect(pom.packaging ?? 'jar', row.repository).toBe(row.root.packaging);
      expect(pom.modules.length, row.repository).toBe(row.root.modules);
      const parent = pom.parent && `${pom.parent.groupId}:${pom.parent.artifactId}:${pom.parent.version}`;
      expect(parent, row.repository).toBe(row.parent);
      expectDependencyCounts(pom, row, readFileSync(path.join(lutece, rootPath), 'utf8'));
    }
  });
});

/**
 * The index counts the root POM's `<dependency>` elements by place. The parser reads the project's own
 * (deps, dm, and those of profiles) and skips build plugins' (plugin), so the parsed places must match
 * the index, and parsed + plugin must equal both the index total and a count made on the text.
 */
function expectDependencyCounts(pom: RawPom, row: IndexRow, content: string): void {
  const expected = row.dependencyElements!;
  const parsed = new Map<string, number>([
    ['deps', pom.dependencies.length],
    ['dm', pom.dependencyManagement.length],
    ['profile-deps', pom.profiles.reduce((sum, p) => sum + p.dependencies.length, 0)],
    ['profile-dm', pom.profiles.reduce((sum, p) => sum + p.dependencyManagement.length, 0)],
  ]);
  for (const [place, count] of parsed)
    expect(count, `${row.repository} ${place}`).toBe(expected.byPlace.get(place) ?? 0);
  const known = new Set([...parsed.keys(), 'plugin']);
  expect(
    [...expected.byPlace.keys()].filter((place) => !known.has(place)),
    row.repository,
  ).toEqual([]);
  const ours = [...parsed.values()].reduce((a, b) => a + b, 0);
  expect(ours + (expected.byPlace.get('plugin') ?? 0), row.repository).toBe(expected.total);
  expect(dependencyTagsInText(content), row.repository).toBe(expected.total);
}
