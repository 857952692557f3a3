import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildEffectiveModel, EffectiveModelCache } from '../src/ecosystems/maven/effective.js';
import type { EffectiveModel } from '../src/ecosystems/maven/effective-model.js';
import type { PomLoader, PomLookup } from '../src/ecosystems/maven/pom-loader.js';
import type { Coordinates } from '../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../src/ecosystems/maven/pom.js';
import {
  resolveDependencies,
  type ModelOutcome,
  type ModelSource,
  type Resolution,
} from '../src/ecosystems/maven/resolve.js';
import { child, children, parseXml } from '../src/ecosystems/maven/xml.js';

const fixtures = fileURLToPath(new URL('../fixtures/maven/resolve', import.meta.url));

/** The JDK mvn ran with when the outputs were recorded (Debian OpenJDK 17.0.15), for <jdk> profile activation. */
const RECORDED_JAVA_VERSION = '17.0.15';

/**
 * A folder in Maven layout: POMs and maven-metadata.xml, as Maven left them after resolving the project.
 * Nothing else is read: no network, no ~/.m2.
 */
class RecordedRepository implements ModelSource, PomLoader {
  readonly asked: string[] = [];
  private readonly cache = new EffectiveModelCache();

  constructor(private readonly root: string) {}

  private pomFile(c: Coordinates): string {
    return path.join(
      this.root,
      ...c.groupId.split('.'),
      c.artifactId,
      c.version,
      `${c.artifactId}-${c.version}.pom`,
    );
  }

  async fromTree(): Promise<undefined> {
    return undefined;
  }

  async artifact(c: Coordinates): Promise<PomLookup> {
    const file = this.pomFile(c);
    const parsed = existsSync(file) ? parsePom(readFileSync(file, 'utf8'), file) : undefined;
    if (parsed?.ok)
      return { ok: true, loaded: { pom: parsed.pom, origin: { kind: 'local-repository', path: file } } };
    const problem = {
      severity: 'error' as const,
      code: 'test.not-recorded',
      message: `${file} is not recorded`,
    };
    return { ok: false, problem, tried: [file] };
  }

  async model(c: Coordinates): Promise<ModelOutcome> {
    this.asked.push(`${c.groupId}:${c.artifactId}:${c.version}`);
    const found = await this.artifact(c);
    if (!found.ok) return { ok: false, reason: found.problem.message, tried: found.tried };
    return {
      ok: true,
      model: await buildEffectiveModel(found.loaded.pom, this, {
        javaVersion: RECORDED_JAVA_VERSION,
        origin: found.loaded.origin,
        cache: this.cache,
      }),
    };
  }

  async versions(groupId: string, artifactId: string): Promise<string[]> {
    const file = path.join(this.root, ...groupId.split('.'), artifactId, 'maven-metadata.xml');
    if (!existsSync(file)) return [];
    const xml = parseXml(readFileSync(file, 'utf8'), file, 'test.xml');
    if (!xml.ok) return [];
    return children(child(child(xml.root, 'versioning'), 'versions'), 'version').map((v) => v.text);
  }
}

/**
 * Each resolved line of the recorded output: `groupId:artifactId:type[:classifier]:version:scope`, followed
 * by ` (optional)` when mvn marks it so.
 */
function recorded(folder: string): string[] {
  return readFileSync(path.join(folder, 'mvn-dependency-list.txt'), 'utf8')
    .split('\n')
    .filter((line) => /^\s{3}\S/.test(line))
    .map((line) => {
      const [coordinates, marker] = line.trim().split(/\s+/);
      return marker === '(optional)' ? `${coordinates} (optional)` : coordinates!;
    });
}

function listed(resolution: Resolution): string[] {
  return resolution.nodes.map((n) => {
    const classifier = n.classifier ? `:${n.classifier}` : '';
    const optional = n.optional ? ' (optional)' : '';
    return `${n.groupId}:${n.artifactId}:${n.type}${classifier}:${n.version}:${n.scope}${optional}`;
  });
}

