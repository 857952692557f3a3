import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../src/core/model.js';
import { buildEffectiveModel, type EffectiveModel } from '../src/ecosystems/maven/effective.js';
import type { LoadedPom, PomLoader, PomLookup } from '../src/ecosystems/maven/pom-loader.js';
import type { Coordinates, RawPom, Repository } from '../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../src/ecosystems/maven/pom.js';
import { children, parseXml, text, type XmlElement } from '../src/ecosystems/maven/xml.js';
import { repoUrl } from './helpers/maven-effective-loader.js';

const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const has = existsSync(corpus);
if (!has) console.warn('skipping: ../shared/corpus is absent');

const lutece = path.join(corpus, 'github', 'lutece-platform');

function pomsUnder(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  const stack = [prefix];
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const name of readdirSync(path.join(dir, relative))) {
      const child = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(dir, child)).isDirectory()) stack.push(child);
      else if (name === 'pom.xml') found.push(child);
    }
  }
  return found.sort();
}

/** The corpus's own parent POMs, served as first party for the version they declare, and nothing else. */
const FIRST_PARTY = [
  { repository: 'tools-maven-global-pom', id: 'fr.paris.lutece.tools:lutece-global-pom:8.0.2-SNAPSHOT' },
  { repository: 'tools-maven-site-pom', id: 'fr.paris.lutece.tools:lutece-site-pom:8.0.2-SNAPSHOT' },
];

/**
 * The tree is one corpus repository; the "repositories" hold only the corpus's parent POMs, for the
 * version they declare, or (with `anyVersion`) for whatever version is asked, as first party.
 */
class CorpusLoader implements PomLoader {
  constructor(
    private readonly files: string,
    private readonly anyVersion = false,
  ) {}

  async fromTree(
    at: string,
  ): Promise<{ ok: true; pom: RawPom } | { ok: false; problem: Problem } | undefined> {
    const file = path.join(this.files, at);
    if (!existsSync(file) || !statSync(file).isFile()) return undefined;
    const parsed = parsePom(readFileSync(file, 'utf8'), at);
    return parsed.ok ? { ok: true, pom: parsed.pom } : parsed;
  }

  async artifact(c: Coordinates, repositories: readonly Repository[]): Promise<PomLookup> {
    const id = `${c.groupId}:${c.artifactId}:${c.version}`;
    const firstParty = FIRST_PARTY.find((f) =>
      this.anyVersion ? f.id.startsWith(`${c.groupId}:${c.artifactId}:`) : f.id === id,
    );
    if (firstParty) {
      const source = `${firstParty.repository}/pom.xml`;
      const parsed = parsePom(
        readFileSync(path.join(lutece, firstParty.repository, 'files', 'pom.xml'), 'utf8'),
        source,
      );
      if (parsed.ok) {
        const loaded: LoadedPom = { pom: parsed.pom, origin: { kind: 'tree', path: source } };
        if (parsed.pom.version !== c.version) loaded.versionAskedFor = c.version;
        return { ok: true, loaded };
      }
    }
    return {
      ok: false,
      tried: repositories.map((r) => repoUrl(r, c)),
      problem: {
        severity: 'error',
        code: 'maven.repository.not-found',
        message: `${id} is in none of the repositories`,
      },
    };
  }
}

/** g:a:type:classifier of the <dependency> children of a <dependencies> element, as written. */
function keysOf(dependencies: XmlElement | undefined): string[] {
  return children(dependencies, 'dependency').map(
    (d) =>
      `${text(d, 'groupId')}:${text(d, 'artifactId')}:${text(d, 'type') ?? 'jar'}:${text(d, 'classifier') ?? ''}`,
  );
}

/**
 * The independent count: the distinct g:a:type:classifier of the <dependency> elements of the POM and of
 * the tree parents the model went through, read straight from the XML (project > dependencies, and
 * project > profiles > profile > dependencies for the profiles the model says are active).
 */
