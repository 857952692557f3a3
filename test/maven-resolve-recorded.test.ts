import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildEffectiveModel } from '../src/ecosystems/maven/effective.js';
import type { PomLoader, PomLookup } from '../src/ecosystems/maven/pom-loader.js';
import type { Coordinates } from '../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../src/ecosystems/maven/pom.js';
import { resolveDependencies, type ModelOutcome, type ModelSource } from '../src/ecosystems/maven/resolve.js';
import { child, children, parseXml } from '../src/ecosystems/maven/xml.js';

const fixtures = fileURLToPath(new URL('../fixtures/maven/resolve', import.meta.url));

/** A folder in Maven layout: POMs and maven-metadata.xml, as Maven left them after resolving the project. */
class RecordedRepository implements ModelSource, PomLoader {
  readonly asked: string[] = [];

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
      model: await buildEffectiveModel(found.loaded.pom, this, { origin: found.loaded.origin }),
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

/** The first column of each resolved line: `groupId:artifactId:type[:classifier]:version:scope`. */
function recorded(folder: string): string[] {
  return readFileSync(path.join(folder, 'mvn-dependency-list.txt'), 'utf8')
    .split('\n')
    .filter((line) => /^\s{3}\S/.test(line))
    .map((line) => line.trim().split(/\s+/)[0]!)
    .sort();
}

describe('the resolver against recorded mvn dependency:list outputs', () => {
  it('webjars-ranges: transitive ranges, a direct version that satisfies one, a direct test version that gives way', async () => {
    const folder = path.join(fixtures, 'webjars-ranges');
    const repository = new RecordedRepository(path.join(folder, 'repository'));
    const parsed = parsePom(readFileSync(path.join(folder, 'pom.xml'), 'utf8'), 'pom.xml');
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const root = await buildEffectiveModel(parsed.pom, repository, {
      origin: { kind: 'tree', path: 'pom.xml' },
    });
    const resolution = await resolveDependencies(root, repository);
    const ours = resolution.nodes
      .map((n) => `${n.groupId}:${n.artifactId}:${n.type}:${n.version}:${n.scope}`)
      .sort();
    expect(ours).toEqual(recorded(folder));
    expect(resolution.problems).toEqual([]);
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
});
