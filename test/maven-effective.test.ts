import { describe, expect, it } from 'vitest';
import {
  buildEffectiveModel,
  EffectiveModelCache,
  MAX_IMPORTED_BOMS,
  type EffectiveModel,
} from '../src/ecosystems/maven/effective.js';
import { jdkMatches, propertyMatches } from '../src/ecosystems/maven/profiles.js';
import { appendPath, normalizeUrl } from '../src/ecosystems/maven/inheritance.js';
import type { Profile } from '../src/ecosystems/maven/pom-model.js';
import { dep, MemoryPomLoader, props, rawPom } from './helpers/maven-effective-loader.js';

const CENTRAL = { id: 'central', url: 'https://repo.maven.apache.org/maven2' };

function deps(model: EffectiveModel): string[] {
  return model.dependencies.map((d) => `${d.groupId}:${d.artifactId}:${d.version ?? '-'}:${d.scope}`);
}

function managed(model: EffectiveModel): string[] {
  return model.dependencyManagement.map((d) => `${d.groupId}:${d.artifactId}:${d.version ?? '-'}`);
}

function codes(model: EffectiveModel): string[] {
  return model.problems.map((p) => p.code);
}

function profile(fields: Partial<Profile>): Profile {
  return {
    properties: new Map(),
    dependencies: [],
    dependencyManagement: [],
    repositories: [],
    modules: [],
    line: 1,
    ...fields,
  };
}

const corpParent = rawPom({
  source: 'https://repo.example/org/example/corp-parent/3/corp-parent-3.pom',
  groupId: 'org.example',
  artifactId: 'corp-parent',
  version: '3',
  packaging: 'pom',
});