function independentCount(files: string, model: EffectiveModel): number {
  const sources = [
    model.source,
    ...model.parents.filter((p) => p.origin.kind === 'tree').map((p) => p.source),
  ];
  const keys = new Set<string>();
  for (const source of sources) {
    const xml = parseXml(readFileSync(path.join(files, source), 'utf8'), source, 'x');
    if (!xml.ok) continue;
    for (const key of keysOf(children(xml.root, 'dependencies')[0])) keys.add(key);
    const active = new Set(model.activeProfiles.filter((p) => p.declaredIn === source).map((p) => p.id));
    for (const profile of children(children(xml.root, 'profiles')[0], 'profile')) {
      if (active.has(text(profile, 'id') ?? 'default')) {
        for (const key of keysOf(children(profile, 'dependencies')[0])) keys.add(key);
      }
    }
  }
  return keys.size;
}

describe.skipIf(!has)('effective models of every lutece-platform POM of the corpus', () => {
  const repositories = has ? readdirSync(lutece).sort() : [];

  it('builds every POM: no crash, direct dependencies listed, unresolvable parents reported with the URLs tried', async () => {
    let built = 0;
    let unresolvableParents = 0;
    const started = performance.now();
    for (const repository of repositories) {
      const files = path.join(lutece, repository, 'files');
      if (!existsSync(files)) continue;
      const loader = new CorpusLoader(files);
      for (const source of pomsUnder(files)) {
        const parsed = parsePom(readFileSync(path.join(files, source), 'utf8'), source);
        expect(parsed.ok, source).toBe(true);
        if (!parsed.ok) continue;
        const model = await buildEffectiveModel(parsed.pom, loader, {});
        built++;
        expect(model.coordinates.artifactId, source).toBe(parsed.pom.artifactId);
        // Every dependency the XML declares is there; interpolation merged none in these POMs.
        expect(
          new Set(
            model.dependencies.map((d) => `${d.groupId}:${d.artifactId}:${d.type}:${d.classifier ?? ''}`),
          ).size,
          source,
        ).toBe(independentCount(files, model));
        const errors = model.problems.filter((p) => p.severity === 'error');
        for (const error of errors) {
          expect(
            ['maven.parent.unresolvable', 'maven.bom.unresolvable', 'maven.dependency.missing-version'],
            `${source}: ${error.message}`,
          ).toContain(error.code);
        }
        const unresolvable = model.problems.find((p) => p.code === 'maven.parent.unresolvable');
        if (unresolvable) {
          unresolvableParents++;
          expect(model.parentChainComplete).toBe(false);
          expect(unresolvable.message).toMatch(/; tried .*https:\/\/repo\.maven\.apache\.org\/maven2\//);
          if (parsed.pom.repositories.some((r) => r.url?.includes('dev.lutece.paris.fr/maven_repository'))) {
            expect(unresolvable.message).toMatch(/https?:\/\/dev\.lutece\.paris\.fr\/maven_repository\//);
          }
        }
      }
    }
    const elapsed = performance.now() - started;
    console.log(
      `${built} lutece-platform POMs built in ${elapsed.toFixed(0)} ms; ${unresolvableParents} with an unresolvable parent`,
    );
    expect(built).toBe(225);
    expect(elapsed).toBeLessThan(5000);
  });

  it('the global POM: serverUrl interpolated in its license, URL and repositories; its BOMs reported unresolvable', async () => {
    const files = path.join(lutece, 'tools-maven-global-pom', 'files');
    const parsed = parsePom(readFileSync(path.join(files, 'pom.xml'), 'utf8'), 'pom.xml');
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const model = await buildEffectiveModel(parsed.pom, new CorpusLoader(files), {});
    expect(model.coordinates).toEqual({
      groupId: 'fr.paris.lutece.tools',
      artifactId: 'lutece-global-pom',
      version: '8.0.2-SNAPSHOT',
    });
    expect(model.licenses).toEqual([
      {
        name: 'Lutece license',
        url: 'https://dev.lutece.paris.fr/LICENSE.TXT',
        distribution: 'repo',
        line: 116,
        declaredIn: 'pom.xml',
      },
    ]);
    expect(model.url).toBe('https://dev.lutece.paris.fr/');
    expect(model.repositories.map((r) => `${r.id} ${r.url}`)).toEqual([
      'lutece https://dev.lutece.paris.fr/maven_repository',
      'luteceSnapshot https://dev.lutece.paris.fr/snapshot_repository',
      'central https://repo.maven.apache.org/maven2',
    ]);
    expect(
      model.imports.map(
        (b) => `${b.coordinates.groupId}:${b.coordinates.artifactId}:${b.coordinates.version}`,
      ),
    ).toEqual(['org.apache.logging.log4j:log4j-bom:2.25.4', 'com.fasterxml.jackson:jackson-bom:2.21.2']);
    expect(model.problems.filter((p) => p.code === 'maven.bom.unresolvable').map((p) => p.line)).toEqual([
      199, 206,
    ]);
  });

  it('a plugin inheriting the corpus global POM: licenses, URL and managed versions traced to it', async () => {
    const files = path.join(lutece, 'lutece-tech-plugin-rest', 'files');
    const parsed = parsePom(readFileSync(path.join(files, 'pom.xml'), 'utf8'), 'pom.xml');
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const model = await buildEffectiveModel(parsed.pom, new CorpusLoader(files, true), {});
    expect(model.parents).toEqual([
      {
        coordinates: {
          groupId: 'fr.paris.lutece.tools',
          artifactId: 'lutece-global-pom',
          version: '8.0.2-SNAPSHOT',
        },
        origin: { kind: 'tree', path: 'tools-maven-global-pom/pom.xml' },
        source: 'tools-maven-global-pom/pom.xml',
        versionAskedFor: '7.0.2',
      },
    ]);
    expect(model.licenses).toEqual([
      {
        name: 'Lutece license',
        url: 'https://dev.lutece.paris.fr/LICENSE.TXT',
        distribution: 'repo',
        line: 116,
        declaredIn: 'tools-maven-global-pom/pom.xml',
      },
    ]);
    expect(model.url).toBe('https://dev.lutece.paris.fr/plugin-rest/');
    expect(model.organization).toEqual({ name: 'City of Paris', url: 'https://lutece.paris.fr' });
    expect(
      model.dependencies.map((d) => `${d.groupId}:${d.artifactId}:${d.version}:${d.type}:${d.scope}`),
    ).toEqual([
      'fr.paris.lutece:lutece-core:[7.0.0,7.9.9):lutece-core:compile',
      'org.glassfish.jersey.core:jersey-server:2.41:jar:compile',
      'org.glassfish.jersey.ext:jersey-spring5:2.41:jar:compile',
      'org.glassfish.jersey.media:jersey-media-json-jackson:2.41:jar:compile',
      'org.glassfish.jersey.media:jersey-media-multipart:2.41:jar:compile',
      'fr.paris.lutece.plugins:library-signrequest:[2.0.5,3.9.9):jar:compile',
      'jakarta.platform:jakarta.jakartaee-api:10.0.0:jar:provided',
      'org.eclipse.microprofile:microprofile:6.1:pom:provided',
      'fr.paris.lutece.tools:build-config:3.0.1:jar:provided',
    ]);
    expect(model.dependencies.slice(6).map((d) => d.declaredIn)).toEqual([
      'tools-maven-global-pom/pom.xml',
      'tools-maven-global-pom/pom.xml',
      'tools-maven-global-pom/pom.xml',
    ]);
    expect(model.repositories.map((r) => `${r.id} ${r.url} ${r.declaredIn}`)).toEqual([
      'luteceSnapshot https://dev.lutece.paris.fr/snapshot_repository pom.xml',
      'lutece https://dev.lutece.paris.fr/maven_repository pom.xml',
      'central https://repo.maven.apache.org/maven2 maven:super-pom',
    ]);
    expect(model.problems.map((p) => p.code)).toEqual(['maven.bom.unresolvable', 'maven.bom.unresolvable']);
  });
});
