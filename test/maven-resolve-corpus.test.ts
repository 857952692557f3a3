import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../src/core/model.js';
import { buildEffectiveModel, EffectiveModelCache } from '../src/ecosystems/maven/effective.js';
import type { EffectiveModel } from '../src/ecosystems/maven/effective-model.js';
import type { LoadedPom, PomLoader, PomLookup } from '../src/ecosystems/maven/pom-loader.js';
import type { Coordinates, RawPom, Repository } from '../src/ecosystems/maven/pom-model.js';
import { parsePom } from '../src/ecosystems/maven/pom.js';
import {
  resolveDependencies,
  type ModelOutcome,
  type ModelSource,
  type Resolution,
} from '../src/ecosystems/maven/resolve.js';
import { compareVersions, isRange, parseRange, rangeContains } from '../src/ecosystems/maven/version.js';
import { children, child, parseXml } from '../src/ecosystems/maven/xml.js';
import { repoUrl } from './helpers/maven-effective-loader.js';

const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const has = existsSync(corpus);
if (!has) console.warn('skipping: ../shared/corpus is absent');

const lutece = path.join(corpus, 'github', 'lutece-platform');
const fixtureRepository = fileURLToPath(new URL('../fixtures/maven/repository', import.meta.url));

function pomsUnder(dir: string): string[] {
  const found: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const relative = stack.pop()!;
    for (const name of readdirSync(path.join(dir, relative))) {
      const entry = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(dir, entry)).isDirectory()) stack.push(entry);
      else if (name === 'pom.xml') found.push(entry);
    }
  }
  return found.sort();
}

interface TreePom {
  repository: string;
  path: string;
  pom: RawPom;
}

/**
 * The whole lutece-platform corpus as one scanned tree: an artifact whose POM is in it is first party and
 * served from it for its own version, or for a range that version satisfies (as the scan's loader does);
 * every other artifact comes from the fixture repository (fixtures/maven/repository) or is not found.
 * Integration-test POMs (under src/test) build nothing.
 */
class CorpusSource implements ModelSource {
  readonly firstParty = new Map<string, TreePom>();
  readonly served = { tree: 0, repository: 0, missing: 0 };
  private readonly cache = new EffectiveModelCache();
  private readonly models = new Map<string, Promise<ModelOutcome>>();

  constructor(repositories: string[]) {
    for (const repository of repositories) {
      const files = path.join(lutece, repository, 'files');
      if (!existsSync(files)) continue;
      for (const at of pomsUnder(files)) {
        if (at.includes('src/test/')) continue;
        const parsed = parsePom(readFileSync(path.join(files, at), 'utf8'), at);
        if (!parsed.ok) continue;
        const groupId = parsed.pom.groupId ?? parsed.pom.parent?.groupId;
        const key = `${groupId}:${parsed.pom.artifactId}`;
        if (!this.firstParty.has(key)) this.firstParty.set(key, { repository, path: at, pom: parsed.pom });
      }
    }
  }

  loaderFor(repository: string): PomLoader {
    const files = path.join(lutece, repository, 'files');
    return {
      fromTree: async (at: string) => {
        const file = path.join(files, at);
        if (!existsSync(file) || !statSync(file).isFile()) return undefined;
        const parsed = parsePom(readFileSync(file, 'utf8'), at);
        return parsed.ok ? { ok: true, pom: parsed.pom } : parsed;
      },
      artifact: async (c: Coordinates, repositories: readonly Repository[]) => this.lookup(c, repositories),
    };
  }

  /** The tree's POM when it builds this version, or a version inside the range asked for. */
  private fromTree(c: Coordinates): TreePom | undefined {
    const tree = this.firstParty.get(`${c.groupId}:${c.artifactId}`);
    const version = tree && (tree.pom.version ?? tree.pom.parent?.version);
    if (!tree || !version) return undefined;
    if (!isRange(c.version)) return compareVersions(version, c.version) === 0 ? tree : undefined;
    const range = parseRange(c.version);
    return range.ok && rangeContains(range.range, version) ? tree : undefined;
  }