describe('parent resolution', () => {
  it('relativePath default ../pom.xml: the tree POM is the parent when its coordinates match', async () => {
    const parent = rawPom({
      source: 'pom.xml',
      groupId: 'com.acme',
      artifactId: 'parent',
      version: '1.0',
      packaging: 'pom',
    });
    const child = rawPom({
      source: 'core/pom.xml',
      artifactId: 'core',
      parent: { groupId: 'com.acme', artifactId: 'parent', version: '1.0', line: 2 },
    });
    const loader = new MemoryPomLoader().inTree(parent).inTree(child);
    const model = await buildEffectiveModel(child, loader, {});
    expect(loader.asked).toEqual(['tree pom.xml']);
    expect(model.coordinates).toEqual({ groupId: 'com.acme', artifactId: 'core', version: '1.0' });
    expect(model.parents).toEqual([
      {
        coordinates: { groupId: 'com.acme', artifactId: 'parent', version: '1.0' },
        origin: { kind: 'tree', path: 'pom.xml' },
        source: 'pom.xml',
      },
    ]);
    expect(model.parentChainComplete).toBe(true);
    expect(model.problems).toEqual([]);
  });

  it('relativePath naming a folder means <folder>/pom.xml, relative to the child folder', async () => {
    const parent = rawPom({
      source: 'build/parent/pom.xml',
      groupId: 'g',
      artifactId: 'p',
      version: '1',
      packaging: 'pom',
    });
    const child = rawPom({
      source: 'modules/a/pom.xml',
      artifactId: 'a',
      parent: { groupId: 'g', artifactId: 'p', version: '1', relativePath: '../../build/parent', line: 2 },
    });
    const loader = new MemoryPomLoader().inTree(parent);
    const model = await buildEffectiveModel(child, loader, {});
    expect(loader.asked).toEqual(['tree build/parent/pom.xml']);
    expect(model.parents.map((p) => p.origin)).toEqual([{ kind: 'tree', path: 'build/parent/pom.xml' }]);
  });

  it('empty <relativePath/> means the repositories only: the tree is not read', async () => {
    const child = rawPom({
      artifactId: 'a',
      parent: { groupId: 'org.example', artifactId: 'corp-parent', version: '3', relativePath: '', line: 2 },
    });
    const loader = new MemoryPomLoader().inTree(rawPom({ source: '../pom.xml' })).inRepository(corpParent);
    const model = await buildEffectiveModel(child, loader, { origin: { kind: 'tree', path: 'sub/pom.xml' } });
    expect(loader.asked).toEqual(['artifact org.example:corp-parent:3']);
    expect(model.parents[0]!.origin).toEqual({
      kind: 'repository',
      url: 'https://repo.maven.apache.org/maven2/org/example/corp-parent/3/corp-parent-3.pom',
      repositoryId: 'central',
    });
  });

  it('a tree POM with another groupId/artifactId is not the parent: a warning, then the repositories', async () => {
    const aggregator = rawPom({
      source: 'pom.xml',
      groupId: 'com.acme',
      artifactId: 'aggregator',
      version: '1',
      packaging: 'pom',
    });
    const child = rawPom({
      source: 'core/pom.xml',
      artifactId: 'core',
      parent: {
        groupId: 'org.example',
        artifactId: 'corp-parent',
        version: '3',
        relativePath: '../pom.xml',
        line: 4,
      },
    });
    const loader = new MemoryPomLoader().inTree(aggregator).inRepository(corpParent);
    const model = await buildEffectiveModel(child, loader, {});
    expect(loader.asked).toEqual(['tree pom.xml', 'artifact org.example:corp-parent:3']);
    expect(model.problems).toMatchObject([
      { severity: 'warning', code: 'maven.parent.relative-path-mismatch', file: 'core/pom.xml', line: 4 },
    ]);
    expect(model.parents[0]!.coordinates.artifactId).toBe('corp-parent');
  });

  it('a tree POM of another version is not the parent, unless <parent> asks for a range that contains it', async () => {
    const treeParent = rawPom({
      source: 'pom.xml',
      groupId: 'org.example',
      artifactId: 'corp-parent',
      version: '4-SNAPSHOT',
      packaging: 'pom',
    });
    const exact = rawPom({
      source: 'a/pom.xml',
      artifactId: 'a',
      parent: { groupId: 'org.example', artifactId: 'corp-parent', version: '3', line: 2 },
    });
    const range = rawPom({
      source: 'a/pom.xml',
      artifactId: 'a',
      parent: { groupId: 'org.example', artifactId: 'corp-parent', version: '[3,)', line: 2 },
    });
    const loader = new MemoryPomLoader().inTree(treeParent).inRepository(corpParent);
    const fromRepository = await buildEffectiveModel(exact, loader, {});
    expect(fromRepository.parents[0]!.coordinates.version).toBe('3');
    expect(fromRepository.coordinates.version).toBe('3');
    const fromTree = await buildEffectiveModel(range, loader, {});
    expect(fromTree.parents[0]!).toMatchObject({
      coordinates: { version: '4-SNAPSHOT' },
      origin: { kind: 'tree', path: 'pom.xml' },
    });
    expect(fromTree.problems).toEqual([]);
    const outside = rawPom({ ...range, parent: { ...range.parent!, version: '[3,3.9]' } });
    const asked = new MemoryPomLoader().inTree(treeParent);
    const skewed = await buildEffectiveModel(outside, asked, {});
    expect(asked.asked).toEqual(['tree pom.xml', 'artifact org.example:corp-parent:[3,3.9]']);
    expect(codes(skewed)).toEqual(['maven.parent.unresolvable']);
  });

  it('the parent lookup gets the repositories known so far: own and active profiles, parents, Maven Central last', async () => {
    const child = rawPom({
      artifactId: 'a',
      properties: props({ host: 'repo.acme.org' }),
      parent: { groupId: 'org.example', artifactId: 'mid', version: '1', relativePath: '', line: 2 },
      repositories: [{ id: 'acme', url: 'https://${host}/maven', line: 10 }],
      profiles: [
        profile({
          id: 'extra',
          activation: { activeByDefault: 'true' },
          repositories: [{ id: 'extra', url: 'https://extra.example/m2', line: 20 }],
        }),
      ],
    });
    const mid = rawPom({
      source: 'https://repo.acme.org/maven/org/example/mid/1/mid-1.pom',
      groupId: 'org.example',
      artifactId: 'mid',
      version: '1',
      packaging: 'pom',
      parent: { groupId: 'org.example', artifactId: 'corp-parent', version: '3', line: 3 },
      repositories: [
        { id: 'acme', url: 'https://shadowed.example', line: 5 },
        { id: 'mid-repo', url: 'https://mid.example/m2', line: 6 },
      ],
    });
    const loader = new MemoryPomLoader().inRepository(mid, corpParent);
    const model = await buildEffectiveModel(child, loader, {});
    expect(loader.repositoriesAsked).toEqual([
      ['acme', 'extra', 'central'],
      ['acme', 'extra', 'mid-repo', 'central'],
    ]);
    expect(model.repositories.map((r) => [r.id, r.url, r.declaredIn])).toEqual([
      ['acme', 'https://repo.acme.org/maven', 'pom.xml'],
      ['extra', 'https://extra.example/m2', 'pom.xml'],
      ['mid-repo', 'https://mid.example/m2', mid.source],
      ['central', CENTRAL.url, 'maven:super-pom'],
    ]);
  });

  it('an unresolvable parent is a problem with the URLs tried, and the direct dependencies are still listed', async () => {
    const child = rawPom({
      source: 'plugin/pom.xml',
      artifactId: 'plugin-rest',
      packaging: 'lutece-plugin',
      parent: {
        groupId: 'fr.paris.lutece.tools',
        artifactId: 'lutece-global-pom',
        version: '7.0.2',
        line: 3,
      },
      repositories: [{ id: 'lutece', url: 'https://dev.lutece.paris.fr/maven_repository', line: 20 }],
      dependencies: [
        dep('org.glassfish.jersey.core:jersey-server:2.41', 30),
        dep('org.apache.commons:commons-lang3', 35),
      ],
    });
    const model = await buildEffectiveModel(child, new MemoryPomLoader(), {});
    expect(model.coordinates).toEqual({
      groupId: 'fr.paris.lutece.tools',
      artifactId: 'plugin-rest',
      version: '7.0.2',
    });
    expect(model.parentChainComplete).toBe(false);
    expect(model.parents).toEqual([]);
    expect(deps(model)).toEqual([
      'org.glassfish.jersey.core:jersey-server:2.41:compile',
      'org.apache.commons:commons-lang3:-:compile',
    ]);
    const unresolvable = model.problems.find((p) => p.code === 'maven.parent.unresolvable')!;
    expect(unresolvable).toMatchObject({ severity: 'error', file: 'plugin/pom.xml', line: 3 });
    expect(unresolvable.message).toContain(
      'https://dev.lutece.paris.fr/maven_repository/fr/paris/lutece/tools/lutece-global-pom/7.0.2/lutece-global-pom-7.0.2.pom',
    );
    expect(unresolvable.message).toContain(
      'https://repo.maven.apache.org/maven2/fr/paris/lutece/tools/lutece-global-pom/7.0.2/lutece-global-pom-7.0.2.pom',
    );
    expect(model.problems.find((p) => p.code === 'maven.dependency.missing-version')).toMatchObject({
      severity: 'warning',
      line: 35,
    });
  });

  it('parent cycle: a problem naming the chain, no hang', async () => {
    const a = rawPom({
      source: 'a/pom.xml',
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      packaging: 'pom',
      parent: { groupId: 'g', artifactId: 'b', version: '1', relativePath: '../b/pom.xml', line: 2 },
    });
    const b = rawPom({
      source: 'b/pom.xml',
      groupId: 'g',
      artifactId: 'b',
      version: '1',
      packaging: 'pom',
      parent: { groupId: 'g', artifactId: 'a', version: '1', relativePath: '../a/pom.xml', line: 2 },
    });
    const model = await buildEffectiveModel(a, new MemoryPomLoader().inTree(a).inTree(b), {});
    expect(model.problems).toMatchObject([
      {
        code: 'maven.parent.cycle',
        file: 'b/pom.xml',
        message: 'b/pom.xml:2: the parents form a cycle: g:a:1 -> g:b:1 -> g:a:1',
      },
    ]);
    expect(model.parents.map((p) => p.coordinates.artifactId)).toEqual(['b']);
  });

  it('a POM whose parent is itself: a cycle problem', async () => {
    const self = rawPom({
      groupId: 'g',
      artifactId: 'self',
      version: '1',
      parent: { groupId: 'g', artifactId: 'self', version: '1', line: 2 },
    });
    const loader = new MemoryPomLoader().inTree(self).builtByTree('g:self', 'pom.xml');
    const model = await buildEffectiveModel(self, loader, {});
    expect(codes(model)).toEqual(['maven.parent.cycle']);
    expect(model.parents).toEqual([]);
  });

  it('a 1,000-long parent chain stops at maxDepth with a problem', async () => {
    const loader = new MemoryPomLoader();
    const link = (i: number) =>
      rawPom({
        source: `repo:p${i}`,
        groupId: 'g',
        artifactId: `p${i}`,
        version: '1',
        packaging: 'pom',
        parent:
          i < 999
            ? { groupId: 'g', artifactId: `p${i + 1}`, version: '1', relativePath: '', line: 2 }
            : undefined,
        properties: props({ [`level${i}`]: String(i) }),
      });
    for (let i = 1; i < 1000; i++) loader.inRepository(link(i));
    const started = performance.now();
    const model = await buildEffectiveModel(link(0), loader, { maxDepth: 32 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(model.parents).toHaveLength(32);
    expect(loader.asked).toHaveLength(32);
    expect(codes(model)).toEqual(['maven.parent.too-deep']);
    expect(model.properties.get('level32')).toBe('32');
    expect(model.properties.has('level33')).toBe(false);
  });

  it('a parent from the repositories without packaging pom: a warning, as Maven refuses it', async () => {
    const jarParent = rawPom({ source: 'repo:x', groupId: 'g', artifactId: 'x', version: '1' });
    const child = rawPom({
      artifactId: 'c',
      parent: { groupId: 'g', artifactId: 'x', version: '1', relativePath: '', line: 5 },
    });
    const model = await buildEffectiveModel(child, new MemoryPomLoader().inRepository(jarParent), {});
    expect(model.problems).toMatchObject([{ severity: 'warning', code: 'maven.parent.packaging', line: 5 }]);
  });

  it('a malformed parent in the tree is reported and the repositories are asked', async () => {
    const broken = {
      severity: 'error' as const,
      code: 'maven.pom.invalid-xml',
      message: 'pom.xml:3:1: bad',
      file: 'pom.xml',
      line: 3,
    };
    const child = rawPom({
      source: 'a/pom.xml',
      artifactId: 'a',
      parent: { groupId: 'org.example', artifactId: 'corp-parent', version: '3', line: 2 },
    });
    const loader = new MemoryPomLoader().inTree(broken, 'pom.xml').inRepository(corpParent);
    const model = await buildEffectiveModel(child, loader, {});
    expect(codes(model)).toEqual(['maven.pom.invalid-xml']);
    expect(model.parents[0]!.origin.kind).toBe('repository');
  });
});

describe('inheritance', () => {
  const parent = rawPom({
    source: 'pom.xml',
    groupId: 'com.acme',
    artifactId: 'parent',
    version: '2.0',
    packaging: 'pom',
    name: 'Acme parent',
    description: 'Shared build',
    url: 'https://acme.example/',
    scm: {
      url: 'https://git.acme.example/platform',
      connection: 'scm:git:https://git.acme.example/platform.git',
      tag: 'HEAD',
    },
    organization: { name: 'Acme', url: 'https://acme.example' },
    developers: 3,
    licenses: [{ name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0', line: 9 }],
    modules: ['core', 'web'],
    relocation: { groupId: 'com.acme.new' },
    properties: props({ shared: 'parent', onlyParent: 'p' }),
    dependencies: [dep('junit:junit:4.13.2', 20, { scope: 'test' }), dep('org.slf4j:slf4j-api:2.0.9', 21)],
    dependencyManagement: [
      dep('com.google.guava:guava:32.0.0-jre', 30),
      dep('commons-io:commons-io:2.11.0', 31),
    ],
    repositories: [
      { id: 'acme', url: 'https://parent.acme.example/m2', line: 40 },
      { id: 'parent-only', url: 'https://p.example/m2', line: 41 },
    ],
  });
  const child = rawPom({
    source: 'core/pom.xml',
    artifactId: 'core',
    parent: { groupId: 'com.acme', artifactId: 'parent', version: '2.0', line: 2 },
    properties: props({ shared: 'child' }),
    dependencies: [dep('org.slf4j:slf4j-api:1.7.36', 10), dep('com.google.guava:guava', 11)],
    dependencyManagement: [dep('commons-io:commons-io:2.15.1', 15)],
    repositories: [{ id: 'acme', url: 'https://child.acme.example/m2', line: 16 }],
  });
  const build = () => buildEffectiveModel(child, new MemoryPomLoader().inTree(parent).inTree(child), {});

  it('groupId and version come from the parent when absent', async () => {
    expect((await build()).coordinates).toEqual({ groupId: 'com.acme', artifactId: 'core', version: '2.0' });
  });

  it('properties: the child wins, the parent adds', async () => {
    const model = await build();
    expect(model.properties.get('shared')).toBe('child');
    expect(model.properties.get('onlyParent')).toBe('p');
  });

  it('dependencies merged by groupId:artifactId:type:classifier: the child wins and comes first', async () => {
    const model = await build();
    expect(deps(model)).toEqual([
      'org.slf4j:slf4j-api:1.7.36:compile',
      'com.google.guava:guava:32.0.0-jre:compile',
      'junit:junit:4.13.2:test',
    ]);
    expect(model.dependencies.map((d) => d.declaredIn)).toEqual(['core/pom.xml', 'core/pom.xml', 'pom.xml']);
  });

  it('dependencyManagement merged the same way', async () => {
    expect(managed(await build())).toEqual([
      'commons-io:commons-io:2.15.1',
      'com.google.guava:guava:32.0.0-jre',
    ]);
  });

  it('repositories merged by id: the child wins, Maven Central last', async () => {
    expect((await build()).repositories.map((r) => `${r.id} ${r.url}`)).toEqual([
      'acme https://child.acme.example/m2',
      'parent-only https://p.example/m2',
      `central ${CENTRAL.url}`,
    ]);
  });

  it('licenses: the nearest POM that declares any wins entirely, with its source', async () => {
    expect((await build()).licenses).toEqual([
      {
        name: 'Apache-2.0',
        url: 'https://www.apache.org/licenses/LICENSE-2.0',
        line: 9,
        declaredIn: 'pom.xml',
      },
    ]);
    const own = rawPom({ ...child, licenses: [{ name: 'MIT', line: 12 }] });
    const model = await buildEffectiveModel(own, new MemoryPomLoader().inTree(parent), {});
    expect(model.licenses).toEqual([{ name: 'MIT', line: 12, declaredIn: 'core/pom.xml' }]);
  });

  it('url and scm URLs get /artifactId appended per child; inherit.append.path=false stops it', async () => {
    const model = await build();
    expect(model.url).toBe('https://acme.example/core/');
    expect(model.scm).toEqual({
      url: 'https://git.acme.example/platform/core',
      connection: 'scm:git:https://git.acme.example/platform.git/core',
      tag: 'HEAD',
    });
    const noAppend = rawPom({ ...parent, inheritAppendPath: { url: 'false', scm: 'false' } });
    const kept = await buildEffectiveModel(child, new MemoryPomLoader().inTree(noAppend), {});
    expect(kept.url).toBe('https://acme.example/');
    expect(kept.scm?.url).toBe('https://git.acme.example/platform');
  });

  it('organization, description and developers are inherited', async () => {
    const model = await build();
    expect(model.organization).toEqual({ name: 'Acme', url: 'https://acme.example' });
    expect(model.description).toBe('Shared build');
    expect(model.developers).toBe(3);
  });

  it('modules, packaging, artifactId, name and relocation are not inherited', async () => {
    const model = await build();
    expect(model.modules).toEqual([]);
    expect(model.packaging).toBe('jar');
    expect(model.name).toBeUndefined();
    expect(model.relocation).toBeUndefined();
  });

  it('url appending follows Maven: one slash between, the trailing slash kept; /../ normalized', () => {
    expect(appendPath('https://a.example', 'core')).toBe('https://a.example/core');
    expect(appendPath('https://a.example/', 'core')).toBe('https://a.example/core/');
    expect(normalizeUrl('https://a.example/x/../core')).toBe('https://a.example/core');
  });
});

describe('profiles', () => {
  it('activeByDefault is active only when no other profile of that POM is activated by a condition', async () => {
    const pom = (withCondition: boolean) =>
      rawPom({
        groupId: 'g',
        artifactId: 'a',
        version: '1',
        profiles: [
          profile({
            id: 'default',
            activation: { activeByDefault: 'true' },
            properties: props({ by: 'default' }),
          }),
          profile({
            id: 'ci',
            activation: { property: { name: withCondition ? 'ci' : 'absent' } },
            properties: props({ by: 'ci' }),
          }),
        ],
      });
    const active = await buildEffectiveModel(pom(true), new MemoryPomLoader(), {
      properties: { ci: 'true' },
    });
    expect(active.activeProfiles).toEqual([{ id: 'ci', declaredIn: 'pom.xml' }]);
    expect(active.properties.get('by')).toBe('ci');
    const fallback = await buildEffectiveModel(pom(false), new MemoryPomLoader(), {
      properties: { ci: 'true' },
    });
    expect(fallback.activeProfiles).toEqual([{ id: 'default', declaredIn: 'pom.xml' }]);
  });

  it('jdk activation: exact prefix, !negation, ranges, against the configured Java version', () => {
    expect(jdkMatches('17', '17')).toBe(true);
    expect(jdkMatches('17', '17.0.2')).toBe(true);
    expect(jdkMatches('1.8', '1.8.0_392')).toBe(true);
    expect(jdkMatches('1.8', '17')).toBe(false);
    expect(jdkMatches('1', '17')).toBe(true); // Maven's prefix match
    expect(jdkMatches('!1.8', '17')).toBe(true);
    expect(jdkMatches('!17', '17')).toBe(false);
    expect(jdkMatches('[11,)', '17')).toBe(true);
    expect(jdkMatches('[11,)', '1.8')).toBe(false);
    expect(jdkMatches('[1.8,11)', '11')).toBe(false);
    expect(jdkMatches('[1.8,11)', '1.8.0_392')).toBe(true);
    expect(jdkMatches('(,11]', '11')).toBe(true);
    // Checked with mvn help:active-profiles on Java 17.0.15: three components compared, bounds as written.
    expect(jdkMatches('(,17]', '17.0.15')).toBe(false);
    expect(jdkMatches('(,17.0.15]', '17.0.15')).toBe(true);
    expect(jdkMatches('(,17.0.15)', '17.0.15')).toBe(false);
    expect(jdkMatches('(17.0.15,)', '17.0.15')).toBe(false);
    expect(jdkMatches('[11,17)', '17.0.15')).toBe(false);
    expect(jdkMatches('(,11]', '17')).toBe(false);
    expect(jdkMatches('[17,21]', '21')).toBe(true);
    expect(jdkMatches('[x,)', '17')).toBe(false);
  });

  it('jdk activation in a POM uses options.javaVersion (default 17)', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      profiles: [
        profile({
          id: 'java8',
          activation: { jdk: '1.8' },
          dependencies: [dep('javax.xml.bind:jaxb-api:2.3.1', 5)],
        }),
        profile({
          id: 'modern',
          activation: { jdk: '[11,)' },
          dependencies: [dep('jakarta.xml.bind:jakarta.xml.bind-api:4.0.1', 9)],
        }),
      ],
    });
    expect(deps(await buildEffectiveModel(pom, new MemoryPomLoader(), {}))).toEqual([
      'jakarta.xml.bind:jakarta.xml.bind-api:4.0.1:compile',
    ]);
    expect(deps(await buildEffectiveModel(pom, new MemoryPomLoader(), { javaVersion: '1.8.0_392' }))).toEqual(
      ['javax.xml.bind:jaxb-api:2.3.1:compile'],
    );
  });

  it('property activation: name, !name, name=value, name=!value', () => {
    const context = (values: Record<string, string>) => ({
      javaVersion: '17',
      property: (name: string) => values[name],
    });
    const set = context({ env: 'prod', flag: 'yes' });
    expect(propertyMatches({ name: 'flag' }, set)).toBe(true);
    expect(propertyMatches({ name: 'missing' }, set)).toBe(false);
    expect(propertyMatches({ name: '!missing' }, set)).toBe(true);
    expect(propertyMatches({ name: '!flag' }, set)).toBe(false);
    expect(propertyMatches({ name: 'env', value: 'prod' }, set)).toBe(true);
    expect(propertyMatches({ name: 'env', value: 'dev' }, set)).toBe(false);
    expect(propertyMatches({ name: 'env', value: '!dev' }, set)).toBe(true);
    expect(propertyMatches({ name: 'missing', value: '!dev' }, set)).toBe(true);
    expect(propertyMatches({ name: '' }, set)).toBe('invalid');
  });

  it('property activation sees -D properties and env.X, not the POM properties', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      properties: props({ fromPom: 'x' }),
      profiles: [
        profile({ id: 'pom-prop', activation: { property: { name: 'fromPom' } } }),
        profile({ id: 'ci', activation: { property: { name: 'env.CI', value: 'true' } } }),
      ],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), { env: { CI: 'true' } });
    expect(model.activeProfiles.map((p) => p.id)).toEqual(['ci']);
  });

  it('os and file activation: never activated, one info problem per POM naming the profiles that matter', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      profiles: [
        profile({
          id: 'windows',
          activation: { os: { family: 'windows' } },
          dependencies: [dep('x:win:1', 4)],
        }),
        profile({
          id: 'local',
          activation: { file: { exists: 'local.properties' } },
          properties: props({ x: '1' }),
        }),
        profile({ id: 'plugins-only', activation: { os: { family: 'unix' } } }),
      ],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual([]);
    expect(model.problems).toMatchObject([
      {
        severity: 'info',
        code: 'maven.profile.activation-not-evaluated',
        message:
          'pom.xml: os and file profile activation is not evaluated, so windows, local are taken as inactive',
      },
    ]);
  });

  it('profile contents are injected into the POM that declares them, before inheritance', async () => {
    const parent = rawPom({
      source: 'pom.xml',
      groupId: 'g',
      artifactId: 'parent',
      version: '1',
      packaging: 'pom',
      properties: props({ level: 'parent' }),
      dependencies: [dep('org.slf4j:slf4j-api:1.7.36', 10)],
      profiles: [
        profile({
          id: 'modern',
          activation: { jdk: '[11,)' },
          properties: props({ level: 'parent-profile', fromProfile: 'yes' }),
          dependencies: [dep('org.slf4j:slf4j-api:2.0.9', 30)],
          dependencyManagement: [dep('com.h2database:h2:2.2.224', 31)],
          modules: ['extra'],
        }),
      ],
    });
    const child = rawPom({
      source: 'a/pom.xml',
      artifactId: 'a',
      parent: { groupId: 'g', artifactId: 'parent', version: '1', line: 2 },
      properties: props({ level: 'child' }),
      dependencies: [dep('com.h2database:h2', 8)],
    });
    const model = await buildEffectiveModel(child, new MemoryPomLoader().inTree(parent), {});
    expect(model.properties.get('level')).toBe('child');
    expect(model.properties.get('fromProfile')).toBe('yes');
    expect(deps(model)).toEqual(['com.h2database:h2:2.2.224:compile', 'org.slf4j:slf4j-api:2.0.9:compile']);
    expect(model.dependencies[1]!.line).toBe(30);
    expect(model.modules).toEqual([]);
    expect(model.activeProfiles).toEqual([{ id: 'modern', declaredIn: 'pom.xml' }]);
  });
});

