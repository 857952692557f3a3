import { describe, expect, it } from 'vitest';
import type {
  EffectiveDependency,
  EffectiveModel,
  EffectiveRepository,
  ManagedDependency,
} from '../src/ecosystems/maven/effective-model.js';
import type { Coordinates, Relocation, Repository } from '../src/ecosystems/maven/pom-model.js';
import {
  resolveDependencies,
  type ModelOutcome,
  type ModelSource,
  type Resolution,
  type ResolveOptions,
} from '../src/ecosystems/maven/resolve.js';
import { deriveScope, widestScope } from '../src/ecosystems/maven/resolve-scope.js';

const CENTRAL: EffectiveRepository = {
  id: 'central',
  url: 'https://repo.maven.apache.org/maven2',
  line: 0,
  declaredIn: 'maven:super-pom',
};

interface DepOptions {
  scope?: string;
  optional?: boolean;
  type?: string;
  classifier?: string;
  exclusions?: string[];
  systemPath?: string;
}

/** `groupId:artifactId:version` (version may be left out) as an effective dependency. */
function dep(gav: string, options: DepOptions = {}): EffectiveDependency {
  const [groupId, artifactId, version] = gav.split(':') as [string, string, string | undefined];
  const d: EffectiveDependency = {
    groupId,
    artifactId,
    type: options.type ?? 'jar',
    scope: options.scope ?? 'compile',
    optional: options.optional ?? false,
    exclusions: (options.exclusions ?? []).map((e) => {
      const [g, a] = e.split(':') as [string, string];
      return { groupId: g, artifactId: a };
    }),
    line: 7,
    declaredIn: 'pom.xml',
  };
  if (version) d.version = version;
  if (options.classifier !== undefined) d.classifier = options.classifier;
  if (options.systemPath !== undefined) d.systemPath = options.systemPath;
  return d;
}

function managed(gav: string, fields: Partial<ManagedDependency> = {}): ManagedDependency {
  const [groupId, artifactId, version] = gav.split(':') as [string, string, string | undefined];
  const m: ManagedDependency = {
    groupId,
    artifactId,
    type: 'jar',
    exclusions: [],
    line: 3,
    declaredIn: 'pom.xml',
    ...fields,
  };
  if (version) m.version = version;
  return m;
}

function model(
  gav: string,
  dependencies: EffectiveDependency[] = [],
  extra: Partial<EffectiveModel> = {},
): EffectiveModel {
  const [groupId, artifactId, version] = gav.split(':') as [string, string, string];
  return {
    source: `memory:${gav}`,
    origin: { kind: 'repository', url: `memory:${gav}` },
    coordinates: { groupId, artifactId, version },
    packaging: 'jar',
    parents: [],
    parentChainComplete: true,
    properties: new Map(),
    dependencies,
    dependencyManagement: [],
    imports: [],
    repositories: [CENTRAL],
    licenses: [],
    developers: 0,
    contributors: 0,
    modules: [],
    activeProfiles: [],
    problems: [],
    ...extra,
  };
}

/** The root project, as the effective-model builder gives it: `pom.xml` of com.example:app:1.0. */
function project(dependencies: EffectiveDependency[], extra: Partial<EffectiveModel> = {}): EffectiveModel {
  return {
    ...model('com.example:app:1.0', dependencies, extra),
    source: 'pom.xml',
    origin: { kind: 'tree', path: 'pom.xml' },
  };
}

/** Models by `groupId:artifactId:version`, versions by `groupId:artifactId`; every request recorded. */
class MemorySource implements ModelSource {
  readonly asked: string[] = [];
  readonly repositoriesAsked = new Map<string, string[]>();
  readonly versionsAsked: string[] = [];
  private readonly models = new Map<string, EffectiveModel>();
  private readonly lists = new Map<string, string[]>();
  private readonly tree = new Map<string, string[]>();
  failWith?: Error;

  add(...models: EffectiveModel[]): this {
    for (const m of models) {
      const { groupId, artifactId, version } = m.coordinates;
      this.models.set(`${groupId}:${artifactId}:${version}`, m);
    }
    return this;
  }

  /** Shorthand: a model for `gav` with these dependencies. */
  pom(gav: string, ...dependencies: EffectiveDependency[]): this {
    return this.add(model(gav, dependencies));
  }

  listing(ga: string, versions: string[]): this {
    this.lists.set(ga, versions);
    return this;
  }

  /** Versions the scanned tree builds. */
  building(ga: string, versions: string[]): this {
    this.tree.set(ga, versions);
    return this;
  }

  async firstPartyVersions(groupId: string, artifactId: string): Promise<string[]> {
    return this.tree.get(`${groupId}:${artifactId}`) ?? [];
  }

