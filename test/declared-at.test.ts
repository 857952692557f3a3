import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkGraph, type DependencyGraph, type GraphEdge } from '../src/core/graph.js';
import type { Component, Inventory, Usage } from '../src/core/model.js';
import {
  declarationLine,
  locateDeclarations,
  type DeclarationLines,
} from '../src/ecosystems/npm/declaration-lines.js';
import { loadLicenseKnowledge } from '../src/licenses/knowledge.js';
import { scan } from '../src/pipeline/scan.js';
import { inventorySchemaErrors } from './helpers/inventory-schema.js';

const repo = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(repo, '../shared/corpus');
const hasCorpus = existsSync(corpus);
if (!hasCorpus) console.warn('skipping the declaredAt corpus tests: ../shared/corpus is absent');

const licenses = loadLicenseKnowledge();

function scanned(...paths: string[]): Promise<Inventory> {
  return scan({ paths, cwd: repo, excludes: [], generatedAt: '2025-01-01T00:00:00.000Z', licenses });
}

function fullName(c: Component): string {
  if (c.group === undefined) return c.name;
  return c.ecosystem === 'maven' ? `${c.group}:${c.name}` : `${c.group}/${c.name}`;
}

/** One line per usage: `name@version project direct|via file:line` (`-` when no line is known). */
function usageLines(inventory: Inventory, onlyDirect = false): string[] {
  return inventory.components.flatMap((c) =>
    c.usedBy
      .filter((u) => !onlyDirect || u.direct)
      .map(
        (u) =>
          `${fullName(c)}@${c.version} ${u.project} ${u.direct ? 'direct' : 'via'} ${
            u.declaredAt ? `${u.declaredAt.file}:${u.declaredAt.line}` : '-'
          }`,
      ),
  );
}

function entries(lines: DeclarationLines): Record<string, [string, number][]> {
  const out: Record<string, [string, number][]> = {};
  for (const [section, names] of lines) out[section] = [...names];
  return out;
}