describe('interpolation', () => {
  it('project.* and pom.* are the effective model: a parent dependency on ${project.version} gets the child version', async () => {
    const parent = rawPom({
      source: 'pom.xml',
      groupId: 'com.acme',
      artifactId: 'parent',
      version: '1.0',
      packaging: 'pom',
      dependencies: [dep('com.acme:shared-${project.artifactId}:${project.version}', 12)],
    });
    const child = rawPom({
      source: 'web/pom.xml',
      artifactId: 'web',
      version: '1.1',
      parent: { groupId: 'com.acme', artifactId: 'parent', version: '1.0', line: 2 },
      dependencies: [dep('${pom.groupId}:core:${project.parent.version}', 20)],
    });
    const model = await buildEffectiveModel(child, new MemoryPomLoader().inTree(parent), {});
    expect(deps(model)).toEqual(['com.acme:core:1.0:compile', 'com.acme:shared-web:1.1:compile']);
    expect(model.problems).toEqual([]);
  });

  it('${parent.*} is the deprecated alias of ${project.parent.*}, and ${version} of ${project.version}', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '5',
      parent: { groupId: 'g', artifactId: 'p', version: '4', relativePath: '', line: 2 },
      dependencies: [dep('g:x:${parent.version}', 10), dep('g:y:${version}', 11)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['g:x:4:compile', 'g:y:5:compile']);
  });

  it('properties resolve recursively, through the chain', async () => {
    const parent = rawPom({
      source: 'pom.xml',
      groupId: 'g',
      artifactId: 'p',
      version: '1',
      packaging: 'pom',
      properties: props({ 'jackson.version': '${jackson.major}.${jackson.minor}', 'jackson.major': '2' }),
    });
    const child = rawPom({
      source: 'a/pom.xml',
      artifactId: 'a',
      parent: { groupId: 'g', artifactId: 'p', version: '1', line: 2 },
      properties: props({ 'jackson.minor': '17.1' }),
      dependencies: [dep('com.fasterxml.jackson.core:jackson-databind:${jackson.version}', 9)],
    });
    const model = await buildEffectiveModel(child, new MemoryPomLoader().inTree(parent), {});
    expect(deps(model)).toEqual(['com.fasterxml.jackson.core:jackson-databind:2.17.1:compile']);
    expect(model.properties.get('jackson.version')).toBe('2.17.1');
  });

  it('CI-friendly ${revision}${sha1}${changelist}: from properties, -D winning over the POM', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '${revision}${sha1}${changelist}',
      properties: props({ revision: '1.2.0', sha1: '', changelist: '-SNAPSHOT' }),
      dependencies: [dep('g:b:${project.version}', 7)],
    });
    const fromPom = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(fromPom.coordinates.version).toBe('1.2.0-SNAPSHOT');
    expect(deps(fromPom)).toEqual(['g:b:1.2.0-SNAPSHOT:compile']);
    const release = await buildEffectiveModel(pom, new MemoryPomLoader(), { properties: { changelist: '' } });
    expect(release.coordinates.version).toBe('1.2.0');
  });

  it('${env.X} from options.env, system properties (-D) from options.properties, java.version from javaVersion', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      repositories: [{ id: 'internal', url: 'https://${env.REPO_HOST}/m2', line: 5 }],
      dependencies: [dep('g:b:${b.version}', 8), dep('g:c:${java.version}', 9)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {
      env: { REPO_HOST: 'nexus.acme.example' },
      properties: { 'b.version': '3.1' },
      javaVersion: '21',
    });
    expect(model.repositories[0]!.url).toBe('https://nexus.acme.example/m2');
    expect(deps(model)).toEqual(['g:b:3.1:compile', 'g:c:21:compile']);
  });

  it('undefined expressions are left as written and reported once per POM, with where they were met', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      url: 'https://${serverUrl}/',
      dependencies: [
        dep('g:b:${missing}', 8),
        dep('g:c:${missing}', 9),
        dep('g:d:1', 10, { systemPath: '${project.basedir}/lib/d.jar', scope: 'system' }),
      ],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['g:b:${missing}:compile', 'g:c:${missing}:compile', 'g:d:1:system']);
    expect(model.dependencies[2]!.systemPath).toBe('${project.basedir}/lib/d.jar');
    expect(model.url).toBe('https://${serverUrl}/');
    expect(model.problems).toEqual([
      {
        severity: 'warning',
        code: 'maven.interpolation.undefined',
        message:
          'pom.xml: 2 undefined expressions are left as written: ${serverUrl} (pom.xml), ${missing} (pom.xml:8)',
        file: 'pom.xml',
        hint: expect.any(String),
      },
    ]);
  });

  it('a property referring to itself is a problem and stays uninterpolated, never a hang', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      properties: props({ self: '${self}', a: '${b}', b: 'x-${a}' }),
      dependencies: [dep('g:b:${self}', 8), dep('g:c:${a}', 9)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['g:b:${self}:compile', 'g:c:${a}:compile']);
    expect(model.problems.map((p) => p.message)).toEqual([
      'pom.xml:8: "${self}" cannot be interpolated, the properties refer to themselves: ${self} -> ${self}; the value is left as written',
      'pom.xml:9: "${a}" cannot be interpolated, the properties refer to themselves: ${b} -> ${a} -> ${b}; the value is left as written',
    ]);
    expect(codes(model)).toEqual(['maven.interpolation.cycle', 'maven.interpolation.cycle']);
  });

  it('a 1,000-long property chain is bounded: a problem, the value left as written', async () => {
    const chain: Record<string, string> = { p999: 'end' };
    for (let i = 0; i < 999; i++) chain[`p${i}`] = `\${p${i + 1}}`;
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      properties: props(chain),
      dependencies: [dep('g:b:${p0}', 8), dep('g:c:${p950}', 9)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['g:b:${p0}:compile', 'g:c:end:compile']);
    expect(codes(model)).toEqual(['maven.interpolation.too-deep']);
  });

  it('exponential expansion (a billion laughs in properties) is bounded in length and time', async () => {
    const laughs: Record<string, string> = { l0: 'lol' };
    for (let i = 1; i <= 40; i++) laughs[`l${i}`] = `\${l${i - 1}}`.repeat(10);
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      properties: props(laughs),
      dependencies: [dep('g:b:${l40}', 8)],
    });
    const started = performance.now();
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(performance.now() - started).toBeLessThan(1000);
    expect(deps(model)).toEqual(['g:b:${l40}:compile']);
    expect(codes(model)).toEqual(['maven.interpolation.too-long']);
    expect(model.properties.get('l2')).toBe('lol'.repeat(100));
  });

  it('hostile names (__proto__, constructor) are plain keys: no prototype pollution', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      properties: new Map([
        ['__proto__', 'polluted'],
        ['constructor', 'c'],
      ]),
      dependencies: [dep('__proto__:constructor:${__proto__}', 8), dep('g:b:${toString}', 9)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['__proto__:constructor:polluted:compile', 'g:b:${toString}:compile']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('import BOMs', () => {
  const loggingBom = rawPom({
    source: 'repo:logging-bom',
    groupId: 'org.example',
    artifactId: 'logging-bom',
    version: '1.4',
    packaging: 'pom',
    properties: props({ slf4j: '2.0.9' }),
    dependencyManagement: [
      dep('org.slf4j:slf4j-api:${slf4j}', 10),
      dep('ch.qos.logback:logback-classic:1.4.14', 11),
    ],
  });
  const platformBom = rawPom({
    source: 'repo:platform-bom',
    groupId: 'org.example',
    artifactId: 'platform-bom',
    version: '2.1',
    packaging: 'pom',
    dependencyManagement: [
      dep('com.google.guava:guava:33.0.0-jre', 20),
      dep('org.example:logging-bom:1.4', 21, { type: 'pom', scope: 'import' }),
      dep('org.slf4j:slf4j-api:1.7.36', 22),
    ],
  });
  const app = rawPom({
    groupId: 'com.acme',
    artifactId: 'app',
    version: '1',
    properties: props({ 'platform.version': '2.1' }),
    dependencyManagement: [
      dep('org.example:platform-bom:${platform.version}', 30, { type: 'pom', scope: 'import' }),
      dep('com.google.guava:guava:32.1.3-jre', 31),
    ],
    dependencies: [
      dep('com.google.guava:guava', 40),
      dep('org.slf4j:slf4j-api', 41),
      dep('ch.qos.logback:logback-classic', 42),
    ],
  });

  it('import-scoped pom entries are replaced by the BOM effective dependencyManagement, recursively; first declaration wins', async () => {
    const model = await buildEffectiveModel(
      app,
      new MemoryPomLoader().inRepository(platformBom, loggingBom),
      {},
    );
    expect(managed(model)).toEqual([
      'com.google.guava:guava:32.1.3-jre',
      'org.slf4j:slf4j-api:1.7.36',
      'ch.qos.logback:logback-classic:1.4.14',
    ]);
    expect(model.dependencyManagement.map((d) => d.importedFrom)).toEqual([
      undefined,
      ['org.example:platform-bom:2.1'],
      ['org.example:platform-bom:2.1', 'org.example:logging-bom:1.4'],
    ]);
    expect(model.imports).toEqual([
      {
        coordinates: { groupId: 'org.example', artifactId: 'platform-bom', version: '2.1' },
        declaredIn: 'pom.xml',
        line: 30,
        origin: {
          kind: 'repository',
          url: 'https://repo.maven.apache.org/maven2/org/example/platform-bom/2.1/platform-bom-2.1.pom',
          repositoryId: 'central',
        },
      },
    ]);
    expect(model.problems).toEqual([]);
  });

  it('management injection: version and scope from management, managedBy naming the entry and its BOMs', async () => {
    const model = await buildEffectiveModel(
      app,
      new MemoryPomLoader().inRepository(platformBom, loggingBom),
      {},
    );
    expect(deps(model)).toEqual([
      'com.google.guava:guava:32.1.3-jre:compile',
      'org.slf4j:slf4j-api:1.7.36:compile',
      'ch.qos.logback:logback-classic:1.4.14:compile',
    ]);
    expect(model.dependencies.map((d) => d.managedBy)).toEqual([
      { declaredIn: 'pom.xml', line: 31 },
      { declaredIn: 'repo:platform-bom', line: 22, importedFrom: ['org.example:platform-bom:2.1'] },
      {
        declaredIn: 'repo:logging-bom',
        line: 11,
        importedFrom: ['org.example:platform-bom:2.1', 'org.example:logging-bom:1.4'],
      },
    ]);
  });

  it('a BOM that imports itself is a problem; its other entries still count', async () => {
    const selfish = rawPom({
      source: 'repo:selfish',
      groupId: 'x',
      artifactId: 'selfish',
      version: '1',
      packaging: 'pom',
      dependencyManagement: [dep('x:selfish:1', 5, { type: 'pom', scope: 'import' }), dep('x:lib:7', 6)],
    });
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencyManagement: [dep('x:selfish:1', 9, { type: 'pom', scope: 'import' })],
      dependencies: [dep('x:lib', 12)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader().inRepository(selfish), {});
    expect(deps(model)).toEqual(['x:lib:7:compile']);
    expect(model.problems).toMatchObject([
      {
        code: 'maven.bom.cycle',
        file: 'repo:selfish',
        line: 5,
        message: 'repo:selfish:5: the import-scoped BOMs form a cycle: g:a:1 -> x:selfish:1 -> x:selfish:1',
      },
    ]);
  });

  it('a POM importing itself as a BOM is a cycle too', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencyManagement: [dep('g:a:1', 9, { type: 'pom', scope: 'import' })],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader().inRepository(pom), {});
    expect(codes(model)).toEqual(['maven.bom.cycle']);
  });

  it('an unresolvable BOM is a problem with the URLs tried; the rest goes on', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      repositories: [{ id: 'acme', url: 'https://acme.example/m2', line: 3 }],
      dependencyManagement: [
        dep('org.missing:bom:9', 9, { type: 'pom', scope: 'import' }),
        dep('x:lib:7', 10),
      ],
      dependencies: [dep('x:lib', 12)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['x:lib:7:compile']);
    expect(model.problems).toMatchObject([
      {
        severity: 'error',
        code: 'maven.bom.unresolvable',
        file: 'pom.xml',
        line: 9,
        message:
          'pom.xml:9: imported BOM org.missing:bom:9 could not be resolved: org.missing:bom:9 was not found; tried https://acme.example/m2/org/missing/bom/9/bom-9.pom, https://repo.maven.apache.org/maven2/org/missing/bom/9/bom-9.pom',
      },
    ]);
    expect(model.imports[0]!.origin).toBeUndefined();
  });

  it("a BOM's warnings and errors are reported with its file; its information notes are not", async () => {
    const noisy = rawPom({
      source: 'repo:noisy-bom',
      groupId: 'x',
      artifactId: 'noisy-bom',
      version: '1',
      packaging: 'pom',
      parent: { groupId: 'x', artifactId: 'gone', version: '1', relativePath: '', line: 4 },
      profiles: [
        profile({ id: 'mac', activation: { os: { family: 'mac' } }, properties: props({ a: 'b' }) }),
      ],
      dependencyManagement: [dep('x:lib:7', 9)],
    });
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencyManagement: [dep('x:noisy-bom:1', 5, { type: 'pom', scope: 'import' })],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader().inRepository(noisy), {});
    expect(managed(model)).toEqual(['x:lib:7']);
    expect(model.problems).toMatchObject([
      { code: 'maven.parent.unresolvable', file: 'repo:noisy-bom', line: 4 },
    ]);
  });

  it('BOM fan-out is bounded: a tree of imports doubling at each level stops at MAX_IMPORTED_BOMS', async () => {
    // bom-L-i imports bom-(L+1)-(2i) and bom-(L+1)-(2i+1): 4,095 distinct BOMs over 12 levels if nothing stopped it.
    const loader = new MemoryPomLoader();
    for (let level = 0; level < 12; level++) {
      for (let i = 0; i < 2 ** level; i++) {
        loader.inRepository(
          rawPom({
            source: `repo:bom-${level}-${i}`,
            groupId: 'x',
            artifactId: `bom-${level}-${i}`,
            version: '1',
            packaging: 'pom',
            dependencyManagement: [
              ...(level < 11
                ? [
                    dep(`x:bom-${level + 1}-${2 * i}:1`, 5, { type: 'pom', scope: 'import' }),
                    dep(`x:bom-${level + 1}-${2 * i + 1}:1`, 6, { type: 'pom', scope: 'import' }),
                  ]
                : []),
              dep(`x:lib-${level}-${i}:1`, 7),
            ],
          }),
        );
      }
    }
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencyManagement: [dep('x:bom-0-0:1', 3, { type: 'pom', scope: 'import' })],
    });
    const started = performance.now();
    const model = await buildEffectiveModel(pom, loader, {});
    expect(performance.now() - started).toBeLessThan(5000);
    expect(loader.asked.length).toBeLessThanOrEqual(MAX_IMPORTED_BOMS);
    expect(codes(model)).toEqual(['maven.bom.too-many']);
    expect(model.dependencyManagement.length).toBeGreaterThan(500);
  });

  it('a shared cache builds each BOM once across builds', async () => {
    const loader = new MemoryPomLoader().inRepository(platformBom, loggingBom);
    const cache = new EffectiveModelCache();
    await buildEffectiveModel(app, loader, { cache });
    await buildEffectiveModel(rawPom({ ...app, artifactId: 'other' }), loader, { cache });
    expect(loader.asked).toEqual([
      'artifact org.example:platform-bom:2.1',
      'artifact org.example:logging-bom:1.4',
    ]);
  });
});