  async model(c: Coordinates, repositories: readonly Repository[]): Promise<ModelOutcome> {
    const id = `${c.groupId}:${c.artifactId}:${c.version}`;
    this.asked.push(id);
    this.repositoriesAsked.set(
      id,
      repositories.map((r) => r.id ?? ''),
    );
    if (this.failWith) throw this.failWith;
    const found = this.models.get(id);
    return found
      ? { ok: true, model: found }
      : { ok: false, reason: `${id} not found`, tried: [`memory:${id}`] };
  }

  async versions(groupId: string, artifactId: string): Promise<string[]> {
    this.versionsAsked.push(`${groupId}:${artifactId}`);
    return this.lists.get(`${groupId}:${artifactId}`) ?? [];
  }
}

/** As `mvn dependency:list` prints them: `groupId:artifactId:type[:classifier]:version:scope`, optional marked. */
function listed(resolution: Resolution): string[] {
  return resolution.nodes.map((n) => {
    const classifier = n.classifier ? `:${n.classifier}` : '';
    return `${n.groupId}:${n.artifactId}:${n.type}${classifier}:${n.version}:${n.scope}${n.optional ? ' optional' : ''}`;
  });
}

function codes(resolution: Resolution): string[] {
  return resolution.problems.map((p) => p.code);
}

async function resolve(
  root: EffectiveModel,
  source: MemorySource,
  options?: ResolveOptions,
): Promise<Resolution> {
  return resolveDependencies(root, source, options);
}

