import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../src/core/model.js';
import type { LoadedPom, PomLoader, PomLookup } from '../../src/ecosystems/maven/pom-loader.js';
import type { Coordinates, Dependency, RawPom, Repository } from '../../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../../src/ecosystems/maven/pom.js';

/** A RawPom with the empty lists a parsed POM has, overridden by `fields`. */
export function rawPom(fields: Partial<RawPom> & { source?: string }): RawPom {
  return {
    source: 'pom.xml',
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
    ...fields,
  };
}

/** `g:a:v` (and `type`, `scope`... as extra fields) into a Dependency at `line`. */
export function dep(gav: string, line: number, extra: Partial<Dependency> = {}): Dependency {
  const [groupId, artifactId, version] = gav.split(':');
  const d: Dependency = { groupId, artifactId, exclusions: [], line, ...extra };
  if (version) d.version = version;
  return d;
}

export function props(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries));
}

export function repoUrl(repository: Repository, c: Coordinates): string {
  const base = (repository.url ?? '').replace(/\/$/, '');
  return `${base}/${c.groupId.replace(/\./g, '/')}/${c.artifactId}/${c.version}/${c.artifactId}-${c.version}.pom`;
}

/**
 * An in-memory PomLoader that records every request: POMs in the tree by path, POMs in "the
 * repositories" by `groupId:artifactId:version` (served from the first repository given), and
 * artifacts the tree builds (served as first party, whatever version is asked).
 */
export class MemoryPomLoader implements PomLoader {
  readonly asked: string[] = [];
  readonly repositoriesAsked: (string | undefined)[][] = [];
  private readonly tree = new Map<string, RawPom | Problem>();
  private readonly repository = new Map<string, RawPom>();
  private readonly firstParty = new Map<string, string>();

  inTree(pom: RawPom | Problem, at?: string): this {
    this.tree.set(at ?? ('source' in pom ? pom.source : pom.file!), pom);
    return this;
  }

  inRepository(...poms: RawPom[]): this {
    for (const pom of poms) {
      const groupId = pom.groupId ?? pom.parent?.groupId;
      const version = pom.version ?? pom.parent?.version;
      this.repository.set(`${groupId}:${pom.artifactId}:${version}`, pom);
    }
    return this;
  }

  /** The tree builds `groupId:artifactId` with the POM at `at` (already added with inTree). */
  builtByTree(groupArtifact: string, at: string): this {
    this.firstParty.set(groupArtifact, at);
    return this;
  }

  async fromTree(
    at: string,
  ): Promise<{ ok: true; pom: RawPom } | { ok: false; problem: Problem } | undefined> {
    this.asked.push(`tree ${at}`);
    const found = this.tree.get(at);
    if (found === undefined) return undefined;
    return 'source' in found ? { ok: true, pom: found } : { ok: false, problem: found };
  }

  async artifact(c: Coordinates, repositories: readonly Repository[]): Promise<PomLookup> {
    const id = `${c.groupId}:${c.artifactId}:${c.version}`;
    this.asked.push(`artifact ${id}`);
    this.repositoriesAsked.push(repositories.map((r) => r.id));
    const treePath = this.firstParty.get(`${c.groupId}:${c.artifactId}`);
    const treePom = treePath === undefined ? undefined : this.tree.get(treePath);
    if (treePath !== undefined && treePom && 'source' in treePom) {
      const loaded: LoadedPom = { pom: treePom, origin: { kind: 'tree', path: treePath } };
      if (treePom.version !== c.version) loaded.versionAskedFor = c.version;
      return { ok: true, loaded };
    }
    const pom = this.repository.get(id);
    const first = repositories[0];
    if (pom && first) {
      const url = repoUrl(first, c);
      return { ok: true, loaded: { pom, origin: { kind: 'repository', url, repositoryId: first.id } } };
    }
    const tried = repositories.map((r) => repoUrl(r, c));
    return {
      ok: false,
      tried,
      problem: { severity: 'error', code: 'maven.repository.not-found', message: `${id} was not found` },
    };
  }
}

/**
 * A PomLoader over a fixture folder: `tree/` is the scanned tree (paths relative to it), `repository/`
 * a Maven repository layout answering for any repository URL (the URL recorded is the first one's).
 */
export class FixturePomLoader implements PomLoader {
  readonly asked: string[] = [];

  constructor(private readonly root: string) {}

  async fromTree(
    at: string,
  ): Promise<{ ok: true; pom: RawPom } | { ok: false; problem: Problem } | undefined> {
    this.asked.push(`tree ${at}`);
    const file = path.join(this.root, 'tree', at);
    if (!existsSync(file) || !statSync(file).isFile()) return undefined;
    const parsed = parsePom(readFileSync(file, 'utf8'), at);
    return parsed.ok ? { ok: true, pom: parsed.pom } : parsed;
  }

  async artifact(c: Coordinates, repositories: readonly Repository[]): Promise<PomLookup> {
    this.asked.push(`artifact ${c.groupId}:${c.artifactId}:${c.version}`);
    const relative = repoUrl({ url: '', line: 0 }, c).slice(1);
    const file = path.join(this.root, 'repository', relative);
    const tried = repositories.map((r) => repoUrl(r, c));
    if (!existsSync(file)) {
      return {
        ok: false,
        tried,
        problem: {
          severity: 'error',
          code: 'maven.repository.not-found',
          message: 'not found in any repository',
        },
      };
    }
    const url = tried[0] ?? relative;
    const parsed = parsePom(readFileSync(file, 'utf8'), url);
    if (!parsed.ok) return { ok: false, tried, problem: parsed.problem };
    return {
      ok: true,
      loaded: { pom: parsed.pom, origin: { kind: 'repository', url, repositoryId: repositories[0]?.id } },
    };
  }
}
