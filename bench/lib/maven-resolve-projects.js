import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

const MVN_TIMEOUT_MS = 20 * 60 * 1000;
const KEEP_OUTPUT = 4000;
/** First-party groupId of the projects below: mvn resolves these from the reactor, not a repository. */
export const FIRST_PARTY_GROUP = 'com.example.bench';

function dependency(gav, extra = '') {
  const [groupId, artifactId, version] = gav.split(':');
  const v = version ? `<version>${version}</version>` : '';
  return `      <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId>${v}${extra}</dependency>`;
}

function pom({ parent = '', coordinates, packaging = '', body }) {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    parent,
    coordinates,
    packaging,
    body,
    '</project>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

const TEST = '<scope>test</scope>';

/** A Spring Boot 3.2.5 application: the starter parent, then web, data-jpa, security and test starters. */
function springBootApplication(dir) {
  writeFileSync(
    path.join(dir, 'pom.xml'),
    pom({
      parent: [
        '  <parent>',
        '    <groupId>org.springframework.boot</groupId>',
        '    <artifactId>spring-boot-starter-parent</artifactId>',
        '    <version>3.2.5</version>',
        '    <relativePath/>',
        '  </parent>',
      ].join('\n'),
      coordinates: `  <groupId>${FIRST_PARTY_GROUP}</groupId>\n  <artifactId>bench-spring-boot-app</artifactId>\n  <version>1.0.0</version>`,
      body: [
        '  <dependencies>',
        dependency('org.springframework.boot:spring-boot-starter-web'),
        dependency('org.springframework.boot:spring-boot-starter-data-jpa'),
        dependency('org.springframework.boot:spring-boot-starter-security'),
        dependency('org.springframework.boot:spring-boot-starter-test', TEST),
        '  </dependencies>',
      ].join('\n'),
    }),
  );
}

/**
 * An aggregator (also the parent: two imported BOMs, a test dependency for all) with three modules, each
 * depending on the one before it and on a few libraries.
 */
function multiModuleBuild(dir) {
  const parentCoordinates = `  <groupId>${FIRST_PARTY_GROUP}</groupId>\n  <artifactId>bench-aggregator</artifactId>\n  <version>1.0.0</version>`;
  const BOM = '<type>pom</type><scope>import</scope>';
  writeFileSync(
    path.join(dir, 'pom.xml'),
    pom({
      coordinates: parentCoordinates,
      packaging: '  <packaging>pom</packaging>',
      body: [
        '  <modules><module>core</module><module>service</module><module>web</module></modules>',
        '  <dependencyManagement>',
        '    <dependencies>',
        dependency('com.fasterxml.jackson:jackson-bom:2.17.1', BOM),
        dependency('org.junit:junit-bom:5.10.2', BOM),
        '    </dependencies>',
        '  </dependencyManagement>',
        '  <dependencies>',
        dependency('org.junit.jupiter:junit-jupiter', TEST),
        '  </dependencies>',
      ].join('\n'),
    }),
  );
  const modules = {
    core: [
      'org.apache.commons:commons-lang3:3.14.0',
      'com.google.guava:guava:33.0.0-jre',
      'org.slf4j:slf4j-api:2.0.13',
    ].map((gav) => dependency(gav)),
    service: [
      dependency(`${FIRST_PARTY_GROUP}:bench-core:\${project.version}`),
      dependency('com.fasterxml.jackson.core:jackson-databind'),
      dependency('org.hibernate.orm:hibernate-core:6.4.4.Final'),
      dependency('org.mockito:mockito-core:5.11.0', TEST),
    ],
    web: [
      dependency(`${FIRST_PARTY_GROUP}:bench-service:\${project.version}`),
      dependency('org.springframework:spring-webmvc:6.1.6'),
      dependency('org.eclipse.jetty:jetty-server:12.0.8'),
      dependency('ch.qos.logback:logback-classic:1.5.6', '<scope>runtime</scope>'),
    ],
  };
  for (const [name, dependencies] of Object.entries(modules)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(
      path.join(dir, name, 'pom.xml'),
      pom({
        parent: `  <parent><groupId>${FIRST_PARTY_GROUP}</groupId><artifactId>bench-aggregator</artifactId><version>1.0.0</version></parent>`,
        coordinates: `  <artifactId>bench-${name}</artifactId>`,
        body: ['  <dependencies>', ...dependencies, '  </dependencies>'].join('\n'),
      }),
    );
  }
  return Object.keys(modules).map((name) => path.join(dir, name));
}

/**
 * The measured projects, written under `workDir`. `mvnGoals`: what mvn runs on it. The multi-module build
 * needs `compile` before `dependency:list`: Maven 3 resolves a sibling module from the reactor only when
 * the compile phase is part of the session (otherwise it looks for bench-core in the repositories and
 * fails), so mvn's time there includes the compile phase of three modules with no source.
 */
export function writeProjects(workDir) {
  const boot = path.join(workDir, 'spring-boot-app');
  mkdirSync(boot);
  springBootApplication(boot);
  const multi = path.join(workDir, 'multi-module');
  mkdirSync(multi);
  const modules = multiModuleBuild(multi);
  return [
    {
      title: 'Spring Boot application (starter parent 3.2.5; web, data-jpa, security, test)',
      short: 'Spring Boot app',
      dir: boot,
      listDirs: [boot],
      mvnGoals: ['dependency:list'],
    },
    {
      title: 'multi-module build (aggregator + core <- service <- web, two imported BOMs)',
      short: 'multi-module',
      dir: multi,
      listDirs: modules,
      mvnGoals: ['compile', 'dependency:list'],
    },
  ];
}

/** `mvn -B -q [-o] <goals> -DoutputFile=dependencies.txt` in the project's folder, timed. */
export function runMvn(project, { offline }) {
  const args = ['-B', '-q', ...(offline ? ['-o'] : []), ...project.mvnGoals, '-DoutputFile=dependencies.txt'];
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn('mvn', args, { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => (output = (output + chunk).slice(-KEEP_OUTPUT));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), MVN_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not start mvn: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      if (code === 0) return resolve({ ok: true, seconds, command: `mvn ${args.join(' ')}` });
      const errors = output
        .split('\n')
        .filter((line) => line.includes('ERROR'))
        .slice(0, 2)
        .join(' ');
      resolve({ ok: false, reason: `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${errors}` });
    });
  });
}

/**
 * The third-party artifacts mvn listed over the project's modules, as `groupId:artifactId:version`
 * (first-party modules left out: they are projects of the scan, not components), with their scope.
 */
export function mvnArtifacts(project) {
  const artifacts = new Map();
  for (const dir of project.listDirs) {
    const file = path.join(dir, 'dependencies.txt');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!/^\s{3}\S/.test(line)) continue;
      const parts = line.trim().split(/\s+/)[0].split(':');
      const [groupId, artifactId] = parts;
      const version = parts[parts.length - 2];
      if (groupId === FIRST_PARTY_GROUP) continue;
      artifacts.set(`${groupId}:${artifactId}:${version}`, parts[parts.length - 1]);
    }
  }
  return artifacts;
}

/** The third-party Maven components of an inventory as `groupId:artifactId:version`. */
export function inventoryArtifacts(inventory) {
  const artifacts = new Set();
  for (const c of inventory.components ?? []) {
    if (c.ecosystem !== 'maven' || c.builtBy?.length) continue;
    artifacts.add(`${c.group}:${c.name}:${c.version}`);
  }
  return artifacts;
}