describe('mediation', () => {
  it('breadth-first, nearest wins: a version two levels down beats one three levels down', async () => {
    const source = new MemorySource()
      .pom('g:a:1', dep('g:b:1'))
      .pom('g:c:1', dep('g:d:1'))
      .pom('g:d:1', dep('g:b:2'))
      .pom('g:b:1')
      .pom('g:b:2');
    const resolution = await resolve(project([dep('g:a:1'), dep('g:c:1')]), source);
    expect(listed(resolution)).toEqual([
      'g:a:jar:1:compile',
      'g:c:jar:1:compile',
      'g:b:jar:1:compile',
      'g:d:jar:1:compile',
    ]);
    expect(resolution.nodes.map((n) => [n.key, n.depth, n.path])).toEqual([
      ['g:a:jar:', 1, ['g:a:1']],
      ['g:c:jar:', 1, ['g:c:1']],
      ['g:b:jar:', 2, ['g:a:1', 'g:b:1']],
      ['g:d:jar:', 2, ['g:c:1', 'g:d:1']],
    ]);
    expect(resolution.omitted).toEqual([{ key: 'g:b:jar:', version: '2', reason: 'nearer' }]);
    expect(source.asked).toEqual(['g:a:1', 'g:c:1', 'g:b:1', 'g:d:1']);
    expect(resolution.problems).toEqual([]);
  });

  it('nearest wins: a direct dependency beats a transitive one declared before it', async () => {
    const source = new MemorySource().pom('g:a:1', dep('g:x:2')).pom('g:x:1').pom('g:x:2');
    const resolution = await resolve(project([dep('g:a:1'), dep('g:x:1')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:x:jar:1:compile']);
  });

  it('first declaration wins on equal depth, in the order the parent declares its dependencies', async () => {
    const source = new MemorySource()
      .pom('g:a:1', dep('g:x:1'))
      .pom('g:b:1', dep('g:x:2'))
      .pom('g:x:1')
      .pom('g:x:2');
    const ab = await resolve(project([dep('g:a:1'), dep('g:b:1')]), source);
    expect(listed(ab)).toEqual(['g:a:jar:1:compile', 'g:b:jar:1:compile', 'g:x:jar:1:compile']);
    const ba = await resolve(project([dep('g:b:1'), dep('g:a:1')]), source);
    expect(listed(ba)).toEqual(['g:b:jar:1:compile', 'g:a:jar:1:compile', 'g:x:jar:2:compile']);
  });

  it('edges: every declared dependency points at the node its artifact resolved to', async () => {
    const source = new MemorySource().pom('g:a:1', dep('g:s:1')).pom('g:c:1', dep('g:s:2')).pom('g:s:1');
    const resolution = await resolve(project([dep('g:a:1'), dep('g:c:1')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:c:jar:1:compile', 'g:s:jar:1:compile']);
    expect(resolution.edges).toEqual([
      { from: 'root', to: 'g:a:jar:' },
      { from: 'root', to: 'g:c:jar:' },
      { from: 'g:a:jar:', to: 'g:s:jar:' },
      { from: 'g:c:jar:', to: 'g:s:jar:' },
    ]);
  });
});

describe('scopes', () => {
  // Rows: the scope of the root's direct dependency; columns: the scope that dependency declares its own
  // dependency with; cells: the scope the transitive dependency ends with, or null when it is not in the graph.
  const table: [string, string, string | null][] = [
    ['compile', 'compile', 'compile'],
    ['compile', 'runtime', 'runtime'],
    ['compile', 'provided', null],
    ['compile', 'test', null],
    ['compile', 'system', 'system'],
    ['runtime', 'compile', 'runtime'],
    ['runtime', 'runtime', 'runtime'],
    ['runtime', 'provided', null],
    ['runtime', 'test', null],
    ['runtime', 'system', 'system'],
    ['provided', 'compile', 'provided'],
    ['provided', 'runtime', 'provided'],
    ['provided', 'provided', null],
    ['provided', 'test', null],
    ['provided', 'system', 'system'],
    ['test', 'compile', 'test'],
    ['test', 'runtime', 'test'],
    ['test', 'provided', null],
    ['test', 'test', null],
    ['test', 'system', 'system'],
    // a system dependency's POM is never read, so nothing below it is
    ['system', 'compile', null],
    ['system', 'runtime', null],
    ['system', 'provided', null],
    ['system', 'test', null],
    ['system', 'system', null],
  ];

  it.each(table)(
    'scope propagation table: %s dependency, its %s dependency -> %s',
    async (direct, child, expected) => {
      const source = new MemorySource().pom(
        'g:a:1',
        dep('g:x:1', child === 'system' ? { scope: child, systemPath: '/opt/x.jar' } : { scope: child }),
      );
      source.pom('g:x:1');
      const root = project([
        dep('g:a:1', direct === 'system' ? { scope: direct, systemPath: '/opt/a.jar' } : { scope: direct }),
      ]);
      const resolution = await resolve(root, source);
      const x = resolution.nodes.find((n) => n.artifactId === 'x');
      expect(x?.scope ?? null).toBe(expected);
      expect(resolution.nodes[0]!.scope).toBe(direct);
    },
  );

  const derivation: [string, string, string][] = [
    ['compile', 'compile', 'compile'],
    ['compile', 'runtime', 'runtime'],
    ['compile', 'provided', 'provided'],
    ['compile', 'test', 'test'],
    ['compile', 'system', 'system'],
    ['runtime', 'compile', 'runtime'],
    ['runtime', 'runtime', 'runtime'],
    ['runtime', 'provided', 'runtime'],
    ['runtime', 'test', 'test'],
    ['runtime', 'system', 'system'],
    ['provided', 'compile', 'provided'],
    ['provided', 'runtime', 'provided'],
    ['provided', 'provided', 'provided'],
    ['provided', 'test', 'test'],
    ['provided', 'system', 'system'],
    ['test', 'compile', 'test'],
    ['test', 'runtime', 'test'],
    ['test', 'provided', 'test'],
    ['test', 'test', 'test'],
    ['test', 'system', 'system'],
    ['system', 'compile', 'provided'],
    ['system', 'runtime', 'provided'],
    ['system', 'provided', 'provided'],
    ['system', 'test', 'test'],
    ['system', 'system', 'system'],
    ['import', 'compile', 'runtime'],
  ];

  it.each(derivation)(
    'scope derivation (JavaScopeDeriver): parent %s, child %s -> %s',
    (parent, child, expected) => {
      expect(deriveScope(parent, child)).toBe(expected);
    },
  );

  it.each([
    [['test', 'compile'], 'compile'],
    [['provided', 'runtime'], 'runtime'],
    [['test', 'provided'], 'provided'],
    [['system', 'test'], 'test'],
    [['system'], 'system'],
    [['test'], 'test'],
  ])('widest scope over several paths: %j -> %s', (scopes, expected) => {
    expect(widestScope(new Set(scopes))).toBe(expected);
  });

  it('scope widening: an artifact reached through test and compile paths is compile, and so is its subtree', async () => {
    const source = new MemorySource()
      .pom('g:t:1', dep('g:x:1'))
      .pom('g:c:1', dep('g:m:1'))
      .pom('g:m:1', dep('g:x:2'))
      .pom('g:x:1', dep('g:y:1'))
      .pom('g:y:1');
    const resolution = await resolve(project([dep('g:t:1', { scope: 'test' }), dep('g:c:1')]), source);
    expect(listed(resolution)).toEqual([
      'g:t:jar:1:test',
      'g:c:jar:1:compile',
      'g:x:jar:1:compile',
      'g:m:jar:1:compile',
      'g:y:jar:1:compile',
    ]);
  });

  it('a direct dependency keeps its declared scope, however it is reached transitively', async () => {
    const source = new MemorySource().pom('g:c:1', dep('g:x:1')).pom('g:x:1');
    const resolution = await resolve(project([dep('g:x:1', { scope: 'test' }), dep('g:c:1')]), source);
    expect(listed(resolution)).toEqual(['g:x:jar:1:test', 'g:c:jar:1:compile']);
  });

  it('provided and test dependencies of a dependency are not transitive, and are reported as omitted for scope', async () => {
    const source = new MemorySource()
      .pom(
        'g:a:1',
        dep('g:junit:4', { scope: 'test' }),
        dep('g:servlet:3', { scope: 'provided' }),
        dep('g:b:1'),
      )
      .pom('g:b:1');
    const resolution = await resolve(project([dep('g:a:1')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:b:jar:1:compile']);
    expect(resolution.omitted).toEqual([
      { key: 'g:junit:jar:', version: '4', reason: 'scope' },
      { key: 'g:servlet:jar:', version: '3', reason: 'scope' },
    ]);
  });

  it('system scope is recorded with its path and its POM is not read', async () => {
    const source = new MemorySource().pom(
      'g:a:1',
      dep('g:native:2', { scope: 'system', systemPath: '/opt/native.jar' }),
    );
    const root = project([
      dep('com.sun:tools:1.8', { scope: 'system', systemPath: '${java.home}/../lib/tools.jar' }),
      dep('g:a:1'),
    ]);
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual([
      'com.sun:tools:jar:1.8:system',
      'g:a:jar:1:compile',
      'g:native:jar:2:system',
    ]);
    expect(resolution.nodes.map((n) => n.systemPath)).toEqual([
      '${java.home}/../lib/tools.jar',
      undefined,
      '/opt/native.jar',
    ]);
    expect(source.asked).toEqual(['g:a:1']);
  });
});

describe('optional dependencies', () => {
  it("optional dependencies of a dependency are not transitive; the root's own optional ones are kept, with their subtree", async () => {
    const source = new MemorySource()
      .pom('g:a:1', dep('g:b:1'), dep('g:c:1', { optional: true }), dep('g:s:1'))
      .pom('g:d:1', dep('g:s:1'), dep('g:e:1', { optional: true }))
      .pom('g:b:1')
      .pom('g:s:1');
    const resolution = await resolve(project([dep('g:a:1', { optional: true }), dep('g:d:1')]), source);
    expect(listed(resolution)).toEqual([
      'g:a:jar:1:compile optional',
      'g:d:jar:1:compile',
      'g:b:jar:1:compile optional',
      'g:s:jar:1:compile',
    ]);
    expect(resolution.omitted).toEqual([
      { key: 'g:c:jar:', version: '1', reason: 'optional' },
      { key: 'g:e:jar:', version: '1', reason: 'optional' },
    ]);
  });
});

describe('exclusions', () => {
  it('an exclusion on an edge applies to the whole subtree below it', async () => {
    const source = new MemorySource()
      .pom('g:a:1', dep('g:b:1'))
      .pom('g:b:1', dep('org.x:lib:1'), dep('g:c:1'))
      .pom('g:c:1');
    const resolution = await resolve(project([dep('g:a:1', { exclusions: ['org.x:lib'] })]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:b:jar:1:compile', 'g:c:jar:1:compile']);
    expect(resolution.omitted).toEqual([{ key: 'org.x:lib:jar:', version: '1', reason: 'excluded' }]);
  });

  it('an exclusion does not reach the same artifact through another path', async () => {
    const source = new MemorySource()
      .pom('g:a:1', dep('g:b:1'))
      .pom('g:b:1', dep('org.x:lib:1'))
      .pom('g:c:1', dep('g:d:1'))
      .pom('g:d:1', dep('org.x:lib:2'))
      .pom('org.x:lib:2');
    const resolution = await resolve(
      project([dep('g:a:1', { exclusions: ['org.x:lib'] }), dep('g:c:1')]),
      source,
    );
    expect(listed(resolution)).toEqual([
      'g:a:jar:1:compile',
      'g:c:jar:1:compile',
      'g:b:jar:1:compile',
      'g:d:jar:1:compile',
      'org.x:lib:jar:2:compile',
    ]);
  });

  const wildcards: [string, string[]][] = [
    ['*:*', ['g:a:jar:1:compile']],
    ['org.x:*', ['g:a:jar:1:compile', 'org.y:lib:jar:1:compile']],
    ['*:lib', ['g:a:jar:1:compile', 'org.x:util:jar:1:compile']],
  ];

  it.each(wildcards)('exclusion wildcards: %s', async (exclusion, expected) => {
    const source = new MemorySource()
      .pom('g:a:1', dep('org.x:lib:1'), dep('org.x:util:1'), dep('org.y:lib:1'))
      .pom('org.x:lib:1')
      .pom('org.x:util:1')
      .pom('org.y:lib:1');
    const resolution = await resolve(project([dep('g:a:1', { exclusions: [exclusion] })]), source);
    expect(listed(resolution)).toEqual(expected);
  });
});

describe("the root's dependencyManagement", () => {
  it('overrides version and scope of transitive dependencies, not of direct ones', async () => {
    const source = new MemorySource().pom('g:a:1', dep('g:x:1'), dep('g:y:3')).pom('g:x:2').pom('g:y:1');
    const root = project([dep('g:a:1'), dep('g:y:1')], {
      dependencyManagement: [managed('g:x:2', { scope: 'runtime' }), managed('g:y:5')],
    });
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:y:jar:1:compile', 'g:x:jar:2:runtime']);
    expect(source.asked).not.toContain('g:x:1');
  });

  it("a dependency's own dependencyManagement does not reach its dependencies' dependencies", async () => {
    const source = new MemorySource()
      .add(model('g:a:1', [dep('g:b:1')], { dependencyManagement: [managed('g:z:9')] }))
      .pom('g:b:1', dep('g:z:1'))
      .pom('g:z:1');
    const resolution = await resolve(project([dep('g:a:1')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:b:jar:1:compile', 'g:z:jar:1:compile']);
  });

  it('adds its exclusions to those declared, direct dependencies included', async () => {
    const source = new MemorySource().pom('g:a:1', dep('g:x:1'), dep('g:y:1'), dep('g:z:1')).pom('g:z:1');
    const root = project([dep('g:a:1', { exclusions: ['g:y'] })], {
      dependencyManagement: [managed('g:a', { exclusions: [{ groupId: 'g', artifactId: 'x' }] })],
    });
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:z:jar:1:compile']);
  });

  it('a scope set by the management is not derived from the path (Maven: managed scopes are taken as they are)', async () => {
    const source = new MemorySource().pom('g:t:1', dep('g:x:1')).pom('g:x:1');
    const root = project([dep('g:t:1', { scope: 'test' })], {
      dependencyManagement: [managed('g:x', { scope: 'compile' })],
    });
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual(['g:t:jar:1:test', 'g:x:jar:1:compile']);
  });
});

describe('version ranges', () => {
  it('range selection: the highest version available inside the range', async () => {
    const source = new MemorySource()
      .listing('g:a', ['0.9', '1.0', '1.5', '2.0', '1.6-SNAPSHOT'])
      .pom('g:a:1.5');
    const resolution = await resolve(project([dep('g:a:[1.0,2.0)')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1.5:compile']);
    expect(resolution.nodes[0]!.range).toBe('[1.0,2.0)');
    expect(resolution.nodes[0]!.path).toEqual(['g:a:1.5']);
  });

  it('range selection: snapshots only when the range asks for them', async () => {
    const source = new MemorySource()
      .listing('g:a', ['1.0-SNAPSHOT', '1.1-SNAPSHOT'])
      .listing('g:b', ['1.0', '1.1-SNAPSHOT'])
      .pom('g:a:1.1-SNAPSHOT')
      .pom('g:b:1.0');
    const resolution = await resolve(project([dep('g:a:[1.0-SNAPSHOT,)'), dep('g:b:[1.0,)')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1.1-SNAPSHOT:compile', 'g:b:jar:1.0:compile']);
  });

  it('range selection: unions and exact versions', async () => {
    const source = new MemorySource()
      .listing('g:a', ['1.0', '1.2', '1.4', '2.0'])
      .listing('g:b', ['3.3.3', '3.3.4', '3.4.0'])
      .pom('g:a:1.2')
      .pom('g:b:3.3.4');
    const resolution = await resolve(project([dep('g:a:(,1.3],[1.5,1.9]'), dep('g:b:[3.3.4]')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1.2:compile', 'g:b:jar:3.3.4:compile']);
  });

  it('range selection: a version the tree builds satisfies the range first, snapshots included', async () => {
    const source = new MemorySource()
      .building('fr.paris.lutece:lutece-core', ['8.0.2-SNAPSHOT'])
      .listing('fr.paris.lutece:lutece-core', ['7.0.13', '8.0.0', '8.0.5'])
      .building('fr.paris.lutece.plugins:plugin-forms', ['3.1.4-SNAPSHOT'])
      .listing('fr.paris.lutece.plugins:plugin-forms', ['4.0.1'])
      .pom('fr.paris.lutece:lutece-core:8.0.2-SNAPSHOT')
      .pom('fr.paris.lutece.plugins:plugin-forms:4.0.1');
    const root = project([
      dep('fr.paris.lutece:lutece-core:[8.0.0,)', { type: 'lutece-core' }),
      dep('fr.paris.lutece.plugins:plugin-forms:[4.0.0,)', { type: 'lutece-plugin' }),
    ]);
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual([
      'fr.paris.lutece:lutece-core:lutece-core:8.0.2-SNAPSHOT:compile',
      'fr.paris.lutece.plugins:plugin-forms:lutece-plugin:4.0.1:compile',
    ]);
  });

  it('range selection: a snapshot inside the range is not picked unless the range names one, and says so', async () => {
    const source = new MemorySource().listing('g:a', ['1.0', '2.1-SNAPSHOT']);
    const resolution = await resolve(project([dep('g:a:[2.0,)')]), source);
    expect(resolution.nodes[0]!.unresolved).toBe(
      'only snapshots of g:a are within [2.0,) (2.1-SNAPSHOT); a range resolves to a snapshot only when one of its bounds is one',
    );
  });

  it('a range no available version satisfies constrains nothing (Maven drops that dependency)', async () => {
    const source = new MemorySource()
      .listing('g:x', ['1.0'])
      .pom('g:a:1', dep('g:x:[5.0,6.0)'))
      .pom('g:x:1.0');
    const resolution = await resolve(project([dep('g:x:1.0'), dep('g:a:1')]), source);
    expect(listed(resolution)).toEqual(['g:x:jar:1.0:compile', 'g:a:jar:1:compile']);
    expect(resolution.problems).toEqual([]);
  });

  it('an unresolvable range leaves an unresolved node with its reason, and the graph goes on', async () => {
    const source = new MemorySource().listing('g:a', ['1.0', '2.0']).pom('g:b:1', dep('g:c:1')).pom('g:c:1');
    const resolution = await resolve(
      project([dep('g:a:[3.0,4.0)'), dep('g:none:[1,2)'), dep('g:b:1')]),
      source,
    );
    expect(listed(resolution)).toEqual([
      'g:a:jar:[3.0,4.0):compile',
      'g:none:jar:[1,2):compile',
      'g:b:jar:1:compile',
      'g:c:jar:1:compile',
    ]);
    expect(resolution.nodes.map((n) => n.unresolved)).toEqual([
      'none of the 2 versions of g:a listed (1.0, 2.0) is within [3.0,4.0)',
      'no repository lists a version of g:none',
      undefined,
      undefined,
    ]);
    expect(resolution.nodes[0]!.range).toBe('[3.0,4.0)');
    expect(codes(resolution)).toEqual(['maven.resolve.unresolved', 'maven.resolve.unresolved']);
    expect(resolution.problems[0]).toMatchObject({ file: 'pom.xml', line: 7, severity: 'warning' });
    expect(resolution.problems[0]!.message).toContain('needed by g:a:[3.0,4.0)');
  });

  it('a nearer version gives way to a range that a farther dependency asks for (Maven backtracks)', async () => {
    const source = new MemorySource()
      .listing('g:x', ['1.0', '2.0', '2.5', '3.0'])
      .pom('g:a:1', dep('g:x:1.0'))
      .pom('g:b:1', dep('g:c:1'))
      .pom('g:c:1', dep('g:x:[2.0,3.0)'))
      .pom('g:x:1.0')
      .pom('g:x:2.5');
    const resolution = await resolve(project([dep('g:a:1'), dep('g:b:1')]), source);
    expect(listed(resolution)).toEqual([
      'g:a:jar:1:compile',
      'g:b:jar:1:compile',
      'g:c:jar:1:compile',
      'g:x:jar:2.5:compile',
    ]);
    expect(resolution.nodes[3]!.path).toEqual(['g:b:1', 'g:c:1', 'g:x:2.5']);
    expect(resolution.omitted).toContainEqual({ key: 'g:x:jar:', version: '1.0', reason: 'conflict' });
  });

  it('no version satisfies every range: an unresolved node and an error, as Maven fails the build', async () => {
    const source = new MemorySource()
      .listing('g:x', ['1.0', '1.5', '3.0'])
      .pom('g:a:1', dep('g:x:[1.0,2.0)'))
      .pom('g:b:1', dep('g:x:[3.0,4.0)'))
      .pom('g:x:1.5')
      .pom('g:x:3.0');
    const resolution = await resolve(project([dep('g:a:1'), dep('g:b:1')]), source);
    expect(listed(resolution)).toEqual([
      'g:a:jar:1:compile',
      'g:b:jar:1:compile',
      'g:x:jar:[1.0,2.0):compile',
    ]);
    expect(resolution.nodes[2]!.unresolved).toBe('no version satisfies all of [3.0,4.0), [1.0,2.0)');
    expect(codes(resolution)).toEqual(['maven.resolve.version-conflict', 'maven.resolve.unresolved']);
  });
});

describe('relocation', () => {
  it('is followed to the new coordinates and recorded', async () => {
    const relocation: Relocation = { groupId: 'org.new' };
    const source = new MemorySource()
      .add(model('org.old:lib:1', [], { relocation }))
      .pom('org.new:lib:1', dep('g:d:1'))
      .pom('g:d:1');
    const resolution = await resolve(project([dep('org.old:lib:1')]), source);
    expect(listed(resolution)).toEqual(['org.new:lib:jar:1:compile', 'g:d:jar:1:compile']);
    expect(resolution.nodes[0]!.relocatedFrom).toBe('org.old:lib:1');
    expect(resolution.nodes[1]!.path).toEqual(['org.new:lib:1', 'g:d:1']);
  });

  it('a relocation loop is a problem, not a hang', async () => {
    const source = new MemorySource()
      .add(model('g:a:1', [], { relocation: { groupId: 'h' } }))
      .add(model('h:a:1', [], { relocation: { groupId: 'g' } }))
      .pom('g:b:1');
    const resolution = await resolve(project([dep('g:a:1'), dep('g:b:1')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:b:jar:1:compile']);
    expect(resolution.nodes[0]!.unresolved).toBe('the relocations form a loop: g:a:1 -> h:a:1 -> g:a:1');
    expect(codes(resolution)).toEqual(['maven.resolve.relocation-loop', 'maven.resolve.unresolved']);
  });
});

describe('types and classifiers', () => {
  it('keys are groupId:artifactId:type:classifier; test-jar implies the tests classifier', async () => {
    const source = new MemorySource().pom('g:x:1', dep('g:y:1')).pom('g:y:1');
    const root = project([dep('g:x:1', { type: 'test-jar', scope: 'test' }), dep('g:x:1')]);
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual([
      'g:x:test-jar:tests:1:test',
      'g:x:jar:1:compile',
      'g:y:jar:1:compile',
    ]);
    expect(resolution.nodes.map((n) => n.key)).toEqual(['g:x:test-jar:tests', 'g:x:jar:', 'g:y:jar:']);
  });

  it('a pom-type dependency brings its dependencies; a war does not', async () => {
    const source = new MemorySource().pom('g:p:1', dep('g:q:1')).pom('g:q:1').pom('g:w:1', dep('g:inside:1'));
    const resolution = await resolve(
      project([dep('g:p:1', { type: 'pom' }), dep('g:w:1', { type: 'war' })]),
      source,
    );
    expect(listed(resolution)).toEqual(['g:p:pom:1:compile', 'g:w:war:1:compile', 'g:q:jar:1:compile']);
  });

  it('custom types are kept as written and conflict with the jar their handler maps them to', async () => {
    const source = new MemorySource()
      .pom('fr.paris.lutece.plugins:plugin-rest:3.3.4', dep('fr.paris.lutece.plugins:plugin-x:2'))
      .pom('fr.paris.lutece.plugins:plugin-x:1');
    const root = project([
      dep('fr.paris.lutece.plugins:plugin-x:1', { type: 'lutece-plugin' }),
      dep('fr.paris.lutece.plugins:plugin-rest:3.3.4', { type: 'lutece-plugin' }),
    ]);
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual([
      'fr.paris.lutece.plugins:plugin-x:lutece-plugin:1:compile',
      'fr.paris.lutece.plugins:plugin-rest:lutece-plugin:3.3.4:compile',
    ]);
    expect(resolution.nodes.map((n) => n.extension)).toEqual(['jar', 'jar']);
    expect(resolution.omitted).toEqual([
      { key: 'fr.paris.lutece.plugins:plugin-x:jar:', version: '2', reason: 'nearer' },
    ]);
  });

  it('a classified artifact is another node than the plain one', async () => {
    const source = new MemorySource().pom('g:m:1', dep('io.netty:native:4')).pom('io.netty:native:4');
    const root = project([dep('io.netty:native:4', { classifier: 'linux-x86_64' }), dep('g:m:1')]);
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual([
      'io.netty:native:jar:linux-x86_64:4:compile',
      'g:m:jar:1:compile',
      'io.netty:native:jar:4:compile',
    ]);
    expect(source.asked.filter((a) => a === 'io.netty:native:4')).toEqual(['io.netty:native:4']);
  });
});

describe('bad input', () => {
  it('cycles terminate: A -> B -> A', async () => {
    const source = new MemorySource().pom('g:a:1', dep('g:b:1')).pom('g:b:1', dep('g:a:1'), dep('g:a:2'));
    const resolution = await resolve(project([dep('g:a:1')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:b:jar:1:compile']);
    expect(resolution.edges).toEqual([
      { from: 'root', to: 'g:a:jar:' },
      { from: 'g:a:jar:', to: 'g:b:jar:' },
      { from: 'g:b:jar:', to: 'g:a:jar:' },
    ]);
  });

  it('a POM depending on itself is a problem; a dependency coming back to it is a cycle', async () => {
    const source = new MemorySource().pom('g:a:1', dep('com.example:app:0.9'));
    const root = project([dep('com.example:app:1.0'), dep('g:a:1')]);
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile']);
    expect(codes(resolution)).toEqual(['maven.resolve.self-dependency']);
    expect(resolution.problems[0]).toMatchObject({ severity: 'error', file: 'pom.xml', line: 7 });
  });

  it('hostile coordinates such as __proto__ and constructor are plain keys', async () => {
    const source = new MemorySource()
      .pom('__proto__:constructor:1', dep('constructor:__proto__:2'))
      .pom('constructor:__proto__:2');
    const root = project([dep('__proto__:constructor:1', { type: 'constructor', classifier: 'toString' })], {
      dependencyManagement: [managed('constructor:__proto__:3', { scope: 'runtime' })],
    });
    const resolution = await resolve(root, source);
    expect(listed(resolution)).toEqual([
      '__proto__:constructor:constructor:toString:1:compile',
      'constructor:__proto__:jar:3:runtime',
    ]);
    expect(({} as Record<string, unknown>).scope).toBeUndefined();
  });

  it('a missing POM leaves the node unresolved with the places tried', async () => {
    const source = new MemorySource().pom('g:b:1');
    const resolution = await resolve(project([dep('g:ghost:1'), dep('g:b:1'), dep('g:noversion')]), source);
    expect(listed(resolution)).toEqual([
      'g:ghost:jar:1:compile',
      'g:b:jar:1:compile',
      'g:noversion:jar::compile',
    ]);
    expect(resolution.nodes.map((n) => n.unresolved)).toEqual([
      'g:ghost:1 not found; tried memory:g:ghost:1',
      undefined,
      'no version: neither the POM nor the dependencyManagement gives one',
    ]);
  });

  it('a model source that throws is an unresolved node, not a crash', async () => {
    const source = new MemorySource();
    source.failWith = new Error('boom');
    const resolution = await resolve(project([dep('g:a:1')]), source);
    expect(resolution.nodes[0]!.unresolved).toBe('the model could not be built: boom');
  });

  it('the size bound stops the graph with a problem', async () => {
    const source = new MemorySource();
    const fanOut = Array.from({ length: 30 }, (_, i) => dep(`g:n${i}:1`));
    source.pom('g:hub:1', ...fanOut);
    for (let i = 0; i < 30; i++) source.pom(`g:n${i}:1`);
    const resolution = await resolve(project([dep('g:hub:1')]), source, { maxNodes: 10 });
    expect(resolution.nodes).toHaveLength(10);
    expect(codes(resolution)).toEqual(['maven.resolve.too-many-nodes']);
  });

  it('the depth bound stops a long chain with a problem', async () => {
    const source = new MemorySource();
    for (let i = 0; i < 20; i++) source.pom(`g:c${i}:1`, dep(`g:c${i + 1}:1`));
    const resolution = await resolve(project([dep('g:c0:1')]), source, { maxDepth: 5 });
    expect(listed(resolution)).toEqual([
      'g:c0:jar:1:compile',
      'g:c1:jar:1:compile',
      'g:c2:jar:1:compile',
      'g:c3:jar:1:compile',
      'g:c4:jar:1:compile',
    ]);
    expect(codes(resolution)).toEqual(['maven.resolve.too-deep']);
  });

  it('thousands of dependencies stay fast: a generated 5,000-artifact graph, one request per artifact', async () => {
    const width = 500;
    const levels = 10;
    const source = new MemorySource();
    for (let level = 0; level < levels; level++) {
      for (let i = 0; i < width; i++) {
        // three dependencies on the next level, and a fourth on another version of one of them
        const next = (k: number) => `g${level + 1}:n${(i + k) % width}`;
        const children =
          level === levels - 1
            ? []
            : [dep(`${next(0)}:1`), dep(`${next(1)}:1`), dep(`${next(2)}:1`), dep(`${next(1)}:2`)];
        source.pom(`g${level}:n${i}:1`, ...children);
      }
    }
    const root = project(Array.from({ length: width }, (_, i) => dep(`g0:n${i}:1`)));
    const started = performance.now();
    const resolution = await resolve(root, source);
    const elapsed = performance.now() - started;
    console.log(`resolved ${resolution.nodes.length} artifacts in ${elapsed.toFixed(0)} ms`);
    expect(resolution.nodes).toHaveLength(5000);
    expect(resolution.problems).toEqual([]);
    expect(new Set(source.asked).size).toBe(source.asked.length);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('repositories', () => {
  it("a dependency's dependencies are looked for in the path's repositories plus those its POM declares", async () => {
    const extra: EffectiveRepository = {
      id: 'extra',
      url: 'https://repo.example/maven',
      line: 0,
      declaredIn: 'memory:g:a:1',
    };
    const source = new MemorySource()
      .add(model('g:a:1', [dep('g:b:1')], { repositories: [extra, CENTRAL] }))
      .pom('g:b:1', dep('g:c:1'))
      .pom('g:c:1');
    const resolution = await resolve(project([dep('g:a:1')]), source);
    expect(listed(resolution)).toEqual(['g:a:jar:1:compile', 'g:b:jar:1:compile', 'g:c:jar:1:compile']);
    expect([...source.repositoriesAsked]).toEqual([
      ['g:a:1', ['central']],
      ['g:b:1', ['central', 'extra']],
      ['g:c:1', ['central', 'extra']],
    ]);
  });
});
