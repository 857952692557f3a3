import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Profile, RawPom } from '../src/ecosystems/maven/pom-model.js';
import { parsePom, type PomParseResult } from '../src/ecosystems/maven/pom.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/maven/poms/${name}`, import.meta.url), 'utf8');
}

function parseFixture(name: string): PomParseResult {
  return parsePom(fixture(name), `fixtures/maven/poms/${name}`);
}

type Plain<T> = Omit<T, 'properties'> & { properties: [string, string][] };

/** The POM with its property maps as ordered entry lists, so that order is compared too. */
function plain(pom: RawPom): Omit<Plain<RawPom>, 'profiles'> & { profiles: Plain<Profile>[] } {
  return {
    ...pom,
    properties: [...pom.properties],
    profiles: pom.profiles.map((profile) => ({ ...profile, properties: [...profile.properties] })),
  };
}

function parsedPom(name: string): RawPom {
  const result = parseFixture(name);
  if (!result.ok) throw new Error(`${name} did not parse: ${result.problem.message}`);
  expect(result.problems).toEqual([]);
  return result.pom;
}

describe('parsePom: the fields of a POM', () => {
  it('reads every field of a rich POM, raw and in order', () => {
    expect(plain(parsedPom('rich.xml'))).toStrictEqual({
      source: 'fixtures/maven/poms/rich.xml',
      modelVersion: '4.0.0',
      groupId: 'fr.paris.lutece.plugins',
      artifactId: 'plugin-inventory-demo',
      version: '${revision}',
      packaging: 'pom',
      name: 'Lutece inventory demo plugin',
      description: 'A plugin written to exercise every part of a POM & its parser.',
      url: 'https://github.com/lutece-platform/lutece-demo-plugin-inventory',
      parent: {
        groupId: 'org.apache.commons',
        artifactId: 'commons-parent',
        version: '69',
        relativePath: '',
        line: 7,
      },
      properties: [
        ['revision', '1.2.0-SNAPSHOT'],
        ['serverUrl', 'dev.lutece.paris.fr'],
        ['jackson.version', '2.18.0'],
        ['empty.value', ''],
        ['spaced.value', 'padded'],
        ['with.attribute', 'kept'],
      ],
      dependencies: [
        {
          groupId: 'fr.paris.lutece',
          artifactId: 'lutece-core',
          version: '[7.0.0,8.0.0)',
          type: 'lutece-core',
          exclusions: [],
          line: 146,
        },
        {
          groupId: 'com.fasterxml.jackson.core',
          artifactId: 'jackson-databind',
          exclusions: [
            { groupId: 'com.fasterxml.jackson.core', artifactId: 'jackson-annotations' },
            { groupId: '*', artifactId: '*' },
          ],
          line: 152,
        },
        {
          groupId: 'net.sf.json-lib',
          artifactId: 'json-lib',
          version: '2.4',
          classifier: 'jdk15',
          optional: 'true',
          exclusions: [],
          line: 166,
        },
        {
          groupId: 'com.sun',
          artifactId: 'tools',
          version: '1.8',
          scope: 'system',
          systemPath: '${java.home}/../lib/tools.jar',
          exclusions: [],
          line: 173,
        },
        {
          groupId: 'org.junit.jupiter',
          artifactId: 'junit-jupiter',
          version: '5.10.3',
          scope: 'test',
          exclusions: [],
          line: 180,
        },
      ],
      dependencyManagement: [
        {
          groupId: 'com.fasterxml.jackson',
          artifactId: 'jackson-bom',
          version: '${jackson.version}',
          type: 'pom',
          scope: 'import',
          exclusions: [],
          line: 130,
        },
        { groupId: 'org.slf4j', artifactId: 'slf4j-api', version: '[2.0,2.1)', exclusions: [], line: 137 },
      ],
      profiles: [
        {
          id: 'postgresql',
          activation: { property: { name: 'db', value: 'postgresql' } },
          properties: [['db.driver', 'org.postgresql.Driver']],
          dependencies: [
            {
              groupId: 'org.postgresql',
              artifactId: 'postgresql',
              version: '42.7.4',
              scope: 'runtime',
              exclusions: [],
              line: 211,
            },
          ],
          dependencyManagement: [],
          repositories: [],
          modules: [],
          line: 199,
        },
      ],
      modules: ['plugin-inventory-core', 'plugin-inventory-web'],
      repositories: [
        {
          id: 'lutece',
          url: 'https://${serverUrl}/maven_repository',
          releases: 'true',
          snapshots: 'false',
          line: 100,
        },
        { id: 'old-http', url: 'http://dev.lutece.paris.fr/snapshot_repository', line: 112 },
      ],
      pluginRepositories: [
        { id: 'lutece', url: 'https://${serverUrl}/maven_repository', snapshots: 'false', line: 119 },
      ],
      licenses: [
        {
          name: 'BSD-3-Clause',
          url: 'https://opensource.org/licenses/BSD-3-Clause',
          distribution: 'repo',
          comments: 'The Lutece license',
          line: 31,
        },
        { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0.txt', line: 37 },
      ],
      scm: {
        url: 'https://github.com/lutece-platform/lutece-demo-plugin-inventory',
        connection: 'scm:git:https://github.com/lutece-platform/lutece-demo-plugin-inventory.git',
        developerConnection: 'scm:git:git@github.com:lutece-platform/lutece-demo-plugin-inventory.git',
        tag: 'HEAD',
      },
      organization: { name: 'City of Paris', url: 'https://lutece.paris.fr' },
      developers: 2,
      contributors: 1,
      inheritAppendPath: { url: 'false', scm: 'false' },
    });
  });

  it('never keeps the names or e-mails of developers and contributors', () => {
    const serialised = JSON.stringify(plain(parsedPom('rich.xml')));
    expect(serialised).not.toMatch(/Jeanne|Pierre|Alex|@example\.org|jdoe/);
  });

  it('tells an absent relativePath from an empty one', () => {
    const pom = (relativePath: string) =>
      `<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version>${relativePath}</parent></project>`;
    const absent = parsePom(pom(''), 'absent/pom.xml');
    const empty = parsePom(pom('<relativePath/>'), 'empty/pom.xml');
    const written = parsePom(pom('<relativePath>../parent2/pom.xml</relativePath>'), 'written/pom.xml');
    expect(absent.ok && absent.pom.parent).toStrictEqual({
      groupId: 'g',
      artifactId: 'p',
      version: '1',
      line: 1,
    });
    expect(absent.ok && 'relativePath' in absent.pom.parent!).toBe(false);
    expect(empty.ok && empty.pom.parent?.relativePath).toBe('');
    expect(written.ok && written.pom.parent?.relativePath).toBe('../parent2/pom.xml');
  });

  it('reads a minimal POM with nothing but coordinates', () => {
    const result = parsePom('<project><groupId>g</groupId><artifactId>a</artifactId></project>', 'pom.xml');
    expect(result).toStrictEqual({
      ok: true,
      problems: [],
      pom: {
        source: 'pom.xml',
        groupId: 'g',
        artifactId: 'a',
        properties: new Map(),
        dependencies: [],
        dependencyManagement: [],
        profiles: [],
        modules: [],
        repositories: [],
        pluginRepositories: [],
        licenses: [],
        developers: 0,
        contributors: 0,
        inheritAppendPath: {},
      },
    });
  });

  it('reads profiles with every kind of activation', () => {
    const pom = parsedPom('profiles.xml');
    expect(plain(pom).profiles).toStrictEqual([
      {
        id: 'always',
        activation: { activeByDefault: 'true' },
        properties: [['db.name', 'hsqldb']],
        dependencies: [
          {
            groupId: 'org.hsqldb',
            artifactId: 'hsqldb',
            version: '2.7.4',
            scope: 'test',
            exclusions: [],
            line: 20,
          },
        ],
        dependencyManagement: [],
        repositories: [],
        modules: [],
        line: 11,
      },
      {
        id: 'java-11-plus',
        activation: { jdk: '[11,)' },
        properties: [],
        dependencies: [],
        dependencyManagement: [
          {
            groupId: 'jakarta.platform',
            artifactId: 'jakarta.jakartaee-bom',
            version: '10.0.0',
            type: 'pom',
            scope: 'import',
            exclusions: [],
            line: 35,
          },
        ],
        repositories: [],
        modules: [],
        line: 28,
      },
      {
        id: 'mysql',
        activation: { property: { name: 'lutece-test-mysql' } },
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [
          { id: 'mariadb-snapshots', url: 'https://repo.example.org/mariadb', releases: 'false', line: 53 },
        ],
        modules: [],
        line: 45,
      },
      {
        id: 'not-ci',
        activation: { property: { name: '!env.CI' } },
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [],
        modules: [],
        line: 62,
      },
      {
        id: 'runtime-ol',
        activation: { property: { name: 'runtime', value: 'ol' } },
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [],
        modules: ['openliberty'],
        line: 70,
      },
      {
        id: 'windows',
        activation: { os: { family: 'Windows' } },
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [],
        modules: [],
        line: 82,
      },
      {
        id: 'linux-amd64',
        activation: { os: { name: 'linux', family: 'unix', arch: 'amd64', version: '6.1' } },
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [],
        modules: [],
        line: 90,
      },
      {
        id: 'with-local-config',
        activation: { file: { exists: '${basedir}/local.properties' } },
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [],
        modules: [],
        line: 101,
      },
      {
        id: 'without-generated',
        activation: { file: { missing: 'target/generated-sources' } },
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [],
        modules: [],
        line: 109,
      },
      {
        id: 'release',
        properties: [],
        dependencies: [],
        dependencyManagement: [],
        repositories: [],
        modules: [],
        line: 117,
      },
    ]);
    expect(pom.dependencies).toEqual([]);
  });

  it('reads a relocation POM', () => {
    const pom = parsedPom('relocation.xml');
    expect(pom.relocation).toStrictEqual({
      groupId: 'com.mysql',
      artifactId: 'mysql-connector-j',
      message: 'MySQL Connector/J artifacts moved to reverse-DNS compliant Maven 2+ coordinates.',
    });
    expect([pom.groupId, pom.artifactId, pom.version, pom.packaging]).toEqual([
      'mysql',
      'mysql-connector-java',
      '8.0.33',
      undefined,
    ]);
  });

  it('ignores the dependencies of build plugins, plugin management, extensions and reporting', () => {
    const pom = parsedPom('build-plugins.xml');
    expect(pom.dependencies).toStrictEqual([
      {
        groupId: 'org.apache.commons',
        artifactId: 'commons-text',
        version: '1.12.0',
        exclusions: [],
        line: 11,
      },
    ]);
    expect(pom.dependencyManagement).toEqual([]);
    expect(pom.packaging).toBe('lutece-plugin');
  });
});

describe('parsePom: oddities are warnings, the rest of the POM is read', () => {
  const result = parseFixture('oddities.xml');
  const file = 'fixtures/maven/poms/oddities.xml';

  it('keeps what can be read', () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pom.version).toBe('1.0.0');
    expect(result.pom.parent).toStrictEqual({
      groupId: 'fr.paris.lutece.tools',
      artifactId: 'lutece-global-pom',
      line: 4,
    });
    expect(result.pom.modules).toEqual(['core']);
    expect(result.pom.dependencies.map((d) => `${d.artifactId}:${d.version}:${d.scope ?? ''}`)).toEqual([
      'weird:1.0:compiled',
      'scoped-by-property:1.0:${dep.scope}',
      'bom:1.0:import',
      'weird:2.0:',
      'half-excluded:1.0:',
    ]);
    expect(result.pom.dependencies[4]!.exclusions).toEqual([]);
    expect(result.pom.profiles.map((p) => `${p.id}@${p.line}`)).toEqual(['twice@70', 'twice@73']);
  });

  it('reports each oddity with its code, line and column, in document order', () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.problems.map((p) => [p.severity, p.code, p.file, p.line, p.column])).toEqual([
      ['warning', 'maven.pom.incomplete-parent', file, 4, 10],
      ['warning', 'maven.pom.duplicate-element', file, 11, 11],
      ['warning', 'maven.pom.unknown-element', file, 12, 13],
      ['warning', 'maven.pom.nested-property', file, 16, 12],
      ['warning', 'maven.pom.empty-module', file, 19, 13],
      ['warning', 'maven.pom.incomplete-dependency', file, 23, 16],
      ['warning', 'maven.pom.incomplete-dependency', file, 26, 16],
      ['warning', 'maven.pom.unknown-scope', file, 29, 16],
      ['warning', 'maven.pom.unknown-scope', file, 41, 16],
      ['warning', 'maven.pom.duplicate-dependency', file, 48, 16],
      ['warning', 'maven.pom.unknown-element', file, 54, 16],
      ['warning', 'maven.pom.incomplete-exclusion', file, 63, 19],
      ['warning', 'maven.pom.duplicate-profile', file, 73, 13],
    ]);
    for (const problem of result.problems) {
      expect(problem.message.startsWith(`${file}:${problem.line}:${problem.column}: `)).toBe(true);
      expect(problem.hint).toBeTruthy();
    }
  });

  it('names what is wrong in the messages', () => {
    if (!result.ok) throw new Error('oddities.xml did not parse');
    const messages = result.problems.map((p) => p.message.slice(file.length + 1));
    expect(messages).toEqual([
      '4:10: <parent> has no version: it cannot be resolved',
      '11:11: <version> appears twice in <project> (first at line 10); the first is used',
      '12:13: <__proto__> is not a POM element inside <project>; it is ignored',
      '16:12: property <nested> contains elements; only its text is kept',
      '19:13: an empty <module> is ignored',
      '23:16: a <dependency> in dependencies has no groupId (orphan); it is left out',
      '26:16: a <dependency> in dependencies has no artifactId (org.example); it is left out',
      '29:16: org.example:weird in dependencies has the unknown scope "compiled"; it is kept as written',
      '41:16: org.example:bom in dependencies has the scope "import", which only dependencyManagement understands',
      '48:16: org.example:weird:jar is declared twice in dependencies (first at line 29); Maven keeps the last declaration at the place of the first',
      '54:16: <dependancy> is not a POM element inside <dependencies>; it is ignored',
      '63:19: an <exclusion> has no artifactId; it is ignored',
      '73:13: profile "twice" is declared twice (first at line 70)',
    ]);
  });

  it('keeps hostile property names in a Map without touching any prototype', () => {
    if (!result.ok) throw new Error('oddities.xml did not parse');
    expect([...result.pom.properties]).toEqual([
      ['__proto__', 'polluted'],
      ['constructor', 'nope'],
      ['nested', 'outer'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.pom)).toBe(Object.prototype);
    expect(typeof ({} as { constructor: unknown }).constructor).toBe('function');
  });

  it('reads hostile attribute and element names as data', () => {
    const hostile = parsePom(
      '<project __proto__="x" constructor="y"><toString>1</toString><properties><hasOwnProperty>2</hasOwnProperty></properties></project>',
      'hostile/pom.xml',
    );
    expect(hostile.ok).toBe(true);
    if (!hostile.ok) return;
    expect(hostile.pom.inheritAppendPath).toStrictEqual({});
    expect(hostile.pom.properties.get('hasOwnProperty')).toBe('2');
    expect(hostile.problems.map((p) => p.code)).toEqual(['maven.pom.unknown-element']);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'x')).toBe(false);
  });

  it('names both coordinates when a dependency has neither', () => {
    const bare = parsePom(
      '<project>\n<dependencies>\n<dependency><version>1</version></dependency>\n</dependencies>\n</project>',
      'bare/pom.xml',
    );
    expect(bare.ok && bare.pom.dependencies).toEqual([]);
    expect(bare.ok && bare.problems.map((p) => p.message)).toEqual([
      'bare/pom.xml:3:12: a <dependency> in dependencies has no groupId nor artifactId; it is left out',
    ]);
  });

  it('does not warn about a scope written as a property', () => {
    if (!result.ok) throw new Error('oddities.xml did not parse');
    expect(result.problems.some((p) => p.message.includes('scoped-by-property'))).toBe(false);
  });
});

