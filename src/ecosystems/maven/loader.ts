import type { Problem } from '../../core/model.js';
import { join } from '../../core/paths.js';
import type { SubjectFiles } from '../types.js';
import { parsePom } from './pom.js';
import type { LoadedPom, PomLoader, PomLookup } from './pom-loader.js';
import type { Coordinates, RawPom, Repository } from './pom-model.js';
import type { MavenRepositories } from './repository.js';
import { compareVersions, isRange, parseRange, pickVersion } from './version.js';

type Parsed = { ok: true; pom: RawPom } | { ok: false; problem: Problem };

/** A POM of the scanned subjects, by the coordinates it declares (or inherits from its <parent> element). */
interface TreePom {
  subject: SubjectFiles;
  path: string;
  pom: RawPom;
  version: string;
}

/**
 * The POMs of every scanned subject, parsed once per run, indexed by groupId:artifactId so that an
 * artifact one repository builds serves every other repository as first party.
 */
export class TreeIndex {
  private readonly parsed = new Map<string, Promise<Parsed | undefined>>();
  private byArtifact: Map<string, TreePom[]> | undefined;

  constructor(private readonly subjects: readonly SubjectFiles[]) {}

  /** The POM at a subject-relative path, parsed once; undefined when there is no file there. */
  read(subject: SubjectFiles, path: string): Promise<Parsed | undefined> {
    const key = `${subject.name}\u0000${path}`;
    let found = this.parsed.get(key);
    if (!found) {
      found = readPom(subject, path);
      this.parsed.set(key, found);
    }
    return found;
  }

  async candidates(groupId: string, artifactId: string): Promise<TreePom[]> {
    this.byArtifact ??= await this.build();
    return this.byArtifact.get(`${groupId}:${artifactId}`) ?? [];
  }

  private async build(): Promise<Map<string, TreePom[]>> {
    const index = new Map<string, TreePom[]>();
    for (const subject of this.subjects) {
      for (const path of subject.manifests) {
        const parsed = await this.read(subject, path);
        if (!parsed?.ok) continue;
        const { pom } = parsed;
        const groupId = pom.groupId ?? pom.parent?.groupId;
        const version = declaredVersion(pom);
        if (!groupId || !pom.artifactId || !version) continue;
        const key = `${groupId}:${pom.artifactId}`;
        index.set(key, [...(index.get(key) ?? []), { subject, path, pom, version }]);
      }
    }
    return index;
  }
}

/** The version a POM declares, with CI-friendly `${revision}`-style properties of its own resolved. */
function declaredVersion(pom: RawPom): string | undefined {
  const raw = pom.version ?? pom.parent?.version;
  return raw?.replace(/\$\{([^}]+)\}/g, (whole, name: string) => pom.properties.get(name) ?? whole);
}

async function readPom(subject: SubjectFiles, path: string): Promise<Parsed | undefined> {
  if (!(await subject.reader.exists(path))) return undefined;
  let content: string;
  try {
    content = await subject.reader.read(path);
  } catch (error) {
    return {
      ok: false,
      problem: {
        severity: 'error',
        code: 'maven.pom.unreadable',
        message: `${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        file: path,
      },
    };
  }
  const parsed = parsePom(content, path);
  return parsed.ok ? { ok: true, pom: parsed.pom } : parsed;
}

/**
 * The PomLoader of one subject: `relativePath` parents from the subject itself; artifacts from the
 * scanned tree first (any subject), then from the Maven repositories. Lookups are shared for the run.
 */
export function createPomLoader(
  subject: SubjectFiles,
  tree: TreeIndex,
  repositories: MavenRepositories | undefined,
  lookups: Map<string, Promise<PomLookup>>,
): PomLoader {
  return {
    fromTree: (path) => tree.read(subject, join(path)),
    artifact(coordinates, declared) {
      const key = `${coordinates.groupId}:${coordinates.artifactId}:${coordinates.version}|${declared
        .map((r) => r.url ?? '')
        .join(' ')}`;
      let found = lookups.get(key);
      if (!found) {
        found = lookUp(coordinates, declared, tree, repositories);
        lookups.set(key, found);
      }
      return found;
    },
  };
}

async function lookUp(
  coordinates: Coordinates,
  declared: readonly Repository[],
  tree: TreeIndex,
  repositories: MavenRepositories | undefined,
): Promise<PomLookup> {
  const { groupId, artifactId, version } = coordinates;
  const first = await fromTree(coordinates, tree);
  if (first) return { ok: true, loaded: first };
  const label = `${groupId}:${artifactId}:${version}`;
  if (!repositories) {
    return notFound(label, [], 'no Maven repository is consulted in this run');
  }
  let wanted = version;
  const tried: string[] = [];
  if (isRange(version)) {
    const range = parseRange(version);
    if (!range.ok) return notFound(label, [], `"${version}" is not a valid version range: ${range.reason}`);
    const metadata = await repositories.fetchMetadata(groupId, artifactId, declared);
    tried.push(...metadata.tried);
    const picked = pickVersion(
      range.range,
      metadata.versions.map((v) => v.version),
      { allowSnapshots: /SNAPSHOT/i.test(version) },
    );
    if (!picked) return notFound(label, tried, 'no version listed by the repositories satisfies the range');
    wanted = picked;
  }
  const fetched = await repositories.fetchPom({ groupId, artifactId, version: wanted }, declared);
  if (!fetched.ok) return notFound(label, [...tried, ...fetched.tried], fetched.reason);
  const parsed = parsePom(fetched.content, fetched.url);
  if (!parsed.ok) return { ok: false, problem: parsed.problem, tried: [...tried, fetched.url] };
  const loaded: LoadedPom = { pom: parsed.pom, origin: fetched.origin };
  if (wanted !== version) loaded.versionAskedFor = version;
  return { ok: true, loaded };
}

/** The tree's POM for these coordinates: the same version, or the highest tree version inside a range. */
async function fromTree(coordinates: Coordinates, tree: TreeIndex): Promise<LoadedPom | undefined> {
  const candidates = await tree.candidates(coordinates.groupId, coordinates.artifactId);
  if (candidates.length === 0) return undefined;
  let match: TreePom | undefined;
  if (isRange(coordinates.version)) {
    const range = parseRange(coordinates.version);
    if (!range.ok) return undefined;
    const picked = pickVersion(
      range.range,
      candidates.map((c) => c.version),
      { allowSnapshots: true },
    );
    match = candidates.find((c) => c.version === picked);
  } else {
    match = candidates.find((c) => compareVersions(c.version, coordinates.version) === 0);
  }
  if (!match) return undefined;
  const loaded: LoadedPom = {
    pom: match.pom,
    origin: { kind: 'tree', path: `${match.subject.name}:${match.path}` },
  };
  if (match.version !== coordinates.version) loaded.versionAskedFor = coordinates.version;
  return loaded;
}

function notFound(label: string, tried: string[], reason: string): PomLookup {
  const what = reason.startsWith(label) ? reason : `${label}: ${reason}`;
  const unnamed = tried.filter((url) => !reason.includes(url));
  return {
    ok: false,
    tried,
    problem: {
      severity: 'warning',
      code: 'maven.artifact.unresolved',
      message: unnamed.length ? `${what} (tried ${unnamed.join(', ')})` : what,
      hint: 'Check the repositories the POMs declare, --maven-settings (mirrors, credentials), or run without --offline.',
    },
  };
}