const SETS = {
  'compile+runtime': ['compile', 'runtime'],
  test: ['test'],
  'provided+system': ['provided', 'system'],
} as const;

type SetName = keyof typeof SETS;

function scopeOf(line: string): string {
  const coordinates = line.replace(/ \(optional\)$/, '');
  return coordinates.slice(coordinates.lastIndexOf(':') + 1);
}

function inSet(lines: string[], set: SetName): string[] {
  return lines.filter((l) => (SETS[set] as readonly string[]).includes(scopeOf(l))).sort();
}

interface Recorded {
  root: EffectiveModel;
  resolution: Resolution;
  repository: RecordedRepository;
  mvn: string[];
  ours: string[];
}

async function resolveRecorded(name: string): Promise<Recorded> {
  const folder = path.join(fixtures, name);
  const repository = new RecordedRepository(path.join(folder, 'repository'));
  const parsed = parsePom(readFileSync(path.join(folder, 'pom.xml'), 'utf8'), 'pom.xml');
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const root = await buildEffectiveModel(parsed.pom, repository, {
    javaVersion: RECORDED_JAVA_VERSION,
    origin: { kind: 'tree', path: 'pom.xml' },
  });
  const resolution = await resolveDependencies(root, repository);
  return { root, resolution, repository, mvn: recorded(folder), ours: listed(resolution) };
}

interface Project {
  name: string;
  /** What it exercises. */
  about: string;
  /** How many artifacts mvn listed in each set (a guard against an empty or misread recording). */
  sizes: Record<SetName, number>;
}

const PROJECTS: Project[] = [
  {
    name: 'webjars-ranges',
    about: 'transitive ranges, a direct version that satisfies one, a direct test version that gives way',
    sizes: { 'compile+runtime': 4, test: 1, 'provided+system': 0 },
  },
  {
    name: 'hibernate-exclusions',
    about: 'an artifact exclusion, a *:* exclusion and a groupId:* exclusion',
    sizes: { 'compile+runtime': 19, test: 0, 'provided+system': 0 },
  },
  {
    name: 'classifiers-test-jar',
    about: 'a classified direct dependency, and one artifact as test-jar (test) and as jar (compile)',
    sizes: { 'compile+runtime': 8, test: 1, 'provided+system': 0 },
  },
  {
    name: 'mysql-relocation',
    about: 'a relocation POM (mysql-connector-java to com.mysql:mysql-connector-j)',
    sizes: { 'compile+runtime': 2, test: 0, 'provided+system': 0 },
  },
  {
    name: 'management-overrides',
    about: 'root management overriding a transitive version and a transitive scope',
    sizes: { 'compile+runtime': 4, test: 1, 'provided+system': 0 },
  },
  {
    name: 'jakartaee-provided',
    about: 'a provided direct dependency whose whole subtree is provided',
    sizes: { 'compile+runtime': 0, test: 0, 'provided+system': 29 },
  },
];