  private lookup(c: Coordinates, repositories: readonly Repository[]): PomLookup {
    const tree = this.fromTree(c);
    if (tree) {
      const loaded: LoadedPom = { pom: tree.pom, origin: { kind: 'tree', path: tree.path } };
      if (tree.pom.version !== c.version) loaded.versionAskedFor = c.version;
      return { ok: true, loaded };
    }
    const file = path.join(
      fixtureRepository,
      ...c.groupId.split('.'),
      c.artifactId,
      c.version,
      `${c.artifactId}-${c.version}.pom`,
    );
    const url = repoUrl({ url: 'https://repo.maven.apache.org/maven2', line: 0 }, c);
    if (existsSync(file)) {
      const parsed = parsePom(readFileSync(file, 'utf8'), url);
      if (parsed.ok) return { ok: true, loaded: { pom: parsed.pom, origin: { kind: 'repository', url } } };
    }
    const problem: Problem = {
      severity: 'error',
      code: 'maven.repository.not-found',
      message: `${c.groupId}:${c.artifactId}:${c.version} is in neither the tree nor the fixture repository`,
    };
    return { ok: false, problem, tried: repositories.map((r) => repoUrl(r, c)) };
  }

  model(c: Coordinates, repositories: readonly Repository[]): Promise<ModelOutcome> {
    const key = `${c.groupId}:${c.artifactId}:${c.version}`;
    let pending = this.models.get(key);
    if (!pending) {
      pending = this.build(c, repositories);
      this.models.set(key, pending);
    }
    return pending;
  }

  private async build(c: Coordinates, repositories: readonly Repository[]): Promise<ModelOutcome> {
    const tree = this.fromTree(c);
    const found = this.lookup(c, repositories);
    if (!found.ok) {
      this.served.missing++;
      return { ok: false, reason: found.problem.message, tried: found.tried };
    }
    if (tree) this.served.tree++;
    else this.served.repository++;
    const loader = tree ? this.loaderFor(tree.repository) : this.loaderFor('');
    const model = await buildEffectiveModel(found.loaded.pom, loader, {
      origin: found.loaded.origin,
      cache: this.cache,
    });
    return { ok: true, model };
  }

  async firstPartyVersions(groupId: string, artifactId: string): Promise<string[]> {
    const tree = this.firstParty.get(`${groupId}:${artifactId}`);
    const version = tree && (tree.pom.version ?? tree.pom.parent?.version);
    return version ? [version] : [];
  }

  async versions(groupId: string, artifactId: string): Promise<string[]> {
    const file = path.join(fixtureRepository, ...groupId.split('.'), artifactId, 'maven-metadata.xml');
    if (!existsSync(file)) return [];
    const xml = parseXml(readFileSync(file, 'utf8'), file, 'test.xml');
    if (!xml.ok) return [];
    return children(child(child(xml.root, 'versioning'), 'versions'), 'version').map((v) => v.text);
  }
}

interface Resolved {
  repository: string;
  source: string;
  model: EffectiveModel;
  resolution: Resolution;
}