describe('locateDeclarations: the line of each dependency key of a package.json', () => {
  it('finds the keys of the four sections, ignoring lookalikes in strings and nested objects', () => {
    const text = [
      '{', // 1
      '  "name": "demo",', // 2
      '  "description": "{\\"dependencies\\": {\\"fake\\": 1}}",', // 3
      '  "dependencies": {', // 4
      '    "a": "^1.0.0",', // 5
      '    "@scope/b": "npm:real@^2.0.0"', // 6
      '  },', // 7
      '  "devDependencies": {"c": "3", "d": {"nested": "x"}, "e": "4"},', // 8
      '  "peerDependencies": {},', // 9
      '  "optionalDependencies": {', // 10
      '    "f": "5"', // 11
      '  },', // 12
      '  "config": {"dependencies": {"h": "7"}},', // 13
      '  "list": [{"dependencies": {"i": "8"}}]', // 14
      '}', // 15
    ].join('\n');
    expect(JSON.parse(text)).toBeTruthy();
    expect(entries(locateDeclarations(text))).toEqual({
      dependencies: [
        ['a', 5],
        ['@scope/b', 6],
      ],
      devDependencies: [
        ['c', 8],
        ['d', 8],
        ['e', 8],
      ],
      peerDependencies: [],
      optionalDependencies: [['f', 11]],
    });
  });

  it('reads duplicated sections and keys as JSON.parse does: the last one wins', () => {
    const text = [
      '{', // 1
      '  "dependencies": {', // 2
      '    "a": "1",', // 3
      '    "a": "2"', // 4
      '  },', // 5
      '  "devDependencies": {"gone": "1"},', // 6
      '  "devDependencies": "not an object",', // 7
      '  "dependencies": {', // 8
      '    "b": "1",', // 9
      '    "a": "3"', // 10
      '  }', // 11
      '}', // 12
    ].join('\n');
    expect(entries(locateDeclarations(text))).toEqual({
      dependencies: [
        ['b', 9],
        ['a', 10],
      ],
    });
  });

  it('decodes escaped keys, counts CRLF lines, and keeps a BOM and a one-line file on line 1', () => {
    const crlf =
      '{\r\n  "dependencies": {\r\n    "\\u0040scope/x": "1",\r\n    "q\\"uote": "2"\r\n  }\r\n}\r\n';
    expect(entries(locateDeclarations(crlf))).toEqual({
      dependencies: [
        ['@scope/x', 3],
        ['q"uote', 4],
      ],
    });
    const minified = '\ufeff{"dependencies":{"a":"1","b":"2"},"devDependencies":{"c":"3"}}';
    expect(entries(locateDeclarations(minified))).toEqual({
      dependencies: [
        ['a', 1],
        ['b', 1],
      ],
      devDependencies: [['c', 1]],
    });
  });

  it('keeps hostile keys as plain entries and pollutes nothing', () => {
    const text = '{\n"dependencies": {\n"__proto__": "1",\n"constructor": "2",\n"hasOwnProperty": "3"\n}\n}';
    expect(entries(locateDeclarations(text))).toEqual({
      dependencies: [
        ['__proto__', 3],
        ['constructor', 4],
        ['hasOwnProperty', 5],
      ],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('never throws on broken or hostile text, and stays linear', () => {
    expect(entries(locateDeclarations('{"dependencies": {"a": "1", "b'))).toEqual({
      dependencies: [['a', 1]],
    });
    expect(entries(locateDeclarations('{"dependencies": {"\\x": "1", "ok": "2"}}'))).toEqual({
      dependencies: [['ok', 1]],
    });
    // stray closers before the text: what follows is still read
    expect(entries(locateDeclarations('}}]]{"dependencies": {"a": "1"}}'))).toEqual({
      dependencies: [['a', 1]],
    });
    expect(entries(locateDeclarations('"dependencies": {"a": "1"}'))).toEqual({});
    expect(entries(locateDeclarations(''))).toEqual({});
    expect(entries(locateDeclarations('[[[[{"dependencies": {"a": "1"}}]]]]'))).toEqual({});

    const started = performance.now();
    expect(entries(locateDeclarations('['.repeat(500_000)))).toEqual({});
    // an unterminated value of half a million backslashes after a complete key
    expect(entries(locateDeclarations(`{"dependencies": {"a": "${'\\\\'.repeat(500_000)}`))).toEqual({
      dependencies: [['a', 1]],
    });
    const many = Array.from({ length: 20_000 }, (_, i) => `    "dep-${i}": "^1.0.${i}"`);
    const big = `{\n  "dependencies": {\n${many.join(',\n')}\n  }\n}\n`;
    const found = locateDeclarations(big).get('dependencies')!;
    expect(found.size).toBe(20_000);
    expect(found.get('dep-0')).toBe(3);
    expect(found.get('dep-19999')).toBe(20_002);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('picks the section the edge kind comes from, else any section', () => {
    const lines = locateDeclarations(
      [
        '{', // 1
        '  "dependencies": { "express": "4" },', // 2
        '  "devDependencies": { "express": "4", "vitest": "1" },', // 3
        '  "peerDependencies": { "react": "18" },', // 4
        '  "optionalDependencies": { "fsevents": "2" }', // 5
        '}',
      ].join('\n'),
    );
    expect(declarationLine(lines, 'express', 'runtime')).toBe(2);
    expect(declarationLine(lines, 'express', 'dev')).toBe(3);
    expect(declarationLine(lines, 'vitest', 'runtime')).toBe(3);
    expect(declarationLine(lines, 'react', 'optional')).toBe(4);
    expect(declarationLine(lines, 'fsevents', 'optional')).toBe(5);
    expect(declarationLine(lines, 'missing', 'runtime')).toBeUndefined();
  });
});

describe('walkGraph: each reach carries the declaration of the importer edge its path starts from', () => {
  const edge = (name: string, to: GraphEdge['to'], line?: number, file = 'package.json'): GraphEdge => ({
    name,
    spec: '1',
    kind: 'runtime',
    to,
    ...(line !== undefined ? { declaredAt: { file, line } } : {}),
  });
  const node = (key: string, edges: GraphEdge[] = []) => ({
    key,
    name: key,
    version: '1.0.0',
    purl: `pkg:npm/${key}@1.0.0`,
    sourceKind: 'registry' as const,
    edges,
  });
  const graph: DependencyGraph = {
    manifest: 'package-lock.json',
    format: 'test',
    locked: true,
    importers: [
      {
        path: '.',
        edges: [
          edge('a', { node: 'a' }, 5),
          edge('member', { importer: 'packages/member' }, 6),
          edge('undeclared', { node: 'undeclared' }),
        ],
      },
      { path: 'packages/member', edges: [edge('b', { node: 'b' }, 3, 'packages/member/package.json')] },
    ],
    nodes: new Map([
      ['a', node('a', [edge('c', { node: 'c' })])],
      ['b', node('b')],
      ['c', node('c', [edge('a', { node: 'a' })])],
      ['undeclared', node('undeclared')],
    ]),
    problems: [],
  };

  it('direct, transitive, through a workspace link, and not at all', () => {
    const reaches = walkGraph(graph).map((r) => [
      r.importer,
      r.path.join('>'),
      r.direct,
      r.declaredAt ? `${r.declaredAt.file}:${r.declaredAt.line}` : '-',
    ]);
    expect(reaches).toEqual([
      ['.', 'a', true, 'package.json:5'],
      ['.', 'undeclared', true, '-'],
      ['.', 'a>c', false, 'package.json:5'],
      // reached through the link to packages/member: the line of that link
      ['.', 'b', false, 'package.json:6'],
      ['packages/member', 'b', true, 'packages/member/package.json:3'],
    ]);
  });
});

describe('npm: every usage points at the line of its project package.json', () => {
  it('package-lock workspaces: members use their own package.json; through a link, the link', async () => {
    const inventory = await scanned('fixtures/npm/npm-workspaces');
    expect(usageLines(inventory)).toEqual([
      '@types/debug@4.1.12 npm-workspaces:. direct package.json:8',
      '@types/ms@0.7.34 npm-workspaces:. via package.json:8',
      'debug@4.3.4 npm-workspaces:packages/api direct packages/api/package.json:7',
      'debug@4.3.4 npm-workspaces:packages/web via packages/web/package.json:6',
      'fsevents@2.3.3 npm-workspaces:packages/api direct packages/api/package.json:12',
      'fsevents@2.3.3 npm-workspaces:packages/web via packages/web/package.json:6',
      'humanize-ms@1.2.1 npm-workspaces:. direct package.json:9',
      'humanize-ms@1.2.1 npm-workspaces:packages/web direct packages/web/package.json:13',
      'js-tokens@4.0.0 npm-workspaces:packages/web via packages/web/package.json:16',
      'left-pad@1.3.0 npm-workspaces:packages/web direct packages/web/package.json:7',
      'loose-envify@1.4.0 npm-workspaces:packages/web via packages/web/package.json:16',
      'ms@2.0.0 npm-workspaces:packages/web direct packages/web/package.json:8',
      'ms@2.1.2 npm-workspaces:packages/api via packages/api/package.json:7',
      'ms@2.1.2 npm-workspaces:packages/web via packages/web/package.json:6',
      'ms@2.1.3 npm-workspaces:. via package.json:9',
      'ms@2.1.3 npm-workspaces:packages/api direct packages/api/package.json:8',
      'ms@2.1.3 npm-workspaces:packages/web via packages/web/package.json:6',
      'react@18.2.0 npm-workspaces:packages/web direct packages/web/package.json:16',
      // the alias `"semver6": "npm:semver@^6.3.1"`: the line of the alias
      'semver@6.3.1 npm-workspaces:packages/api direct packages/api/package.json:9',
      'semver@6.3.1 npm-workspaces:packages/web via packages/web/package.json:6',
      'tiny-tarball@1.0.0 npm-workspaces:packages/web direct packages/web/package.json:9',
      'use-sync-external-store@1.2.0 npm-workspaces:packages/web direct packages/web/package.json:10',
    ]);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
  });

  it('pnpm workspaces', async () => {
    expect(usageLines(await scanned('fixtures/npm/pnpm-workspaces'), true)).toEqual([
      'react@17.0.2 pnpm-workspaces:packages/ui direct packages/ui/package.json:8',
      'react@18.2.0 pnpm-workspaces:packages/app direct packages/app/package.json:7',
      'typescript@5.1.6 pnpm-workspaces:. direct package.json:6',
      'typescript@5.1.6 pnpm-workspaces:packages/app direct packages/app/package.json:11',
      'typescript@5.1.6 pnpm-workspaces:packages/config direct packages/config/package.json:5',
      'use-sync-external-store@1.2.0 pnpm-workspaces:packages/app direct packages/app/package.json:8',
      'use-sync-external-store@1.2.0 pnpm-workspaces:packages/ui direct packages/ui/package.json:5',
    ]);
  });

  it('yarn berry and yarn classic workspaces', async () => {
    expect(usageLines(await scanned('fixtures/npm/yarn-berry-workspaces'))).toEqual([
      'has-flag@4.0.0 yarn-berry-workspaces:packages/app via packages/app/package.json:7',
      'has-flag@4.0.0 yarn-berry-workspaces:packages/utils via packages/utils/package.json:5',
      'local-lib@0.0.0-use.local yarn-berry-workspaces:packages/app direct packages/app/package.json:6',
      'supports-color@5.5.0 yarn-berry-workspaces:packages/app direct packages/app/package.json:7',
      'supports-color@7.2.0 yarn-berry-workspaces:packages/app via packages/app/package.json:5',
      'supports-color@7.2.0 yarn-berry-workspaces:packages/utils direct packages/utils/package.json:5',
      'typescript@5.2.2 yarn-berry-workspaces:. direct package.json:12',
      'vendored-pkg@1.0.0 yarn-berry-workspaces:packages/app direct packages/app/package.json:10',
    ]);
    expect(usageLines(await scanned('fixtures/npm/yarn-classic-workspaces'), true)).toEqual([
      'has-flag@^4.0.0 yarn-classic-workspaces:vendor/local-config direct vendor/local-config/package.json:5',
      'left-pad@1.3.0 yarn-classic-workspaces:packages/app direct packages/app/package.json:6',
      'local-config@1.0.0 yarn-classic-workspaces:packages/app direct packages/app/package.json:7',
      'supports-color@5.5.0 yarn-classic-workspaces:packages/app direct packages/app/package.json:8',
      'supports-color@7.2.0 yarn-classic-workspaces:packages/utils direct packages/utils/package.json:5',
      'typescript@5.8.2 yarn-classic-workspaces:. direct package.json:8',
      'typescript@5.8.2 yarn-classic-workspaces:packages/utils direct packages/utils/package.json:8',
    ]);
  });

  it('a package.json without lockfile (CRLF, escaped key, lookalikes, a name in two sections)', async () => {
    expect(usageLines(await scanned('fixtures/declared-at/unlocked'))).toEqual([
      '@scope/escaped@^1.0.0 unlocked:. direct package.json:8',
      // declared in dependencies and devDependencies: npm installs it as a runtime dependency
      'express@^4.18.2 unlocked:. direct package.json:7',
      'fsevents@^2.3.3 unlocked:. direct package.json:14',
      // an optional peer: its line in peerDependencies
      'react@>=17 unlocked:. direct package.json:16',
      'same-line@2.x unlocked:. direct package.json:8',
      'vitest@^1.0.0 unlocked:. direct package.json:12',
    ]);
  });
});

describe('Maven: every usage points at the <dependency> element that brings it in', () => {
  it('own, inherited from a parent of the tree, managed, from an active profile, and transitive', async () => {
    const inventory = await scanned('fixtures/declared-at/maven');
    expect(usageLines(inventory)).toEqual([
      // the version comes from the parent's dependencyManagement: the declaring element counts
      'com.example:managed@2.5 maven:app direct app/pom.xml:17',
      'com.google.guava:guava@32.1.3-jre maven:app via app/pom.xml:12',
      'com.google.guava:guava@32.1.3-jre maven:lib direct lib/pom.xml:12',
      // declared once in the parent, inherited by both modules
      'junit:junit@4.13.2 maven:. direct pom.xml:25',
      'junit:junit@4.13.2 maven:app direct pom.xml:25',
      'junit:junit@4.13.2 maven:lib direct pom.xml:25',
      'org.example.shop:shop-lib@1.0.0 maven:app direct app/pom.xml:12',
      'org.slf4j:slf4j-api@2.0.9 maven:app direct app/pom.xml:27',
    ]);
    expect(inventorySchemaErrors(inventory)).toEqual([]);
  });

  it('a parent that another subject holds is no file of this subject: no line', async () => {
    const inventory = await scanned(
      'fixtures/declared-at/maven-split/parent',
      'fixtures/declared-at/maven-split/child',
    );
    // both POMs are `pom.xml` of their subject: the child's own element keeps its line, the inherited one none
    expect(usageLines(inventory)).toEqual([
      'junit:junit@4.13.2 child:. direct -',
      'junit:junit@4.13.2 parent:. direct pom.xml:9',
      'org.slf4j:slf4j-api@2.0.9 child:. direct pom.xml:12',
    ]);
  });
});

/** The four dependency sections of a parsed package.json: does any declare `name` (directly or as an alias)? */
function declares(packageJson: unknown, name: string): boolean {
  if (typeof packageJson !== 'object' || packageJson === null) return false;
  for (const section of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    const deps: unknown = (packageJson as Record<string, unknown>)[section];
    if (typeof deps !== 'object' || deps === null) continue;
    for (const [key, spec] of Object.entries(deps)) {
      if (key === name || (typeof spec === 'string' && spec.startsWith(`npm:${name}@`))) return true;
    }
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function corpusRepositories(): string[] {
  if (!hasCorpus) return [];
  const out: string[] = [];
  for (const tier of ['github', 'large']) {
    for (const org of readdirSync(path.join(corpus, tier))) {
      for (const name of readdirSync(path.join(corpus, tier, org))) {
        if (existsSync(path.join(corpus, tier, org, name, 'files'))) out.push(`${tier}/${org}/${name}`);
      }
    }
  }
  return out.sort();
}

describe.skipIf(!hasCorpus)('corpus: every direct usage points at a line that holds its name', () => {
  const share = {
    npm: { direct: 0, located: 0, noFile: 0, undeclared: 0 },
    maven: { direct: 0, located: 0, noFile: 0, undeclared: 0 },
  };
  afterAll(() => {
    for (const [ecosystem, { direct, located, noFile, undeclared }] of Object.entries(share)) {
      const percent = direct ? ((100 * located) / direct).toFixed(1) : '-';
      const without =
        ecosystem === 'npm'
          ? `; without: ${noFile} whose project has no package.json in the tree (a submodule), ${undeclared} that the package.json does not declare (a stale lockfile)`
          : '';
      console.log(
        `declaredAt over the corpus, ${ecosystem}: ${located}/${direct} direct usages (${percent}%)${without}`,
      );
    }
  });

  it.each(corpusRepositories())('%s', async (name) => {
    const files = path.join(corpus, name, 'files');
    const inventory = await scanned(files);
    const texts = new Map<string, string[] | null>();
    const linesOf = (file: string) => {
      let lines = texts.get(file);
      if (lines === undefined) {
        const full = path.join(files, file);
        lines = existsSync(full) ? readFileSync(full, 'utf8').split('\n') : null;
        texts.set(file, lines);
      }
      return lines;
    };
    const projectPath = new Map(inventory.projects.map((p) => [p.id, p.path]));
    const wrong: string[] = [];
    const check = (c: Component, u: Usage) => {
      const counts = share[c.ecosystem];
      counts.direct++;
      const expectedFile =
        c.ecosystem === 'npm' ? path.posix.join(projectPath.get(u.project)!, 'package.json') : undefined;
      if (!u.declaredAt) {
        // npm: only when the package.json is absent (a submodule's) or does not declare it (a stale lockfile)
        const lines = expectedFile ? linesOf(expectedFile) : null;
        if (c.ecosystem === 'maven' || (lines && declares(JSON.parse(lines.join('\n')), fullName(c)))) {
          wrong.push(`${fullName(c)} in ${u.project}: no declaredAt`);
        } else if (lines) counts.undeclared++;
        else counts.noFile++;
        return;
      }
      counts.located++;
      const { file, line } = u.declaredAt;
      const lines = linesOf(file);
      const text = lines?.[line - 1] ?? '';
      let holds: boolean;
      if (c.ecosystem === 'npm') {
        holds =
          file === expectedFile &&
          (text.includes(`"${fullName(c)}"`) || text.includes(`npm:${fullName(c)}@`));
      } else {
        const end = lines!.findIndex((l, i) => i >= line - 1 && l.includes('</dependency>'));
        const element = lines!.slice(line - 1, end + 1).join('\n');
        holds =
          text.includes('<dependency') &&
          new RegExp(`<artifactId>\\s*${escapeRegExp(c.name)}\\s*<`).test(element);
      }
      if (!holds) wrong.push(`${fullName(c)} in ${u.project}: ${file}:${line} holds ${text.trim()}`);
    };
    for (const c of inventory.components) for (const u of c.usedBy) if (u.direct) check(c, u);
    expect(wrong).toEqual([]);
  });
});
