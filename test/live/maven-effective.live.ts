import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildEffectiveModel,
  EffectiveModelCache,
  type EffectiveDependency,
  type ManagedDependency,
} from '../../src/ecosystems/maven/effective.js';
import type { Coordinates, RawPom } from '../../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../../src/ecosystems/maven/pom.js';
import { LocalRepositoryLoader, pomPath } from '../helpers/maven-local-repository.js';
import { child, children, parseXml, text, type XmlElement } from '../../src/ecosystems/maven/xml.js';

/**
 * Oracle (opt-in: `npx vitest run --config vitest.live.config.ts test/live/maven-effective.live.ts`):
 * for real artifacts of Maven Central, our effective dependencies and dependencyManagement (coordinates,
 * version, scope, optional, exclusions, in order) against `mvn help:effective-pom` on the same POM. `mvn dependency:get`
 * first brings the POM, its parents and its imported BOMs into ~/.m2/repository, which our loader then
 * reads: no HTTP client is involved, only the model builder is compared.
 */

const PROJECTS = [
  'org.apache.commons:commons-lang3:3.14.0',
  'org.springframework.boot:spring-boot-starter-web:3.2.5',
  'org.springframework.boot:spring-boot-starter-parent:3.2.5',
  'com.fasterxml.jackson.core:jackson-databind:2.17.1',
  'org.apache.maven:maven-core:3.9.6',
  'com.google.guava:guava:33.0.0-jre',
  'org.apache.logging.log4j:log4j-core:2.23.1',
  'org.glassfish.jersey.core:jersey-server:2.41',
  'org.eclipse.jetty:jetty-server:12.0.8',
  'org.apache.httpcomponents.client5:httpclient5:5.3.1',
  'jakarta.platform:jakarta.jakartaee-api:10.0.0',
  'org.hibernate.orm:hibernate-core:6.4.4.Final',
];

const work = mkdtempSync(path.join(tmpdir(), 'maven-oracle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function coordinatesOf(gav: string): Coordinates {
  const [groupId, artifactId, version] = gav.split(':') as [string, string, string];
  return { groupId, artifactId, version };
}

function mvn(args: string[], cwd: string): void {
  execFileSync('mvn', ['-q', '-B', ...args], { cwd, stdio: 'pipe', timeout: 10 * 60_000 });
}

function line(d: XmlElement): string {
  const type = text(d, 'type') ?? 'jar';
  const classifier = text(d, 'classifier');
  const exclusions = children(child(d, 'exclusions'), 'exclusion').map(
    (e) => `${text(e, 'groupId')}:${text(e, 'artifactId')}`,
  );
  return describeEntry({
    groupId: text(d, 'groupId') ?? '',
    artifactId: text(d, 'artifactId') ?? '',
    type,
    classifier,
    version: text(d, 'version'),
    scope: text(d, 'scope'),
    optional: text(d, 'optional') === 'true',
    exclusions,
  });
}

/** One entry as compared: coordinates, version, scope, optional and exclusions. */
function describeEntry(d: {
  groupId: string;
  artifactId: string;
  type: string;
  classifier?: string;
  version?: string;
  scope?: string;
  optional?: boolean;
  exclusions: string[];
}): string {
  const coordinates = `${d.groupId}:${d.artifactId}:${d.type}${d.classifier ? `:${d.classifier}` : ''}`;
  const optional = d.optional ? ' optional' : '';
  const exclusions = d.exclusions.length ? ` excluding ${d.exclusions.join(',')}` : '';
  return `${coordinates} ${d.version ?? '-'} ${d.scope ?? '-'}${optional}${exclusions}`;
}

function oracle(gav: string): { dependencies: string[]; management: string[] } {
  const c = coordinatesOf(gav);
  mvn(['dependency:get', `-Dartifact=${gav}:pom`, '-Dtransitive=false'], work);
  const dir = path.join(work, `${c.artifactId}-${c.version}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(pomPath(c), path.join(dir, 'pom.xml'));
  mvn(['help:effective-pom', '-Doutput=effective.xml'], dir);
  const xml = parseXml(readFileSync(path.join(dir, 'effective.xml'), 'utf8'), 'effective.xml', 'test.xml');
  if (!xml.ok) throw new Error(xml.problem.message);
  return {
    dependencies: children(child(xml.root, 'dependencies'), 'dependency').map(line),
    management: children(child(child(xml.root, 'dependencyManagement'), 'dependencies'), 'dependency').map(
      line,
    ),
  };
}

async function ours(
  gav: string,
  cache: EffectiveModelCache,
): Promise<{ dependencies: string[]; management: string[] }> {
  const file = pomPath(coordinatesOf(gav));
  const parsed = parsePom(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const pom: RawPom = parsed.pom;
  const model = await buildEffectiveModel(pom, new LocalRepositoryLoader(), {
    javaVersion: javaVersion(),
    origin: { kind: 'local-repository', path: file },
    cache,
  });
  for (const problem of model.problems)
    console.log(`  ${gav}: ${problem.severity} ${problem.code}: ${problem.message}`);
  const describe = (d: EffectiveDependency | ManagedDependency) =>
    describeEntry({ ...d, exclusions: d.exclusions.map((e) => `${e.groupId}:${e.artifactId}`) });
  return {
    dependencies: model.dependencies.map(describe),
    management: model.dependencyManagement.map(describe),
  };
}

let java: string | undefined;
/** The `java.version` mvn runs with, so that <jdk> profiles activate alike. */
function javaVersion(): string {
  if (java) return java;
  // -XshowSettings prints to stderr.
  const settings = execFileSync('sh', ['-c', 'java -XshowSettings:properties -version 2>&1'], {
    encoding: 'utf8',
  });
  java = /java\.version = (\S+)/.exec(settings)?.[1] ?? '17';
  return java;
}

function difference(label: string, theirs: string[], mine: string[]): string[] {
  const missing = theirs.filter((x) => !mine.includes(x)).map((x) => `  ${label} only in mvn: ${x}`);
  const extra = mine.filter((x) => !theirs.includes(x)).map((x) => `  ${label} only in ours: ${x}`);
  const order =
    missing.length === 0 && extra.length === 0 && theirs.join('\n') !== mine.join('\n')
      ? [`  ${label}: same entries, another order`]
      : [];
  return [...missing, ...extra, ...order];
}

describe('effective POMs against mvn help:effective-pom', () => {
  const cache = new EffectiveModelCache();
  for (const gav of PROJECTS) {
    it(gav, async () => {
      const expected = oracle(gav);
      const actual = await ours(gav, cache);
      const differences = [
        ...difference('dependency', expected.dependencies, actual.dependencies),
        ...difference('managed', expected.management, actual.management),
      ];
      console.log(
        `${gav}: dependencies ${actual.dependencies.length}/${expected.dependencies.length}, ` +
          `dependencyManagement ${actual.management.length}/${expected.management.length}` +
          (differences.length ? `\n${differences.join('\n')}` : ': identical'),
      );
      expect(actual).toEqual(expected);
    });
  }
});