describe('parsePom: bad input is an error problem, never a throw', () => {
  it('reports malformed XML with the file, line and column', () => {
    expect(parseFixture('malformed.xml')).toMatchObject({
      ok: false,
      problem: {
        severity: 'error',
        code: 'maven.pom.invalid-xml',
        file: 'fixtures/maven/poms/malformed.xml',
        line: 6,
        column: 27,
      },
    });
    const result = parseFixture('malformed.xml');
    if (!result.ok) {
      expect(result.problem.message).toMatch(
        /^fixtures\/maven\/poms\/malformed\.xml:6:27: .*unexpected close tag/,
      );
    }
  });

  it('reports a truncated POM at its end', () => {
    const result = parseFixture('truncated.xml');
    expect(result).toMatchObject({ ok: false, problem: { code: 'maven.pom.invalid-xml', line: 161 } });
    if (!result.ok) expect(result.problem.message).toMatch(/unclosed tag: exclusion/);
  });

  it('refuses a DOCTYPE, so a billion-laughs entity is never expanded', () => {
    const started = performance.now();
    const result = parseFixture('billion-laughs.xml');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, problem: { code: 'maven.pom.invalid-xml', line: 13 } });
    if (!result.ok) expect(result.problem.message).toMatch(/DOCTYPE is not allowed/);
  });

  it('refuses a root element other than <project>', () => {
    expect(parseFixture('wrong-root.xml')).toStrictEqual({
      ok: false,
      problem: {
        severity: 'error',
        code: 'maven.pom.not-a-project',
        message:
          'fixtures/maven/poms/wrong-root.xml:2:57: the root element is <settings>, not <project>: this is not a POM',
        file: 'fixtures/maven/poms/wrong-root.xml',
        line: 2,
        column: 57,
        hint: 'A pom.xml must have <project> as its root element; check that the file is a Maven POM.',
      },
    });
  });

  it('refuses a 50 MB POM quickly, without parsing it', () => {
    const dependency =
      '<dependency><groupId>org.example</groupId><artifactId>filler</artifactId><version>1.0</version></dependency>\n';
    const huge = `<project><dependencies>${dependency.repeat(Math.ceil((50 * 1024 * 1024) / dependency.length))}</dependencies></project>`;
    expect(huge.length).toBeGreaterThan(50 * 1024 * 1024);
    const started = performance.now();
    const result = parsePom(huge, 'huge/pom.xml');
    expect(performance.now() - started).toBeLessThan(100);
    expect(result).toMatchObject({
      ok: false,
      problem: { code: 'maven.pom.invalid-xml', file: 'huge/pom.xml' },
    });
    if (!result.ok) expect(result.problem.message).toMatch(/more than the \d+ an XML manifest may have/);
  });

  it('returns an error for empty and non-XML content', () => {
    for (const content of ['', '   ', '{"project": {}}', 'groupId=org.example']) {
      const result = parsePom(content, 'odd/pom.xml');
      expect(result).toMatchObject({ ok: false, problem: { severity: 'error', file: 'odd/pom.xml' } });
    }
  });
});
