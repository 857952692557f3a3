import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEffectiveModel, EffectiveModelCache } from '../../src/ecosystems/maven/effective.js';
import type { Coordinates } from '../../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../../src/ecosystems/maven/pom.js';
import { LOCAL_REPOSITORY, LocalRepositoryLoader, pomPath } from '../helpers/maven-local-repository.js';
import {
  resolveDependencies,
  type ModelOutcome,
  type ModelSource,
  type Resolution,
} from '../../src/ecosystems/maven/resolve.js';
import { child, children, parseXml } from '../../src/ecosystems/maven/xml.js';

/**
 * Oracle (opt-in: `npx vitest run --config vitest.live.config.ts test/live/maven-resolve.live.ts`): for a
 * throwaway project depending on real artifacts of Maven Central, the set of
 * `groupId:artifactId:type[:classifier]:version:scope` our resolver gives against what
 * `mvn dependency:list` prints, for the compile+runtime set, the test set and the provided/system set.
 * mvn first brings every POM it needs into ~/.m2/repository; our ModelSource then reads POMs and
 * maven-metadata.xml from there only (parsePom + buildEffectiveModel), so only the resolver is compared.
 */

interface Probe {
  name: string;
  /** Differences that are Maven's known behaviour or a documented limit, each with its explanation. */
  explained?: Record<string, string>;
  /** `<dependency>` elements of the throwaway project. */
  dependencies: string;
  /** `<dependency>` elements of its dependencyManagement. */
  management?: string;
}