// Every recorded project resolves exactly as mvn listed it, set by set: there is no difference to explain.
// (The live oracle's one explained difference, brotli4j's OS-activated profile, is in a Quarkus project,
// which is not recorded.)
describe('the resolver against recorded mvn dependency:list outputs, offline', () => {
  for (const project of PROJECTS) {
    describe(`${project.name}: ${project.about}`, () => {
      const result = resolveRecorded(project.name);

      for (const set of Object.keys(SETS) as SetName[]) {
        it(`the ${set} set is the one mvn listed`, async () => {
          const { mvn, ours } = await result;
          expect(inSet(mvn, set)).toHaveLength(project.sizes[set]);
          expect(inSet(ours, set)).toEqual(inSet(mvn, set));
        });
      }

      it('lists nothing outside those sets and reads only recorded POMs, without a problem', async () => {
        const { mvn, ours, root, resolution } = await result;
        expect(ours.slice().sort()).toEqual(mvn.slice().sort());
        expect(resolution.problems).toEqual([]);
        expect(root.problems.filter((p) => p.severity !== 'info')).toEqual([]);
      });
    });
  }

  it('webjars-ranges: js-tokens takes the range its dependency asks for, after a second walk', async () => {
    const { resolution, repository } = await resolveRecorded('webjars-ranges');
    expect(resolution.nodes.find((n) => n.artifactId === 'js-tokens')).toMatchObject({
      version: '1.0.1',
      range: '[1.0.1,2)',
      scope: 'test',
      depth: 2,
      path: ['org.webjars.npm:loose-envify:1.1.0', 'org.webjars.npm:js-tokens:1.0.1'],
    });
    // js-tokens 3.0.2 is read in the first walk, before it learns that a range rules it out; the second
    // walk reads only js-tokens 1.0.1
    expect(repository.asked).toEqual([
      'org.webjars.npm:loose-envify:1.1.0',
      'org.webjars.npm:js-tokens:3.0.2',
      'org.webjars.npm:react-dom:18.2.0',
      'org.webjars.npm:react:18.2.0',
      'org.webjars.npm:scheduler:0.23.2',
      'org.webjars.npm:js-tokens:1.0.1',
    ]);
  });

  it('hibernate-exclusions: the excluded artifacts are omitted as excluded', async () => {
    const { resolution } = await resolveRecorded('hibernate-exclusions');
    const excluded = resolution.omitted.filter((o) => o.reason === 'excluded').map((o) => o.key);
    // jaxb-runtime: hibernate-core's artifact exclusion; httpcore5, httpcore5-h2 and slf4j-api: the
    // compile dependencies of httpclient5, by its *:* exclusion; jakarta.ws.rs-api: the jakarta.ws.rs:*
    // exclusion on jersey-server, which applies to the jersey modules below it too
    expect(excluded.sort()).toEqual([
      'jakarta.ws.rs:jakarta.ws.rs-api:jar:',
      'org.apache.httpcomponents.core5:httpcore5-h2:jar:',
      'org.apache.httpcomponents.core5:httpcore5:jar:',
      'org.glassfish.jaxb:jaxb-runtime:jar:',
      'org.slf4j:slf4j-api:jar:',
    ]);
  });

  it('mysql-relocation: the relocated artifact stands in for the one asked for', async () => {
    const { resolution } = await resolveRecorded('mysql-relocation');
    expect(resolution.nodes[0]).toMatchObject({
      groupId: 'com.mysql',
      artifactId: 'mysql-connector-j',
      version: '8.0.33',
      relocatedFrom: 'mysql:mysql-connector-java:8.0.33',
      depth: 1,
    });
  });

  it('classifiers-test-jar: the test-jar and the jar of commons-lang3 are two artifacts', async () => {
    const { resolution } = await resolveRecorded('classifiers-test-jar');
    const lang3 = resolution.nodes.filter((n) => n.artifactId === 'commons-lang3');
    expect(lang3.map((n) => [n.key, n.type, n.classifier, n.scope])).toEqual([
      ['org.apache.commons:commons-lang3:test-jar:tests', 'test-jar', 'tests', 'test'],
      ['org.apache.commons:commons-lang3:jar:', 'jar', undefined, 'compile'],
    ]);
  });

  it('management-overrides: managed version and managed scope win over the declared ones', async () => {
    const { resolution } = await resolveRecorded('management-overrides');
    const pick = (artifactId: string) => resolution.nodes.find((n) => n.artifactId === artifactId);
    expect(pick('commons-lang3')).toMatchObject({ version: '3.12.0', scope: 'compile', depth: 2 });
    expect(pick('hamcrest-core')).toMatchObject({ version: '2.2', scope: 'compile', depth: 2 });
  });
});