describe('management injection', () => {
  it('a dependency without version takes version, scope and exclusions from management; optional is not managed', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencyManagement: [
        dep('org.hibernate:hibernate-core:6.4.4.Final', 5, {
          scope: 'provided',
          optional: 'true',
          exclusions: [{ groupId: 'org.jboss.logging', artifactId: 'jboss-logging' }],
        }),
      ],
      dependencies: [dep('org.hibernate:hibernate-core', 10)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(model.dependencies).toEqual([
      {
        groupId: 'org.hibernate',
        artifactId: 'hibernate-core',
        version: '6.4.4.Final',
        type: 'jar',
        scope: 'provided',
        optional: false,
        exclusions: [{ groupId: 'org.jboss.logging', artifactId: 'jboss-logging' }],
        line: 10,
        declaredIn: 'pom.xml',
        managedBy: { declaredIn: 'pom.xml', line: 5 },
      },
    ]);
  });

  it('management matches on groupId:artifactId:type:classifier', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencyManagement: [
        dep('x:lib:1', 5),
        dep('x:lib:2', 6, { classifier: 'tests' }),
        dep('x:plugin:3', 7, { type: 'lutece-plugin' }),
      ],
      dependencies: [
        dep('x:lib', 10, { classifier: 'tests', scope: 'test' }),
        dep('x:plugin', 11),
        dep('x:lib', 12, { optional: 'TRUE' }),
      ],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['x:lib:2:test', 'x:plugin:-:compile', 'x:lib:1:compile']);
    expect(model.dependencies[2]!.optional).toBe(true);
    expect(model.problems).toMatchObject([
      {
        severity: 'error',
        code: 'maven.dependency.missing-version',
        line: 11,
        message: expect.stringContaining('pom.xml:11: x:plugin has no version'),
      },
    ]);
  });

  it('defaults: scope compile, type jar, optional false', async () => {
    const pom = rawPom({ groupId: 'g', artifactId: 'a', version: '1', dependencies: [dep('x:y:1', 3)] });
    const [d] = (await buildEffectiveModel(pom, new MemoryPomLoader(), {})).dependencies;
    expect(d).toMatchObject({ type: 'jar', scope: 'compile', optional: false, exclusions: [] });
  });

  it('a dependency declared twice: the last declaration wins, at the place of the first', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencies: [dep('x:y:1', 3), dep('x:z:1', 4), dep('x:y:2', 5)],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(deps(model)).toEqual(['x:y:2:compile', 'x:z:1:compile']);
    expect(model.dependencies[0]!.line).toBe(5);
    expect(model.problems).toEqual([]);
  });

  it('a dependency without groupId or artifactId is reported and left out', async () => {
    const pom = rawPom({
      groupId: 'g',
      artifactId: 'a',
      version: '1',
      dependencies: [{ artifactId: 'y', exclusions: [], line: 3 }],
    });
    const model = await buildEffectiveModel(pom, new MemoryPomLoader(), {});
    expect(model.dependencies).toEqual([]);
    expect(codes(model)).toEqual(['maven.dependency.missing-coordinates']);
  });
});

describe('multi-module', () => {
  it('modules are listed (own and active profiles, interpolated), and are not inherited', async () => {
    const aggregator = rawPom({
      groupId: 'g',
      artifactId: 'root',
      version: '1',
      packaging: 'pom',
      properties: props({ extra: 'docs' }),
      modules: ['core', 'web'],
      profiles: [
        profile({ id: 'all', activation: { activeByDefault: 'true' }, modules: ['web', '${extra}'] }),
      ],
    });
    const model = await buildEffectiveModel(aggregator, new MemoryPomLoader(), {});
    expect(model.modules).toEqual(['core', 'web', 'docs']);
    expect(model.packaging).toBe('pom');
  });
});