function d(gav: string, extra = ''): string {
  const [groupId, artifactId, version] = gav.split(':') as [string, string, string | undefined];
  const v = version ? `<version>${version}</version>` : '';
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId>${v}${extra}</dependency>`;
}

const TEST = '<scope>test</scope>';
const BOM = '<type>pom</type><scope>import</scope>';

const PROBES: Probe[] = [
  {
    name: 'Apache Commons Text, JUnit 4 for tests',
    dependencies: d('org.apache.commons:commons-text:1.11.0') + d('junit:junit:4.13.2', TEST),
  },
  {
    name: 'Spring Boot web application with its BOM chain (spring-boot-dependencies imported)',
    management: d('org.springframework.boot:spring-boot-dependencies:3.2.5', BOM),
    dependencies:
      d('org.springframework.boot:spring-boot-starter-web') +
      d('org.springframework.boot:spring-boot-starter-actuator') +
      d('org.springframework.boot:spring-boot-starter-test', TEST),
  },
  {
    name: 'Spring Boot starter web alone (its transitive versions as its own POMs say)',
    dependencies: d('org.springframework.boot:spring-boot-starter-web:3.2.5'),
  },
  {
    name: 'Quarkus application with the Quarkus BOM imported',
    management: d('io.quarkus:quarkus-bom:3.8.4', BOM),
    dependencies:
      d('io.quarkus:quarkus-resteasy-reactive-jackson') +
      d('io.quarkus:quarkus-hibernate-orm-panache') +
      d('io.quarkus:quarkus-junit5', TEST) +
      d('io.rest-assured:rest-assured', TEST),
    explained: {
      'compile+runtime only in mvn:  com.aayushatharva.brotli4j:native-linux-x86_64:jar:1.16.0:compile':
        'brotli4j declares its native library in a profile activated by <os><family>Linux</family><arch>amd64</arch>: ' +
        'mvn evaluates it on the machine it runs on; the model builder leaves os activation unevaluated (an info ' +
        'problem says so), so that an inventory does not depend on the OS of the machine that scans',
    },
  },
  {
    name: 'Jakarta EE 10 API, provided',
    dependencies: d('jakarta.platform:jakarta.jakartaee-api:10.0.0', '<scope>provided</scope>'),
  },
  {
    name: 'Hibernate ORM with an exclusion, and wildcard exclusions',
    dependencies:
      d(
        'org.hibernate.orm:hibernate-core:6.4.4.Final',
        '<exclusions><exclusion><groupId>org.glassfish.jaxb</groupId><artifactId>jaxb-runtime</artifactId></exclusion></exclusions>',
      ) +
      d(
        'org.apache.httpcomponents.client5:httpclient5:5.3.1',
        '<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>',
      ) +
      d(
        'org.glassfish.jersey.core:jersey-server:3.1.5',
        '<exclusions><exclusion><groupId>jakarta.ws.rs</groupId><artifactId>*</artifactId></exclusion></exclusions>',
      ),
  },
  {
    name: 'Version ranges (a union, an exact version, an open range)',
    dependencies:
      d('com.google.guava:guava:[32.0,33.0)') +
      d('org.slf4j:slf4j-api:[2.0.9]') +
      d('commons-io:commons-io:[2.11.0,2.15.0],[2.16.0,2.16.1)'),
  },
  {
    name: 'Classifiers and test-jar',
    dependencies:
      d('io.netty:netty-transport-native-epoll:4.1.108.Final', '<classifier>linux-x86_64</classifier>') +
      d('org.apache.commons:commons-lang3:3.14.0', '<type>test-jar</type><scope>test</scope>') +
      d('org.apache.commons:commons-lang3:3.14.0'),
  },
  {
    name: 'Relocation (mysql-connector-java to mysql-connector-j)',
    dependencies: d('mysql:mysql-connector-java:8.0.33'),
  },
  {
    name: 'Management overriding transitive versions and scopes (a managed scope is not derived)',
    management:
      d('org.hamcrest:hamcrest-core:2.2', '<scope>compile</scope>') +
      d('org.apache.commons:commons-lang3:3.12.0'),
    dependencies: d('junit:junit:4.13.2', TEST) + d('org.apache.commons:commons-text:1.11.0'),
  },
  {
    name: 'Scope widening: an artifact reached through test and runtime paths',
    dependencies:
      d('org.apache.logging.log4j:log4j-core:2.23.1', TEST) +
      d('com.fasterxml.jackson.core:jackson-databind:2.17.1', '<scope>runtime</scope>') +
      d('org.apache.maven:maven-core:3.9.6'),
  },
  {
    name: 'Optional dependencies of the root, and a Jetty server',
    dependencies:
      d('com.google.guava:guava:33.0.0-jre', '<optional>true</optional>') +
      d('org.eclipse.jetty:jetty-server:12.0.8'),
  },
  {
    name: 'WebJars: ranges declared by transitive dependencies',
    dependencies:
      d('org.webjars.npm:react-dom:18.2.0') +
      d('org.webjars.npm:react:18.2.0') +
      d('org.webjars:bootstrap:3.4.1'),
  },
  {
    name: 'A direct version gives way to a range a dependency asks for (js-tokens 3.0.2 asked, [1.0.1,2) wins)',
    dependencies:
      d('org.webjars.npm:loose-envify:1.1.0') +
      d('org.webjars.npm:js-tokens:3.0.2', TEST) +
      d('org.webjars.npm:react-dom:18.2.0'),
  },
  {
    name: 'Spring Boot data JPA and security with the BOM, runtime, provided and test dependencies',
    management: d('org.springframework.boot:spring-boot-dependencies:3.2.5', BOM),
    dependencies:
      d('org.springframework.boot:spring-boot-starter-data-jpa') +
      d('org.springframework.boot:spring-boot-starter-security') +
      d('org.postgresql:postgresql', '<scope>runtime</scope>') +
      d('org.projectlombok:lombok', '<scope>provided</scope><optional>true</optional>') +
      d('com.h2database:h2', TEST) +
      d('org.springframework.security:spring-security-test', TEST),
  },
  {
    name: 'Older Java EE era libraries (Spring 5, Hibernate 5, Struts 2, log4j 1)',
    dependencies:
      d('org.springframework:spring-webmvc:5.3.33') +
      d('org.hibernate:hibernate-core:5.6.15.Final') +
      d('org.apache.struts:struts2-core:2.5.33') +
      d('log4j:log4j:1.2.17') +
      d('commons-beanutils:commons-beanutils:1.9.4'),
  },
  {
    name: 'Kafka clients and Apache POI',
    dependencies: d('org.apache.kafka:kafka-clients:3.7.0') + d('org.apache.poi:poi-ooxml:5.2.5'),
  },
  {
    name: 'AWS SDK S3 (many modules of one BOM, Netty)',
    dependencies: d('software.amazon.awssdk:s3:2.25.31'),
  },
  {
    name: 'JGit, Selenium for tests',
    dependencies:
      d('org.eclipse.jgit:org.eclipse.jgit:6.9.0.202403050737-r') +
      d('org.seleniumhq.selenium:selenium-java:4.19.1', TEST),
  },
];

const work = mkdtempSync(path.join(tmpdir(), 'maven-resolve-oracle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Effective models and version lists from ~/.m2/repository, as mvn left it. */
class LocalRepositorySource implements ModelSource {
  readonly requests = { models: 0, versions: 0 };
  private readonly loader = new LocalRepositoryLoader();
  private readonly cache = new EffectiveModelCache();

  async model(c: Coordinates): Promise<ModelOutcome> {
    this.requests.models++;
    const file = pomPath(c);
    if (!existsSync(file)) return { ok: false, reason: 'not in ~/.m2/repository', tried: [file] };
    const parsed = parsePom(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) return { ok: false, reason: parsed.problem.message, tried: [file] };
    const model = await buildEffectiveModel(parsed.pom, this.loader, {
      javaVersion: javaVersion(),
      origin: { kind: 'local-repository', path: file },
      cache: this.cache,
    });
    return { ok: true, model };
  }

  async versions(groupId: string, artifactId: string): Promise<string[]> {
    this.requests.versions++;
    const dir = path.join(LOCAL_REPOSITORY, ...groupId.split('.'), artifactId);
    if (!existsSync(dir)) return [];
    const versions = new Set<string>();
    for (const name of readdirSync(dir)) {
      if (!/^maven-metadata.*\.xml$/.test(name)) continue;
      const xml = parseXml(readFileSync(path.join(dir, name), 'utf8'), name, 'test.xml');
      if (!xml.ok) continue;
      const listed = children(child(child(xml.root, 'versioning'), 'versions'), 'version');
      for (const v of listed) if (v.text) versions.add(v.text);
    }
    return [...versions];
  }
}

let java: string | undefined;
/** The `java.version` mvn runs with, so that <jdk> profiles activate alike. */
function javaVersion(): string {
  if (java) return java;
  const settings = execFileSync('sh', ['-c', 'java -XshowSettings:properties -version 2>&1'], {
    encoding: 'utf8',
  });
  java = /java\.version = (\S+)/.exec(settings)?.[1] ?? '17';
  return java;
}

function projectPom(probe: Probe, artifactId: string): string {
  const management = probe.management
    ? `<dependencyManagement><dependencies>${probe.management}</dependencies></dependencyManagement>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>oracle</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>1.0</version>
  ${management}
  <dependencies>${probe.dependencies}</dependencies>
</project>
`;
}

/** `mvn dependency:list`: every scope, transitive included, as `g:a:type[:classifier]:version:scope`. */
function oracle(dir: string): { lines: string[]; millis: number } {
  const started = performance.now();
  try {
    execFileSync(
      'mvn',
      [
        '-B',
        '-q',
        'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:list',
        '-DoutputFile=dependencies.txt',
        '-DexcludeTransitive=false',
      ],
      { cwd: dir, stdio: 'pipe', timeout: 20 * 60_000, encoding: 'utf8' },
    );
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(
      `mvn failed in ${dir}:\n${output
        .split('\n')
        .filter((l) => l.includes('ERROR'))
        .join('\n')}`,
    );
  }
  const millis = performance.now() - started;
  const lines = readFileSync(path.join(dir, 'dependencies.txt'), 'utf8')
    .split('\n')
    .filter((line) => /^\s{3}\S/.test(line))
    .map((line) => line.trim().split(/\s+/)[0]!);
  return { lines, millis };
}

function listed(resolution: Resolution): string[] {
  return resolution.nodes.map((n) => {
    const classifier = n.classifier ? `:${n.classifier}` : '';
    return `${n.groupId}:${n.artifactId}:${n.type}${classifier}:${n.version}:${n.scope}`;
  });
}

const SETS: [string, (scope: string) => boolean][] = [
  ['compile+runtime', (s) => s === 'compile' || s === 'runtime'],
  ['test', (s) => s === 'test'],
  ['provided+system', (s) => s === 'provided' || s === 'system'],
];

function differences(theirs: string[], mine: string[]): string[] {
  const out: string[] = [];
  for (const [label, inSet] of SETS) {
    const a = new Set(theirs.filter((l) => inSet(l.slice(l.lastIndexOf(':') + 1))));
    const b = new Set(mine.filter((l) => inSet(l.slice(l.lastIndexOf(':') + 1))));
    for (const x of a) if (!b.has(x)) out.push(`  ${label} only in mvn:  ${x}`);
    for (const x of b) if (!a.has(x)) out.push(`  ${label} only in ours: ${x}`);
  }
  return out;
}

describe('transitive dependencies against mvn dependency:list', () => {
  for (const [index, probe] of PROBES.entries()) {
    it(probe.name, async () => {
      const dir = path.join(work, `probe-${index}`);
      mkdirSync(dir, { recursive: true });
      const pom = projectPom(probe, `probe-${index}`);
      writeFileSync(path.join(dir, 'pom.xml'), pom);
      const expected = oracle(dir);

      const parsed = parsePom(pom, 'pom.xml');
      if (!parsed.ok) throw new Error(parsed.problem.message);
      const source = new LocalRepositorySource();
      const started = performance.now();
      const root = await buildEffectiveModel(parsed.pom, new LocalRepositoryLoader(), {
        javaVersion: javaVersion(),
        origin: { kind: 'tree', path: 'pom.xml' },
      });
      const resolution = await resolveDependencies(root, source);
      const millis = performance.now() - started;
      const actual = listed(resolution);
      for (const problem of [...root.problems, ...resolution.problems])
        console.log(`  ${problem.severity} ${problem.code}: ${problem.message}`);
      const found = differences(expected.lines, actual);
      console.log(
        `${probe.name}: ${actual.length} ours / ${expected.lines.length} mvn; ` +
          `${source.requests.models} POM and ${source.requests.versions} metadata requests; ` +
          `ours ${millis.toFixed(0)} ms (local POMs, cold models), mvn ${expected.millis.toFixed(0)} ms` +
          (found.length ? `\n${found.join('\n')}` : ': identical'),
      );
      for (const line of found) {
        const why = probe.explained?.[line.trim()];
        if (why) console.log(`  explained: ${line.trim()}: ${why}`);
      }
      expect(found.map((l) => l.trim())).toEqual(Object.keys(probe.explained ?? {}));
    });
  }
});
