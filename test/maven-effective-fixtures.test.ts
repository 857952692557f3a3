import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildEffectiveModel, type EffectiveModel } from '../src/ecosystems/maven/effective.js';
import { parsePom } from '../src/ecosystems/maven/pom.js';
import type { RawPom } from '../src/ecosystems/maven/pom-model.js';
import { FixturePomLoader } from './helpers/maven-effective-loader.js';

/*
 * fixtures/maven/effective/shop: a multi-module tree (shop-parent with core and web) whose parent
 * (corp-parent) and BOMs (platform-bom importing logging-bom) are in a Maven-layout repository folder.
 * The expected dependencies, management, URLs and licenses below are what `mvn help:effective-pom`
 * (Maven 3.8.7, Java 17) printed for core and web, with the fixture repository given through settings.xml.
 */
const shop = fileURLToPath(new URL('../fixtures/maven/effective/shop', import.meta.url));

function read(path: string): RawPom {
  const parsed = parsePom(readFileSync(`${shop}/tree/${path}`, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.pom;
}

function deps(model: EffectiveModel): string[] {
  return model.dependencies.map(
    (d) => `${d.groupId}:${d.artifactId}:${d.version ?? '-'}:${d.scope}${d.optional ? ' optional' : ''}`,
  );
}

const CORP_PARENT = 'https://repo.maven.apache.org/maven2/org/example/corp/corp-parent/3/corp-parent-3.pom';
// The BOMs are asked for with the effective repositories, corp-parent's corp-releases first.
const PLATFORM_BOM =
  'https://repo.corp.example.org/releases/org/example/platform/platform-bom/2.1/platform-bom-2.1.pom';

describe('effective model of a fixture multi-module tree (checked against mvn help:effective-pom)', () => {
  it('the aggregator: parent from the repository, ${revision} version, modules, BOMs imported recursively', async () => {
    const loader = new FixturePomLoader(shop);
    const model = await buildEffectiveModel(read('pom.xml'), loader, {});
    expect(model.coordinates).toEqual({
      groupId: 'com.acme.shop',
      artifactId: 'shop-parent',
      version: '1.4.0-SNAPSHOT',
    });
    expect(model.packaging).toBe('pom');
    expect(model.modules).toEqual(['core', 'web']);
    expect(model.parents).toEqual([
      {
        coordinates: { groupId: 'org.example.corp', artifactId: 'corp-parent', version: '3' },
        origin: { kind: 'repository', url: CORP_PARENT, repositoryId: 'central' },
        source: CORP_PARENT,
      },
    ]);
    expect(
      model.dependencyManagement.map((d) => [`${d.groupId}:${d.artifactId}:${d.version}`, d.importedFrom]),
    ).toEqual([
      ['com.fasterxml.jackson.core:jackson-databind:2.17.1', undefined],
      ['com.acme.shop:shop-core:1.4.0-SNAPSHOT', undefined],
      ['org.junit.jupiter:junit-jupiter:5.10.2', undefined],
      ['com.google.guava:guava:33.0.0-jre', ['org.example.platform:platform-bom:2.1']],
      ['org.slf4j:slf4j-api:2.0.13', ['org.example.platform:platform-bom:2.1']],
      [
        'ch.qos.logback:logback-classic:1.4.14',
        ['org.example.platform:platform-bom:2.1', 'org.example.platform:logging-bom:1.4'],
      ],
    ]);
    expect(model.activeProfiles).toEqual([{ id: 'modern-jdk', declaredIn: 'pom.xml' }]);
    expect(model.url).toBe('https://corp.example.org/projects/shop-parent/');
    expect(model.problems).toEqual([]);
    expect(loader.asked).toEqual([
      'artifact org.example.corp:corp-parent:3',
      'artifact org.example.platform:platform-bom:2.1',
      'artifact org.example.platform:logging-bom:1.4',
    ]);
  });

  it('core: parent at the default ../pom.xml, versions from management and BOMs, profile property in an artifactId', async () => {
    const loader = new FixturePomLoader(shop);
    const model = await buildEffectiveModel(read('core/pom.xml'), loader, {});
    expect(model.coordinates).toEqual({
      groupId: 'com.acme.shop',
      artifactId: 'shop-core',
      version: '1.4.0-SNAPSHOT',
    });
    expect(deps(model)).toEqual([
      'com.fasterxml.jackson.core:jackson-databind:2.17.1:compile',
      'org.slf4j:slf4j-api:2.0.13:compile',
      'com.google.guava:guava:33.0.0-jre:compile',
      'jakarta.annotation:jakarta.annotation-api:2.1.1:compile optional',
      'org.apache.commons:commons-lang3:3.14.0:compile',
      'org.junit.jupiter:junit-jupiter:5.10.2:test',
    ]);
    expect(model.dependencies.map((d) => [d.declaredIn, d.line, d.managedBy])).toEqual([
      ['core/pom.xml', 15, { declaredIn: 'pom.xml', line: 38 }],
      [
        'core/pom.xml',
        19,
        {
          declaredIn: PLATFORM_BOM,
          line: 27,
          importedFrom: ['org.example.platform:platform-bom:2.1'],
        },
      ],
      [
        'core/pom.xml',
        23,
        {
          declaredIn: PLATFORM_BOM,
          line: 15,
          importedFrom: ['org.example.platform:platform-bom:2.1'],
        },
      ],
      ['core/pom.xml', 33, undefined],
      ['core/pom.xml', 39, undefined],
      ['pom.xml', 52, { declaredIn: CORP_PARENT, line: 55 }],
    ]);
    expect(model.dependencies[2]!.exclusions).toEqual([
      { groupId: 'com.google.code.findbugs', artifactId: 'jsr305' },
    ]);
    expect(model.parents.map((p) => p.origin)).toEqual([
      { kind: 'tree', path: 'pom.xml' },
      { kind: 'repository', url: CORP_PARENT, repositoryId: 'central' },
    ]);
    expect(model.licenses).toEqual([
      {
        name: 'Apache-2.0',
        url: 'https://www.apache.org/licenses/LICENSE-2.0.txt',
        distribution: 'repo',
        line: 17,
        declaredIn: CORP_PARENT,
      },
    ]);
    expect(model.url).toBe('https://corp.example.org/projects/shop-parent/shop-core/');
    expect(model.scm).toEqual({
      connection: 'scm:git:https://git.corp.example.org/platform.git/shop-parent/shop-core',
      url: 'https://git.corp.example.org/platform/shop-parent/shop-core',
    });
    expect(model.organization).toEqual({ name: 'Example Corp', url: 'https://corp.example.org' });
    expect(model.developers).toBe(2);
    expect(model.repositories.map((r) => `${r.id} ${r.url}`)).toEqual([
      'corp-releases https://repo.corp.example.org/releases',
      'central https://repo.maven.apache.org/maven2',
    ]);
    expect(model.problems).toEqual([]);
    expect(loader.asked[0]).toBe('tree pom.xml');
  });

  it('web: parent at a relativePath folder, own licenses, activeByDefault profile, os profile not evaluated', async () => {
    const model = await buildEffectiveModel(read('web/pom.xml'), new FixturePomLoader(shop), {});
    expect(model.coordinates).toEqual({
      groupId: 'com.acme.shop',
      artifactId: 'shop-web',
      version: '1.4.0-SNAPSHOT',
    });
    expect(model.packaging).toBe('war');
    expect(deps(model)).toEqual([
      'com.acme.shop:shop-core:1.4.0-SNAPSHOT:compile',
      'ch.qos.logback:logback-classic:1.4.14:runtime',
      'jakarta.servlet:jakarta.servlet-api:6.0.0:provided',
      'io.micrometer:micrometer-core:1.12.5:compile',
      'org.junit.jupiter:junit-jupiter:5.10.2:test',
    ]);
    expect(model.licenses).toEqual([
      { name: 'MIT', url: 'https://opensource.org/license/mit', line: 17, declaredIn: 'web/pom.xml' },
    ]);
    expect(model.activeProfiles).toEqual([
      { id: 'observability', declaredIn: 'web/pom.xml' },
      { id: 'modern-jdk', declaredIn: 'pom.xml' },
    ]);
    expect(model.url).toBe('https://corp.example.org/projects/shop-parent/shop-web/');
    expect(model.problems).toMatchObject([
      { severity: 'info', code: 'maven.profile.activation-not-evaluated', file: 'web/pom.xml' },
    ]);
  });

  it('with Java 8, the jdk profiles switch: the javax annotation dependency appears and the artifactId property is undefined', async () => {
    const model = await buildEffectiveModel(read('core/pom.xml'), new FixturePomLoader(shop), {
      javaVersion: '1.8.0_392',
    });
    expect(model.activeProfiles).toEqual([{ id: 'java8', declaredIn: 'pom.xml' }]);
    expect(deps(model)).toContain('javax.annotation:javax.annotation-api:1.3.2:compile');
    expect(deps(model)).toContain('jakarta.annotation:${annotations.artifact}:2.1.1:compile optional');
    expect(model.problems).toMatchObject([
      {
        code: 'maven.interpolation.undefined',
        message:
          'core/pom.xml: 1 undefined expression is left as written: ${annotations.artifact} (core/pom.xml:33)',
      },
    ]);
  });
});