describe.skipIf(!has)('resolving every lutece-platform POM of the corpus', () => {
  const repositories = has ? readdirSync(lutece).sort() : [];
  const source = has ? new CorpusSource(repositories) : undefined;
  const results: Resolved[] = [];
  let elapsed = 0;

  it('resolves every POM, first party from the tree, third party from the fixture repository', async () => {
    const started = performance.now();
    for (const repository of repositories) {
      const files = path.join(lutece, repository, 'files');
      if (!existsSync(files)) continue;
      for (const at of pomsUnder(files)) {
        const parsed = parsePom(readFileSync(path.join(files, at), 'utf8'), at);
        if (!parsed.ok) continue;
        const model = await buildEffectiveModel(parsed.pom, source!.loaderFor(repository), {
          origin: { kind: 'tree', path: at },
        });
        const resolution = await resolveDependencies(model, source!);
        results.push({ repository, source: at, model, resolution });
      }
    }
    elapsed = performance.now() - started;
    const nodes = results.reduce((n, r) => n + r.resolution.nodes.length, 0);
    const unresolved = results.reduce((n, r) => n + r.resolution.nodes.filter((x) => x.unresolved).length, 0);
    console.log(
      `${results.length} POMs resolved in ${elapsed.toFixed(0)} ms: ${nodes} nodes, ${unresolved} unresolved; ` +
        `models served: ${source!.served.tree} first party, ${source!.served.repository} from the fixture repository, ` +
        `${source!.served.missing} missing`,
    );
    expect(results).toHaveLength(225);
    expect(source!.served.tree).toBeGreaterThan(10);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('every component that cannot be resolved is a problem with its reason and the path that needed it', () => {
    for (const { source: at, resolution } of results) {
      const problems = resolution.problems.filter((p) => p.code === 'maven.resolve.unresolved');
      const unresolved = resolution.nodes.filter((n) => n.unresolved !== undefined);
      expect(problems, at).toHaveLength(unresolved.length);
      for (const [i, node] of unresolved.entries()) {
        expect(problems[i]!.message).toContain(`${node.groupId}:${node.artifactId}:${node.version}`);
        expect(problems[i]!.message).toContain(node.unresolved!);
        expect(problems[i]!.message).toContain(`needed by ${node.path.join(' -> ')}`);
      }
      for (const problem of resolution.problems) {
        expect(
          ['maven.resolve.unresolved', 'maven.resolve.self-dependency'],
          `${at}: ${problem.message}`,
        ).toContain(problem.code);
      }
    }
  });

  it('no direct dependency is silently dropped: each is in the graph (another version when a range mediated it), or the project itself', () => {
    for (const { source: at, model, resolution } of results) {
      // independent of the resolver: groupId:artifactId straight from the effective model's dependencies
      const declared = new Set(model.dependencies.map((d) => `${d.groupId}:${d.artifactId}`));
      const resolved = new Set(resolution.nodes.map((n) => `${n.groupId}:${n.artifactId}`));
      const self = `${model.coordinates.groupId}:${model.coordinates.artifactId}`;
      for (const ga of declared) if (ga !== self) expect(resolved.has(ga), `${at}: ${ga}`).toBe(true);
    }
  });

  it('first-party artifacts resolve from the tree, ranges included, and bring their own dependencies', () => {
    const module = results.find(
      (r) => r.repository === 'lutece-wf-module-workflow-forms' && r.source === 'pom.xml',
    );
    const nodes = module!.resolution.nodes;
    // the tree builds 7.0.2-SNAPSHOT of plugin-workflow and 8.0.2-SNAPSHOT of lutece-core: they satisfy the
    // release ranges asked, as a reactor's modules would; plugin-forms (3.1.4-SNAPSHOT in the tree) does not
    expect(
      nodes.filter((n) => n.depth === 1).map((n) => [n.key, n.version, n.range, n.unresolved === undefined]),
    ).toEqual([
      ['fr.paris.lutece:lutece-core:lutece-core:', '8.0.2-SNAPSHOT', '[8.0.0,)', true],
      ['fr.paris.lutece.plugins:plugin-forms:lutece-plugin:', '[4.0.0,)', '[4.0.0,)', false],
      ['fr.paris.lutece.plugins:plugin-workflow:lutece-plugin:', '7.0.2-SNAPSHOT', '[7.0.0,)', true],
      ['fr.paris.lutece.plugins:library-signrequest:jar:', '[4.0.0,)', '[4.0.0,)', false],
      ['fr.paris.lutece.plugins:library-lutece-unit-testing:jar:', '', undefined, false],
      ['org.glassfish.jaxb:jaxb-runtime:jar:', '4.0.5', undefined, false],
    ]);
    const below = nodes.filter((n) => n.depth === 2).map((n) => n.path.join(' -> '));
    expect(below.length).toBeGreaterThan(0);
    expect(below.every((p) => /^fr\.paris\.lutece(\.plugins)?:(lutece-core|plugin-workflow):/.test(p))).toBe(
      true,
    );
  });
});
